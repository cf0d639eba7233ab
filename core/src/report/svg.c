/* The chart module's building blocks: escaping, ticks, text, markers,
 * and the two small charts of a table row. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/svg.h"
#include "report/svg_internal.h"

static const double PI = 3.14159265358979323846;

/* ---- escaping ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s and its code point, or 0 when
 * the bytes there are not valid UTF-8 (overlong forms and surrogates
 * included). A NUL ends any sequence, since it is no continuation byte. */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned long min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80, *cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800, *cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000, *cp = c & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return n;
}

static const char *entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void we_html_escape(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p != NULL && *p != '\0') {
        unsigned long cp;
        size_t n = utf8_seq(p, &cp);
        if (n == 0) {
            fputs("\xef\xbf\xbd", f); /* U+FFFD, one per bad byte */
            p++;
            continue;
        }
        const char *e = n == 1 ? entity(*p) : NULL;
        if (e != NULL)
            fputs(e, f);
        else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                 (cp >= 0x7F && cp <= 0x9F))
            fputc(' ', f);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
}

/* ---- markup helpers -------------------------------------------------------- */

void we_svg_printf(FILE *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Coordinates must use '.', whatever LC_NUMERIC the embedding
     * program set. */
    for (char *s = buf; *s != '\0'; s++)
        if (*s == ',')
            *s = '.';
    fputs(buf, f);
}

double we_svg_map(const we_svg_scale *s, double v)
{
    if (s->d1 == s->d0)
        return (s->r0 + s->r1) / 2.0;
    return s->r0 + (v - s->d0) / (s->d1 - s->d0) * (s->r1 - s->r0);
}

void we_svg_open(FILE *f, const char *cls, double w, double h,
                 const char *title)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" ",
            cls);
    we_svg_printf(f, "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
                     "height=\"%.0f\" role=\"img\"><title>",
                  w, h, w, h);
    we_html_escape(f, title);
    fputs("</title>", f);
}

void we_svg_text(FILE *f, double x, double y, const char *anchor,
                 const char *cls, const char *extra, const char *s)
{
    we_svg_printf(f, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (anchor != NULL)
        fprintf(f, " text-anchor=\"%s\"", anchor);
    if (cls != NULL)
        fprintf(f, " class=\"%s\"", cls);
    if (extra != NULL)
        fprintf(f, " %s", extra);
    fputc('>', f);
    we_html_escape(f, s);
    fputs("</text>", f);
}

void we_svg_format(const we_svg_fmt *fmt, char *buf, size_t n, double v)
{
    if (fmt != NULL && fmt->num != NULL) {
        fmt->num(buf, n, v, fmt->ud);
        return;
    }
    snprintf(buf, n, "%g", v);
    for (char *c = buf; *c != '\0'; c++)
        if (*c == ',')
            *c = '.';
}

void we_svg_num(FILE *f, double x, double y, const char *anchor,
                const char *cls, const we_svg_fmt *fmt, double v)
{
    char buf[64];
    we_svg_format(fmt, buf, sizeof buf, v);
    we_svg_text(f, x, y, anchor, cls, NULL, buf);
}

size_t we_svg_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

double we_svg_text_width(const char *s, double px)
{
    /* An average glyph of a sans-serif face is a little over half its
     * size; generous, so that labels do not run into the plot. */
    return 0.58 * px * (double)we_svg_chars(s);
}

/* ---- ticks ---------------------------------------------------------------- */

/* 1, 2, 2.5, 5 or 10 times a power of ten: the nearest (round) or the
 * first not below x. */
static double nice_num(double x, int round)
{
    double e = floor(log10(x)), p = pow(10.0, e), m = x / p, n;
    if (round)
        n = m < 1.5 ? 1 : m < 2.25 ? 2 : m < 3.5 ? 2.5 : m < 7.5 ? 5 : 10;
    else
        n = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
    return n * p;
}

int we_svg_nice_ticks(double lo, double hi, size_t target, we_svg_ticks *t)
{
    memset(t, 0, sizeof *t);
    if (!isfinite(lo) || !isfinite(hi) || hi < lo)
        return -1;
    if (hi - lo <= 1e-12 * fmax(fabs(lo), fabs(hi))) {
        double pad = lo == 0 ? 1.0 : fabs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    if (target < 2)
        target = 2;
    double step = nice_num((hi - lo) / (double)(target - 1), 1);
    for (;;) {
        if (!(step > 0) || !isfinite(step))
            return -1;
        double a = floor(lo / step) * step, b = ceil(hi / step) * step;
        double n = floor((b - a) / step + 0.5) + 1;
        if (n <= WE_SVG_MAX_TICKS) {
            t->lo = a;
            t->hi = b;
            t->step = step;
            t->n = (size_t)n;
            break;
        }
        step = nice_num(step * 1.01, 0);
    }
    for (size_t i = 0; i < t->n; i++) {
        double v = t->lo + (double)i * step;
        t->v[i] = fabs(v) < step * 1e-9 ? 0.0 : v;
    }
    return 0;
}

void we_svg_y_axis(FILE *f, const we_svg_ticks *t, const we_svg_scale *y,
                   double x0, double x1, const we_svg_fmt *fmt)
{
    for (size_t i = 0; i < t->n; i++) {
        double py = we_svg_map(y, t->v[i]);
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"" WE_SVG_GRID "\"/>",
                      x0, py, x1, py);
        we_svg_num(f, x0 - 6, py + 4, "end", "tick", fmt, t->v[i]);
    }
}

void we_svg_y_title(FILE *f, double x, double y0, double y1, const char *s)
{
    char rot[96];
    double cy = (y0 + y1) / 2.0;
    snprintf(rot, sizeof rot, "transform=\"rotate(-90 %.1f %.1f)\"", x, cy);
    for (char *c = rot; *c != '\0'; c++)
        if (*c == ',')
            *c = '.';
    we_svg_text(f, x, cy, "middle", "axis-title", rot, s);
}

/* ---- evidence levels -------------------------------------------------------- */

/* Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
static const char *const level_colours[WE_SVG_LEVELS] = {
    "#999999", "#D55E00", "#E69F00", "#0072B2", "#009E73", "#CC79A7"};

const char *we_svg_level_colour(int level)
{
    return level_colours[level >= 0 && level < WE_SVG_LEVELS ? level : 0];
}

static void polygon(FILE *f, const double *xy, size_t n, const char *fill)
{
    fputs("<polygon points=\"", f);
    for (size_t i = 0; i < n; i++)
        we_svg_printf(f, "%s%.1f %.1f", i ? " " : "", xy[2 * i],
                      xy[2 * i + 1]);
    fprintf(f, "\" fill=\"%s\" stroke=\"" WE_SVG_INK "\"/>", fill);
}

void we_svg_marker(FILE *f, we_svg_shape shape, double x, double y,
                   double r, const char *colour, int hollow)
{
    const char *fill = hollow ? "#fff" : colour;
    double p[20];
    switch (shape) {
    case WE_SHAPE_TRIANGLE:
        p[0] = x, p[1] = y - 1.2 * r, p[2] = x + 1.1 * r, p[3] = y + 0.8 * r;
        p[4] = x - 1.1 * r, p[5] = y + 0.8 * r;
        polygon(f, p, 3, fill);
        return;
    case WE_SHAPE_SQUARE:
        we_svg_printf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"%s\" stroke=\"" WE_SVG_INK
                         "\"/>", x - 0.85 * r, y - 0.85 * r, 1.7 * r,
                      1.7 * r, fill);
        return;
    case WE_SHAPE_DIAMOND:
        p[0] = x, p[1] = y - 1.25 * r, p[2] = x + 1.25 * r, p[3] = y;
        p[4] = x, p[5] = y + 1.25 * r, p[6] = x - 1.25 * r, p[7] = y;
        polygon(f, p, 4, fill);
        return;
    case WE_SHAPE_STAR:
        for (int i = 0; i < 10; i++) {
            double a = -PI / 2 + i * PI / 5, q = i % 2 ? 0.55 : 1.35;
            /* NOLINTNEXTLINE(bugprone-implicit-widening-of-multiplication-result): i < 10 */
            p[2 * i] = x + q * r * cos(a);
            p[2 * i + 1] = y + q * r * sin(a);
        }
        polygon(f, p, 10, fill);
        return;
    default:
        /* A hollow circle keeps its colour in a thicker outline. */
        we_svg_printf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" "
                         "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
                      x, y, r, fill, hollow ? colour : WE_SVG_INK,
                      hollow ? "2" : "1");
        return;
    }
}

/* Level 0: a hollow circle; 1 triangle, 2 square, 3 circle, 4 diamond,
 * 5 star: the shape alone tells the level in black and white. */
void we_svg_level_marker(FILE *f, int level, double x, double y, double r)
{
    static const we_svg_shape shapes[WE_SVG_LEVELS] = {
        WE_SHAPE_CIRCLE, WE_SHAPE_TRIANGLE, WE_SHAPE_SQUARE,
        WE_SHAPE_CIRCLE, WE_SHAPE_DIAMOND, WE_SHAPE_STAR};
    int l = level >= 0 && level < WE_SVG_LEVELS ? level : 0;
    we_svg_marker(f, shapes[l], x, y, r, we_svg_level_colour(l), l == 0);
}

/* ---- table row charts -------------------------------------------------------- */

void we_svg_sparkline(FILE *f, const double *v, size_t n, double lo,
                      double hi, const char *title)
{
    const double w = 96, h = 22;
    if (isfinite(lo) && lo == hi) { /* a flat line, drawn mid-height */
        lo -= 1;
        hi += 1;
    }
    we_svg_open(f, "spark", w, h, title);
    we_svg_scale ys = {lo, hi, h - 3, 3}, xs = {0, (double)(n > 1 ? n - 1 : 1), 3,
                                                 w - 5};
    if (isfinite(lo) && isfinite(hi) && hi > lo) {
        if (lo < 0 && hi > 0)
            we_svg_printf(f, "<line x1=\"0\" y1=\"%.1f\" x2=\"%.0f\" "
                             "y2=\"%.1f\" stroke=\"" WE_SVG_MUTED "\" "
                             "stroke-dasharray=\"2 2\"/>",
                          we_svg_map(&ys, 0), w, we_svg_map(&ys, 0));
        fputs("<polyline fill=\"none\" stroke=\"" WE_SVG_INK "\" "
              "stroke-width=\"1.5\" points=\"", f);
        long last = -1;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(v[i]))
                continue;
            we_svg_printf(f, "%s%.1f %.1f", last >= 0 ? " " : "",
                          we_svg_map(&xs, (double)i), we_svg_map(&ys, v[i]));
            last = (long)i;
        }
        fputs("\"/>", f);
        if (last >= 0)
            we_svg_printf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                             "fill=\"" WE_SVG_INK "\"/>",
                          we_svg_map(&xs, (double)last),
                          we_svg_map(&ys, v[last]));
    }
    fputs("</svg>", f);
}

void we_svg_arrow_bar(FILE *f, double from, double to, double lo, double hi,
                      const char *title)
{
    const double w = 120, h = 18, cy = h / 2;
    we_svg_open(f, "bar", w, h, title);
    if (isfinite(lo) && isfinite(hi) && hi > lo && isfinite(from) &&
        isfinite(to)) {
        we_svg_scale xs = {lo, hi, 6, w - 6};
        double x0 = we_svg_map(&xs, from), x1 = we_svg_map(&xs, to);
        double zx = we_svg_map(&xs, 0), dir = x1 >= x0 ? 1 : -1;
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"1\" x2=\"%.1f\" "
                         "y2=\"%.0f\" stroke=\"" WE_SVG_MUTED "\"/>",
                      zx, zx, h - 1);
        we_svg_printf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\" stroke=\"" WE_SVG_INK "\" "
                         "stroke-width=\"2\"/>",
                      x0, cy, x1 - dir * 3, cy);
        double p[6] = {x1 + dir * 2, cy, x1 - dir * 5, cy - 5,
                       x1 - dir * 5, cy + 5};
        polygon(f, p, 3, WE_SVG_INK);
        we_svg_printf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                         "fill=\"#fff\" stroke=\"" WE_SVG_INK "\"/>",
                      x0, cy);
    }
    fputs("</svg>", f);
}
