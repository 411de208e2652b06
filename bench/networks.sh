#!/usr/bin/env bash
# The network benchmark: a plan's `networks:` on 10,000 people and 100,000 ties (in- and
# out-degree, betweenness, harmonic closeness, PageRank, constraint, effective size,
# reciprocity, clustering) against R igraph computing the same measures from the same CSV, whole
# processes, side by side in one run.
#
# Usage: bench/networks.sh   (needs R with igraph for the R row)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=${REPEATS:-3}
DIR=bench/data
mkdir -p "$DIR"
cargo build --release --locked -q -p kith-cli
[ -f "$DIR/network-edges.csv" ] || Rscript bench/networks.R generate "$DIR"
cat > "$DIR/networks.yaml" <<'PLAN'
kind: plan
data: network-people.csv
id: id
networks:
  - {name: advice, edges: network-edges.csv, roster: network-people.csv}
descriptives: [advice_indegree, advice_betweenness, advice_closeness, advice_pagerank, advice_constraint]
report: {sections: [descriptives]}
PLAN
echo "| command | seconds (median of runs) | peak memory (MiB) | notes |"
echo "|---|---|---|---|"
# shellcheck source=bench/measure.sh
source bench/measure.sh
measure "kith analyze: a network of 10,000 people and 100,000 ties, every node measure" "$REPEATS" "${CARGO_TARGET_DIR:-target}"/release/kith analyze "$DIR/networks.yaml" -o "$DIR/networks-results"
if command -v Rscript > /dev/null; then
  measure "R igraph: read the edge list, the same measures" "$REPEATS" Rscript bench/networks.R igraph "$DIR"
fi
