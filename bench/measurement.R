# The R side of kith's measurement-model benchmark: lavaan::cfa() of the bundled survey's five
# networking motives (20 items, four per factor) on the same file kith analyzes.
#
# Usage: Rscript bench/measurement.R FILE.csv ml|mlr
#   ml:  cfa(model, data), lavaan's defaults (ML, listwise, expected information)
#   mlr: cfa(model, data, estimator = "MLR"): Huber-White standard errors, Yuan-Bentler test
# Then fitMeasures(), parameterEstimates() and standardizedSolution(), which kith's results
# hold too. Prints the seconds each step took to stderr.

suppressPackageStartupMessages({
  library(data.table)
  library(lavaan)
})
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
estimator <- toupper(args[2])
started <- proc.time()[["elapsed"]]
data <- as.data.frame(fread(file))
read_seconds <- proc.time()[["elapsed"]] - started
model <- "
  helping_motive =~ help_1 + help_2 + help_3 + help_4
  enjoyment_motive =~ enjoy_1 + enjoy_2 + enjoy_3 + enjoy_4
  strategic_motive =~ strat_1 + strat_2 + strat_3 + strat_4
  obligation_motive =~ oblig_1 + oblig_2 + oblig_3 + oblig_4
  status_motive =~ status_1 + status_2 + status_3 + status_4
"
started <- proc.time()[["elapsed"]]
fit <- cfa(model, data = data, estimator = estimator)
measures <- fitMeasures(fit)
estimates <- parameterEstimates(fit)
standardized <- standardizedSolution(fit)
print(measures[c("npar", "chisq", "df", "cfi", "tli", "rmsea", "srmr")])
message(sprintf("read %.2f s, cfa %s %.2f s (n = %d)", read_seconds, estimator,
                proc.time()[["elapsed"]] - started, lavInspect(fit, "nobs")))
