/* The table of optional analyses (analysis/analysis.h). A new analysis is
 * one folder under analysis/ and one line here; the order is the order
 * of their sections in the report. */
#include "analysis/analysis.h"

extern const we_analysis we_goals_analysis;
extern const we_analysis we_early_warning_analysis;
extern const we_analysis we_displacement_analysis;

const we_analysis *const we_analyses[] = {
    &we_goals_analysis,
    &we_early_warning_analysis,
    &we_displacement_analysis,
};

const size_t we_n_analyses = sizeof we_analyses / sizeof we_analyses[0];

const we_config_group *we_config_group_at(size_t k)
{
    return k < we_n_analyses ? we_analyses[k]->config : NULL;
}

long we_analysis_indicator(const we_config *c, const we_panel *p,
                           const char *group, const char *name, int line,
                           we_error *err)
{
    long k = we_panel_indicator(p, name);
    if (k < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%d: %s: indicator '%s' is not in the catalogue "
                       "%s; use one of its indicators",
                       c->path, line, group, name, c->catalog_path);
    if (p->values[k] == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s:%d: %s: indicator '%s' has no data in %s; "
                       "choose an indicator with data",
                       c->path, line, group, name, c->indicators_path);
    return k;
}
