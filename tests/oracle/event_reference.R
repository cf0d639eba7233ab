# Reference values for the event study, its pre-trend test (CR1 Wald and
# the restricted wild cluster bootstrap) and randomisation inference,
# computed with explicit dummies in lm() and sandwich / clubSandwich / car,
# independently of wijkeval.
#
# Run from the repository root:   Rscript tests/oracle/event_reference.R
#
# Reads the inputs of the `waves` and `mpdta` fixtures written by
# reference.R (it does not rewrite them) and writes two small fixtures of its
# own, `tiny_event` and `ri6`, with the same input files (panel.csv,
# treated.csv, design.csv). Outputs, 17 significant digits:
#   <dataset>/event_expected.csv  waves, mpdta, tiny_event
#   ri6/ri_permutations.csv, ri6/ri_expected.csv
# The contract is in tests/oracle/README.md ("Event study and randomisation
# inference"). Deterministic: a second run gives byte-identical files. The
# script stops when two routes to the same number disagree by more than
# 1e-10 (relative; absolute below 1).

suppressPackageStartupMessages({
  library(sandwich)
  library(clubSandwich)
  library(car)
})

FIXTURES <- file.path("tests", "oracle", "fixtures")
if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/event_reference.R")
}
TIE_TOL <- 1e-9 # as in core/src/methods/event.c

# ---- helpers (the conventions of reference.R) ------------------------------

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
  stopifnot(all(treated$area %in% areas), all(is.na(from) | from %in% periods))
  list(name = dataset, y = y, areas = areas, periods = periods,
       municipality = panel$municipality[first],
       treat = !is.na(from),
       from_idx = match(from, periods) - 1L, # period index, NA = never
       followup = as.integer(strsplit(get("followup"), " ")[[1]]),
       alpha = as.numeric(get("alpha")))
}

# The TWFE sample: every (area, period) with y present and period <= the
# latest follow-up; t is the 0-based period index.
panel_sample <- function(ds) {
  keep <- ds$periods <= max(ds$followup)
  y <- ds$y[, keep, drop = FALSE]
  idx <- which(!is.na(y), arr.ind = TRUE)
  idx <- idx[order(idx[, 1], idx[, 2]), , drop = FALSE]
  data.frame(area = ds$areas[idx[, 1]],
             municipality = ds$municipality[idx[, 1]],
             period = ds$periods[keep][idx[, 2]], t = idx[, 2] - 1L,
             y = y[idx], from_idx = ds$from_idx[idx[, 1]],
             treat = ds$treat[idx[, 1]], stringsAsFactors = FALSE)
}

ev_name <- function(k) ifelse(k < 0, paste0("ev_m", -k), paste0("ev_p", k))

# Event-time dummies for treated areas, binned at the window ends, without
# -1; event times without any observation are left out (as in the C code).
add_event_dummies <- function(dat, lo, hi) {
  rel <- pmin(pmax(dat$t - dat$from_idx, lo), hi)
  ks <- setdiff(lo:hi, -1)
  used <- integer(0)
  for (k in ks) {
    d <- as.numeric(dat$treat & !is.na(rel) & rel == k)
    if (sum(d) > 0) {
      dat[[ev_name(k)]] <- d
      used <- c(used, k)
    }
  }
  list(dat = dat, ks = used, rel = rel)
}

cluster_of <- function(dat, variant) {
  if (variant == "cluster_area") dat$area else dat$municipality
}

# ---- the event study ------------------------------------------------------

event_fit <- function(ds, variant, lo, hi) {
  e <- add_event_dummies(panel_sample(ds), lo, hi)
  dat <- e$dat
  dat$cl <- cluster_of(dat, variant)
  evs <- ev_name(e$ks)
  f <- as.formula(paste("y ~", paste(evs, collapse = " + "),
                        "+ factor(area) + factor(period)"))
  fit <- lm(f, data = dat)
  stopifnot(!anyNA(coef(fit)[evs]))
  N <- nrow(dat)
  K <- length(evs) + 1 + (length(unique(dat$period)) - 1)
  G <- length(unique(dat$cl))
  scale <- (N - 1) / (N - K)
  V_all <- vcovCL(fit, cluster = ~cl, type = "HC0", cadjust = TRUE) * scale
  V <- V_all[evs, evs, drop = FALSE]

  # Route 2: clubSandwich's CR1 is the same G/(G-1) sandwich.
  v_cr1 <- as.matrix(vcovCR(fit, cluster = dat$cl, type = "CR1"))
  agree(as.vector(v_cr1[evs, evs] * scale), as.vector(V),
        paste(ds$name, variant, "event clubSandwich"))
  # Route 3: Frisch-Waugh-Lovell by hand for the event block.
  Xr <- sapply(evs, function(v) {
    resid(lm(as.formula(paste(v, "~ factor(area) + factor(period)")),
             data = dat))
  })
  Xr <- matrix(Xr, nrow = N)
  bread <- solve(crossprod(Xr))
  agree(as.vector(bread %*% crossprod(Xr, dat$y)), unname(coef(fit)[evs]),
        paste(ds$name, variant, "event FWL estimate"))
  S <- rowsum(Xr * resid(fit), dat$cl)
  v_fwl <- bread %*% crossprod(S) %*% bread * G / (G - 1) * scale
  agree(as.vector(v_fwl), as.vector(V), paste(ds$name, variant, "event FWL"))

  list(fit = fit, dat = dat, evs = evs, ks = e$ks, rel = e$rel, V = V,
       V_all = V_all, N = N, K = K, G = G)
}

event_rows <- function(ds, ef, variant, lo, hi) {
  b <- unname(coef(ef$fit)[ef$evs])
  se <- sqrt(diag(ef$V))
  q <- qt(1 - ds$alpha / 2, ef$G - 1)
  n_tr <- sapply(ef$ks, function(k) {
    length(unique(ef$dat$area[ef$dat$treat & ef$rel == k]))
  })
  data.frame(variant = variant, min_rel = lo, max_rel = hi, term = "event",
             rel_time = ef$ks, estimate = b, se = se, ci_low = b - q * se,
             ci_high = b + q * se, p_value = 2 * pt(-abs(b / se), ef$G - 1),
             df = ef$G - 1, n_treated = n_tr, n_obs = ef$N, q = NA,
             wald = NA, f = NA, boot_p = NA, boot_reps = NA)
}

# H0: every lead (k <= -2) is zero. W = b' V^-1 b with the CR1 block,
# F = W / q, p from F(q, G - 1).
pretrend <- function(ds, ef, variant) {
  leads <- ef$evs[ef$ks <= -2]
  q <- length(leads)
  stopifnot(q > 0)
  b <- coef(ef$fit)[leads]
  W <- as.numeric(t(b) %*% solve(ef$V[leads, leads, drop = FALSE], b))
  # Route 2: car's chi-square statistic with the same covariance.
  lh <- linearHypothesis(ef$fit, paste(leads, "= 0"), vcov. = ef$V_all,
                         test = "Chisq")
  agree(lh$Chisq[2], W, paste(ds$name, variant, "Wald car"))
  # Route 3: clubSandwich's naive F with CR1 (no (N-1)/(N-K) factor) and
  # df (q, G - 1).
  wt <- Wald_test(ef$fit, constraints = constrain_zero(leads),
                  vcov = vcovCR(ef$fit, cluster = ef$dat$cl, type = "CR1"),
                  test = "Naive-F")
  scale <- (ef$N - 1) / (ef$N - ef$K)
  agree(wt$Fstat / scale, W / q, paste(ds$name, variant, "F clubSandwich"))
  stopifnot(wt$df_denom == ef$G - 1)
  list(leads = leads, q = q, W = W, F = W / q,
       p = pf(W / q, q, ef$G - 1, lower.tail = FALSE))
}

pretrend_row <- function(ef, pt, variant, lo, hi, boot = c(NA, NA)) {
  data.frame(variant = variant, min_rel = lo, max_rel = hi,
             term = "pretrend", rel_time = NA, estimate = NA, se = NA,
             ci_low = NA, ci_high = NA, p_value = pt$p, df = ef$G - 1,
             n_treated = NA, n_obs = ef$N, q = pt$q, wald = pt$W, f = pt$F,
             boot_p = boot[1], boot_reps = boot[2])
}

# CR1 Wald statistic of the leads for outcome ystar, on the full dummy
# matrix (no demeaning): a route independent of the C algebra.
wald_full <- function(X, ystar, cl, leads, G, scale) {
  XtXi <- solve(crossprod(X))
  beta <- XtXi %*% crossprod(X, ystar)
  u <- as.vector(ystar - X %*% beta)
  S <- rowsum(X * u, cl)
  V <- XtXi %*% crossprod(S) %*% XtXi * G / (G - 1) * scale
  b <- beta[leads, 1]
  as.numeric(t(b) %*% solve(V[leads, leads, drop = FALSE], b))
}

# Restricted wild cluster bootstrap (leads = 0, Rademacher) with every one
# of the 2^G sign vectors: the exact bootstrap p-value.
boot_exact <- function(ds, ef, pt) {
  dat <- ef$dat
  lags <- setdiff(ef$evs, pt$leads)
  fr <- as.formula(paste("y ~", paste(c(lags, "factor(area)",
                                        "factor(period)"), collapse = " + ")))
  rfit <- lm(fr, data = dat)
  X <- model.matrix(ef$fit)
  cls <- unique(dat$cl)
  g <- match(dat$cl, cls)
  G <- length(cls)
  stopifnot(G <= 12)
  scale <- (ef$N - 1) / (ef$N - ef$K)
  agree(wald_full(X, dat$y, dat$cl, pt$leads, G, scale), pt$W,
        paste(ds$name, "Wald by the full dummy matrix"))
  signs <- as.matrix(expand.grid(rep(list(c(1, -1)), G)))
  Wstar <- apply(signs, 1, function(v) {
    ystar <- fitted(rfit) + v[g] * resid(rfit)
    wald_full(X, ystar, dat$cl, pt$leads, G, scale)
  })
  rel <- abs(Wstar / pt$W - 1)
  # Apart from the exact ties (v = +-1), no draw is near the threshold: the
  # count does not depend on rounding.
  stopifnot(all(rel < TIE_TOL | rel > 1e-6))
  c(mean(Wstar >= pt$W * (1 - TIE_TOL)), nrow(signs))
}

write_event <- function(dataset, specs, boot = FALSE) {
  ds <- read_inputs(dataset)
  rows <- NULL
  for (s in specs) {
    ef <- event_fit(ds, s$variant, s$lo, s$hi)
    pt <- pretrend(ds, ef, s$variant)
    bp <- if (boot) boot_exact(ds, ef, pt) else c(NA, NA)
    rows <- rbind(rows, event_rows(ds, ef, s$variant, s$lo, s$hi),
                  pretrend_row(ef, pt, s$variant, s$lo, s$hi, bp))
  }
  out <- rows
  ints <- c("min_rel", "max_rel", "rel_time", "df", "n_treated", "n_obs", "q",
            "boot_reps")
  for (col in names(out)[-c(1, 4)]) {
    out[[col]] <- if (col %in% ints) {
      ifelse(is.na(rows[[col]]), NA, sprintf("%d", as.integer(rows[[col]])))
    } else {
      num17(rows[[col]])
    }
  }
  write.csv(out, file.path(FIXTURES, dataset, "event_expected.csv"),
            row.names = FALSE, quote = FALSE, na = "NA")
  cat(sprintf("%s: %d event_expected rows\n", dataset, nrow(out)))
}

spec <- function(variant, lo, hi) list(variant = variant, lo = lo, hi = hi)

# ---- randomisation inference ---------------------------------------------

# TWFE coefficient of D for the treated set `tr` (areas, same start).
twfe_b <- function(dat, tr, from_idx) {
  dat$D <- as.numeric(dat$area %in% tr & dat$t >= from_idx)
  unname(coef(lm(y ~ D + factor(area) + factor(period), data = dat))["D"])
}

write_ri <- function(dataset) {
  ds <- read_inputs(dataset)
  dat <- panel_sample(ds)
  from <- unique(ds$from_idx[ds$treat])
  stopifnot(length(from) == 1) # one start: assignments are sets of areas
  n_tr <- sum(ds$treat)
  sets <- combn(ds$areas, n_tr, simplify = FALSE)
  b <- sapply(sets, function(s) twfe_b(dat, s, from))
  observed <- sapply(sets, function(s) setequal(s, ds$areas[ds$treat]))
  b_obs <- b[observed]
  # Route 2 for the observed coefficient: Frisch-Waugh-Lovell.
  dat$D <- as.numeric(dat$treat & dat$t >= from)
  d_res <- resid(lm(D ~ factor(area) + factor(period), data = dat))
  agree(sum(d_res * dat$y) / sum(d_res^2), b_obs, "ri6 FWL estimate")
  rel <- abs(abs(b) / abs(b_obs) - 1)
  stopifnot(all(rel < TIE_TOL | rel > 1e-6))
  p_exact <- mean(abs(b) >= abs(b_obs) * (1 - TIE_TOL))
  dir <- file.path(FIXTURES, dataset)
  write.csv(data.frame(areas = sapply(sets, paste, collapse = " "),
                       estimate = num17(b)),
            file.path(dir, "ri_permutations.csv"), row.names = FALSE,
            quote = FALSE)
  write.csv(data.frame(key = c("estimate", "p_exact", "n_assignments"),
                       value = c(num17(b_obs), num17(p_exact),
                                 sprintf("%d", length(sets)))),
            file.path(dir, "ri_expected.csv"), row.names = FALSE,
            quote = FALSE)
  cat(sprintf("%s: %d assignments, exact p = %s\n", dataset, length(sets),
              num17(p_exact)))
}

# ---- small fixtures -------------------------------------------------------

# Eight areas, six periods, staggered (two areas from 2004, one from 2005),
# one missing cell: small enough to enumerate all 2^8 bootstrap draws.
make_tiny_event <- function() {
  set.seed(20240501)
  areas <- sprintf("E%d", 1:8)
  periods <- 2001:2006
  from <- c(2004L, 2004L, 2005L, rep(NA_integer_, 5))
  cells <- expand.grid(t = seq_along(periods), i = seq_along(areas))
  D <- !is.na(from[cells$i]) & periods[cells$t] >= from[cells$i]
  y <- rnorm(8, 10, 2)[cells$i] + cumsum(rnorm(6, 0.3, 0.5))[cells$t] +
    1.5 * D + rnorm(nrow(cells), 0, 0.8)
  y[cells$i == 5 & cells$t == 2] <- NA
  write_inputs("tiny_event",
               data.frame(area = areas[cells$i],
                          municipality = sprintf("M%d", (cells$i + 1) %/% 2),
                          period = periods[cells$t], y = y, population = 1000),
               data.frame(area = areas[!is.na(from)], from = from[!is.na(from)]),
               baseline = 2003, followup = 2004:2006)
}

# Six areas, five periods, two treated from 2003, one missing cell:
# choose(6, 2) = 15 equally likely assignments.
make_ri6 <- function() {
  set.seed(19350101)
  areas <- sprintf("R%d", 1:6)
  periods <- 2001:2005
  from <- c(NA, 2003L, NA, NA, 2003L, NA)
  cells <- expand.grid(t = seq_along(periods), i = seq_along(areas))
  D <- !is.na(from[cells$i]) & periods[cells$t] >= from[cells$i]
  y <- rnorm(6, 20, 3)[cells$i] + cumsum(rnorm(5, 0.5, 0.5))[cells$t] +
    1.0 * D + rnorm(nrow(cells), 0, 1)
  y[cells$i == 4 & cells$t == 5] <- NA
  write_inputs("ri6",
               data.frame(area = areas[cells$i], municipality = "M1",
                          period = periods[cells$t], y = y, population = 1000),
               data.frame(area = areas[!is.na(from)], from = from[!is.na(from)]),
               baseline = 2002, followup = 2003:2005)
}

make_tiny_event()
make_ri6()
write_event("waves", list(spec("cluster_area", -4, 3),
                          spec("cluster_municipality", -4, 3),
                          spec("cluster_area", -8, 5),
                          spec("cluster_municipality", -2, 1)))
write_event("mpdta", list(spec("cluster_area", -4, 3),
                          spec("cluster_municipality", -4, 3)))
write_event("tiny_event", list(spec("cluster_area", -3, 1)), boot = TRUE)
write_ri("ri6")
