/* Shared by the JSON writer's files (report_json*.c). */
#ifndef WE_REPORT_REPORT_JSON_INTERNAL_H
#define WE_REPORT_REPORT_JSON_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "model/run.h"

/* Values; each returns NULL only when out of memory. */
json_t *we_rj_str(const char *s);   /* NULL s gives null */
json_t *we_rj_num(double x);        /* non-finite gives null */
/* An array of we_rj_num; NULL when out of memory. */
json_t *we_rj_numbers(const double *x, size_t n);
json_t *we_rj_count(long n);        /* negative gives null */
/* An object of the key/value pairs; NULL when any value is NULL. The
 * values are consumed in every case. */
json_t *we_rj_object(size_t n, const char *const *keys, json_t **vals);

/* run.inference: the configured inference settings. */
json_t *we_rj_run_inference(const we_config *c);
/* Adds the host's extras of r (inference, cr1, p_adjusted, effect size,
 * pre-trend, event study, randomisation, MDE, evidence) to the result
 * object o; 0, or -1 when out of memory. */
int we_rj_result_extras(const we_run *run, const we_result_rec *r,
                        json_t *o);
/* The result's verdict and warnings as the analysis layer judged them
 * (null for a result that was not enriched); 0, or -1 when out of memory
 * (report_json_views.c). */
int we_rj_result_judgement(const we_result_rec *r, json_t *o);
/* The experiment's headline verdict, trend and per-wijk gaps; 0, or -1
 * when out of memory (report_json_views.c). */
int we_rj_experiment_views(const we_run *run, const we_experiment_run *x,
                           json_t *o);
/* The experiment's summary_nl, area_metrics and plugin_warnings (ABI
 * 1.3); 0, or -1 when out of memory (report_json_plugin.c). */
int we_rj_experiment_plugin(const we_run *run, const we_experiment_run *x,
                            json_t *o);
/* A metric's label {nl, en}, description_nl and unit_nl (null where the
 * plugin gave none); 0, or -1 when out of memory. */
int we_rj_metric_text(const we_metric_rec *m, json_t *o);
/* The since_previous object (report_since.c). */
json_t *we_rj_since_previous(const we_run *run);
/* {sms_level, erkenning, reasons} */
json_t *we_rj_evidence(const we_evidence *e);

#endif
