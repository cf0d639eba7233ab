/* "Since the previous report" in every format (report_since*.c): the
 * model's we_since_previous (model/since_previous.h), which the history
 * built; the report never opens the history. Each writes nothing when
 * the run has no previous run. */
#ifndef WE_REPORT_REPORT_SINCE_H
#define WE_REPORT_REPORT_SINCE_H

#include <stdio.h>

#include "model/run.h"
#include "util/error.h"

/* 1 when the run has a comparison (since_previous.csv is written). */
int we_report_has_since(const we_run *run);
/* The since_previous.csv file. */
int we_report_since_csv(const we_run *run, FILE *f, we_error *err);
/* The Markdown section. */
void we_report_since_md(const we_run *run, FILE *f);

#endif
