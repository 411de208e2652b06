# Reference values for kith's group comparisons (issue 18), computed with base R: t.test
# (Welch's and Student's), aov and oneway.test (Welch's ANOVA), chisq.test (with Yates's
# correction on 2 x 2 tables, R's default), wilcox.test (exact and normal), kruskal.test, and
# the effect sizes from their definitions (the rank-biserial r = 2W / (n1 n2) - 1).
#
# Run from the repository root:   Rscript tests/r/comparisons.R
# Needs Debian's r-base-core and r-cran-jsonlite. It (re)writes tests/data/toothgrowth.csv
# and tests/data/reference/comparisons.json; the tests compare kith with these files and
# never need R.
#
# Data: R's ToothGrowth (tooth length of 60 guinea pigs by supplement and dose) and bfi's age,
# gender and education (tests/data/bfi.csv, 2,800 people, education missing for 223).
#
# Effect sizes, by definition (no package): Cohen's d = (mean1 - mean2) / pooled SD; Hedges'
# g = d * J with the exact J = gamma(df/2) / (sqrt(df/2) * gamma((df - 1)/2)), df = n1 + n2 - 2;
# eta^2 = SS_between / SS_total; omega^2 = (SS_between - df_between * MS_within) /
# (SS_total + MS_within); Cramer's V = sqrt(X^2 / (n * (min(rows, cols) - 1))) from the
# uncorrected X^2.

suppressPackageStartupMessages(library(jsonlite))

tg <- ToothGrowth
tg$dose <- factor(tg$dose)
write.csv(data.frame(id = seq_len(nrow(tg)), len = tg$len, supp = as.character(tg$supp),
                     dose = as.character(tg$dose)),
          "tests/data/toothgrowth.csv", row.names = FALSE)
bfi <- read.csv("tests/data/bfi.csv")

hedges_j <- function(df) exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))

t_reference <- function(y, g, var_equal) {
  levels <- sort(unique(g[!is.na(g) & !is.na(y)]))
  a <- y[!is.na(y) & g == levels[1] & !is.na(g)]
  b <- y[!is.na(y) & g == levels[2] & !is.na(g)]
  test <- t.test(a, b, var.equal = var_equal)
  n1 <- length(a); n2 <- length(b)
  sp <- sqrt(((n1 - 1) * var(a) + (n2 - 1) * var(b)) / (n1 + n2 - 2))
  d <- (mean(a) - mean(b)) / sp
  list(groups = as.character(levels), n = c(n1, n2), mean = c(mean(a), mean(b)),
       sd = c(sd(a), sd(b)), t = unname(test$statistic), df = unname(test$parameter),
       p = test$p.value, ci = as.numeric(test$conf.int),
       difference = mean(a) - mean(b), cohens_d = d, hedges_g = d * hedges_j(n1 + n2 - 2))
}

anova_reference <- function(y, g) {
  keep <- !is.na(y) & !is.na(g)
  y <- y[keep]; g <- factor(g[keep])
  fit <- aov(y ~ g)
  table <- summary(fit)[[1]]
  ss_between <- table[1, "Sum Sq"]; ss_within <- table[2, "Sum Sq"]
  df_between <- table[1, "Df"]; df_within <- table[2, "Df"]
  ms_within <- ss_within / df_within
  welch <- oneway.test(y ~ g, var.equal = FALSE)
  list(levels = levels(g), n = as.numeric(table(g)),
       f = table[1, "F value"], df = c(df_between, df_within), p = table[1, "Pr(>F)"],
       ss_between = ss_between, ss_within = ss_within,
       eta_squared = ss_between / (ss_between + ss_within),
       omega_squared = (ss_between - df_between * ms_within) / (ss_between + ss_within + ms_within),
       welch_f = unname(welch$statistic), welch_df = unname(welch$parameter),
       welch_p = welch$p.value)
}

chi_reference <- function(x, y) {
  keep <- !is.na(x) & !is.na(y)
  tab <- table(x[keep], y[keep])
  test <- suppressWarnings(chisq.test(tab))
  plain <- suppressWarnings(chisq.test(tab, correct = FALSE))
  n <- sum(tab)
  list(rows = rownames(tab), columns = colnames(tab), counts = unclass(as.matrix(tab)),
       chi_squared = unname(test$statistic), df = unname(test$parameter), p = test$p.value,
       corrected = nrow(tab) == 2 && ncol(tab) == 2,
       uncorrected_chi_squared = unname(plain$statistic),
       cramers_v = sqrt(unname(plain$statistic) / (n * (min(dim(tab)) - 1))),
       expected = unclass(test$expected))
}

rank_reference <- function(a, b) {
  test <- suppressWarnings(wilcox.test(a, b))
  w <- unname(test$statistic)
  list(a = a, b = b, n = c(length(a), length(b)), w = w, p = test$p.value,
       exact = length(unique(c(a, b))) == length(c(a, b)) && length(a) < 50 && length(b) < 50,
       rank_biserial = 2 * w / (length(a) * length(b)) - 1)
}

kruskal_reference <- function(y, g) {
  keep <- !is.na(y) & !is.na(g)
  test <- kruskal.test(y[keep], factor(g[keep]))
  list(levels = levels(factor(g[keep])), h = unname(test$statistic),
       df = unname(test$parameter), p = test$p.value)
}

# wilcox.test's own example (Hollander & Wolfe 1973, p. 69): no ties, so the exact test.
hw_x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
hw_y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
oj <- tg$len[tg$supp == "OJ"]; vc <- tg$len[tg$supp == "VC"]
women <- bfi$age[bfi$gender == 2]; men <- bfi$age[bfi$gender == 1]
older <- ifelse(bfi$age > 30, "over 30", "30 or under")
reference <- list(
  versions = list(R = R.version.string),
  t_tests = list(
    toothgrowth_welch = c(list(data = "toothgrowth", outcome = "len", group = "supp",
                               equal_variances = FALSE),
                          t_reference(tg$len, as.character(tg$supp), FALSE)),
    toothgrowth_student = c(list(data = "toothgrowth", outcome = "len", group = "supp",
                                 equal_variances = TRUE),
                            t_reference(tg$len, as.character(tg$supp), TRUE)),
    bfi_age_by_gender = c(list(data = "bfi", outcome = "age", group = "gender",
                               equal_variances = FALSE),
                          t_reference(bfi$age, bfi$gender, FALSE))),
  anovas = list(
    toothgrowth_dose = c(list(data = "toothgrowth", outcome = "len", group = "dose"),
                         anova_reference(tg$len, as.character(tg$dose))),
    bfi_age_by_education = c(list(data = "bfi", outcome = "age", group = "education"),
                             anova_reference(bfi$age, bfi$education))),
  mann_whitney = list(
    hollander_wolfe_exact = rank_reference(hw_x, hw_y),
    toothgrowth_supp_ties = rank_reference(oj, vc),
    bfi_age_by_gender = rank_reference(men, women)),
  kruskal_wallis = list(
    toothgrowth_dose = c(list(data = "toothgrowth", outcome = "len", group = "dose"),
                         kruskal_reference(tg$len, as.character(tg$dose))),
    bfi_age_by_education = c(list(data = "bfi", outcome = "age", group = "education"),
                             kruskal_reference(bfi$age, bfi$education))),
  chi_squared = list(
    bfi_gender_by_education = c(list(data = "bfi", rows_variable = "gender", columns_variable = "education"),
                                chi_reference(bfi$gender, bfi$education)),
    bfi_gender_by_age = c(list(data = "bfi", rows_variable = "gender", columns_variable = "older"),
                          chi_reference(bfi$gender, older)),
    toothgrowth_supp_by_dose = c(list(data = "toothgrowth", rows_variable = "supp", columns_variable = "dose"),
                                 chi_reference(as.character(tg$supp), as.character(tg$dose))))
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/data/reference/comparisons.json")
cat("wrote tests/data/reference/comparisons.json and tests/data/toothgrowth.csv\n")
