/* What one run produced: the per-experiment results the host copied in
 * from plugins, plus provenance. The report writers read only this. */
#ifndef WE_HOST_RUN_H
#define WE_HOST_RUN_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "data/panel.h"
#include "wijkeval/plugin.h"

typedef struct we_result_rec {
    char *indicator;
    we_role role;
    we_estimate est;
} we_result_rec;

typedef struct we_metric_rec {
    char *name;
    double value;
    char *unit;
    char *description;
} we_metric_rec;

typedef enum we_exp_status { WE_EXP_OK = 0, WE_EXP_FAILED = 1 } we_exp_status;

typedef struct we_experiment_run {
    char *id;
    char *title_nl, *title_en, *version, *summary;
    we_exp_status status;
    char *error;            /* NULL when ok */
    we_result_rec *results;
    size_t n_results, cap_results;
    we_metric_rec *metrics;
    size_t n_metrics, cap_metrics;
} we_experiment_run;

typedef struct we_run {
    const we_config *cfg;
    const we_panel *panel;
    const char *version;
    time_t started, finished;
    we_experiment_run *experiments;
    size_t n_experiments;
} we_run;

#endif
