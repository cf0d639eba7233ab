/* Matching on a panel: the features of an area are its outcome path before
 * treatment and caller-given covariates; the matched sample comes back as
 * an in_sample mask for the other methods. */
#include "methods/match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/match_internal.h"

#define FEATURE_LABEL_LEN 48

void we_match_panel_free(we_match_panel *mp)
{
    if (mp == NULL)
        return;
    we_match_result_free(&mp->m);
    free(mp->features);
    free(mp->balance);
    memset(mp, 0, sizeof *mp);
}

static int check_panel_args(const double *y, const we_design *d,
                            const double *covariates, size_t n_covariates,
                            const we_match_opts *o, we_error *err)
{
    if (y == NULL || d == NULL || o == NULL)
        return we_fail(err, WE_EINVAL,
                       "matching: outcome, design and options are "
                       "required");
    if (d->n_areas == 0 || d->n_periods == 0)
        return we_fail(err, WE_EINVAL, "matching: the panel is empty");
    if (d->baseline >= d->n_periods)
        return we_fail(err, WE_EINVAL,
                       "matching: baseline period index %zu is "
                       "outside the panel (%zu periods)",
                       d->baseline, d->n_periods);
    if (n_covariates > 0 && covariates == NULL)
        return we_fail(err, WE_EINVAL,
                       "matching: %zu covariates announced but no "
                       "values given",
                       n_covariates);
    return WE_OK;
}

/* The last period that is before treatment for every treated area and
 * not after the baseline: *t_end (inclusive). */
static int pre_period_end(const we_design *d, size_t *t_end, we_error *err)
{
    long first = -1;
    for (size_t i = 0; i < d->n_areas; i++) {
        long f = d->treated_from[i];
        if (d->in_sample[i] && f >= 0 && (first < 0 || f < first))
            first = f;
    }
    if (first < 0)
        return we_fail(err, WE_ENODATA,
                       "matching: no treated area in the sample");
    if (first == 0)
        return we_fail(err, WE_ENODATA,
                       "matching: a treated area is treated from the "
                       "first period, so there is no pre-period "
                       "outcome to match on");
    *t_end = d->baseline < (size_t)first - 1 ? d->baseline
                                              : (size_t)first - 1;
    return WE_OK;
}

/* The outcome periods that enter as features: those up to t_end with a
 * value for at least one sample area. */
static size_t pick_periods(const double *y, const we_design *d,
                           size_t t_end, size_t *periods, we_note *note)
{
    size_t P = 0;
    we_note empty = {0};
    for (size_t t = 0; t <= t_end; t++) {
        int any = 0;
        for (size_t i = 0; i < d->n_areas && !any; i++)
            any = d->in_sample[i] && isfinite(y[i * d->n_periods + t]);
        if (any)
            periods[P++] = t;
        else
            we_note_append(&empty, "%s%zu", empty.len ? ", " : "", t);
    }
    if (empty.len > 0 && !empty.failed)
        we_note_addf(note, "period index(es) %s have no outcome value in "
                           "the sample and are not matched on",
                     empty.s);
    if (t_end < d->baseline)
        we_note_addf(note, "the pre-period path ends at period index %zu, "
                           "before the first treated period",
                     t_end);
    free(empty.s);
    return P;
}

typedef struct panel_features {
    double *X;
    unsigned char *treat;
    char *label_buf;
    const char **labels;
    size_t p;
} panel_features;

static void panel_features_free(panel_features *f)
{
    free(f->X);
    free(f->treat);
    free(f->label_buf);
    free(f->labels);
}

static int build_features(const double *y, const we_design *d,
                          const size_t *periods, size_t P,
                          const double *cov, size_t n_cov,
                          we_match_panel *out, panel_features *f,
                          we_error *err)
{
    size_t A = d->n_areas, p = P + n_cov;
    f->p = p;
    f->X = malloc(A * p * sizeof *f->X);
    f->treat = malloc(A);
    f->label_buf = malloc(p * FEATURE_LABEL_LEN);
    f->labels = malloc(p * sizeof *f->labels);
    out->features = malloc(p * sizeof *out->features);
    if (f->X == NULL || f->treat == NULL || f->label_buf == NULL ||
        f->labels == NULL || out->features == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    out->n_features = p;
    for (size_t j = 0; j < p; j++) {
        char *lab = f->label_buf + j * FEATURE_LABEL_LEN;
        int is_cov = j >= P;
        out->features[j].covariate = is_cov;
        out->features[j].index = is_cov ? j - P : periods[j];
        snprintf(lab, FEATURE_LABEL_LEN, is_cov ? "covariate %zu"
                                                : "outcome at period index %zu",
                 out->features[j].index);
        f->labels[j] = lab;
    }
    for (size_t i = 0; i < A; i++) {
        f->treat[i] = d->in_sample[i] && d->treated_from[i] >= 0;
        for (size_t j = 0; j < P; j++)
            f->X[i * p + j] = y[i * d->n_periods + periods[j]];
        for (size_t c = 0; c < n_cov; c++)
            f->X[i * p + P + c] = cov[i * n_cov + c];
    }
    return WE_OK;
}

/* The panel's note first, then the matcher's. */
static void merge_notes(we_note *panel, we_match_result *m)
{
    if (panel->len == 0 || panel->failed)
        return;
    if (m->note != NULL)
        we_note_addf(panel, "%s", m->note);
    if (panel->failed)
        return;
    free(m->note);
    m->note = panel->s;
    panel->s = NULL;
}

int we_match_panel_run(const double *y, const we_design *d,
                       const double *covariates, size_t n_covariates,
                       const char *const *area_labels,
                       const we_match_opts *o, we_match_panel *out,
                       we_error *err)
{
    if (out == NULL)
        return we_fail(err, WE_EINVAL, "matching: no result to fill");
    memset(out, 0, sizeof *out);
    int rc = check_panel_args(y, d, covariates, n_covariates, o, err);
    size_t t_end = 0;
    if (rc == WE_OK)
        rc = pre_period_end(d, &t_end, err);
    if (rc != WE_OK)
        return rc;
    we_note note = {0};
    panel_features f = {0};
    size_t *periods = malloc((t_end + 1) * sizeof *periods);
    if (periods == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    size_t P = rc == WE_OK ? pick_periods(y, d, t_end, periods, &note) : 0;
    if (rc == WE_OK && P + n_covariates == 0)
        rc = we_fail(err, WE_ENODATA,
                     "matching: no pre-period outcome value and no "
                     "covariate to match on");
    if (rc == WE_OK)
        rc = build_features(y, d, periods, P, covariates, n_covariates, out,
                            &f, err);
    if (rc == WE_OK)
        rc = we_match_features_named(f.X, d->n_areas, f.p, f.treat,
                                     d->in_sample, area_labels, f.labels, o,
                                     &out->m, err);
    if (rc == WE_OK &&
        (out->balance = malloc(f.p * sizeof *out->balance)) == NULL)
        rc = we_fail(err, WE_ENOMEM, "out of memory");
    if (rc == WE_OK)
        rc = we_match_balance(f.X, d->n_areas, f.p, f.treat, out->m.eligible,
                              out->m.weight, out->balance, err);
    if (rc == WE_OK)
        merge_notes(&note, &out->m);
    free(note.s);
    free(periods);
    panel_features_free(&f);
    if (rc != WE_OK)
        we_match_panel_free(out);
    return rc;
}
