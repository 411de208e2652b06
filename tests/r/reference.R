# Reference values for kith's psychometrics, computed with R's psych.
#
# Run from the repository root:   Rscript tests/r/reference.R
# Needs Debian's r-base-core, r-cran-psych, r-cran-gparotation (for omega), r-cran-jsonlite and
# r-cran-mass.
# It (re)writes tests/data/generated-*.csv and tests/data/reference/*.json. The tests compare
# kith with these files and never need R. Versions used are recorded in each JSON file.
#
# Reverse keying: kith reverses an item on its own response scale, (min + max) - x. psych's
# alpha reverses with the minimum and maximum observed in the whole data set. For bfi they are
# the same (1 and 6); for the generated data this script reverses on the scale bounds itself
# and gives psych the keyed data, so that both compute the same thing.

suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})

versions <- list(R = R.version.string, psych = as.character(packageVersion("psych")))

# psych::alpha, omega (one factor) and splitHalf's lambda 2 for one scale of keyed items.
scale_reference <- function(keyed, label) {
  a <- psych::alpha(keyed, check.keys = FALSE, warnings = FALSE)
  k <- ncol(keyed)
  omega_total <- if (k >= 3) {
    suppressWarnings(suppressMessages(
      psych::omega(keyed, nfactors = 1, plot = FALSE)$omega.tot))
  } else NA
  lambda2 <- suppressWarnings(psych::splitHalf(keyed, check.keys = FALSE)$lambda2)
  freq <- a$response.freq
  items <- lapply(seq_len(k), function(i) {
    name <- colnames(keyed)[i]
    frequencies <- NULL
    if (!is.null(freq)) {
      values <- setdiff(colnames(freq), "miss")
      frequencies <- lapply(values, function(v) list(value = as.numeric(v), share = unname(freq[i, v])))
    }
    list(
      id = name,
      n = unname(a$item.stats[i, "n"]),
      mean = unname(a$item.stats[i, "mean"]),
      sd = unname(a$item.stats[i, "sd"]),
      r = unname(a$item.stats[i, "raw.r"]),
      r_std = unname(a$item.stats[i, "std.r"]),
      r_cor = unname(a$item.stats[i, "r.cor"]),
      r_drop = unname(a$item.stats[i, "r.drop"]),
      alpha_if_dropped = unname(a$alpha.drop[i, "raw_alpha"]),
      std_alpha_if_dropped = unname(a$alpha.drop[i, "std.alpha"]),
      missing = if (!is.null(freq)) unname(freq[i, "miss"]) else NA,
      frequencies = frequencies
    )
  })
  list(
    id = label, k = k, n = nrow(keyed),
    alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha, g6 = a$total[["G6(smc)"]],
    average_r = a$total$average_r, median_r = a$total$median_r, signal_noise = a$total[["S/N"]],
    ase = a$total$ase,
    alpha_ci_feldt = unname(c(a$feldt$lower.ci, a$feldt$upper.ci)),
    alpha_ci_duhachek = c(a$total$raw_alpha - 1.96 * a$total$ase, a$total$raw_alpha + 1.96 * a$total$ase),
    omega_total = omega_total, lambda2 = lambda2,
    mean = a$total$mean, sd = a$total$sd,
    items = items
  )
}

# psych::scoreItems with impute "none" and "median": person scores, score correlations and
# correlations corrected for attenuation.
score_reference <- function(items, keys, min, max) {
  out <- list()
  for (impute in c("none", "median")) {
    s <- psych::scoreItems(keys, items, impute = impute, min = min, max = max)
    scores <- as.data.frame(s$scores)
    out[[impute]] <- list(
      scores = lapply(as.list(scores), function(column) unname(column)),
      alpha = as.list(s$alpha[1, ]),
      cor = unname(s$cor),
      corrected = unname(s$corrected)
    )
  }
  out
}

reverse_on_scale <- function(x, reversed, min, max) {
  for (name in reversed) x[[name]] <- min + max - x[[name]]
  x
}

write_reference <- function(name, items, scales, reversed, min, max, use_psych_keys) {
  stopifnot(all(reversed %in% names(items)))
  keyed_all <- reverse_on_scale(items, reversed, min, max)
  result <- list(versions = versions, n = nrow(items), scales = list())
  for (label in names(scales)) {
    columns <- scales[[label]]
    if (use_psych_keys) {
      # psych reverses with the observed minimum and maximum; for these data they are the
      # scale's, so psych's own keying and ours agree. Check that, and check that alpha with
      # psych's keys equals alpha of the data keyed here.
      stopifnot(min(items, na.rm = TRUE) == min, max(items, na.rm = TRUE) == max)
      keys <- ifelse(columns %in% reversed, -1, 1)
      with_keys <- psych::alpha(items[, columns], keys = keys, check.keys = FALSE, warnings = FALSE)
      stopifnot(isTRUE(all.equal(with_keys$total$raw_alpha,
                                 psych::alpha(keyed_all[, columns], warnings = FALSE)$total$raw_alpha)))
    }
    result$scales[[label]] <- scale_reference(keyed_all[, columns], label)
  }
  keys <- lapply(scales, function(columns) ifelse(columns %in% reversed, paste0("-", columns), columns))
  result$scoring <- score_reference(items, keys, min, max)
  path <- file.path("tests", "data", "reference", paste0(name, ".json"))
  write_json(result, path, digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE)
  cat("wrote", path, "\n")
}

# 1. The real bfi data (2,800 people, 25 items, 6-point scale), with psych's own keys.
bfi <- read.csv(file.path("tests", "data", "bfi.csv"))
bfi_items <- bfi[, 2:26]
write_reference(
  "bfi", bfi_items,
  scales = list(
    agreeableness = paste0("A", 1:5), conscientiousness = paste0("C", 1:5),
    extraversion = paste0("E", 1:5), neuroticism = paste0("N", 1:5), openness = paste0("O", 1:5)
  ),
  reversed = c("A1", "C4", "C5", "E1", "E2", "O2", "O5"),
  min = 1, max = 6, use_psych_keys = TRUE
)

# 2. Generated Likert data with heavy missingness: 600 people, three 6-item scales on a
#    7-point scale, 25% of answers missing at random, one item missing 60%, and 20 people who
#    skipped a whole scale.
set.seed(20261128)
n <- 600
factors <- MASS::mvrnorm(n, mu = c(0, 0, 0), Sigma = matrix(c(1, .3, .2, .3, 1, .4, .2, .4, 1), 3))
likert <- function(f, loading, reverse) {
  latent <- loading * f + sqrt(1 - loading^2) * rnorm(length(f))
  if (reverse) latent <- -latent
  as.integer(cut(latent, breaks = c(-Inf, -1.5, -0.8, -0.25, 0.25, 0.8, 1.5, Inf)))
}
missing_data <- data.frame(respondent_id = sprintf("P%03d", 1:n))
loadings <- c(.75, .7, .65, .6, .55, .5)
reversed_missing <- c("s1_2", "s1_5", "s2_3", "s3_6")
for (s in 1:3) for (i in 1:6) {
  name <- sprintf("s%d_%d", s, i)
  missing_data[[name]] <- likert(factors[, s], loadings[i], name %in% reversed_missing)
}
item_names <- setdiff(names(missing_data), "respondent_id")
for (name in item_names) missing_data[[name]][runif(n) < .25] <- NA
missing_data$s2_6[runif(n) < .6] <- NA
missing_data[sample(n, 20), sprintf("s3_%d", 1:6)] <- NA
write.csv(missing_data, file.path("tests", "data", "generated-missing.csv"), row.names = FALSE, na = "")
write_reference(
  "generated-missing", missing_data[, item_names],
  # `pair` is a two-item score, for psych's special case of alpha without an item.
  scales = list(s1 = sprintf("s1_%d", 1:6), s2 = sprintf("s2_%d", 1:6), s3 = sprintf("s3_%d", 1:6),
                pair = c("s1_1", "s1_3")),
  reversed = reversed_missing, min = 1, max = 7, use_psych_keys = FALSE
)

# 3. Generated numeric (non-Likert) items: 400 people, two 5-item scales of ratings from 0 to
#    100 with one decimal, 10% missing.
n <- 400
f <- MASS::mvrnorm(n, mu = c(0, 0), Sigma = matrix(c(1, .5, .5, 1), 2))
numeric_data <- data.frame(respondent_id = sprintf("N%03d", 1:n))
reversed_numeric <- c("r1_4", "r2_2")
for (s in 1:2) for (i in 1:5) {
  name <- sprintf("r%d_%d", s, i)
  latent <- c(.8, .7, .6, .5, .4)[i] * f[, s] + sqrt(1 - c(.8, .7, .6, .5, .4)[i]^2) * rnorm(n)
  if (name %in% reversed_numeric) latent <- -latent
  value <- round(pmin(100, pmax(0, 50 + 18 * latent)), 1)
  value[runif(n) < .1] <- NA
  numeric_data[[name]] <- value
}
numeric_names <- setdiff(names(numeric_data), "respondent_id")
write.csv(numeric_data, file.path("tests", "data", "generated-numeric.csv"), row.names = FALSE, na = "")
write_reference(
  "generated-numeric", numeric_data[, numeric_names],
  scales = list(r1 = sprintf("r1_%d", 1:5), r2 = sprintf("r2_%d", 1:5)),
  reversed = reversed_numeric, min = 0, max = 100, use_psych_keys = FALSE
)
