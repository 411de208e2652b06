# The R side of kith's screening benchmark: data.table::fread, then every index of the careless
# package (1.2.2) that kith screen computes: longstring(avg = TRUE), irv(), mahad(flag = TRUE),
# evenodd() over the ten keyed scales, psychsyn() and psychant() (resample_na = FALSE).
#
# careless is not packaged by Debian and CRAN is out of reach here, so its R files are sourced
# from a clone of its repository (see tests/r/careless.R).
# Usage: Rscript bench/careless.R FILE.csv PATH/TO/careless/R
# Prints the seconds each step took to stderr.

suppressPackageStartupMessages({
  library(data.table)
  library(psych)
})
args <- commandArgs(trailingOnly = TRUE)
for (file in c("longstring.R", "irv.R", "mahad.R", "evenodd.R", "psychsyn.R")) {
  source(file.path(args[2], file))
}
started <- proc.time()[["elapsed"]]
data <- as.data.frame(fread(args[1]))
read_seconds <- proc.time()[["elapsed"]] - started
items <- data[, -1]
# Ten scales of six items; items 2 and 5 of each are reverse keyed (see kith-bench-generate).
keyed <- items
for (s in 1:10) for (i in c(2, 5)) {
  column <- sprintf("s%d_%d", s, i)
  keyed[[column]] <- 6 - keyed[[column]]
}
times <- c()
step <- function(name, expr) {
  started <- proc.time()[["elapsed"]]
  force(expr)
  times[[name]] <<- proc.time()[["elapsed"]] - started
}
step("longstring", longstring(items, avg = TRUE))
step("irv", irv(items))
step("mahad", mahad(items, plot = FALSE, flag = TRUE))
step("evenodd", suppressWarnings(evenodd(keyed, rep(6, 10))))
step("psychsyn", tryCatch(psychsyn(items, resample_na = FALSE), error = function(e) NULL))
step("psychant", tryCatch(psychsyn(items, anto = TRUE, resample_na = FALSE),
                          error = function(e) NULL))
message(sprintf("read %.2f s, %s", read_seconds,
                paste(sprintf("%s %.2f s", names(times), unlist(times)), collapse = ", ")))
