# Reference values for kith's analyses (issue 4), computed with R: lm, glm (binomial and
# poisson), sandwich's HC3, cor.test, p.adjust, psych::describe, a large bootstrap of PROCESS
# model 4, and dominance and relative weights from all-subsets lm fits.
#
# Run from the repository root:   Rscript tests/r/analysis.R
# Needs Debian's r-base-core, r-cran-psych, r-cran-jsonlite, r-cran-sandwich and r-cran-boot.
# It (re)writes tests/data/analysis/{mtcars,warpbreaks,mediation}.csv and
# tests/data/reference/analysis.json. The tests compare kith with these files and never need R.
#
# Confidence intervals of glm coefficients are Wald intervals (confint.default); R's confint()
# on a glm profiles the likelihood instead. kith reports Wald intervals, as SPSS and PROCESS do.

suppressPackageStartupMessages({
  library(jsonlite)
  library(psych)
  library(sandwich)
  library(boot)
})

out_dir <- "tests/data/analysis"
versions <- list(R = R.version.string, psych = as.character(packageVersion("psych")),
                 sandwich = as.character(packageVersion("sandwich")))

# Coefficient tables keyed by kith's term names (`factor=level`).
kith_terms <- function(names, factors) {
  for (f in names(factors)) {
    for (level in factors[[f]]) names <- sub(paste0("^", f, level, "$"), paste0(f, "=", level), names)
  }
  names
}

ols_reference <- function(fit, data, factors = list(), vcov = NULL) {
  s <- summary(fit)
  V <- if (is.null(vcov)) stats::vcov(fit) else vcov
  b <- coef(fit)
  se <- sqrt(diag(V))
  t <- b / se
  df <- fit$df.residual
  p <- 2 * pt(-abs(t), df)
  q <- qt(0.975, df)
  X <- model.matrix(fit)
  y <- model.response(model.frame(fit))
  beta <- c(NA, b[-1] * apply(X[, -1, drop = FALSE], 2, sd) / sd(y))
  terms <- kith_terms(names(b), factors)
  coefficients <- lapply(seq_along(b), function(j) list(
    term = terms[j], b = unname(b[j]), se = unname(se[j]), t = unname(t[j]), p = unname(p[j]),
    ci = unname(c(b[j] - q * se[j], b[j] + q * se[j])), beta = unname(beta[j])))
  k <- length(b) - 1
  f <- if (is.null(vcov)) unname(s$fstatistic[1]) else {
    slopes <- b[-1]; as.numeric(t(slopes) %*% solve(V[-1, -1]) %*% slopes) / k
  }
  list(coefficients = coefficients, n = nrow(X), r2 = s$r.squared, adj_r2 = s$adj.r.squared,
       f = f, df1 = k, df2 = df, p = pf(f, k, df, lower.tail = FALSE), sigma = s$sigma)
}

# The variance inflation factor of each design column: 1/(1 - R^2) of the column regressed on
# the model's other columns (car::vif gives the same for one-df terms).
vif_reference <- function(fit, factors = list()) {
  X <- model.matrix(fit)[, -1, drop = FALSE]
  vif <- sapply(seq_len(ncol(X)), function(j) 1 / (1 - summary(lm(X[, j] ~ X[, -j]))$r.squared))
  setNames(as.list(vif), kith_terms(colnames(X), factors))
}

# The omnibus test of a factor: R's drop1 (an F test for lm, a likelihood-ratio chi-square for
# glm), or the Wald F of its dummies with a given covariance (HC3).
drop1_reference <- function(fit, term) {
  if (inherits(fit, "glm")) {
    d <- drop1(fit, test = "Chisq")
    return(list(factor = term, chi_square = d[term, "LRT"], df1 = d[term, "Df"],
                p = d[term, "Pr(>Chi)"]))
  }
  d <- drop1(fit, test = "F")
  list(factor = term, f = d[term, "F value"], df1 = d[term, "Df"], df2 = fit$df.residual,
       p = d[term, "Pr(>F)"])
}
wald_reference <- function(fit, V, term) {
  b <- coef(fit)
  idx <- grep(paste0("^", term), names(b))
  q <- length(idx)
  f <- as.numeric(t(b[idx]) %*% solve(V[idx, idx]) %*% b[idx]) / q
  list(factor = term, f = f, df1 = q, df2 = fit$df.residual,
       p = pf(f, q, fit$df.residual, lower.tail = FALSE))
}

block_reference <- function(reduced, full) {
  a <- anova(reduced, full)
  list(r2_first = summary(reduced)$r.squared,
       delta_r2 = summary(full)$r.squared - summary(reduced)$r.squared,
       f_change = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p = a$`Pr(>F)`[2])
}

glm_reference <- function(fit, factors = list()) {
  s <- summary(fit)
  b <- coef(fit)
  se <- sqrt(diag(vcov(fit)))
  z <- b / se
  ci <- confint.default(fit)
  terms <- kith_terms(names(b), factors)
  coefficients <- lapply(seq_along(b), function(j) list(
    term = terms[j], b = unname(b[j]), se = unname(se[j]), z = unname(z[j]),
    p = unname(2 * pnorm(-abs(z[j]))), ci = unname(ci[j, ])))
  ll <- as.numeric(logLik(fit))
  response <- model.response(model.frame(fit))
  null <- glm(response ~ 1, family = fit$family)
  ll0 <- as.numeric(logLik(null))
  n <- nobs(fit)
  list(coefficients = coefficients, n = n, deviance = deviance(fit),
       null_deviance = fit$null.deviance, df_residual = fit$df.residual, aic = AIC(fit),
       log_likelihood = ll, mcfadden_r2 = 1 - ll / ll0,
       nagelkerke_r2 = (1 - exp(2 / n * (ll0 - ll))) / (1 - exp(2 / n * ll0)),
       dispersion = sum(residuals(fit, type = "pearson")^2) / fit$df.residual,
       lr_chi_square = fit$null.deviance - deviance(fit),
       lr_p = pchisq(fit$null.deviance - deviance(fit), length(b) - 1, lower.tail = FALSE))
}

correlation_reference <- function(data, variables, method, adjust) {
  pairs <- list()
  for (i in 1:(length(variables) - 1)) for (j in (i + 1):length(variables)) {
    x <- data[[variables[i]]]; y <- data[[variables[j]]]
    test <- suppressWarnings(cor.test(x, y, method = method, exact = FALSE))
    r <- unname(test$estimate)
    n <- length(x)
    z <- atanh(r); half <- qnorm(0.975) / sqrt(n - 3)
    pairs[[length(pairs) + 1]] <- list(x = variables[i], y = variables[j], r = r, n = n,
      p = test$p.value, ci = c(tanh(z - half), tanh(z + half)))
  }
  adjusted <- p.adjust(sapply(pairs, function(p) p$p), adjust)
  for (k in seq_along(pairs)) pairs[[k]]$p_adjusted <- adjusted[k]
  pairs
}

describe_reference <- function(data, variables) {
  d <- psych::describe(data[variables], type = 3)
  lapply(variables, function(v) {
    row <- d[v, ]
    list(variable = v, n = row$n, mean = row$mean, sd = row$sd, median = row$median,
         min = row$min, max = row$max, skew = row$skew, kurtosis = row$kurtosis, se = row$se)
  })
}

# Dominance analysis' general weights and Johnson's relative weights, from lm fits.
importance_reference <- function(data, outcome, predictors) {
  p <- length(predictors)
  r2 <- function(set) if (length(set) == 0) 0 else
    summary(lm(reformulate(set, outcome), data = data))$r.squared
  subsets <- lapply(0:(2^p - 1), function(mask) predictors[bitwAnd(mask, 2^(0:(p - 1))) > 0])
  fits <- sapply(subsets, r2)
  general <- sapply(seq_len(p), function(j) {
    by_size <- sapply(0:(p - 1), function(size) {
      increments <- c()
      for (m in seq_along(subsets)) {
        set <- subsets[[m]]
        if (length(set) == size && !(predictors[j] %in% set)) {
          with_j <- which(sapply(subsets, function(s) setequal(s, c(set, predictors[j]))))
          increments <- c(increments, fits[with_j] - fits[m])
        }
      }
      mean(increments)
    })
    mean(by_size)
  })
  R <- cor(data[c(predictors, outcome)])
  Rxx <- R[predictors, predictors]; rxy <- R[predictors, outcome]
  e <- eigen(Rxx)
  Lambda <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(Lambda, rxy)
  relative <- as.numeric((Lambda^2) %*% (beta^2))
  list(predictors = predictors, r2 = r2(predictors), dominance = general, relative_weights = relative)
}

# PROCESS model 4 with parallel mediators: OLS paths and a large percentile bootstrap.
mediation_reference <- function(data, x, ms, y, covariates = character(), resamples = 50000, seed = 1) {
  data <- data[complete.cases(data[c(x, ms, y, covariates)]), ]
  n <- nrow(data)
  path <- function(fit, term) {
    s <- summary(fit)$coefficients
    ci <- confint(fit)[term, ]
    list(b = s[term, 1], se = s[term, 2], t = s[term, 3], p = s[term, 4], ci = unname(ci))
  }
  a <- lapply(ms, function(m) path(lm(reformulate(c(x, covariates), m), data = data), x))
  y_fit <- lm(reformulate(c(x, ms, covariates), y), data = data)
  b <- lapply(ms, function(m) path(y_fit, m))
  c_prime <- path(y_fit, x)
  c_total <- path(lm(reformulate(c(x, covariates), y), data = data), x)
  indirect <- sapply(seq_along(ms), function(j) a[[j]]$b * b[[j]]$b)
  X_m <- cbind(1, as.matrix(data[c(x, covariates)]))
  X_y <- cbind(1, as.matrix(data[c(x, ms, covariates)]))
  M <- as.matrix(data[ms]); Y <- data[[y]]
  set.seed(seed)
  draws <- matrix(NA, resamples, 3 * length(ms) + 3)
  for (r in 1:resamples) {
    i <- sample.int(n, n, replace = TRUE)
    bb <- .lm.fit(X_y[i, ], Y[i])$coefficients
    ab <- sapply(seq_along(ms), function(j) .lm.fit(X_m[i, ], M[i, j])$coefficients[2] * bb[2 + j])
    scale <- sd(data[[x]][i]) / sd(Y[i])
    draws[r, ] <- c(ab, sum(ab), ab * scale, sum(ab) * scale, ab / sd(Y[i]), sum(ab) / sd(Y[i]))
  }
  scale <- sd(data[[x]]) / sd(Y)
  # Each indirect effect and their total; completely standardized (a*b*SD(x)/SD(y)); partially
  # standardized (a*b/SD(y), Hayes' effect size for a two-valued x).
  point <- c(indirect, sum(indirect), indirect * scale, sum(indirect) * scale,
             indirect / sd(Y), sum(indirect) / sd(Y))
  effects <- lapply(seq_len(ncol(draws)), function(k) list(
    estimate = point[k], boot_se = sd(draws[, k]),
    ci = unname(quantile(draws[, k], c(0.025, 0.975)))))
  list(x = x, m = ms, y = y, covariates = covariates, n = n, a = a, b = b, c = c_total,
       c_prime = c_prime, resamples = resamples, effects = effects)
}

# The BCa interval of a simple indirect effect with boot::boot.ci, acceleration from the
# jackknife (empinf type "jack"), as kith computes it.
bca_reference <- function(data, x, m, y, resamples, seed) {
  data <- data[complete.cases(data[c(x, m, y)]), ]
  statistic <- function(d, i) {
    d <- d[i, ]
    a <- coef(lm.fit(cbind(1, d[[x]]), d[[m]]))[2]
    b <- coef(lm.fit(cbind(1, d[[x]], d[[m]]), d[[y]]))[3]
    unname(a * b)
  }
  set.seed(seed)
  b <- boot::boot(data, statistic, R = resamples)
  ci <- boot::boot.ci(b, conf = 0.95, type = "bca", L = boot::empinf(b, type = "jack"))
  list(estimate = b$t0, boot_se = sd(b$t[, 1]), ci = unname(ci$bca[1, 4:5]), resamples = resamples)
}

# --- mtcars: OLS with a categorical control, HC3, logistic, correlations, describe ---------
mtcars_data <- data.frame(car = rownames(mtcars), mtcars, row.names = NULL)
mtcars_data$cylinders <- c("4" = "four", "6" = "six", "8" = "eight")[as.character(mtcars$cyl)]
write.csv(mtcars_data, file.path(out_dir, "mtcars.csv"), row.names = FALSE, quote = FALSE)
mtcars_data$cylinders <- factor(mtcars_data$cylinders, levels = c("four", "six", "eight"))
cyl_levels <- list(cylinders = c("six", "eight"))
full <- lm(mpg ~ cylinders + wt + hp, data = mtcars_data)
reduced <- lm(mpg ~ cylinders, data = mtcars_data)
mtcars_reference <- list(
  # Model 1 of the hierarchical regression is the controls alone ("controls").
  ols = c(ols_reference(full, mtcars_data, cyl_levels),
          list(blocks = block_reference(reduced, full),
               controls = ols_reference(reduced, mtcars_data, cyl_levels),
               vif = vif_reference(full, cyl_levels),
               factor_tests = list(drop1_reference(full, "cylinders")))),
  hc3 = c(ols_reference(full, mtcars_data, cyl_levels, vcov = sandwich::vcovHC(full, type = "HC3")),
          list(controls = ols_reference(reduced, mtcars_data, cyl_levels,
                                        vcov = sandwich::vcovHC(reduced, type = "HC3")))),
  logistic = glm_reference(glm(am ~ hp + wt, family = binomial, data = mtcars_data)),
  pearson = correlation_reference(mtcars_data, c("mpg", "wt", "hp", "qsec"), "pearson", "holm"),
  spearman = correlation_reference(mtcars_data, c("mpg", "wt", "hp", "qsec"), "spearman", "BH"),
  describe = describe_reference(mtcars_data, c("mpg", "wt", "hp", "qsec")),
  importance = importance_reference(mtcars_data, "mpg", c("wt", "hp", "disp", "qsec")),
  mediation = mediation_reference(mtcars_data, "hp", "wt", "mpg", resamples = 50000, seed = 4),
  # A two-valued x (am: 0 automatic, 1 manual), whose effect size is partially standardized.
  two_valued = mediation_reference(mtcars_data, "am", "wt", "mpg", resamples = 50000, seed = 5),
  bca = bca_reference(mtcars_data, "hp", "wt", "mpg", resamples = 50000, seed = 8)
)

# --- warpbreaks: Poisson with two categorical predictors and a named reference -------------
write.csv(warpbreaks, file.path(out_dir, "warpbreaks.csv"), row.names = FALSE, quote = FALSE)
warp <- warpbreaks
poisson_full <- glm(breaks ~ wool + tension, family = poisson, data = warp)
poisson_reduced <- glm(breaks ~ wool, family = poisson, data = warp)
warpbreaks_reference <- list(
  poisson = c(glm_reference(poisson_full, list(wool = "B", tension = c("M", "H"))),
              list(controls = glm_reference(poisson_reduced, list(wool = "B")),
                   # car::vif's one-df formula on a glm: its estimates' (weighted) covariance.
                   vif = setNames(as.list(diag(solve(cov2cor(vcov(poisson_full)[-1, -1])))),
                                  kith_terms(names(coef(poisson_full))[-1],
                                             list(wool = "B", tension = c("M", "H")))),
                   factor_tests = list(drop1_reference(poisson_full, "tension")),
                   block_chi_square = deviance(poisson_reduced) - deviance(poisson_full),
                   block_p = pchisq(deviance(poisson_reduced) - deviance(poisson_full), 2,
                                    lower.tail = FALSE)))
)

# --- mtcars' numeric code cyl made a factor with named levels (tests/data/analysis/condition.yaml)
coded_data <- mtcars_data
coded_data$cyl <- factor(c("4" = "four", "6" = "six", "8" = "eight")[as.character(mtcars$cyl)],
                         levels = c("four", "six", "eight"))
coded <- lm(mpg ~ cyl + wt, data = coded_data)
coded_levels <- list(cyl = c("six", "eight"))
condition_reference <- list(
  ols = c(ols_reference(coded, coded_data, coded_levels),
          list(factor_tests = list(drop1_reference(coded, "cyl")))),
  hc3 = c(ols_reference(coded, coded_data, coded_levels,
                        vcov = sandwich::vcovHC(coded, type = "HC3")),
          list(factor_tests = list(wald_reference(coded, sandwich::vcovHC(coded, type = "HC3"), "cyl"))))
)

# --- generated data: two parallel mediators and a covariate --------------------------------
set.seed(20161)
n <- 400
w <- rnorm(n)
x <- 0.3 * w + rnorm(n)
m1 <- 0.5 * x + 0.2 * w + rnorm(n)
m2 <- -0.3 * x + rnorm(n)
y <- 0.4 * m1 + 0.3 * m2 + 0.1 * x + 0.2 * w + rnorm(n)
generated <- data.frame(id = sprintf("g%03d", 1:n), x = round(x, 6), m1 = round(m1, 6),
                        m2 = round(m2, 6), y = round(y, 6), w = round(w, 6))
generated$x[c(5, 77)] <- NA
generated$m2[c(150)] <- NA
write.csv(generated, file.path(out_dir, "mediation.csv"), row.names = FALSE, quote = FALSE, na = "")
generated <- read.csv(file.path(out_dir, "mediation.csv"))
generated_reference <- list(
  parallel = mediation_reference(generated, "x", c("m1", "m2"), "y", covariates = "w",
                                 resamples = 50000, seed = 5)
)

# --- the bundled example: the study's plan, with scores computed here from the items --------
# kith leaves out sessions that did not complete (here: those the screening question ended).
example <- read.csv("analysis/example/responses.csv")
example <- example[example$status == "complete", ]
# The plan's pre-registered exclusions: a failed attention check (the survey's one check,
# `attn_motives`, expects 4; a skipped check fails), or one answer to 30 or more
# of the survey's 59 rating items in a row (the longest run, as careless::longstring counts it:
# a missing answer ends a run).
rating_items <- c(paste0("help_", 1:4), paste0("enjoy_", 1:4), paste0("strat_", 1:4),
                  paste0("oblig_", 1:4), paste0("status_", 1:4),
                  "int_build_1", "int_build_2", "int_maintain_1", "int_maintain_2",
                  "int_use_1", "int_use_2", "ext_build_1", "ext_build_2", "ext_maintain_1",
                  "ext_maintain_2", "ext_use_1", "ext_use_2", paste0("gje_", 1:7),
                  paste0("ti_", 1:3), paste0("cs_", 1:5), paste0("wami_", 1:10),
                  "work_quality", "work_meaning")
longest_run <- apply(as.matrix(example[rating_items]), 1, function(row) max(rle(row)$lengths))
attention_failed <- is.na(example$attn_motives) | example$attn_motives != 4
excluded <- attention_failed | longest_run >= 30
example <- example[!excluded, ]
score <- function(items, min_answered, reverse = character()) {
  X <- example[items]
  for (r in reverse) X[[r]] <- 6 - X[[r]]
  answered <- rowSums(!is.na(X))
  s <- rowMeans(X, na.rm = TRUE)
  s[answered < min_answered] <- NA
  s
}
motives <- c("helping_motive", "enjoyment_motive", "strategic_motive", "obligation_motive", "status_motive")
example$helping_motive <- score(paste0("help_", 1:4), 3)
example$enjoyment_motive <- score(paste0("enjoy_", 1:4), 3)
example$strategic_motive <- score(paste0("strat_", 1:4), 3)
example$obligation_motive <- score(paste0("oblig_", 1:4), 3)
example$status_motive <- score(paste0("status_", 1:4), 3)
example$internal_networking <- score(c("int_build_1", "int_build_2", "int_maintain_1", "int_maintain_2", "int_use_1", "int_use_2"), 4)
example$external_networking <- score(c("ext_build_1", "ext_build_2", "ext_maintain_1", "ext_maintain_2", "ext_use_1", "ext_use_2"), 4)
example$embeddedness <- score(paste0("gje_", 1:7), 5, reverse = "gje_6")
example$turnover_intentions <- score(paste0("ti_", 1:3), 2)
example$career_satisfaction <- score(paste0("cs_", 1:5), 4)
example$wami_total <- score(paste0("wami_", 1:10), 8, reverse = "wami_3")
example$gender <- factor(example$gender, levels = c(1, 2, 3, 9),
  labels = c("Woman", "Man", "Non-binary or another gender", "Prefer not to say"))
gender_levels <- list(gender = c("Man", "Non-binary or another gender", "Prefer not to say"))
controls <- c("age", "gender", "tenure_years")
example_model <- function(outcome, family = NULL, robust = FALSE) {
  f <- reformulate(c(controls, motives), outcome)
  if (is.null(family)) {
    fit <- lm(f, data = example)
    frame <- model.frame(fit)
    reduced <- lm(reformulate(controls, outcome), data = frame)
    c(ols_reference(fit, example, gender_levels,
                    vcov = if (robust) sandwich::vcovHC(fit, type = "HC3") else NULL),
      list(blocks = block_reference(reduced, fit)))
  } else {
    glm_reference(glm(f, family = family, data = example), gender_levels)
  }
}
# The organization of the first 150 respondents (analysis/example/responses-roster.csv): each
# member's in-degree in the advice and friendship networks as igraph counts it; respondents
# outside the organization have none (NA), so the network model uses the members alone.
roster <- read.csv("analysis/example/responses-roster.csv")
indegree_of <- function(relation) {
  edges <- read.csv(sprintf("analysis/example/responses-%s-edges.csv", relation))
  g <- igraph::graph_from_data_frame(edges, directed = TRUE, vertices = roster)
  igraph::degree(g, mode = "in")[example$respondent_id]
}
example$advice_indegree <- unname(indegree_of("advice"))
example$friendship_indegree <- unname(indegree_of("friendship"))
network_fit <- lm(turnover_intentions ~ tenure_years + advice_indegree + friendship_indegree,
                  data = example)
network_reference <- c(ols_reference(network_fit, example),
  list(blocks = block_reference(lm(turnover_intentions ~ tenure_years,
                                   data = model.frame(network_fit)), network_fit)))
example_reference <- list(
  career_satisfaction = example_model("career_satisfaction"),
  wami_total = example_model("wami_total"),
  salary = example_model("salary", robust = TRUE),
  raises = example_model("raises", poisson),
  job_offers = example_model("job_offers", poisson),
  promoted = example_model("promoted", binomial),
  turnover_intentions = example_model("turnover_intentions"),
  turnover_network = network_reference,
  mediation = list(
    mediation_reference(example, "internal_networking", "embeddedness", "turnover_intentions", resamples = 20000, seed = 6),
    mediation_reference(example, "external_networking", "job_offers", "turnover_intentions", resamples = 20000, seed = 7)
  ),
  describe = describe_reference(example, c(motives, "salary", "job_offers"))
)

reference <- list(versions = versions, mtcars = mtcars_reference, warpbreaks = warpbreaks_reference,
                  condition = condition_reference,
                  generated = generated_reference, example = example_reference)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
           "tests/data/reference/analysis.json")
cat("wrote tests/data/reference/analysis.json\n")
