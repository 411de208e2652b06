#!/usr/bin/env bash
# The issue-4 benchmark, measured side by side in one run:
# - mediation with 10,000 bootstrap resamples at n = 2,000: kith analyze vs lavaan
#   (se = "bootstrap") and psych::mediate;
# - OLS on 1,000,000 rows x 10 predictors: kith analyze vs polars' bare read of the same file
#   (the floor) and R's fread + lm.
#
# Usage: bench/analysis.sh   (needs R with data.table, psych and lavaan for the R rows)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${REPEATS:-3}
DIR=bench/data
cargo build --release --locked -q -p kith-cli -p kith-bench
target/release/kith-bench-regression mediation 2000 "$DIR" > /dev/null
target/release/kith-bench-regression ols "${ROWS:-1000000}" "$DIR" > /dev/null
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"

# shellcheck source=bench/measure.sh
source bench/measure.sh

measure "kith analyze: mediation, 10,000 resamples, n = 2,000" "$REPEATS" target/release/kith analyze "$DIR/mediation.yaml" -o "$DIR/mediation-results"
if command -v Rscript > /dev/null; then
  measure "R lavaan::sem, se = \"bootstrap\", 10,000 resamples" 1 Rscript bench/analysis.R "$DIR/mediation.csv" lavaan
  measure "R psych::mediate, n.iter = 10,000" 1 Rscript bench/analysis.R "$DIR/mediation.csv" mediate
fi
measure "polars bare read of ols.csv (types inferred)" "$REPEATS" target/release/kith-bench-bare-read "$DIR/ols.csv"
measure "kith analyze: OLS, 1,000,000 rows x 10 predictors" "$REPEATS" target/release/kith analyze "$DIR/ols.yaml" -o "$DIR/ols-results"
if command -v Rscript > /dev/null; then
  measure "R fread + lm" 1 Rscript bench/analysis.R "$DIR/ols.csv" lm
fi
