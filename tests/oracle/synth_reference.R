# Reference values for the synthetic control and synthetic
# difference-in-differences (core/src/methods/synth*.c, sdid*.c), on the
# California Proposition 99 panel.
#
# Run from the repository root:   Rscript tests/oracle/synth_reference.R
#
# Reads tests/oracle/fixtures/prop99/{panel,treated,design}.csv (written by
# reference.R) and writes synth_expected.csv and sdid_expected.csv next to
# them. Needs R with quadprog only. Contract: tests/oracle/README.md
# ("Synthetic control and SDID").
#
# - Synthetic control weights: quadprog::solve.QP on the simplex QP (a
#   1e-10 ridge makes the singular Hessian positive definite), then the
#   exact optimum on quadprog's support from the KKT linear system. The
#   script stops unless the KKT conditions hold to 1e-9 and the optimum is
#   unique (strict complementarity, independent columns on the support).
# - SDID: a plain R re-implementation of the algorithm of the synthdid
#   package (not the package itself): Frank-Wolfe with exact line search,
#   its stopping rule, sparsification, the fixed-weight jackknife, and the
#   placebo and bootstrap variances with GSL's mt19937 draws reproduced
#   in R. It stops unless it reproduces the published California
#   estimate -15.60383 and weights.

suppressPackageStartupMessages(library(quadprog))

DIR <- file.path("tests", "oracle", "fixtures", "prop99")
if (!dir.exists(DIR)) {
  stop("run from the repository root after reference.R: ", DIR, " is missing")
}
SEED <- 20081107
num17 <- function(x) ifelse(is.na(x), "NA",
                            trimws(formatC(x, digits = 17, format = "g")))
check <- function(ok, ...) if (!isTRUE(ok)) stop(sprintf(...), call. = FALSE)

# ---- inputs -----------------------------------------------------------------

panel <- read.csv(file.path(DIR, "panel.csv"), stringsAsFactors = FALSE)
treated_csv <- read.csv(file.path(DIR, "treated.csv"), stringsAsFactors = FALSE)
design <- read.csv(file.path(DIR, "design.csv"), stringsAsFactors = FALSE)
areas <- unique(panel$area)
periods <- sort(unique(panel$period))
Y <- matrix(NA_real_, length(areas), length(periods),
            dimnames = list(areas, periods))
Y[cbind(match(panel$area, areas), match(panel$period, periods))] <- panel$y
check(!anyNA(Y), "prop99 is balanced; the panel has missing cells")
followup <- as.integer(strsplit(design$value[design$key == "followup"], " ")[[1]])
start <- treated_csv$from[1]
pre <- which(periods < start)
post <- which(periods %in% followup & periods >= start)

# ---- the simplex least-squares problem ------------------------------------

# min ||b - A w||^2, w >= 0, sum w = 1; A has one column per donor.
simplex_ls <- function(A, b) {
  s <- max(abs(A), abs(b))
  As <- A / s; bs <- b / s
  D <- 2 * crossprod(As)
  D <- D + diag(1e-10 * mean(diag(D)), ncol(A))
  qp <- solve.QP(D, 2 * as.vector(crossprod(As, bs)),
                 cbind(rep(1, ncol(A)), diag(ncol(A))), c(1, rep(0, ncol(A))),
                 meq = 1)
  S <- which(qp$solution > 1e-6)
  # The exact optimum on the support: [2 A_S'A_S, 1; 1', 0] [w; -mu] = [2 A_S'b; 1]
  k <- length(S)
  K <- rbind(cbind(2 * crossprod(A[, S, drop = FALSE]), 1), c(rep(1, k), 0))
  sol <- solve(K, c(2 * crossprod(A[, S, drop = FALSE], b), 1))
  w <- numeric(ncol(A)); w[S] <- sol[1:k]
  g <- as.vector(2 * crossprod(A, A %*% w - b))
  mu <- sum(w * g)
  scale <- max(abs(g), 1)
  check(all(w[S] > 0), "polished weights leave the simplex")
  check(max(abs(g[S] - mu)) <= 1e-9 * scale, "KKT stationarity %g",
        max(abs(g[S] - mu)) / scale)
  off <- setdiff(seq_len(ncol(A)), S)
  if (length(off) > 0) {
    check(min(g[off] - mu) >= 1e-7 * scale,
          "no strict complementarity (%g): the optimum may not be unique",
          min(g[off] - mu) / scale)
  }
  if (k > 1) {
    Dm <- A[, S[-1], drop = FALSE] - A[, S[1]]
    check(qr(Dm)$rank == k - 1, "dependent columns on the support")
  }
  check(max(abs(w - qp$solution)) < 1e-5, "quadprog and the polished optimum "
        , "differ by %g", max(abs(w - qp$solution)))
  w
}

# ---- synthetic control ------------------------------------------------------

sc_rows <- list()
emit <- function(case, unit, key, index, value) {
  sc_rows[[length(sc_rows) + 1]] <<- data.frame(
    case = case, unit = unit, key = key, index = as.character(index),
    value = num17(value), stringsAsFactors = FALSE)
}

# One fit of `target` (a path over all periods) on the donor rows of Y.
# X: predictors (rows = predictors, columns = areas) or NULL; v_mode "invvar".
sc_fit <- function(target, donors, X = NULL, xt = NULL) {
  if (is.null(X)) {
    w <- simplex_ls(t(Y[donors, pre, drop = FALSE]), target[pre])
    v <- NULL
  } else {
    Xa <- cbind(xt, X[, donors, drop = FALSE])
    v <- 1 / apply(Xa, 1, var); v <- v / sum(v)
    w <- simplex_ls(sqrt(v) * X[, donors, drop = FALSE], sqrt(v) * xt)
  }
  synth <- as.vector(crossprod(w, Y[donors, , drop = FALSE]))
  gap <- target - synth
  pre_rmspe <- sqrt(mean(gap[pre]^2))
  post_rmspe <- sqrt(mean(gap[post]^2))
  list(w = setNames(w, areas[donors]), v = v, gap = gap,
       pre_rmspe = pre_rmspe, post_rmspe = post_rmspe,
       ratio = post_rmspe / pre_rmspe, estimate = mean(gap[post]))
}

emit_fit <- function(case, unit, f, donors) {
  w <- numeric(length(areas)); w[donors] <- f$w
  for (i in donors) emit(case, unit, "weight", areas[i], w[i])
  if (!is.null(f$v)) for (k in seq_along(f$v)) emit(case, unit, "v", k - 1, f$v[k])
  for (k in c("pre_rmspe", "post_rmspe", "ratio", "estimate"))
    emit(case, unit, k, "", f[[k]])
  for (t in seq_along(periods)) emit(case, unit, "gap", periods[t], f$gap[t])
}

sc_case <- function(case, treated, X = NULL, cluster = NULL,
                    reps = 200, seed = SEED) {
  tr <- match(treated, areas)
  donors <- setdiff(seq_along(areas), tr)
  xt_of <- function(cols) if (is.null(X)) NULL else rowMeans(X[, cols, drop = FALSE])
  avg <- sc_fit(colMeans(Y[tr, , drop = FALSE]), donors, X, xt_of(tr))
  # Placebos: every donor as pseudo-treated on the other donors.
  ratios <- sapply(donors, function(j)
    sc_fit(Y[j, ], setdiff(donors, j), X, xt_of(j))$ratio)
  p_of <- function(r) (1 + sum(ratios >= r)) / (1 + length(ratios))
  emit_fit(case, "average", avg, donors)
  avg_p <- p_of(avg$ratio)
  if (length(tr) == 1) {
    emit(case, "average", "p_value", "", avg_p)
  } else {
    # The average's placebos: groups of donors in the treated group's
    # cluster shape, each group's mean refitted on the other donors.
    cl <- if (is.null(cluster)) seq_along(areas) else cluster
    groups <- placebo_groups(donors, cl[donors], cl[tr], reps, seed)
    g_ratio <- sapply(groups, function(gr)
      sc_fit(colMeans(Y[gr, , drop = FALSE]), setdiff(donors, gr), X,
             xt_of(gr))$ratio)
    avg_p <- (1 + sum(g_ratio >= avg$ratio)) / (1 + length(g_ratio))
    emit(case, "average", "p_value", "", avg_p)
    for (b in seq_along(g_ratio)) emit(case, "group", "ratio", b - 1, g_ratio[b])
  }
  for (i in tr) {
    f <- sc_fit(Y[i, ], donors, X, xt_of(i))
    emit_fit(case, areas[i], f, donors)
    emit(case, areas[i], "p_value", "", p_of(f$ratio))
  }
  for (k in seq_along(donors)) emit(case, "placebo", "ratio", areas[donors[k]], ratios[k])
  cat(sprintf("SC %-22s estimate %9.4f  pre-RMSPE %.4f  p %.4f  weights: %s\n",
              case, avg$estimate, avg$pre_rmspe, avg_p,
              paste(sprintf("%s %.3f", names(avg$w)[avg$w > 1e-6],
                            avg$w[avg$w > 1e-6]), collapse = ", ")))
}

# Predictors: the outcome in each pre year plus two pre-period means
# (1970-1979 and 1980-1988), as windows of period indices (0-based in the
# fixture, like we_sc_window).
windows <- c(lapply(pre, function(t) c(t, t)),
             list(c(1, 10), c(11, length(pre))))
X <- sapply(windows, function(w) rowMeans(Y[, w[1]:w[2], drop = FALSE]))
X <- t(X)

# ---- GSL mt19937 in R -------------------------------------------------------
# R's Mersenne-Twister is the same generator as GSL's mt19937; only the
# seeding differs. Setting .Random.seed to the state gsl_rng_set leaves
# makes runif() return gsl_rng_uniform() (k / 2^32) draw for draw.

mul32 <- function(a, b) {
  al <- a %% 65536; ah <- a %/% 65536
  ((((ah * (b %% 65536) + al * (b %/% 65536)) %% 65536) * 65536) +
     al * (b %% 65536)) %% 4294967296
}
xor32 <- function(a, b) {
  bitwXor(as.integer(a %/% 65536), as.integer(b %/% 65536)) * 65536 +
    bitwXor(as.integer(a %% 65536), as.integer(b %% 65536))
}
gsl_seed <- function(s) {
  if (s == 0) s <- 4357
  mt <- numeric(624); mt[1] <- s %% 4294967296
  for (i in 2:624) {
    p <- mt[i - 1]
    mt[i] <- (mul32(1812433253, xor32(p, p %/% 2^30)) + (i - 1)) %% 4294967296
  }
  RNGkind("Mersenne-Twister", "Inversion", "Rejection")
  st <- ifelse(mt >= 2^31, mt - 2^32, mt)
  assign(".Random.seed", c(10403L, 624L, as.integer(st)), envir = globalenv())
}
gsl_uniform_int <- function(n) {
  scale <- floor(4294967295 / n)
  repeat {
    k <- floor(floor(runif(1) * 4294967296) / scale)
    if (k < n) return(k)
  }
}
gsl_shuffle <- function(x) {   # gsl_ran_shuffle
  if (length(x) > 1) for (i in (length(x) - 1):1) {
    j <- gsl_uniform_int(i + 1)
    tmp <- x[i + 1]; x[i + 1] <- x[j + 1]; x[j + 1] <- tmp
  }
  x
}

# ---- placebo groups in the treated group's cluster shape ---------------
# As methods/synth_placebo.c defines them (we_placebo_walk): the controls
# sorted by (cluster, area); the treated group's cluster sizes, largest
# first. Every subset once (lexicographic in that order) when the treated
# group is one area or no cluster holds two controls or two treated areas,
# and there are at most `reps` subsets; else `reps` draws: for each treated
# cluster an unused control cluster holding at least as many controls,
# uniformly, and that many of its controls (partial Fisher-Yates); when
# none is that large, all of the largest unused one and the rest from the
# next. Returns a list of area-index vectors.
placebo_groups <- function(ctrl, ctrl_cl, tr_cl, reps, seed) {
  o <- order(ctrl_cl, ctrl)
  ctrl <- ctrl[o]; ctrl_cl <- ctrl_cl[o]
  need <- sort(as.vector(table(tr_cl)), decreasing = TRUE)
  cls <- unique(ctrl_cl)
  members <- lapply(cls, function(k) ctrl[ctrl_cl == k])
  n_tr <- length(tr_cl)
  flat <- length(cls) == length(ctrl) && length(need) == n_tr
  if ((n_tr == 1 || flat) && choose(length(ctrl), n_tr) <= reps) {
    sets <- combn(length(ctrl), n_tr, simplify = FALSE)
    return(lapply(sets, function(s) ctrl[s]))
  }
  gsl_seed(seed)
  lapply(seq_len(reps), function(b) {
    used <- rep(FALSE, length(cls)); out <- integer(0)
    for (want in need) {
      while (want > 0) {
        size <- sapply(members, length)
        ok <- which(!used & size >= want)
        if (length(ok) > 0) {
          k <- ok[gsl_uniform_int(length(ok)) + 1]
        } else {
          left <- which(!used)
          k <- left[which.max(size[left])]
        }
        used[k] <- TRUE
        a <- members[[k]]; n <- length(a); take <- min(want, n)
        for (i in seq_len(take)) {
          r <- i + gsl_uniform_int(n - i + 1)
          tmp <- a[i]; a[i] <- a[r]; a[r] <- tmp
          out <- c(out, a[i])
        }
        members[[k]] <<- a  # the C pool keeps the permuted order
        want <- want - take
      }
    }
    out
  })
}

sc_case("outcome", "California")
sc_case("predictors_invvar", "California", X)
sc_case("multi", c("California", "Nevada", "Utah"))
# Clusters of four states in panel order (a stand-in for municipalities):
# California and Colorado share one, Utah is in another.
sc_case("multi_clustered", c("California", "Colorado", "Utah"),
        cluster = (seq_along(areas) - 1) %/% 4)

sc_out <- do.call(rbind, sc_rows)
win_rows <- data.frame(case = "predictors_invvar", unit = "",
                       key = "window", index = seq_along(windows) - 1,
                       value = sapply(windows, function(w)
                         sprintf("%d %d", w[1] - 1, w[2] - 1)))
sc_out <- rbind(win_rows, sc_out)
write.csv(sc_out, file.path(DIR, "synth_expected.csv"), row.names = FALSE,
          quote = FALSE)

# ---- SDID (Arkhangelsky et al. 2021, as the synthdid package) ------------

fw_solve <- function(M, zeta, x, min_decrease, max_iter) {
  n <- ncol(M) - 1
  A <- M[, 1:n, drop = FALSE]; b <- M[, n + 1]
  eta <- nrow(M) * zeta^2
  vals <- numeric(0); t <- 0
  while (t < max_iter && (t < 2 || vals[t - 1] - vals[t] > min_decrease^2)) {
    t <- t + 1
    Ax <- as.vector(A %*% x)
    g <- as.vector(crossprod(A, Ax - b)) + eta * x
    i <- which.min(g)
    dx <- -x; dx[i] <- 1 - x[i]
    if (any(dx != 0)) {
      derr <- A[, i] - Ax
      step <- -sum(g * dx) / (sum(derr^2) + eta * sum(dx^2))
      x <- x + min(1, max(0, step)) * dx
    }
    vals[t] <- zeta^2 * sum(x^2) + sum((A %*% x - b)^2) / nrow(M)
  }
  list(x = x, iter = t)
}
sparsify <- function(v) { v[v <= max(v) / 4] <- 0; v / sum(v) }
two_rounds <- function(M, zeta, init, tu) {
  M <- apply(M, 2, function(col) col - mean(col))
  if (is.null(init)) init <- rep(1 / (ncol(M) - 1), ncol(M) - 1)
  r1 <- fw_solve(M, zeta, init, tu$min_decrease, 100)
  r2 <- fw_solve(M, zeta, sparsify(r1$x), tu$min_decrease, 10000)
  list(x = r2$x, iter = r1$iter + r2$iter)
}
collapsed <- function(Yb, N0, T0) {
  N <- nrow(Yb); T <- ncol(Yb)
  rbind(cbind(Yb[1:N0, 1:T0, drop = FALSE],
              rowMeans(Yb[1:N0, (T0 + 1):T, drop = FALSE])),
        cbind(t(colMeans(Yb[(N0 + 1):N, 1:T0, drop = FALSE])),
              mean(Yb[(N0 + 1):N, (T0 + 1):T, drop = FALSE])))
}
sdid_weights <- function(Yb, N0, T0, tu, omega0 = NULL, lambda0 = NULL) {
  Yc <- collapsed(Yb, N0, T0)
  l <- two_rounds(Yc[1:N0, , drop = FALSE], tu$zeta_lambda, lambda0, tu)
  o <- two_rounds(t(Yc[, 1:T0, drop = FALSE]), tu$zeta_omega, omega0, tu)
  list(omega = o$x, lambda = l$x, iter_omega = o$iter, iter_lambda = l$iter)
}
sdid_tau <- function(Yb, N0, T0, omega, lambda) {
  N1 <- nrow(Yb) - N0; T1 <- ncol(Yb) - T0
  as.numeric(t(c(-omega, rep(1 / N1, N1))) %*% Yb %*% c(-lambda, rep(1 / T1, T1)))
}
sum_normalize <- function(x) if (sum(x) != 0) x / sum(x) else rep(1 / length(x), length(x))

sdid_fit <- function(Yb, N0, T0) {
  N1 <- nrow(Yb) - N0; T1 <- ncol(Yb) - T0
  sigma <- sd(apply(Yb[1:N0, 1:T0], 1, diff))
  tu <- list(zeta_omega = (N1 * T1)^(1 / 4) * sigma, zeta_lambda = 1e-6 * sigma,
             min_decrease = 1e-5 * sigma)
  w <- sdid_weights(Yb, N0, T0, tu)
  a <- as.vector(t(c(-w$omega, rep(1 / N1, N1))) %*% Yb)
  curve <- a[(T0 + 1):ncol(Yb)] - sum(a[1:T0] * w$lambda)
  c(w, list(tau = sdid_tau(Yb, N0, T0, w$omega, w$lambda), sigma = sigma,
            tu = tu, curve = curve, N0 = N0, T0 = T0))
}
refit <- function(fit, Yb, N0) {
  w <- sdid_weights(Yb, N0, fit$T0, fit$tu, attr(Yb, "omega0"), fit$lambda)
  sdid_tau(Yb, N0, fit$T0, w$omega, w$lambda)
}
placebo_taus <- function(fit, Yb, reps, seed) {
  gsl_seed(seed)
  N1 <- nrow(Yb) - fit$N0
  sapply(seq_len(reps), function(b) {
    ind <- gsl_shuffle(seq_len(fit$N0))
    n0 <- fit$N0 - N1
    Yp <- Yb[ind, , drop = FALSE]
    attr(Yp, "omega0") <- sum_normalize(fit$omega[ind[1:n0]])
    refit(fit, Yp, n0)
  })
}
bootstrap_taus <- function(fit, Yb, reps, seed) {
  gsl_seed(seed)
  N <- nrow(Yb); out <- numeric(0)
  while (length(out) < reps) {
    ind <- sapply(seq_len(N), function(k) gsl_uniform_int(N)) + 1
    n0 <- sum(ind <= fit$N0)
    if (n0 == 0 || n0 == N) next
    ind <- sort(ind)
    Yp <- Yb[ind, , drop = FALSE]
    attr(Yp, "omega0") <- sum_normalize(fit$omega[ind[1:n0]])
    out <- c(out, refit(fit, Yp, n0))
  }
  out
}
jackknife_se <- function(fit, Yb) {
  N <- nrow(Yb)
  u <- sapply(seq_len(N), function(i) {
    keep <- setdiff(seq_len(N), i)
    n0 <- sum(keep <= fit$N0)
    sdid_tau(Yb[keep, , drop = FALSE], n0, fit$T0,
             sum_normalize(fit$omega[keep[keep <= fit$N0]]), fit$lambda)
  })
  sqrt(((N - 1) / N) * (N - 1) * var(u))
}
boot_se <- function(x) sqrt((length(x) - 1) / length(x)) * sd(x)

sd_rows <- list()
emit_sd <- function(case, key, index, value) {
  sd_rows[[length(sd_rows) + 1]] <<- data.frame(
    case = case, key = key, index = as.character(index), value = num17(value),
    stringsAsFactors = FALSE)
}
sdid_case <- function(case, treated, reps) {
  tr <- match(treated, areas)
  ctrl <- setdiff(seq_along(areas), tr)
  Yb <- Y[c(ctrl, tr), c(pre, post)]
  fit <- sdid_fit(Yb, length(ctrl), length(pre))
  emit_sd(case, "estimate", "", fit$tau)
  emit_sd(case, "noise_level", "", fit$sigma)
  emit_sd(case, "zeta_omega", "", fit$tu$zeta_omega)
  emit_sd(case, "zeta_lambda", "", fit$tu$zeta_lambda)
  emit_sd(case, "iter_omega", "", fit$iter_omega)
  emit_sd(case, "iter_lambda", "", fit$iter_lambda)
  for (k in seq_along(ctrl)) emit_sd(case, "omega", areas[ctrl[k]], fit$omega[k])
  for (k in seq_along(pre)) emit_sd(case, "lambda", periods[pre[k]], fit$lambda[k])
  for (k in seq_along(post)) emit_sd(case, "curve", periods[post[k]], fit$curve[k])
  emit_sd(case, "seed", "", SEED)
  emit_sd(case, "reps", "", reps)
  if (length(tr) == 1) {
    taus <- placebo_taus(fit, Yb, reps, SEED)
    emit_sd(case, "se_placebo", "", boot_se(taus))
    for (b in seq_along(taus)) emit_sd(case, "placebo_tau", b - 1, taus[b])
  } else {
    emit_sd(case, "se_jackknife", "", jackknife_se(fit, Yb))
    taus <- bootstrap_taus(fit, Yb, reps, SEED)
    emit_sd(case, "se_bootstrap", "", boot_se(taus))
    for (b in seq_along(taus)) emit_sd(case, "bootstrap_tau", b - 1, taus[b])
  }
  cat(sprintf("SDID %-8s tau %.6f  sigma %.10f  iterations omega %d lambda %d\n",
              case, fit$tau, fit$sigma, fit$iter_omega, fit$iter_lambda))
  fit
}

ca <- sdid_case("prop99", "California", 200)
# The published synthdid numbers for California (README of the package):
# tau -15.60383; omega Nevada 0.124, New Hampshire 0.105, Connecticut 0.078;
# lambda 1988 0.427, 1986 0.366, 1987 0.206; zeta.lambda 5.494401018579511e-6.
check(abs(ca$tau - (-15.60383)) < 5e-6, "SDID tau %.8f, published -15.60383", ca$tau)
om <- setNames(round(ca$omega, 3), areas[setdiff(seq_along(areas), 3)])
check(all(om[c("Nevada", "New Hampshire", "Connecticut")] == c(0.124, 0.105, 0.078)),
      "SDID omega differs from the published weights")
la <- setNames(round(ca$lambda, 3), periods[pre])
check(all(la[c("1988", "1986", "1987")] == c(0.427, 0.366, 0.206)),
      "SDID lambda differs from the published weights")
check(abs(ca$tu$zeta_lambda - 5.494401018579511e-6) < 1e-15,
      "noise level %.17g", ca$sigma)
invisible(sdid_case("multi", c("California", "Nevada", "Utah"), 50))

write.csv(do.call(rbind, sd_rows), file.path(DIR, "sdid_expected.csv"),
          row.names = FALSE, quote = FALSE)
cat("wrote", file.path(DIR, "synth_expected.csv"), "and sdid_expected.csv\n")
