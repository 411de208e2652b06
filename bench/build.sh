#!/usr/bin/env bash
# A newcomer's first builds, timed: the README's main command's build from an empty target
# folder, then the README's test command's build on top of it. Prints seconds and the number of
# crates each compiled. Usage: bench/build.sh [TARGET_DIR] (default: a fresh folder in /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-$(mktemp -d)}"
rm -rf "$target"
seconds() { local start=$SECONDS; "$@"; echo $((SECONDS - start)); }
main=$(seconds env CARGO_TARGET_DIR="$target" cargo build --locked -p kith-cli 2> "$target.main.log" >/dev/null)
tests=$(seconds env CARGO_TARGET_DIR="$target" cargo test --workspace --locked --no-run 2> "$target.tests.log" >/dev/null)
echo "main command's build: ${main} s, $(grep -c Compiling "$target.main.log") crates"
echo "tests' build after it: ${tests} s, $(grep -c Compiling "$target.tests.log") crates"
rm -rf "$target" "$target.main.log" "$target.tests.log"
