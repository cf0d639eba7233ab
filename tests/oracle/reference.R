# Reference values for the core methods (pre_post, gap, did_2x2, twfe),
# computed with R packages that are independent of wijkeval: stats::t.test,
# estimatr::lm_robust, sandwich::vcovCL, plm and clubSandwich.
#
# Run from the repository root:   Rscript tests/oracle/reference.R
#
# For every dataset it writes the method inputs (panel.csv, treated.csv,
# design.csv) and the expected results (expected.csv) under
# tests/oracle/fixtures/<dataset>/. The definitions are the contract in
# tests/oracle/README.md. The script stops when two routes to the same number
# disagree by more than 1e-10 (relative; absolute for numbers below 1).

suppressPackageStartupMessages({
  library(estimatr)
  library(sandwich)
  library(plm)
  library(clubSandwich)
})

FIXTURES <- file.path("tests", "oracle", "fixtures")
SHARED_DATA <- Sys.getenv("WE_SHARED_DATA", "/work/shared/data")
if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/reference.R")
}

# ---- small helpers --------------------------------------------------------

num17 <- function(x) ifelse(is.na(x), NA_character_,
                            trimws(formatC(x, digits = 17, format = "g")))

# Relative agreement with an absolute floor near zero; the cross-checks.
agree <- function(a, b, what, tol = 1e-10) {
  ok <- (is.na(a) & is.na(b)) |
    (!is.na(a) & !is.na(b) & abs(a - b) <= tol * pmax(1, abs(a), abs(b)))
  if (!all(ok)) {
    stop(sprintf("%s: %s vs %s", what, paste(num17(a[!ok]), collapse = " "),
                 paste(num17(b[!ok]), collapse = " ")))
  }
  invisible(TRUE)
}

# Source files are copied next to the fixtures so that the inputs are
# committed and regeneration does not depend on the shared data directory.
source_copy <- function(dataset, file, shared_subdir) {
  dst <- file.path(FIXTURES, dataset, file)
  if (!file.exists(dst)) {
    src <- file.path(SHARED_DATA, shared_subdir, file)
    if (!file.exists(src)) {
      stop(sprintf("%s is missing and %s does not exist; copy the source file",
                   dst, src))
    }
    dir.create(dirname(dst), recursive = TRUE, showWarnings = FALSE)
    stopifnot(file.copy(src, dst))
  }
  dst
}

# Writes the three input files. y and population go out with 17
# significant digits so that a reader with strtod gets the same doubles.
write_inputs <- function(dataset, panel, treated, baseline, followup,
                         alpha = 0.05) {
  dir <- file.path(FIXTURES, dataset)
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  out <- data.frame(area = panel$area, municipality = panel$municipality,
                    period = panel$period, y = num17(panel$y),
                    population = num17(panel$population))
  write.csv(out, file.path(dir, "panel.csv"), row.names = FALSE,
            quote = FALSE, na = "")
  write.csv(treated, file.path(dir, "treated.csv"), row.names = FALSE,
            quote = FALSE)
  design <- data.frame(key = c("baseline", "followup", "alpha"),
                       value = c(as.character(baseline),
                                 paste(followup, collapse = " "),
                                 as.character(alpha)))
  write.csv(design, file.path(dir, "design.csv"), row.names = FALSE,
            quote = FALSE)
}

# Reads the inputs back, so that the reference values are computed from
# exactly the numbers the C test reads.
read_inputs <- function(dataset) {
  dir <- file.path(FIXTURES, dataset)
  panel <- read.csv(file.path(dir, "panel.csv"), colClasses = c(
    area = "character", municipality = "character", period = "integer",
    y = "numeric", population = "numeric"))
  treated <- read.csv(file.path(dir, "treated.csv"),
                      colClasses = c(area = "character", from = "integer"))
  design <- read.csv(file.path(dir, "design.csv"), colClasses = "character")
  get <- function(k) design$value[design$key == k]
  areas <- unique(panel$area)
  periods <- sort(unique(panel$period))
  y <- matrix(NA_real_, length(areas), length(periods),
              dimnames = list(areas, periods))
  y[cbind(match(panel$area, areas), match(panel$period, periods))] <- panel$y
  first <- match(areas, panel$area)
  from <- treated$from[match(areas, treated$area)]
  stopifnot(all(treated$area %in% areas))
  list(name = dataset, y = y, areas = areas, periods = periods,
       municipality = panel$municipality[first],
       population = panel$population[first],
       treat = !is.na(from), from = from,
       baseline = as.integer(get("baseline")),
       followup = as.integer(strsplit(get("followup"), " ")[[1]]),
       alpha = as.numeric(get("alpha")))
}

# One expected.csv row.
result_row <- function(method, variant, estimate = NA, se = NA, ci = c(NA, NA),
                       p = NA, df = NA, n_treated = NA, n_control = NA,
                       n_obs = NA, baseline = NA, latest = NA) {
  data.frame(method = method, variant = variant, estimate = estimate, se = se,
             ci_low = ci[1], ci_high = ci[2], p_value = p, df = df,
             n_treated = n_treated, n_control = n_control, n_obs = n_obs,
             baseline = baseline, latest = latest)
}

# ---- pre_post and gap: paired statistics over treated areas ----------------

# x0, xL: values at the baseline and at the latest follow-up of the treated
# areas; pairs with a missing end are dropped. With one pair there is no
# standard deviation, so se, interval, p and df stay NA.
paired_row <- function(method, variant, x0, xL, alpha) {
  ok <- !is.na(x0) & !is.na(xL)
  x0 <- x0[ok]
  xL <- xL[ok]
  n <- length(x0)
  stopifnot(n >= 1)
  base <- list(n_treated = n, n_control = 0, n_obs = 2 * n,
               baseline = mean(x0), latest = mean(xL))
  if (n == 1) {
    return(do.call(result_row, c(list(method, variant, estimate = xL - x0),
                                 base)))
  }
  tt <- t.test(xL, x0, paired = TRUE, conf.level = 1 - alpha)
  d <- xL - x0
  se <- sd(d) / sqrt(n)
  q <- qt(1 - alpha / 2, n - 1)
  agree(unname(tt$estimate), mean(d), paste(method, variant, "estimate"))
  agree(unname(tt$stderr), se, paste(method, variant, "se"))
  agree(as.numeric(tt$conf.int), mean(d) + c(-1, 1) * q * se,
        paste(method, variant, "ci"))
  agree(tt$p.value, 2 * pt(-abs(mean(d) / se), n - 1),
        paste(method, variant, "p"))
  do.call(result_row, c(list(method, variant,
                             estimate = unname(tt$estimate),
                             se = unname(tt$stderr),
                             ci = as.numeric(tt$conf.int), p = tt$p.value,
                             df = unname(tt$parameter)), base))
}

pre_post <- function(ds) {
  t0 <- as.character(ds$baseline)
  tl <- as.character(max(ds$followup))
  paired_row("pre_post", "none", ds$y[ds$treat, t0], ds$y[ds$treat, tl],
             ds$alpha)
}

# Reference by loops, literally as defined: weighted mean over the other
# areas of the municipality (or over all areas) with data in that period.
gap_reference_loop <- function(ds, group, weighted) {
  y <- ds$y
  w <- if (weighted) ds$population else rep(1, nrow(y))
  ref <- matrix(NA_real_, nrow(y), ncol(y), dimnames = dimnames(y))
  for (i in seq_len(nrow(y))) {
    for (t in seq_len(ncol(y))) {
      j <- if (group) {
        which(ds$municipality == ds$municipality[i] &
                seq_len(nrow(y)) != i & !is.na(y[, t]))
      } else {
        which(!is.na(y[, t]))
      }
      if (length(j) > 0) ref[i, t] <- weighted.mean(y[j, t], w[j])
    }
  }
  ref
}

# The same reference from group totals minus the area's own contribution;
# a second route for the cross-check.
gap_reference_totals <- function(ds, group, weighted) {
  y <- ds$y
  w <- if (weighted) ds$population else rep(1, nrow(y))
  has <- !is.na(y)
  wy <- ifelse(has, y * w, 0)
  ww <- ifelse(has, w, 0)
  key <- if (group) ds$municipality else rep("all", nrow(y))
  sum_wy <- rowsum(wy, key)[key, , drop = FALSE]
  sum_w <- rowsum(ww, key)[key, , drop = FALSE]
  if (group) {
    sum_wy <- sum_wy - wy
    sum_w <- sum_w - ww
  }
  ref <- ifelse(sum_w > 0, sum_wy / sum_w, NA_real_)
  dimnames(ref) <- dimnames(y)
  ref
}

GAP_VARIANTS <- c("municipality", "municipality_weighted", "national",
                  "national_weighted")

gap_reference <- function(ds, variant) {
  group <- startsWith(variant, "municipality")
  weighted <- endsWith(variant, "_weighted")
  ref <- gap_reference_loop(ds, group, weighted)
  agree(as.vector(ref), as.vector(gap_reference_totals(ds, group, weighted)),
        paste(ds$name, "gap reference", variant))
  ref
}

gap <- function(ds, variant, ref) {
  g <- ds$y - ref
  t0 <- as.character(ds$baseline)
  tl <- as.character(max(ds$followup))
  paired_row("gap", variant, g[ds$treat, t0], g[ds$treat, tl], ds$alpha)
}

# ---- did_2x2: OLS of the change in area means on treatment ---------------

did_2x2 <- function(ds, variant) {
  t0 <- as.character(ds$baseline)
  fu <- as.character(ds$followup)
  y0 <- ds$y[, t0]
  yf <- ds$y[, fu, drop = FALSE]
  n_fu <- rowSums(!is.na(yf))
  used <- !is.na(y0) & n_fu > 0
  post <- rowMeans(yf, na.rm = TRUE)
  cl <- if (variant == "cluster_area") ds$areas else ds$municipality
  dat <- data.frame(delta = (post - y0)[used], treat = as.numeric(ds$treat[used]),
                    cl = cl[used])
  fit <- lm_robust(delta ~ treat, data = dat, clusters = cl,
                   se_type = "stata", alpha = ds$alpha)
  G <- length(unique(dat$cl))
  b <- unname(coef(fit)["treat"])
  se <- unname(fit$std.error["treat"])
  stopifnot(fit$df["treat"] == G - 1)
  # Second route: sandwich's HC1 + cluster adjustment is Stata's CR1.
  ols <- lm(delta ~ treat, data = dat)
  agree(unname(coef(ols)["treat"]), b, paste(ds$name, "did estimate"))
  v <- vcovCL(ols, cluster = ~cl, type = "HC1", cadjust = TRUE)
  agree(sqrt(v["treat", "treat"]), se, paste(ds$name, "did se", variant))
  q <- qt(1 - ds$alpha / 2, G - 1)
  agree(c(fit$conf.low["treat"], fit$conf.high["treat"]),
        b + c(-1, 1) * q * se, paste(ds$name, "did ci", variant))
  agree(unname(fit$p.value["treat"]), 2 * pt(-abs(b / se), G - 1),
        paste(ds$name, "did p", variant))
  tr <- ds$treat[used]
  result_row("did_2x2", variant, estimate = b, se = se,
             ci = c(fit$conf.low["treat"], fit$conf.high["treat"]),
             p = unname(fit$p.value["treat"]), df = G - 1,
             n_treated = sum(tr), n_control = sum(!tr),
             n_obs = sum(used) + sum(n_fu[used]),
             baseline = mean(y0[used][tr]) - mean(y0[used][!tr]),
             latest = mean(post[used][tr]) - mean(post[used][!tr]))
}

# ---- twfe: area and period dummies, CR1 with K = 2 + (T - 1) --------------

twfe_sample <- function(ds) {
  keep <- ds$periods <= max(ds$followup)
  y <- ds$y[, keep, drop = FALSE]
  idx <- which(!is.na(y), arr.ind = TRUE)
  per <- ds$periods[keep][idx[, 2]]
  from <- ds$from[idx[, 1]]
  data.frame(area = ds$areas[idx[, 1]],
             municipality = ds$municipality[idx[, 1]],
             period = per, y = y[idx],
             D = as.numeric(!is.na(from) & per >= from),
             treat = ds$treat[idx[, 1]], stringsAsFactors = FALSE)
}

twfe <- function(ds, variant) {
  dat <- twfe_sample(ds)
  dat$cl <- if (variant == "cluster_area") dat$area else dat$municipality
  fit <- lm(y ~ D + factor(area) + factor(period), data = dat)
  b <- unname(coef(fit)["D"])
  stopifnot(!is.na(b))
  N <- nrow(dat)
  n_t <- length(unique(dat$period))
  K <- 2 + (n_t - 1)
  G <- length(unique(dat$cl))
  v_g <- vcovCL(fit, cluster = ~cl, type = "HC0", cadjust = TRUE)["D", "D"]
  se <- sqrt(v_g * (N - 1) / (N - K))

  # Route 2: Frisch-Waugh-Lovell by hand, D residualised on both effects.
  d_res <- resid(lm(D ~ factor(area) + factor(period), data = dat))
  score <- tapply(d_res * resid(fit), dat$cl, sum)
  v_fwl <- sum(score^2) / sum(d_res^2)^2 * G / (G - 1)
  agree(v_fwl, v_g, paste(ds$name, "twfe FWL variance", variant))
  # Route 3: clubSandwich's CR1 is the same G/(G-1) sandwich.
  v_cr1 <- as.matrix(vcovCR(fit, cluster = dat$cl, type = "CR1"))
  agree(v_cr1["D", "D"], v_g, paste(ds$name, "twfe clubSandwich", variant))
  # Route 4: plm's two-way within estimator and Arellano HC0 by area.
  pd <- pdata.frame(dat[, c("area", "period", "y", "D")],
                    index = c("area", "period"))
  pfit <- plm(y ~ D, data = pd, model = "within", effect = "twoways")
  agree(unname(coef(pfit)["D"]), b, paste(ds$name, "twfe plm estimate"))
  if (variant == "cluster_area") {
    v_plm <- vcovHC(pfit, method = "arellano", type = "HC0",
                    cluster = "group")["D", "D"]
    v_hc0 <- vcovCL(fit, cluster = ~cl, type = "HC0", cadjust = FALSE)["D", "D"]
    agree(v_plm, v_hc0, paste(ds$name, "twfe plm HC0 meat"))
  }

  q <- qt(1 - ds$alpha / 2, G - 1)
  areas_t <- unique(dat$area[dat$treat])
  areas_c <- unique(dat$area[!dat$treat])
  result_row("twfe", variant, estimate = b, se = se,
             ci = b + c(-1, 1) * q * se, p = 2 * pt(-abs(b / se), G - 1),
             df = G - 1, n_treated = length(areas_t),
             n_control = length(areas_c), n_obs = N)
}

# ---- all methods for one dataset -----------------------------------------

# reference.csv: the four reference series in long form, one row per
# area and period of the panel matrix (empty = no reference).
write_references <- function(ds, refs) {
  cells <- expand.grid(t = seq_along(ds$periods), i = seq_along(ds$areas))
  out <- data.frame(area = ds$areas[cells$i], period = ds$periods[cells$t])
  for (v in GAP_VARIANTS) out[[v]] <- num17(refs[[v]][cbind(cells$i, cells$t)])
  write.csv(out, file.path(FIXTURES, ds$name, "reference.csv"),
            row.names = FALSE, quote = FALSE, na = "")
}

write_expected <- function(dataset) {
  ds <- read_inputs(dataset)
  refs <- setNames(lapply(GAP_VARIANTS, function(v) gap_reference(ds, v)),
                   GAP_VARIANTS)
  write_references(ds, refs)
  rows <- rbind(
    pre_post(ds),
    do.call(rbind, lapply(GAP_VARIANTS, function(v) gap(ds, v, refs[[v]]))),
    do.call(rbind, lapply(c("cluster_area", "cluster_municipality"),
                          function(v) did_2x2(ds, v))),
    do.call(rbind, lapply(c("cluster_area", "cluster_municipality"),
                          function(v) twfe(ds, v))))
  out <- rows
  for (col in names(out)[-(1:2)]) {
    out[[col]] <- if (col %in% c("n_treated", "n_control", "n_obs")) {
      ifelse(is.na(rows[[col]]), NA, sprintf("%d", as.integer(rows[[col]])))
    } else {
      num17(rows[[col]])
    }
  }
  write.csv(out, file.path(FIXTURES, dataset, "expected.csv"),
            row.names = FALSE, quote = FALSE, na = "NA")
  cat(sprintf("%s: %d areas, %d periods, %d expected rows\n", dataset,
              length(ds$areas), length(ds$periods), nrow(out)))
}

# ---- datasets ------------------------------------------------------------

# California Proposition 99 (Abadie, Diamond and Hainmueller 2010). The
# states have no municipalities: a synthetic grouping R0..R7 by the state's
# alphabetical position (0-based) modulo 8 gives the municipality gap and
# the second clustering a grouping to work on. Population is made up.
make_prop99 <- function() {
  src <- read.csv(source_copy("prop99", "california_prop99.csv",
                              "california_prop99"),
                  stringsAsFactors = FALSE)
  states <- sort(unique(src$State))
  idx <- match(src$State, states) - 1
  panel <- data.frame(area = src$State, municipality = paste0("R", idx %% 8),
                      period = src$Year, y = src$PacksPerCapita,
                      population = 1000 + 37 * idx)
  panel <- panel[order(match(panel$area, states), panel$period), ]
  from <- tapply(src$Year[src$treated == 1], src$State[src$treated == 1], min)
  write_inputs("prop99", panel,
               data.frame(area = names(from), from = as.integer(from)),
               baseline = 1988, followup = 1989:2000)
}

# Two treatment waves (2008, 2009) in an unbalanced panel: about 5% of the
# cells are missing at random, including baseline and follow-up cells of
# treated areas, so the methods have to drop pairs with a missing end.
make_waves <- function() {
  set.seed(20081107)
  n_area <- 60
  sizes <- c(8, 7, 6, 6, 5, 5, 5, 5, 4, 4, 3, 2)
  periods <- 2003:2012
  areas <- sprintf("W%02d", seq_len(n_area))
  muni <- sprintf("M%02d", rep(seq_along(sizes), sizes))
  treated <- sample(n_area, 25)
  from <- rep(NA_integer_, n_area)
  from[treated[1:15]] <- 2008L
  from[treated[16:25]] <- 2009L
  area_eff <- rnorm(n_area, 40, 6)
  period_eff <- cumsum(rnorm(length(periods), 0.5, 1))
  shock <- matrix(rnorm(length(sizes) * length(periods), 0, 1.2),
                  length(sizes), length(periods))
  population <- round(runif(n_area, 1500, 25000))
  panel <- expand.grid(t = seq_along(periods), i = seq_len(n_area))
  D <- !is.na(from[panel$i]) & periods[panel$t] >= from[panel$i]
  y <- area_eff[panel$i] + period_eff[panel$t] + 2.0 * D +
    shock[cbind(match(muni[panel$i], unique(muni)), panel$t)] +
    rnorm(nrow(panel), 0, 1.5)
  y[sample(length(y), round(0.05 * length(y)))] <- NA
  write_inputs("waves",
               data.frame(area = areas[panel$i], municipality = muni[panel$i],
                          period = periods[panel$t], y = y,
                          population = population[panel$i]),
               data.frame(area = areas[!is.na(from)],
                          from = from[!is.na(from)]),
               baseline = 2007, followup = 2008:2012)
}

# Callaway and Sant'Anna's county panel: log teen employment, staggered
# minimum-wage increases (2004, 2006, 2007). The state (FIPS code / 1000)
# serves as municipality; population is exp(lpop).
make_mpdta <- function() {
  src <- read.csv(source_copy("mpdta", "mpdta.csv", "mpdta"))
  src <- src[order(src$countyreal, src$year), ]
  panel <- data.frame(area = as.character(src$countyreal),
                      municipality = paste0("S", src$countyreal %/% 1000),
                      period = src$year, y = src$lemp,
                      population = exp(src$lpop))
  tr <- unique(src[src$first.treat != 0, c("countyreal", "first.treat")])
  write_inputs("mpdta", panel,
               data.frame(area = as.character(tr$countyreal),
                          from = as.integer(tr$first.treat)),
               baseline = 2003, followup = 2004:2007)
}

make_prop99()
make_waves()
make_mpdta()
for (d in c("prop99", "waves", "mpdta")) write_expected(d)
