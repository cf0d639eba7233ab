#include "util/stageclock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* User and system time of this process and its reaped children. */
static double cpu_now(void)
{
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return seconds(self.ru_utime) + seconds(self.ru_stime) +
           seconds(kids.ru_utime) + seconds(kids.ru_stime);
}

void we_stage_clock_start(we_stage_clock *c)
{
    memset(c, 0, sizeof *c);
    c->wall0 = wall_now();
    c->cpu0 = cpu_now();
}

void we_stage_clock_lap(we_stage_clock *c, const char *name)
{
    if (c->n == WE_STAGE_MAX)
        return;
    double wall = wall_now(), cpu = cpu_now();
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    c->stage[c->n].name = name;
    c->stage[c->n].wall = wall - c->wall0;
    c->stage[c->n].cpu = cpu - c->cpu0;
    c->stage[c->n].peak_rss_kb = self.ru_maxrss;
    c->stage[c->n].child_rss_kb = kids.ru_maxrss;
    c->n++;
    c->wall0 = wall;
    c->cpu0 = cpu;
}

int we_stage_clock_write(const we_stage_clock *c, const char *path,
                         we_error *err)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return we_fail(err, WE_EINVAL, "%s: cannot write the timings: %s",
                       path, strerror(errno));
    fputs("stage\twall_s\tcpu_s\tpeak_rss_kb\tchild_peak_rss_kb\n", f);
    for (size_t k = 0; k < c->n; k++)
        fprintf(f, "%s\t%.6f\t%.6f\t%ld\t%ld\n", c->stage[k].name,
                c->stage[k].wall, c->stage[k].cpu, c->stage[k].peak_rss_kb,
                c->stage[k].child_rss_kb);
    if (fclose(f) != 0)
        return we_fail(err, WE_EINVAL, "%s: cannot write the timings: %s",
                       path, strerror(errno));
    return 0;
}
