/* The chart module: escaping, "nice" ticks, and the markup of each chart
 * (well-formed, escaped, numbers through the caller's formatter, shapes
 * that tell evidence levels apart without colour). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/svg.h"

/* ---- helpers ------------------------------------------------------------- */

typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
}

static char *cap_close(capture *c)
{
    fclose(c->f);
    return c->buf;
}

static char *escaped(const char *s)
{
    capture c;
    cap_open(&c);
    we_html_escape(c.f, s);
    return cap_close(&c);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = strstr(hay, needle); p != NULL;
         p = strstr(p + k, needle))
        n++;
    return n;
}

/* Markup checks that hold for every chart: one <svg> element, every tag
 * that opens text closed, nothing that runs, no raw '<' inside text. */
static void assert_well_formed(const char *s)
{
    assert_int_equal(count(s, "<svg"), count(s, "</svg>"));
    assert_int_equal(count(s, "<text"), count(s, "</text>"));
    assert_int_equal(count(s, "<title>"), count(s, "</title>"));
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "NaN"));
    assert_null(strstr(s, "nan"));
    assert_null(strstr(s, "inf\""));
    for (const char *t = strstr(s, "<text"); t != NULL;
         t = strstr(t + 1, "<text")) {
        const char *open_end = strchr(t, '>'), *close = strstr(t, "</text>");
        assert_non_null(open_end);
        assert_non_null(close);
        for (const char *c = open_end + 1; c < close; c++)
            assert_true(*c != '<' && *c != '>');
    }
}

/* A Dutch-style formatter: the charts must use it for every number. */
static void comma_num(char *buf, size_t n, double x, const void *ud)
{
    (void)ud;
    snprintf(buf, n, "%.2f", x);
    for (char *c = buf; *c != '\0'; c++)
        if (*c == '.')
            *c = ',';
}

/* ---- escaping -------------------------------------------------------------- */

static void test_escape_hostile(void **state)
{
    (void)state;
    char *s = escaped("<script>alert(1)</script>");
    assert_string_equal(s, "&lt;script&gt;alert(1)&lt;/script&gt;");
    free(s);
    s = escaped("a & b \"c\" 'd' <e>");
    assert_string_equal(s, "a &amp; b &quot;c&quot; &#39;d&#39; &lt;e&gt;");
    free(s);
    s = escaped("&amp;"); /* already an entity: escaped again, shown as is */
    assert_string_equal(s, "&amp;amp;");
    free(s);
}

static void test_escape_utf8(void **state)
{
    (void)state;
    /* Valid multi-byte text passes unchanged. */
    char *s = escaped("Kanaleneiland \xe2\x80\x93 Zuilen \xc3\xa9\xf0\x9f\x8f\xa0");
    assert_string_equal(s, "Kanaleneiland \xe2\x80\x93 Zuilen \xc3\xa9\xf0\x9f\x8f\xa0");
    free(s);
    /* Latin-1 bytes, an overlong '<', a surrogate and a truncated
     * sequence each become U+FFFD, never a raw byte. */
    s = escaped("caf\xe9 \xc0\xbc x \xed\xa0\x80 \xe2\x80");
    assert_string_equal(s, "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd x "
                           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
                           "\xef\xbf\xbd\xef\xbf\xbd");
    free(s);
    /* Control characters become spaces; tab and line breaks stay. */
    s = escaped("a\x01" "b\x1b[31m\tc\nd\x7f");
    assert_string_equal(s, "a b [31m\tc\nd ");
    free(s);
    s = escaped(NULL);
    assert_string_equal(s, "");
    free(s);
}

/* ---- ticks ----------------------------------------------------------------- */

static void assert_ticks_cover(double lo, double hi, size_t target)
{
    we_svg_ticks t;
    assert_int_equal(we_svg_nice_ticks(lo, hi, target, &t), 0);
    assert_true(t.n >= 2 && t.n <= WE_SVG_MAX_TICKS);
    assert_true(t.lo <= lo && t.hi >= hi);
    assert_true(t.v[0] == t.lo);
    /* The step is 1, 2, 2.5 or 5 times a power of ten. */
    double m = t.step / pow(10.0, floor(log10(t.step)));
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 ||
                fabs(m - 2.5) < 1e-9 || fabs(m - 5) < 1e-9);
    for (size_t i = 1; i < t.n; i++)
        assert_true(fabs(t.v[i] - t.v[i - 1] - t.step) < 1e-9 * t.step);
}

static void test_nice_ticks(void **state)
{
    (void)state;
    we_svg_ticks t;
    assert_int_equal(we_svg_nice_ticks(0, 1, 5, &t), 0);
    assert_int_equal(t.n, 5);
    assert_true(t.step == 0.25 && t.v[0] == 0 && t.v[4] == 1);
    assert_int_equal(we_svg_nice_ticks(-0.2, 0.7, 6, &t), 0);
    assert_true(t.step == 0.2 && t.lo == -0.2 && fabs(t.hi - 0.8) < 1e-12);
    /* Zero is exactly zero, not -2.8e-17. */
    int zero = 0;
    for (size_t i = 0; i < t.n; i++)
        zero += t.v[i] == 0.0 && !signbit(t.v[i]);
    assert_int_equal(zero, 1);
    assert_ticks_cover(10.4, 14.8, 5);
    assert_ticks_cover(-3.92, -2.88, 5);
    assert_ticks_cover(150000, 260000, 5);
    assert_ticks_cover(-1e-6, 3e-6, 4);
    assert_ticks_cover(0, 1e12, 2);
    assert_ticks_cover(-5, 5, 40); /* more than fit: fewer, coarser */
}

static void test_nice_ticks_edges(void **state)
{
    (void)state;
    we_svg_ticks t;
    assert_int_equal(we_svg_nice_ticks(3, 3, 5, &t), 0); /* a single value */
    assert_true(t.lo < 3 && t.hi > 3);
    assert_int_equal(we_svg_nice_ticks(0, 0, 5, &t), 0);
    assert_true(t.lo < 0 && t.hi > 0);
    assert_int_equal(we_svg_nice_ticks(NAN, 1, 5, &t), -1);
    assert_int_equal(we_svg_nice_ticks(0, INFINITY, 5, &t), -1);
    assert_int_equal(we_svg_nice_ticks(2, 1, 5, &t), -1);
    assert_int_equal(t.n, 0);
}

/* ---- forest plot ------------------------------------------------------------ */

static const char *const LEVELS[WE_SVG_LEVELS] = {"no level", "SMS 1",
    "SMS 2", "SMS 3", "SMS 4", "SMS 5"};

static char *forest(const we_forest_row *rows, size_t n, we_svg_fmt fmt)
{
    capture c;
    we_forest_spec s = {.rows = rows, .n_rows = n, .fmt = fmt,
                        .title = "Effects <all>", .axis_label = "Glass's \xce\x94",
                        .better = "better", .no_estimate = "no estimate"};
    memcpy(s.level_names, LEVELS, sizeof LEVELS);
    cap_open(&c);
    we_svg_forest(c.f, &s);
    return cap_close(&c);
}

static void test_forest(void **state)
{
    (void)state;
    const we_forest_row rows[] = {
        {"Bewoners <b>participatie</b>", 0.6, 0.5, 0.7, 3, "0.60"},
        {"Gezonde wijk", 0.5, 0.4, 0.6, 2, NULL},
        {"Bureaucratie", -0.1, -0.3, 0.1, 1, NULL},
        {"Mislukt", NAN, NAN, NAN, 0, "failed"}};
    char *s = forest(rows, 4, (we_svg_fmt){comma_num, NULL});
    assert_well_formed(s);
    assert_non_null(strstr(s, "class=\"chart forest\""));
    assert_non_null(strstr(s, "<title>Effects &lt;all&gt;</title>"));
    assert_non_null(strstr(s, "Bewoners &lt;b&gt;participatie&lt;/b&gt;"));
    assert_non_null(strstr(s, "better \xe2\x86\x92"));
    assert_non_null(strstr(s, "no estimate"));
    assert_non_null(strstr(s, ">failed<"));
    /* Tick labels come from the formatter: decimal commas. */
    assert_non_null(strstr(s, ">0,00<"));
    /* Level 3 a filled circle, 2 a square, 1 a triangle: one marker per
     * row with an estimate and one per level in the legend. */
    assert_int_equal(count(s, "<rect x=") - count(s, "fill=\"#f4f4f4\""), 2);
    assert_int_equal(count(s, "fill=\"#0072B2\""), 2);
    assert_int_equal(count(s, "<polygon"), 2);
    assert_non_null(strstr(s, ">SMS 3<"));
    assert_null(strstr(s, ">SMS 4<"));
    /* Coordinates never carry a decimal comma. */
    assert_null(strstr(s, "x=\"0,"));
    free(s);
}

/* A bootstrap interval with an infinite side is clipped with an arrow;
 * a label too long for its column is cut with an ellipsis and kept in
 * full in a <title>. */
static void test_forest_open_interval(void **state)
{
    (void)state;
    const we_forest_row rows[] = {
        {"An experiment with a very long name that does not fit the column",
         0.25, -INFINITY, 0.5, 3, NULL}};
    char *s = forest(rows, 1, (we_svg_fmt){NULL, NULL});
    assert_well_formed(s);
    assert_non_null(strstr(s, "<polyline fill=\"none\""));
    assert_non_null(strstr(s, "\xe2\x80\xa6</text>"));
    assert_non_null(strstr(s, "<title>An experiment with a very long name "
                              "that does not fit the column</title>"));
    free(s);
}

/* ---- line chart -------------------------------------------------------------- */

static void test_line(void **state)
{
    (void)state;
    const int x[5] = {2005, 2006, 2007, 2008, 2009};
    const double y1[5] = {10, 11, NAN, 13, 14}, lo1[5] = {9, 10, NAN, 12, 13},
                 hi1[5] = {11, 12, NAN, 14, 15};
    const double y2[5] = {12, 12.5, 12.25, 12.75, 12.5};
    const we_line_series s[2] = {{"Treated <n = 2>", y1, lo1, hi1},
                                 {"Comparison", y2, NULL, NULL}};
    const we_line_marker m[2] = {{2006, "baseline 2006", 1},
                                 {2007, "start & 2007", 0}};
    we_line_spec spec = {.x = x, .n = 5, .series = s, .n_series = 2,
                         .markers = m, .n_markers = 2, .title = "Trend",
                         .y_label = "pct", .fmt = {comma_num, NULL}};
    capture c;
    cap_open(&c);
    we_svg_line(c.f, &spec);
    char *out = cap_close(&c);
    assert_well_formed(out);
    assert_non_null(strstr(out, "Treated &lt;n = 2&gt;"));
    assert_non_null(strstr(out, "start &amp; 2007"));
    assert_non_null(strstr(out, ">2009<"));
    assert_non_null(strstr(out, ",00<")); /* y ticks via the formatter */
    /* One band (the second series has none), two lines bridging the
     * missing period, markers: 4 circles of series 1 and 5 squares of
     * series 2, plus one of each in the legend. */
    assert_int_equal(count(out, "fill-opacity=\"0.16\""), 1);
    assert_int_equal(count(out, "<polyline"), 2);
    assert_int_equal(count(out, "<circle"), 5);
    assert_int_equal(count(out, "<rect"), 6);
    assert_int_equal(count(out, "stroke-dasharray=\"4 3\""), 1); /* baseline */
    free(out);
}

/* ---- event study ------------------------------------------------------------- */

static void test_event(void **state)
{
    (void)state;
    const we_event_point_svg p[4] = {{-3, 0.1, -0.4, 0.6},
                                     {-2, -0.2, -0.7, 0.3},
                                     {0, 1.5, 1.0, 2.0},
                                     {1, 2.0, NAN, NAN}};
    we_event_spec spec = {.pts = p, .n = 4, .ref = -1, .title = "Event",
                          .x_label = "event time", .y_label = "effect",
                          .ref_label = "reference", .start_label = "start",
                          .pre_label = "before", .post_label = "after",
                          .fmt = {comma_num, NULL}};
    capture c;
    cap_open(&c);
    we_svg_event(c.f, &spec);
    char *out = cap_close(&c);
    assert_well_formed(out);
    assert_non_null(strstr(out, ">reference<"));
    assert_non_null(strstr(out, ">\xe2\x88\x92" "3<")); /* a true minus */
    assert_non_null(strstr(out, ">1<"));
    /* Whiskers for the three points with an interval; two leads as
     * squares (+1 legend), two lags and the hollow reference as circles
     * (+1 legend). */
    assert_int_equal(count(out, "<path d=\"M"), 3);
    assert_int_equal(count(out, "<rect"), 3);
    assert_int_equal(count(out, "<circle"), 4);
    assert_int_equal(count(out, "fill=\"#fff\""), 1);
    free(out);
}

/* ---- row charts -------------------------------------------------------------- */

static void test_row_charts(void **state)
{
    (void)state;
    const double v[5] = {-2, -1.5, NAN, -0.5, 0.25};
    capture c;
    cap_open(&c);
    we_svg_sparkline(c.f, v, 5, -2, 0.25, "De <Hoogte>");
    we_svg_arrow_bar(c.f, -2, 0.25, -3, 3, "De <Hoogte>");
    /* Nothing to draw, still valid markup. */
    we_svg_sparkline(c.f, v, 5, NAN, NAN, NULL);
    we_svg_arrow_bar(c.f, NAN, 1, -3, 3, NULL);
    char *out = cap_close(&c);
    assert_well_formed(out);
    assert_int_equal(count(out, "<svg"), 4);
    assert_int_equal(count(out, "<title>De &lt;Hoogte&gt;</title>"), 2);
    /* The sparkline joins four values, marks the last, and shows zero. */
    assert_non_null(strstr(out, "stroke-dasharray=\"2 2\""));
    const char *pts = strstr(out, "points=\"");
    assert_non_null(pts);
    size_t spaces = 0;
    for (const char *q = pts + 8; *q != '"'; q++)
        spaces += *q == ' ';
    assert_int_equal(spaces, 7); /* 4 points: 8 numbers */
    assert_int_equal(count(out, "<circle"), 2); /* last point, bar start */
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_hostile),
        cmocka_unit_test(test_escape_utf8),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_nice_ticks_edges),
        cmocka_unit_test(test_forest),
        cmocka_unit_test(test_forest_open_interval),
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_event),
        cmocka_unit_test(test_row_charts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
