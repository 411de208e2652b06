# The R side of kith's network benchmark: a directed network of 10,000 people and 100,000 ties,
# and the node measures kith computes for a plan's `networks:`, by igraph, the way an R user
# would compute them after reading the edge list.
#
# Usage: Rscript bench/networks.R generate DIR   (writes DIR/network-edges.csv and
#                                                 DIR/network-people.csv)
#        Rscript bench/networks.R igraph DIR     (reads the edge list, computes the measures)

suppressPackageStartupMessages(library(igraph))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[2]
if (args[1] == "generate") {
  set.seed(19)
  g <- sample_gnm(10000, 100000, directed = TRUE)
  V(g)$name <- sprintf("e%05d", seq_len(vcount(g)))
  e <- as_edgelist(g)
  write.csv(data.frame(ego = e[, 1], alter = e[, 2]), file.path(dir, "network-edges.csv"),
            row.names = FALSE, quote = FALSE)
  write.csv(data.frame(id = V(g)$name, tenure = round(runif(vcount(g), 1, 20), 1)),
            file.path(dir, "network-people.csv"), row.names = FALSE, quote = FALSE)
  quit(save = "no")
}
edges <- read.csv(file.path(dir, "network-edges.csv"))
people <- read.csv(file.path(dir, "network-people.csv"))
g <- graph_from_data_frame(edges, directed = TRUE, vertices = people)
simple <- simplify(as.undirected(g, mode = "collapse"))
measures <- data.frame(
  indegree = degree(g, mode = "in"), outdegree = degree(g, mode = "out"),
  betweenness = betweenness(g, directed = TRUE),
  closeness = harmonic_centrality(g, mode = "out", normalized = TRUE),
  pagerank = page_rank(g)$vector, constraint = constraint(g),
  clustering = transitivity(simple, type = "local"))
cat(nrow(measures), "people,", ecount(g), "ties; density", edge_density(g), "\n")
