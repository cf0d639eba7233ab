# Reference values for the multiple-testing adjustments (we_p_adjust_holm,
# we_p_adjust_bh in core/src/methods/p_adjust.c): R's stats::p.adjust with
# methods "holm" and "BH".
#
# Run from the repository root:   Rscript tests/oracle/p_adjust_reference.R
#
# Writes tests/oracle/fixtures/p_adjust/input.csv (vector, position, p) and
# expected.csv (vector, position, holm, bh). Numbers have 17 significant
# digits, so strtod gives back exactly the doubles R used; NA is missing
# (NaN in C). The C test (tests/unit/test_inference.c) requires the same
# doubles, bit for bit. Deterministic: a second run gives identical files.

if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/p_adjust_reference.R")
}
DIR <- file.path("tests", "oracle", "fixtures", "p_adjust")
dir.create(DIR, recursive = TRUE, showWarnings = FALSE)

num17 <- function(x) ifelse(is.na(x), "NA",
                            trimws(formatC(x, digits = 17, format = "g")))

set.seed(20081107)
vectors <- list(
  # Already sorted, no ties: the textbook case.
  sorted = c(0.01, 0.02, 0.03, 0.04, 0.05),
  # Unsorted, so that monotonicity (cummax / cummin) changes values.
  unsorted = c(0.04, 0.001, 0.03, 0.0001, 0.8, 0.045, 0.041, 0.0405),
  # Ties inside and across blocks.
  ties = c(0.03, 0.01, 0.2, 0.01, 0.03, 0.2, 0.03, 0.5),
  # Missing values are dropped from m and stay missing; NaN counts as NA.
  missing = c(0.04, NA, 0.001, 0.5, NA, 0.02, NaN),
  # p = 1 and values the adjustment pushes above 1 (capped at 1).
  ones = c(1, 1, 0.9, 0.5, 0.99, 0.3),
  # Tiny values, down to the smallest subnormal double.
  tiny = c(1e-300, 5e-324, 1e-16, 0.049, 2.2e-16, 1e-10),
  # One value (returned unchanged), alone among NAs, or only NAs.
  single = c(0.03),
  single_na = c(NA, 0.2, NA),
  all_na = c(NA, NA),
  # Exact zeros and exact halves.
  zeros = c(0, 0, 0.5, 0.5, 0.25),
  # A realistic run: 40 indicators, some effects, drawn once.
  random = signif(c(runif(30), rbeta(10, 0.2, 5)), 17),
  # Many ties in a larger vector.
  rounded = round(runif(60), 2)
)

inputs <- list()
outputs <- list()
for (name in names(vectors)) {
  p <- vectors[[name]]
  # Round-trip through the text form first, so that R adjusts exactly the
  # doubles the C test reads.
  p <- as.numeric(ifelse(is.na(p), NA, num17(p)))
  pos <- seq_along(p) - 1L
  inputs[[name]] <- data.frame(vector = name, position = pos, p = num17(p))
  outputs[[name]] <- data.frame(vector = name, position = pos,
                                holm = num17(p.adjust(p, "holm")),
                                bh = num17(p.adjust(p, "BH")))
}
write.csv(do.call(rbind, inputs), file.path(DIR, "input.csv"),
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, outputs), file.path(DIR, "expected.csv"),
          row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %s (R %s)\n", DIR, getRversion()))
