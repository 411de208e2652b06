# Reference values for kith's measurement models (issue 16), computed with lavaan and semTools:
# confirmatory factor analysis by ML (marker and std.lv identification), FIML and MLR, fit
# indices, modification indices, residual correlations, composite reliability, AVE, HTMT, and
# multi-group invariance (configural, metric, scalar, strict) with chi-square difference tests.
#
# Run from the repository root:   Rscript tests/r/measurement.R
# Needs Debian's r-base-core, r-cran-lavaan, r-cran-semtools and r-cran-jsonlite.
# It writes tests/data/reference/measurement.json; the tests compare kith with it and never
# need R.
#
# Data: R's bfi (tests/data/bfi.csv; five factors of five items, gender for invariance), with
# reverse-keyed items keyed as kith's scores key them ((1 + 6) - x), and the bundled example's
# five networking motives (analysis/example/responses.csv, its completed sessions, with the
# missing answers the simulator leaves).

suppressPackageStartupMessages({
  library(jsonlite)
  library(lavaan)
  library(semTools)
})

versions <- list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
                 semTools = as.character(packageVersion("semTools")))

bfi <- read.csv("tests/data/bfi.csv")
for (item in c("A1", "C4", "C5", "E1", "E2", "O2", "O5")) bfi[[item]] <- 7 - bfi[[item]]
bfi$gender <- factor(bfi$gender, levels = c(1, 2), labels = c("male", "female"))
bfi_model <- "
  agreeableness =~ A1 + A2 + A3 + A4 + A5
  conscientiousness =~ C1 + C2 + C3 + C4 + C5
  extraversion =~ E1 + E2 + E3 + E4 + E5
  neuroticism =~ N1 + N2 + N3 + N4 + N5
  openness =~ O1 + O2 + O3 + O4 + O5
"

example <- read.csv("analysis/example/responses.csv")
example <- example[example$status == "complete", ]
motives_model <- "
  helping_motive =~ help_1 + help_2 + help_3 + help_4
  enjoyment_motive =~ enjoy_1 + enjoy_2 + enjoy_3 + enjoy_4
  strategic_motive =~ strat_1 + strat_2 + strat_3 + strat_4
  obligation_motive =~ oblig_1 + oblig_2 + oblig_3 + oblig_4
  status_motive =~ status_1 + status_2 + status_3 + status_4
"

# The fit measures kith reports, by lavaan's names (those a fit does not have are left out).
fit_names <- c("npar", "ntotal", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df",
  "baseline.pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue",
  "rmsea.notclose.pvalue", "srmr", "logl", "unrestricted.logl", "aic", "bic", "bic2",
  "chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor", "baseline.chisq.scaled",
  "cfi.scaled", "tli.scaled", "rmsea.scaled", "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled",
  "cfi.robust", "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust")

measures <- function(fit) {
  all <- fitMeasures(fit)
  as.list(all[intersect(fit_names, names(all))])
}

parameters <- function(fit) {
  table <- parameterEstimates(fit, standardized = TRUE)
  keep <- c("lhs", "op", "rhs", "group", "est", "se", "z", "pvalue", "ci.lower", "ci.upper",
            "std.lv", "std.all")
  table[, intersect(keep, names(table))]
}

modification <- function(fit, n = 10) {
  mi <- modindices(fit, sort. = TRUE, maximum.number = n)
  mi[, c("lhs", "op", "rhs", "mi", "epc", "sepc.all")]
}

one_fit <- function(fit) {
  out <- list(
    converged = lavInspect(fit, "converged"),
    iterations = lavInspect(fit, "iterations"),
    fit = measures(fit),
    parameters = parameters(fit)
  )
  if (lavInspect(fit, "ngroups") == 1) {
    out$residual_correlations <- unclass(lavResiduals(fit, type = "cor")$cov)
    out$modification_indices <- modification(fit)
  }
  out
}

# The factor correlations with lavaan's delta-method standard errors and intervals.
factor_correlations <- function(fit) {
  table <- standardizedSolution(fit)
  latent <- lavNames(fit, "lv")
  table <- table[table$op == "~~" & table$lhs != table$rhs &
                 table$lhs %in% latent & table$rhs %in% latent, ]
  table[, c("lhs", "rhs", "est.std", "se", "ci.lower", "ci.upper")]
}

reliability <- function(fit, model, data) {
  list(
    factor_correlations_ci = factor_correlations(fit),
    composite_reliability = as.list(compRelSEM(fit)),
    ave = as.list(AVE(fit)),
    htmt = unclass(htmt(model, data = data)),
    factor_correlations = unclass(lavInspect(fit, "cor.lv"))
  )
}

invariance <- function(model, data, group, estimator, partial = character(0)) {
  steps <- list(
    configural = "none",
    metric = c("loadings"),
    scalar = c("loadings", "intercepts"),
    strict = c("loadings", "intercepts", "residuals")
  )
  fits <- lapply(steps, function(equal) {
    cfa(model, data = data, group = group, group.equal = equal, group.partial = partial,
        estimator = estimator)
  })
  differences <- lapply(2:4, function(i) {
    test <- lavTestLRT(fits[[i - 1]], fits[[i]])
    list(
      from = names(steps)[i - 1], to = names(steps)[i],
      chisq_diff = test[["Chisq diff"]][2], df_diff = test[["Df diff"]][2],
      p = test[["Pr(>Chisq)"]][2],
      delta_cfi = fitMeasures(fits[[i]], "cfi") - fitMeasures(fits[[i - 1]], "cfi"),
      delta_rmsea = fitMeasures(fits[[i]], "rmsea") - fitMeasures(fits[[i - 1]], "rmsea")
    )
  })
  list(fits = lapply(fits, function(fit) list(fit = measures(fit), parameters = parameters(fit))),
       differences = differences)
}

bfi_ml <- cfa(bfi_model, data = bfi)
motives_ml <- cfa(motives_model, data = example)
reference <- list(
  versions = versions,
  bfi = list(
    n_listwise = lavInspect(bfi_ml, "nobs"),
    ml = one_fit(bfi_ml),
    ml_std_lv = one_fit(cfa(bfi_model, data = bfi, std.lv = TRUE)),
    fiml = one_fit(cfa(bfi_model, data = bfi, missing = "ml")),
    mlr = one_fit(cfa(bfi_model, data = bfi, estimator = "MLR")),
    reliability = reliability(bfi_ml, bfi_model, bfi),
    invariance_ml = invariance(bfi_model, bfi, "gender", "ML"),
    invariance_mlr = invariance(bfi_model, bfi, "gender", "MLR"),
    # Partial invariance: one loading, one intercept and one residual variance left free
    # across the groups in every step that would constrain them.
    invariance_partial = invariance(bfi_model, bfi, "gender", "ML",
                                    partial = c("conscientiousness =~ C4", "O2 ~ 1", "N3 ~~ N3"))
  ),
  motives = list(
    n_listwise = lavInspect(motives_ml, "nobs"),
    ml = one_fit(motives_ml),
    fiml = one_fit(cfa(motives_model, data = example, missing = "ml")),
    mlr = one_fit(cfa(motives_model, data = example, estimator = "MLR")),
    fiml_mlr = one_fit(cfa(motives_model, data = example, missing = "ml", estimator = "MLR")),
    reliability = reliability(motives_ml, motives_model, example)
  )
)

write(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
      "tests/data/reference/measurement.json")
cat("wrote tests/data/reference/measurement.json\n")
