/* The forest plot of the front page: one row per experiment, its point
 * and interval on a common standardised scale, better to the right; the
 * programme as a whole, when given, on top and set apart (n_top). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/svg.h"
#include "report/svg_internal.h"

#define FW 760.0   /* width of the view box */
#define ROW 30.0   /* height of one row */
#define TOP 12.0
#define LABEL_MAX 260.0
#define FONT 13.0

typedef struct forest_geo {
    double label_w, value_w, x0, x1, bottom;
    we_svg_scale xs;
    we_svg_ticks t;
} forest_geo;

static double max_width(const we_forest_spec *s, int values)
{
    double w = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        const char *t = values ? s->rows[i].value : s->rows[i].label;
        w = fmax(w, we_svg_text_width(t != NULL ? t : "", FONT));
    }
    return w;
}

/* The data range: every finite point and bound, and 0. */
static void data_range(const we_forest_spec *s, double *lo, double *hi)
{
    *lo = 0;
    *hi = 0;
    for (size_t i = 0; i < s->n_rows; i++) {
        const we_forest_row *r = &s->rows[i];
        if (!isfinite(r->est))
            continue;
        const double v[3] = {r->est, r->lo, r->hi};
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k])) {
                *lo = fmin(*lo, v[k]);
                *hi = fmax(*hi, v[k]);
            }
    }
}

static void layout(const we_forest_spec *s, forest_geo *g)
{
    double lo, hi;
    g->label_w = fmin(max_width(s, 0), LABEL_MAX) + 12;
    g->value_w = max_width(s, 1) + 12;
    g->x0 = g->label_w + 14;
    g->x1 = FW - g->value_w - 14;
    g->bottom = TOP + ROW * (double)s->n_rows;
    data_range(s, &lo, &hi);
    we_svg_nice_ticks(lo, hi, 6, &g->t);
    g->xs = (we_svg_scale){g->t.lo, g->t.hi, g->x0, g->x1};
}

/* A label longer than the label column is cut, with an ellipsis; the
 * full text is in the row's <title>. */
static void row_label(FILE *f, const char *label, double y, int top)
{
    char buf[256];
    size_t max = (size_t)(LABEL_MAX / (0.58 * FONT));
    const char *s = label != NULL ? label : "";
    const char *cls = top ? "label top" : "label";
    if (we_svg_chars(s) <= max) {
        we_svg_text(f, 6, y, "start", cls, NULL, s);
        return;
    }
    size_t n = 0, chars = 0;
    while (s[n] != '\0' && n + 4 < sizeof buf) {
        if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars >= max)
            break;
        n++;
    }
    snprintf(buf, sizeof buf, "%.*s\xe2\x80\xa6", (int)n, s);
    fputs("<g><title>", f);
    we_html_escape(f, s);
    fputs("</title>", f);
    we_svg_text(f, 6, y, "start", cls, NULL, buf);
    fputs("</g>", f);
}

static void grid(FILE *f, const we_forest_spec *s, const forest_geo *g)
{
    for (size_t i = 0; i < s->n_rows; i += 2)
        we_svg_printf(f, "<rect x=\"0\" y=\"%.1f\" width=\"%.0f\" "
                         "height=\"%.0f\" fill=\"#f4f4f4\"/>",
                      TOP + ROW * (double)i, FW, ROW);
    for (size_t k = 0; k < g->t.n; k++) {
        double x = we_svg_map(&g->xs, g->t.v[k]);
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"" WE_SVG_GRID "\"/>",
                      x, TOP, x, g->bottom);
        we_svg_num(f, x, g->bottom + 16, "middle", "tick", &s->fmt,
                   g->t.v[k]);
    }
    if (s->n_top > 0 && s->n_top < s->n_rows)
        we_svg_printf(f,
                      "<line class=\"top-rule\" x1=\"0\" y1=\"%.1f\" "
                      "x2=\"%.0f\" y2=\"%.1f\" stroke=\"" WE_SVG_INK
                      "\" stroke-width=\"1.5\"/>",
                      TOP + ROW * (double)s->n_top, FW,
                      TOP + ROW * (double)s->n_top);
    double zx = we_svg_map(&g->xs, 0);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\" stroke-width=\"1.5\"/>",
                  zx, TOP - 4, zx, g->bottom);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\"/>",
                  g->x0, g->bottom, g->x1, g->bottom);
}

/* An interval bound beyond the axis (an infinite bootstrap side) ends in
 * an arrow at the axis end. */
static void whisker(FILE *f, const forest_geo *g, const we_forest_row *r,
                    double y)
{
    double lo = isfinite(r->lo) ? r->lo : isinf(r->lo) ? g->t.lo : r->est;
    double hi = isfinite(r->hi) ? r->hi : isinf(r->hi) ? g->t.hi : r->est;
    double a = we_svg_map(&g->xs, lo), b = we_svg_map(&g->xs, hi);
    we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                     "stroke=\"" WE_SVG_INK "\" stroke-width=\"1.5\"/>",
                  a, y, b, y);
    const double ends[2] = {a, b};
    const int open[2] = {isinf(r->lo), isinf(r->hi)};
    for (int k = 0; k < 2; k++) {
        if (open[k]) {
            double d = k ? 1 : -1;
            we_svg_printf(f, "<polyline fill=\"none\" stroke=\"" WE_SVG_INK
                             "\" points=\"%.1f %.1f %.1f %.1f %.1f %.1f\"/>",
                          ends[k] - 6 * d, y - 5, ends[k], y, ends[k] - 6 * d,
                          y + 5);
        } else {
            we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                             "y2=\"%.1f\" stroke=\"" WE_SVG_INK "\"/>",
                          ends[k], y - 5, ends[k], y + 5);
        }
    }
}

static void rows(FILE *f, const we_forest_spec *s, const forest_geo *g)
{
    for (size_t i = 0; i < s->n_rows; i++) {
        const we_forest_row *r = &s->rows[i];
        double y = TOP + ROW * ((double)i + 0.5);
        row_label(f, r->label, y + 4.5, i < s->n_top);
        if (r->value != NULL)
            we_svg_text(f, FW - 6, y + 4.5, "end", "value", NULL, r->value);
        if (!isfinite(r->est)) {
            we_svg_text(f, (g->x0 + g->x1) / 2, y + 4.5, "middle", "muted",
                        NULL, s->no_estimate);
            continue;
        }
        whisker(f, g, r, y);
        we_svg_level_marker(f, r->level, we_svg_map(&g->xs, r->est), y, 6);
    }
}

static void footer(FILE *f, const we_forest_spec *s, const forest_geo *g)
{
    char better[128];
    snprintf(better, sizeof better, "%s \xe2\x86\x92",
             s->better != NULL ? s->better : "");
    double y = g->bottom + 36;
    we_svg_text(f, (g->x0 + g->x1) / 2, y, "middle", "axis-title", NULL,
                s->axis_label);
    we_svg_text(f, g->x1, y, "end", "better", NULL, better);
    int seen[WE_SVG_LEVELS] = {0};
    for (size_t i = 0; i < s->n_rows; i++)
        if (isfinite(s->rows[i].est) && s->rows[i].level >= 0 &&
            s->rows[i].level < WE_SVG_LEVELS)
            seen[s->rows[i].level] = 1;
    double x = g->x0;
    for (int l = WE_SVG_LEVELS - 1; l >= 0; l--) {
        if (!seen[l] || s->level_names[l] == NULL)
            continue;
        we_svg_level_marker(f, l, x + 6, y + 24, 6);
        we_svg_text(f, x + 16, y + 28.5, "start", "legend", NULL,
                    s->level_names[l]);
        x += 34 + we_svg_text_width(s->level_names[l], 12);
    }
}

void we_svg_forest(FILE *f, const we_forest_spec *s)
{
    forest_geo g;
    layout(s, &g);
    we_svg_open(f, "chart forest", FW, g.bottom + 72, s->title);
    grid(f, s, &g);
    rows(f, s, &g);
    footer(f, s, &g);
    fputs("</svg>", f);
}
