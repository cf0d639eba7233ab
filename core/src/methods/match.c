/* Greedy nearest-neighbour matching on a feature matrix: eligibility,
 * feature screening, the matching rounds and MatchIt's ATT weights.
 * Distances are in match_distance.c, balance in match_balance.c, the
 * panel wrapper in match_panel.c; rules in docs/methods.md. */
#include "methods/match.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/match_internal.h"

#define NOTE_MAX_NAMES 10

/* ---- notes ----------------------------------------------------------------- */

static void note_vappend(we_note *n, const char *fmt, va_list ap)
{
    if (n->failed)
        return;
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    if (len < 0) {
        n->failed = 1;
        va_end(again);
        return;
    }
    size_t need = n->len + (size_t)len + 1;
    if (need > n->cap) {
        size_t cap = n->cap ? n->cap : 128;
        while (cap < need)
            cap *= 2;
        char *s = realloc(n->s, cap);
        if (s == NULL) {
            n->failed = 1;
            va_end(again);
            return;
        }
        n->s = s;
        n->cap = cap;
    }
    vsnprintf(n->s + n->len, n->cap - n->len, fmt, again);
    va_end(again);
    n->len += (size_t)len;
}

void we_note_append(we_note *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_vappend(n, fmt, ap);
    va_end(ap);
}

void we_note_addf(we_note *n, const char *fmt, ...)
{
    if (n->len > 0)
        we_note_append(n, "; ");
    va_list ap;
    va_start(ap, fmt);
    note_vappend(n, fmt, ap);
    va_end(ap);
}

void we_note_rows(we_note *n, const char *what, const unsigned char *flag,
                  size_t n_rows, const char *const *labels)
{
    size_t count = 0, shown = 0;
    for (size_t i = 0; i < n_rows; i++)
        count += flag[i] != 0;
    if (count == 0)
        return;
    we_note part = {0};
    we_note_append(&part, "%zu %s: ", count, what);
    for (size_t i = 0; i < n_rows && shown < NOTE_MAX_NAMES; i++) {
        if (!flag[i])
            continue;
        if (labels != NULL)
            we_note_append(&part, "%s%s", shown ? ", " : "", labels[i]);
        else
            we_note_append(&part, "%srow %zu", shown ? ", " : "", i);
        shown++;
    }
    if (count > shown)
        we_note_append(&part, " and %zu more", count - shown);
    if (!part.failed)
        we_note_addf(n, "%s", part.s);
    else
        n->failed = 1;
    free(part.s);
}

const char *we_match_feature_name(const char *const *labels, size_t col,
                                  char *buf, size_t len)
{
    if (labels != NULL)
        return labels[col];
    snprintf(buf, len, "feature column %zu", col);
    return buf;
}

/* ---- result ---------------------------------------------------------------- */

void we_match_result_free(we_match_result *r)
{
    if (r == NULL)
        return;
    free(r->match);
    free(r->weight);
    free(r->matched);
    free(r->eligible);
    free(r->score);
    free(r->feature_used);
    free(r->coef);
    free(r->note);
    memset(r, 0, sizeof *r);
}

static int result_alloc(we_match_result *r, size_t n, size_t k, size_t p,
                        we_error *err)
{
    r->n = n;
    r->k = k;
    r->p = p;
    if (n > SIZE_MAX / sizeof(long) / k)
        return we_fail(err, WE_ENOMEM,
                       "matching: %zu rows x %zu matches is too "
                       "large",
                       n, k);
    r->match = malloc(n * k * sizeof *r->match);
    r->weight = calloc(n, sizeof *r->weight);
    r->matched = calloc(n, 1);
    r->eligible = calloc(n, 1);
    r->score = malloc(n * sizeof *r->score);
    r->feature_used = calloc(p, 1);
    if (r->match == NULL || r->weight == NULL || r->matched == NULL ||
        r->eligible == NULL || r->score == NULL || r->feature_used == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n * k; i++)
        r->match[i] = -1;
    for (size_t i = 0; i < n; i++)
        r->score[i] = NAN;
    return WE_OK;
}

static int check_args(const double *X, size_t n, size_t p,
                      const unsigned char *treat, const we_match_opts *o,
                      we_error *err)
{
    if (X == NULL || treat == NULL || o == NULL)
        return we_fail(err, WE_EINVAL,
                       "matching: the feature matrix, treatment "
                       "flags and options are required");
    if (n == 0 || p == 0)
        return we_fail(err, WE_EINVAL,
                       "matching: %zu rows and %zu features; need "
                       "at least one of each",
                       n, p);
    if (o->k == 0)
        return we_fail(err, WE_EINVAL,
                       "matching: k (matches per treated area) must "
                       "be at least 1");
    if (o->distance != WE_MATCH_MAHALANOBIS &&
        o->distance != WE_MATCH_PROPENSITY)
        return we_fail(err, WE_EINVAL,
                       "matching: unknown distance %d; use 0 "
                       "(Mahalanobis) or 1 (propensity score)",
                       (int)o->distance);
    return WE_OK;
}

/* ---- eligible rows and features -------------------------------------------- */

/* Flags the rows in `use` with every feature finite; the others in `use`
 * go to the note. Both groups must keep at least one row. */
static int mark_eligible(const double *X, size_t n, size_t p,
                         const unsigned char *treat,
                         const unsigned char *use, const char *const *labels,
                         we_match_result *r, we_note *note, we_error *err)
{
    unsigned char *missing = calloc(n, 1);
    if (missing == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (use != NULL && !use[i])
            continue;
        int ok = 1;
        for (size_t j = 0; j < p && ok; j++)
            ok = isfinite(X[i * p + j]);
        r->eligible[i] = (unsigned char)ok;
        missing[i] = (unsigned char)!ok;
        r->n_excluded += !ok;
        if (ok && treat[i])
            r->n_treated++;
        else if (ok)
            r->n_control++;
    }
    we_note_rows(note, "area(s) not matched because a matching feature is "
                       "missing (never imputed)",
                 missing, n, labels);
    free(missing);
    if (r->n_treated == 0 || r->n_control == 0)
        return we_fail(err, WE_ENODATA,
                       "matching: %zu treated and %zu comparison "
                       "area(s) with every matching feature; need at "
                       "least one of each",
                       r->n_treated, r->n_control);
    return WE_OK;
}

/* A feature that does not vary over the eligible rows carries no
 * information and would make the covariance or the logit design
 * singular: it is left out, with a note. */
static size_t screen_features(const double *X, size_t n, size_t p,
                              const char *const *feature_labels,
                              we_match_result *r, we_note *note)
{
    size_t q = 0, dropped = 0;
    we_note names = {0};
    char buf[64];
    for (size_t j = 0; j < p; j++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (!r->eligible[i])
                continue;
            lo = fmin(lo, X[i * p + j]);
            hi = fmax(hi, X[i * p + j]);
        }
        double scale = fmax(1.0, fmax(fabs(lo), fabs(hi)));
        r->feature_used[j] = hi - lo > sqrt(DBL_EPSILON) * scale;
        if (r->feature_used[j]) {
            q++;
            continue;
        }
        we_note_append(&names, "%s%s", dropped++ ? ", " : "",
                    we_match_feature_name(feature_labels, j, buf,
                                          sizeof buf));
    }
    if (dropped > 0 && !names.failed)
        we_note_addf(note, "%zu feature(s) constant over the areas that "
                           "take part, left out: %s", dropped, names.s);
    free(names.s);
    return q;
}

static void match_data_free(we_match_data *md)
{
    free(md->Z);
    free(md->row);
    free(md->treated);
    memset(md, 0, sizeof *md);
}

static int match_data_build(const double *X, size_t n, size_t p,
                            const unsigned char *treat, size_t q,
                            we_match_result *r, we_match_data *md,
                            size_t *feature_col, we_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += r->eligible[i];
    md->m = m;
    md->q = q;
    md->Z = malloc((m * q > 0 ? m * q : 1) * sizeof *md->Z);
    md->row = malloc((m > 0 ? m : 1) * sizeof *md->row);
    md->treated = malloc(m > 0 ? m : 1);
    if (md->Z == NULL || md->row == NULL || md->treated == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    size_t c = 0;
    for (size_t j = 0; j < p; j++)
        if (r->feature_used[j])
            feature_col[c++] = j;
    size_t e = 0;
    for (size_t i = 0; i < n; i++) {
        if (!r->eligible[i])
            continue;
        md->row[e] = i;
        md->treated[e] = treat[i] != 0;
        for (size_t u = 0; u < q; u++)
            md->Z[e * q + u] = X[i * p + feature_col[u]];
        e++;
    }
    return WE_OK;
}

/* ---- matching rounds -------------------------------------------------------- */

typedef struct match_space {
    const we_match_data *md;
    const double *prob; /* propensity: fitted probabilities, else NULL */
    const int *group;   /* by original row, or NULL */
} match_space;

static double distance(const match_space *s, size_t a, size_t b)
{
    if (s->prob != NULL)
        return fabs(s->prob[a] - s->prob[b]);
    const double *za = s->md->Z + a * s->md->q, *zb = s->md->Z + b * s->md->q;
    double d2 = 0;
    for (size_t u = 0; u < s->md->q; u++)
        d2 += (za[u] - zb[u]) * (za[u] - zb[u]);
    return d2;
}

/* The order in which treated rows choose: by propensity score, largest
 * first (MatchIt's default m.order for a score); for Mahalanobis, data
 * order (MatchIt's only deterministic order without a score). Ties keep
 * data order. Insertion sort: stable and small. */
static size_t treated_order(const match_space *s, size_t *order)
{
    size_t nt = 0;
    for (size_t e = 0; e < s->md->m; e++) {
        if (!s->md->treated[e])
            continue;
        size_t pos = nt++;
        while (s->prob != NULL && pos > 0 &&
               s->prob[order[pos - 1]] < s->prob[e]) {
            order[pos] = order[pos - 1];
            pos--;
        }
        order[pos] = e;
    }
    return nt;
}

static int holds(const long *mine, size_t filled, size_t c)
{
    for (size_t j = 0; j < filled; j++)
        if (mine[j] == (long)c)
            return 1;
    return 0;
}

/* Nearest available comparison row for treated row e in round r; ties go
 * to the lowest row. -1 when there is none. */
static long nearest(const match_space *s, size_t e, const long *mine,
                    size_t r, const unsigned char *taken)
{
    const we_match_data *md = s->md;
    long best = -1;
    double best_d = 0;
    for (size_t c = 0; c < md->m; c++) {
        if (md->treated[c] || taken[c] || holds(mine, r, c))
            continue;
        if (s->group != NULL && s->group[md->row[c]] != s->group[md->row[e]])
            continue;
        double dist = distance(s, e, c);
        if (best < 0 || dist < best_d) {
            best = (long)c;
            best_d = dist;
        }
    }
    return best;
}

/* Round r gives every treated row (in order) its (r + 1)-th match, as
 * MatchIt does for k > 1; without replacement a comparison row is then
 * no longer available. mm is m x k over eligible rows. */
static void match_rounds(const match_space *s, const size_t *order,
                         size_t nt, const we_match_opts *o, long *mm,
                         unsigned char *taken)
{
    size_t k = o->k;
    for (size_t r = 0; r < k; r++) {
        for (size_t i = 0; i < nt; i++) {
            size_t e = order[i];
            long c = nearest(s, e, mm + e * k, r, taken);
            if (c < 0)
                continue;
            mm[e * k + r] = c;
            if (!o->replace)
                taken[c] = 1;
        }
    }
}

/* MatchIt's ATT weights (weights_matrixC and the rescaling of the control
 * weights to the number of controls used), and the result by row. */
static void set_weights(const we_match_data *md, const long *mm, size_t k,
                        double *raw, we_match_result *r)
{
    for (size_t e = 0; e < md->m; e++) {
        size_t cnt = 0;
        for (size_t j = 0; j < k; j++)
            cnt += mm[e * k + j] >= 0;
        if (!md->treated[e] || cnt == 0)
            continue;
        r->weight[md->row[e]] = 1.0;
        for (size_t j = 0; j < k; j++) {
            long c = mm[e * k + j];
            if (c < 0)
                continue;
            raw[c] += 1.0 / (double)cnt;
            r->match[md->row[e] * k + j] = (long)md->row[c];
        }
    }
    double sum = 0;
    size_t used = 0;
    for (size_t c = 0; c < md->m; c++) {
        sum += raw[c];
        used += raw[c] > 0;
    }
    for (size_t c = 0; c < md->m; c++)
        if (raw[c] > 0)
            r->weight[md->row[c]] = raw[c] * ((double)used / sum);
    for (size_t i = 0; i < r->n; i++)
        r->matched[i] = r->weight[i] > 0;
}

/* An unweighted method on the matched sample treats every comparison
 * area alike; say so when the weights say otherwise. */
static void note_unequal_weights(const we_match_data *md,
                                 const we_match_result *r, we_note *note)
{
    double first = 0;
    for (size_t e = 0; e < md->m; e++) {
        double w = r->weight[md->row[e]];
        if (md->treated[e] || w == 0)
            continue;
        if (first == 0)
            first = w;
        else if (fabs(w - first) > 1e-12 * first) {
            we_note_addf(note, "comparison weights differ (a comparison "
                               "area serves several treated areas, or some "
                               "treated areas have fewer matches): a method "
                               "that ignores the weights counts every "
                               "matched comparison area once");
            return;
        }
    }
}

static void count_matched(const we_match_data *md, we_match_result *r)
{
    for (size_t e = 0; e < md->m; e++) {
        if (!r->matched[md->row[e]])
            continue;
        if (md->treated[e])
            r->n_treated_matched++;
        else
            r->n_control_matched++;
    }
}

static void note_short(const we_match_data *md, const long *mm, size_t k,
                       const char *const *labels, we_match_result *r,
                       we_note *note)
{
    unsigned char *none = calloc(r->n, 1), *few = calloc(r->n, 1);
    if (none == NULL || few == NULL) {
        note->failed = 1;
        free(none);
        free(few);
        return;
    }
    for (size_t e = 0; e < md->m; e++) {
        size_t cnt = 0;
        for (size_t j = 0; j < k; j++)
            cnt += mm[e * k + j] >= 0;
        if (!md->treated[e])
            continue;
        none[md->row[e]] = cnt == 0;
        few[md->row[e]] = cnt > 0 && cnt < k;
    }
    we_note_rows(note, "treated area(s) without a comparison area left to "
                       "match (left out of the matched sample)",
                 none, r->n, labels);
    char what[96];
    snprintf(what, sizeof what, "treated area(s) with fewer than %zu "
                                "matches", k);
    we_note_rows(note, what, few, r->n, labels);
    free(none);
    free(few);
}

/* ---- entry points ------------------------------------------------------------ */

static int run_matching(const we_match_data *md, const match_space *s,
                        const we_match_opts *o, const char *const *labels,
                        we_match_result *r, we_note *note, we_error *err)
{
    size_t m = md->m, k = o->k;
    size_t *order = malloc(m * sizeof *order);
    long *mm = malloc(m * k * sizeof *mm);
    unsigned char *taken = calloc(m, 1);
    double *raw = calloc(m, sizeof *raw);
    if (order == NULL || mm == NULL || taken == NULL || raw == NULL) {
        free(order);
        free(mm);
        free(taken);
        free(raw);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m * k; i++)
        mm[i] = -1;
    size_t nt = treated_order(s, order);
    match_rounds(s, order, nt, o, mm, taken);
    set_weights(md, mm, k, raw, r);
    count_matched(md, r);
    note_short(md, mm, k, labels, r, note);
    note_unequal_weights(md, r, note);
    free(order);
    free(mm);
    free(taken);
    free(raw);
    if (r->n_treated_matched == 0)
        return we_fail(err, WE_ENODATA,
                       "matching: no treated area found a comparison "
                       "area%s",
                       o->group != NULL ? " in its municipality" : "");
    return WE_OK;
}

static int fit_distance(we_match_data *md, const we_match_opts *o,
                        const char *const *feature_labels,
                        const size_t *feature_col, double *prob,
                        we_match_result *r, we_error *err)
{
    if (o->distance == WE_MATCH_MAHALANOBIS)
        return we_match_whiten(md, feature_labels, feature_col, err);
    r->n_coef = md->q + 1;
    r->coef = malloc(r->n_coef * sizeof *r->coef);
    if (r->coef == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_match_logit(md, r->coef, prob, &r->iterations,
                            feature_labels, feature_col, err);
    for (size_t e = 0; rc == WE_OK && e < md->m; e++)
        r->score[md->row[e]] = prob[e];
    return rc;
}

int we_match_features_named(const double *X, size_t n, size_t p,
                            const unsigned char *treat,
                            const unsigned char *use,
                            const char *const *labels,
                            const char *const *feature_labels,
                            const we_match_opts *o, we_match_result *r,
                            we_error *err)
{
    if (r == NULL)
        return we_fail(err, WE_EINVAL, "matching: no result to fill");
    memset(r, 0, sizeof *r);
    int rc = check_args(X, n, p, treat, o, err);
    if (rc != WE_OK)
        return rc;
    we_note note = {0};
    we_match_data md = {0};
    size_t *feature_col = malloc(p * sizeof *feature_col);
    double *prob = NULL;
    rc = feature_col == NULL ? we_fail(err, WE_ENOMEM, "out of memory")
                             : result_alloc(r, n, o->k, p, err);
    if (rc == WE_OK)
        rc = mark_eligible(X, n, p, treat, use, labels, r, &note, err);
    size_t q = rc == WE_OK ? screen_features(X, n, p, feature_labels, r,
                                             &note)
                           : 0;
    if (rc == WE_OK && q == 0)
        rc = we_fail(err, WE_ENODATA,
                     "matching: every matching feature is constant "
                     "over the areas that take part; nothing to "
                     "match on");
    if (rc == WE_OK)
        rc = match_data_build(X, n, p, treat, q, r, &md, feature_col, err);
    if (rc == WE_OK && o->distance == WE_MATCH_PROPENSITY &&
        (prob = malloc(md.m * sizeof *prob)) == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = fit_distance(&md, o, feature_labels, feature_col, prob, r, err);
    match_space s = {&md, prob, o->group};
    if (rc == WE_OK)
        rc = run_matching(&md, &s, o, labels, r, &note, err);
    free(feature_col);
    free(prob);
    match_data_free(&md);
    if (rc != WE_OK) {
        free(note.s);
        we_match_result_free(r);
        return rc;
    }
    r->note = note.len > 0 ? note.s : NULL;
    if (r->note == NULL)
        free(note.s);
    return WE_OK;
}

int we_match_features(const double *X, size_t n, size_t p,
                      const unsigned char *treat, const unsigned char *use,
                      const char *const *labels, const we_match_opts *o,
                      we_match_result *r, we_error *err)
{
    return we_match_features_named(X, n, p, treat, use, labels, NULL, o, r,
                                   err);
}
