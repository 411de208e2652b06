# Reference values for kith power (simulation-based power analysis): analytic power from the
# pwr package for a two-predictor regression and Pearson correlations, checked by a small
# simulation in R, and Schoemann, Boulton & Short's (2017) Monte Carlo power for one mediator
# (their Shiny app's method, reimplemented in tests/r/schoemann_method.R).
#
# Run from the repository root:   Rscript tests/r/power.R
# Needs Debian's r-base-core, r-cran-pwr, r-cran-mass and r-cran-jsonlite. It (re)writes
# tests/data/power/reference.json; the tests compare kith with that file and never need R.
# Takes a few minutes (six mediation runs of 5,000 replications x 20,000 draws).
#
# (a) Regression. Population: x1 ~ N(0, 1); x2 = 0.3 x1 + sqrt(0.91) e2;
#     y = 0.25 x1 + 0 x2 + sqrt(0.9375) e3 (every e standard normal and independent), so all
#     variances are 1, r(x1, x2) = 0.3, r(x1, y) = 0.25, r(x2, y) = 0.075. Analysis:
#     lm(y ~ x1 + x2) and cor.test. Analytic power at alpha = 0.05 (R² from the population
#     covariance matrix): x1's t test = pwr.f2.test(u = 1, v = n - 3, f2 = (R²full -
#     R²(y ~ x2)) / (1 - R²full)); the overall F test = pwr.f2.test(u = 2, v = n - 3,
#     f2 = R²full / (1 - R²full)); the correlation tests = pwr.r.test(n, r). x2's coefficient
#     is 0, so its rejection rate is alpha. A simulation of 2,000 replications per n sits
#     beside each analytic number.
# (b) Mediation. X ~ N(0, 1); M = 0.3 X + sqrt(0.91) e; Y = 0.1 X + 0.3 M + sqrt(1 - 0.118) e.
#     Power of the indirect effect a*b (95% Monte Carlo interval excludes 0) and of the a and b
#     paths' t tests, n = 50, 100, 150, 200, 5,000 replications x 20,000 draws; and with b = 0
#     (Y = 0.1 X + sqrt(0.99) e) the indirect effect's type I rate at n = 100 and 200 (near
#     alpha here, not far below it: a = 0.3 is large, so a*b's interval behaves like b's test). Each
#     run uses the app's default seed, 1234, so each number is what the app would report for
#     these inputs with 5,000 replications.
#
# Monte Carlo SEs are sqrt(p (1 - p) / reps).

suppressPackageStartupMessages({
  library(pwr)
  library(MASS)
  library(jsonlite)
})
source("tests/r/schoemann_method.R")

alpha <- 0.05
mcse <- function(p, reps) sqrt(p * (1 - p) / reps)

#--- (a) regression and correlations -------------------------------------------------------#

# Structural coefficients: (x1, x2, y) = L e with e ~ N(0, I).
L <- rbind(c(1, 0, 0),
           c(0.3, sqrt(0.91), 0),
           c(0.25 + 0 * 0.3, 0 * sqrt(0.91), sqrt(0.9375)))
Sigma <- L %*% t(L)
dimnames(Sigma) <- list(c("x1", "x2", "y"), c("x1", "x2", "y"))
Sxx <- Sigma[1:2, 1:2]
sxy <- Sigma[1:2, 3]
r2_full <- drop(t(sxy) %*% solve(Sxx, sxy)) / Sigma[3, 3]
r2_reduced <- Sigma[2, 3]^2 / (Sigma[2, 2] * Sigma[3, 3])
f2_x1 <- (r2_full - r2_reduced) / (1 - r2_full)
f2_overall <- r2_full / (1 - r2_full)
r_x1y <- Sigma[1, 3] / sqrt(Sigma[1, 1] * Sigma[3, 3])
r_x2y <- Sigma[2, 3] / sqrt(Sigma[2, 2] * Sigma[3, 3])
beta <- solve(Sxx, sxy)

regression_ns <- c(60, 120, 200)
analytic <- lapply(regression_ns, function(n) list(
  n = n,
  x1_coefficient = pwr.f2.test(u = 1, v = n - 3, f2 = f2_x1, sig.level = alpha)$power,
  overall_f = pwr.f2.test(u = 2, v = n - 3, f2 = f2_overall, sig.level = alpha)$power,
  cor_x1_y = pwr.r.test(n = n, r = r_x1y, sig.level = alpha)$power,
  cor_x2_y = pwr.r.test(n = n, r = r_x2y, sig.level = alpha)$power,
  x2_coefficient_type1 = alpha
))

sim_reps <- 2000
set.seed(20240601)
simulated <- lapply(regression_ns, function(n) {
  hits <- replicate(sim_reps, {
    x1 <- rnorm(n)
    x2 <- 0.3 * x1 + sqrt(0.91) * rnorm(n)
    y <- 0.25 * x1 + 0 * x2 + sqrt(0.9375) * rnorm(n)
    s <- summary(lm(y ~ x1 + x2))
    f <- s$fstatistic
    c(x1_coefficient = s$coefficients["x1", 4] < alpha,
      x2_coefficient = s$coefficients["x2", 4] < alpha,
      overall_f = pf(f[1], f[2], f[3], lower.tail = FALSE) < alpha,
      cor_x1_y = cor.test(x1, y)$p.value < alpha,
      cor_x2_y = cor.test(x2, y)$p.value < alpha)
  })
  rates <- rowMeans(hits)
  names(rates) <- sub("\\..*$", "", names(rates))
  out <- list(n = n)
  for (k in names(rates)) out[[k]] <- list(rate = unname(rates[k]),
                                           mcse = mcse(unname(rates[k]), sim_reps))
  out
})

regression <- list(
  alpha = alpha,
  population = list(
    equations = c("x1 = e1", "x2 = 0.3 x1 + sqrt(0.91) e2", "y = 0.25 x1 + 0 x2 + sqrt(0.9375) e3"),
    covariance = unname(Sigma), variables = c("x1", "x2", "y"),
    coefficients = list(x1 = unname(beta[1]), x2 = unname(beta[2])),
    r_x1_y = r_x1y, r_x2_y = r_x2y,
    r2_full = r2_full, r2_reduced_y_on_x2 = r2_reduced,
    f2_x1 = f2_x1, f2_overall = f2_overall),
  analysis = paste("lm(y ~ x1 + x2): t tests of x1 and x2, overall F test;",
                   "cor.test(x1, y), cor.test(x2, y)"),
  analytic_method = paste(
    "pwr.f2.test(u = 1, v = n - 3, f2 = f2_x1) for x1's t test;",
    "pwr.f2.test(u = 2, v = n - 3, f2 = f2_overall) for the F test;",
    "pwr.r.test(n, r) for the correlation tests;",
    "x2's coefficient is 0, its expected rate is alpha"),
  analytic = analytic,
  simulation = list(reps = sim_reps, seed = 20240601, results = simulated)
)

#--- (b) Schoemann et al.'s Monte Carlo power for one mediator ---------------------------#

med_a <- 0.3; med_b <- 0.3; med_cp <- 0.1
med_reps <- 5000; med_draws <- 20000; med_conf <- 0.95; med_seed <- 1234
mediation_ns <- c(50, 100, 150, 200)
null_ns <- c(100, 200)

summarise <- function(res) list(
  n = res$n,
  indirect = res$power, indirect_mcse = mcse(res$power, res$reps),
  a_path = res$a_power, a_path_mcse = mcse(res$a_power, res$reps),
  b_path = res$b_power, b_path_mcse = mcse(res$b_power, res$reps))

started <- proc.time()[["elapsed"]]
med_power <- lapply(mediation_ns, function(n) summarise(
  mc_power_med(n, med_a, med_b, med_cp, reps = med_reps, draws = med_draws,
               conf = med_conf, seed = med_seed)))
med_null <- lapply(null_ns, function(n) summarise(
  mc_power_med(n, med_a, 0, med_cp, reps = med_reps, draws = med_draws,
               conf = med_conf, seed = med_seed)))
message(sprintf("mediation runs took %.1f s", proc.time()[["elapsed"]] - started))

mediation <- list(
  source = paste(
    "Schoemann, Boulton & Short (2017), Shiny app github.com/schoam4/mc_power_med at commit",
    "8a978ef (2021-11-18): code/one_mediator.R (Set N, Find Power; standardized coefficients)",
    "and defaults in ui.R. Data: MASS::mvrnorm(N, 0, covMat, empirical = FALSE) from the",
    "correlation matrix r(X,M) = a, r(X,Y) = a*b + c', r(M,Y) = b + a*c' (SDs 1). Fits:",
    "lm(M ~ X), lm(Y ~ M + X). Interval: MASS::mvrnorm(mcmcReps, c(a_hat, b_hat),",
    "diag(SE_a^2, SE_b^2), empirical = FALSE), i.e. a and b drawn independently with their OLS",
    "SEs; ab = a* b*; limits quantile(ab, (1 - conf)/2) and quantile(ab, (1 - conf)/2 + conf)",
    "(type 7); significant when LL * UL > 0. Defaults: 1,000 replications, 20,000 draws, 95%,",
    "seed 1234 (set.seed(seed), then sample(1:50000, powReps) whose values are unused).",
    "Reimplemented in tests/r/schoemann_method.R; the a and b t tests are added."),
  scenario = list(
    equations = c("X = e1", "M = 0.3 X + sqrt(0.91) e2", "Y = 0.1 X + 0.3 M + sqrt(1 - 0.118) e3"),
    a = med_a, b = med_b, cp = med_cp,
    correlations = list(x_m = med_a, x_y = med_a * med_b + med_cp, m_y = med_b + med_a * med_cp),
    indirect = med_a * med_b),
  reps = med_reps, draws = med_draws, conf = med_conf, seed = med_seed,
  power = med_power,
  null_b = list(
    note = paste("b = 0 (Y = 0.1 X + sqrt(0.99) e), a = 0.3, c' = 0.1: `indirect` is the",
                 "indirect effect's type I rate; `b_path` is the b t test's type I rate.",
                 "With a = 0.3 well away from 0 the interval for a*b rejects about as often as",
                 "b's t test (near alpha); the test is markedly conservative only when a is",
                 "also near 0."),
    a = med_a, b = 0, cp = med_cp,
    correlations = list(x_m = med_a, x_y = med_cp, m_y = med_a * med_cp),
    results = med_null)
)

dir.create("tests/data/power", showWarnings = FALSE, recursive = TRUE)
out <- list(
  about = "Reference values for kith power, written by tests/r/power.R; do not edit by hand.",
  r_version = R.version.string,
  pwr_version = as.character(packageVersion("pwr")),
  mass_version = as.character(packageVersion("MASS")),
  jsonlite_version = as.character(packageVersion("jsonlite")),
  regression = regression,
  mediation = mediation
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/data/power/reference.json")
