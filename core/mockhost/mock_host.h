/*
 * wijkeval mock host: run a plugin in a unit test without the real host.
 *
 * The test builds a small in-memory panel (areas x periods x indicators)
 * and a design (treated areas, comparison group, baseline, follow-up), then
 * calls we_mock_run() with the plugin's descriptor. The mock fills a
 * complete `we_host` table and calls init -> evaluate -> fini the way the
 * real host does. host->estimate runs the real core methods on the mock's
 * data, so estimates are the numbers the real host would produce for the
 * same panel and design. Afterwards the test reads what the plugin emitted.
 *
 *     int periods[] = {2006, 2007, 2008};
 *     we_mock *m = we_mock_new(4, periods, 3);
 *     we_mock_set_indicator(m, "sociale_cohesie_score",
 *                           WE_HIGHER_IS_BETTER, values);
 *     we_mock_set_treated(m, 0, 2);
 *     we_mock_set_baseline(m, 1);
 *     int rc = we_mock_run(m, wijkeval_plugin_entry());
 *     const we_mock_result *r =
 *         we_mock_find_result(m, "sociale_cohesie_score", WE_METHOD_TWFE);
 *     we_mock_free(m);
 *
 * Ownership:
 *  - Everything passed to a we_mock_set_* function is copied; the caller
 *    keeps its own buffers.
 *  - Everything the mock lends to the plugin through the host table (the
 *    indicator matrices, area strings, setting strings, target names) is
 *    owned by the mock and stays valid until the mock is changed or freed,
 *    as with the real host.
 *  - Results and metrics emitted by the plugin are copied into the mock.
 *    The pointers returned by the accessors stay valid until the next
 *    we_mock_run() or we_mock_free(); each run starts with empty results,
 *    metrics, log and error message.
 *
 * Setters return WE_OK or a negative we_status (WE_EINVAL for an area,
 * period or name out of range, WE_ENOMEM); the reason is then in
 * we_mock_error().
 *
 * Defaults: no area treated; the comparison group is every never-treated
 * area; baseline is period index 0; the follow-up periods are all periods
 * after the baseline; alpha 0.05; seed 1; clusters are municipalities;
 * the targets are the descriptor's indicators; no settings.
 */
#ifndef WIJKEVAL_MOCK_HOST_H
#define WIJKEVAL_MOCK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "wijkeval/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct we_mock we_mock;

typedef enum we_mock_cluster {
    WE_MOCK_CLUSTER_MUNICIPALITY = 0,
    WE_MOCK_CLUSTER_AREA = 1
} we_mock_cluster;

/* One emitted result, as copied from host->emit_result. */
typedef struct we_mock_result {
    const char *indicator;
    we_role role;
    we_estimate est;
} we_mock_result;

/* One emitted domain metric, as copied from host->emit_metric. */
typedef struct we_mock_metric {
    const char *name;
    double value;
    const char *unit;
    const char *description;
} we_mock_metric;

/* One host->log line (the formatted message). */
typedef struct we_mock_log {
    we_log_level level;
    const char *message;
} we_mock_log;

/* A panel of n_areas areas over n_periods ascending, distinct period
 * labels. Returns NULL when out of memory or when the periods are not
 * ascending. */
we_mock *we_mock_new(size_t n_areas, const int *periods, size_t n_periods);
void we_mock_free(we_mock *m);

/* -- areas (codes and names default to "", population to NaN) ------------ */
int we_mock_set_area_code(we_mock *m, size_t area, const char *code);
int we_mock_set_area_name(we_mock *m, size_t area, const char *name);
int we_mock_set_area_municipality(we_mock *m, size_t area,
                                  const char *municipality);
int we_mock_set_area_population(we_mock *m, size_t area, double population);

/* -- indicators ------------------------------------------------------------
 * `values` holds n_areas * n_periods doubles, row-major by area
 * (values[area * n_periods + t]), NaN where missing; it is copied. Setting
 * an existing name replaces it. `direction` is what host->direction
 * reports: the catalogue direction. */
int we_mock_set_indicator(we_mock *m, const char *name,
                          we_direction direction, const double *values);
/* Removes an indicator, so that host->indicator returns NULL for it. */
int we_mock_remove_indicator(we_mock *m, const char *name);

/* -- design ------------------------------------------------------------- */
/* The area is treated from period index `period_index` on. */
int we_mock_set_treated(we_mock *m, size_t area, size_t period_index);
/* Overrides membership of the comparison group for a never-treated area
 * (1 = in, 0 = out). A treated area is never a comparison area. */
int we_mock_set_comparison(we_mock *m, size_t area, int in_comparison);
/* Period index of the baseline (nulmeting). Unless set explicitly, the
 * follow-up becomes every period after it. */
int we_mock_set_baseline(we_mock *m, size_t t);
/* Ascending period indices after the baseline; copied. */
int we_mock_set_followup(we_mock *m, const size_t *idx, size_t n);
int we_mock_set_alpha(we_mock *m, double alpha); /* 0 < alpha < 1 */
void we_mock_set_seed(we_mock *m, uint64_t seed);
void we_mock_set_cluster(we_mock *m, we_mock_cluster cluster);

/* The experiment's targets, as a config override would set them; copied.
 * n = 0 restores the default (the descriptor's indicators). */
int we_mock_set_targets(we_mock *m, const we_indicator_spec *targets,
                        size_t n);

/* -- settings (the experiment's `settings` group) ----------------------
 * Setting an existing name replaces it. we_mock_run() rejects settings the
 * descriptor does not declare, or declares with another type (an int
 * value is accepted for a double setting), as the real host does. */
int we_mock_set_setting_int(we_mock *m, const char *name, long value);
int we_mock_set_setting_double(we_mock *m, const char *name, double value);
int we_mock_set_setting_string(we_mock *m, const char *name,
                               const char *value);
int we_mock_set_setting_bool(we_mock *m, const char *name, int value);

/* -- running ------------------------------------------------------------ */
const we_host *we_mock_host(we_mock *m);
we_ctx *we_mock_ctx(we_mock *m);

/* Checks the descriptor (ABI version and size, id, callbacks, indicators,
 * settings), then calls init, evaluate and fini. Returns WE_OK or the
 * failing status; the message is in we_mock_error(). */
int we_mock_run(we_mock *m, const we_plugin_descriptor *d);

/* Checks a descriptor the way a plugin author wants it checked before
 * release: ABI fields, id syntax, a non-empty indicator list with exactly
 * one primary, unique names, and, when catalog_path is not NULL, that every
 * indicator is in that catalogue CSV (columns `indicator` and `direction`)
 * with the same direction. Returns WE_OK, or a negative status with the
 * reason in msg. */
int we_mock_check_descriptor(const we_plugin_descriptor *d,
                             const char *catalog_path, char *msg,
                             size_t msg_size);

/* -- what the plugin emitted ------------------------------------------- */
size_t we_mock_n_results(const we_mock *m);
const we_mock_result *we_mock_result_at(const we_mock *m, size_t k);
/* The first result for (indicator, method), or NULL. */
const we_mock_result *we_mock_find_result(const we_mock *m,
                                          const char *indicator,
                                          we_method method);
size_t we_mock_n_metrics(const we_mock *m);
const we_mock_metric *we_mock_metric_at(const we_mock *m, size_t k);
/* The first metric called `name`, or NULL. */
const we_mock_metric *we_mock_find_metric(const we_mock *m,
                                          const char *name);
size_t we_mock_n_logs(const we_mock *m);
const we_mock_log *we_mock_log_at(const we_mock *m, size_t k);
/* The last failure message (host->fail, a rejected descriptor or a
 * setter's complaint); "" when there was none. */
const char *we_mock_error(const we_mock *m);

#ifdef __cplusplus
}
#endif
#endif /* WIJKEVAL_MOCK_HOST_H */
