/* The summary `wijkeval run` prints when it is done: one aligned row per
 * experiment (primary indicator, effect, interval, evidence, status,
 * verdict), then where the report files are. */
#ifndef WE_REPORT_TERMINAL_H
#define WE_REPORT_TERMINAL_H

#include <stdio.h>

#include "model/run.h"
#include "report/report_lang.h"

/* 1 when colour may be used: the stream is a terminal and NO_COLOR is
 * unset or empty (https://no-color.org). */
int we_terminal_colour(int is_tty, const char *no_color);

/* The table; `colour` adds ANSI colours (the alignment is the same
 * without). Failed experiments get their message below the table. */
void we_terminal_summary(FILE *f, const we_run *run, int colour);

/* "report written to DIR/" (in the report's language `l`) and one line
 * per file of `formats` (WE_FORMAT_* bits), as DIR/name. */
void we_terminal_files(FILE *f, const char *dir, unsigned formats, int colour,
                       we_lang l);
/* Further files of the report (targets.csv, watch_list.csv, ...), listed
 * under the ones we_terminal_files printed. */
void we_terminal_more_files(FILE *f, const char *dir,
                            const char *const *names, size_t n);

#endif
