#!/usr/bin/env bash
# Issue 22's export figures: `kith export` of a store of SESSIONS participants who completed
# the 40-item survey tests/data/runner/forty.survey.yaml through the session engine (default
# 55,000 sessions: 2.2 million answers), in the long and the wide layout, with wall-clock
# seconds and peak memory. BASELINE=path/to/an/earlier/kith adds its rows, side by side.
#
# Usage: bench/export.sh [SESSIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SESSIONS=${1:-55000}
REPEATS=${REPEATS:-3}
DIR=bench/data
mkdir -p "$DIR"
cargo build --release --locked -q -p kith-cli -p kith-bench
store="$DIR/export-$SESSIONS.sqlite"
if [ ! -f "$store" ]; then
  target/release/kith-bench-store "$SESSIONS" tests/data/runner/forty.survey.yaml "$store"
fi
echo "store: $SESSIONS sessions, $(( $(stat -c %s "$store") / 1048576 )) MiB ($store)"
echo
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"
# shellcheck source=bench/measure.sh
source bench/measure.sh
builds=("kith:target/release/kith")
if [ -n "${BASELINE:-}" ]; then
  builds+=("baseline:$BASELINE")
fi
for build in "${builds[@]}"; do
  name=${build%%:*}
  binary=${build#*:}
  measure "$name export --layout long (CSV)" "$REPEATS" "$binary" export --store "$store" --layout long -o "$DIR/long.csv"
  measure "$name export --layout long (Parquet)" "$REPEATS" "$binary" export --store "$store" --layout long -o "$DIR/long.parquet"
  measure "$name export (wide, CSV)" "$REPEATS" "$binary" export --store "$store" -o "$DIR/wide.csv"
done
