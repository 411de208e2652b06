# Reference SPSS and Stata files written by R's haven, for kith's .sav/.zsav/.dta readers.
#
# Run from the repository root:   Rscript tests/r/labelled.R
# then:                           python3 tests/python/labelled.py
# (the Python script writes the pyreadstat and legacy code page fixtures and then
# tests/data/labelled/expected.json, taking haven's view of every fixture from
# tests/r/labelled_read.R). Needs Debian's r-base-core, r-cran-haven (2.5), r-cran-yaml
# and r-cran-jsonlite. The tests compare kith with the committed files and never need R.
#
# It (re)writes in tests/data/labelled/:
#   bfi-haven.sav               write_sav(compress = "byte")   (bytecode compressed)
#   bfi-haven.zsav              write_sav(compress = "zsav")   (zlib compressed)
#   bfi-haven-uncompressed.sav  write_sav(compress = "none")
#   bfi-haven-117.dta           write_dta(version = 13)        (Stata 13, release 117)
#   bfi-haven-118.dta           write_dta(version = 14, strl_threshold = 255)   (release 118)
#   bfi-haven-119.dta           write_dta(version = 15, strl_threshold = 255)   (release 119)
#                               (`comment` is stored as strL in 118 and 119, as str344 in 117;
#                               the threshold only keeps the files small)
#
# Data: the first 300 rows of tests/data/bfi.csv (psych's bfi), with these deliberate,
# fixed changes (row numbers are 1-based rows of that subset, = id):
#   A1 rows 3 17 42 128 255, C1 rows 5 60 99 200 287, E1 rows 8 77 150 222 299,
#   N1 rows 12 45 133 178 260, O1 rows 20 90 160 240 300  -> -9 ("Refused", user-missing)
#   A2 rows 10 110 -> 98 ("Don't know"), rows 30 210 -> 99 ("Not applicable"),
#      row 250 -> -9 ("Refused"); A2 declares na_values = -9 and na_range = c(97, 99).
# Other empty cells of bfi stay system-missing (NA).
# In the .dta files -9, 98 and 99 become Stata's extended missing values .a, .b and .c
# (haven::tagged_na("a"/"b"/"c")), labelled "Refused", "Don't know", "Not applicable"; those six
# items are Stata doubles, the other items and id, gender, education, age Stata longs (R
# integers).
#
# haven and readstat stamp the current time into the file header; this script overwrites that
# stamp with a fixed one (01 Jan 2024 00:00) so that a re-run reproduces the files byte for
# byte. Nothing else is changed after haven writes.

suppressPackageStartupMessages({
  library(haven)
  library(yaml)
})

out_dir <- "tests/data/labelled"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

bfi <- utils::read.csv("tests/data/bfi.csv")[1:300, ]
instrument <- yaml::read_yaml("instruments/bfi.yaml")
item_text <- setNames(
  vapply(instrument$items, function(i) i$text, character(1)),
  vapply(instrument$items, function(i) i$id, character(1))
)
items <- names(item_text)
scale_labels <- c(
  "Very Inaccurate" = 1, "Moderately Inaccurate" = 2, "Slightly Inaccurate" = 3,
  "Slightly Accurate" = 4, "Moderately Accurate" = 5, "Very Accurate" = 6
)

refused_rows <- list(
  A1 = c(3, 17, 42, 128, 255), C1 = c(5, 60, 99, 200, 287), E1 = c(8, 77, 150, 222, 299),
  N1 = c(12, 45, 133, 178, 260), O1 = c(20, 90, 160, 240, 300)
)
for (v in names(refused_rows)) bfi[refused_rows[[v]], v] <- -9L
bfi[c(10, 110), "A2"] <- 98L
bfi[c(30, 210), "A2"] <- 99L
bfi[250, "A2"] <- -9L

# Free text: mostly empty, a few short answers, three over 255 bytes (UTF-8).
s1 <- paste0(
  "Frau M\u00fcller from the survey team noted: I answered honestly, although some ",
  "questions \u2014 especially the ones about being exacting in my work \u2014 were hard ",
  "to rate on a six-point scale. "
)
s2 <- paste0(
  "Jos\u00e9 wrote: \u2713 done. The items about mood swings felt personal; I would have ",
  "liked a 'prefer not to say' option, which is why I refused a few. "
)
comment <- rep("", 300)
comment[c(2, 4, 6, 9, 11, 13, 21, 33, 47, 64, 101, 180, 233, 290)] <- c(
  "ok", "M\u00fcller", "Jos\u00e9", "n/a \u2014 see notes", "\u2713",
  "  leading and trailing spaces  ", "\u00c6r\u00f8 (Denmark)", "Na\u00efve question?",
  "5 \u20ac per hour", "\"quoted\" and 'single'", "line one; line two",
  "Stra\u00dfe 12, K\u00f6ln", "\u65e5\u672c\u8a9e\u306e\u30b3\u30e1\u30f3\u30c8", "last comment"
)
comment[15] <- paste0(s1, s2)                                  # 331 bytes
comment[150] <- paste0(s2, s2)                                 # 290 bytes
comment[275] <- paste0(s2, s1, "\u2014 \u2713 \u00c6r\u00f8")    # 344 bytes

spss_item <- function(v) {
  x <- as.double(bfi[[v]])
  labels <- scale_labels
  na_values <- NULL
  na_range <- NULL
  if (v %in% c(names(refused_rows), "A2")) {
    labels <- c(labels, "Refused" = -9)
    na_values <- -9
  }
  if (v == "A2") {
    labels <- c(labels, "Don't know" = 98, "Not applicable" = 99)
    na_range <- c(97, 99)
  }
  labelled_spss(x, labels = labels, na_values = na_values, na_range = na_range,
                label = unname(item_text[v]))
}

spss <- tibble::tibble(id = as.integer(bfi$id))
for (v in items) spss[[v]] <- spss_item(v)
spss$gender <- labelled_spss(as.integer(bfi$gender), labels = c(Male = 1L, Female = 2L),
                             label = "Gender")
spss$education <- labelled_spss(
  as.integer(bfi$education),
  labels = c("Some high school" = 1L, "Finished high school" = 2L, "Some college" = 3L,
             "College graduate" = 4L, "Graduate degree" = 5L),
  label = "Highest education"
)
spss$age <- structure(as.integer(bfi$age), label = "Age in years")
spss$comment <- structure(comment, label = "Any comments on the questionnaire?")

# Stata has no declared user-missing values: -9 / 98 / 99 become extended missing .a / .b / .c.
tags <- c("-9" = "a", "98" = "b", "99" = "c")
to_stata <- function(x) {
  if (!inherits(x, "haven_labelled_spss")) return(x)
  if (!is.double(unclass(x))) return(labelled(zap_labels(x), labels = attr(x, "labels"),
                                              label = attr(x, "label")))
  vals <- as.double(unclass(x))
  attributes(vals) <- NULL
  labels <- attr(x, "labels")
  if (!any(vals %in% as.numeric(names(tags)))) {  # no user-missing codes: store as Stata long
    return(labelled(as.integer(vals), labels = setNames(as.integer(labels), names(labels)),
                    label = attr(x, "label")))
  }
  for (code in names(tags)) {
    vals[!is.na(vals) & vals == as.numeric(code)] <- tagged_na(tags[[code]])
    hit <- labels == as.numeric(code)
    labels[hit] <- tagged_na(tags[[code]])
  }
  labelled(vals, labels = labels, label = attr(x, "label"))
}
stata <- spss
for (v in names(stata)) stata[[v]] <- to_stata(stata[[v]])

# Overwrite the writer's timestamp with a fixed one, so the files are reproducible.
fix_timestamp <- function(path) {
  bytes <- readBin(path, "raw", file.info(path)$size)
  if (identical(rawToChar(bytes[1:4]), "$FL2") || identical(rawToChar(bytes[1:4]), "$FL3")) {
    bytes[93:109] <- charToRaw("01 Jan 2400:00:00")  # creation_date[9] creation_time[8]
  } else {
    tag <- charToRaw("<timestamp>")
    at <- which(vapply(seq_len(500), function(i) identical(bytes[i:(i + 10)], tag), logical(1)))
    stopifnot(length(at) == 1, bytes[at + 11] == as.raw(17))
    bytes[(at + 12):(at + 28)] <- charToRaw("01 Jan 2024 00:00")
  }
  writeBin(bytes, path)
}

write_one <- function(f, writer) {
  path <- file.path(out_dir, f)
  writer(path)
  fix_timestamp(path)
  cat(sprintf("%-28s %7d bytes\n", f, file.info(path)$size))
}
label <- "bfi, first 300 rows (kith fixture written by haven)"
write_one("bfi-haven.sav", function(p) write_sav(spss, p, compress = "byte"))
write_one("bfi-haven.zsav", function(p) write_sav(spss, p, compress = "zsav"))
write_one("bfi-haven-uncompressed.sav", function(p) write_sav(spss, p, compress = "none"))
write_one("bfi-haven-117.dta", function(p) write_dta(stata, p, version = 13, label = label))
write_one("bfi-haven-118.dta", function(p) write_dta(stata, p, version = 14, label = label,
                                                    strl_threshold = 255))
write_one("bfi-haven-119.dta", function(p) write_dta(stata, p, version = 15, label = label,
                                                    strl_threshold = 255))
