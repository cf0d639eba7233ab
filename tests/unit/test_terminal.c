/* What `wijkeval run` prints: the summary table (aligned, coloured only
 * when asked), the report paths, the NO_COLOR rule, and the progress
 * line with its time estimate. The terminal decision is passed in, so
 * the tests do not depend on the real terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/side_effects.h"
#include "cli/terminal.h"
#include "run_fixture.h"
#include "util/progress.h"

typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static FILE *cap_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    return c->f;
}

static char *cap_close(capture *c)
{
    fclose(c->f);
    return c->buf;
}

/* Display column of the byte at p in its line: code points before it. */
static size_t column_of(const char *line, const char *p)
{
    size_t n = 0;
    for (const char *q = line; q < p; q++)
        n += ((unsigned char)*q & 0xC0) != 0x80;
    return n;
}

/* The line of s that starts with "  " + first, copied. */
static char *line_of(const char *s, const char *first)
{
    char key[128];
    snprintf(key, sizeof key, "\n  %s ", first);
    const char *a = strncmp(s + 2, first, strlen(first)) == 0 ? s
                                                                : strstr(s, key);
    assert_non_null(a);
    if (*a == '\n')
        a++;
    const char *b = strchr(a, '\n');
    assert_non_null(b);
    char *out = strndup(a, (size_t)(b - a));
    assert_non_null(out);
    return out;
}

/* ---- summary ----------------------------------------------------------------- */

/* The side effects are named below the table, in red when colour is on;
 * then what happened, in the report's language. */
static void test_summary_side_effects(void **state)
{
    run_fixture *f = *state;
    capture c;
    we_terminal_summary(cap_open(&c), &f->run, 0);
    char *s = cap_close(&c);
    assert_null(strstr(s, "side effects"));
    assert_non_null(strstr(s, "what happened:\n  samenhang: Satisfied "
                              "<with> residential environment: rose by about "
                              "2.5 percentage points more than in comparable "
                              "wijken (95%: 1.5 to 3.5).\n"));
    /* The reason follows when the verdict is neither better nor worse. */
    if (strstr(s, "  bureaucratie: Waiting time: no clear "
                  "difference from comparable wijken; the "
                  "estimate is about \xe2\x88\x92"
                  "0.25 days "
                  "(95%: \xe2\x88\x92"
                  "1.2 to 0.75). Not "
                  "credible: ") == NULL)
        fail_msg("no plain words for bureaucratie:\n%s", s);
    free(s);
    /* The secondary waiting time (lower is better) rose significantly
     * after the adjustment: a side effect. */
    f->res[2].est.ci_low = 434.75;
    f->res[2].x.p_adjusted = 0.01;
    assert_int_equal(we_side_effects_run(&f->cfg, &f->panel, &f->run), 0);
    assert_int_equal(f->run.n_side_effects, 1);
    we_terminal_summary(cap_open(&c), &f->run, 0);
    s = cap_close(&c);
    const char *at = strstr(s, "\xe2\x9a\xa0 side effects:\n  "
                               "\xe2\x9c\x97 Social <cohesion>: Waiting time "
                               "got worse, +1,235 days [435, 2,000] (TWFE, "
                               "adjusted p = 0.010).\n");
    if (at == NULL)
        fail_msg("no side effect line:\n%s", s);
    free(s);
    we_terminal_summary(cap_open(&c), &f->run, 1);
    s = cap_close(&c);
    assert_non_null(strstr(s, "\033[31m\033[1m\xe2\x9a\xa0 side effects:"));
    free(s);
    /* Dutch when the report is. */
    f->cfg.language = "nl";
    we_terminal_summary(cap_open(&c), &f->run, 0);
    s = cap_close(&c);
    assert_non_null(strstr(s, "\xe2\x9a\xa0 bijwerkingen:\n  \xe2\x9c\x97 "
                              "Samenhang <in> de wijk: Wachttijd "
                              "verslechterde, +1.235 dagen [435; 2.000]"));
    assert_non_null(strstr(s, "oordeel"));
    assert_non_null(strstr(s, "[1,5; 3,5]"));
    free(s);
    f->cfg.language = NULL;
    f->res[2].est.ci_low = -HUGE_VAL;
    f->res[2].x.p_adjusted = NAN;
    we_run_side_effects_free(&f->run);
}

static void test_colour_rule(void **state)
{
    (void)state;
    assert_true(we_terminal_colour(1, NULL));
    assert_true(we_terminal_colour(1, "")); /* set but empty: no effect */
    assert_false(we_terminal_colour(1, "1"));
    assert_false(we_terminal_colour(1, "0")); /* any value disables */
    assert_false(we_terminal_colour(0, NULL));
}

static void test_summary_table(void **state)
{
    run_fixture *f = *state;
    capture c;
    we_terminal_summary(cap_open(&c), &f->run, 0);
    char *s = cap_close(&c);
    assert_null(strchr(s, '\033'));
    char *head = line_of(s, "experiment");
    char *a = line_of(s, "samenhang");
    char *b = line_of(s, "bureaucratie");
    char *x = line_of(s, "gezonde_wijk");
    /* Every column starts where its header starts; the effect column is
     * right-aligned, so it ends where its header ends. */
    static const char *const cols[] = {"primary indicator", "95% CI",
                                       "evidence", "status", "verdict"};
    static const char *const in_a[] = {"tevreden_pct", "[1.5, 3.5]",
                                       "SMS 3, goede aanwijzingen", "ok",
                                       "\xe2\x9c\x93 better"};
    /* Its pre-trends were rejected: not credible. */
    static const char *const in_b[] = {"wachttijd_dagen", "[-1.25, 0.75]",
                                       "SMS 2, geen aanwijzingen", "ok",
                                       "\xe2\x9a\xa0 not credible"};
    for (size_t i = 0; i < 5; i++) {
        size_t col = column_of(head, strstr(head, cols[i]));
        assert_int_equal(column_of(a, strstr(a, in_a[i])), col);
        assert_int_equal(column_of(b, strstr(b, in_b[i])), col);
    }
    const char *eh = strstr(head, "effect");
    assert_int_equal(column_of(a, strstr(a, "2.5 ")) + 3,
                     column_of(head, eh) + 6);
    assert_int_equal(column_of(b, strstr(b, "-0.25 ")) + 5,
                     column_of(head, eh) + 6);
    /* The failed experiment: FAILED in its row, the message below. */
    assert_non_null(strstr(x, "FAILED"));
    assert_non_null(strstr(s, "  gezonde_wijk failed: data: <img src=x "
                              "onerror=alert(2)> not found\n"));
    /* No trailing blanks. */
    for (const char *p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
        assert_true(p == s || p[-1] != ' ');
    free(head);
    free(a);
    free(b);
    free(x);
    free(s);
}

/* The programme as a whole is the first row, as in every report format,
 * and its verdict's reason names the adjustment across the report's
 * headlines as the experiments' do (it is in their family). */
static void test_summary_programme(void **state)
{
    run_fixture *f = *state;
    we_experiment_run prog = f->exps[0];
    prog.id = "programme";
    prog.is_programme = 1;
    prog.judgement.verdict = WE_HV_INCONCLUSIVE;
    prog.judgement.why = WE_WHY_ADJUSTED;
    prog.judgement.p_experiment = 0.03;
    prog.judgement.p_headlines = 0.06;
    prog.judgement.n_headlines = 3;
    prog.judgement.alpha = 0.05;
    f->run.programme = &prog;
    capture c;
    we_terminal_summary(cap_open(&c), &f->run, 0);
    char *s = cap_close(&c);
    f->run.programme = NULL;
    char *head = line_of(s, "experiment");
    char *p = line_of(s, "programme");
    const char *pv = strstr(p, "? inconclusive");
    assert_non_null(pv);
    assert_int_equal(column_of(p, pv),
                     column_of(head, strstr(head, "verdict")));
    /* Above the experiments, in the table and in what happened. */
    const char *row = strstr(s, "\n  programme ");
    assert_non_null(row);
    assert_true(row < strstr(s, "\n  samenhang "));
    const char *said = strstr(s, "\n  programme: ");
    assert_non_null(said);
    assert_true(said < strstr(s, "\n  samenhang: "));
    assert_non_null(strstr(said, "p = 0.060 across the report's 3 "
                                 "headlines"));
    free(head);
    free(p);
    free(s);
}

static void test_summary_colour(void **state)
{
    run_fixture *f = *state;
    capture c;
    we_terminal_summary(cap_open(&c), &f->run, 1);
    char *s = cap_close(&c);
    assert_non_null(strstr(s, "\033[1mexperiment\033[0m"));
    assert_non_null(strstr(s, "\033[32mok\033[0m"));
    assert_non_null(strstr(s, "\033[31mFAILED\033[0m"));
    assert_non_null(strstr(s, "\033[32m\xe2\x9c\x93 better\033[0m"));
    assert_non_null(strstr(s, "\033[31m\xe2\x9a\xa0 not credible\033[0m"));
    /* Colour codes take no columns: the plain table, with them removed. */
    capture p;
    we_terminal_summary(cap_open(&p), &f->run, 0);
    char *plain = cap_close(&p);
    char *w = s;
    for (char *r = s; *r != '\0';) {
        if (*r == '\033') {
            r = strchr(r, 'm') + 1;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    assert_string_equal(s, plain);
    free(s);
    free(plain);
}

static void test_files(void **state)
{
    (void)state;
    capture c;
    FILE *out = cap_open(&c);
    we_terminal_files(out, "out/demo", WE_FORMAT_HTML | WE_FORMAT_JSON, 0, WE_LANG_EN);
    we_terminal_files(out, "out/x/", WE_FORMAT_CSV, 0, WE_LANG_EN);
    const char *more[] = {"targets.csv", "watch_list.csv"};
    we_terminal_more_files(out, "out/x/", more, 2);
    char *s = cap_close(&c);
    assert_string_equal(s, "report written to out/demo/\n"
                           "  out/demo/report.html\n"
                           "  out/demo/report.json\n"
                           "report written to out/x/\n"
                           "  out/x/results.csv\n"
                           "  out/x/targets.csv\n"
                           "  out/x/watch_list.csv\n");
    free(s);
}

/* ---- progress ---------------------------------------------------------------- */

static void test_progress_eta(void **state)
{
    (void)state;
    char b[32];
    we_progress_eta(b, sizeof b, 7.4);
    assert_string_equal(b, "0:07");
    we_progress_eta(b, sizeof b, 754);
    assert_string_equal(b, "12:34");
    we_progress_eta(b, sizeof b, 3723);
    assert_string_equal(b, "1:02:03");
    we_progress_eta(b, sizeof b, NAN);
    assert_string_equal(b, "--:--");
    we_progress_eta(b, sizeof b, -1);
    assert_string_equal(b, "--:--");
}

static void test_progress_format(void **state)
{
    (void)state;
    char b[256];
    /* 3 of 12 done in 6 s: 2 s a step, 9 to go. */
    we_progress_format(b, sizeof b, "inference", 3, 12, 6.0, "samenhang",
                       80);
    assert_string_equal(b, "inference [#####---------------] 3/12  25% "
                           "ETA 0:18 samenhang");
    we_progress_format(b, sizeof b, "experiments", 0, 7, 0.5, NULL, 80);
    assert_string_equal(b, "experiments [--------------------] 0/7   0% "
                           "ETA --:--");
    we_progress_format(b, sizeof b, "x", 9, 7, 3.0, "", 80); /* clamped */
    assert_string_equal(b, "x [####################] 7/7 100% ETA 0:00");
    /* A narrow terminal cuts the line, never in a UTF-8 character. */
    we_progress_format(b, sizeof b, "x", 1, 2, 1.0,
                       "Behind the front d\xc3\xb6\xc3\xb6r", 62);
    assert_int_equal(strlen(b), 63);
    assert_string_equal(b + strlen(b) - 3, "d\xc3\xb6");
    we_progress_format(b, 8, "inference", 1, 2, 1.0, NULL, 80);
    assert_string_equal(b, "inferen");
}

static void test_progress_drawing(void **state)
{
    (void)state;
    assert_true(we_progress_wanted(1, 0));
    assert_false(we_progress_wanted(1, 1));
    assert_false(we_progress_wanted(0, 0));
    /* Off: a NULL stream draws nothing, whatever is called. */
    we_progress off;
    we_progress_begin(&off, NULL, "x", 3);
    we_progress_update(&off, 1, "a");
    we_progress_end(&off);
    we_progress_update(NULL, 1, "a");
    /* On: the first update and the last step are drawn at once, in
     * place; the end erases the line. */
    capture c;
    we_progress p;
    we_progress_begin(&p, cap_open(&c), "exp", 2);
    we_progress_update(&p, 0, "a");
    we_progress_update(&p, 1, "b"); /* within 0.1 s: skipped */
    we_progress_update(&p, 2, NULL);
    we_progress_end(&p);
    we_progress_end(&p); /* twice is harmless */
    char *s = cap_close(&c);
    assert_true(strncmp(s, "\rexp [-------------------", 24) == 0);
    assert_non_null(strstr(s, "0/2   0% ETA --:-- a\033[K"));
    assert_null(strstr(s, "1/2"));
    assert_non_null(strstr(s, "2/2 100% ETA 0:00\033[K"));
    assert_string_equal(s + strlen(s) - 4, "\r\033[K");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colour_rule),
        cmocka_unit_test_setup_teardown(test_summary_table, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_summary_programme, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_summary_colour, rf_setup,
                                        rf_teardown),
        cmocka_unit_test_setup_teardown(test_summary_side_effects, rf_setup,
                                        rf_teardown),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_progress_eta),
        cmocka_unit_test(test_progress_format),
        cmocka_unit_test(test_progress_drawing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
