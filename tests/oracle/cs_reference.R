# Reference values for the Callaway & Sant'Anna (2021) estimator
# (core/src/methods/cs.c): every group-time ATT(g,t), the four aggregations
# of did::aggte (simple, dynamic, group, calendar) and their analytic
# standard errors, and bootstrap critical values for the uniform bands.
#
# Run from the repository root:   Rscript tests/oracle/cs_reference.R
#
# Base R and sandwich only (the did package is not used). Reads the inputs
# of the `mpdta` and `waves` fixtures written by reference.R and writes
#   <dataset>/cs_expected.csv    both datasets
#   mpdta/cs_bootstrap.csv       critical values of the uniform bands
# Contract: tests/oracle/README.md ("Callaway & Sant'Anna").
#
# Two independent routes to every influence function, which must agree to
# 1e-10 or the script stops:
#   A. the closed forms of did's compute.att_gt (2x2 DiD of means, no
#      covariates) and compute.aggte (wif, get_agg_inf_func);
#   B. complex-step differentiation of a plain area-weighted version of the
#      whole estimator: psi_i = n d theta / d w_i at w = 1, which is what an
#      influence function is. No formula of route A is used there.
# Each cell's standard error is also checked against sandwich::vcovCL of
# the regression of the long difference on the treatment dummy.

suppressPackageStartupMessages(library(sandwich))

FIXTURES <- file.path("tests", "oracle", "fixtures")
if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/cs_reference.R")
}
BOOT_REPS <- 100000L
BOOT_BATCH <- 10000L
BOOT_SEED <- 20210101L

num17 <- function(x) ifelse(is.na(x), "NA",
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
  y <- matrix(NA_real_, length(areas), length(periods))
  y[cbind(match(panel$area, areas), match(panel$period, periods))] <- panel$y
  from <- treated$from[match(areas, treated$area)]
  followup <- as.integer(strsplit(get("followup"), " ")[[1]])
  list(name = dataset, y = y, areas = areas, periods = periods,
       municipality = panel$municipality[match(areas, panel$area)],
       g = match(from, periods) - 1L,  # 0-based period index, NA = never
       last = match(max(followup), periods) - 1L,
       alpha = as.numeric(get("alpha")))
}

# ---- the design: window, cohorts, cells --------------------------------

# Periods 0..last enter. With "notyet" and no never-treated area, did drops
# the periods from the last cohort's start on, so that cohort becomes the
# comparison group. A cohort starting after the window is never treated.
setup <- function(ds, control) {
  last <- ds$last
  g <- ds$g
  if (control == "notyet" && !any(is.na(g) | g > last)) {
    last <- min(last, max(g) - 1L)
  }
  g[!is.na(g) & g > last] <- NA
  stopifnot(all(is.na(g) | g >= 1L))            # no pre-period: C refuses
  if (control == "never") stopifnot(any(is.na(g)))
  cohorts <- sort(unique(g[!is.na(g)]))
  cells <- list()
  for (gg in cohorts) {
    for (t in 1:last) {
      base <- if (t < gg) t - 1L else gg - 1L
      ok <- !is.na(ds$y[, t + 1]) & !is.na(ds$y[, base + 1])
      tr <- !is.na(g) & g == gg & ok
      if (control == "never") {
        co <- is.na(g) & ok
      } else {
        co <- (is.na(g) | (g > max(t, base) & g != gg)) & ok
      }
      cells[[length(cells) + 1]] <- list(
        g = gg, t = t, base = base, tr = tr, co = co,
        dy = ds$y[, t + 1] - ds$y[, base + 1],
        ok = sum(tr) > 0 && sum(co) > 0)
    }
  }
  cells <- Filter(function(cl) cl$ok, cells)
  used <- Reduce(`|`, lapply(cells, function(cl) cl$tr | cl$co))
  obs <- matrix(FALSE, nrow(ds$y), ncol(ds$y))
  for (cl in cells) {
    m <- cl$tr | cl$co
    obs[m, cl$t + 1] <- TRUE
    obs[m, cl$base + 1] <- TRUE
  }
  list(g = g, cohorts = cohorts, cells = cells, used = used, last = last,
       n_obs = sum(obs))
}

# The statistics in output order: keys of the aggregations.
layout_of <- function(d) {
  cg <- sapply(d$cells, `[[`, "g")
  ct <- sapply(d$cells, `[[`, "t")
  post <- cg <= ct
  list(cg = cg, ct = ct, post = post, e = ct - cg,
       eseq = sort(unique(ct - cg)),
       gseq = sort(unique(cg[post])),
       tseq = sort(unique(ct[post])))
}

# ---- route B: the estimator with area weights ---------------------------

# All statistics as functions of the area weights w (real or complex), over
# the used areas. Only sums, products and quotients of w: analytic, so the
# complex step gives exact derivatives.
estimate_w <- function(w, d, lay) {
  u <- which(d$used)
  G <- d$g[u]
  n <- sum(w)
  pg <- function(gg) sum(w * (!is.na(G) & G == gg)) / n
  att <- sapply(d$cells, function(cl) {
    tr <- cl$tr[u]; co <- cl$co[u]; dy <- ifelse(tr | co, cl$dy[u], 0)
    sum(w * tr * dy) / sum(w * tr) - sum(w * co * dy) / sum(w * co)
  })
  p <- sapply(lay$cg, pg)
  wavg <- function(k) sum(att[k] * p[k]) / sum(p[k])
  simple <- wavg(lay$post)
  dyn <- sapply(lay$eseq, function(e) wavg(lay$e == e))
  dyn_all <- mean(dyn[lay$eseq >= 0])
  grp <- sapply(lay$gseq, function(gg) mean(att[lay$post & lay$cg == gg]))
  pgg <- sapply(lay$gseq, pg)
  grp_all <- sum(grp * pgg) / sum(pgg)
  cal <- sapply(lay$tseq, function(t) wavg(lay$post & lay$ct == t))
  cal_all <- mean(cal)
  c(att, simple, dyn, dyn_all, grp, grp_all, cal, cal_all)
}

complex_step_if <- function(d, lay) {
  n <- sum(d$used)
  h <- 1e-30
  t(sapply(seq_len(n), function(i) {
    w <- rep(complex(real = 1), n)
    w[i] <- complex(real = 1, imaginary = h)
    n * Im(estimate_w(w, d, lay)) / h
  }))
}

# ---- route A: did's closed forms ---------------------------------------

# Weight-estimation term of did's wif(): keepers index the cells (or
# cohorts) averaged with weights p_k / sum(p); ind[, k] = 1{G_i = g_k}.
wif <- function(ind, p) {
  s <- sum(p)
  dev <- sweep(ind, 2, p)
  dev / s - rowSums(dev) %o% (p / s^2)
}

agg_if <- function(psi, att, weights, wif_term = NULL) {
  out <- psi %*% weights
  if (!is.null(wif_term)) out <- out + wif_term %*% att
  drop(out)
}

closed_form_if <- function(d, lay, did_literal_group = FALSE) {
  u <- which(d$used)
  n <- length(u)
  G <- d$g[u]
  ind_of <- function(gs) sapply(gs, function(gg) 1 * (!is.na(G) & G == gg))
  pg_of <- function(gs) sapply(gs, function(gg) mean(!is.na(G) & G == gg))
  psi <- matrix(0, n, length(d$cells))
  att <- numeric(length(d$cells))
  for (k in seq_along(d$cells)) {
    cl <- d$cells[[k]]
    tr <- cl$tr[u]; co <- cl$co[u]; dy <- cl$dy[u]
    m1 <- mean(dy[tr]); m0 <- mean(dy[co])
    att[k] <- m1 - m0
    psi[tr, k] <- n * (dy[tr] - m1) / sum(tr)
    psi[co, k] <- -n * (dy[co] - m0) / sum(co)
  }
  p <- pg_of(lay$cg)
  ind <- ind_of(lay$cg)
  with_wif <- function(k) {
    k <- which(k)
    list(att = sum(att[k] * p[k]) / sum(p[k]),
         psi = agg_if(psi[, k, drop = FALSE], att[k], p[k] / sum(p[k]),
                      wif(ind[, k, drop = FALSE], p[k])))
  }
  simple <- with_wif(lay$post)
  dyn <- lapply(lay$eseq, function(e) with_wif(lay$e == e))
  dyn_att <- sapply(dyn, `[[`, "att")
  dyn_psi <- do.call(cbind, lapply(dyn, `[[`, "psi"))
  pos <- lay$eseq >= 0
  dyn_all <- agg_if(dyn_psi[, pos, drop = FALSE], dyn_att[pos],
                    rep(1 / sum(pos), sum(pos)))
  grp <- lapply(lay$gseq, function(gg) {
    k <- which(lay$post & lay$cg == gg)
    list(att = mean(att[k]),
         psi = agg_if(psi[, k, drop = FALSE], att[k], rep(1 / length(k),
                                                           length(k))))
  })
  grp_att <- sapply(grp, `[[`, "att")
  grp_psi <- do.call(cbind, lapply(grp, `[[`, "psi"))
  pgg <- pg_of(lay$gseq)
  # did's compute.aggte passes the cell-level group vector to wif() here
  # and so takes the indicators of the first cells' cohorts; the literal
  # variant reproduces that, the default uses each cohort's own indicator.
  ind_g <- if (did_literal_group) ind_of(lay$cg[seq_along(lay$gseq)]) else
    ind_of(lay$gseq)
  grp_all <- agg_if(grp_psi, grp_att, pgg / sum(pgg), wif(ind_g, pgg))
  cal <- lapply(lay$tseq, function(t) with_wif(lay$post & lay$ct == t))
  cal_att <- sapply(cal, `[[`, "att")
  cal_psi <- do.call(cbind, lapply(cal, `[[`, "psi"))
  cal_all <- agg_if(cal_psi, cal_att, rep(1 / length(cal), length(cal)))
  est <- c(att, simple$att, dyn_att, mean(dyn_att[pos]), grp_att,
           sum(grp_att * pgg) / sum(pgg), cal_att, mean(cal_att))
  list(est = est,
       psi = cbind(psi, simple$psi, dyn_psi, dyn_all, grp_psi, grp_all,
                   cal_psi, cal_all))
}

# ---- standard errors -----------------------------------------------------

# Clustered: sqrt(sum_c (sum_{i in c} psi_i)^2) / n. With one area per
# cluster this is did's sqrt(mean(psi^2) / n).
cluster_se <- function(psi, cluster) {
  s <- rowsum(psi, cluster)
  sqrt(colSums(s^2)) / nrow(psi)
}

check_cells_sandwich <- function(d, cluster, se) {
  for (k in seq_along(d$cells)) {
    cl <- d$cells[[k]]
    m <- cl$tr | cl$co
    df <- data.frame(dy = cl$dy[m], D = 1 * cl$tr[m])
    fit <- lm(dy ~ D, data = df)
    v <- vcovCL(fit, cluster = cluster[m], type = "HC0", cadjust = FALSE)
    agree(sqrt(v["D", "D"]), se[k], sprintf("cell %d: vcovCL", k))
    agree(unname(coef(fit)["D"]), mean(cl$dy[cl$tr]) - mean(cl$dy[cl$co]),
          sprintf("cell %d: lm", k))
  }
}

# ---- output ---------------------------------------------------------------

rows_for <- function(ds, d, lay, est, se, control, cluster_name, n_cl) {
  z <- qnorm(1 - ds$alpha / 2)
  lab <- function(t) ds$periods[t + 1]
  nc <- length(d$cells)
  type <- c(rep("cell", nc), "simple", rep("dynamic", length(lay$eseq)),
            "dynamic_overall", rep("group", length(lay$gseq)),
            "group_overall", rep("calendar", length(lay$tseq)),
            "calendar_overall")
  group <- c(lab(lay$cg), NA, rep(NA, length(lay$eseq)), NA,
             lab(lay$gseq), NA, rep(NA, length(lay$tseq)), NA)
  period <- c(lab(lay$ct), NA, rep(NA, length(lay$eseq)), NA,
              rep(NA, length(lay$gseq)), NA, lab(lay$tseq), NA)
  base <- c(lab(sapply(d$cells, `[[`, "base")), rep(NA, length(est) - nc))
  event <- c(lay$e, NA, lay$eseq, NA, rep(NA, length(lay$gseq)), NA,
             rep(NA, length(lay$tseq)), NA)
  n_tr <- c(sapply(d$cells, function(cl) sum(cl$tr)), rep(NA, length(est) - nc))
  n_co <- c(sapply(d$cells, function(cl) sum(cl$co)), rep(NA, length(est) - nc))
  out <- data.frame(control = control, cluster = cluster_name, type = type,
                    group = group, period = period, base = base,
                    event = event, estimate = num17(est), se = num17(se),
                    ci_low = num17(est - z * se), ci_high = num17(est + z * se),
                    p_value = num17(2 * pnorm(-abs(est / se))),
                    n_treated = n_tr, n_control = n_co, n_obs = NA,
                    n_clusters = NA)
  u <- d$used
  sample <- data.frame(control = control, cluster = cluster_name,
                       type = "sample", group = NA, period = NA, base = NA,
                       event = NA, estimate = "NA", se = "NA", ci_low = "NA",
                       ci_high = "NA", p_value = "NA",
                       n_treated = sum(u & !is.na(d$g)),
                       n_control = sum(u & is.na(d$g)), n_obs = d$n_obs,
                       n_clusters = n_cl)
  rbind(out, sample)
}

# Multiplier bootstrap with cluster sums (as cs.c): draw b = U'S / n with
# S the cluster sums of psi; se = IQR / (qnorm(.75) - qnorm(.25)) and the
# band's critical value the (1 - alpha) quantile of max_k |b_k / se_k|,
# both with R's type-1 quantile, as did's mboot. Batches give the Monte
# Carlo standard error of the critical value.
boot_crit <- function(psi, cluster, alpha) {
  s <- rowsum(psi, cluster)
  n <- nrow(psi)
  b <- matrix(0, BOOT_REPS, ncol(psi))
  for (start in seq(1, BOOT_REPS, by = BOOT_BATCH)) {
    idx <- start:(start + BOOT_BATCH - 1)
    u <- matrix(sample(c(-1, 1), BOOT_BATCH * nrow(s), replace = TRUE),
                BOOT_BATCH)
    b[idx, ] <- u %*% s / n
  }
  q <- function(x, p) quantile(x, p, type = 1, names = FALSE)
  crit_of <- function(bb) {
    sd <- apply(bb, 2, function(x) (q(x, .75) - q(x, .25)) /
                  (qnorm(.75) - qnorm(.25)))
    q(apply(abs(sweep(bb, 2, sd, "/")), 1, max), 1 - alpha)
  }
  batches <- sapply(seq(1, BOOT_REPS, by = BOOT_BATCH), function(start)
    crit_of(b[start:(start + BOOT_BATCH - 1), , drop = FALSE]))
  c(crit = crit_of(b), mc_se = sd(batches) / sqrt(length(batches)))
}

run_dataset <- function(dataset, clusterings, boot = FALSE) {
  ds <- read_inputs(dataset)
  rows <- list()
  boot_rows <- list()
  for (control in c("never", "notyet")) {
    d <- setup(ds, control)
    lay <- layout_of(d)
    a <- closed_form_if(d, lay)
    b <- complex_step_if(d, lay)
    agree(a$est, estimate_w(rep(1, sum(d$used)), d, lay),
          paste(dataset, control, "estimates"))
    for (k in seq_len(ncol(b))) {
      agree(a$psi[, k], b[, k], sprintf("%s %s: influence function %d",
                                         dataset, control, k))
    }
    nc <- length(d$cells)
    for (cname in clusterings) {
      cluster <- if (cname == "area") ds$areas else ds$municipality
      cl_used <- cluster[d$used]
      se <- cluster_se(a$psi, cl_used)
      check_cells_sandwich(d, cluster, se[seq_len(nc)])
      rows[[length(rows) + 1]] <- rows_for(ds, d, lay, a$est, se, control,
                                           cname, length(unique(cl_used)))
      lit <- closed_form_if(d, lay, did_literal_group = TRUE)
      k_grp <- nc + 1 + length(lay$eseq) + 1 + length(lay$gseq) + 1
      cat(sprintf("%s %s %s: group overall %.6f se %.6f (did's wif: %.6f)\n",
                  dataset, control, cname, a$est[k_grp], se[k_grp],
                  cluster_se(lit$psi, cl_used)[k_grp]))
      if (boot) {
        set.seed(BOOT_SEED)
        dyn <- nc + 1 + seq_along(lay$eseq)
        for (fam in c("cells", "dynamic")) {
          cols <- if (fam == "cells") seq_len(nc) else dyn
          r <- boot_crit(a$psi[, cols, drop = FALSE], cl_used, ds$alpha)
          boot_rows[[length(boot_rows) + 1]] <- data.frame(
            control = control, cluster = cname, family = fam,
            crit = num17(r[["crit"]]), crit_mc_se = num17(r[["mc_se"]]),
            reps = BOOT_REPS)
        }
      }
    }
  }
  out <- do.call(rbind, rows)
  write.csv(out, file.path(FIXTURES, dataset, "cs_expected.csv"),
            row.names = FALSE, quote = FALSE, na = "NA")
  if (boot) {
    write.csv(do.call(rbind, boot_rows),
              file.path(FIXTURES, dataset, "cs_bootstrap.csv"),
              row.names = FALSE, quote = FALSE)
  }
  invisible(out)
}

run_dataset("mpdta", c("area", "municipality"), boot = TRUE)
run_dataset("waves", c("area", "municipality"))
cat("wrote cs_expected.csv (mpdta, waves) and mpdta/cs_bootstrap.csv\n")
