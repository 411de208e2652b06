# The R side of kith's analysis benchmark.
#
# Usage: Rscript bench/analysis.R FILE.csv lavaan|mediate|lm
#   lavaan:  sem() of x -> m -> y with se = "bootstrap", bootstrap = 10000
#   mediate: psych::mediate(y ~ x + (m), n.iter = 10000)
#   lm:      data.table::fread + lm(y ~ .) (for the OLS file)
# Prints the seconds each step took to stderr.

suppressPackageStartupMessages({
  library(data.table)
})
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
what <- args[2]
started <- proc.time()[["elapsed"]]
data <- as.data.frame(fread(file))
read_seconds <- proc.time()[["elapsed"]] - started
started <- proc.time()[["elapsed"]]
if (what == "lavaan") {
  suppressPackageStartupMessages(library(lavaan))
  model <- "m ~ a * x\n y ~ b * m + c * x\n indirect := a * b"
  fit <- sem(model, data = data, se = "bootstrap", bootstrap = 10000)
  est <- parameterEstimates(fit, boot.ci.type = "perc")
  print(est[est$label == "indirect", ])
} else if (what == "mediate") {
  suppressPackageStartupMessages(library(psych))
  fit <- psych::mediate(y ~ x + (m), data = data, n.iter = 10000, plot = FALSE)
  print(fit$boot$ci.ab)
} else if (what == "lm") {
  fit <- lm(y ~ ., data = data)
  print(coef(summary(fit))[1:3, ])
}
message(sprintf("read %.2f s, %s %.2f s", read_seconds, what, proc.time()[["elapsed"]] - started))
