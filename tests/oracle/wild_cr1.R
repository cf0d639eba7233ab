# The CR1 fit that the wild bootstrap starts from, by two R routes, for
# tests/oracle/wild_reference.py: prints the TWFE estimate and its standard
# error from sandwich::vcovCL and from clubSandwich::vcovCR, both with the
# factor G/(G-1) (N-1)/(N-K), K = 2 + (periods - 1) (tests/oracle/README.md).
#
#   Rscript tests/oracle/wild_cr1.R <fixture dir> <area|municipality>

suppressPackageStartupMessages({
  library(sandwich)
  library(clubSandwich)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2 || !args[2] %in% c("area", "municipality")) {
  stop("usage: Rscript wild_cr1.R <fixture dir> <area|municipality>")
}
dir <- args[1]
panel <- read.csv(file.path(dir, "panel.csv"), colClasses = c(
  area = "character", municipality = "character"))
treated <- read.csv(file.path(dir, "treated.csv"),
                    colClasses = c(area = "character"))
design <- read.csv(file.path(dir, "design.csv"), colClasses = "character")
followup <- as.integer(strsplit(design$value[design$key == "followup"],
                                " ")[[1]])

dat <- panel[!is.na(panel$y) & panel$period <= max(followup), ]
from <- treated$from[match(dat$area, treated$area)]
dat$D <- as.numeric(!is.na(from) & dat$period >= from)
dat$cl <- if (args[2] == "area") dat$area else dat$municipality

fit <- lm(y ~ D + factor(area) + factor(period), data = dat)
N <- nrow(dat)
K <- 2 + length(unique(dat$period)) - 1
ssc <- (N - 1) / (N - K)
v_sandwich <- vcovCL(fit, cluster = ~cl, type = "HC0", cadjust = TRUE)
v_club <- as.matrix(vcovCR(fit, cluster = dat$cl, type = "CR1"))
cat(sprintf("%.17g %.17g %.17g\n", coef(fit)[["D"]],
            sqrt(v_sandwich["D", "D"] * ssc), sqrt(v_club["D", "D"] * ssc)))
