/* Wall time, CPU time and peak memory per stage of a run, for
 * `wijkeval run --timings` and `make bench`. CPU time counts the plugin
 * children too (after they are reaped). */
#ifndef WE_UTIL_STAGECLOCK_H
#define WE_UTIL_STAGECLOCK_H

#include <stddef.h>

#include "util/error.h"

enum { WE_STAGE_MAX = 16 };

typedef struct we_stage_clock {
    double wall0, cpu0;
    size_t n;
    struct {
        const char *name;
        double wall, cpu;     /* seconds in the stage */
        long peak_rss_kb;     /* the process's peak so far */
        long child_rss_kb;    /* the largest child's peak so far */
    } stage[WE_STAGE_MAX];
} we_stage_clock;

void we_stage_clock_start(we_stage_clock *c);
/* Ends the current stage under `name` (a string literal) and starts the
 * next. */
void we_stage_clock_lap(we_stage_clock *c, const char *name);
/* Tab-separated: stage, wall_s, cpu_s, peak_rss_kb, child_peak_rss_kb. */
int we_stage_clock_write(const we_stage_clock *c, const char *path,
                         we_error *err);

#endif
