# Reference values for kith's network measures, from R's igraph (and sna's and network's data):
# in- and out-degree (raw and divided by n - 1), betweenness (raw and igraph's normalized),
# harmonic closeness (outgoing paths, divided by n - 1), PageRank (damping .85), Burt's
# constraint (igraph's constraint), effective size (Burt 1992's n - 2t/n on the undirected
# simple graph), each person's reciprocity (the share of their outgoing ties returned), local
# clustering (igraph's local transitivity on the undirected graph; NA below two neighbours);
# and the network's size, ties, density, reciprocity, transitivity, in-degree centralization
# and weak components.
#
# Run from the repository root:   Rscript tests/r/networks.R
# Needs Debian's r-base-core, r-cran-igraph, r-cran-sna, r-cran-network and r-cran-jsonlite.
# It writes tests/data/networks/*.csv (the edge lists) and tests/data/reference/networks.json;
# the tests never need R.
#
# Data: the Florentine families' marriages (network's `flo`, undirected, one isolate), Coleman's
# high-school friendships in the fall (sna's `coleman`, directed), and a generated directed
# network of 30 people with isolates, several components and weights 1 to 5; and the directed
# two symmetrized both ways.

suppressPackageStartupMessages({ library(igraph); library(jsonlite) })
data(flo, package = "network")
data(coleman, package = "sna")
dir.create("tests/data/networks", showWarnings = FALSE)

write_edges <- function(g, name) {
  e <- as_edgelist(g, names = TRUE)
  out <- data.frame(ego = e[, 1], alter = e[, 2])
  if (!is.null(E(g)$weight)) out$weight <- E(g)$weight
  write.csv(out, file.path("tests/data/networks", paste0(name, ".csv")), row.names = FALSE,
            quote = FALSE)
  writeLines(V(g)$name, file.path("tests/data/networks", paste0(name, "-people.txt")))
}

na_to_null <- function(x) { x <- unname(x); x[is.nan(x)] <- NA; x }

measures <- function(g, name, write = TRUE) {
  if (write) write_edges(g, name)
  directed <- is_directed(g)
  n <- vcount(g)
  simple <- simplify(as.undirected(g, mode = "collapse"), remove.multiple = TRUE,
                     remove.loops = TRUE, edge.attr.comb = "ignore")
  neighbours <- lapply(seq_len(n), function(i) as.integer(neighbors(simple, i)))
  effective_size <- sapply(seq_len(n), function(i) {
    k <- length(neighbours[[i]])
    if (k == 0) return(NA)
    t <- ecount(induced_subgraph(simple, neighbours[[i]]))
    k - 2 * t / k
  })
  own_reciprocity <- sapply(seq_len(n), function(i) {
    out <- as.integer(neighbors(g, i, mode = "out"))
    if (length(out) == 0) return(NA)
    mean(sapply(out, function(j) are_adjacent(g, j, i)))
  })
  in_mode <- if (directed) "in" else "all"
  out_mode <- if (directed) "out" else "all"
  weighted <- !is.null(E(g)$weight)
  list(
    name = name, directed = directed, weighted = weighted, people = V(g)$name,
    indegree = unname(degree(g, mode = in_mode, loops = FALSE)),
    outdegree = unname(degree(g, mode = out_mode, loops = FALSE)),
    indegree_normalized = unname(degree(g, mode = in_mode, loops = FALSE, normalized = TRUE)),
    outdegree_normalized = unname(degree(g, mode = out_mode, loops = FALSE, normalized = TRUE)),
    betweenness = unname(betweenness(g, directed = directed, weights = NA)),
    betweenness_normalized = unname(betweenness(g, directed = directed, weights = NA,
                                                normalized = TRUE)),
    harmonic_closeness = unname(harmonic_centrality(g, mode = out_mode, weights = NA,
                                                    normalized = TRUE)),
    pagerank = unname(page_rank(g, damping = 0.85, directed = directed, weights = NA)$vector),
    pagerank_weighted = if (weighted) unname(page_rank(g, damping = 0.85, directed = directed)$vector),
    constraint = na_to_null(constraint(g, weights = if (weighted) E(g)$weight else NULL)),
    effective_size = na_to_null(effective_size),
    reciprocity = na_to_null(own_reciprocity),
    clustering = na_to_null(transitivity(simple, type = "local")),
    network = list(
      size = n, ties = ecount(g), density = edge_density(g),
      reciprocity = if (directed) reciprocity(g) else 1,
      transitivity = transitivity(simple, type = "global"),
      centralization = centr_degree(g, mode = in_mode, loops = FALSE)$centralization,
      components = count_components(g, mode = "weak"),
      largest_component = max(components(g, mode = "weak")$csize)))
}

florentine <- graph_from_adjacency_matrix(flo, mode = "undirected")
fall <- coleman[1, , ]
dimnames(fall) <- list(paste0("s", 1:73), paste0("s", 1:73))
friends <- graph_from_adjacency_matrix(fall, mode = "directed")
set.seed(19)
generated <- sample_gnp(30, 0.06, directed = TRUE)
V(generated)$name <- sprintf("p%02d", 1:30)
E(generated)$weight <- sample(1:5, ecount(generated), replace = TRUE)

# A study on the generated network: 28 of its 30 people responded (p05 and p17 did not; the
# roster keeps them in the network), with a tenure and a turnover score; the plan
# tests/data/analysis/networks.yaml relates turnover to advice in-degree and betweenness
# computed on the whole network. The roster's units colour the sociogram.
roster <- data.frame(id = V(generated)$name,
                     unit = rep(c("Sales", "Research", "Operations"), length.out = 30))
write.csv(roster, "tests/data/networks/generated-roster.csv", row.names = FALSE, quote = FALSE)
respondents <- roster[!(roster$id %in% c("p05", "p17")), "id", drop = FALSE]
set.seed(20)
indegree <- degree(generated, mode = "in")[respondents$id]
between <- betweenness(generated, directed = TRUE, weights = NA)[respondents$id]
respondents$tenure <- round(runif(nrow(respondents), 1, 20), 1)
respondents$turnover <- round(3 - 0.3 * indegree + 0.02 * respondents$tenure +
                               rnorm(nrow(respondents), 0, 0.5), 2)
write.csv(respondents, "tests/data/networks/generated-respondents.csv", row.names = FALSE,
          quote = FALSE)
study_fit <- lm(turnover ~ tenure + indegree + between,
                data = cbind(respondents, indegree = indegree, between = between))
study <- list(terms = names(coef(study_fit)), b = unname(coef(study_fit)),
              se = unname(sqrt(diag(vcov(study_fit)))), r2 = summary(study_fit)$r.squared)

# Symmetrized networks, from the directed edge lists above: any tie (the larger strength) and
# reciprocated ties only (the smaller strength), as kith's `symmetrize: any | reciprocated`.
symmetrized <- function(g, mode) {
  comb <- if (mode == "collapse") "max" else "min"
  as.undirected(g, mode = mode, edge.attr.comb = list(weight = comb, "ignore"))
}

reference <- list(
  study = study,
  versions = list(R = R.version.string, igraph = as.character(packageVersion("igraph"))),
  networks = list(florentine = measures(florentine, "florentine"),
                  coleman_fall = measures(friends, "coleman-fall"),
                  generated = measures(generated, "generated"),
                  coleman_any = measures(symmetrized(friends, "collapse"), "", write = FALSE),
                  coleman_reciprocated = measures(symmetrized(friends, "mutual"), "", write = FALSE),
                  generated_any = measures(symmetrized(generated, "collapse"), "", write = FALSE),
                  generated_reciprocated = measures(symmetrized(generated, "mutual"), "",
                                                    write = FALSE)))
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "tests/data/reference/networks.json")
cat("wrote tests/data/reference/networks.json\n")
