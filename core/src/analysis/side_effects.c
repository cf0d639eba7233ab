/* Side effects up front (side_effects.h). */
#include "analysis/side_effects.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/judge.h"
#include "model/displacement.h"

const we_result_rec *we_side_result(const we_experiment_run *x,
                                    const char *name)
{
    const we_method order[] = {x->design, WE_METHOD_TWFE,
                               WE_METHOD_DID_2X2};
    for (size_t m = 0; m < sizeof order / sizeof order[0]; m++)
        for (size_t k = 0; k < x->n_results; k++) {
            const we_result_rec *r = &x->results[k];
            if (r->est.method == order[m] && strcmp(r->indicator, name) == 0)
                return r;
        }
    return NULL;
}

static int lower_is_better(const we_panel *p, const char *name, int *known)
{
    const we_catalog_rec *cat = we_judge_catalog(p, name);
    *known = cat != NULL;
    return cat != NULL && cat->direction == WE_LOWER_IS_BETTER;
}

/* 1 when r is significant after the adjustment and its estimate lies on
 * the indicator's bad side. */
static int harmful(const we_config *cfg, const we_panel *p,
                   const we_result_rec *r, int *lower)
{
    int known;
    *lower = lower_is_better(p, r->indicator, &known);
    if (!known || !isfinite(r->est.estimate) ||
        !(isfinite(r->x.p_adjusted) && r->x.p_adjusted < cfg->alpha))
        return 0;
    return *lower ? r->est.estimate > 0 : r->est.estimate < 0;
}

/* The first result of each secondary indicator names it once. */
static int first_of(const we_experiment_run *x, size_t k)
{
    for (size_t j = 0; j < k; j++)
        if (x->results[j].role == WE_ROLE_SECONDARY &&
            strcmp(x->results[j].indicator, x->results[k].indicator) == 0)
            return 0;
    return 1;
}

static int push(we_run *run, size_t *cap, const we_side_effect *s)
{
    if (run->n_side_effects == *cap) {
        size_t n = *cap ? 2 * *cap : 8;
        we_side_effect *a = realloc(run->side_effects, n * sizeof *a);
        if (a == NULL)
            return -1;
        run->side_effects = a;
        *cap = n;
    }
    run->side_effects[run->n_side_effects++] = *s;
    return 0;
}

static int secondaries(const we_config *cfg, const we_panel *p, we_run *run,
                       size_t *cap)
{
    for (size_t e = 0; e < run->n_experiments; e++) {
        const we_experiment_run *x = &run->experiments[e];
        if (x->status != WE_EXP_OK)
            continue;
        for (size_t k = 0; k < x->n_results; k++) {
            if (x->results[k].role != WE_ROLE_SECONDARY || !first_of(x, k))
                continue;
            const we_result_rec *r =
                we_side_result(x, x->results[k].indicator);
            int lower;
            if (r == NULL || !harmful(cfg, p, r, &lower))
                continue;
            we_side_effect s = {
                .kind = WE_SIDE_SECONDARY, .experiment = (long)e,
                .indicator = r->indicator, .method = r->est.method,
                .estimate = r->est.estimate, .ci_low = r->est.ci_low,
                .ci_high = r->est.ci_high, .p = r->x.p_adjusted,
                .lower_is_better = lower};
            if (push(run, cap, &s) != 0)
                return -1;
        }
    }
    return 0;
}

static int displacements(we_run *run, size_t *cap)
{
    const we_disp_result *d = we_run_analysis(run, "displacement");
    for (size_t i = 0; d != NULL && i < d->n_rows; i++) {
        const we_disp_row *row = &d->rows[i];
        if (row->verdict != WE_DISP_DISPLACEMENT)
            continue;
        we_side_effect s = {
            .kind = WE_SIDE_DISPLACEMENT, .experiment = -1,
            .indicator = row->indicator, .method = row->est.method,
            .estimate = row->est.estimate, .ci_low = row->est.ci_low,
            .ci_high = row->est.ci_high, .p = row->est.p_value,
            .lower_is_better = row->lower_is_better};
        if (push(run, cap, &s) != 0)
            return -1;
    }
    return 0;
}

int we_side_effects_run(const we_config *cfg, const we_panel *panel,
                        we_run *run)
{
    size_t cap = 0;
    we_run_side_effects_free(run);
    if (secondaries(cfg, panel, run, &cap) != 0 ||
        displacements(run, &cap) != 0) {
        we_run_side_effects_free(run);
        return -1;
    }
    return 0;
}
