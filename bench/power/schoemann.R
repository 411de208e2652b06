# The R comparator of kith power's benchmark: Schoemann, Boulton & Short's (2017) Monte Carlo
# power for one mediator with their app's defaults (1,000 replications, 20,000 draws, 95%,
# seed 1234) at n = 200, via mc_power_med from tests/r/schoemann_method.R.
#
# Run from the repository root, timed as a whole process:   time Rscript bench/power/schoemann.R
# Needs Debian's r-base-core and r-cran-mass.
# Scenario: X ~ N(0, 1); M = 0.3 X + sqrt(0.91) e; Y = 0.1 X + 0.3 M + sqrt(1 - 0.118) e.
# Prints the power of the indirect effect a*b (and of the a and b paths' t tests).

source("tests/r/schoemann_method.R")
res <- mc_power_med(n = 200, a = 0.3, b = 0.3, cp = 0.1, reps = 1000, draws = 20000,
                    conf = 0.95, seed = 1234)
cat(sprintf("n = %d, reps = %d, draws = %d: power(ab) = %.3f, power(a) = %.3f, power(b) = %.3f\n",
            res$n, res$reps, res$draws, res$power, res$a_power, res$b_power))
