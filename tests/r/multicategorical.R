# Reference values for kith's multicategorical X (Hayes & Preacher 2014; Hayes 2022, ch. 6 and
# 10): X's levels as indicators against the first level, in mediation (PROCESS model 4) and in
# moderation (PROCESS model 1), from base R's lm, sandwich's HC3 covariance and a 20,000-resample
# nonparametric bootstrap with the boot package.
#
# Mediation: M_j = a0 + sum_i a_ij D_i (+ C); Y = c'0 + sum_i c'_i D_i + sum_j b_j M_j (+ C);
# Y = c0 + sum_i c_i D_i (+ C). The relative indirect effect of level i through M_j is a_ij b_j;
# the relative direct and total effects are c'_i and c_i; X's omnibus test in an equation is the
# F change of adding its indicators to the equation without them.
# Moderation: Y = b0 + sum_i b_i D_i + b_w W + sum_i b_iw D_i W (+ C). The relative conditional
# effect of level i at W = w is b_i + b_iw w; the omnibus test of X at w is the Wald F of those
# g - 1 effects, (L b)' (L V L')^-1 (L b) / (g - 1), which with classical errors is the F change
# of removing the indicators from the model with W centred at w (checked below with anova).
#
# Run from the repository root:   Rscript tests/r/multicategorical.R
# Needs Debian's r-base-core, r-cran-boot, r-cran-sandwich and r-cran-jsonlite (about a
# minute). It writes tests/data/reference/multicategorical.json; the tests never need R.
#
# Data: R's mtcars (tests/data/analysis/mtcars.csv), X = the number of cylinders (four, six,
# eight; four is the reference), Y = miles per gallon.

suppressPackageStartupMessages({ library(jsonlite); library(boot); library(sandwich) })
cars <- read.csv("tests/data/analysis/mtcars.csv")
cars$cylinders <- factor(cars$cylinders, levels = c("four", "six", "eight"))

path_of <- function(fit, term) {
  s <- summary(fit)$coefficients
  ci <- confint(fit)[term, ]
  list(b = s[term, 1], se = s[term, 2], t = s[term, 3], p = s[term, 4], ci = unname(ci))
}

omnibus_of <- function(full, reduced) {
  a <- anova(reduced, full)
  list(r2_change = summary(full)$r.squared - summary(reduced)$r.squared,
       f = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p = a$`Pr(>F)`[2])
}

mediation_reference <- function(m, covariates = character(0), resamples = 20000, seed = 6) {
  rhs <- function(terms) if (length(terms)) paste(terms, collapse = " + ") else "1"
  dummies <- c("cylinderssix", "cylinderseight")
  a_models <- lapply(m, function(mj)
    lm(as.formula(paste(mj, "~", rhs(c("cylinders", covariates)))), data = cars))
  a_reduced <- lapply(m, function(mj)
    lm(as.formula(paste(mj, "~", rhs(covariates))), data = cars))
  y_model <- lm(as.formula(paste("mpg ~", rhs(c("cylinders", m, covariates)))), data = cars)
  y_reduced <- lm(as.formula(paste("mpg ~", rhs(c(m, covariates)))), data = cars)
  total <- lm(as.formula(paste("mpg ~", rhs(c("cylinders", covariates)))), data = cars)
  total_reduced <- lm(as.formula(paste("mpg ~", rhs(covariates))), data = cars)
  # The statistics bootstrapped: each level's indirect effect through each mediator, each
  # level's total over the mediators, then the same divided by SD(Y).
  # A resample without one of the levels cannot estimate that level's effects (lm drops the
  # level); such resamples are left out, as kith leaves out the resamples it cannot solve.
  statistics <- function(d) {
    if (any(table(d$cylinders) == 0)) return(rep(NA_real_, 4 * length(m) + 4))
    b <- coef(lm(as.formula(paste("mpg ~", rhs(c("cylinders", m, covariates)))), data = d))[m]
    each <- c(); totals <- c()
    for (i in dummies) {
      e <- sapply(seq_along(m), function(j) coef(lm(as.formula(paste(m[j], "~",
        rhs(c("cylinders", covariates)))), data = d))[[i]] * b[[j]])
      each <- c(each, e); totals <- c(totals, sum(e))
    }
    out <- c(each, totals)
    c(out, out / sd(d$mpg))
  }
  set.seed(seed)
  fit <- boot(cars, function(d, i) statistics(d[i, ]), R = resamples)
  draws <- fit$t[complete.cases(fit$t), , drop = FALSE]
  list(m = m, failed_resamples = resamples - nrow(draws), covariates = covariates, resamples = resamples, n = nrow(cars),
       a = lapply(a_models, function(f) lapply(dummies, function(i) path_of(f, i))),
       a_omnibus = mapply(omnibus_of, a_models, a_reduced, SIMPLIFY = FALSE),
       b = lapply(m, function(mj) path_of(y_model, mj)),
       direct = lapply(dummies, function(i) path_of(y_model, i)),
       direct_omnibus = omnibus_of(y_model, y_reduced),
       total = lapply(dummies, function(i) path_of(total, i)),
       total_omnibus = omnibus_of(total, total_reduced),
       estimate = unname(fit$t0),
       boot_se = unname(apply(draws, 2, sd)),
       ci_low = unname(apply(draws, 2, quantile, 0.025)),
       ci_high = unname(apply(draws, 2, quantile, 0.975)))
}

moderation_reference <- function(w, covariates = character(0), hc3 = FALSE, center = FALSE,
                                 level = 0.95) {
  # With centring W is centred and X's indicators are not (PROCESS center = 2).
  shift <- if (center) mean(cars[[w]]) else 0
  d0 <- cars; d0[[w]] <- d0[[w]] - shift
  rhs <- paste(c("cylinders", w, paste0("cylinders:", w), covariates), collapse = " + ")
  fit <- lm(as.formula(paste("mpg ~", rhs)), data = d0)
  reduced <- lm(as.formula(paste("mpg ~", paste(c("cylinders", w, covariates), collapse = " + "))),
                data = d0)
  v <- if (hc3) vcovHC(fit, type = "HC3") else vcov(fit)
  b <- coef(fit); se <- sqrt(diag(v)); df <- fit$df.residual
  t <- b / se; crit <- qt(0.5 + level / 2, df)
  products <- grep(":", names(b))
  dummies <- match(c("cylinderssix", "cylinderseight"), names(b))
  if (hc3) {
    bp <- b[products]; vp <- v[products, products]
    f <- as.numeric(t(bp) %*% solve(vp) %*% bp) / length(products)
  } else {
    f <- anova(reduced, fit)$F[2]
  }
  raw <- cars[[w]]
  values <- if (length(unique(raw)) == 2) sort(unique(raw)) else
    unname(quantile(raw, c(0.16, 0.5, 0.84), type = 6))
  probe <- function(value) {
    l <- matrix(0, 2, length(b))
    for (i in 1:2) { l[i, dummies[i]] <- 1; l[i, products[i]] <- value - shift }
    theta <- as.numeric(l %*% b); vl <- l %*% v %*% t(l)
    omnibus_f <- as.numeric(t(theta) %*% solve(vl) %*% theta) / 2
    r2_change <- NA
    if (!hc3) {
      # With classical errors the Wald F is the F change of removing X's indicators from the
      # model with W centred at the probe value.
      d <- cars; d[[w]] <- d[[w]] - value
      at <- lm(as.formula(paste("mpg ~", rhs)), data = d)
      without <- lm(as.formula(paste("mpg ~", paste(c(w, paste0("cylinders:", w), covariates),
                                                      collapse = " + "))), data = d)
      stopifnot(isTRUE(all.equal(anova(without, at)$F[2], omnibus_f, tolerance = 1e-10)))
      r2_change <- summary(at)$r.squared - summary(without)$r.squared
    }
    effects <- lapply(1:2, function(i) {
      s <- sqrt(vl[i, i])
      list(effect = theta[i], se = s, t = theta[i] / s, p = 2 * pt(-abs(theta[i] / s), df),
           ci = theta[i] + c(-1, 1) * crit * s)
    })
    list(w = value, effects = effects, omnibus_f = omnibus_f,
         omnibus_p = pf(omnibus_f, 2, df, lower.tail = FALSE), r2_change = r2_change)
  }
  # The interaction plot's lines: each level's predicted Y at W's mean - 1 SD, its mean and its
  # mean + 1 SD (its two values and their midpoint when it has two), covariates at their means,
  # with the confidence interval from the design row (checked against predict()).
  w_at <- if (length(unique(raw)) == 2) c(min(raw), mean(range(raw)), max(raw)) else
    mean(raw) + c(-1, 0, 1) * sd(raw)
  bands <- lapply(levels(cars$cylinders), function(level_name) {
    grid <- data.frame(cylinders = factor(level_name, levels = levels(cars$cylinders)),
                       w_value = w_at - shift)
    names(grid)[2] <- w
    for (covariate in covariates) grid[[covariate]] <- mean(cars[[covariate]])
    g <- model.matrix(delete.response(terms(fit)), grid)
    fitted <- as.numeric(g %*% b)
    half <- unname(crit * sqrt(rowSums((g %*% v) * g)))
    if (!hc3) {
      check <- predict(fit, grid, interval = "confidence", level = level)
      stopifnot(isTRUE(all.equal(unname(check[, "lwr"]), fitted - half, tolerance = 1e-12)))
    }
    list(level = level_name, w = w_at, fit = fitted, lower = fitted - half,
         upper = fitted + half)
  })
  s <- summary(fit)
  list(w = w, covariates = covariates, hc3 = hc3, center = center, bands = bands,
       terms = names(b), b = unname(b),
       se = unname(se), p = unname(2 * pt(-abs(t), df)), r2 = s$r.squared, df_residual = df,
       delta_r2 = s$r.squared - summary(reduced)$r.squared, interaction_f = f,
       interaction_df1 = length(products),
       interaction_p = pf(f, length(products), df, lower.tail = FALSE),
       probes = lapply(values, probe))
}

reference <- list(
  versions = list(R = R.version.string, boot = as.character(packageVersion("boot")),
                  sandwich = as.character(packageVersion("sandwich"))),
  mediation = list(
    through_weight = mediation_reference("wt"),
    through_weight_and_qsec_with_am = mediation_reference(c("wt", "qsec"), "am", seed = 7)),
  moderation = list(
    by_weight = moderation_reference("wt"),
    by_weight_hc3_with_qsec = moderation_reference("wt", "qsec", hc3 = TRUE),
    by_transmission = moderation_reference("am"),
    by_weight_centred = moderation_reference("wt", center = TRUE)))
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/data/reference/multicategorical.json")
cat("wrote tests/data/reference/multicategorical.json\n")
