/* The common report: report.json (schema wijkeval-report/1), results.csv
 * and report.md, written atomically into one directory. */
#ifndef WE_REPORT_REPORT_H
#define WE_REPORT_REPORT_H

#include <stdio.h>

#include "model/run.h"
#include "util/error.h"

#define WE_REPORT_SCHEMA "wijkeval-report/1"

/* Writes the formats in `formats` (WE_FORMAT_* bits) into dir, creating it.
 * Each file is written to a temporary name and renamed; on failure no
 * partial file is left. */
int we_report_write(const we_run *run, const char *dir, unsigned formats,
                    we_error *err);

/* The names of the files beyond report.json, results.csv, report.md and
 * report.html that we_report_write writes for this run (targets.csv,
 * policy_return.csv, watch_list.csv, displacement.csv when configured),
 * at most cap of them, in writing order. */
size_t we_report_extra_files(const we_run *run, unsigned formats,
                             const char **names, size_t cap);

/* we_report_write into the directory o holds (report/report_owner.h):
 * refused, with nothing replaced, when a file it would replace is not in
 * o's manifest. */
struct we_output;
int we_report_write_owned(const we_run *run, struct we_output *o,
                          unsigned formats, we_error *err);

/* Writes one result as the JSON object the report uses for it. A result
 * the host did not enrich (its extras zeroed) gets null extras. */
int we_report_result_json(const we_run *run, const we_result_rec *r,
                          FILE *f, we_error *err);
/* The same, with the "matching" object report.json gives the result's
 * experiment (method, k, matched counts, the balance table) when m is not
 * NULL: `wijkeval estimate --comparison matched --json`. */
int we_report_result_json_matched(const we_run *run, const we_result_rec *r,
                                  const we_experiment_matching *m, FILE *f,
                                  we_error *err);

/* What produced a result's p-value and interval, in one English line
 * ("influence function clustered by municipality, t(G-1) with 17 df
 * (Callaway-Sant'Anna)", "wild cluster bootstrap ... 9,999
 * replications", "placebo-in-space rank ... among 16 donors ..."). */
void we_report_inference_text(char *buf, size_t n, const we_result_rec *r,
                              const we_config *c);
/* Why a result's interval is not finite, and what to do about it, in one
 * English line; "" when both bounds are finite. */
void we_report_interval_note(char *buf, size_t n, const we_result_rec *r,
                             double alpha);

#endif
