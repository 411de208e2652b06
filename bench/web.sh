#!/usr/bin/env bash
# `kith serve` under load: N concurrent participants (default 200) complete a 40-item survey
# against the release build of `kith serve` on loopback (the load test of tests/web.rs; its HTTP
# clients run in the same debug test binary on the same two cores). Once without pauses (each
# participant posts its next page the moment the last one is shown: the hardest case, and the
# server's sustained rate of durable pages), once with a reading pause of about THINK ms per
# page (default 2000). BASELINE=path/to/an/earlier/kith runs the same loads against it, in
# turn with this build, ROUNDS times (default 1). Copy the summaries into BENCHMARKS.md with
# the machine and the date.
#
# Usage: bench/web.sh [PARTICIPANTS]
set -euo pipefail
cd "$(dirname "$0")/.."
participants="${1:-200}"
think="${THINK:-2000}"
rounds="${ROUNDS:-1}"
cargo build --release --locked -q -p kith-cli
builds=("$PWD/target/release/kith")
if [ -n "${BASELINE:-}" ]; then
  builds+=("$BASELINE")
fi
summary=target/kith-test-output/web-load/latency.json
run() {
  local binary=$1 pause=$2
  rm -f "$summary"
  KITH_BINARY="$binary" KITH_LOAD_THINK_MS="$pause" KITH_LOAD_PARTICIPANTS="$participants" \
    cargo test --locked -q -p kith-tests --test web \
    two_hundred_concurrent_participants_complete_a_forty_item_survey -- --exact >/dev/null
  # A filter that matches no test would pass without writing the summary.
  if [ ! -f "$summary" ]; then
    echo "bench/web.sh: the load test wrote no $summary" >&2
    exit 1
  fi
  echo "== $binary, $participants participants, pause $pause ms per page"
  cat "$summary"
  echo
}
for pause in 0 "$think"; do
  for _ in $(seq "$rounds"); do
    for binary in "${builds[@]}"; do
      run "$binary" "$pause"
    done
  done
done
