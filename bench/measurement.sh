#!/usr/bin/env bash
# The measurement-model benchmark (issue 16), side by side in one run: kith analyze of a plan
# with one measurement model (the bundled survey's five networking motives, 20 items) against
# R's lavaan::cfa() of the same model on the same file, on 600 and on 100,000 simulated
# respondents, ML and MLR. Whole processes: each reads the CSV, fits the model and computes
# the fit measures, parameters and standardized solution (kith also writes results.json and
# the report). kith and R run in alternation, pair by pair, so that both see the same noise.
#
# Usage: bench/measurement.sh   (needs R with data.table and lavaan for the R rows)
#   PAIRS=5 (default 3) pairs per row; SIZES="600 100000" to choose the sample sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${PAIRS:-3}
SIZES=${SIZES:-600 100000}
DIR=bench/data/measurement
TARGET=${CARGO_TARGET_DIR:-target}
KITH=$TARGET/release/kith
cargo build --release --locked -q -p kith-cli
mkdir -p "$DIR"

seconds_of() {
  /usr/bin/time -f "%e %M" -o /tmp/kith-bench-time "$@" > /dev/null 2> /tmp/kith-bench-stderr \
    || { cat /tmp/kith-bench-stderr >&2; exit 1; }
  cat /tmp/kith-bench-time
}

median() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }

echo "| respondents | estimator | kith analyze (s) | lavaan::cfa (s) | lavaan / kith | kith peak MiB | R peak MiB |"
echo "|---|---|---|---|---|---|---|"
for n in $SIZES; do
  data="$DIR/motives-$n.csv"
  [ -f "$data" ] || "$KITH" simulate instruments/networking-careers.survey.yaml --n "$n" --seed 16 -o "$data" 2> /dev/null
  for estimator in ml mlr; do
    plan="$DIR/motives-$n-$estimator.yaml"
    cat > "$plan" <<PLAN
kind: plan
data: motives-$n.csv
measurement:
  - name: Networking motives
    estimator: $estimator
    factors:
      helping_motive: [help_1, help_2, help_3, help_4]
      enjoyment_motive: [enjoy_1, enjoy_2, enjoy_3, enjoy_4]
      strategic_motive: [strat_1, strat_2, strat_3, strat_4]
      obligation_motive: [oblig_1, oblig_2, oblig_3, oblig_4]
      status_motive: [status_1, status_2, status_3, status_4]
PLAN
    kith_times=() r_times=() ratios=() kith_memory=0 r_memory=0
    for _ in $(seq "$PAIRS"); do
      read -r k kith_kb < <(seconds_of "$KITH" analyze "$plan" -o "$DIR/results-$n-$estimator")
      kith_times+=("$k")
      kith_memory=$(( kith_kb / 1024 ))
      if command -v Rscript > /dev/null; then
        read -r r r_kb < <(seconds_of Rscript bench/measurement.R "$data" "$estimator")
        r_times+=("$r")
        r_memory=$(( r_kb / 1024 ))
        ratios+=("$(awk -v r="$r" -v k="$k" 'BEGIN { printf "%.1f", r / (k > 0.005 ? k : 0.005) }')")
      fi
    done
    kith_median=$(printf '%s\n' "${kith_times[@]}" | median "$PAIRS")
    if [ ${#r_times[@]} -gt 0 ]; then
      r_median=$(printf '%s\n' "${r_times[@]}" | median "$PAIRS")
      ratio=$(printf '%s\n' "${ratios[@]}" | median "$PAIRS")
    else
      r_median="-" ratio="-" r_memory="-"
    fi
    echo "| $n | $estimator | $kith_median | $r_median | ${ratio}× | $kith_memory | $r_memory |"
  done
done
