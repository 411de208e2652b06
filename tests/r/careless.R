# Reference values for kith's careless-responding indices (issue 17), computed with the R
# package careless 1.2.2 (Yentes & Wilhelm) and stats::mahalanobis.
#
# careless is not packaged by Debian and CRAN is out of reach of these machines, so the script
# sources the package's own R files from a clone of its repository at the 1.2.2 release:
#   git clone https://github.com/ryentes/careless && git -C careless checkout 0a84caf
#   Rscript tests/r/careless.R careless/R          (from the repository root)
# Needs Debian's r-base-core, r-cran-psych (careless::mahad calls psych::outlier) and
# r-cran-jsonlite. It writes tests/data/reference/careless.json; the tests compare kith with
# it and never need R.
#
# Data (both real): R's bfi (tests/data/bfi.csv: 2,800 people, 25 items on a 1-6 scale, with
# missing answers) and lavaan's HolzingerSwineford1939 (tests/data/holzinger.csv: 301 pupils,
# nine ability tests in three factors of three, continuous scores, no missing values).
#
# Calls: longstring(avg = TRUE); irv(); mahad(flag = TRUE) beside stats::mahalanobis on the
# complete rows; evenodd(factors) on the keyed items (reverse-keyed items keyed as
# kith keys them, (1 + 6) - x); psychsyn() and psychsyn(anto = TRUE) on the answers as given,
# with resample_na = FALSE: careless's default shuffles the pairs of a person whose correlation
# is undefined, a random result kith does not reproduce (docs/screening.md).

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript tests/r/careless.R PATH/TO/careless/R")
suppressPackageStartupMessages({
  library(jsonlite)
  library(psych)
})
for (file in c("longstring.R", "irv.R", "mahad.R", "evenodd.R", "psychsyn.R")) {
  source(file.path(args[1], file))
}

indices <- function(items, keyed, factors, synonym_critval = 0.60) {
  long <- longstring(items, avg = TRUE)
  mahad_flagged <- suppressWarnings(mahad(items, plot = FALSE, flag = TRUE))
  complete <- complete.cases(items)
  stats_d2 <- rep(NA, nrow(items))
  stats_d2[complete] <- mahalanobis(items[complete, ], colMeans(items[complete, ]),
                                    cov(items[complete, ]))
  # evenodd(diag = TRUE) puts its list of pair counts into data.frame(), which spreads it over
  # one column per person; the index itself is taken without it.
  eo <- suppressWarnings(evenodd(keyed, factors))
  syn <- psychsyn(items, synonym_critval, diag = TRUE, resample_na = FALSE)
  ant <- tryCatch(psychsyn(items, synonym_critval, anto = TRUE, diag = TRUE, resample_na = FALSE),
                  error = function(e) NULL)
  pairs <- function(anto) {
    p <- get_item_pairs(as.matrix(items), synonym_critval, anto)
    lapply(seq_len(nrow(p)), function(i) c(as.character(p[i, 1]), as.character(p[i, 2])))
  }
  list(
    critval = synonym_critval,
    n = nrow(items),
    items = colnames(items),
    longstring_max = long$longstr,
    longstring_average = long$avgstr,
    irv = irv(items),
    mahalanobis = mahad_flagged$d_sq,
    mahalanobis_flagged = mahad_flagged$flagged,
    mahalanobis_cutoff = qchisq(0.99, ncol(items)),
    mahalanobis_complete_cases = stats_d2,
    even_odd = eo,
    synonym_pairs = pairs(FALSE),
    synonyms = syn$cor,
    synonyms_pairs_answered = syn$numPairs,
    antonym_pairs = if (is.null(ant)) list() else pairs(TRUE),
    antonyms = if (is.null(ant)) NULL else ant$cor,
    antonyms_pairs_answered = if (is.null(ant)) NULL else ant$numPairs
  )
}

bfi <- read.csv("tests/data/bfi.csv")
items <- bfi[, c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5),
                 paste0("O", 1:5))]
keyed <- items
for (item in c("A1", "C4", "C5", "E1", "E2", "O2", "O5")) keyed[[item]] <- 7 - keyed[[item]]

holzinger <- read.csv("tests/data/holzinger.csv")
tests <- holzinger[, paste0("x", 1:9)]

reference <- list(
  versions = list(R = R.version.string, careless = "1.2.2 (ryentes/careless 0a84caf)",
                  psych = as.character(packageVersion("psych"))),
  bfi = indices(items, keyed, rep(5, 5)),
  # At .60 bfi has one synonym pair and no antonyms, too few for a person's correlation; at
  # .40 it has enough of both.
  bfi_critval_040 = indices(items, keyed, rep(5, 5), synonym_critval = 0.40),
  holzinger = indices(tests, tests, rep(3, 3))
)
dir.create("tests/data/reference", showWarnings = FALSE, recursive = TRUE)
write_json(reference, "tests/data/reference/careless.json", digits = NA, auto_unbox = TRUE,
           na = "null", pretty = TRUE)
message("wrote tests/data/reference/careless.json")
