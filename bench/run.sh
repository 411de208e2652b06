#!/usr/bin/env bash
# The issue-3 benchmark: kith score and kith reliability against polars' bare read of the same
# file (the floor) and R's data.table + psych, measured side by side in one run.
#
# Usage: bench/run.sh [ROWS]   (default 1,000,000; needs R with psych and data.table for the R rows)
# Prints a Markdown table of wall-clock seconds (median of REPEATS runs) and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REPEATS=${REPEATS:-3}
DIR=bench/data
cargo build --release --locked -q -p kith-cli -p kith-bench
target/release/kith-bench-generate "$ROWS" "$DIR"
size_mb=$(( $(stat -c %s "$DIR/bench.csv") / 1048576 ))
echo "data: $ROWS rows x 60 items, $size_mb MiB ($DIR/bench.csv)"
echo
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"

# shellcheck source=bench/measure.sh
source bench/measure.sh

measure "polars bare read (from the path, types inferred)" "$REPEATS" target/release/kith-bench-bare-read "$DIR/bench.csv"
measure "polars bare read (bytes in memory, kith's types)" "$REPEATS" target/release/kith-bench-bare-read "$DIR/bench.csv" --typed
measure "kith score (CSV out)" "$REPEATS" target/release/kith score "$DIR/bench.yaml" "$DIR/bench.csv" -o "$DIR/scores.csv"
measure "kith reliability (JSON out)" "$REPEATS" target/release/kith reliability "$DIR/bench.yaml" "$DIR/bench.csv" --format json
if command -v Rscript > /dev/null; then
  measure "R data.table::fread only" 1 Rscript bench/psych.R "$DIR/bench.csv" read
  measure "R fread + psych::scoreItems(impute = \"none\")" 1 Rscript bench/psych.R "$DIR/bench.csv" score
  measure "R fread + psych::alpha, ten scales" 1 Rscript bench/psych.R "$DIR/bench.csv" alpha
fi
