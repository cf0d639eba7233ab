/* report.html on a run built by hand: the sections and charts are there,
 * every string from data, config or a plugin is escaped, Dutch changes
 * the words and the number format only; and the language helpers. (The
 * group band the trend chart draws: test_judge.c.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_html_internal.h"
#include "report/report_internal.h"
#include "report/report_lang.h"
#include "run_fixture.h"

/* ---- helpers ------------------------------------------------------------- */

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = strstr(hay, needle); p != NULL;
         p = strstr(p + k, needle))
        n++;
    return n;
}

/* The document as a report writer (we_report_html, we_report_md)
 * writes it. */
static char *document_of(const we_run *run,
                         int (*write)(const we_run *, FILE *, we_error *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    we_error err = {{0}};
    assert_non_null(f);
    assert_int_equal(write(run, f, &err), 0);
    fclose(f);
    return buf;
}

static char *html_of(const we_run *run)
{
    return document_of(run, we_report_html);
}

/* The text between the first `from` and the next `to`, copied. */
static char *between(const char *s, const char *from, const char *to)
{
    const char *a = strstr(s, from);
    assert_non_null(a);
    const char *b = strstr(a + strlen(from), to);
    assert_non_null(b);
    size_t n = (size_t)(b - a);
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, a, n);
    out[n] = '\0';
    return out;
}

/* ---- numbers and words ------------------------------------------------------ */

static void assert_num(double x, we_lang l, const char *want)
{
    char b[64];
    we_lang_num(b, sizeof b, x, l);
    assert_string_equal(b, want);
}

/* The unit of a cost per unit of effect, in both languages: a unit that
 * says "per" itself is not given a second one. */
static void test_lang_per_unit(void **state)
{
    (void)state;
    char b[160];
    we_lang_per_unit(b, sizeof b, "per_1000", WE_LANG_EN);
    assert_string_equal(b, "EUR per resident per 1,000");
    we_lang_per_unit(b, sizeof b, "per_1000", WE_LANG_NL);
    assert_string_equal(b, "EUR per bewoner per 1.000");
    we_lang_per_unit(b, sizeof b, "per_10000", WE_LANG_NL);
    assert_string_equal(b, "EUR per bewoner per 10.000");
    we_lang_per_unit(b, sizeof b, "pct", WE_LANG_EN);
    assert_string_equal(b, "EUR per resident per percentage points");
    we_lang_per_unit(b, sizeof b, "days", WE_LANG_NL);
    assert_string_equal(b, "EUR per bewoner per dagen");
    /* An unknown code: its underscores as spaces, after one "per". */
    we_lang_per_unit(b, sizeof b, "per_cent_x", WE_LANG_EN);
    assert_string_equal(b, "EUR per resident per cent x");
    assert_null(strstr(b, "per per"));
}

static void test_lang_numbers(void **state)
{
    (void)state;
    assert_num(0.1234, WE_LANG_EN, "0.123");
    assert_num(0.1234, WE_LANG_NL, "0,123");
    assert_num(-2.5, WE_LANG_EN, "\xe2\x88\x92" "2.5");
    assert_num(1234.75, WE_LANG_EN, "1,235"); /* whole, grouped */
    assert_num(1234.75, WE_LANG_NL, "1.235");
    assert_num(-216000, WE_LANG_NL, "\xe2\x88\x92" "216.000");
    assert_num(999.6, WE_LANG_EN, "1,000"); /* not 1e+03 */
    assert_num(999.4, WE_LANG_EN, "999");
    assert_num(-0.0, WE_LANG_EN, "0");
    assert_num(-0.0001, WE_LANG_EN, "\xe2\x88\x92" "0.0001");
    assert_num(NAN, WE_LANG_NL, "\xe2\x80\x94");
    assert_num(2.5e-5, WE_LANG_NL, "2,5e-05");
    char b[96];
    we_lang_p(b, sizeof b, 0.04321, WE_LANG_NL);
    assert_string_equal(b, "0,043");
    we_lang_p(b, sizeof b, 0.0001, WE_LANG_EN);
    assert_string_equal(b, "<0.001");
    we_lang_p_eq(b, sizeof b, 0.0001, WE_LANG_NL);
    assert_string_equal(b, "p < 0,001");
    we_lang_p_eq(b, sizeof b, 0.5, WE_LANG_EN);
    assert_string_equal(b, "p = 0.500");
    we_lang_ci(b, sizeof b, -1.25, 3.5, WE_LANG_EN);
    assert_string_equal(b, "[\xe2\x88\x92" "1.25, 3.5]");
    /* The Dutch interval separates with a semicolon: the comma is the
     * decimal sign. */
    we_lang_ci(b, sizeof b, -INFINITY, 3.5, WE_LANG_NL);
    assert_string_equal(b, "[\xe2\x88\x92\xe2\x88\x9e; 3,5]");
    we_lang_ci_fixed(b, sizeof b, 0.126, 0.5, 2, WE_LANG_NL);
    assert_string_equal(b, "[0,13; 0,50]");
    we_lang_ci(b, sizeof b, NAN, 1, WE_LANG_EN);
    assert_string_equal(b, "\xe2\x80\x94");
    we_lang_count(b, sizeof b, 9999, WE_LANG_NL);
    assert_string_equal(b, "9.999");
    we_lang_fixed(b, sizeof b, -0.004, 2, WE_LANG_EN);
    assert_string_equal(b, "0.00");
}

static void test_lang_texts(void **state)
{
    run_fixture *f = *state;
    for (int t = 0; t < WE_TEXT_COUNT_; t++) {
        assert_true(we_tr(WE_LANG_EN, (we_text)t)[0] != '\0');
        assert_true(we_tr(WE_LANG_NL, (we_text)t)[0] != '\0');
    }
    assert_string_equal(we_tr(WE_LANG_NL, T_BETTER), "beter");
    assert_int_equal(we_lang_of(NULL), WE_LANG_EN);
    assert_int_equal(we_lang_of(&f->cfg), WE_LANG_EN); /* unset */
    f->cfg.language = "nl";
    assert_int_equal(we_lang_of(&f->cfg), WE_LANG_NL);
    assert_string_equal(we_lang_indicator(&f->panel, "tevreden_pct",
                                          WE_LANG_NL),
                        "Tevreden <met> woonomgeving");
    assert_string_equal(we_lang_indicator(&f->panel, "onbekend", WE_LANG_NL),
                        "onbekend");
    assert_string_equal(we_lang_title(&f->exps[1], WE_LANG_NL),
                        "Terugdringen bureaucratie");
    f->exps[1].title_nl = "";
    assert_string_equal(we_lang_title(&f->exps[1], WE_LANG_NL),
                        "Reducing bureaucracy");
}

/* ---- the document ----------------------------------------------------------- */

static void test_html_structure(void **state)
{
    run_fixture *f = *state;
    char *s = html_of(&f->run);
    assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 31) == 0);
    assert_non_null(strstr(s, "</html>\n"));
    /* Self-contained: no script, no external resource, a policy that
     * forbids both. */
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, " src=\""));
    assert_null(strstr(s, "href=\"http"));
    assert_null(strstr(s, "@import"));
    assert_non_null(strstr(s, "default-src 'none'"));
    assert_non_null(strstr(s, "@media print"));
    /* Front page, one section per experiment, appendix. */
    assert_int_equal(count(s, "<section class=\"experiment\""), 3);
    assert_non_null(strstr(s, "<figure class=\"forest\"><svg"));
    assert_int_equal(count(s, "class=\"chart line\""), 2);  /* ok ones */
    assert_int_equal(count(s, "class=\"chart event\""), 1); /* headline */
    assert_int_equal(count(s, "<details class=\"per-wijk\""), 2);
    assert_non_null(strstr(s, "id=\"appendix\""));
    assert_non_null(strstr(s, "0123456789abcdef0123456789abcdef"));
    assert_non_null(strstr(s, "<code>12345</code>")); /* the seed */
    /* The verdicts: better for the headline, the failure shown; the
     * experiment whose pre-trends were rejected is not credible, never
     * better. */
    char *front = between(s, "<ul class=\"verdicts\">", "</ul>");
    assert_non_null(strstr(front, "badge v-better\">\xe2\x9c\x93 better<"));
    assert_non_null(strstr(front, "badge v-failed"));
    assert_non_null(strstr(front, "badge v-not_credible\">\xe2\x9a\xa0 "
                                  "not credible<"));
    assert_int_equal(count(front, "v-better"), 1);
    assert_non_null(strstr(front, "Not credible: the treated wijken"));
    free(front);
    /* The side effects beside them: none in the fixture. */
    char *side = between(s, "<section class=\"side-effects\"", "</section>");
    assert_non_null(strstr(side, "No side effects found"));
    free(side);
    /* Every results row has its mark: a symbol and a word. */
    assert_int_equal(count(s, "<span class=\"mark v-"), 4);
    assert_non_null(strstr(s, "<span class=\"mark v-better\">\xe2\x9c\x93 "
                              "better</span>"));
    assert_non_null(strstr(s, "<span class=\"mark v-unclear\">? "
                              "unclear</span>"));
    free(s);
}

static void test_html_escapes_everything(void **state)
{
    run_fixture *f = *state;
    char *s = html_of(&f->run);
    /* The hostile wijk name is text in its table cell. */
    assert_non_null(strstr(s, "<td class=\"wijk-name\">&lt;script&gt;"
                              "alert(1)&lt;/script&gt;</td>"));
    assert_null(strstr(s, RF_HOSTILE));
    assert_non_null(strstr(s, "Noord &amp; &quot;Zuid&quot;"));
    /* Config title, experiment title, plugin summary, catalogue label,
     * evidence reasons, metric, error message. */
    assert_non_null(strstr(s, "<title>Unit &lt;run&gt; &amp; &quot;friends"
                              "&quot;</title>"));
    assert_non_null(strstr(s, "Social &lt;cohesion&gt;"));
    assert_non_null(strstr(s, "&lt;script&gt;x()&lt;/script&gt;"));
    assert_non_null(strstr(s, "Satisfied &lt;with&gt; residential"));
    assert_non_null(strstr(s, "DiD &lt;with&gt; comparison"));
    assert_non_null(strstr(s, "&lt;b&gt;budget&lt;/b&gt;"));
    assert_non_null(strstr(s, "Share &amp; &lt;i&gt;more&lt;/i&gt;"));
    assert_non_null(strstr(s, "&lt;img src=x onerror=alert(2)&gt;"));
    assert_null(strstr(s, "<img"));
    assert_null(strstr(s, "<b>"));
    assert_null(strstr(s, "<i>"));
    free(s);
}

static void test_html_warnings(void **state)
{
    run_fixture *f = *state;
    char *s = html_of(&f->run);
    char *first = between(s, "id=\"exp-samenhang\"", "</section>");
    char *second = between(s, "id=\"exp-bureaucratie\"", "</section>");
    /* samenhang: pre-trends not rejected, significant: no warning. */
    assert_null(strstr(first, "class=\"warning\""));
    /* bureaucratie: pre-trends rejected (p = 0.010) and an estimate below
     * the MDE that is not significant: two warnings. */
    assert_int_equal(count(second, "class=\"warning\""), 2);
    assert_non_null(strstr(second, "p = 0.010"));
    assert_non_null(strstr(second, "underpowered"));
    free(first);
    free(second);
    char *failed = between(s, "id=\"exp-gezonde_wijk\"", "</section>");
    assert_non_null(strstr(failed, "class=\"warning failed\""));
    assert_null(strstr(failed, "<svg"));
    free(failed);
    free(s);
}

/* The per-wijk view: the gap to the rest of the municipality, signed so
 * that negative is behind, at the baseline and the latest period. Area 0
 * (60.25 + 0.5t - 4 + 3 after 2007) against areas 1 and 2 (60.25 + 0.5t
 * + 0.75 and + 1.5): -5.125 at 2006, -2.125 at 2009 (printf rounds the
 * exact halves to even), closing. */
static void test_html_per_wijk(void **state)
{
    run_fixture *f = *state;
    char *s = html_of(&f->run);
    char *row = between(s, "<td class=\"wijk-name\">&lt;script",
                        "</tr>");
    assert_non_null(strstr(row, ">\xe2\x88\x92" "5.12<"));
    assert_non_null(strstr(row, ">\xe2\x88\x92" "2.12<"));
    assert_non_null(strstr(row, "class=\"closing\""));
    assert_non_null(strstr(row, "<code>WK000101</code>"));
    assert_non_null(strstr(row, ">2007<"));
    free(row);
    /* Both treated wijken behind at the baseline, both closing. */
    assert_non_null(strstr(s, ": 2 of 2 wijken behind at the baseline"));
    free(s);
}

/* Dutch: the same document with other words and decimal commas; the
 * numbers themselves do not change. */
static void test_html_dutch(void **state)
{
    run_fixture *f = *state;
    char *en = html_of(&f->run);
    f->cfg.language = "nl";
    char *nl = html_of(&f->run);
    assert_non_null(strstr(nl, "<html lang=\"nl\">"));
    /* The run's title: title in both languages until title_nl is set. */
    assert_non_null(strstr(nl, "<h1>Unit &lt;run&gt; &amp; &quot;friends&quot;</h1>"));
    f->cfg.title_nl = "Eenheid <run>";
    char *nl_titled = html_of(&f->run);
    assert_non_null(strstr(nl_titled, "<title>Eenheid &lt;run&gt;</title>"));
    assert_non_null(strstr(nl_titled, "<h1>Eenheid &lt;run&gt;</h1>"));
    f->cfg.language = NULL;
    char *en_titled = html_of(&f->run);
    assert_non_null(strstr(en_titled, "<h1>Unit &lt;run&gt;"));
    free(nl_titled);
    free(en_titled);
    f->cfg.title_nl = NULL;
    f->cfg.language = "nl";
    assert_non_null(strstr(nl, "Samenhang &lt;in&gt; de wijk"));
    assert_non_null(strstr(nl, "Tevreden &lt;met&gt; woonomgeving"));
    assert_non_null(strstr(nl, "badge v-better\">\xe2\x9c\x93 beter<"));
    assert_non_null(strstr(en, "badge v-better\">\xe2\x9c\x93 better<"));
    /* The plain words in the language, with a decimal comma. */
    assert_non_null(strstr(nl, "steeg met ongeveer 2,5 procentpunt meer "
                               "dan in vergelijkbare wijken (95%: 1,5 tot "
                               "3,5)."));
    assert_non_null(strstr(en, "rose by about 2.5 percentage points more "
                               "than in comparable wijken (95%: 1.5 to "
                               "3.5)."));
    /* The headline effect 2.5 [1.5, 3.5] and the secondary 1,235. */
    assert_non_null(strstr(en, "<strong>2.5</strong>"));
    assert_non_null(strstr(nl, "<strong>2,5</strong>"));
    assert_non_null(strstr(en, "[1.5, 3.5]"));
    assert_non_null(strstr(nl, "[1,5; 3,5]"));
    assert_non_null(strstr(en, ">1,235<"));
    assert_non_null(strstr(nl, ">1.235<"));
    /* Same structure: as many sections, charts, rows and cells. */
    static const char *const tags[] = {"<section", "<svg", "<tr", "<td",
                                       "<circle", "<polygon", "<rect",
                                       "<line", "<text"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        assert_int_equal(count(en, tags[i]), count(nl, tags[i]));
    free(en);
    free(nl);
}

/* An unbounded headline interval says why and what to do in the HTML
 * too, in the report's language; a finite one has no such line. */
static void test_html_interval_note(void **state)
{
    run_fixture *f = *state;
    char *s = html_of(&f->run);
    assert_null(strstr(s, "<br><span class=\"small\">Interval "));
    free(s);
    f->res[0].est.inference = WE_INFERENCE_WILD_RADEMACHER;
    f->res[0].est.ci_low = -HUGE_VAL;
    f->res[0].est.ci_high = HUGE_VAL;
    char note[640];
    we_report_interval_note_lang(note, sizeof note, &f->res[0],
                                 f->cfg.alpha, WE_LANG_EN);
    assert_true(strncmp(note, "unbounded", 9) == 0);
    s = html_of(&f->run);
    assert_non_null(strstr(s, "<br><span class=\"small\">Interval "
                              "unbounded"));
    free(s);
    f->cfg.language = "nl";
    s = html_of(&f->run);
    assert_non_null(strstr(s, "<br><span class=\"small\">Interval "
                              "onbegrensd"));
    free(s);
}

static char *md_of(const we_run *run)
{
    return document_of(run, we_report_md);
}

/* "The conclusion survives trend violations up to Mbar*" only under a
 * better or worse verdict; otherwise there is no conclusion, and the
 * HTML and Markdown say what holds: the unadjusted interval excludes 0. */
static void test_sensitivity_wording(void **state)
{
    run_fixture *f = *state;
    we_result_rec *r = &f->res[0];
    r->x.has_sensitivity = 1;
    r->x.sensitivity.ci_low = 0.5;
    r->x.sensitivity.ci_high = 4.5;
    r->x.sensitivity.mbar = 1.0;
    r->x.sensitivity.breakdown_mbar = 0.75;
    f->exps[0].judgement.verdict = WE_HV_BETTER;
    char *s = html_of(&f->run), *m = md_of(&f->run);
    assert_non_null(strstr(s, "the conclusion survives trend violations up "
                              "to M"));
    assert_non_null(strstr(m, "the conclusion survives trend violations up "
                              "to Mbar* = 0.75"));
    assert_null(strstr(s, "the unadjusted interval"));
    assert_null(strstr(m, "the unadjusted interval"));
    free(s);
    free(m);
    f->exps[0].judgement.verdict = WE_HV_INCONCLUSIVE;
    s = html_of(&f->run);
    m = md_of(&f->run);
    assert_null(strstr(s, "the conclusion survives"));
    assert_null(strstr(m, "the conclusion survives"));
    assert_non_null(strstr(s, "the unadjusted interval excludes 0 for trend "
                              "violations up to M"));
    assert_non_null(strstr(m, "the unadjusted interval excludes 0 for trend "
                              "violations up to Mbar* = 0.75"));
    free(s);
    free(m);
    f->cfg.language = "nl";
    s = html_of(&f->run);
    assert_non_null(strstr(s, "het ongecorrigeerde interval sluit 0 uit bij "
                              "trendafwijkingen tot"));
    free(s);
}

/* A report built without the run's design (rd NULL) still renders, and
 * says what it cannot show. */
static void test_html_without_design(void **state)
{
    run_fixture *f = *state;
    f->run.rd = NULL;
    char *s = html_of(&f->run);
    assert_int_equal(count(s, "<section class=\"experiment\""), 3);
    assert_null(strstr(s, "class=\"chart line\""));
    assert_null(strstr(s, "<details"));
    assert_non_null(strstr(s, "built without the run&#39;s design"));
    free(s);
}

/* The file itself, through the atomic writer. */
static void test_html_file(void **state)
{
    run_fixture *f = *state;
    char dir[] = "/tmp/we_html_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    we_error err = {{0}};
    assert_int_equal(we_report_write(&f->run, dir, WE_FORMAT_HTML, &err), 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 10000);
    snprintf(path, sizeof path, "%s/report.json", dir);
    assert_int_not_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_numbers),
        cmocka_unit_test(test_lang_per_unit),
        cmocka_unit_test_setup_teardown(test_lang_texts, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_structure, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_escapes_everything, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_warnings, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_per_wijk, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_dutch, rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_interval_note, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_sensitivity_wording, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_without_design, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_html_file, rf_setup, rf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
