/* Output safe everywhere: text from data or a plugin reaches report.md
 * without HTML, links or Markdown structure (we_md_cell), the terminal
 * without control characters (util/text.h) and a CSV file without a
 * formula a spreadsheet would run (we_report_csv_text); ordinary text
 * passes all three unchanged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/terminal.h"
#include "report/report_internal.h"
#include "report/report_md_internal.h"
#include "run_fixture.h"
#include "util/text.h"

typedef void (*writer)(FILE *f, const char *s);

/* What w writes for s, malloc'd. */
static char *written(writer w, const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    w(f, s);
    fclose(f);
    return buf;
}

static void csv_cell(FILE *f, const char *s)
{
    we_report_csv_text(f, s, 0);
}

static void expect(writer w, const char *in, const char *want)
{
    char *got = written(w, in);
    assert_string_equal(got, want);
    free(got);
}

/* Text that occurs in real data: names, labels, units, messages. */
static const char *const PLAIN[] = {
    "'s-Hertogenbosch", "Den Haag Transvaal-Noord", "Callaway-Sant'Anna",
    "Households reached (per 1,000 households per year)", "score_0_10",
    "Share of wijken that had spent at least 90% of their budget.",
    "Residents' rating of their neighbourhood (1-10)", "p < 0.001",
    "R & D", "Noord/Zuid: oost", "1.5 meter", "-0.5", "Ni\xc3\xabuw-West",
    "Groningen preventiewijk 1 (gesimuleerd)", "x \xe2\x88\x92\xe2\x88\x9e"};

/* ---- terminal ------------------------------------------------------------- */

static void test_text_sanitize(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"\033]0;pwned\007", "?]0;pwned?"},
        {"a\033[2Jb", "a?[2Jb"},
        {"over\rwrite", "over?write"},
        {"del\x7f", "del?"},
        {"c1 \xc2\x9b" "31m", "c1 ?31m"},        /* U+009B, CSI */
        {"stray \x9b" "31m", "stray ?31m"},      /* an 8-bit CSI byte */
        {"tab\tand\nline", "tab\tand\nline"},    /* message format stays */
        {"\xe2\x80\x94 \xc3\xa9", "\xe2\x80\x94 \xc3\xa9"}, /* UTF-8 stays */
        {"", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i][0]);
        assert_string_equal(we_text_sanitize(buf), cases[i][1]);
        expect(we_text_put, cases[i][0], cases[i][1]);
    }
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        expect(we_text_put, PLAIN[i], PLAIN[i]);
    assert_null(we_text_sanitize(NULL));
}

/* Every ESC of the coloured summary starts one of its own SGR codes
 * ("\033[...m"): none comes from the experiment's id or error. */
static void only_sgr(const char *s)
{
    for (const char *p = strchr(s, '\033'); p != NULL;
         p = strchr(p + 1, '\033')) {
        assert_int_equal(p[1], '[');
        size_t n = strspn(p + 2, "0123456789;");
        assert_int_equal(p[2 + n], 'm');
    }
}

static void test_terminal_summary(void **state)
{
    run_fixture *f = *state;
    f->exps[2].id = "gezonde_wijk\033[2J";
    f->exps[2].error = "area '\033]0;pwned\007' \xc2\x9b" "2J not found";
    f->exps[0].id = "samen\rhang";
    for (int colour = 0; colour <= 1; colour++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        assert_non_null(out);
        we_terminal_summary(out, &f->run, colour);
        fclose(out);
        if (colour)
            only_sgr(buf);
        else
            assert_null(strchr(buf, '\033'));
        assert_null(strchr(buf, '\r'));
        assert_null(strchr(buf, '\a'));
        assert_null(strstr(buf, "\xc2\x9b"));
        assert_non_null(strstr(buf, "area '?]0;pwned?' ?2J not found"));
        free(buf);
    }
}

/* ---- Markdown ------------------------------------------------------------- */

static void test_md_cell_neutralises(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"},
        {"[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert(1))"},
        {"![i](http://x/y.png)", "!\\[i\\]\\(http://x/y.png)"},
        {"<javascript:alert(1)>", "&lt;javascript:alert(1)>"},
        {"&#106;avascript &lt;", "&amp;#106;avascript &amp;lt;"},
        {"<!-- c --> <?p?>", "&lt;!-- c --> &lt;?p?>"},
        {"`code` *em* _em_ ~~s~~", "\\`code\\` \\*em\\* \\_em\\_ \\~\\~s\\~\\~"},
        {"a|b\\", "a\\|b\\\\"},
        {"# heading", "\\# heading"},
        {"- item", "\\- item"},
        {"12. item", "12\\. item"},
        {"> quote", "\\> quote"},
        {"===", "\\==="},
        {"two\nlines\r\tx", "two lines  x"},
        {"\033]0;pwned\007\033[2J", "?\\]0;pwned??\\[2J"},
        {"", WE_MD_DASH}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(we_md_cell, cases[i][0], cases[i][1]);
    expect(we_md_cell, NULL, WE_MD_DASH);
}

static void test_md_cell_keeps_plain(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        expect(we_md_cell, PLAIN[i], PLAIN[i]);
}

static void test_md_code(void **state)
{
    (void)state;
    expect(we_md_code, "data/costs.csv", "`data/costs.csv`");
    expect(we_md_code, "a`b", "``a`b``");
    expect(we_md_code, "`x``", "``` `x`` ```");
    expect(we_md_code, "<b>\033[2J", "`<b>?[2J`");
    expect(we_md_code, NULL, WE_MD_DASH);
}

/* The whole report.md of a run whose strings are hostile. */
static void test_md_report(void **state)
{
    run_fixture *f = *state;
    f->catalog[0].label_en = (char *)"[x](javascript:alert(1))";
    f->catalog[0].unit = (char *)"\033]0;pwned\007<script>";
    f->cfg.title = (char *)"<script>alert(1)</script>";
    f->met[0].description = (char *)"=HYPERLINK(\"http://x\",\"y\") <img src=x>";
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    we_error err = {{0}};
    assert_int_equal(we_report_md(&f->run, out, &err), 0);
    fclose(out);
    assert_null(strstr(buf, "<script"));
    assert_null(strstr(buf, "<img"));
    assert_null(strstr(buf, "<cohesion"));
    assert_null(strstr(buf, "](javascript:"));
    assert_null(strchr(buf, '\033'));
    assert_non_null(strstr(buf, "\\[x\\]\\(javascript:alert(1))"));
    free(buf);
}

/* ---- CSV ------------------------------------------------------------------ */

static void test_csv_formula(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"=HYPERLINK(\"http://x\",\"y\")",
         "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"+31 20 1234", "\"'+31 20 1234\""},
        {"-x", "\"'-x\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'?=1\""},
        {"a\033[2J\xe2\x80\x94", "a?[2J\xe2\x80\x94"}, /* UTF-8 stays */
        {"\"\033]0;x\007\"", "\"\"\"?]0;x?\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"-", "\"'-\""},
        {"-1e", "\"'-1e\""},
        {"-0.5", "-0.5"}, /* numbers stay numbers */
        {"+3", "+3"},
        {"-1.25e-05", "-1.25e-05"},
        {"a,b", "\"a,b\""},
        {"x=1", "x=1"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(csv_cell, cases[i][0], cases[i][1]);
    for (size_t i = 0; i < sizeof PLAIN / sizeof PLAIN[0]; i++)
        assert_false(we_report_csv_formula_like(PLAIN[i]));
    assert_false(we_report_csv_formula_like(NULL));
    assert_false(we_report_csv_formula_like(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_sanitize),
        cmocka_unit_test_setup_teardown(test_terminal_summary, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_md_cell_neutralises),
        cmocka_unit_test(test_md_cell_keeps_plain),
        cmocka_unit_test(test_md_code),
        cmocka_unit_test_setup_teardown(test_md_report, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_csv_formula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
