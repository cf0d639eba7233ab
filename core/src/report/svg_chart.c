/* The two charts of an experiment's section: the trend of treated and
 * comparison areas with interval bands, and the event study. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/svg.h"
#include "report/svg_internal.h"

#define CW 760.0 /* width of the view box */
#define MAX_SERIES 4

typedef struct frame {
    double x0, x1, y0, y1; /* plot area: y0 top, y1 bottom */
    we_svg_scale xs, ys;
    we_svg_ticks yt;
} frame;

/* Series 0 solid, the others dashed or dotted, each with its own marker
 * shape: the lines stay apart without colour. */
static const char *const series_colour[MAX_SERIES] = {"#0072B2", "#555555",
                                                      "#D55E00", "#009E73"};
static const char *const series_dash[MAX_SERIES] = {"none", "7 4", "2 3",
                                                    "9 3 2 3"};
static const we_svg_shape series_shape[MAX_SERIES] = {
    WE_SHAPE_CIRCLE, WE_SHAPE_SQUARE, WE_SHAPE_TRIANGLE, WE_SHAPE_DIAMOND};

static void widen(double *lo, double *hi, const double *v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++)
        if (isfinite(v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
}

/* The left margin fits the widest y tick label. */
static void frame_y(frame *fr, double lo, double hi, double top,
                    double bottom, const we_svg_fmt *fmt)
{
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    }
    we_svg_nice_ticks(lo, hi, 5, &fr->yt);
    double w = 0;
    for (size_t k = 0; k < fr->yt.n; k++) {
        char b[64];
        we_svg_format(fmt, b, sizeof b, fr->yt.v[k]);
        w = fmax(w, we_svg_text_width(b, 11));
    }
    fr->x0 = 30 + w + 10;
    fr->y0 = top;
    fr->y1 = bottom;
    fr->ys = (we_svg_scale){fr->yt.lo, fr->yt.hi, bottom, top};
}

static void x_tick(FILE *f, const frame *fr, double x, int label)
{
    char b[32];
    double px = we_svg_map(&fr->xs, x);
    if (label < 0)
        snprintf(b, sizeof b, "\xe2\x88\x92%ld", -(long)label); /* U+2212 */
    else
        snprintf(b, sizeof b, "%d", label);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\"/>",
                  px, fr->y1, px, fr->y1 + 4);
    we_svg_text(f, px, fr->y1 + 17, "middle", "tick", NULL, b);
}

static void x_axis_line(FILE *f, const frame *fr)
{
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\"/>",
                  fr->x0, fr->y1, fr->x1, fr->y1);
}

/* A legend entry: the series' marker, on a short line in its style when
 * the chart joins the points. */
static double legend_item(FILE *f, double x, double y, size_t k,
                          const char *name, int line)
{
    if (line)
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
                         "stroke-dasharray=\"%s\"/>",
                      x, y, x + 28, y, series_colour[k], series_dash[k]);
    we_svg_marker(f, series_shape[k], x + 14, y, 4, series_colour[k], 0);
    we_svg_text(f, x + 34, y + 4, "start", "legend", NULL, name);
    return x + 50 + we_svg_text_width(name, 12);
}

/* ---- line chart ------------------------------------------------------------ */

static void band(FILE *f, const frame *fr, const we_line_spec *s, size_t k)
{
    const we_line_series *ser = &s->series[k];
    size_t used = 0;
    if (ser->lo == NULL || ser->hi == NULL)
        return;
    fputs("<polygon points=\"", f);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(ser->lo[i]) && isfinite(ser->hi[i]))
            we_svg_printf(f, "%s%.1f %.1f", used++ ? " " : "",
                          we_svg_map(&fr->xs, s->x[i]),
                          we_svg_map(&fr->ys, ser->hi[i]));
    for (size_t i = s->n; i-- > 0;)
        if (isfinite(ser->lo[i]) && isfinite(ser->hi[i]))
            we_svg_printf(f, " %.1f %.1f", we_svg_map(&fr->xs, s->x[i]),
                          we_svg_map(&fr->ys, ser->lo[i]));
    fprintf(f, "\" fill=\"%s\" fill-opacity=\"0.16\" stroke=\"%s\" "
               "stroke-opacity=\"0.5\" stroke-dasharray=\"%s\"/>",
            series_colour[k], series_colour[k], series_dash[k]);
}

/* Missing periods (a biennial indicator) are bridged: the line joins
 * the periods that have a value. */
static void series_line(FILE *f, const frame *fr, const we_line_spec *s,
                        size_t k)
{
    const double *y = s->series[k].y;
    size_t used = 0;
    fputs("<polyline fill=\"none\" points=\"", f);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(y[i]))
            we_svg_printf(f, "%s%.1f %.1f", used++ ? " " : "",
                          we_svg_map(&fr->xs, s->x[i]),
                          we_svg_map(&fr->ys, y[i]));
    fprintf(f, "\" stroke=\"%s\" stroke-width=\"2.2\" "
               "stroke-dasharray=\"%s\"/>",
            series_colour[k], series_dash[k]);
    for (size_t i = 0; i < s->n; i++)
        if (isfinite(y[i]))
            we_svg_marker(f, series_shape[k], we_svg_map(&fr->xs, s->x[i]),
                          we_svg_map(&fr->ys, y[i]), 3.5, series_colour[k],
                          0);
}

/* Labels of nearby markers would collide: each gets its own line. */
static void markers(FILE *f, const frame *fr, const we_line_spec *s)
{
    for (size_t m = 0; m < s->n_markers; m++) {
        const we_line_marker *mk = &s->markers[m];
        double px = we_svg_map(&fr->xs, mk->x);
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"" WE_SVG_INK "\" "
                         "stroke-dasharray=\"%s\"/>",
                      px, fr->y0, px, fr->y1, mk->dashed ? "4 3" : "none");
        double tw = we_svg_text_width(mk->label, 11);
        int left = px + 4 + tw > fr->x1;
        we_svg_text(f, left ? px - 4 : px + 4, fr->y0 + 12 + 13 * (double)m,
                    left ? "end" : "start", "mlabel",
                    "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"",
                    mk->label);
    }
}

void we_svg_line(FILE *f, const we_line_spec *s)
{
    const double h = 310;
    size_t ns = s->n_series < MAX_SERIES ? s->n_series : MAX_SERIES;
    frame fr;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < ns; k++) {
        widen(&lo, &hi, s->series[k].y, s->n);
        widen(&lo, &hi, s->series[k].lo, s->n);
        widen(&lo, &hi, s->series[k].hi, s->n);
    }
    frame_y(&fr, lo, hi, 40, h - 34, &s->fmt);
    fr.x1 = CW - 16;
    double xa = s->n > 0 ? s->x[0] : 0, xb = s->n > 0 ? s->x[s->n - 1] : 1;
    fr.xs = (we_svg_scale){xa - 0.3, xb + 0.3, fr.x0, fr.x1};
    we_svg_open(f, "chart line", CW, h, s->title);
    we_svg_y_axis(f, &fr.yt, &fr.ys, fr.x0, fr.x1, &s->fmt);
    we_svg_y_title(f, 14, fr.y0, fr.y1, s->y_label);
    size_t every = s->n > 12 ? (s->n + 11) / 12 : 1;
    for (size_t i = 0; i < s->n; i += every)
        x_tick(f, &fr, s->x[i], s->x[i]);
    x_axis_line(f, &fr);
    for (size_t k = 0; k < ns; k++)
        band(f, &fr, s, k);
    markers(f, &fr, s);
    for (size_t k = ns; k-- > 0;)
        series_line(f, &fr, s, k);
    double lx = fr.x0;
    for (size_t k = 0; k < ns; k++)
        lx = legend_item(f, lx, 16, k, s->series[k].name, 1);
    fputs("</svg>", f);
}

/* ---- event study ----------------------------------------------------------- */

static void event_point(FILE *f, const frame *fr, const we_event_point_svg *p,
                        int ref)
{
    size_t k = p->rel_time < ref ? 1 : 0;
    double x = we_svg_map(&fr->xs, p->rel_time);
    if (isfinite(p->lo) && isfinite(p->hi)) {
        double a = we_svg_map(&fr->ys, p->lo), b = we_svg_map(&fr->ys, p->hi);
        we_svg_printf(f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f "
                         "%.1fH%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
                         "fill=\"none\"/>",
                      x, a, b, x - 4, a, x + 4, x - 4, b, x + 4,
                      series_colour[k]);
    }
    if (isfinite(p->est))
        we_svg_marker(f, series_shape[k], x, we_svg_map(&fr->ys, p->est), 4.5,
                      series_colour[k], 0);
}

static void event_frame(const we_event_spec *s, frame *fr, int *xa, int *xb)
{
    double lo = 0, hi = 0;
    *xa = *xb = s->ref;
    for (size_t i = 0; i < s->n; i++) {
        const we_event_point_svg *p = &s->pts[i];
        const double v[3] = {p->est, p->lo, p->hi};
        widen(&lo, &hi, v, 3);
        *xa = p->rel_time < *xa ? p->rel_time : *xa;
        *xb = p->rel_time > *xb ? p->rel_time : *xb;
    }
    frame_y(fr, lo, hi, 40, 270 - 50, &s->fmt);
    fr->x1 = CW - 16;
    fr->xs = (we_svg_scale){*xa - 0.6, *xb + 0.6, fr->x0, fr->x1};
}

static void event_axes(FILE *f, const frame *fr, const we_event_spec *s,
                       int xa, int xb)
{
    we_svg_y_axis(f, &fr->yt, &fr->ys, fr->x0, fr->x1, &s->fmt);
    we_svg_y_title(f, 14, fr->y0, fr->y1, s->y_label);
    for (int x = xa; x <= xb; x++)
        x_tick(f, fr, x, x);
    x_axis_line(f, fr);
    we_svg_text(f, (fr->x0 + fr->x1) / 2, fr->y1 + 38, "middle",
                "axis-title", NULL, s->x_label);
    double zy = we_svg_map(&fr->ys, 0);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\" stroke-width=\"1.2\"/>",
                  fr->x0, zy, fr->x1, zy);
    double sx = we_svg_map(&fr->xs, s->ref + 0.5);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\" stroke-dasharray=\"4 3\"/>",
                  sx, fr->y0, sx, fr->y1);
    we_svg_text(f, sx + 4, fr->y0 + 12, "start", "mlabel",
                "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"",
                s->start_label);
}

void we_svg_event(FILE *f, const we_event_spec *s)
{
    frame fr;
    int xa, xb;
    event_frame(s, &fr, &xa, &xb);
    we_svg_open(f, "chart event", CW, 270, s->title);
    event_axes(f, &fr, s, xa, xb);
    for (size_t i = 0; i < s->n; i++)
        event_point(f, &fr, &s->pts[i], s->ref);
    double rx = we_svg_map(&fr.xs, s->ref), ry = we_svg_map(&fr.ys, 0);
    we_svg_marker(f, WE_SHAPE_CIRCLE, rx, ry, 4.5, WE_SVG_INK, 1);
    we_svg_text(f, rx, ry + 18, "middle", "mlabel",
                "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"",
                s->ref_label);
    double lx = legend_item(f, fr.x0, 16, 1, s->pre_label, 0);
    legend_item(f, lx, 16, 0, s->post_label, 0);
    fputs("</svg>", f);
}
