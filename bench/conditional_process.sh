#!/usr/bin/env bash
# The model-7 benchmark (moderated mediation, PROCESS model 7, 10,000 bootstrap resamples on
# n = 2,000), measured side by side in one run: kith analyze against R's boot package fitting
# the two regressions per resample. Whole processes, reading the same CSV.
#
# Usage: bench/conditional_process.sh   (needs R with boot, and lavaan, for the R rows)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${REPEATS:-3}
DIR=bench/data
mkdir -p "$DIR"
cargo build --release --locked -q -p kith-cli
[ -f "$DIR/model7.csv" ] || Rscript bench/conditional_process.R generate "$DIR/model7.csv"
cat > "$DIR/model7.yaml" <<'PLAN'
kind: plan
data: model7.csv
id: id
moderated_mediation:
  - {model: 7, x: x, m: m, w: w, y: y, bootstrap: 10000, seed: 2016}
PLAN
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"
# shellcheck source=bench/measure.sh
source bench/measure.sh
measure "kith analyze: PROCESS model 7, 10,000 resamples, n = 2,000" "$REPEATS" "${CARGO_TARGET_DIR:-target}"/release/kith analyze "$DIR/model7.yaml" -o "$DIR/model7-results"
if command -v Rscript > /dev/null; then
  measure "R boot: model 7 by two lm fits per resample, 10,000 resamples" 1 Rscript bench/conditional_process.R boot "$DIR/model7.csv"
  if Rscript -e 'library(lavaan)' > /dev/null 2>&1; then
    measure "R lavaan::sem: model 7, se = \"bootstrap\", 10,000 resamples" 1 Rscript bench/conditional_process.R lavaan "$DIR/model7.csv"
  fi
fi
