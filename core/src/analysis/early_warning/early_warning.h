/* The early warning of a run: the config's `early_warning` group checked
 * against the catalogue, then evaluated on every area of the panel. */
#ifndef WE_HOST_EARLY_WARNING_EVAL_H
#define WE_HOST_EARLY_WARNING_EVAL_H

#include "config/config.h"
#include "data/panel.h"
#include "methods/early_warning.h"
#include "util/error.h"

/* Every indicator in the catalogue and with data, a window within the
 * panel's periods; else an error naming the config line. 0 when the
 * group is absent. */
int we_early_warning_check(const we_config *c, const we_panel *p,
                           we_error *err);

/* 0, or -1 when memory runs out. */
int we_early_warning_evaluate(const we_config *c, const we_panel *p,
                              we_ew_result *r);

#endif
