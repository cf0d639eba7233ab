#include "util/progress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BAR 20

static double now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int we_progress_wanted(int is_tty, int quiet)
{
    return is_tty && !quiet;
}

void we_progress_eta(char *buf, size_t n, double seconds)
{
    if (!isfinite(seconds) || seconds < 0 || seconds > 359999) {
        snprintf(buf, n, "--:--");
        return;
    }
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

/* Cuts s after `cols` characters (UTF-8 code points), in place. */
static void cut_columns(char *s, size_t cols)
{
    size_t c = 0;
    for (char *p = s; *p != '\0'; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        if (c++ == cols) {
            *p = '\0';
            return;
        }
    }
}

void we_progress_format(char *buf, size_t n, const char *label, size_t done,
                        size_t total, double elapsed, const char *what,
                        size_t width)
{
    char eta[24], bar[BAR + 1], line[512];
    if (n == 0)
        return;
    if (done > total)
        done = total;
    double frac = total > 0 ? (double)done / (double)total : 1.0;
    double left = done >= total ? 0.0
                  : done > 0    ? elapsed * (double)(total - done) / (double)done
                                : NAN;
    size_t fill = (size_t)floor(frac * BAR);
    memset(bar, '#', fill);
    memset(bar + fill, '-', BAR - fill);
    bar[BAR] = '\0';
    we_progress_eta(eta, sizeof eta, left);
    snprintf(line, sizeof line, "%s [%s] %zu/%zu %3d%% ETA %s%s%s",
             label != NULL ? label : "", bar, done, total,
             (int)floor(100.0 * frac), eta,
             what != NULL && what[0] != '\0' ? " " : "",
             what != NULL ? what : "");
    cut_columns(line, width);
    snprintf(buf, n, "%s", line);
}

static size_t columns(void)
{
    const char *c = getenv("COLUMNS");
    long v = c != NULL ? strtol(c, NULL, 10) : 0;
    return v >= 20 && v <= 1000 ? (size_t)v : 80;
}

void we_progress_begin(we_progress *p, FILE *out, const char *label,
                       size_t total)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    snprintf(p->label, sizeof p->label, "%s", label != NULL ? label : "");
    p->total = total;
    p->start = p->last = now();
    /* The last column stays free: writing into it wraps some terminals. */
    p->width = columns() - 1;
}

static void draw(we_progress *p, const char *what)
{
    char line[512];
    we_progress_format(line, sizeof line, p->label, p->done, p->total,
                       now() - p->start, what, p->width);
    /* \r and erase-to-end: the line is redrawn in place. */
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->drawn = 1;
}

void we_progress_update(we_progress *p, size_t done, const char *what)
{
    if (p == NULL || p->out == NULL)
        return;
    p->done = done < p->total ? done : p->total;
    double t = now();
    if (p->done < p->total && p->drawn && t - p->last < 0.1)
        return;
    p->last = t;
    draw(p, what);
}

void we_progress_end(we_progress *p)
{
    if (p == NULL || p->out == NULL)
        return;
    if (p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->drawn = 0;
    p->out = NULL;
}
