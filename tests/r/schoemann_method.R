# Schoemann, Boulton & Short's (2017) Monte Carlo power analysis for one mediator, reimplemented
# as an R function for kith power's reference values (tests/r/power.R) and its benchmark
# (bench/power/schoemann.R). Not run on its own: both scripts source() it from the repo root.
#
# Source of the method: their Shiny app, github.com/schoam4/mc_power_med, commit 8a978ef
# (2021-11-18), file code/one_mediator.R (the "Set N, Find Power" branch, input method
# "Standardized Coefficients") with its defaults from ui.R. What it does, and what this does:
#
#   population  corMat from the standardized paths: r(X,M) = a, r(X,Y) = a*b + c',
#               r(M,Y) = b + a*c'; SDs of X, M, Y (default 1) turn it into covMat, which must
#               be positive definite.
#   seed        set.seed(seed), then sample(1:50000, powReps) is drawn and handed to each
#               replication as a "seed" that the replication ignores (its set.seed is commented
#               out). The draw still moves the random stream, so it is kept here.
#   per rep     dat <- MASS::mvrnorm(N, mu = c(0, 0, 0), Sigma = covMat)   (empirical = FALSE)
#               m1 <- lm(M ~ X); m2 <- lm(Y ~ M + X)
#               estimates (a, b) = (coef(m1)[2], coef(m2)[2]); their covariance is
#               diag(vcov(m1)[2, 2], vcov(m2)[2, 2]): the OLS squared SEs, no covariance term.
#               MASS::mvrnorm(mcmcReps, (a, b), that diagonal matrix, empirical = FALSE)
#               ab = a* x b*; LL, UL = quantile(ab, (1 - conf) / 2) and
#               quantile(ab, (1 - conf) / 2 + conf), R's default type 7.
#               significant when LL * UL > 0 (the interval excludes 0).
#   power       the share of significant replications.
#   defaults    1,000 replications ("powReps"), 20,000 draws ("mcmcReps"), seed 1234,
#               95% confidence.
# The app takes conf in percent (95); this function takes it as a proportion (0.95).
#
# Added here (not in the app): the a and b paths' t tests at level 1 - conf, computed from the
# same fits (coefficient / SE against t with the residual df), so that path power comes free.

suppressPackageStartupMessages(library(MASS))

mc_power_med <- function(n, a, b, cp, reps = 1000, draws = 20000, conf = 0.95, seed = 1234,
                         sds = c(1, 1, 1)) {
  cor_mat <- diag(3)
  cor_mat[2, 1] <- cor_mat[1, 2] <- a
  cor_mat[3, 1] <- cor_mat[1, 3] <- a * b + cp
  cor_mat[3, 2] <- cor_mat[2, 3] <- b + a * cp
  cov_mat <- diag(sds) %*% cor_mat %*% diag(sds)
  if (!all(eigen(cov_mat)$values > 0)) stop("the correlation matrix is not positive definite")

  low <- (1 - conf) / 2
  upp <- (1 - conf) / 2 + conf
  one_rep <- function(ignored_seed) {
    dat <- mvrnorm(n, mu = c(0, 0, 0), Sigma = cov_mat)
    m1 <- lm(dat[, 2] ~ dat[, 1])
    m2 <- lm(dat[, 3] ~ dat[, 2] + dat[, 1])
    pest <- c(coef(m1)[2], coef(m2)[2])
    covmat <- diag(c(diag(vcov(m1))[2], diag(vcov(m2))[2]))
    mcmc <- mvrnorm(draws, pest, covmat, empirical = FALSE)
    ab <- mcmc[, 1] * mcmc[, 2]
    LL <- quantile(ab, low)
    UL <- quantile(ab, upp)
    t_stat <- pest / sqrt(diag(covmat))
    p <- unname(2 * pt(-abs(t_stat), c(df.residual(m1), df.residual(m2))))
    c(indirect = unname(LL * UL > 0), a = p[1] < 1 - conf, b = p[2] < 1 - conf)
  }

  if (!is.null(seed)) set.seed(seed)
  sig <- vapply(sample(1:50000, reps), one_rep, logical(3))
  rates <- rowMeans(sig)
  list(n = n, reps = reps, draws = draws, conf = conf,
       power = unname(rates["indirect"]), a_power = unname(rates["a"]),
       b_power = unname(rates["b"]))
}
