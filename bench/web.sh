#!/usr/bin/env bash
# Issue 7's load figures: 200 concurrent participants complete a 40-item survey against the
# release build of `kith serve` on loopback (the load test of tests/web.rs; its HTTP clients run
# in the same debug test binary on the same two cores). Once without pauses (each participant
# posts its next page the moment the last one is shown: the hardest case), once with a reading
# pause of about THINK ms per page (default 2000). Copy the summaries into BENCHMARKS.md with the
# machine and the date.
set -euo pipefail
cd "$(dirname "$0")/.."
think="${THINK:-2000}"
cargo build --release --locked -q -p kith-cli
summary=target/kith-test-output/web-load/latency.json
for pause in 0 "$think"; do
  KITH_BINARY="$PWD/target/release/kith" KITH_LOAD_THINK_MS="$pause" \
    cargo test --locked -q -p kith-tests --test web \
    issue_7_two_hundred_concurrent_participants_complete_a_forty_item_survey >/dev/null
  echo "== pause ${pause} ms per page"
  cat "$summary"
  echo
done
