/* Inline SVG charts for the HTML report: a forest plot, a line chart with
 * interval bands, an event-study chart, and the sparkline and inline bar
 * of a table row. Each writes one <svg> element to a stream; no script,
 * no external resource. Every text is escaped; numbers go through a
 * caller's formatter, so that the report's language decides the decimal
 * separator. Shapes and dash patterns differ as well as colours, so the
 * charts still read when printed in black and white. */
#ifndef WE_REPORT_SVG_H
#define WE_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Writes s as HTML/XML text, safe in element content and in quoted
 * attribute values: & < > " ' become entities, control characters other
 * than tab and line breaks become spaces, and a byte that is not part of
 * valid UTF-8 becomes U+FFFD. NULL writes nothing. */
void we_html_escape(FILE *f, const char *s);

/* The report's way of writing a number into buf (e.g. with a decimal
 * comma). */
typedef struct we_svg_fmt {
    void (*num)(char *buf, size_t n, double x, const void *ud);
    const void *ud;
} we_svg_fmt;

/* "Nice" axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) that
 * cover [lo, hi] with about `target` ticks. */
#define WE_SVG_MAX_TICKS 16
typedef struct we_svg_ticks {
    double lo, hi, step; /* the axis range: first and last tick */
    size_t n;
    double v[WE_SVG_MAX_TICKS];
} we_svg_ticks;

/* 0, or -1 when lo or hi is not finite or hi < lo. lo == hi gets a range
 * around the value. */
int we_svg_nice_ticks(double lo, double hi, size_t target, we_svg_ticks *t);

/* Evidence levels 0 (none) to 5: the colour and marker of each. */
#define WE_SVG_LEVELS 6
const char *we_svg_level_colour(int level);

/* ---- forest plot ------------------------------------------------------- */
typedef struct we_forest_row {
    const char *label; /* the experiment */
    double est, lo, hi; /* est NaN: "no estimate" (text instead of a
                           point); an infinite bound is clipped with an
                           arrow */
    int level;         /* 0..5, colour and marker shape */
    const char *value; /* shown right of the plot, e.g. "0.61 [0.55,
                          0.68]"; NULL for none */
} we_forest_row;

typedef struct we_forest_spec {
    const we_forest_row *rows; /* drawn top to bottom, in this order */
    size_t n_rows;
    const char *title;        /* accessible name */
    const char *axis_label;   /* e.g. "Standardised effect (Glass's Δ)" */
    const char *better;       /* e.g. "better": drawn as "better →" */
    const char *no_estimate;  /* the text of a row without a point */
    const char *level_names[WE_SVG_LEVELS]; /* legend, e.g. "SMS 3" */
    we_svg_fmt fmt;
    size_t n_top; /* the first n_top rows (the programme as a whole) are
                     set apart from the rest (the experiments): bold
                     labels and a rule under them; 0 for none */
} we_forest_spec;

void we_svg_forest(FILE *f, const we_forest_spec *s);

/* ---- line chart with bands ---------------------------------------------- */
typedef struct we_line_series {
    const char *name;             /* legend */
    const double *y, *lo, *hi;    /* per x; NaN = no value, band optional
                                     (lo/hi NULL) */
} we_line_series;

typedef struct we_line_marker {
    int x;             /* a vertical line at this x */
    const char *label;
    int dashed;
} we_line_marker;

typedef struct we_line_spec {
    const int *x;                 /* ascending periods */
    size_t n;
    const we_line_series *series; /* at most 4; the first is drawn solid */
    size_t n_series;
    const we_line_marker *markers;
    size_t n_markers;
    const char *title;            /* accessible name */
    const char *y_label;
    we_svg_fmt fmt;
} we_line_spec;

void we_svg_line(FILE *f, const we_line_spec *s);

/* ---- event study -------------------------------------------------------- */
typedef struct we_event_point_svg {
    int rel_time;
    double est, lo, hi;
} we_event_point_svg;

typedef struct we_event_spec {
    const we_event_point_svg *pts; /* ascending rel_time, without ref */
    size_t n;
    int ref;                /* the reference event time (drawn at 0) */
    const char *title;
    const char *x_label, *y_label;
    const char *ref_label;  /* e.g. "reference" */
    const char *start_label; /* e.g. "start" */
    const char *pre_label, *post_label; /* legend */
    we_svg_fmt fmt;
} we_event_spec;

void we_svg_event(FILE *f, const we_event_spec *s);

/* ---- small multiples ---------------------------------------------------- */
/* One panel of a grid of small charts that share a y scale: a line of
 * y over x, the zero line (the reference, e.g. the national mean), the
 * periods from x[shade_from] on shaded (the window a test looked at). */
typedef struct we_small_spec {
    const int *x;        /* ascending periods */
    const double *y;     /* per x; NaN = no value */
    size_t n;
    size_t shade_from;   /* n: no shading */
    double lo, hi;       /* the shared y scale */
    const char *label;   /* shown above the plot */
    const char *title;   /* accessible name */
    we_svg_fmt fmt;
} we_small_spec;

void we_svg_small(FILE *f, const we_small_spec *s);

/* ---- table row charts ---------------------------------------------------- */
/* A small line of v[0..n) on the scale [lo, hi] with a dotted zero line
 * when 0 lies in it; the last finite value is marked. */
void we_svg_sparkline(FILE *f, const double *v, size_t n, double lo,
                      double hi, const char *title);
/* An inline bar on [lo, hi]: the zero line, a hollow mark at `from`, an
 * arrow to `to`. */
void we_svg_arrow_bar(FILE *f, double from, double to, double lo, double hi,
                      const char *title);

#endif
