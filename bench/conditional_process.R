# The R side of kith's model-7 benchmark: PROCESS model 7 (W moderates X -> M) with 10,000
# bootstrap resamples by the boot package, the way an R user without PROCESS would run it.
#
# Usage: Rscript bench/conditional_process.R generate FILE.csv   (writes n = 2,000 rows)
#        Rscript bench/conditional_process.R boot FILE.csv
#        Rscript bench/conditional_process.R lavaan FILE.csv  (the same model in lavaan::sem
#                                                             with se = "bootstrap")
# The statistic: the index of moderated mediation a3 * b and the conditional indirect effects
# at W's 16th, 50th and 84th percentiles (quantile type 6), from two lm fits per resample.

args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "generate") {
  set.seed(7)
  n <- 2000
  x <- rnorm(n); w <- rnorm(n)
  m <- 0.4 * x + 0.2 * w + 0.15 * x * w + rnorm(n)
  y <- 0.3 * m + 0.1 * x + rnorm(n)
  write.csv(data.frame(id = seq_len(n), x, w, m, y), args[2], row.names = FALSE)
  quit(save = "no")
}
data <- read.csv(args[2])
probes <- unname(quantile(data$w, c(0.16, 0.5, 0.84), type = 6))
if (args[1] == "lavaan") {
  suppressPackageStartupMessages(library(lavaan))
  data$xw <- data$x * data$w
  model <- sprintf("m ~ a1*x + w + a3*xw
                    y ~ b*m + x
                    index := a3*b
                    low := (a1 + a3*%.10f)*b
                    mid := (a1 + a3*%.10f)*b
                    high := (a1 + a3*%.10f)*b", probes[1], probes[2], probes[3])
  set.seed(2016)
  fit <- sem(model, data = data, se = "bootstrap", bootstrap = 10000)
  print(parameterEstimates(fit, boot.ci.type = "perc")[c("label", "est", "ci.lower", "ci.upper")])
  quit(save = "no")
}
suppressPackageStartupMessages(library(boot))
statistic <- function(d, i) {
  d <- d[i, ]
  a <- coef(lm(m ~ x + w + I(x * w), data = d))
  b <- coef(lm(y ~ x + m, data = d))[["m"]]
  c(a[[4]] * b, (a[[2]] + a[[4]] * probes) * b)
}
set.seed(2016)
fit <- boot(data, statistic, R = 10000)
print(apply(fit$t, 2, quantile, c(0.025, 0.975)))
