/* The early warning from the config and the panel (early_warning.h). */
#include "analysis/early_warning/early_warning.h"

#include <stdlib.h>

#include "analysis/analysis.h"

int we_early_warning_check(const we_config *c, const we_panel *p,
                           we_error *err)
{
    const we_early_warning_cfg *ew = &c->early_warning;
    if (!ew->enabled)
        return 0;
    for (size_t i = 0; i < ew->n_indicators; i++) {
        const we_ew_indicator_cfg *ic = &ew->indicators[i];
        if (we_analysis_indicator(c, p, "early_warning", ic->name, ic->line,
                                  err) < 0)
            return WE_EINVAL;
    }
    if (ew->window > p->n_periods)
        return we_fail(err, WE_EINVAL,
                       "%s:%d: early_warning: window = %zu, but the "
                       "data have %zu periods; give a window of at most "
                       "%zu",
                       c->path, ew->line, ew->window, p->n_periods,
                       p->n_periods);
    return 0;
}

int we_early_warning_evaluate(const we_config *c, const we_panel *p,
                              we_ew_result *r)
{
    const we_early_warning_cfg *ew = &c->early_warning;
    size_t n = ew->n_indicators ? ew->n_indicators : 1;
    const double **values = malloc(n * sizeof *values);
    double *weight = malloc(n * sizeof *weight);
    int *sign = malloc(n * sizeof *sign);
    int rc = -1;
    if (values != NULL && weight != NULL && sign != NULL) {
        for (size_t i = 0; i < ew->n_indicators; i++) {
            long k = we_panel_indicator(p, ew->indicators[i].name);
            values[i] = p->values[k];
            weight[i] = ew->indicators[i].weight;
            sign[i] = p->catalog[k].direction == WE_LOWER_IS_BETTER ? -1 : 1;
        }
        we_ew_spec spec = {.n_ind = ew->n_indicators, .n_areas = p->n_areas,
                           .n_periods = p->n_periods, .values = values,
                           .weight = weight, .sign = sign,
                           .periods = p->periods, .window = ew->window,
                           .alpha = ew->alpha,
                           .test = (we_ew_test)ew->test};
        rc = we_ew_run(&spec, r);
    }
    free(values);
    free(weight);
    free(sign);
    return rc;
}
