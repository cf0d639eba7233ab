/* The fast paths against their references (util/reference.h): the exact
 * decimal parser against strtod on every value of the test corpus, the
 * streaming panel reader against the general one, SHA-256 with the SHA
 * instructions against the portable code, and the thread pool. Run from
 * the repo root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/csv.h"
#include "data/number.h"
#include "data/panel.h"
#include "methods/synth.h"
#include "simulate/simulate.h"
#include "util/parallel.h"
#include "util/reference.h"
#include "util/sha256.h"

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Checks one text: when the fast path takes it, strtod agrees to the
 * bit. Returns 1 when the fast path took it. */
static int check_decimal(const char *text)
{
    double fast, slow;
    size_t n = strlen(text);
    if (!we_fast_decimal(text, text + n, &fast))
        return 0;
    char *end;
    slow = strtod(text, &end);
    if (end != text + n || !same_bits(fast, slow)) {
        print_error("'%s': fast %.17g, strtod %.17g\n", text, fast, slow);
        fail();
    }
    return 1;
}

/* Every value cell of the demo panel. */
static void test_decimal_corpus(void **state)
{
    (void)state;
    we_csv *r;
    we_csv_row row;
    we_error err = {{0}};
    assert_int_equal(we_csv_open(&r, "data/demo/indicators.csv", &err), 0);
    assert_int_equal(we_csv_next(r, &row, &err), 1); /* header */
    size_t n = 0, taken = 0;
    while (we_csv_next(r, &row, &err) == 1) {
        n++;
        taken += (size_t)check_decimal(row.fields[3]);
    }
    we_csv_close(r);
    print_message("%zu of %zu demo values on the fast path\n", taken, n);
    assert_true(n > 90000);
    assert_true(taken > n * 95 / 100); /* the rest are missing markers */
}

/* Random decimals of every length the fast path takes, and the edges
 * where it must hand over. */
static void test_decimal_random_and_edges(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, 42);
    char buf[64];
    size_t taken = 0;
    for (int i = 0; i < 200000; i++) {
        int digits = 1 + (int)gsl_rng_uniform_int(rng, 19);
        int point = (int)gsl_rng_uniform_int(rng, (unsigned long)digits + 1);
        char *p = buf;
        if (gsl_rng_uniform(rng) < 0.3)
            *p++ = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point && point > 0)
                *p++ = '.';
            *p++ = (char)('0' + gsl_rng_uniform_int(rng, 10));
        }
        *p = '\0';
        taken += (size_t)check_decimal(buf);
    }
    gsl_rng_free(rng);
    assert_true(taken > 150000);
    static const char *const taken_edges[] = {
        "0", "-0", "+7", ".5", "0.1", "0.3", "9007199254740992",
        "900719925474099.2", "123.456",
        "0.0000000000000000000001"};
    for (size_t i = 0; i < sizeof taken_edges / sizeof *taken_edges; i++)
        check_decimal(taken_edges[i]);
    static const char *const handed_over[] = {
        "9007199254740993", "12345678901234567890", "1e5", "5.", ".", "",
        "-", "1.2.3", "1,5", " 1", "inf", "nan", "0x10",
        "0.00000000000000000000001"};
    double v;
    for (size_t i = 0; i < sizeof handed_over / sizeof *handed_over; i++) {
        const char *t = handed_over[i];
        if (we_fast_decimal(t, t + strlen(t), &v)) {
            print_error("'%s' should go to the general parser\n", t);
            fail();
        }
    }
}

static void load(we_panel *p, const char *dir, int reference)
{
    char a[512], i[512], c[512];
    snprintf(a, sizeof a, "%s/areas.csv", dir);
    snprintf(i, sizeof i, "%s/indicators.csv", dir);
    snprintf(c, sizeof c, "%s/catalog.csv", dir);
    we_error err = {{0}};
    we_use_reference_paths(reference);
    int rc = we_panel_load(p, a, i, c, &err);
    we_use_reference_paths(0);
    if (rc != 0) {
        print_error("%s: %s\n", dir, err.msg);
        fail();
    }
}

static void assert_same_panel(const we_panel *x, const we_panel *y)
{
    assert_int_equal(x->n_areas, y->n_areas);
    assert_int_equal(x->n_periods, y->n_periods);
    assert_int_equal(x->n_indicators, y->n_indicators);
    assert_int_equal(x->n_rows, y->n_rows);
    assert_string_equal(x->data_sha256, y->data_sha256);
    assert_memory_equal(x->periods, y->periods,
                        x->n_periods * sizeof *x->periods);
    assert_memory_equal(x->n_marked_missing, y->n_marked_missing,
                        x->n_indicators * sizeof *x->n_marked_missing);
    for (size_t k = 0; k < x->n_indicators; k++) {
        assert_true((x->values[k] == NULL) == (y->values[k] == NULL));
        if (x->values[k] != NULL)
            assert_memory_equal(x->values[k], y->values[k],
                                x->n_areas * x->n_periods *
                                    sizeof *x->values[k]);
    }
}

static void compare_readers(const char *dir)
{
    we_panel fast, ref;
    load(&fast, dir, 0);
    load(&ref, dir, 1);
    assert_same_panel(&fast, &ref);
    we_panel_free(&fast);
    we_panel_free(&ref);
}

static void test_panel_demo(void **state)
{
    (void)state;
    compare_readers("data/demo");
    compare_readers("tests/fixtures/data/good_comma");
    compare_readers("tests/fixtures/data/good_semicolon");
}

/* we_panel_load_with (estimate's load): only the indicators asked, no
 * checksum; both readers alike, and the kept values and the periods as in
 * a full load. */
static void load_only(we_panel *p, const char *dir, int reference,
                      const char *only)
{
    char a[512], i[512], c[512];
    snprintf(a, sizeof a, "%s/areas.csv", dir);
    snprintf(i, sizeof i, "%s/indicators.csv", dir);
    snprintf(c, sizeof c, "%s/catalog.csv", dir);
    we_error err = {{0}};
    we_panel_load_options o = {.indicators = only, .no_checksum = 1};
    we_use_reference_paths(reference);
    int rc = we_panel_load_with(p, a, i, c, &o, &err);
    we_use_reference_paths(0);
    if (rc != 0) {
        print_error("%s: %s\n", dir, err.msg);
        fail();
    }
}

static void test_panel_only_indicators(void **state)
{
    (void)state;
    const char *only = "sociale_cohesie_score,geen_indicator,"
                       "actief_voor_buurt_pct";
    we_panel full, fast, ref;
    load(&full, "data/demo", 0);
    load_only(&fast, "data/demo", 0, only);
    load_only(&ref, "data/demo", 1, only);
    assert_same_panel(&fast, &ref);
    assert_string_equal(fast.data_sha256, "");
    assert_int_equal(fast.n_rows, full.n_rows);
    assert_int_equal(fast.n_periods, full.n_periods);
    assert_memory_equal(fast.periods, full.periods,
                        full.n_periods * sizeof *full.periods);
    size_t kept = 0;
    for (size_t k = 0; k < full.n_indicators; k++) {
        const char *name = full.catalog[k].indicator;
        int want = strcmp(name, "sociale_cohesie_score") == 0 ||
                   strcmp(name, "actief_voor_buurt_pct") == 0;
        if (!want) {
            assert_null(fast.values[k]);
            continue;
        }
        kept++;
        assert_non_null(fast.values[k]);
        assert_memory_equal(fast.values[k], full.values[k],
                            full.n_areas * full.n_periods *
                                sizeof *full.values[k]);
        assert_int_equal(fast.n_marked_missing[k], full.n_marked_missing[k]);
    }
    assert_int_equal(kept, 2);
    we_panel_free(&full);
    we_panel_free(&fast);
    we_panel_free(&ref);
}

/* ---- the two readers accept and refuse the same files ------------------ */

static void write_text(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Loads areas and catalog of dir with `indicators`, through the fast
 * reader (reference 0) or the general one (1). Returns the rc; the
 * message goes to msg. */
static int load_with(we_panel *p, const char *dir, const char *indicators,
                     int reference, char *msg, size_t cap)
{
    char a[512], c[512];
    snprintf(a, sizeof a, "%s/areas.csv", dir);
    snprintf(c, sizeof c, "%s/catalog.csv", dir);
    we_error err = {{0}};
    we_use_reference_paths(reference);
    int rc = we_panel_load(p, a, indicators, c, &err);
    we_use_reference_paths(0);
    snprintf(msg, cap, "%s", err.msg);
    return rc;
}

/* Both readers on the same indicators file: both accept it with the same
 * panel, or both refuse it with the same message holding `want`. */
static void agree(const char *dir, const char *indicators, const char *want)
{
    we_panel fast, ref;
    char mf[WE_ERROR_MAX], mr[WE_ERROR_MAX];
    int rf = load_with(&fast, dir, indicators, 0, mf, sizeof mf);
    int rr = load_with(&ref, dir, indicators, 1, mr, sizeof mr);
    if (rf != rr || (rf != 0 && strcmp(mf, mr) != 0)) {
        print_error("%s: fast %d '%s', reference %d '%s'\n", indicators, rf,
                    mf, rr, mr);
        fail();
    }
    if (want == NULL && rf != 0) {
        print_error("%s: refused: %s\n", indicators, mf);
        fail();
    }
    if (want != NULL && (rf == 0 || strstr(mf, want) == NULL)) {
        print_error("%s: expected '%s' in: %s\n", indicators, want, mf);
        fail();
    }
    if (rf == 0) {
        assert_same_panel(&fast, &ref);
        we_panel_free(&fast);
        we_panel_free(&ref);
    }
}

/* One data file per case; the fast reader takes the plain ',' files and
 * leaves the rest to the general reader, which must be what decides. */
static void test_panel_refusals_agree(void **state)
{
    (void)state;
    char dir[] = "/tmp/wijkeval-agree-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[600], c[600], ind[600];
    snprintf(a, sizeof a, "%s/areas.csv", dir);
    snprintf(c, sizeof c, "%s/catalog.csv", dir);
    snprintf(ind, sizeof ind, "%s/indicators.csv", dir);
    const char areas[] = "area,name,municipality\nWK036301,A,GM0363\n"
                         "WK036302,B,GM0363\n";
    const char catalog[] = "indicator,label_nl,label_en,unit,direction,"
                           "theme,source\nwoz,W,W,eur,higher_is_better,"
                           "wonen,x\n";
    write_text(a, areas, sizeof areas - 1);
    write_text(c, catalog, sizeof catalog - 1);
    static const struct {
        const char *text, *want;
    } cases[] = {
        /* 180.204 with ';': a Dutch thousands separator or a decimal
         * point; refused at its line and column. */
        {"area;period;indicator;value\nWK036301;2007;woz;180,5\n"
         "WK036302;2007;woz;180.204\n",
         ":3:19: '180.204' could be 180204 (a thousands separator) or "
         "180.204 (a decimal point)"},
        {"area;period;indicator;value\nWK036301;2007;woz;180,204\n"
         "WK036302;2007;woz;180204\n", NULL},
        {"area,period,indicator,value\nWK036301,2007,woz,180.204\n"
         "WK036302,2007,woz,0.5\n", NULL},
        {"area,period,indicator,value\nWK036301,2007,woz,1\n"
         "WK036301,-2007,woz,2\n", ":3:10: period '-2007' is not positive"},
        {"area,period,indicator,value\nWK036301,0,woz,1\n",
         ":2:10: period '0' is not positive"},
        {"area,period,indicator,value\nWK036301,2007,woz,1e308\n",
         ":2:19: value '1e308' is beyond +-1e+150"},
        {"area,period,indicator,value\nWK036301,2007,woz,-2.5e200\n",
         ":2:19: value '-2.5e200' is beyond +-1e+150"},
        {"area,period,indicator,value\nWK036301,2007,woz,1e150\n", NULL},
        {"area,period,indicator,value\nWK036301,2007,woz,\xff" "1\n",
         ":2:19: invalid UTF-8 (byte 0xff"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_text(ind, cases[i].text, strlen(cases[i].text));
        agree(dir, ind, cases[i].want);
    }
    /* A 2 MB line, and paths that are not files. */
    size_t big = (size_t)2 << 20;
    char *text = malloc(big + 128);
    assert_non_null(text);
    int n = snprintf(text, 128, "area,period,indicator,value\n"
                                "WK036301,2007,woz,1");
    memset(text + n, '0', big);
    memcpy(text + n + big, "\n", 1);
    write_text(ind, text, (size_t)n + big + 1);
    free(text);
    agree(dir, ind, ":2: the line is longer than 1048576 bytes");
    agree(dir, "/dev/zero", "/dev/zero: is a character device");
    agree(dir, dir, ": is a directory, not a regular file");
    char fifo[700];
    snprintf(fifo, sizeof fifo, "%s/fifo.csv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    agree(dir, fifo, "fifo.csv: is a FIFO (named pipe), not a regular file");
    unlink(fifo);
    unlink(a);
    unlink(c);
    unlink(ind);
    rmdir(dir);
}

/* A national-style panel of some 14 MB: more than one read chunk, so
 * lines cut at a chunk's end are covered. */
static void test_panel_national_chunks(void **state)
{
    (void)state;
    char dir[] = "/tmp/wijkeval-fast-XXXXXX";
    assert_non_null(mkdtemp(dir));
    we_national_options o = {.out_dir = dir,
                             .catalog_path = "data/catalog.csv",
                             .krachtwijken_path = "data/krachtwijken_40.csv",
                             .seed = 7, .n_areas = 1200, .n_munis = 60,
                             .n_indicators = 40, .first_period = 2000,
                             .n_periods = 14};
    we_error err = {{0}};
    if (we_simulate_national(&o, &err) != 0) {
        print_error("%s\n", err.msg);
        fail();
    }
    compare_readers(dir);
    const char *files[] = {"areas.csv", "catalog.csv", "indicators.csv",
                           "treatment.csv", "truth.csv", "README.md"};
    char path[600];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Digests of random buffers of every length up to a few blocks, fed in
 * random pieces. */
static void test_sha256_paths(void **state)
{
    (void)state;
    unsigned char buf[1000];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)gsl_rng_uniform_int(rng, 256);
    for (size_t n = 0; n <= sizeof buf; n += 7) {
        unsigned char d[2][32];
        for (int ref = 0; ref <= 1; ref++) {
            we_use_reference_paths(ref);
            we_sha256 c;
            we_sha256_init(&c);
            size_t done = 0;
            while (done < n) {
                size_t take = 1 + gsl_rng_uniform_int(rng, 200);
                take = take > n - done ? n - done : take;
                we_sha256_update(&c, buf + done, take);
                done += take;
            }
            we_sha256_final(&c, d[ref]);
        }
        assert_memory_equal(d[0], d[1], 32);
    }
    we_use_reference_paths(0);
    gsl_rng_free(rng);
}

static void square(void *user, size_t i)
{
    double *out = user;
    out[i] = (double)i * (double)i;
}

static void test_parallel_for(void **state)
{
    (void)state;
    enum { N = 1000 };
    double out[N];
    for (size_t jobs = 1; jobs <= 4; jobs++) {
        memset(out, 0, sizeof out);
        we_parallel_for(N, jobs, square, out);
        for (size_t i = 0; i < N; i++)
            assert_true(out[i] == (double)i * (double)i);
    }
    we_parallel_for(0, 2, square, out); /* nothing to do */
    assert_true(we_default_jobs() >= 1);
}

/* A panel for SDID: A areas, 20 periods, the first n1 treated from period
 * 8; area and period effects, a shock per cluster of 30 areas and period,
 * AR(1) noise, all times `scale`. */
typedef struct sdid_panel {
    double *y;
    long *from;
    unsigned char *in;
    int *cl;
    size_t fu[12];
    we_design d;
} sdid_panel;

static void sdid_panel_make(sdid_panel *p, size_t A, size_t n1,
                            unsigned long seed, double scale)
{
    const size_t T = 20;
    p->y = malloc(A * T * sizeof *p->y);
    p->from = malloc(A * sizeof *p->from);
    p->in = malloc(A);
    p->cl = malloc(A * sizeof *p->cl);
    assert_true(p->y && p->from && p->in && p->cl);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    double pe[20], *cs = malloc((A / 30 + 1) * T * sizeof *cs);
    assert_non_null(cs);
    for (size_t t = 0; t < T; t++)
        pe[t] = gsl_ran_gaussian(r, 1.0) + 0.1 * (double)t;
    for (size_t k = 0; k < (A / 30 + 1) * T; k++)
        cs[k] = gsl_ran_gaussian(r, 0.5);
    for (size_t i = 0; i < A; i++) {
        double a = gsl_ran_gaussian(r, 3.0), u = gsl_ran_gaussian(r, 1.0);
        p->cl[i] = (int)(i / 30);
        for (size_t t = 0; t < T; t++) {
            if (t > 0)
                u = 0.5 * u + gsl_ran_gaussian(r, 0.87);
            p->y[i * T + t] =
                scale * (50 + a + pe[t] + cs[(size_t)p->cl[i] * T + t] + u);
        }
        p->from[i] = i < n1 ? 8 : -1;
        p->in[i] = 1;
    }
    for (size_t k = 0; k < 12; k++)
        p->fu[k] = 8 + k;
    p->d = (we_design){A, T, p->from, p->in, p->cl, 7, p->fu, 12, 0.05};
    free(cs);
    gsl_rng_free(r);
}

static void sdid_panel_free(sdid_panel *p)
{
    free(p->y);
    free(p->from);
    free(p->in);
    free(p->cl);
}

static void same_array(const double *a, const double *b, size_t n,
                       const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!same_bits(a[i], b[i])) {
            print_error("%s[%zu]: fast %.17g, reference %.17g\n", what, i,
                        a[i], b[i]);
            fail();
        }
}

/* The SDID weights' Frank-Wolfe (methods/sdid_fw.c) on its fast path and
 * on the reference: the same estimate, weights, steps, placebo
 * permutation test and placebo and bootstrap standard errors, bit for
 * bit; on a wide donor pool
 * (sparse weights), a narrow one, one treated area, values so large
 * that the fast path hands the problem to the reference, and more donors
 * than one block of the wide pass. */
static void test_sdid_fw_paths(void **state)
{
    (void)state;
    const struct {
        size_t A, n1;
        double scale;
        we_sdid_variance v;
        size_t reps;
    } cases[] = {
        {330, 3, 1.0, WE_SDID_VAR_JACKKNIFE, 6},
        {40, 1, 1.0, WE_SDID_VAR_PLACEBO, 8},
        {90, 4, 1.0, WE_SDID_VAR_BOOTSTRAP, 4},
        {60, 2, 1e150, WE_SDID_VAR_NONE, 4},
        /* more donors than a block of the wide pass (512): two blocks,
         * the last with a tail below a group of 16 */
        {603, 2, 1.0, WE_SDID_VAR_NONE, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        sdid_panel p;
        sdid_panel_make(&p, cases[c].A, cases[c].n1, 11 + c, cases[c].scale);
        we_sdid_options o = {cases[c].v, cases[c].reps, 5, 1};
        we_sdid_result f, r;
        we_error err = {{0}};
        assert_int_equal(we_sdid(p.y, &p.d, &o, &f, &err), WE_OK);
        we_use_reference_paths(1);
        int rc = we_sdid(p.y, &p.d, &o, &r, &err);
        we_use_reference_paths(0);
        assert_int_equal(rc, WE_OK);
        print_message("sdid case %zu: %zu donors, tau %.6g, %zu + %zu "
                      "steps, perm p %.4g\n",
                      c, f.n_control, f.estimate, f.iter_omega, f.iter_lambda,
                      f.perm_p);
        assert_true(isfinite(f.estimate));
        assert_int_equal(f.iter_omega, r.iter_omega);
        assert_int_equal(f.iter_lambda, r.iter_lambda);
        double fv[] = {f.estimate, f.perm_p, f.perm_ci_low, f.perm_ci_high};
        double rv[] = {r.estimate, r.perm_p, r.perm_ci_low, r.perm_ci_high};
        same_array(fv, rv, 4, "estimate, perm p and interval");
        /* the jackknife's own fast path (sdid_se.c) sums in another
         * order: to 1e-12; the placebo and bootstrap SEs bit for bit */
        if (o.variance == WE_SDID_VAR_JACKKNIFE)
            assert_true(fabs(f.se - r.se) <= 1e-12 * fabs(r.se));
        else if (o.variance != WE_SDID_VAR_NONE)
            same_array(&f.se, &r.se, 1, "se");
        same_array(f.omega, r.omega, p.d.n_areas, "omega");
        same_array(f.lambda, r.lambda, p.d.n_periods, "lambda");
        same_array(f.curve, r.curve, p.d.n_periods, "curve");
        we_sdid_result_free(&f);
        we_sdid_result_free(&r);
        sdid_panel_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_corpus),
        cmocka_unit_test(test_decimal_random_and_edges),
        cmocka_unit_test(test_panel_demo),
        cmocka_unit_test(test_panel_only_indicators),
        cmocka_unit_test(test_panel_refusals_agree),
        cmocka_unit_test(test_panel_national_chunks),
        cmocka_unit_test(test_sha256_paths),
        cmocka_unit_test(test_parallel_for),
        cmocka_unit_test(test_sdid_fw_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
