#!/usr/bin/env Rscript
# Reference values for core/src/methods/honest_rm.c from R HonestDiD
# (Rambachan & Roth), the package's own code: for every panel in
# tests/oracle/fixtures/honestdid/<panel>/es_input.csv (rel_time,
# estimate, df, covariance row) it writes expected.csv (quantity,value):
#
# * ci_low_mbar1, ci_high_mbar1: createSensitivityResults_relativeMagnitudes
#   (method "C-LF", bound "deviation from parallel trends", Mbarvec = 1,
#   alpha = 0.05, l_vec = the average of the lags) on the grid
#   theta_hat +- w sd(theta_hat), 1000 points, w = 20 doubled while an end
#   of the grid is accepted (the grid wijkeval uses; HonestDiD's default
#   grid, +- 20 sd around 0, would cut off large effects);
# * breakdown_mbar: the smallest Mbar at which theta = 0 is in
#   computeConditionalCS_DeltaRM's set (gridPoints = 1 at 0), by the same
#   bisection as wijkeval: 0 if Mbar = 0 accepts, else doubling from 1 to 64,
#   then halving to a width of breakdown_tol.
#
# Panels: `bcdata` is HonestDiD's BCdata_EventStudy (Benzarti & Carloni);
# `waves` and `mpdta` are the event studies pinned in
# tests/oracle/fixtures/{waves,mpdta}/es_input.csv; `demo_<experiment>` are
# the demo's headline event studies (event_study.coefficients and
# event_study.vcov of out/demo/report.json, copied when run with
# --from-demo out/demo/report.json).
#
# Needs: R HonestDiD's source (github asheshrambachan/HonestDiD, 0.2.8;
# WE_HONESTDID_SRC, the R/ files of the relative-magnitudes path are
# source()d), TruncatedNormal's source (github cran/TruncatedNormal 2.3;
# WE_TRUNCNORM_SRC: norminvp and its compiled Phinv, because the package's
# other imports are not in Debian), lpSolveAPI (built from source into a
# library on R_LIBS), and Debian's r-cran-rglpk, -mvtnorm, -matrixstats,
# -pracma, -purrr, -tibble, -foreach, -dplyr, -jsonlite, -rcpp,
# -rcpparmadillo. Regenerate (from the repository root; tests/oracle/README.md):
#   R_LIBS=/work/peers/Rlib WE_HONESTDID_SRC=/work/peers/src/HonestDiD \
#   WE_TRUNCNORM_SRC=/work/peers/src/TruncatedNormal \
#   Rscript tests/oracle/honestdid_rm.R [--from-demo out/demo/report.json] [panel ...]

suppressPackageStartupMessages({
  library(lpSolveAPI); library(Rglpk); library(mvtnorm); library(matrixStats)
  library(pracma); library(purrr); library(tibble); library(foreach)
  library(Matrix)
})

hd_src <- Sys.getenv("WE_HONESTDID_SRC", "/work/peers/src/HonestDiD")
tn_src <- Sys.getenv("WE_TRUNCNORM_SRC", "/work/peers/src/TruncatedNormal")
root <- Sys.getenv("WE_ORACLE_FIXTURES", "tests/oracle/fixtures")
out_root <- file.path(root, "honestdid")

# TruncatedNormal::norminvp, from the package's own source.
Rcpp::sourceCpp(file.path(tn_src, "src", "lnNpr_cholperm_Phinv.cpp"),
                cacheDir = file.path(tempdir(), "tn"))
for (f in c("cases", "normq", "newton", "qfun", "norminvp"))
  source(file.path(tn_src, "R", paste0(f, ".R")))

hd <- new.env()
for (f in c("utilities", "arp-nuisance", "arp-nonuisance", "deltarm",
            "sensitivityresults"))
  sys.source(file.path(hd_src, "R", paste0(f, ".R")), envir = hd)
# The one call into TruncatedNormal, pointed at the source()d norminvp
# (same code; the installed package is not available).
hd$.norminvp_generalized <- function(p, l, u, mu = 0, sd = 1) {
  q <- norminvp(p, (l - mu) / sd, (u - mu) / sd)
  mu + q * sd
}

ALPHA <- 0.05
BREAKDOWN_TOL <- 1e-3
GRID_POINTS <- 1000

read_es <- function(path) {
  x <- read.csv(path, check.names = FALSE)
  list(rel = x$rel_time, b = x$estimate, df = x$df[1],
       V = as.matrix(x[, -(1:3)]))
}

write_es <- function(path, rel, b, df, V) {
  dir.create(dirname(path), recursive = TRUE, showWarnings = FALSE)
  d <- data.frame(rel_time = rel, estimate = b, df = df)
  colnames(V) <- paste0("v", seq_len(ncol(V)))
  write.csv(cbind(d, V), path, row.names = FALSE, quote = FALSE)
}

from_demo <- function(report) {
  r <- jsonlite::fromJSON(report, simplifyVector = FALSE)
  for (e in r$experiments) for (res in e$results) {
    if (is.null(res$sensitivity) || is.null(res$event_study$vcov)) next
    co <- res$event_study$coefficients
    V <- do.call(rbind, lapply(res$event_study$vcov, unlist))
    write_es(file.path(out_root, paste0("demo_", e$id), "es_input.csv"),
             sapply(co, `[[`, "rel_time"), sapply(co, `[[`, "estimate"),
             res$event_study$pretrend$df, V)
  }
}

accepts0 <- function(es, mbar) {
  suppressWarnings(hd$computeConditionalCS_DeltaRM(
    betahat = es$b, sigma = es$V, numPrePeriods = es$q,
    numPostPeriods = es$L, l_vec = es$l, Mbar = mbar, alpha = ALPHA,
    hybrid_flag = "LF", gridPoints = 1, grid.lb = 0, grid.ub = 0))$accept[1] == 1
}

breakdown <- function(es) {
  if (accepts0(es, 0)) return(0)
  lo <- 0; hi <- 1
  while (!accepts0(es, hi)) {
    if (hi >= 64) return(Inf)
    lo <- hi; hi <- 2 * hi
  }
  while (hi - lo > BREAKDOWN_TOL) {
    mid <- (lo + hi) / 2
    if (accepts0(es, mid)) hi <- mid else lo <- mid
  }
  hi
}

run_panel <- function(panel) {
  es <- read_es(file.path(out_root, panel, "es_input.csv"))
  es$q <- sum(es$rel <= -2); es$L <- sum(es$rel >= 0)
  stopifnot(all(es$rel == c(-(es$q + 1):-2, 0:(es$L - 1))))
  es$l <- rep(1 / es$L, es$L)
  post <- (es$q + 1):(es$q + es$L)
  theta <- sum(es$l * es$b[post])
  sd <- sqrt(c(t(es$l) %*% es$V[post, post] %*% es$l))
  w <- 20
  repeat {
    lb <- theta - w * sd; ub <- theta + w * sd
    res <- suppressWarnings(hd$createSensitivityResults_relativeMagnitudes(
      betahat = es$b, sigma = es$V, numPrePeriods = es$q,
      numPostPeriods = es$L, method = "C-LF", Mbarvec = 1, l_vec = es$l,
      alpha = ALPHA, gridPoints = GRID_POINTS, grid.lb = lb, grid.ub = ub))
    step <- (ub - lb) / (GRID_POINTS - 1)
    open <- abs(res$lb - lb) < step / 2 || abs(res$ub - ub) < step / 2
    if (!open || w >= 20 * 2^6) break
    w <- 2 * w
  }
  bd <- breakdown(es)
  out <- data.frame(
    quantity = c("alpha", "theta", "sd_theta", "grid_lb", "grid_ub",
                 "grid_points", "grid_step", "ci_low_mbar1", "ci_high_mbar1",
                 "breakdown_mbar", "breakdown_tol"),
    value = c(ALPHA, theta, sd, lb, ub, GRID_POINTS, step, res$lb, res$ub,
              bd, BREAKDOWN_TOL))
  write.csv(transform(out, value = sprintf("%.17g", value)),
            file.path(out_root, panel, "expected.csv"), row.names = FALSE,
            quote = FALSE)
  cat(sprintf("%-28s theta %.6g  C-LF[Mbar=1] [%.6g, %.6g]  Mbar* %.6g\n",
              panel, theta, res$lb, res$ub, bd))
}

args <- commandArgs(trailingOnly = TRUE)
if (length(args) >= 2 && args[1] == "--from-demo") {
  from_demo(args[2]); args <- args[-(1:2)]
}
# The published example and the two pinned event studies.
if (!file.exists(file.path(out_root, "bcdata", "es_input.csv"))) {
  e <- new.env(); load(file.path(hd_src, "data", "BCdata_EventStudy.rda"), e)
  bc <- e$BCdata_EventStudy
  # HonestDiD's reference period is wijkeval's event time -1.
  rel <- bc$timeVec - bc$referencePeriod - 1
  write_es(file.path(out_root, "bcdata", "es_input.csv"), rel,
           bc$betahat, Inf, unname(bc$sigma))
}
for (p in c("waves", "mpdta")) {
  dst <- file.path(out_root, p, "es_input.csv")
  if (!file.exists(dst)) {
    dir.create(dirname(dst), recursive = TRUE, showWarnings = FALSE)
    file.copy(file.path(root, p, "es_input.csv"), dst)
  }
}
panels <- if (length(args)) args else list.files(out_root)
for (p in panels) run_panel(p)
