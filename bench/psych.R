# The R side of kith's scoring benchmark: data.table::fread, then psych::scoreItems
# (impute = "none") or psych::alpha for each of the ten scales.
#
# Usage: Rscript bench/psych.R FILE.csv read|score|alpha
# Prints the seconds each step took to stderr.

suppressPackageStartupMessages({
  library(data.table)
  library(psych)
})
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
what <- args[2]

started <- proc.time()[["elapsed"]]
data <- as.data.frame(fread(file))
read_seconds <- proc.time()[["elapsed"]] - started
items <- data[, -1]

# Ten scales of six items; items 2 and 5 of each are reverse keyed (see kith-bench-generate).
scales <- lapply(1:10, function(s) sprintf("s%d_%d", s, 1:6))
names(scales) <- sprintf("scale_%d", 1:10)
keys <- lapply(scales, function(columns) ifelse(seq_along(columns) %in% c(2, 5), paste0("-", columns), columns))

started <- proc.time()[["elapsed"]]
if (what == "score") {
  scored <- psych::scoreItems(keys, items, impute = "none", min = 1, max = 5)
} else if (what == "alpha") {
  for (columns in scales) {
    reversed <- columns[c(2, 5)]
    a <- psych::alpha(items[, columns], keys = reversed, warnings = FALSE)
  }
}
compute_seconds <- proc.time()[["elapsed"]] - started
message(sprintf("read %.2f s, %s %.2f s", read_seconds, what, compute_seconds))
