# Reference values for kith's moderation (PROCESS model 1), computed with base R's lm and
# sandwich's HC3 covariance, and the rest from PROCESS's definitions (Hayes 2022): the
# conditional effect of X at W, theta = b_x + b_xw * w, with variance v_xx + 2 w v_x,xw +
# w^2 v_xw,xw; probe values at the 16th, 50th and 84th percentiles as PROCESS computes them
# (quantile type 6), or both values of a two-valued W; the interaction plot's confidence
# bands from the design row's g'Vg; the Johnson-Neyman points as the roots
# of (b_x + b_xw w)^2 = t^2 (v_xx + 2 w v_x,xw + w^2 v_xw,xw) within W's observed range, with
# the percent of cases below and above each; the test of the interaction as the F change of
# adding the product(s) (with HC3, the Wald F of their coefficients).
#
# Run from the repository root:   Rscript tests/r/moderation.R
# Needs Debian's r-base-core, r-cran-sandwich and r-cran-jsonlite. It writes
# tests/data/reference/moderation.json; the tests never need R.
#
# Data: R's mtcars (tests/data/analysis/mtcars.csv): miles per gallon on horsepower
# moderated by weight (continuous), by transmission (am, two values) and by cylinders (a
# factor of three levels); with a covariate, mean-centring and HC3 in one model each.

suppressPackageStartupMessages({ library(jsonlite); library(sandwich) })
cars <- read.csv("tests/data/analysis/mtcars.csv")

moderation_reference <- function(x, w, y, covariates = character(0), center = FALSE,
                                 hc3 = FALSE, factor_w = FALSE, level = 0.95) {
  d <- cars
  if (center) {
    d[[x]] <- d[[x]] - mean(d[[x]])
    if (!factor_w) d[[w]] <- d[[w]] - mean(d[[w]])
  }
  if (factor_w) d[[w]] <- factor(d[[w]])
  rhs <- paste(c(x, w, paste0(x, ":", w), covariates), collapse = " + ")
  fit <- lm(as.formula(paste(y, "~", rhs)), data = d)
  reduced <- lm(as.formula(paste(y, "~", paste(c(x, w, covariates), collapse = " + "))), data = d)
  v <- if (hc3) vcovHC(fit, type = "HC3") else vcov(fit)
  b <- coef(fit); se <- sqrt(diag(v)); df <- fit$df.residual
  t <- b / se; crit <- qt(0.5 + level / 2, df)
  products <- grep(":", names(b))
  if (hc3) {
    bp <- b[products]; vp <- v[products, products, drop = FALSE]
    f <- as.numeric(t(bp) %*% solve(vp) %*% bp) / length(products)
  } else {
    f <- anova(reduced, fit)$F[2]
  }
  s <- summary(fit)
  conditional <- function(weights) {
    est <- sum(weights * b); var <- as.numeric(t(weights) %*% v %*% weights)
    list(effect = est, se = sqrt(var), t = est / sqrt(var),
         p = 2 * pt(-abs(est / sqrt(var)), df),
         ci = est + c(-1, 1) * crit * sqrt(var))
  }
  out <- list(x = x, w = w, y = y, covariates = covariates, center = center, hc3 = hc3,
              terms = names(b), b = unname(b), se = unname(se), t = unname(t),
              p = unname(2 * pt(-abs(t), df)),
              ci_low = unname(b - crit * se), ci_high = unname(b + crit * se),
              r2 = s$r.squared, df_residual = df,
              delta_r2 = s$r.squared - summary(reduced)$r.squared,
              interaction_f = f, interaction_df1 = length(products),
              interaction_p = pf(f, length(products), df, lower.tail = FALSE))
  ix <- which(names(b) == x)
  if (factor_w) {
    levels_w <- levels(d[[w]])
    out$probes <- lapply(seq_along(levels_w), function(k) {
      weights <- numeric(length(b)); weights[ix] <- 1
      if (k > 1) weights[products[k - 1]] <- 1
      c(list(level = levels_w[k]), conditional(weights))
    })
    return(out)
  }
  raw <- cars[[w]]; shift <- if (center) mean(raw) else 0
  values <- if (length(unique(raw)) == 2) sort(unique(raw)) else
    unname(quantile(raw, c(0.16, 0.5, 0.84), type = 6))
  at <- function(value) {
    weights <- numeric(length(b)); weights[ix] <- 1; weights[products[1]] <- value - shift
    c(list(w = value), conditional(weights))
  }
  out$probes <- lapply(values, at)
  # The interaction plot's bands: the predicted Y at X's mean - 1 SD, its mean and its mean +
  # 1 SD for each probe value, covariates at their means, with its confidence interval from
  # the design row (for classical errors checked against predict(interval = "confidence")).
  x_raw <- cars[[x]]
  x_at <- mean(x_raw) + c(-1, 0, 1) * sd(x_raw)
  out$bands <- lapply(values, function(value) {
    grid <- data.frame(x_at - if (center) mean(x_raw) else 0, value - shift)
    names(grid) <- c(x, w)
    for (covariate in covariates) grid[[covariate]] <- mean(cars[[covariate]])
    g <- model.matrix(delete.response(terms(fit)), grid)
    fitted <- as.numeric(g %*% b)
    half <- unname(crit * sqrt(rowSums((g %*% v) * g)))
    if (!hc3) {
      check <- predict(fit, grid, interval = "confidence", level = level)
      stopifnot(isTRUE(all.equal(unname(check[, "lwr"]), unname(fitted - half), tolerance = 1e-12)))
    }
    list(w = value, x = x_at, fit = fitted, lower = fitted - half, upper = fitted + half)
  })
  if (length(unique(raw)) > 2) {
    b1 <- b[ix]; b3 <- b[products[1]]
    qa <- b3^2 - crit^2 * v[products[1], products[1]]
    qb <- 2 * (b1 * b3 - crit^2 * v[ix, products[1]])
    qc <- b1^2 - crit^2 * v[ix, ix]
    disc <- qb^2 - 4 * qa * qc
    roots <- if (disc >= 0) sort(c((-qb - sqrt(disc)) / (2 * qa), (-qb + sqrt(disc)) / (2 * qa))) + shift else numeric(0)
    roots <- unname(roots[roots >= min(raw) & roots <= max(raw)])
    out$jn <- lapply(roots, function(r) list(w = unname(r), below = 100 * mean(raw < r),
                                            above = 100 * mean(raw > r)))
    grid <- sort(c(min(raw) + (max(raw) - min(raw)) * (0:20) / 20, roots))
    out$jn_table <- lapply(grid, at)
  }
  out
}

reference <- list(
  versions = list(R = R.version.string, sandwich = as.character(packageVersion("sandwich"))),
  models = list(
    hp_by_wt = moderation_reference("hp", "wt", "mpg"),
    hp_by_wt_centred_hc3_with_qsec = moderation_reference("hp", "wt", "mpg", "qsec",
                                                          center = TRUE, hc3 = TRUE),
    hp_by_am = moderation_reference("hp", "am", "mpg"),
    hp_by_cylinders = moderation_reference("hp", "cyl", "mpg", factor_w = TRUE)))
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/data/reference/moderation.json")
cat("wrote tests/data/reference/moderation.json\n")
