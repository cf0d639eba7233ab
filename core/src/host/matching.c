#include "host/matching.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Baseline values of the covariate indicators, one column each. */
static double *covariate_matrix(const we_panel *p, const we_run_design *rd,
                                const we_experiment_cfg *ec, we_error *err)
{
    size_t A = p->n_areas, n = ec->matching.n_covariates;
    double *x = malloc((A * n > 0 ? A * n : 1) * sizeof *x);
    if (x == NULL) {
        we_errorf(err, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        long col = we_panel_indicator(p, ec->matching.covariates[k]);
        if (col < 0 || p->values[col] == NULL) {
            we_errorf(err, "experiment '%s': matching covariate '%s' has no "
                           "data; use a catalogue indicator of the panel",
                      ec->plugin, ec->matching.covariates[k]);
            free(x);
            return NULL;
        }
        for (size_t i = 0; i < A; i++)
            x[i * n + k] = p->values[col][i * p->n_periods + rd->baseline];
    }
    return x;
}

/* The run's design with the matched sample as in_sample and comparison. */
static int copy_design(we_run_design *dst, const we_run_design *src,
                       const we_panel *p, const unsigned char *matched,
                       we_error *err)
{
    size_t A = p->n_areas;
    memset(dst, 0, sizeof *dst);
    dst->treated_from = malloc(A * sizeof *dst->treated_from);
    dst->comparison = calloc(A, 1);
    dst->in_sample = calloc(A, 1);
    dst->municipality = malloc(A * sizeof *dst->municipality);
    dst->cluster = malloc(A * sizeof *dst->cluster);
    dst->followup = malloc((src->n_followup + 1) * sizeof *dst->followup);
    if (src->weight != NULL)
        dst->weight = malloc(A * sizeof *dst->weight);
    if (!dst->treated_from || !dst->comparison || !dst->in_sample ||
        !dst->municipality || !dst->cluster || !dst->followup ||
        (src->weight && !dst->weight)) {
        we_run_design_free(dst);
        return we_errorf(err, "out of memory");
    }
    memcpy(dst->treated_from, src->treated_from, A * sizeof *src->treated_from);
    memcpy(dst->municipality, src->municipality, A * sizeof *src->municipality);
    memcpy(dst->cluster, src->cluster, A * sizeof *src->cluster);
    memcpy(dst->followup, src->followup, src->n_followup * sizeof *src->followup);
    if (src->weight)
        memcpy(dst->weight, src->weight, A * sizeof *src->weight);
    dst->n_followup = src->n_followup;
    dst->baseline = src->baseline;
    for (size_t i = 0; i < A; i++) {
        int treated = src->treated_from[i] >= 0 && src->in_sample[i];
        dst->in_sample[i] = treated || (matched[i] && src->comparison[i]);
        dst->comparison[i] = !treated && dst->in_sample[i];
        dst->n_treated += (size_t)treated;
        dst->n_comparison += dst->comparison[i];
    }
    dst->d = src->d;
    dst->d.treated_from = dst->treated_from;
    dst->d.in_sample = dst->in_sample;
    dst->d.cluster = dst->cluster;
    dst->d.followup = dst->followup;
    return 0;
}

int we_matching_build(we_experiment_matching *em, const we_config *c,
                      const we_panel *p, const we_run_design *rd,
                      const we_experiment_cfg *ec, const char *indicator,
                      we_error *err)
{
    (void)c;
    memset(em, 0, sizeof *em);
    em->cfg = &ec->matching;
    long col = we_panel_indicator(p, indicator);
    if (col < 0 || p->values[col] == NULL)
        return we_errorf(err, "experiment '%s': cannot match on '%s': the "
                              "panel has no data for it",
                         ec->plugin, indicator);
    double *cov = covariate_matrix(p, rd, ec, err);
    if (cov == NULL)
        return -1;
    const char **labels = malloc(p->n_areas * sizeof *labels);
    if (labels == NULL) {
        free(cov);
        return we_errorf(err, "out of memory");
    }
    for (size_t i = 0; i < p->n_areas; i++)
        labels[i] = p->areas[i].code;
    we_match_opts o = {
        .distance = ec->matching.propensity ? WE_MATCH_PROPENSITY
                                            : WE_MATCH_MAHALANOBIS,
        .k = ec->matching.k,
        .replace = ec->matching.replace,
        .group = ec->matching.same_municipality ? rd->municipality : NULL,
    };
    we_error merr = {{0}};
    int rc = we_match_panel_run(p->values[col], &rd->d, cov,
                                ec->matching.n_covariates, labels, &o,
                                &em->match, &merr);
    free(cov);
    free(labels);
    if (rc != WE_OK)
        return we_errorf(err, "experiment '%s': matching on '%s' failed: %s",
                         ec->plugin, indicator, merr.msg);
    em->indicator = we_strdup(indicator);
    if (em->indicator == NULL ||
        copy_design(&em->rd, rd, p, em->match.m.matched, err) != 0) {
        we_matching_free(em);
        return -1;
    }
    return 0;
}

void we_matching_free(we_experiment_matching *em)
{
    we_match_panel_free(&em->match);
    we_run_design_free(&em->rd);
    free(em->indicator);
    memset(em, 0, sizeof *em);
}
