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
