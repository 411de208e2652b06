#!/usr/bin/env bash
# The screening benchmark (issue 17), side by side in one run: kith screen against kith score
# of the same file (target: within 2x), and against R's careless computing the same indices.
#
# Usage: bench/screening.sh [ROWS] [R_ROWS]   (defaults 1,000,000 and 100,000)
#   CARELESS=PATH/TO/careless/R for the R rows (a clone of ryentes/careless, see
#   tests/r/careless.R); R with data.table and psych.
# careless loops over respondents in R (evenodd, psychsyn), so R runs on R_ROWS rows, and kith
# screen runs on the same R_ROWS file too, for the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
R_ROWS=${2:-100000}
REPEATS=${REPEATS:-3}
DIR=bench/data
TARGET=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q -p kith-cli -p kith-bench
mkdir -p "$DIR/screening"
"$TARGET/release/kith-bench-generate" "$ROWS" "$DIR" > /dev/null
"$TARGET/release/kith-bench-generate" "$R_ROWS" "$DIR/screening" > /dev/null

# shellcheck source=bench/measure.sh
source bench/measure.sh

echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"
measure "kith score, $ROWS rows (CSV out)" "$REPEATS" "$TARGET/release/kith" score "$DIR/bench.yaml" "$DIR/bench.csv" -o "$DIR/scores.csv"
measure "kith screen, $ROWS rows (CSV out)" "$REPEATS" "$TARGET/release/kith" screen "$DIR/bench.yaml" "$DIR/bench.csv" -o "$DIR/screened.csv"
measure "kith screen, $R_ROWS rows (CSV out)" "$REPEATS" "$TARGET/release/kith" screen "$DIR/screening/bench.yaml" "$DIR/screening/bench.csv" -o "$DIR/screening/screened.csv"
if command -v Rscript > /dev/null && [ -n "${CARELESS:-}" ]; then
  measure "R fread + careless (every index), $R_ROWS rows" 1 Rscript bench/careless.R "$DIR/screening/bench.csv" "$CARELESS"
fi
