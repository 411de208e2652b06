# Prints, as JSON on stdout, what R's haven and foreign see in one SPSS (.sav/.zsav) or Stata
# (.dta) file: kith's round-trip tests run it on files kith writes, and
# tests/python/labelled.py runs it on the fixtures in tests/data/labelled/.
#
# Run from the repository root:   Rscript tests/r/labelled_read.R FILE [--encoding=ENC]
# (--encoding is passed to haven's read_sav/read_dta; without it haven uses the file's own
# encoding record, or its default.) Needs Debian's r-base-core, r-cran-haven, r-cran-foreign
# and r-cran-jsonlite. Exits 1 with a message on stderr when haven cannot read FILE.
#
# Output: {"file", "format": "sav"|"dta", "haven": {...}, "foreign": {...}}
#   haven.columns[i] = {name, class, type ("numeric"/"string"), label, format, display_width,
#     labels: [[code, label], ...]   (a Stata extended-missing code is the string ".a" ...),
#     na_values: [...], na_range: [lo, hi] or null   (SPSS user-missing declarations),
#     n_user_missing: cells that are user-missing (SPSS) or extended missing .a-.z (Stata),
#     values_user_na: values read with user_na = TRUE (Stata: .a-.z kept as ".a"...),
#     values: values read with user_na = FALSE (every missing value is null)}
#   foreign = {status: "ok"|"unsupported"|"error", message, ...}; for .sav with status "ok":
#     read.spss(to.data.frame = FALSE, use.value.labels = FALSE): codepage, n_rows,
#     columns[i] = {name, variable_label, value_labels, missings: {type, value}, values}.
# Infinite numbers (SPSS LO/HI in a missing range) are written as the strings "-Inf"/"Inf".

suppressPackageStartupMessages({
  library(haven)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
encoding <- NULL
enc_arg <- grep("^--encoding=", args, value = TRUE)
if (length(enc_arg) > 0) encoding <- sub("^--encoding=", "", enc_arg[1])
file <- setdiff(args, enc_arg)
if (length(file) != 1) {
  message("usage: Rscript tests/r/labelled_read.R FILE [--encoding=ENC]")
  quit(status = 2)
}
if (!file.exists(file)) {
  message("labelled_read.R: no such file: ", file)
  quit(status = 1)
}

head_bytes <- readBin(file, "raw", 64)
format <- if (length(head_bytes) >= 4 && rawToChar(head_bytes[1:4]) %in% c("$FL2", "$FL3")) {
  "sav"
} else if (grepl("\\.dta$", file, ignore.case = TRUE) || head_bytes[1] == charToRaw("<") ||
           as.integer(head_bytes[1]) %in% 102:115) {
  "dta"
} else {
  "sav"
}

fail <- function(msg) {
  message("labelled_read.R: cannot read ", file, ": ", msg)
  quit(status = 1)
}

# One number as JSON: NA -> null, infinities as strings.
num <- function(x) {
  if (is.na(x)) return(NA)
  if (is.infinite(x)) return(if (x > 0) "Inf" else "-Inf")
  x
}
# Values of a numeric column; Stata's tagged NAs as ".a" when keep_tags.
num_values <- function(x, keep_tags) {
  x <- unclass(x)
  tags <- if (is.double(x)) na_tag(x) else rep(NA_character_, length(x))
  lapply(seq_along(x), function(i) {
    if (keep_tags && !is.na(tags[i])) paste0(".", tags[i]) else num(x[i])
  })
}
str_values <- function(x) lapply(as.character(unclass(x)), function(s) if (is.na(s)) NA else s)
label_pairs <- function(labels) {
  if (is.null(labels)) return(list())
  codes <- unclass(labels)
  tags <- if (is.double(codes)) na_tag(codes) else rep(NA_character_, length(codes))
  lapply(seq_along(codes), function(i) {
    code <- if (!is.na(tags[i])) paste0(".", tags[i]) else if (is.character(codes)) codes[[i]] else num(codes[[i]])
    list(code, names(labels)[i])
  })
}
or_null <- function(x) if (is.null(x)) NULL else x

read_haven <- function(user_na) {
  if (format == "sav") {
    read_sav(file, encoding = encoding, user_na = user_na)
  } else {
    read_dta(file, encoding = encoding)
  }
}
kept <- tryCatch(read_haven(TRUE), error = function(e) fail(conditionMessage(e)))
plain <- tryCatch(read_haven(FALSE), error = function(e) fail(conditionMessage(e)))

columns <- lapply(names(kept), function(name) {
  x <- kept[[name]]
  y <- plain[[name]]
  is_string <- is.character(unclass(x))
  base <- unclass(x)
  n_user <- if (is_string) {
    sum(!is.na(base) & is.na(unclass(y)))
  } else if (format == "dta") {
    if (is.double(base)) sum(!is.na(na_tag(base))) else 0L
  } else {
    sum(!is.na(base) & is.na(unclass(y)))
  }
  na_values <- attr(x, "na_values")
  na_range <- attr(x, "na_range")
  list(
    name = name,
    class = I(class(x)),
    type = if (is_string) "string" else "numeric",
    label = or_null(attr(x, "label")),
    format = or_null(attr(x, if (format == "sav") "format.spss" else "format.stata")),
    display_width = or_null(attr(x, "display_width")),
    labels = label_pairs(attr(x, "labels")),
    na_values = if (is.null(na_values)) I(list()) else lapply(unclass(na_values), function(v) if (is.character(v)) v else num(v)),
    na_range = if (is.null(na_range)) NULL else lapply(unclass(na_range), num),
    n_user_missing = n_user,
    values_user_na = if (is_string) str_values(x) else num_values(x, keep_tags = TRUE),
    values = if (is_string) str_values(y) else num_values(y, keep_tags = FALSE)
  )
})

haven_part <- list(
  version = as.character(packageVersion("haven")),
  encoding = encoding,
  n_rows = nrow(kept),
  file_label = or_null(attr(kept, "label")),
  columns = columns
)

# --- foreign -------------------------------------------------------------------------------
dta_release <- function() {
  if (rawToChar(head_bytes[1:11]) == "<stata_dta>") {
    txt <- rawToChar(head_bytes[head_bytes != as.raw(0)])
    as.integer(sub(".*<release>([0-9]+)</release>.*", "\\1", txt))
  } else {
    as.integer(head_bytes[1])
  }
}
foreign_part <- if (format == "sav") {
  tryCatch({
    f <- suppressMessages(suppressWarnings(foreign::read.spss(file, to.data.frame = FALSE,
                                                              use.value.labels = FALSE)))
    var_labels <- attr(f, "variable.labels")
    value_labels <- attr(f, "label.table")
    missings <- attr(f, "missings")
    list(
      status = "ok",
      message = NULL,
      version = as.character(packageVersion("foreign")),
      codepage = or_null(attr(f, "codepage")),
      n_rows = length(f[[1]]),
      columns = lapply(names(f), function(name) {
        x <- f[[name]]
        vl <- value_labels[[name]]
        m <- missings[[name]]
        list(
          name = name,
          type = if (is.character(x)) "string" else "numeric",
          variable_label = if (is.null(var_labels[[name]]) || var_labels[[name]] == "") NULL else unname(var_labels[[name]]),
          value_labels = if (is.null(vl)) list() else lapply(seq_along(vl), function(i) {
            code <- vl[[i]]
            # read.spss gives the codes of re-encoded files as strings: numeric columns get numbers
            list(if (is.character(x)) as.character(code) else num(as.numeric(code)), names(vl)[i])
          }),
          missings = if (is.null(m)) NULL else list(
            type = m$type,
            value = if (is.null(m$value)) I(list()) else lapply(m$value, function(v) if (is.character(v)) v else num(v))
          ),
          values = if (is.character(x)) str_values(x) else num_values(x, keep_tags = FALSE)
        )
      })
    )
  }, error = function(e) list(status = "error", message = conditionMessage(e)))
} else {
  release <- tryCatch(dta_release(), error = function(e) NA_integer_)
  tryCatch({
    d <- suppressWarnings(foreign::read.dta(file, convert.factors = FALSE))
    list(
      status = "ok",
      message = NULL,
      version = as.character(packageVersion("foreign")),
      n_rows = nrow(d),
      columns = lapply(names(d), function(name) {
        x <- d[[name]]
        list(name = name, type = if (is.character(x)) "string" else "numeric",
             values = if (is.character(x)) str_values(x) else num_values(x, keep_tags = FALSE))
      }),
      variable_labels = I(attr(d, "var.labels")),
      value_label_names = I(attr(d, "val.labels"))
    )
  }, error = function(e) {
    list(
      status = if (!is.na(release) && release > 115) "unsupported" else "error",
      message = paste0(
        if (!is.na(release) && release > 115) paste0("foreign::read.dta reads Stata releases up to 115 (Stata 12); this file is release ", release, ". ") else "",
        conditionMessage(e)
      ),
      version = as.character(packageVersion("foreign"))
    )
  })
}

out <- list(file = file, format = format, haven = haven_part, foreign = foreign_part)
cat(toJSON(out, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = FALSE), "\n", sep = "")
