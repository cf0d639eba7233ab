# Reference values for the early warning's trend statistics
# (we_theil_sen and we_mann_kendall_test in core/src/methods/early_warning.c).
#
#   Theil-Sen slope: the median of all pairwise slopes, written out here
#   from the definition (Sen 1968), pairs with equal x left out.
#   Mann-Kendall: R's stats::cor.test(x, y, method = "kendall",
#   exact = FALSE, continuity = TRUE, alternative = "less"): the normal
#   approximation with the tie-corrected variance of S, the continuity
#   correction, and the one-sided p-value of a decline. With x strictly
#   increasing (time) this is Kendall's (1975) trend test.
#
# Run from the repository root:  Rscript tests/oracle/early_warning_reference.R
#
# Writes tests/oracle/fixtures/early_warning/trend.csv with one row per
# series: case, n, x and y (';'-separated), slope, s, z, p_decline.
# Numbers have 17 significant digits. Deterministic: a second run gives
# an identical file. The C test is tests/unit/test_early_warning.c.

if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/early_warning_reference.R")
}
DIR <- file.path("tests", "oracle", "fixtures", "early_warning")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)

num17 <- function(x) trimws(formatC(x, digits = 17, format = "g"))

theil_sen <- function(x, y) {
  s <- c()
  n <- length(x)
  for (i in seq_len(n - 1)) for (j in (i + 1):n)
    if (x[j] != x[i]) s <- c(s, (y[j] - y[i]) / (x[j] - x[i]))
  median(s)
}

mk_s <- function(y) {
  n <- length(y)
  s <- 0
  for (i in seq_len(n - 1)) for (j in (i + 1):n) s <- s + sign(y[j] - y[i])
  s
}

set.seed(20081107)
cases <- list(
  decline8 = list(x = 2005:2012, y = c(0.3, 0.1, 0.2, -0.1, -0.3, -0.2, -0.6, -0.8)),
  rise6 = list(x = 2007:2012, y = c(-0.2, 0.1, 0.0, 0.4, 0.3, 0.9)),
  flat_ties = list(x = 2003:2012, y = c(1, 2, 1, 2, 1, 2, 1, 2, 1, 1)),
  ties_decline = list(x = 2003:2012, y = c(3, 3, 2, 2, 2, 1, 1, 0, 0, -1)),
  gaps = list(x = c(2003, 2005, 2007, 2008, 2009, 2010, 2011, 2012),
              y = c(0.5, 0.45, 0.2, 0.31, 0.1, 0.12, -0.05, -0.2)),
  monotone4 = list(x = 1:4, y = c(4, 3, 2, 1)),
  zero_s = list(x = 1:5, y = c(1, 3, 2, 3, 1))
)
for (k in 1:12) {
  n <- 4 + (k %% 9)
  x <- 2000 + sort(sample(0:20, n))
  y <- round(-0.05 * k * (x - 2000) / 10 + rnorm(n), if (k %% 3 == 0) 1 else 6)
  cases[[sprintf("random%02d", k)]] <- list(x = x, y = y)
}

out <- data.frame()
for (name in names(cases)) {
  x <- cases[[name]]$x
  y <- cases[[name]]$y
  ct <- suppressWarnings(cor.test(x, y, method = "kendall", exact = FALSE,
                                  continuity = TRUE, alternative = "less"))
  out <- rbind(out, data.frame(
    case = name, n = length(x),
    x = paste(num17(x), collapse = ";"), y = paste(num17(y), collapse = ";"),
    slope = num17(theil_sen(x, y)), s = num17(mk_s(y)),
    z = num17(unname(ct$statistic)), p_decline = num17(ct$p.value)))
}
write.csv(out, file.path(DIR, "trend.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", file.path(DIR, "trend.csv"), "\n")

# The empirical null: a cross-section of slopes (most near zero, a few
# steep declines, one missing), each slope's robust z against the median
# and R's mad() (1.4826 times the median absolute deviation), and the
# one-sided p-value pnorm(z). Written to empirical_null.csv as slope, z, p
# (NA for the missing slope).
b <- c(round(rnorm(27, 0, 0.05), 6), -0.4, -0.31, -0.52, NA)
zz <- (b - median(b, na.rm = TRUE)) / mad(b, na.rm = TRUE)
en <- data.frame(slope = ifelse(is.na(b), "NA", num17(b)),
                 z = ifelse(is.na(zz), "NA", num17(zz)),
                 p = ifelse(is.na(zz), "NA", num17(pnorm(zz))))
write.csv(en, file.path(DIR, "empirical_null.csv"), row.names = FALSE,
          quote = FALSE)
cat("wrote", file.path(DIR, "empirical_null.csv"), "\n")
