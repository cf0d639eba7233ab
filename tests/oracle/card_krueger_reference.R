# Reference for we_did_2x2 on Card and Krueger (1994): full-time-equivalent
# employment in fast-food restaurants in New Jersey (minimum wage raised on
# 1 April 1992) and eastern Pennsylvania, before (February-March 1992) and
# after (November-December 1992).
#
# Run from the repository root:   Rscript tests/oracle/card_krueger_reference.R
#
# Writes tests/oracle/fixtures/card_krueger/{panel,treated,design,expected}.csv
# in the format of reference.R (tests/oracle/README.md). Stops when two
# routes to the same number disagree by more than 1e-10.

suppressPackageStartupMessages(library(estimatr))

FIXTURES <- file.path("tests", "oracle", "fixtures")
SHARED_DATA <- Sys.getenv("WE_SHARED_DATA", "/work/shared/data")
if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/card_krueger_reference.R")
}
OUT <- file.path(FIXTURES, "card_krueger")
WAVES <- c(199202L, 199211L) # period labels: year and month of each wave

num17 <- function(x) ifelse(is.na(x), NA_character_,
                            trimws(formatC(x, digits = 17, format = "g")))

agree <- function(a, b, what, tol = 1e-10) {
  ok <- (is.na(a) & is.na(b)) |
    (!is.na(a) & !is.na(b) & abs(a - b) <= tol * pmax(1, abs(a), abs(b)))
  if (!all(ok)) {
    stop(sprintf("%s: %s vs %s", what, paste(num17(a[!ok]), collapse = " "),
                 paste(num17(b[!ok]), collapse = " ")))
  }
  invisible(TRUE)
}

src <- file.path(OUT, "card_krueger_1994_wide.csv")
if (!file.exists(src)) {
  dir.create(OUT, recursive = TRUE, showWarnings = FALSE)
  stopifnot(file.copy(file.path(SHARED_DATA, "card_krueger",
                                "card_krueger_1994_wide.csv"), src))
}
w <- read.csv(src)
stopifnot(!anyDuplicated(w$sheet))

# FTE = full-time + managers + 0.5 part-time (Card and Krueger 1994, Table 3);
# missing when any part is missing.
w$fte1 <- w$empft + w$nmgrs + 0.5 * w$emppt
w$fte2 <- w$empft2 + w$nmgrs2 + 0.5 * w$emppt2
region_cols <- c("southj", "centralj", "northj", "pa1", "pa2")
stopifnot(all(rowSums(w[, region_cols]) == 1))
w$region <- region_cols[max.col(as.matrix(w[, region_cols]))]
w$area <- paste0("S", w$sheet)

panel <- data.frame(area = rep(w$area, each = 2),
                    municipality = rep(w$region, each = 2),
                    period = rep(WAVES, nrow(w)),
                    y = as.vector(rbind(w$fte1, w$fte2)),
                    population = NA)
write.csv(transform(panel, y = num17(y)), file.path(OUT, "panel.csv"),
          row.names = FALSE, quote = FALSE, na = "")
write.csv(data.frame(area = w$area[w$state == 1], from = WAVES[2]),
          file.path(OUT, "treated.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(key = c("baseline", "followup", "alpha"),
                     value = c(WAVES[1], WAVES[2], "0.05")),
          file.path(OUT, "design.csv"), row.names = FALSE, quote = FALSE)

# ---- did_2x2 as in reference.R: stores with FTE in both waves ---------------

b <- w[!is.na(w$fte1) & !is.na(w$fte2), ]
b$delta <- b$fte2 - b$fte1
b$treat <- b$state == 1
alpha <- 0.05

did <- function(variant) {
  b$cl <- if (variant == "cluster_area") b$area else b$region
  fit <- lm_robust(delta ~ treat, data = b, clusters = cl, se_type = "stata")
  est <- unname(coef(fit)["treatTRUE"])
  se <- unname(fit$std.error["treatTRUE"])
  G <- length(unique(b$cl))
  agree(unname(fit$df["treatTRUE"]), G - 1, paste(variant, "df"))

  # Route 2: the long regression FTE ~ NJ * post on the same stores has the
  # same coefficient; with a store-level CR0 meat its variance equals the
  # Delta regression's after the two CR1 factors are divided out.
  long <- data.frame(y = c(b$fte1, b$fte2), nj = rep(b$treat, 2),
                     post = rep(c(0, 1), each = nrow(b)), cl = rep(b$cl, 2))
  lfit <- lm_robust(y ~ nj * post, data = long, clusters = cl,
                    se_type = "stata")
  agree(unname(coef(lfit)["njTRUE:post"]), est, paste(variant, "long estimate"))
  N <- nrow(b)
  f_delta <- G / (G - 1) * (N - 1) / (N - 2)
  f_long <- G / (G - 1) * (2 * N - 1) / (2 * N - 4)
  agree(unname(lfit$std.error["njTRUE:post"])^2 / f_long, se^2 / f_delta,
        paste(variant, "long CR0 variance"))

  q <- qt(1 - alpha / 2, G - 1)
  data.frame(method = "did_2x2", variant = variant, estimate = est, se = se,
             ci_low = est - q * se, ci_high = est + q * se,
             p_value = 2 * pt(-abs(est / se), G - 1), df = G - 1,
             n_treated = sum(b$treat), n_control = sum(!b$treat),
             n_obs = 2 * N,
             baseline = mean(b$fte1[b$treat]) - mean(b$fte1[!b$treat]),
             latest = mean(b$fte2[b$treat]) - mean(b$fte2[!b$treat]))
}

rows <- rbind(did("cluster_area"), did("cluster_municipality"))
# Card and Krueger (1994), Table 3, row 4 (balanced sample): 2.75.
stopifnot(round(rows$estimate[1], 2) == 2.75)
# Row 3 (all available observations, difference of the wave means) is
# published as 2.76; the public data give 2.7536 (tests/oracle/README.md).
avail <- function(s, v) mean(w[[v]][w$state == s], na.rm = TRUE)
row3 <- (avail(1, "fte2") - avail(1, "fte1")) - (avail(0, "fte2") - avail(0, "fte1"))
stopifnot(abs(row3 - 2.76) < 0.01)
cat(sprintf(paste0("card_krueger: %d stores (%d NJ, %d PA) with FTE in both ",
                   "waves; DiD %.4f (se %.4f by store); all-available ",
                   "difference of means %.4f\n"),
            nrow(b), sum(b$treat), sum(!b$treat), rows$estimate[1],
            rows$se[1], row3))

out <- rows
for (col in names(out)[-(1:2)]) {
  out[[col]] <- if (col %in% c("n_treated", "n_control", "n_obs")) {
    sprintf("%d", as.integer(rows[[col]]))
  } else {
    num17(rows[[col]])
  }
}
write.csv(out, file.path(OUT, "expected.csv"), row.names = FALSE,
          quote = FALSE, na = "NA")
