/*
 * wijkeval mock host: run a plugin in a unit test without a config file,
 * data files or dlopen.
 *
 * The test builds a small in-memory panel (areas x periods x indicators)
 * and a design (treated areas, comparison group, baseline, follow-up), then
 * calls we_mock_run() with the plugin's descriptor. The mock turns these
 * into the real host's panel, config and run design and runs the plugin
 * through the real host: the same host table, target checks, init ->
 * evaluate -> fini sequence and result recording as `wijkeval run`, so
 * estimates, metrics and failures are what the real host would give for
 * the same panel and design. Afterwards the test reads what was recorded.
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
 * Build a test with the plugin's sources and link it with the flags of
 * `pkg-config --cflags --libs wijkeval-plugin-test` (an installed
 * wijkeval): -lwijkeval-mock, then cmocka, libconfig, jansson, GSL, -ldl
 * and -lm (the library holds the core, which reads settings with
 * libconfig, computes with GSL and loads plugins with dlopen).
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
 * Defaults: area codes area0, area1, ... (the design names areas by
 * code, so codes stay distinct); names and municipalities ""; no area
 * treated; the comparison group is every never-treated area; baseline is
 * period index 0; the follow-up periods are all periods after the
 * baseline; alpha 0.05; seed 1; clusters are municipalities; the gap
 * reference is the rest of the municipality, population-weighted when
 * every population is known; the targets are the descriptor's indicators;
 * no settings.
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

/* The config's gap.reference. */
typedef enum we_mock_gap {
    WE_MOCK_GAP_MUNICIPALITY = 0, /* the other areas of the municipality */
    WE_MOCK_GAP_NATIONAL = 1      /* all areas */
} we_mock_gap;

/* One emitted result, as copied from host->emit_result. */
typedef struct we_mock_result {
    const char *indicator;
    we_role role;
    we_estimate est;
} we_mock_result;

/* One emitted domain metric, as copied from host->emit_metric or
 * host->emit_metric_text (ABI 1.3: the text members are NULL when the
 * plugin gave none). */
typedef struct we_mock_metric {
    const char *name;
    double value;
    const char *unit;
    const char *description;
    const char *label_en, *label_nl, *description_nl, *unit_nl;
} we_mock_metric;

/* One emitted per-wijk metric (host->emit_area_metric): a value per
 * area of the mock's panel, NaN where it does not apply. */
typedef struct we_mock_area_metric {
    const char *name;
    const double *values; /* n_areas values */
    size_t n;
    const char *unit, *description;
    const char *label_en, *label_nl, *description_nl, *unit_nl;
} we_mock_area_metric;

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

/* -- areas (population defaults to NaN) ----------------------------------
 * A code another area has is refused. */
int we_mock_set_area_code(we_mock *m, size_t area, const char *code);
int we_mock_set_area_name(we_mock *m, size_t area, const char *name);
int we_mock_set_area_municipality(we_mock *m, size_t area,
                                  const char *municipality);
int we_mock_set_area_population(we_mock *m, size_t area, double population);

/* -- indicators ------------------------------------------------------------
 * `values` holds n_areas * n_periods doubles, row-major by area
 * (values[area * n_periods + t]), NaN where missing; it is copied. Setting
 * an existing name replaces it. `direction` is what host->direction
 * reports: the catalogue direction, WE_HIGHER_IS_BETTER or
 * WE_LOWER_IS_BETTER. */
int we_mock_set_indicator(we_mock *m, const char *name,
                          we_direction direction, const double *values);
/* The catalogue's text of an indicator set with we_mock_set_indicator,
 * as host->indicator_info gives it: the unit code (e.g. "pct",
 * "per_1000"; its words in both languages follow from it), the labels
 * and the theme; NULL leaves a field empty. WE_ENOTFOUND for an unknown
 * indicator. */
int we_mock_set_indicator_info(we_mock *m, const char *name,
                               const char *unit, const char *label_nl,
                               const char *label_en, const char *theme);
/* The same for every indicator of the mock that catalogue file
 * `catalog_path` (e.g. data/catalog.csv) lists: its unit, labels and
 * theme. WE_ENOTFOUND with the reason in we_mock_error() when the file
 * cannot be read. */
int we_mock_set_catalog_text(we_mock *m, const char *catalog_path);
/* Removes an indicator's data, so that host->indicator returns NULL for
 * it, as for a catalogued indicator without rows in the data file (a
 * target without data then fails the run). */
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
/* The gap reference (host->gap_reference and the gap method), as the
 * config's gap = { reference; weighted; } sets it; weighted = 1 weights
 * by population when every area's population is known. */
void we_mock_set_gap(we_mock *m, we_mock_gap reference, int weighted);

/* The experiment's targets, as a config override would set them; copied.
 * n = 0 restores the default (the descriptor's indicators). */
int we_mock_set_targets(we_mock *m, const we_indicator_spec *targets,
                        size_t n);

/* -- settings (the experiment's `settings` group) ----------------------
 * The values form a libconfig `settings` group, as in a config file.
 * Setting an existing name replaces it. we_mock_run() rejects settings the
 * descriptor does not declare (WE_EINVAL), or declares with another type
 * (WE_ETYPE; an int value is accepted for a double setting), with the
 * real host's message. */
int we_mock_set_setting_int(we_mock *m, const char *name, long value);
int we_mock_set_setting_double(we_mock *m, const char *name, double value);
int we_mock_set_setting_string(we_mock *m, const char *name,
                               const char *value);
int we_mock_set_setting_bool(we_mock *m, const char *name, int value);

/* -- running ------------------------------------------------------------ */
/* The real host's table, and the mock's context. The panel functions work
 * on the context at any time; the design, targets and results only during
 * we_mock_run(). */
const we_host *we_mock_host(we_mock *m);
we_ctx *we_mock_ctx(we_mock *m);

/* Gives the plugin the host table of an older minor of this ABI major
 * (0 for ABI 1.0): its struct_size and abi_minor, and only the members
 * that minor has, so that a plugin which declares an older minor can test
 * its WE_HOST_HAS fallbacks. The current minor restores the full table.
 * WE_EINVAL for a minor newer than this host's. */
int we_mock_set_host_abi(we_mock *m, unsigned minor);

/* Checks the descriptor as we_mock_check_descriptor() does, its
 * directions against the panel's, the settings and the design (a
 * follow-up after the baseline, treatment after the baseline, a non-empty
 * comparison group); each failure returns WE_EINVAL (WE_ETYPE for a
 * setting of the wrong type) before the plugin runs. Then the real host
 * checks the targets and calls init, evaluate and fini; when it records
 * the experiment as failed (a target without data, a failing callback,
 * a refused emit, no results) we_mock_run() returns WE_EPLUGIN. The
 * message is in we_mock_error(). */
int we_mock_run(we_mock *m, const we_plugin_descriptor *d);

/* Checks a descriptor the way a plugin author wants it checked before
 * release: the real loader's checks (ABI fields, required fields, id
 * syntax, exactly one primary indicator), text in every title, distinct
 * valid indicator and setting names, and, when catalog_path is not NULL,
 * that every indicator is in that catalogue file with the same direction
 * (WE_ENOTFOUND when one is missing). Returns WE_OK, or a negative status
 * with the reason in msg. */
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
size_t we_mock_n_area_metrics(const we_mock *m);
const we_mock_area_metric *we_mock_area_metric_at(const we_mock *m,
                                                  size_t k);
const we_mock_area_metric *we_mock_find_area_metric(const we_mock *m,
                                                    const char *name);
/* The plugin's warnings (host->log at WE_LOG_WARNING) as the report
 * lists them: each once, in order. */
size_t we_mock_n_warnings(const we_mock *m);
const char *we_mock_warning_at(const we_mock *m, size_t k);
size_t we_mock_n_logs(const we_mock *m);
const we_mock_log *we_mock_log_at(const we_mock *m, size_t k);
/* The last failure message (host->fail, a rejected descriptor or a
 * setter's complaint); "" when there was none. */
const char *we_mock_error(const we_mock *m);

#ifdef __cplusplus
}
#endif
#endif /* WIJKEVAL_MOCK_HOST_H */
