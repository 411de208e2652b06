# The timing function the benchmark scripts share (sourced, not run): `measure NAME REPEATS
# COMMAND...` runs COMMAND REPEATS times and prints a Markdown row of its median wall-clock
# seconds, its peak memory and the `read … s` line it printed on stderr, if any.
measure() {
  local name=$1 repeats=$2
  shift 2
  local times=() memory=0 note=""
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o /tmp/kith-bench-time "$@" > /dev/null 2> /tmp/kith-bench-stderr
    read -r seconds kilobytes < /tmp/kith-bench-time
    times+=("$seconds")
    memory=$(( kilobytes / 1024 ))
    note=$(grep -E "^read .* s" /tmp/kith-bench-stderr || true)
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (${#times[@]} + 1) / 2 ))p")
  echo "| $name | $median | $memory | $note |"
}
