# Reference values for kith's conditional process analysis (PROCESS models 7 and 14), from
# base R's lm and a 20,000-resample nonparametric bootstrap with the boot package.
#
# Model 7 (W moderates X -> M): M = a0 + a1 X + a2 W + a3 XW; Y = c0 + c' X + b M. The
# conditional indirect effect at W = w is (a1 + a3 w) b; the index of moderated mediation a3 b.
# Model 14 (W moderates M -> Y): M = a0 + a X; Y = c0 + c' X + b1 M + b2 W + b3 MW. The
# conditional indirect effect is a (b1 + b3 w); the index a b3 (Hayes 2022; one public R
# helper swaps the two indices). W is probed at its 16th, 50th and 84th percentiles as PROCESS
# computes them (quantile type 6).
#
# Run from the repository root:   Rscript tests/r/conditional_process.R
# Needs Debian's r-base-core, r-cran-boot and r-cran-jsonlite (about a minute). It writes
# tests/data/reference/conditional_process.json; the tests never need R.
#
# Data: R's mtcars (tests/data/analysis/mtcars.csv): X = horsepower, M = quarter-mile time,
# W = weight, Y = miles per gallon.

suppressPackageStartupMessages({ library(jsonlite); library(boot) })
cars <- read.csv("tests/data/analysis/mtcars.csv")
probes <- unname(quantile(cars$wt, c(0.16, 0.5, 0.84), type = 6))

effects <- function(d, model) {
  if (model == 7) {
    a <- coef(lm(qsec ~ hp + wt + I(hp * wt), data = d))
    b <- coef(lm(mpg ~ hp + qsec, data = d))[["qsec"]]
    c(index = a[[4]] * b, (a[[2]] + a[[4]] * probes) * b)
  } else {
    a <- coef(lm(qsec ~ hp, data = d))[["hp"]]
    y <- coef(lm(mpg ~ hp + qsec + wt + I(qsec * wt), data = d))
    c(index = a * y[[5]], a * (y[[3]] + y[[5]] * probes))
  }
}

reference_for <- function(model, resamples = 20000) {
  set.seed(7 + model)
  fit <- boot(cars, function(d, i) effects(d[i, ], model), R = resamples)
  list(model = model, probes = probes, resamples = resamples,
       estimate = unname(fit$t0),
       boot_se = unname(apply(fit$t, 2, sd)),
       ci_low = unname(apply(fit$t, 2, quantile, 0.025)),
       ci_high = unname(apply(fit$t, 2, quantile, 0.975)))
}

reference <- list(
  versions = list(R = R.version.string, boot = as.character(packageVersion("boot"))),
  model_7 = reference_for(7),
  model_14 = reference_for(14))
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/data/reference/conditional_process.json")
cat("wrote tests/data/reference/conditional_process.json\n")
