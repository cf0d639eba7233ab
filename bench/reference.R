# The TWFE estimate, its CR1 standard error and the restricted wild cluster
# bootstrap p-value of `wijkeval estimate --method twfe --inference wild`,
# computed the way an analyst does it in R today: estimatr::lm_robust with
# the area effects absorbed for the fit and the clustered standard error,
# and a plain R loop for the bootstrap. `make bench-compare`
# (bench/compare.sh) runs it beside wijkeval on the same panel and compares
# the numbers and the time.
#
#   Rscript bench/reference.R --data DIR --indicators a,b,c
#           [--reps 999] [--seed 1] [--out results.csv]
#
# --reps 0: the estimate and CR1 standard error only (`make bench`'s
# estimate row); --fit within: from the demeaned lm.fit instead of
# lm_robust (which needs more than 24 GB on the national panel).
#
# DIR holds the files of `wijkeval simulate --national`: indicators.csv
# (area,period,indicator,value; `.` or empty is missing), areas.csv
# (area,...,municipality) and treatment.csv (area,from). The model and the
# sample are those of docs/methods.md, "twfe":
#
#   y_it = a_i + l_t + b D_it + e_it,  D_it = 1[t >= from_i],
#
# on every observation with a value (treated areas and the never-treated
# comparison areas, all periods), clustered by municipality.
#
# The standard error. lm_robust(se_type = "stata") uses the CR1 factor
# G/(G-1) (N-1)/(N-K_e) with K_e = rank + number of area effects: it counts
# the absorbed area dummies. wijkeval uses fixest's nested convention
# (ssc(fixef.K = "nested"), as reghdfe): the area effects are nested in the
# clusters and not counted, K = 2 + (P - 1) with P the periods present. The
# sandwich is otherwise the same, so
#
#   se_wijkeval = se_estimatr * sqrt((N - K_e) / (N - K)),
#
# with N - K_e = df.residual of the lm_robust fit. Both are written.
#
# The bootstrap (WCR, docs/methods.md "Wild cluster bootstrap"): fit the
# restricted model (b = 0) on the area and period effects, residuals u_r,
# fitted values f_r; for each draw one Rademacher weight per municipality,
# y* = f_r + w_g u_r, refit the full model, t* = b* / CR1 se*; p is the
# share of draws with |t*| >= |t|. The area effects are absorbed once by
# within-area demeaning (Frisch-Waugh-Lovell): every area lies in one
# municipality, so the demeaned y* is the demeaned f_r plus w_g u_r and each
# refit is an lm.fit of the demeaned y* on the demeaned treatment and period
# dummies, with the CR1 sandwich written out. A refit with lm_robust itself
# gives the same t* but costs about 0.5 s per draw on this panel (mostly the
# model frame and the absorption, redone each time); the loop here is the
# faster of the two plain-R routes. Its first step checks that the loop
# reproduces the lm_robust estimate and standard error on the sample itself.
# The draws come from R's generator (set.seed(seed) per indicator), not
# wijkeval's GSL mt19937, so the p-values agree within Monte Carlo error.

suppressPackageStartupMessages(library(estimatr))

opt <- list(data = NULL, indicators = NULL, reps = "999", seed = "1",
            out = "", fit = "lm_robust")
args <- commandArgs(trailingOnly = TRUE)
if (length(args) %% 2 != 0) stop("options come in pairs: --name value")
for (i in seq(1, length(args), by = 2)) {
  key <- sub("^--", "", args[i])
  if (!key %in% names(opt)) stop("unknown option ", args[i])
  opt[[key]] <- args[i + 1]
}
if (is.null(opt$data) || is.null(opt$indicators)) {
  stop("usage: Rscript bench/reference.R --data DIR --indicators a,b ",
       "[--reps B] [--seed S] [--out FILE]")
}
reps <- as.integer(opt$reps)
seed <- as.integer(opt$seed)
indicators <- strsplit(opt$indicators, ",")[[1]]

elapsed <- function() proc.time()[["elapsed"]]
num17 <- function(x) trimws(formatC(x, digits = 17, format = "g"))

# ---- read -----------------------------------------------------------------
t_start <- elapsed()
path <- function(f) file.path(opt$data, f)
areas <- read.csv(path("areas.csv"), colClasses = "character")
treatment <- read.csv(path("treatment.csv"),
                      colClasses = c(area = "character", from = "integer"))
cls <- c("character", "integer", "character", "character")
panel <- if (requireNamespace("data.table", quietly = TRUE)) {
  reader <- "data.table::fread"
  data.table::fread(path("indicators.csv"), colClasses = cls,
                    data.table = FALSE)
} else {
  reader <- "read.csv"
  read.csv(path("indicators.csv"), colClasses = cls)
}
# `.` and the empty field are missing; anything else must be a number.
value <- suppressWarnings(as.numeric(panel$value))
bad <- is.na(value) & !panel$value %in% c(".", "")
if (any(bad)) stop("indicators.csv: not a number: ", panel$value[bad][1])
panel$value <- value
panel <- panel[panel$indicator %in% indicators & is.finite(panel$value), ]
t_read <- elapsed() - t_start

# ---- one indicator ----------------------------------------------------------
within_area <- function(m, area) {
  means <- rowsum(m, area, reorder = FALSE) / tabulate(area)
  m - means[area, , drop = FALSE]
}

# CR1 standard error of the first coefficient of the demeaned regression.
cr1_se <- function(X, e, cl, XtX_inv, c1) {
  score <- rowsum(X * e, cl, reorder = FALSE) %*% XtX_inv[, 1]
  sqrt(c1 * sum(score^2))
}

estimate_one <- function(name) {
  t0 <- elapsed()
  d <- panel[panel$indicator == name, ]
  if (nrow(d) == 0) stop("no values for indicator ", name)
  d$municipality <- areas$municipality[match(d$area, areas$area)]
  if (anyNA(d$municipality)) stop(name, ": area not in areas.csv")
  from <- treatment$from[match(d$area, treatment$area)]
  d$D <- as.numeric(!is.na(from) & d$period >= from)

  N <- nrow(d)
  P <- length(unique(d$period))
  G <- length(unique(d$municipality))
  K <- 2 + (P - 1)
  if (opt$fit == "within") {
    # --fit within: the area effects absorbed by demeaning, lm.fit and the
    # CR1 sandwich written out (the loop's own fit below, checked against
    # lm_robust there): lm_robust's fixed_effects runs out of memory on the
    # national panel (13,000 areas).
    area <- match(d$area, unique(d$area))
    cl <- match(d$municipality, unique(d$municipality))
    periods <- sort(unique(d$period))
    X <- within_area(cbind(D = d$D, outer(d$period, periods[-1], "==") * 1),
                     area)
    y <- within_area(matrix(d$value), area)[, 1]
    full <- lm.fit(X, y)
    b <- full$coefficients[[1]]
    se <- cr1_se(X, full$residuals, cl, chol2inv(chol(crossprod(X))),
                 G / (G - 1) * (N - 1) / (N - K))
    se_estimatr <- NA_real_
  } else {
    fit <- lm_robust(value ~ D + factor(period), data = d,
                     fixed_effects = ~area, clusters = municipality,
                     se_type = "stata")
    b <- fit$coefficients[["D"]]
    se_estimatr <- fit$std.error[["D"]]
    se <- se_estimatr * sqrt(fit$df.residual / (N - K))
  }
  t_fit <- elapsed() - t0

  if (reps == 0) # --reps 0: the estimate and CR1 only (make bench)
    return(data.frame(indicator = name, n_obs = N, n_clusters = G,
                      estimate = num17(b), se = num17(se),
                      se_estimatr = num17(se_estimatr), p_wild = "NA",
                      reps = 0, seconds_fit = sprintf("%.3f", t_fit),
                      seconds_boot = "0.000"))

  # ---- wild cluster bootstrap, restricted, Rademacher ----------------------
  t0 <- elapsed()
  area <- match(d$area, unique(d$area))
  cl <- match(d$municipality, unique(d$municipality))
  periods <- sort(unique(d$period))
  Z <- outer(d$period, periods[-1], "==") * 1
  X <- within_area(cbind(D = d$D, Z), area)
  y <- within_area(matrix(d$value), area)[, 1]
  XtX_inv <- chol2inv(chol(crossprod(X)))
  c1 <- G / (G - 1) * (N - 1) / (N - K)

  full <- lm.fit(X, y)
  se_loop <- cr1_se(X, full$residuals, cl, XtX_inv, c1)
  stopifnot(abs(full$coefficients[[1]] - b) <= 1e-9 * abs(b),
            abs(se_loop - se) <= 1e-9 * se)
  t_obs <- b / se

  restricted <- lm.fit(X[, -1, drop = FALSE], y)
  u <- restricted$residuals
  f <- y - u
  set.seed(seed)
  t_star <- numeric(reps)
  for (r in seq_len(reps)) {
    w <- sample(c(-1, 1), G, replace = TRUE)
    ystar <- f + w[cl] * u
    refit <- lm.fit(X, ystar)
    t_star[r] <- refit$coefficients[[1]] /
      cr1_se(X, refit$residuals, cl, XtX_inv, c1)
  }
  p <- mean(abs(t_star) >= abs(t_obs))
  t_boot <- elapsed() - t0

  data.frame(indicator = name, n_obs = N, n_clusters = G,
             estimate = num17(b), se = num17(se),
             se_estimatr = num17(se_estimatr), p_wild = num17(p),
             reps = reps, seconds_fit = sprintf("%.3f", t_fit),
             seconds_boot = sprintf("%.3f", t_boot))
}

rows <- do.call(rbind, lapply(indicators, estimate_one))
t_total <- elapsed() - t_start
if (nzchar(opt$out)) {
  write.csv(rows, opt$out, row.names = FALSE, quote = FALSE)
} else {
  write.csv(rows, stdout(), row.names = FALSE, quote = FALSE)
}
cat(sprintf(paste0("reference.R: R %s, estimatr %s, %s; read %.2f s, fit + CR1 %.2f s, ",
                   "wild bootstrap (%d reps) %.2f s, total %.2f s\n"),
            getRversion(), packageVersion("estimatr"), reader, t_read,
            sum(as.numeric(rows$seconds_fit)), reps,
            sum(as.numeric(rows$seconds_boot)), t_total),
    file = stderr())
