#!/usr/bin/env bash
# The SPSS and Stata benchmark: reading and writing the 1,000,000-respondent benchmark data as
# .sav and .dta, kith against R's haven (read_sav/write_sav, read_dta/write_dta), whole
# processes, side by side in one run.
#
# Usage: bench/labelled.sh [ROWS]   (default 1,000,000; needs R with haven for the R rows)
# Prints a Markdown table of wall-clock seconds (median of REPEATS runs) and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REPEATS=${REPEATS:-3}
DIR=bench/data
cargo build --release --locked -q -p kith-cli -p kith-bench
target/release/kith-bench-generate "$ROWS" "$DIR"
kith=target/release/kith
# The labelled files the reads start from, written by kith (their items carry the scale's
# labels and the instrument's texts) and checked to open in haven below.
$kith score "$DIR/bench.yaml" "$DIR/bench.csv" --items -o "$DIR/bench.sav" 2> /dev/null
$kith score "$DIR/bench.yaml" "$DIR/bench.csv" --items -o "$DIR/bench.dta" 2> /dev/null
echo "data: $ROWS rows x 60 items; .sav $(( $(stat -c %s "$DIR/bench.sav") / 1048576 )) MiB, .dta $(( $(stat -c %s "$DIR/bench.dta") / 1048576 )) MiB"
echo
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"

# shellcheck source=bench/measure.sh
source bench/measure.sh

for ext in sav dta; do
  measure "kith score .$ext (read, score, CSV of scores out)" "$REPEATS" $kith score "$DIR/bench.yaml" "$DIR/bench.$ext" -o "$DIR/scores.csv"
  measure "kith score .$ext --items -o .$ext (read, score, write every column)" "$REPEATS" $kith score "$DIR/bench.yaml" "$DIR/bench.$ext" --items -o "$DIR/copy.$ext"
  if command -v Rscript > /dev/null; then
    measure "R haven read_$ext" "$REPEATS" Rscript bench/labelled.R "$DIR/bench.$ext" read
    measure "R haven read_$ext + write_$ext" "$REPEATS" Rscript bench/labelled.R "$DIR/bench.$ext" copy "$DIR/haven-copy.$ext"
  fi
done
