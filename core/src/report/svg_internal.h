/* Shared by the chart files (svg*.c); not part of the report API. */
#ifndef WE_REPORT_SVG_INTERNAL_H
#define WE_REPORT_SVG_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "report/svg.h"

#define WE_SVG_INK "#222"
#define WE_SVG_GRID "#ddd"
#define WE_SVG_MUTED "#666"

/* A linear map from data [d0, d1] to pixels [r0, r1]. */
typedef struct we_svg_scale {
    double d0, d1, r0, r1;
} we_svg_scale;

double we_svg_map(const we_svg_scale *s, double v);

/* printf for markup with numbers: a locale's decimal comma becomes '.',
 * so the format must not contain commas (separate point pairs with
 * spaces). */
void we_svg_printf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* <svg> with a viewBox of w x h, role="img" and an escaped <title>. */
void we_svg_open(FILE *f, const char *cls, double w, double h,
                 const char *title);
/* <text x y text-anchor=anchor class=cls>escaped s</text>; extra is
 * inserted verbatim as attributes (constant markup only) or NULL. */
void we_svg_text(FILE *f, double x, double y, const char *anchor,
                 const char *cls, const char *extra, const char *s);
/* v as fmt writes it; "%g" with a '.' when fmt has no function. */
void we_svg_format(const we_svg_fmt *fmt, char *buf, size_t n, double v);
/* The same with the number formatted by fmt. */
void we_svg_num(FILE *f, double x, double y, const char *anchor,
                const char *cls, const we_svg_fmt *fmt, double v);
typedef enum we_svg_shape {
    WE_SHAPE_CIRCLE = 0,
    WE_SHAPE_TRIANGLE = 1,
    WE_SHAPE_SQUARE = 2,
    WE_SHAPE_DIAMOND = 3,
    WE_SHAPE_STAR = 4
} we_svg_shape;

/* A point marker centred at (x, y) with radius r; hollow: white inside,
 * the colour as outline. */
void we_svg_marker(FILE *f, we_svg_shape shape, double x, double y,
                   double r, const char *colour, int hollow);
/* The evidence level's marker (circle, triangle, square, ...) centred at
 * (x, y) with radius r. */
void we_svg_level_marker(FILE *f, int level, double x, double y, double r);

/* Characters of UTF-8 text (continuation bytes not counted). */
size_t we_svg_chars(const char *s);
/* Approximate rendered width of s at font size px. */
double we_svg_text_width(const char *s, double px);

/* Horizontal gridlines and labels of a y axis on [x0, x1]. */
void we_svg_y_axis(FILE *f, const we_svg_ticks *t, const we_svg_scale *y,
                   double x0, double x1, const we_svg_fmt *fmt);
/* A rotated axis title centred on the y range at x. */
void we_svg_y_title(FILE *f, double x, double y0, double y1, const char *s);

#endif
