/* A panel of a small-multiples chart (svg.h, we_svg_small). */
#include <math.h>
#include <stdio.h>

#include "report/svg.h"
#include "report/svg_internal.h"

#define SW 220.0 /* view box */
#define SH 130.0
#define TOP 24.0
#define BOTTOM 108.0
#define LEFT 40.0
#define RIGHT 212.0

static void shade(FILE *f, const we_small_spec *s, const we_svg_scale *xs)
{
    if (s->shade_from >= s->n)
        return;
    double x0 = we_svg_map(xs, s->x[s->shade_from]) - 3;
    we_svg_printf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%.1f\" fill=\"#eef3f8\"/>",
                  x0, TOP, RIGHT + 3 - x0, BOTTOM - TOP);
}

static void line(FILE *f, const we_small_spec *s, const we_svg_scale *xs,
                 const we_svg_scale *ys)
{
    /* A gap (missing period) breaks the line; points mark every value. */
    int open = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->y[i])) {
            if (open)
                fputs("\"/>", f);
            open = 0;
            continue;
        }
        if (!open)
            fputs("<polyline fill=\"none\" stroke=\"#0072B2\" "
                  "stroke-width=\"1.8\" points=\"", f);
        we_svg_printf(f, "%s%.1f %.1f", open ? " " : "",
                      we_svg_map(xs, s->x[i]), we_svg_map(ys, s->y[i]));
        open = 1;
    }
    if (open)
        fputs("\"/>", f);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(s->y[i]))
            we_svg_marker(f, WE_SHAPE_CIRCLE, we_svg_map(xs, s->x[i]),
                          we_svg_map(ys, s->y[i]), 2.2, "#0072B2", 0);
}

void we_svg_small(FILE *f, const we_small_spec *s)
{
    we_svg_open(f, "small", SW, SH, s->title);
    we_svg_text(f, 4, 14, NULL, "label", NULL, s->label);
    double lo = s->lo, hi = s->hi;
    if (!(isfinite(lo) && isfinite(hi) && hi > lo) || s->n == 0) {
        fputs("</svg>", f);
        return;
    }
    we_svg_ticks t;
    we_svg_nice_ticks(lo, hi, 3, &t);
    double x_lo = s->x[0], x_hi = s->n > 1 ? s->x[s->n - 1] : x_lo + 1;
    we_svg_scale xs = {x_lo, x_hi, LEFT + 4, RIGHT - 4};
    we_svg_scale ys = {t.lo, t.hi, BOTTOM, TOP};
    shade(f, s, &xs);
    we_svg_y_axis(f, &t, &ys, LEFT, RIGHT, &s->fmt);
    if (t.lo <= 0 && t.hi >= 0)
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"" WE_SVG_MUTED "\" "
                         "stroke-dasharray=\"4 3\"/>",
                      LEFT, we_svg_map(&ys, 0), RIGHT, we_svg_map(&ys, 0));
    line(f, s, &xs, &ys);
    char b[16];
    snprintf(b, sizeof b, "%d", s->x[0]);
    we_svg_text(f, LEFT + 4, SH - 6, "start", "tick", NULL, b);
    snprintf(b, sizeof b, "%d", s->x[s->n - 1]);
    we_svg_text(f, RIGHT - 4, SH - 6, "end", "tick", NULL, b);
    fputs("</svg>", f);
}
