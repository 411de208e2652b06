# The R side of kith's SPSS and Stata benchmark: haven reads a labelled file, and optionally
# writes it back, as a researcher moving data between R and SPSS or Stata would.
#
# Usage: Rscript bench/labelled.R FILE.sav|FILE.dta read|copy OUT
# Prints the seconds each step took to stderr.

suppressPackageStartupMessages(library(haven))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
what <- args[2]
stata <- grepl("\\.dta$", file)

started <- proc.time()[["elapsed"]]
data <- if (stata) read_dta(file) else read_sav(file, user_na = FALSE)
read_seconds <- proc.time()[["elapsed"]] - started
message(sprintf("read %.2f s (%d rows x %d columns)", read_seconds, nrow(data), ncol(data)))
if (what == "copy") {
  started <- proc.time()[["elapsed"]]
  if (stata) write_dta(data, args[3]) else write_sav(data, args[3])
  message(sprintf("write %.2f s", proc.time()[["elapsed"]] - started))
}
