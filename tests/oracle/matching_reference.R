# Reference values for matched comparison groups (core/src/methods/match.h),
# computed with MatchIt on the Lalonde / NSW data shipped with MatchIt
# (185 NSW treated, 429 PSID comparison units).
#
# Run from the repository root:   Rscript tests/oracle/matching_reference.R
#
# Writes tests/oracle/fixtures/lalonde/{ps,ps_coef,matches,weights,balance,
# info}.csv; the contract is in tests/oracle/README.md ("Matching"). The
# script stops when two routes to the same number disagree by more than
# 1e-10 (relative; absolute for numbers below 1), or when two routes to the
# same matched set differ.

suppressPackageStartupMessages(library(MatchIt))

FIXTURES <- file.path("tests", "oracle", "fixtures")
SHARED_DATA <- Sys.getenv("WE_SHARED_DATA", "/work/shared/data")
if (!dir.exists(file.path("tests", "oracle"))) {
  stop("run from the repository root: Rscript tests/oracle/matching_reference.R")
}
OUT <- file.path(FIXTURES, "lalonde")

# ---- small helpers (as in reference.R) -------------------------------------

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

write_out <- function(df, file) {
  write.csv(df, file.path(OUT, file), row.names = FALSE, quote = FALSE,
            na = "")
}

# ---- data and propensity score ---------------------------------------------

d <- read.csv(source_copy("lalonde", "lalonde_matchit.csv", "lalonde"),
              stringsAsFactors = FALSE)
rownames(d) <- d$id
d$race <- factor(d$race, levels = c("black", "hispan", "white"))
# 0/1 columns for the race levels: balance rows (MatchIt lists every level)
# and the Mahalanobis variant, which is given numeric covariates.
for (lv in levels(d$race)) d[[paste0("race", lv)]] <- as.numeric(d$race == lv)
FORMULA <- treat ~ age + educ + race + married + nodegree + re74 + re75
MAHAL_FORMULA <- treat ~ age + educ + racehispan + racewhite + married +
  nodegree + re74 + re75

# The model matchit(distance = "glm") fits: a logit with treatment contrasts
# (black is the reference race).
fit <- glm(FORMULA, data = d, family = binomial("logit"))
stopifnot(fit$converged)
ps <- setNames(unname(fitted(fit)), d$id)
m_default <- matchit(FORMULA, data = d, method = "nearest", distance = "glm")
agree(unname(m_default$distance), unname(ps), "glm ps vs matchit ps")
write_out(data.frame(id = d$id, treat = d$treat, ps = num17(ps)), "ps.csv")
co <- coef(fit)
write_out(data.frame(term = names(co), estimate = num17(unname(co))),
          "ps_coef.csv")

# ---- greedy nearest neighbour, route 2 --------------------------------------

# The rule of match.c written out: treated units in `order`; in round r
# (1..ratio) each takes the available control nearest to it (distance
# function `dist`) that it does not hold yet, ties to the lowest row; without
# replacement a control is used once; `group` restricts to equal values.
greedy <- function(order, dist, ratio, replace, group = NULL) {
  ctrl <- which(d$treat == 0)
  used <- rep(FALSE, nrow(d))
  mm <- matrix(NA_integer_, nrow(d), ratio)
  for (r in seq_len(ratio)) {
    for (i in order) {
      cand <- ctrl[(replace | !used[ctrl]) & !(ctrl %in% mm[i, ])]
      if (!is.null(group)) cand <- cand[group[cand] == group[i]]
      if (length(cand) == 0) next
      dd <- dist(i, cand)
      j <- cand[which(dd == min(dd))[1]]
      mm[i, r] <- j
      used[j] <- TRUE
    }
  }
  mm
}

ps_dist <- function(i, cand) abs(ps[cand] - ps[i])

treated_rows <- which(d$treat == 1)
largest_first <- treated_rows[order(-ps[treated_rows], treated_rows)]

# ---- MatchIt runs -----------------------------------------------------------

# MatchIt 4.5.1's propensity-score path (nn_matchC_vec) compares the two
# neighbours in propensity-score order with an integer abs(), so for scores
# in [0, 1) it always takes the left (lower-score) neighbour when there is
# one (see tests/oracle/README.md). Its general routine (nn_matchC: a
# distance matrix or Mahalanobis covariates) takes the control with the
# smallest distance, ties to the first in data order. The reference runs
# that routine on |ps_i - ps_j|, with the treated rows placed in
# largest-score-first order (MatchIt's default m.order for a propensity
# score) and the control rows left in data order.
run_ps <- function(ratio, replace, exact = NULL) {
  rows <- c(largest_first, which(d$treat == 0))
  dd <- d[rows, ]
  p <- ps[rows]
  D <- abs(outer(p[dd$treat == 1], p[dd$treat == 0], "-"))
  dimnames(D) <- list(rownames(dd)[dd$treat == 1], rownames(dd)[dd$treat == 0])
  m <- matchit(FORMULA, data = dd, method = "nearest", distance = D,
               ratio = ratio, replace = replace, exact = exact)
  list(m = m, data = dd, addl = data.frame(ps = unname(p)))
}

run_mahal <- function() {
  m <- matchit(MAHAL_FORMULA, data = d, method = "nearest",
               distance = "mahalanobis")
  list(m = m, data = d, addl = data.frame(raceblack = d$raceblack,
                                          ps = unname(ps)))
}

# Match matrix as row numbers of d (NA = no match), one row per unit.
as_rows <- function(m) {
  mm <- matrix(NA_integer_, nrow(d), ncol(m$match.matrix))
  idx <- match(rownames(m$match.matrix), d$id)
  for (j in seq_len(ncol(m$match.matrix))) {
    mm[idx, j] <- match(m$match.matrix[, j], d$id)
  }
  mm
}

# With replacement the k matches of a unit are a set (MatchIt's
# partial_sort does not fix their order); compare sorted rows.
same_matches <- function(a, b, what) {
  key <- function(mm) apply(mm, 1, function(r) paste(sort(r), collapse = " "))
  if (!identical(key(a), key(b))) {
    bad <- which(key(a) != key(b))
    stop(sprintf("%s: matches differ for %s", what,
                 paste(d$id[bad], collapse = " ")))
  }
}

# ---- balance: summary.matchit against the formulas --------------------------

# MatchIt's ATT balance statistics: weighted means; SMD = difference / SD of
# the treated group before matching (binary: sqrt(p (1 - p)); otherwise the
# n - 1 SD); variance ratio (non-binary only) with reliability weights.
wvar <- function(x, w, bin) {
  w <- w / sum(w)
  m <- sum(w * x)
  if (bin) m * (1 - m) else sum(w * (x - m)^2) / (1 - sum(w^2))
}

balance_by_formula <- function(x, tr, w) {
  bin <- all(x == 0 | x == 1)
  sd_t <- sqrt(wvar(x[tr == 1], rep(1, sum(tr == 1)), bin))
  one <- function(ww) {
    mt <- weighted.mean(x[tr == 1], ww[tr == 1])
    mc <- weighted.mean(x[tr == 0], ww[tr == 0])
    diff <- mt - mc
    smd <- if (abs(diff) > sqrt(.Machine$double.eps)) diff / sd_t else diff
    vr <- if (bin) NA else wvar(x[tr == 1], ww[tr == 1], FALSE) /
      wvar(x[tr == 0], ww[tr == 0], FALSE)
    c(mt, mc, smd, vr)
  }
  c(one(rep(1, length(x))), one(w))
}

balance_table <- function(run, variant) {
  s <- summary(run$m, addlvariables = run$addl, data = run$data)
  cols <- c("Means Treated", "Means Control", "Std. Mean Diff.", "Var. Ratio")
  feats <- rownames(s$sum.all)
  out <- data.frame(variant = variant, feature = feats,
                    stringsAsFactors = FALSE)
  X <- cbind(as.matrix(run$data[, intersect(feats, names(run$data)),
                                drop = FALSE]), as.matrix(run$addl))
  for (f in feats) {
    by_formula <- balance_by_formula(X[, f], run$data$treat, run$m$weights)
    agree(c(s$sum.all[f, cols], s$sum.matched[f, cols]), unname(by_formula),
          paste(variant, "balance", f))
  }
  names_before <- c("mean_treated_before", "mean_control_before",
                    "smd_before", "var_ratio_before")
  names_after <- sub("before", "after", names_before)
  for (j in seq_along(cols)) {
    out[[names_before[j]]] <- num17(s$sum.all[feats, cols[j]])
  }
  for (j in seq_along(cols)) {
    out[[names_after[j]]] <- num17(s$sum.matched[feats, cols[j]])
  }
  out
}

# ---- variants ---------------------------------------------------------------

VARIANTS <- list(
  ps_nn1 = list(kind = "ps", ratio = 1, replace = FALSE, exact = NULL),
  ps_nn2 = list(kind = "ps", ratio = 2, replace = FALSE, exact = NULL),
  ps_nn2_replace = list(kind = "ps", ratio = 2, replace = TRUE, exact = NULL),
  ps_nn1_exact_married = list(kind = "ps", ratio = 1, replace = FALSE,
                              exact = ~married),
  mahal_nn1 = list(kind = "mahalanobis", ratio = 1, replace = FALSE,
                   exact = NULL))

mahal_dist <- function() {
  X <- as.matrix(d[, all.vars(MAHAL_FORMULA)[-1]])
  tr <- d$treat
  Xc <- X
  for (g in 0:1) Xc[tr == g, ] <- sweep(X[tr == g, ], 2, colMeans(X[tr == g, ]))
  S <- crossprod(Xc) / (nrow(X) - 2)
  Si <- solve(S)
  function(i, cand) {
    dx <- sweep(X[cand, , drop = FALSE], 2, X[i, ])
    sqrt(rowSums((dx %*% Si) * dx))
  }
}

matches <- list()
weights <- list()
balance <- list()
for (v in names(VARIANTS)) {
  spec <- VARIANTS[[v]]
  run <- if (spec$kind == "ps") {
    run_ps(spec$ratio, spec$replace, spec$exact)
  } else {
    run_mahal()
  }
  mm <- as_rows(run$m)
  group <- if (is.null(spec$exact)) NULL else d[[all.vars(spec$exact)]]
  if (spec$kind == "ps") {
    mine <- greedy(largest_first, ps_dist, spec$ratio, spec$replace, group)
  } else {
    mine <- greedy(treated_rows, mahal_dist(), spec$ratio, spec$replace, group)
  }
  if (spec$replace) same_matches(mm, mine, v) else
    stopifnot(identical(mm, mine))

  w <- setNames(run$m$weights[d$id], d$id)
  # MatchIt's ATT weights: matched treated 1; control = sum over its treated
  # units of 1 / (their number of matches), rescaled so that the control
  # weights sum to the number of matched controls.
  raw <- rep(0, nrow(d))
  for (i in which(!is.na(mm[, 1]))) {
    got <- mm[i, !is.na(mm[i, ])]
    raw[got] <- raw[got] + 1 / length(got)
  }
  ctl <- d$treat == 0
  expect_w <- ifelse(ctl, raw * sum(raw[ctl] > 0) / sum(raw[ctl]),
                     as.numeric(!is.na(mm[, 1])))
  agree(unname(w), expect_w, paste(v, "weights"))

  rows <- which(d$treat == 1)
  matches[[v]] <- do.call(rbind, lapply(seq_len(spec$ratio), function(r) {
    data.frame(variant = v, treated = d$id[rows], rank = r,
               control = ifelse(is.na(mm[rows, r]), NA, d$id[mm[rows, r]]))
  }))
  weights[[v]] <- data.frame(variant = v, id = d$id, weight = num17(unname(w)))
  balance[[v]] <- balance_table(run, v)
  cat(sprintf("%s: %d treated matched, %d controls used\n", v,
              sum(!is.na(mm[, 1])), sum(w[ctl] > 0)))
}
write_out(do.call(rbind, matches), "matches.csv")
write_out(do.call(rbind, weights), "weights.csv")
write_out(do.call(rbind, balance), "balance.csv")

# ---- MatchIt's default propensity-score path --------------------------------

# Documented, not used as the reference: emulate nn_matchC_vec's choice
# between the left and right neighbour in score order and show how its
# 1:1 match differs from the nearest-control rule above.
fast_path <- function(int_abs) {
  o <- sort.list(unname(ps))
  pos <- integer(length(o))
  pos[o] <- seq_along(o)
  avail <- d$treat[o] == 0
  s <- unname(ps)[o]
  f <- if (int_abs) function(x) trunc(abs(x)) else abs
  out <- setNames(rep(NA_character_, length(treated_rows)), d$id[treated_rows])
  for (u in largest_first) {
    ii <- pos[u]
    kl <- ii - 1
    while (kl >= 1 && !avail[kl]) kl <- kl - 1
    kr <- ii + 1
    while (kr <= length(s) && !avail[kr]) kr <- kr + 1
    left <- kl >= 1
    right <- kr <= length(s)
    k <- if (left && right) {
      if (f(s[kl] - s[ii]) <= f(s[kr] - s[ii])) kl else kr
    } else if (left) kl else kr
    avail[k] <- FALSE
    out[d$id[u]] <- d$id[o[k]]
  }
  out
}
default_mm <- m_default$match.matrix[, 1]
int_abs <- NA
for (ia in c(TRUE, FALSE)) {
  if (identical(unname(fast_path(ia)[names(default_mm)]), unname(default_mm))) {
    int_abs <- ia
    break
  }
}
if (is.na(int_abs)) stop("MatchIt's default nearest-neighbour path is not ",
                         "reproduced by either emulation; update the README")
ref <- matches$ps_nn1
ref_ctl <- setNames(ref$control, ref$treated)[names(default_mm)]
n_diff <- sum(ref_ctl != default_mm)
n_diff_ps <- sum(ps[ref_ctl] != ps[default_mm])
cat(sprintf(paste0("matchit(distance = \"glm\") default path: reproduced by ",
                   "the %s emulation; %d of %d pairs differ from ps_nn1, ",
                   "%d of them in the control's score\n"),
            if (int_abs) "integer-abs" else "real-abs", n_diff,
            length(default_mm), n_diff_ps))

write_out(data.frame(
  key = c("matchit_version", "r_version", "glm_iterations",
          "default_path_integer_abs", "default_path_pairs_differing",
          "default_path_pairs_differing_in_score"),
  value = c(as.character(packageVersion("MatchIt")),
            paste(R.version$major, R.version$minor, sep = "."),
            fit$iter, int_abs, n_diff, n_diff_ps)), "info.csv")
