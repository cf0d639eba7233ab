#include "analysis/matching.h"

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
        we_fail(err, WE_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t k = 0; k < n; k++) {
        long col = we_panel_indicator(p, ec->matching.covariates[k]);
        if (col < 0 || p->values[col] == NULL) {
            we_fail(err, WE_EINVAL,
                    "experiment '%s': matching covariate '%s' has no "
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
        return we_fail(err, WE_EINVAL,
                       "experiment '%s': cannot match on '%s': the "
                       "panel has no data for it",
                       ec->plugin, indicator);
    double *cov = covariate_matrix(p, rd, ec, err);
    if (cov == NULL)
        return -1;
    const char **labels = malloc(p->n_areas * sizeof *labels);
    if (labels == NULL) {
        free(cov);
        return we_fail(err, WE_ENOMEM, "out of memory");
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
        return we_fail(err, WE_EINVAL,
                       "experiment '%s': matching on '%s' failed: %s",
                       ec->plugin, indicator, merr.msg);
    em->indicator = we_strdup(indicator);
    if (em->indicator == NULL ||
        we_run_design_subset(&em->rd, rd, p->n_areas, NULL,
                             em->match.m.matched, err) != 0) {
        we_matching_free(em);
        return -1;
    }
    return 0;
}
