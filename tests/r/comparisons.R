# Reference values for kith's group comparisons, computed with base R: t.test (Welch's and
# Student's), aov and oneway.test (Welch's ANOVA), TukeyHSD, chisq.test (with Yates's
# correction on 2 x 2 tables, R's default), fisher.test, wilcox.test (exact and normal),
# kruskal.test, and from their definitions the effect sizes (the rank-biserial r = 2W /
# (n1 n2) - 1), Cohen's d's noncentral-t interval and the Games-Howell comparisons.
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

# Tight root finding: uniroot's default tolerance (1.2e-4) is far coarser than the sixth
# decimal, so every interval found by inverting a distribution is solved to 1e-13 here.
tight_root <- function(f, interval) uniroot(f, interval, tol = 1e-13, maxiter = 1000)$root

# Cohen's d's exact interval (Steiger & Fouladi 1997; effectsize::cohens_d, MBESS::ci.smd):
# the noncentralities that put the pooled t at the (1 - level)/2 quantiles of the noncentral
# t with df = n1 + n2 - 2, rescaled by sqrt(1/n1 + 1/n2).
d_interval <- function(d, n1, n2, level = 0.95) {
  scale <- sqrt(1 / n1 + 1 / n2); t <- d / scale; df <- n1 + n2 - 2
  alpha <- (1 - level) / 2
  reach <- 20 * sqrt(1 + t^2 / (2 * df)) + 1
  lower <- tight_root(function(ncp) pt(t, df, ncp) - (1 - alpha), c(t - reach, t + reach))
  upper <- tight_root(function(ncp) pt(t, df, ncp) - alpha, c(t - reach, t + reach))
  c(lower, upper) * scale
}

# Tukey's HSD as TukeyHSD(aov(y ~ g)) reports it (rows "second-first", first < second in the
# levels' order), with the interval also from a quantile solved tightly (qtukey's own
# tolerance is about 1e-4 in q).
tukey_reference <- function(y, g, level = 0.95) {
  keep <- !is.na(y) & !is.na(g)
  y <- y[keep]; g <- factor(g[keep])
  hsd <- TukeyHSD(aov(y ~ g), conf.level = level)$g
  k <- nlevels(g); df <- length(y) - k
  mse <- sum(tapply(y, g, function(v) sum((v - mean(v))^2))) / df
  n <- as.numeric(table(g))
  q <- tight_root(function(q) ptukey(q, k, df) - level, c(0.1, 50))
  pairs <- list()
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    half <- sqrt(mse / 2 * (1 / n[i] + 1 / n[j]))
    row <- paste0(levels(g)[j], "-", levels(g)[i])
    pairs[[length(pairs) + 1]] <- list(
      first = i - 1, second = j - 1, difference = hsd[row, "diff"],
      r_ci = unname(hsd[row, c("lwr", "upr")]),
      ci = hsd[row, "diff"] + c(-1, 1) * q * half, p_adjusted = hsd[row, "p adj"])
  }
  list(levels = levels(g), df = df, pairs = pairs)
}

# Games-Howell, by its definition (Games & Howell 1976; as rstatix::games_howell_test): each
# pair's Welch SE and df, t * sqrt(2) referred to the studentized range of k means.
games_howell_reference <- function(y, g, level = 0.95) {
  keep <- !is.na(y) & !is.na(g)
  y <- y[keep]; g <- factor(g[keep])
  k <- nlevels(g); m <- tapply(y, g, mean); v <- tapply(y, g, var); n <- as.numeric(table(g))
  pairs <- list()
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    s1 <- v[[i]] / n[i]; s2 <- v[[j]] / n[j]
    se <- sqrt(s1 + s2); df <- (s1 + s2)^2 / (s1^2 / (n[i] - 1) + s2^2 / (n[j] - 1))
    difference <- m[[j]] - m[[i]]
    q <- tight_root(function(q) ptukey(q, k, df) - level, c(0.1, 50))
    pairs[[length(pairs) + 1]] <- list(
      first = i - 1, second = j - 1, difference = difference, se = se, df = df,
      p_adjusted = ptukey(abs(difference) / se * sqrt(2), k, df, lower.tail = FALSE),
      ci = difference + c(-1, 1) * q / sqrt(2) * se)
  }
  list(levels = levels(g), pairs = pairs)
}

# fisher.test on a 2 x 2 table, and its odds ratio and interval again from fisher.test's own
# definitions (the conditional MLE and the exact limits of the noncentral hypergeometric)
# with the roots solved tightly.
fisher_reference <- function(tab, level = 0.95) {
  test <- fisher.test(tab, conf.level = level)
  x <- tab[1, 1]; m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ])
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) if (ncp == 0) lo else if (ncp == Inf) hi else sum(support * dnhyper(ncp))
  pnhyper <- function(q, ncp, upper = FALSE) {
    if (ncp == 1) return(if (upper) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
    if (ncp == 0) return(as.numeric(if (upper) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper) q <= hi else q >= hi))
    d <- dnhyper(ncp); if (upper) sum(d[support >= q]) else sum(d[support <= q])
  }
  solve <- function(g, target) {
    at_one <- g(1)
    if (at_one > target) tight_root(function(t) g(t) - target, c(0, 1))
    else if (at_one < target) 1 / tight_root(function(t) g(1 / t) - target, c(.Machine$double.eps, 1))
    else 1
  }
  alpha <- (1 - level) / 2
  estimate <- if (x == lo) 0 else if (x == hi) Inf else solve(mnhyper, x)
  lower <- if (x == lo) 0 else solve(function(t) pnhyper(x, t, upper = TRUE), alpha)
  upper <- if (x == hi) Inf else solve(function(t) 1 - pnhyper(x, t), 1 - alpha)
  list(counts = unclass(as.matrix(tab)), p = test$p.value,
       r_odds_ratio = unname(test$estimate), r_ci = as.numeric(test$conf.int),
       odds_ratio = estimate, ci = c(lower, upper))
}

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
       difference = mean(a) - mean(b), cohens_d = d, hedges_g = d * hedges_j(n1 + n2 - 2),
       cohens_d_ci = d_interval(d, n1, n2),
       hedges_g_ci = d_interval(d, n1, n2) * hedges_j(n1 + n2 - 2))
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
  tukey = list(
    toothgrowth_dose = c(list(data = "toothgrowth", outcome = "len", group = "dose"),
                         tukey_reference(tg$len, as.character(tg$dose))),
    bfi_age_by_education = c(list(data = "bfi", outcome = "age", group = "education"),
                             tukey_reference(bfi$age, bfi$education))),
  games_howell = list(
    toothgrowth_dose = c(list(data = "toothgrowth", outcome = "len", group = "dose"),
                         games_howell_reference(tg$len, as.character(tg$dose))),
    bfi_age_by_education = c(list(data = "bfi", outcome = "age", group = "education"),
                             games_howell_reference(bfi$age, bfi$education))),
  # fisher.test's own example (Agresti 1990, the lady tasting tea), a table with a zero
  # cell, and bfi's gender by whether the respondent is over 60 (few are).
  fisher = list(
    tea_tasting = fisher_reference(matrix(c(3, 1, 1, 3), nrow = 2)),
    zero_cell = fisher_reference(matrix(c(0, 5, 7, 2), nrow = 2)),
    bfi_gender_by_over_60 = fisher_reference(table(bfi$gender, bfi$age > 60))),
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
