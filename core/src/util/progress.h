/* A progress line with an estimate of the time left, for long work (the
 * experiments, the host's bootstraps and permutations). It is drawn on a
 * terminal only: the caller decides, and passes NULL as the stream when
 * the output is not a terminal or the user asked for quiet. */
#ifndef WE_UTIL_PROGRESS_H
#define WE_UTIL_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

typedef struct we_progress {
    FILE *out;          /* NULL: nothing is drawn */
    char label[40];
    size_t total, done;
    double start, last; /* monotonic seconds: start, last redraw */
    size_t width;       /* terminal columns */
    int drawn;          /* a line is on the screen */
} we_progress;

/* 1 when a progress line may be drawn: the stream is a terminal and the
 * run is not quiet. */
int we_progress_wanted(int is_tty, int quiet);

/* Starts a task of `total` steps; out NULL makes every call a no-op. */
void we_progress_begin(we_progress *p, FILE *out, const char *label,
                       size_t total);
/* `done` steps are complete and `what` (may be NULL) is being worked on.
 * Redraws at most ten times a second, and always the first time and at
 * the last step. */
void we_progress_update(we_progress *p, size_t done, const char *what);
/* Removes the line, so the output that follows starts clean. */
void we_progress_end(we_progress *p);

/* The line itself, without control characters, at most `width` columns
 * (and n - 1 bytes): "label [#####-----] 3/7 43% ETA 0:12 what". */
void we_progress_format(char *buf, size_t n, const char *label, size_t done,
                        size_t total, double elapsed, const char *what,
                        size_t width);
/* Time left as "0:07", "12:34" or "1:02:03"; "--:--" while unknown
 * (nothing done yet, or not finite). */
void we_progress_eta(char *buf, size_t n, double seconds);

#endif
