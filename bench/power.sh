#!/usr/bin/env bash
# The power benchmark: kith power on the bundled plan's one-mediator analysis (1,000
# replications at n = 200, the Monte Carlo interval with 20,000 draws) against Schoemann,
# Boulton & Short's (2017) method in R with their defaults, whole processes, side by side in
# one run. Also: kith power on three observed variables (the problem R's method solves), and
# the bundled analysis with the full bootstrap (5,000 resamples per data set).
#
# Usage: bench/power.sh   (needs R with MASS for the R row)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${REPEATS:-3}
DIR=bench/data
mkdir -p "$DIR"
cargo build --release --locked -q -p kith-cli
KITH="${CARGO_TARGET_DIR:-target}"/release/kith
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"
# shellcheck source=bench/measure.sh
source bench/measure.sh
measure "kith power: bundled plan, mediation[0], n = 200, 1,000 replications, Monte Carlo (20,000 draws)" "$REPEATS" \
  "$KITH" power analysis/networking-careers.yaml --only 'mediation[0]' --n 200 --replications 1000 -o "$DIR/power-mc"
measure "kith power: X, M, Y observed (tests/data/power), n = 200, 1,000 replications, Monte Carlo" "$REPEATS" \
  "$KITH" power tests/data/power/mediation.plan.yaml --model tests/data/power/mediation.model.yaml --n 200 --replications 1000 -o "$DIR/power-xmy"
if command -v Rscript > /dev/null; then
  measure "R: Schoemann et al.'s method (mvrnorm, two lm fits, 20,000 draws), 1,000 replications" "$REPEATS" \
    Rscript bench/power/schoemann.R
fi
measure "kith power: bundled plan, mediation[0], n = 200, 1,000 replications, bootstrap (5,000 resamples)" 1 \
  "$KITH" power analysis/networking-careers.yaml --only 'mediation[0]' --n 200 --replications 1000 --interval bootstrap -o "$DIR/power-boot"
