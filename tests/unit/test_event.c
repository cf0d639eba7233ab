/* Event study, pre-trend test and randomisation inference
 * (core/src/methods/event.h).
 *
 * Against R (tests/oracle/event_reference.R; contract in
 * tests/oracle/README.md): every event coefficient, SE, interval, p-value
 * and the pre-trend Wald statistic for `waves` and `mpdta`, the exact
 * wild bootstrap p-value (all 2^8 sign vectors) for `tiny_event`, and the
 * exact permutation distribution of `ri6`. The fixtures are read with
 * stdio and strtod only. Then behaviour on simulated panels: an injected
 * pre-trend is found, a clean panel passes, seeds reproduce, end points
 * bin, strata restrict the permutations, bad input is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "methods/estimator.h"
#include "methods/event.h"
#include "util/reference.h"
#include "methods/methods.h"
#include "methods/ols.h"
#include "methods/sensitivity.h"

#define REL_TOL 1e-8
#define ABS_TOL 1e-10
#define REGENERATE "regenerate with: Rscript tests/oracle/event_reference.R"

/* ---- a minimal CSV reader --------------------------------------------- */

/* The whole file in one buffer, fields NUL-terminated in place; row 0 is
 * the header. The fixtures never quote fields. */
typedef struct csv {
    char path[512];
    char *buf;
    size_t n_rows, n_cols, cap;
    char **field;      /* n_rows * n_cols */
    char **line_start; /* per row, for column numbers */
    size_t *line_no;
} csv;

static void csv_free(csv *c)
{
    free(c->buf);
    free(c->field);
    free(c->line_start);
    free(c->line_no);
    memset(c, 0, sizeof *c);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s: cannot open (%s); run from the repository root or set "
                 "WE_ORACLE_FIXTURES; " REGENERATE, path, strerror(errno));
    size_t len = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
        assert_non_null(buf);
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static void csv_add_row(csv *c, char *line, size_t line_no)
{
    size_t n = 1;
    for (const char *p = line; *p; p++)
        n += *p == ',';
    if (c->n_cols == 0)
        c->n_cols = n;
    if (n != c->n_cols)
        fail_msg("%s:%zu:1: %zu fields, the header has %zu; " REGENERATE,
                 c->path, line_no, n, c->n_cols);
    if (c->n_rows == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->field = realloc(c->field, c->cap * c->n_cols * sizeof *c->field);
        c->line_start = realloc(c->line_start,
                                c->cap * sizeof *c->line_start);
        c->line_no = realloc(c->line_no, c->cap * sizeof *c->line_no);
        assert_true(c->field && c->line_start && c->line_no);
    }
    c->line_start[c->n_rows] = line;
    c->line_no[c->n_rows] = line_no;
    char *p = line;
    for (size_t k = 0; k < n; k++) {
        c->field[c->n_rows * n + k] = p;
        p += strcspn(p, ",");
        if (*p == ',')
            *p++ = '\0';
    }
    c->n_rows++;
}

static const char *fixture_root(void)
{
    const char *root = getenv("WE_ORACLE_FIXTURES");
    return root != NULL ? root : "tests/oracle/fixtures";
}

static void csv_load(csv *c, const char *dataset, const char *file)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s/%s/%s", fixture_root(), dataset,
             file);
    c->buf = slurp(c->path);
    char *p = c->buf;
    for (size_t line_no = 1; *p != '\0'; line_no++) {
        char *eol = strchr(p, '\n');
        if (eol != NULL)
            *eol = '\0';
        size_t len = strlen(p);
        if (len > 0 && p[len - 1] == '\r')
            p[--len] = '\0';
        if (len > 0)
            csv_add_row(c, p, line_no);
        p = eol != NULL ? eol + 1 : p + len;
    }
    if (c->n_rows < 2)
        fail_msg("%s:1:1: no data rows; " REGENERATE, c->path);
}

static const char *at(const csv *c, size_t r, size_t k)
{
    return c->field[r * c->n_cols + k];
}

static size_t col(const csv *c, const char *name)
{
    for (size_t k = 0; k < c->n_cols; k++)
        if (strcmp(at(c, 0, k), name) == 0)
            return k;
    fail_msg("%s:1:1: no column '%s'; " REGENERATE, c->path, name);
    return 0;
}

static void bad_cell(const csv *c, size_t r, size_t k, const char *what)
{
    fail_msg("%s:%zu:%zu: '%s' is not %s; " REGENERATE, c->path,
             c->line_no[r], (size_t)(at(c, r, k) - c->line_start[r]) + 1,
             at(c, r, k), what);
}

/* Empty or NA is NaN; anything else must be a finite number. */
static double num(const csv *c, size_t r, size_t k)
{
    const char *s = at(c, r, k);
    if (*s == '\0' || strcmp(s, "NA") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        bad_cell(c, r, k, "a finite number or NA");
    return v;
}

static long integer(const csv *c, size_t r, size_t k)
{
    const char *s = at(c, r, k);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        bad_cell(c, r, k, "an integer");
    return v;
}

/* ---- a fixture's inputs (tests/oracle/README.md) ----------------------- */

typedef struct fixture {
    csv panel;
    size_t n_areas, n_periods, n_munis;
    const char **area, **muni; /* into the panel buffer */
    long *period;              /* labels, ascending */
    int *area_id, *muni_id;
    double *y;
    long *treated_from;
    unsigned char *in_sample;
    size_t baseline, followup[64], n_followup;
    double alpha;
} fixture;

static void fixture_free(fixture *f)
{
    csv_free(&f->panel);
    free(f->area);
    free(f->muni);
    free(f->period);
    free(f->area_id);
    free(f->muni_id);
    free(f->y);
    free(f->treated_from);
    free(f->in_sample);
    memset(f, 0, sizeof *f);
}

static long find_str(const char **names, size_t n, const char *s)
{
    for (size_t i = n; i-- > 0;)
        if (strcmp(names[i], s) == 0)
            return (long)i;
    return -1;
}

static long find_period(const fixture *f, long label)
{
    for (size_t t = 0; t < f->n_periods; t++)
        if (f->period[t] == label)
            return (long)t;
    return -1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, z = *(const long *)b;
    return (x > z) - (x < z);
}

static void fixture_index(fixture *f, size_t ca, size_t cm, size_t cp)
{
    const csv *c = &f->panel;
    size_t n = c->n_rows;
    f->area = calloc(n, sizeof *f->area);
    f->muni = calloc(n, sizeof *f->muni);
    f->period = calloc(n, sizeof *f->period);
    f->area_id = calloc(n, sizeof *f->area_id);
    f->muni_id = calloc(n, sizeof *f->muni_id);
    assert_true(f->area && f->muni && f->period && f->area_id && f->muni_id);
    for (size_t r = 1; r < n; r++) {
        long label = integer(c, r, cp);
        if (find_period(f, label) < 0)
            f->period[f->n_periods++] = label;
        if (find_str(f->area, f->n_areas, at(c, r, ca)) >= 0)
            continue;
        long m = find_str(f->muni, f->n_munis, at(c, r, cm));
        if (m < 0) {
            m = (long)f->n_munis++;
            f->muni[m] = at(c, r, cm);
        }
        f->area_id[f->n_areas] = (int)f->n_areas;
        f->muni_id[f->n_areas] = (int)m;
        f->area[f->n_areas++] = at(c, r, ca);
    }
    qsort(f->period, f->n_periods, sizeof *f->period, cmp_long);
}

static void fixture_values(fixture *f, size_t ca, size_t cp, size_t cy)
{
    const csv *c = &f->panel;
    size_t n = f->n_areas * f->n_periods;
    f->y = malloc(n * sizeof *f->y);
    f->treated_from = malloc(f->n_areas * sizeof *f->treated_from);
    f->in_sample = malloc(f->n_areas);
    assert_true(f->y && f->treated_from && f->in_sample);
    for (size_t k = 0; k < n; k++)
        f->y[k] = NAN;
    for (size_t i = 0; i < f->n_areas; i++) {
        f->treated_from[i] = -1;
        f->in_sample[i] = 1;
    }
    for (size_t r = 1; r < c->n_rows; r++) {
        size_t i = (size_t)find_str(f->area, f->n_areas, at(c, r, ca));
        size_t t = (size_t)find_period(f, integer(c, r, cp));
        f->y[i * f->n_periods + t] = num(c, r, cy);
    }
}

static size_t period_of(const fixture *f, const csv *c, size_t r, size_t k,
                        const char *label)
{
    char *end;
    long v = strtol(label, &end, 10), t = find_period(f, v);
    if (end == label || *end != '\0' || t < 0)
        bad_cell(c, r, k, "a period of panel.csv");
    return (size_t)t;
}

static void fixture_treated(fixture *f, const char *dataset)
{
    csv c;
    csv_load(&c, dataset, "treated.csv");
    size_t ca = col(&c, "area"), cf = col(&c, "from");
    for (size_t r = 1; r < c.n_rows; r++) {
        long i = find_str(f->area, f->n_areas, at(&c, r, ca));
        if (i < 0)
            bad_cell(&c, r, ca, "an area of panel.csv");
        f->treated_from[i] = (long)period_of(f, &c, r, cf, at(&c, r, cf));
    }
    csv_free(&c);
}

static void fixture_design(fixture *f, const char *dataset)
{
    csv c;
    csv_load(&c, dataset, "design.csv");
    size_t ck = col(&c, "key"), cv = col(&c, "value");
    for (size_t r = 1; r < c.n_rows; r++) {
        const char *key = at(&c, r, ck);
        char *list = c.field[r * c.n_cols + cv], *save = NULL;
        if (strcmp(key, "baseline") == 0) {
            f->baseline = period_of(f, &c, r, cv, list);
        } else if (strcmp(key, "alpha") == 0) {
            f->alpha = num(&c, r, cv);
        } else if (strcmp(key, "followup") == 0) {
            for (char *tok = strtok_r(list, " ", &save); tok != NULL;
                 tok = strtok_r(NULL, " ", &save)) {
                assert_true(f->n_followup < 64);
                f->followup[f->n_followup++] = period_of(f, &c, r, cv, tok);
            }
        } else {
            bad_cell(&c, r, ck, "baseline, followup or alpha");
        }
    }
    assert_true(f->n_followup > 0 && f->alpha > 0);
    csv_free(&c);
}

static void fixture_load(fixture *f, const char *dataset)
{
    memset(f, 0, sizeof *f);
    csv_load(&f->panel, dataset, "panel.csv");
    size_t ca = col(&f->panel, "area"), cm = col(&f->panel, "municipality");
    size_t cp = col(&f->panel, "period"), cy = col(&f->panel, "y");
    fixture_index(f, ca, cm, cp);
    fixture_values(f, ca, cp, cy);
    fixture_treated(f, dataset);
    fixture_design(f, dataset);
}

static we_design fixture_design_for(const fixture *f, const char *variant)
{
    int by_muni = strcmp(variant, "cluster_municipality") == 0;
    we_design d = {.n_areas = f->n_areas, .n_periods = f->n_periods,
                   .treated_from = f->treated_from,
                   .in_sample = f->in_sample,
                   .cluster = by_muni ? f->muni_id : f->area_id,
                   .baseline = f->baseline, .followup = f->followup,
                   .n_followup = f->n_followup, .alpha = f->alpha};
    return d;
}

/* ---- comparison ------------------------------------------------------- */

static int close_enough(double want, double got)
{
    if (isnan(want) || isnan(got))
        return isnan(want) && isnan(got);
    double scale = fmax(fabs(want), fabs(got));
    return fabs(want - got) <= fmax(ABS_TOL, REL_TOL * scale);
}

static int check(const char *label, const char *what, double want,
                 double got)
{
    if (close_enough(want, got))
        return 0;
    print_error("%s %s: expected %.17g, got %.17g\n", label, what, want, got);
    return 1;
}

/* ---- the event study against R ---------------------------------------- */

enum { E_EST, E_SE, E_LO, E_HI, E_P, E_DF, E_NTR, E_NOBS, E_Q, E_W, E_F,
       E_BOOTP, E_BOOTN, N_E };
static const char *const E_NAMES[N_E] = {
    "estimate", "se", "ci_low", "ci_high", "p_value", "df", "n_treated",
    "n_obs", "q", "wald", "f", "boot_p", "boot_reps"};

typedef struct spec_key {
    const char *variant;
    long lo, hi;
} spec_key;

static int coef_bad(const char *label, const csv *c, size_t r,
                    const size_t *k, const we_event_result *res)
{
    long rel = integer(c, r, col(c, "rel_time"));
    const we_event_coef *e = NULL;
    for (size_t j = 0; j < res->n_coef; j++)
        if (res->coef[j].rel_time == rel)
            e = &res->coef[j];
    if (e == NULL) {
        print_error("%s: no coefficient for event time %ld\n", label, rel);
        return 1;
    }
    char what[64];
    const double got[] = {e->estimate, e->se, e->ci_low, e->ci_high,
                          e->p_value, (double)e->n_treated};
    const int field[] = {E_EST, E_SE, E_LO, E_HI, E_P, E_NTR};
    int bad = 0;
    for (size_t f = 0; f < sizeof field / sizeof field[0]; f++) {
        snprintf(what, sizeof what, "k=%ld %s", rel, E_NAMES[field[f]]);
        bad += check(label, what, num(c, r, k[field[f]]), got[f]);
    }
    return bad;
}

static int pretrend_bad(const char *label, const csv *c, size_t r,
                        const size_t *k, const we_event_result *res)
{
    int bad = check(label, "pretrend p", num(c, r, k[E_P]), res->pretrend_p);
    bad += check(label, "wald", num(c, r, k[E_W]), res->pretrend_wald);
    bad += check(label, "f", num(c, r, k[E_F]), res->pretrend_f);
    bad += check(label, "q", num(c, r, k[E_Q]), (double)res->pretrend_q);
    double boot_p = num(c, r, k[E_BOOTP]);
    if (!isnan(boot_p)) {
        /* Exact enumeration in both: the same count, to the last bit. */
        bad += check(label, "boot_p", boot_p, res->pretrend_boot_p);
        bad += check(label, "boot_reps", num(c, r, k[E_BOOTN]),
                     (double)res->pretrend_boot_reps);
        bad += res->pretrend_boot_enumerated != 1;
    }
    return bad;
}

/* Rows of one (variant, window) in event_expected.csv against one run. */
static int spec_bad(const char *label, const csv *c, const spec_key *s,
                    const size_t *k, const we_event_result *res)
{
    size_t cv = col(c, "variant"), cl = col(c, "min_rel");
    size_t ch = col(c, "max_rel"), ct = col(c, "term");
    size_t n_event = 0;
    int bad = 0;
    for (size_t r = 1; r < c->n_rows; r++) {
        if (strcmp(at(c, r, cv), s->variant) != 0 ||
            integer(c, r, cl) != s->lo || integer(c, r, ch) != s->hi)
            continue;
        bad += check(label, "df", num(c, r, k[E_DF]), (double)res->df);
        bad += check(label, "n_obs", num(c, r, k[E_NOBS]),
                     (double)res->n_obs);
        if (strcmp(at(c, r, ct), "event") == 0) {
            n_event++;
            bad += coef_bad(label, c, r, k, res);
        } else if (strcmp(at(c, r, ct), "pretrend") == 0) {
            bad += pretrend_bad(label, c, r, k, res);
        } else {
            bad_cell(c, r, ct, "event or pretrend");
        }
    }
    if (n_event != res->n_coef) {
        print_error("%s: R has %zu coefficients, C %zu\n", label, n_event,
                    res->n_coef);
        bad++;
    }
    size_t dropped = (size_t)(s->hi - s->lo) - n_event;
    if (res->n_dropped != dropped || (dropped > 0) != (res->note[0] != 0)) {
        print_error("%s: %zu event time(s) without data, C says %zu (%s)\n",
                    label, dropped, res->n_dropped, res->note);
        bad++;
    }
    return bad;
}

/* Runs every (variant, window) of a dataset's event_expected.csv. */
static void run_event_oracle(const char *dataset, size_t boot_reps)
{
    fixture f;
    csv c;
    fixture_load(&f, dataset);
    csv_load(&c, dataset, "event_expected.csv");
    size_t k[N_E];
    for (size_t j = 0; j < N_E; j++)
        k[j] = col(&c, E_NAMES[j]);
    size_t cv = col(&c, "variant"), cl = col(&c, "min_rel");
    size_t ch = col(&c, "max_rel"), ct = col(&c, "term");
    int bad = 0, specs = 0;
    for (size_t r = 1; r < c.n_rows; r++) {
        if (strcmp(at(&c, r, ct), "pretrend") != 0)
            continue; /* one pretrend row per (variant, window) */
        spec_key s = {at(&c, r, cv), integer(&c, r, cl), integer(&c, r, ch)};
        char label[160];
        snprintf(label, sizeof label, "%s %s [%ld, %ld]", dataset, s.variant,
                 s.lo, s.hi);
        we_design d = fixture_design_for(&f, s.variant);
        we_event_options o = {(int)s.lo, (int)s.hi};
        we_event_result res;
        we_error err = {{0}};
        int rc = we_event_study(f.y, &d, &o, boot_reps, 7, &res, &err);
        if (rc != WE_OK)
            fail_msg("%s: returned %d: %s", label, rc, err.msg);
        bad += spec_bad(label, &c, &s, k, &res);
        if (res.n_dropped > 0)
            print_message("%s: %s\n", label, res.note);
        we_event_result_free(&res);
        specs++;
    }
    csv_free(&c);
    fixture_free(&f);
    assert_true(specs > 0);
    if (bad > 0)
        fail_msg("%s: %d value(s) differ from the R reference", dataset, bad);
}

static void test_oracle_waves(void **state)
{
    (void)state;
    run_event_oracle("waves", 0);
}

static void test_oracle_mpdta(void **state)
{
    (void)state;
    run_event_oracle("mpdta", 0);
}

/* 8 clusters: 999 requested draws become the 256 sign vectors, whose
 * exact p-value R computed with lm on the full dummy matrix. */
static void test_oracle_tiny_bootstrap(void **state)
{
    (void)state;
    run_event_oracle("tiny_event", 999);
}

/* The dropped event times are named in the note: waves has event times
 * -6..4, so [-8, 5] has no data at -8, -7 and 5. */
static void test_dropped_note(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "waves");
    we_design d = fixture_design_for(&f, "cluster_area");
    we_event_options o = {-8, 5};
    we_event_result res;
    we_error err = {{0}};
    assert_int_equal(we_event_study(f.y, &d, &o, 0, 1, &res, &err), WE_OK);
    assert_int_equal(res.n_dropped, 3);
    assert_non_null(strstr(res.note, "-8..-7, 5"));
    assert_int_equal(res.coef[0].rel_time, -6);
    assert_int_equal(res.coef[res.n_coef - 1].rel_time, 4);
    we_event_result_free(&res);
    fixture_free(&f);
}

/* ---- pre-test power and relative-magnitudes sensitivity ------------- */

/* The event study of `dataset` (municipality clusters, [-4, 3]) feeds
 * methods/sensitivity.c. Its estimates and covariance are pinned in
 * es_input.csv (written with WE_SENS_WRITE=1; the estimates and se's are
 * checked against R above), and tests/oracle/sensitivity.py solved the
 * same problems as linear programmes (scipy linprog) and with scipy's
 * noncentral F into sensitivity_expected.csv. */
static void write_es_input(const char *dataset, const we_event_result *r)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s/es_input.csv", fixture_root(),
             dataset);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "rel_time,estimate,df");
    for (size_t j = 0; j < r->n_coef; j++)
        fprintf(f, ",v%zu", j + 1);
    fputc('\n', f);
    for (size_t a = 0; a < r->n_coef; a++) {
        fprintf(f, "%d,%.17g,%zu", r->coef[a].rel_time, r->coef[a].estimate,
                r->df);
        for (size_t b = 0; b < r->n_coef; b++)
            fprintf(f, ",%.17g", r->vcov[a * r->n_coef + b]);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
}

static double expected_value(const csv *c, const char *name)
{
    size_t kq = col(c, "quantity"), kv = col(c, "value");
    for (size_t r = 1; r < c->n_rows; r++)
        if (strcmp(at(c, r, kq), name) == 0)
            return strcmp(at(c, r, kv), "inf") == 0 ? INFINITY
                                                    : num(c, r, kv);
    fail_msg("%s: no quantity '%s'; run tests/oracle/sensitivity.py",
             c->path, name);
    return NAN;
}

static void check_close(const char *label, double want, double got)
{
    if (isinf(want) && want == got)
        return;
    if (!(fabs(want - got) <= 1e-7 * (1.0 + fabs(want))))
        fail_msg("%s: want %.12g, got %.12g", label, want, got);
}

static void run_sensitivity_oracle(const char *dataset)
{
    fixture f;
    fixture_load(&f, dataset);
    we_design d = fixture_design_for(&f, "cluster_municipality");
    we_event_options o = {-4, 3};
    we_event_result res;
    we_error err = {{0}};
    assert_int_equal(we_event_study(f.y, &d, &o, 0, 1, &res, &err), WE_OK);
    if (getenv("WE_SENS_WRITE") != NULL)
        write_es_input(dataset, &res);
    /* The pinned input is this event study. */
    csv in;
    csv_load(&in, dataset, "es_input.csv");
    assert_int_equal(in.n_rows - 1, res.n_coef);
    for (size_t a = 0; a < res.n_coef; a++) {
        assert_int_equal(integer(&in, a + 1, col(&in, "rel_time")),
                         res.coef[a].rel_time);
        check_close("estimate", num(&in, a + 1, col(&in, "estimate")),
                    res.coef[a].estimate);
        for (size_t b = 0; b < res.n_coef; b++)
            check_close("vcov", num(&in, a + 1, 3 + b),
                        res.vcov[a * res.n_coef + b]);
    }
    csv_free(&in);
    int rel[16];
    double b[16];
    assert_true(res.n_coef <= 16);
    for (size_t j = 0; j < res.n_coef; j++) {
        rel[j] = res.coef[j].rel_time;
        b[j] = res.coef[j].estimate;
    }
    we_es_input es = {.n = res.n_coef, .rel = rel, .b = b, .V = res.vcov,
                      .df = (double)res.df};
    csv c;
    csv_load(&c, dataset, "sensitivity_expected.csv");
    double alpha = expected_value(&c, "alpha");
    we_rm_sensitivity s;
    assert_int_equal(we_rm_sensitivity_compute(&es, alpha, 1.0, &s, &err),
                     WE_OK);
    check_close("theta", expected_value(&c, "theta"), s.theta);
    check_close("se_theta", expected_value(&c, "se_theta"), s.se_theta);
    check_close("ci_low_mbar1", expected_value(&c, "ci_low_mbar1"),
                s.ci_low);
    check_close("ci_high_mbar1", expected_value(&c, "ci_high_mbar1"),
                s.ci_high);
    check_close("breakdown_mbar", expected_value(&c, "breakdown_mbar"),
                s.breakdown_mbar);
    static const char *const m[] = {"0", "0.5", "2"};
    static const double mv[] = {0.0, 0.5, 2.0};
    for (size_t i = 0; i < 3; i++) {
        char k1[40], k2[40];
        double lo, hi;
        snprintf(k1, sizeof k1, "ci_low_mbar%s", m[i]);
        snprintf(k2, sizeof k2, "ci_high_mbar%s", m[i]);
        we_rm_interval(&s, mv[i], &lo, &hi);
        check_close(k1, expected_value(&c, k1), lo);
        check_close(k2, expected_value(&c, k2), hi);
    }
    for (int i = 1; i <= 2; i++) {
        char ks[40], kp[40], kn[40];
        snprintf(ks, sizeof ks, "slope_%d", i);
        snprintf(kp, sizeof kp, "power_%d", i);
        snprintf(kn, sizeof kn, "ncp_%d", i);
        double power, ncp;
        assert_int_equal(we_pretest_power_linear(&es, expected_value(&c, ks),
                                                 alpha, &power, &ncp, &err),
                         WE_OK);
        check_close(kn, expected_value(&c, kn), ncp);
        check_close(kp, expected_value(&c, kp), power);
    }
    csv_free(&c);
    we_event_result_free(&res);
    fixture_free(&f);
}

static void test_sensitivity_waves(void **state)
{
    (void)state;
    run_sensitivity_oracle("waves");
}

static void test_sensitivity_mpdta(void **state)
{
    (void)state;
    run_sensitivity_oracle("mpdta");
}

/* The noncentral F against values from R's pf(ncp =) and the central
 * limit: with ncp 0 it is the central F's tail. */
static void test_ncf_and_errors(void **state)
{
    (void)state;
    check_close("central", 0.05, we_ncf_sf(gsl_cdf_fdist_Qinv(0.05, 3, 20),
                                           3, 20, 0.0));
    check_close("chisq", 0.05,
                we_ncf_sf(gsl_cdf_chisq_Qinv(0.05, 2) / 2.0, 2, NAN, 0.0));
    assert_true(we_ncf_sf(2.0, 3, 20, 10.0) > we_ncf_sf(2.0, 3, 20, 5.0));
    int rel[] = {0, 1};
    double b[] = {1.0, 2.0}, V[] = {1, 0, 0, 1};
    we_es_input es = {.n = 2, .rel = rel, .b = b, .V = V, .df = 10};
    we_rm_sensitivity s;
    double pw, ncp;
    we_error err = {{0}};
    assert_int_equal(we_rm_sensitivity_compute(&es, 0.05, 1, &s, &err),
                     WE_ENODATA);
    assert_int_equal(we_pretest_power_linear(&es, 1, 0.05, &pw, &ncp, &err),
                     WE_ENODATA);
    int rel2[] = {-2, -1};
    es.rel = rel2;
    assert_int_equal(we_rm_sensitivity_compute(&es, 0.05, 1, &s, &err),
                     WE_EINVAL);
    /* Leads exactly 0 with no variance leave no room: unbounded. */
    int rel3[] = {-2, 0};
    double b3[] = {0.0, 5.0}, V3[] = {0, 0, 0, 1};
    we_es_input e3 = {.n = 2, .rel = rel3, .b = b3, .V = V3, .df = 10};
    assert_int_equal(we_rm_sensitivity_compute(&e3, 0.05, 1, &s, &err),
                     WE_OK);
    assert_true(isinf(s.breakdown_mbar));
}

/* ---- randomisation inference against the exact distribution ----------- */

typedef struct ri_fixture {
    fixture f;
    csv perms;
    double estimate, p_exact;
    long n_assign;
} ri_fixture;

static void ri_load(ri_fixture *r)
{
    fixture_load(&r->f, "ri6");
    csv_load(&r->perms, "ri6", "ri_permutations.csv");
    csv e;
    csv_load(&e, "ri6", "ri_expected.csv");
    size_t ck = col(&e, "key"), cv = col(&e, "value");
    for (size_t i = 1; i < e.n_rows; i++) {
        if (strcmp(at(&e, i, ck), "estimate") == 0)
            r->estimate = num(&e, i, cv);
        else if (strcmp(at(&e, i, ck), "p_exact") == 0)
            r->p_exact = num(&e, i, cv);
        else if (strcmp(at(&e, i, ck), "n_assignments") == 0)
            r->n_assign = integer(&e, i, cv);
    }
    csv_free(&e);
    assert_int_equal(r->n_assign, (long)r->perms.n_rows - 1);
}

static void ri_free(ri_fixture *r)
{
    fixture_free(&r->f);
    csv_free(&r->perms);
}

/* The treatment path that treats exactly the areas named in `areas`
 * (space-separated), from the observed start. */
static void assignment(const ri_fixture *r, const char *areas, long start,
                       long *tf)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", areas);
    for (size_t i = 0; i < r->f.n_areas; i++)
        tf[i] = -1;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok != NULL;
         tok = strtok_r(NULL, " ", &save)) {
        long i = find_str(r->f.area, r->f.n_areas, tok);
        assert_true(i >= 0);
        tf[i] = start;
    }
}

/* Each of the 15 assignments: the coefficient of the permutation path
 * (reps = 0 returns it) equals R's lm coefficient. */
static void test_ri_distribution(void **state)
{
    (void)state;
    ri_fixture r;
    ri_load(&r);
    long start = -1, tf[16];
    assert_true(r.f.n_areas <= 16);
    for (size_t i = 0; i < r.f.n_areas; i++)
        if (r.f.treated_from[i] >= 0)
            start = r.f.treated_from[i];
    size_t ca = col(&r.perms, "areas"), ce = col(&r.perms, "estimate");
    int bad = 0;
    for (size_t k = 1; k < r.perms.n_rows; k++) {
        assignment(&r, at(&r.perms, k, ca), start, tf);
        we_design d = fixture_design_for(&r.f, "cluster_area");
        d.treated_from = tf;
        we_ri_result res;
        we_error err = {{0}};
        assert_int_equal(we_randomization_inference(r.f.y, &d, NULL, 0, 1,
                                                    &res, &err), WE_OK);
        bad += check(at(&r.perms, k, ca), "estimate", num(&r.perms, k, ce),
                     res.estimate);
        assert_true(isnan(res.p_value));
    }
    ri_free(&r);
    assert_int_equal(bad, 0);
}

/* With many draws the p-value converges to the exact one: the draws are
 * uniform over the 15 assignments. Same seed, same answer. */
static void test_ri_exact_convergence(void **state)
{
    (void)state;
    ri_fixture r;
    ri_load(&r);
    we_design d = fixture_design_for(&r.f, "cluster_area");
    we_ri_result a, b, c;
    we_error err = {{0}};
    const size_t reps = 40000;
    assert_int_equal(we_randomization_inference(r.f.y, &d, NULL, reps, 11,
                                                &a, &err), WE_OK);
    assert_true(close_enough(r.estimate, a.estimate));
    assert_int_equal(a.reps, reps);
    double sd = sqrt(r.p_exact * (1 - r.p_exact) / (double)reps);
    print_message("ri6: p = %.5f, exact %.5f (sd %.5f)\n", a.p_value,
                  r.p_exact, sd);
    assert_true(fabs(a.p_value - r.p_exact) < 5 * sd);
    assert_int_equal(we_randomization_inference(r.f.y, &d, NULL, reps, 11,
                                                &b, &err), WE_OK);
    assert_true(a.p_value == b.p_value);
    assert_int_equal(we_randomization_inference(r.f.y, &d, NULL, 99, 12,
                                                &c, &err), WE_OK);
    /* 99 draws: p has the form (1 + h) / 100. */
    double h = c.p_value * 100.0 - 1.0;
    assert_true(fabs(h - round(h)) < 1e-9);
    ri_free(&r);
}

/* The RI coefficient is the TWFE coefficient (a separate FWL route). */
static void test_ri_estimate_is_twfe(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, "waves");
    we_design d = fixture_design_for(&f, "cluster_area");
    we_estimate twfe = {.struct_size = sizeof twfe};
    we_ri_result ri;
    we_error err = {{0}};
    assert_int_equal(we_twfe(f.y, &d, &twfe, &err), WE_OK);
    assert_int_equal(we_randomization_inference(f.y, &d, NULL, 0, 1, &ri,
                                                &err), WE_OK);
    assert_true(fabs(ri.estimate - twfe.estimate) <=
                1e-10 * fabs(twfe.estimate));
    fixture_free(&f);
}

/* ---- simulated panels -------------------------------------------------- */

typedef struct sim {
    size_t A, T;
    double *y;
    long *tf;
    unsigned char *in_sample;
    int *cluster, *strata;
    size_t followup[32], n_followup;
} sim;

static void sim_free(sim *s)
{
    free(s->y);
    free(s->tf);
    free(s->in_sample);
    free(s->cluster);
    free(s->strata);
}

static void sim_alloc(sim *s, size_t A, size_t T, size_t first_followup)
{
    memset(s, 0, sizeof *s);
    s->A = A;
    s->T = T;
    s->y = calloc(A * T, sizeof *s->y);
    s->tf = malloc(A * sizeof *s->tf);
    s->in_sample = malloc(A);
    s->cluster = malloc(A * sizeof *s->cluster);
    s->strata = malloc(A * sizeof *s->strata);
    assert_true(s->y && s->tf && s->in_sample && s->cluster && s->strata);
    for (size_t i = 0; i < A; i++) {
        s->tf[i] = -1;
        s->in_sample[i] = 1;
        s->cluster[i] = (int)i;
        s->strata[i] = 0;
    }
    for (size_t t = first_followup; t < T; t++)
        s->followup[s->n_followup++] = t;
}

static we_design sim_design(const sim *s)
{
    we_design d = {.n_areas = s->A, .n_periods = s->T,
                   .treated_from = s->tf, .in_sample = s->in_sample,
                   .cluster = s->cluster, .baseline = s->followup[0] - 1,
                   .followup = s->followup, .n_followup = s->n_followup,
                   .alpha = 0.05};
    return d;
}

/* 200 areas x 10 periods, half treated from period 6 or 7: area and
 * period effects, an effect of 1 after treatment and noise; `slope` adds
 * a pre-existing linear trend to the treated areas. */
static void sim_staggered(sim *s, double slope, unsigned long seed)
{
    sim_alloc(s, 200, 10, 6);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, seed);
    double period[10];
    for (size_t t = 0; t < 10; t++)
        period[t] = 0.3 * (double)t + gsl_ran_gaussian(rng, 0.5);
    for (size_t i = 0; i < s->A; i++) {
        double a = gsl_ran_gaussian(rng, 2.0);
        if (i % 2 == 0)
            s->tf[i] = i % 4 == 0 ? 6 : 7;
        for (size_t t = 0; t < s->T; t++) {
            double post = s->tf[i] >= 0 && (long)t >= s->tf[i];
            double trend = s->tf[i] >= 0 ? slope * (double)t : 0.0;
            s->y[i * s->T + t] = a + period[t] + 1.0 * post + trend +
                                 gsl_ran_gaussian(rng, 1.0);
        }
    }
    gsl_rng_free(rng);
}

static void test_pretrend_injected(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.25, 1);
    we_design d = sim_design(&s);
    we_event_options o = {-5, 3};
    we_event_result res;
    we_error err = {{0}};
    assert_int_equal(we_event_study(s.y, &d, &o, 999, 42, &res, &err),
                     WE_OK);
    print_message("injected pre-trend: W = %.2f, F p = %.3g, boot p = %.3g\n",
                  res.pretrend_wald, res.pretrend_p, res.pretrend_boot_p);
    assert_int_equal(res.pretrend_q, 4);
    assert_true(res.pretrend_p < 1e-4);
    assert_true(res.pretrend_boot_p < 0.01);
    assert_int_equal(res.pretrend_boot_reps, 999);
    assert_int_equal(res.pretrend_boot_enumerated, 0);
    /* The lead at -5 carries 4 periods of the 0.25 slope. */
    assert_true(fabs(res.coef[0].estimate - (-1.0)) < 0.5);
    we_event_result_free(&res);
    sim_free(&s);
}

static void test_pretrend_clean(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.0, 1);
    we_design d = sim_design(&s);
    we_event_options o = {-5, 3};
    we_event_result res;
    we_error err = {{0}};
    clock_t t0 = clock();
    assert_int_equal(we_event_study(s.y, &d, &o, 999, 42, &res, &err),
                     WE_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("clean: F p = %.3f, boot p = %.3f; 200 x 10 panel with "
                  "999 bootstrap draws took %.3f s\n",
                  res.pretrend_p, res.pretrend_boot_p, secs);
    assert_true(res.pretrend_p > 0.05);
    assert_true(res.pretrend_boot_p > 0.05);
    /* 200 clusters: the bootstrap and the F reference roughly agree. */
    assert_true(fabs(res.pretrend_boot_p - res.pretrend_p) < 0.1);
    for (size_t j = 0; j < res.n_coef; j++) {
        double want = res.coef[j].rel_time >= 0 ? 1.0 : 0.0;
        assert_true(res.coef[j].ci_low < want + 0.5);
        assert_true(res.coef[j].ci_high > want - 0.5);
    }
    we_event_result_free(&res);
    sim_free(&s);
}

static void assert_rel(double a, double b, double tol, const char *what)
{
    if (!(fabs(a - b) <= tol * fabs(b)))
        fail_msg("%s: sums %.17g, rows %.17g (rel %.2g)", what, a, b,
                 fabs(a - b) / fabs(b));
}

/* we_twfe_sums (per-area sums) against we_twfe (the rows): one sample,
 * one CR1; the sums run in another order, so 1e-12 relative. */
static void twfe_sums_agree(const double *y, const we_design *d)
{
    we_estimate a, b;
    we_error err = {{0}};
    assert_int_equal(we_twfe_sums(y, d, &a, &err), WE_OK);
    assert_int_equal(we_twfe(y, d, &b, &err), WE_OK);
    assert_rel(a.estimate, b.estimate, 1e-12, "estimate");
    assert_rel(a.se, b.se, 1e-12, "se");
    assert_rel(a.ci_low, b.ci_low, 1e-12, "ci_low");
    assert_rel(a.ci_high, b.ci_high, 1e-12, "ci_high");
    assert_rel(a.p_value, b.p_value, 1e-10, "p_value");
    assert_true(a.df == b.df);
    assert_int_equal(a.n_obs, b.n_obs);
    assert_int_equal(a.n_treated, b.n_treated);
    assert_int_equal(a.n_control, b.n_control);
    assert_int_equal(a.inference, b.inference);
    assert_int_equal(a.method, b.method);
}

static void test_twfe_sums_match_rows(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.05, 11);
    for (size_t i = 0; i < s.A; i++)
        s.cluster[i] = (int)(i % 37); /* clusters of several areas */
    we_design d = sim_design(&s);
    twfe_sums_agree(s.y, &d);
    /* Unbalanced: cells missing, a comparison area out of the sample,
     * an area with one cell, the last period beyond the follow-up. */
    for (size_t i = 0; i < 30; i++)
        s.y[((i * 7) % s.A) * s.T + (i * 3) % s.T] = NAN;
    for (size_t t = 1; t < s.T; t++)
        s.y[5 * s.T + t] = NAN;
    s.in_sample[3] = 0;
    s.n_followup--;
    d = sim_design(&s);
    twfe_sums_agree(s.y, &d);
    /* A level far from zero (a WOZ value in euros), where both sums lose
     * digits to the demeaning. */
    for (size_t c = 0; c < s.A * s.T; c++)
        s.y[c] = s.y[c] * 1000.0 + 250000.0;
    twfe_sums_agree(s.y, &d);
    /* The same errors: one cluster; no treated cell after the start. */
    we_estimate e;
    we_error err = {{0}};
    for (size_t i = 0; i < s.A; i++)
        s.cluster[i] = 4;
    int r1 = we_twfe(s.y, &d, &e, &err), r2 = we_twfe_sums(s.y, &d, &e, &err);
    assert_int_equal(r1, WE_ENODATA);
    assert_int_equal(r2, r1);
    for (size_t i = 0; i < s.A; i++) {
        s.cluster[i] = (int)(i % 37);
        if (s.tf[i] >= 0)
            for (size_t t = (size_t)s.tf[i]; t < s.T; t++)
                s.y[i * s.T + t] = NAN;
    }
    r1 = we_twfe(s.y, &d, &e, &err);
    r2 = we_twfe_sums(s.y, &d, &e, &err);
    assert_int_equal(r1, WE_ESINGULAR);
    assert_int_equal(r2, r1);
    sim_free(&s);
}

/* we_twfe_inferred: the estimate, CR1 and the wild bootstrap from one set
 * of per-area sums; on the reference path from the rows. CR1 alone is
 * we_twfe_sums to the bit; with the bootstrap the p-value is the rows'
 * (a count over the same draws) and the rest agrees to 1e-12 relative. */
static void test_twfe_inferred_sums(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.0, 12);
    for (size_t i = 0; i < s.A; i++)
        s.cluster[i] = (int)(i % 20);
    /* Unbalanced, with an area of one cell. */
    for (size_t i = 0; i < 25; i++)
        s.y[((i * 11) % s.A) * s.T + (i * 5) % s.T] = NAN;
    for (size_t t = 1; t < s.T; t++)
        s.y[7 * s.T + t] = NAN;
    we_design d = sim_design(&s);
    we_est_settings st = {.seed = 3, .alpha = 0.05, .wild = WE_WILD_AUTO,
                          .boot_reps = 999};
    we_estimate rows = {0}, sums = {0}, direct = {0};
    we_error err = {{0}};
    assert_int_equal(we_twfe_inferred(&st, s.y, &d, 9, &sums, &err), WE_OK);
    we_use_reference_paths(1);
    assert_int_equal(we_twfe_inferred(&st, s.y, &d, 9, &rows, &err), WE_OK);
    we_use_reference_paths(0);
    assert_int_equal(sums.inference, WE_INFERENCE_WILD_RADEMACHER);
    assert_int_equal(rows.inference, sums.inference);
    assert_rel(sums.estimate, rows.estimate, 1e-12, "estimate");
    assert_rel(sums.se, rows.se, 1e-12, "se");
    assert_true(sums.p_value == rows.p_value);
    assert_rel(sums.ci_low, rows.ci_low, 1e-12, "ci_low");
    assert_rel(sums.ci_high, rows.ci_high, 1e-12, "ci_high");
    assert_int_equal(sums.inference_reps, rows.inference_reps);
    assert_int_equal(sums.n_obs, rows.n_obs);
    assert_int_equal(sums.n_treated, rows.n_treated);
    assert_int_equal(sums.n_control, rows.n_control);
    st.wild = WE_WILD_NEVER;
    assert_int_equal(we_twfe_inferred(&st, s.y, &d, 9, &sums, &err), WE_OK);
    assert_int_equal(we_twfe_sums(s.y, &d, &direct, &err), WE_OK);
    assert_memory_equal(&sums, &direct, sizeof sums);
    assert_int_equal(sums.inference, WE_INFERENCE_CR1);
    /* The reference switch takes the rows. */
    we_use_reference_paths(1);
    assert_int_equal(we_twfe_inferred(&st, s.y, &d, 9, &sums, &err), WE_OK);
    we_use_reference_paths(0);
    assert_int_equal(we_twfe(s.y, &d, &direct, &err), WE_OK);
    assert_memory_equal(&sums, &direct, sizeof sums);
    sim_free(&s);
}

/* The fast paths (per-cluster sums of the bootstrap, per-area summaries of
 * randomisation inference) against their references, on a staggered
 * panel with strata: the same draws give the same p-values, and the same
 * statistics up to the order of the sums. */
static void test_fast_paths_match_reference(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.03, 5);
    for (size_t i = 0; i < s.A; i++)
        s.strata[i] = (int)(i % 3);
    for (size_t i = 0; i < 12; i++) /* unbalanced: areas lose a period */
        s.y[(i * 13) * s.T + i % s.T] = NAN;
    we_design d = sim_design(&s);
    we_event_options o = {-4, 2};
    we_event_result fast_ev, ref_ev;
    we_ri_result fast_ri, ref_ri, fast_plain, ref_plain;
    we_error err = {{0}};
    for (int ref = 0; ref <= 1; ref++) {
        we_use_reference_paths(ref);
        assert_int_equal(we_event_study(s.y, &d, &o, 999, 5,
                                        ref ? &ref_ev : &fast_ev, &err),
                         WE_OK);
        assert_int_equal(we_randomization_inference(
                             s.y, &d, s.strata, 999, 6,
                             ref ? &ref_ri : &fast_ri, &err),
                         WE_OK);
        assert_int_equal(we_randomization_inference(
                             s.y, &d, NULL, 999, 6,
                             ref ? &ref_plain : &fast_plain, &err),
                         WE_OK);
    }
    we_use_reference_paths(0);
    print_message("boot p %.4f / %.4f; RI p %.4f / %.4f, %.4f / %.4f\n",
                  fast_ev.pretrend_boot_p, ref_ev.pretrend_boot_p,
                  fast_ri.p_value, ref_ri.p_value, fast_plain.p_value,
                  ref_plain.p_value);
    /* The event study from area sums and from materialised rows. */
    assert_int_equal(fast_ev.n_coef, ref_ev.n_coef);
    for (size_t j = 0; j < fast_ev.n_coef; j++) {
        const we_event_coef *a = &fast_ev.coef[j], *b = &ref_ev.coef[j];
        assert_true(fabs(a->estimate - b->estimate) <=
                    1e-10 * (1.0 + fabs(b->estimate)));
        assert_true(fabs(a->se - b->se) <= 1e-10 * b->se);
    }
    assert_true(fabs(fast_ev.pretrend_wald - ref_ev.pretrend_wald) <=
                1e-9 * ref_ev.pretrend_wald);
    assert_true(fast_ev.pretrend_boot_p == ref_ev.pretrend_boot_p);
    assert_true(fast_ev.pretrend_boot_reps == ref_ev.pretrend_boot_reps);
    assert_true(fast_ri.p_value == ref_ri.p_value);
    assert_true(fast_ri.reps == ref_ri.reps);
    assert_true(fast_plain.p_value == ref_plain.p_value);
    assert_true(fast_ri.estimate == ref_ri.estimate);
    /* With a small effect the permuted coefficients straddle the observed
     * one, so a wrong summary would move p. */
    for (size_t i = 0; i < s.A; i++)
        for (size_t t = 0; s.tf[i] >= 0 && t < s.T; t++)
            s.y[i * s.T + t] -= (long)t >= s.tf[i] ? 0.85 : 0.0;
    for (int ref = 0; ref <= 1; ref++) {
        we_use_reference_paths(ref);
        assert_int_equal(we_randomization_inference(
                             s.y, &d, s.strata, 999, 6,
                             ref ? &ref_ri : &fast_ri, &err),
                         WE_OK);
    }
    we_use_reference_paths(0);
    print_message("null effect: RI p %.4f / %.4f\n", fast_ri.p_value,
                  ref_ri.p_value);
    assert_true(fast_ri.p_value > 0.05 && fast_ri.p_value < 0.95);
    assert_true(fast_ri.p_value == ref_ri.p_value);
    we_event_result_free(&fast_ev);
    we_event_result_free(&ref_ev);
    sim_free(&s);
}

static void test_bootstrap_seed(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.03, 5);
    we_design d = sim_design(&s);
    we_event_options o = {-4, 2};
    we_event_result a, b, c;
    we_error err = {{0}};
    assert_int_equal(we_event_study(s.y, &d, &o, 499, 99, &a, &err), WE_OK);
    assert_int_equal(we_event_study(s.y, &d, &o, 499, 99, &b, &err), WE_OK);
    assert_int_equal(we_event_study(s.y, &d, &o, 499, 100, &c, &err), WE_OK);
    print_message("seed 99: boot p = %.4f twice; seed 100: %.4f\n",
                  a.pretrend_boot_p, c.pretrend_boot_p);
    assert_true(a.pretrend_boot_p == b.pretrend_boot_p);
    assert_true(a.pretrend_wald == c.pretrend_wald);
    /* (1 + #) / (499 + 1): the sample counts as a draw, so a multiple of
     * 1/500 and never 0; another seed draws other weights. */
    double h = a.pretrend_boot_p * 500.0;
    assert_true(fabs(h - round(h)) < 1e-9 && round(h) >= 1.0);
    assert_true(a.pretrend_boot_p != c.pretrend_boot_p);
    /* No draws: no bootstrap p-value. */
    we_event_result n;
    assert_int_equal(we_event_study(s.y, &d, &o, 0, 99, &n, &err), WE_OK);
    assert_true(isnan(n.pretrend_boot_p));
    assert_true(n.pretrend_wald == a.pretrend_wald);
    we_event_result_free(&a);
    we_event_result_free(&b);
    we_event_result_free(&c);
    we_event_result_free(&n);
    sim_free(&s);
}

/* A noise-free panel whose effect depends on the binned event time:
 * y = a_i + l_t + beta(clamp(t - g_i, -2, 2)), 8 periods, treatment at 4
 * or 5, so the raw event times -5..3 bin into -2 and 2. The event study
 * recovers beta exactly, which it cannot if the end points are not
 * binned; area 0 misses its event times 2 and 3, so the bin at 2 holds 5
 * treated areas and the others 6. */
static void test_binned_end_points(void **state)
{
    (void)state;
    const double beta[5] = {0.7, 0.0, 2.0, 3.0, 5.0}; /* -2..2 */
    sim s;
    sim_alloc(&s, 12, 8, 4);
    for (size_t i = 0; i < s.A; i++) {
        if (i < 6)
            s.tf[i] = i < 3 ? 4 : 5;
        for (size_t t = 0; t < s.T; t++) {
            double v = 10.0 + (double)(i * i % 7) + 0.5 * (double)(t * t);
            if (s.tf[i] >= 0) {
                long rel = (long)t - s.tf[i];
                rel = rel < -2 ? -2 : rel > 2 ? 2 : rel;
                v += beta[rel + 2];
            }
            s.y[i * s.T + t] = v;
        }
    }
    s.y[0 * s.T + 6] = s.y[0 * s.T + 7] = NAN;
    we_design d = sim_design(&s);
    we_event_options o = {-2, 2};
    we_event_result res;
    we_error err = {{0}};
    assert_int_equal(we_event_study(s.y, &d, &o, 0, 1, &res, &err), WE_OK);
    assert_int_equal(res.n_coef, 4);
    assert_int_equal(res.pretrend_q, 1);
    const int rel[4] = {-2, 0, 1, 2};
    const long n_tr[4] = {6, 6, 6, 5};
    for (size_t j = 0; j < 4; j++) {
        assert_int_equal(res.coef[j].rel_time, rel[j]);
        assert_int_equal(res.coef[j].n_treated, n_tr[j]);
        assert_true(fabs(res.coef[j].estimate - beta[rel[j] + 2]) < 1e-9);
    }
    assert_int_equal(res.n_obs, 94);
    assert_int_equal(res.n_dropped, 0);
    we_event_result_free(&res);
    sim_free(&s);
}

/* More leads than clusters - 1: the lead covariance is singular; the
 * coefficients come back, the test is NaN with a note saying why. */
static void test_pretrend_singular(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.0, 3);
    for (size_t i = 0; i < s.A; i++)
        s.cluster[i] = (int)(i % 3);
    we_design d = sim_design(&s);
    we_event_options o = {-6, 1};
    we_event_result res;
    we_error err = {{0}};
    assert_int_equal(we_event_study(s.y, &d, &o, 99, 1, &res, &err), WE_OK);
    assert_int_equal(res.df, 2);
    assert_int_equal(res.pretrend_q, 5);
    assert_true(isnan(res.pretrend_wald) && isnan(res.pretrend_p));
    assert_true(isnan(res.pretrend_boot_p));
    assert_non_null(strstr(res.note, "singular"));
    assert_true(isfinite(res.coef[0].estimate) && res.coef[0].se > 0);
    we_event_result_free(&res);
    sim_free(&s);
}

/* ---- randomisation inference with strata ------------------------------ */

/* 8 areas x 6 periods, treatment from period 3. `bump` is each area's
 * shift from period 3 on; a small fixed wiggle keeps the coefficients of
 * different assignments apart. */
static void sim_bumps(sim *s, const double *bump)
{
    sim_alloc(s, 8, 6, 3);
    for (size_t i = 0; i < s->A; i++)
        for (size_t t = 0; t < s->T; t++)
            s->y[i * s->T + t] = (double)i + (double)t +
                                 (t >= 3 ? bump[i] : 0.0) +
                                 0.01 * (double)((i * 5 + t * 3) % 7);
}

static double ri_estimate(const sim *s, const long *tf)
{
    we_design d = sim_design(s);
    d.treated_from = tf;
    we_ri_result r;
    we_error err = {{0}};
    assert_int_equal(we_randomization_inference(s->y, &d, NULL, 0, 1, &r,
                                                &err), WE_OK);
    return r.estimate;
}

/* Exact p over single-area assignments to areas 0..n-1 (start 3). */
static double exact_p_single(const sim *s, size_t n, double b_obs)
{
    long tf[8];
    size_t hits = 0;
    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < s->A; i++)
            tf[i] = i == j ? 3 : -1;
        hits += fabs(ri_estimate(s, tf)) >= fabs(b_obs) * (1 - 1e-9);
    }
    return (double)hits / (double)n;
}

/* Area 0 is treated; areas 0-3 form stratum 0, areas 4-7 stratum 1, where
 * areas 4 and 5 shift strongly. Within strata only areas 0-3 can receive
 * the treatment (exact p 1/4); without strata areas 4 and 5 can too
 * (exact p 3/8). Both p-values converge to their own exact value. */
static void test_ri_strata_matter(void **state)
{
    (void)state;
    const double bump[8] = {1.0, 0.3, -0.2, 0.1, 5.0, -4.0, 0.0, 0.2};
    sim s;
    sim_bumps(&s, bump);
    s.tf[0] = 3;
    for (size_t i = 0; i < s.A; i++)
        s.strata[i] = i < 4 ? 0 : 1;
    we_design d = sim_design(&s);
    double b = ri_estimate(&s, s.tf);
    double p_in = exact_p_single(&s, 4, b), p_all = exact_p_single(&s, 8, b);
    assert_true(fabs(p_in - 0.25) < 1e-12 && fabs(p_all - 0.375) < 1e-12);
    we_ri_result strat, plain;
    we_error err = {{0}};
    const size_t reps = 20000;
    assert_int_equal(we_randomization_inference(s.y, &d, s.strata, reps, 3,
                                                &strat, &err), WE_OK);
    assert_int_equal(we_randomization_inference(s.y, &d, NULL, reps, 3,
                                                &plain, &err), WE_OK);
    print_message("strata: p = %.4f (exact %.4f); none: p = %.4f (exact "
                  "%.4f)\n", strat.p_value, p_in, plain.p_value, p_all);
    assert_true(fabs(strat.p_value - p_in) < 0.02);
    assert_true(fabs(plain.p_value - p_all) < 0.02);
    sim_free(&s);
}

/* Strata that each hold one treatment path leave nothing to permute:
 * every draw is the observed assignment, so p = 1 exactly. */
static void test_ri_strata_fixed(void **state)
{
    (void)state;
    const double bump[8] = {2.0, 2.1, 1.9, 2.2, 0.1, -0.1, 0.0, 0.05};
    sim s;
    sim_bumps(&s, bump);
    for (size_t i = 0; i < 4; i++) {
        s.tf[i] = 3;
        s.strata[i] = 7;
        s.strata[i + 4] = -2;
    }
    we_design d = sim_design(&s);
    we_ri_result strat, plain;
    we_error err = {{0}};
    assert_int_equal(we_randomization_inference(s.y, &d, s.strata, 500, 9,
                                                &strat, &err), WE_OK);
    assert_int_equal(we_randomization_inference(s.y, &d, NULL, 500, 9,
                                                &plain, &err), WE_OK);
    assert_int_equal(strat.reps, 500);
    assert_true(strat.p_value == 1.0);
    /* Without strata only the observed set and its complement reach |b|:
     * exact p 2/70. */
    print_message("fixed strata: p = 1; none: p = %.4f\n", plain.p_value);
    assert_true(plain.p_value < 0.1);
    sim_free(&s);
}

/* ---- refusals ---------------------------------------------------------- */

static void test_bad_input(void **state)
{
    (void)state;
    sim s;
    sim_staggered(&s, 0.0, 2);
    we_design d = sim_design(&s);
    we_event_result res;
    we_ri_result ri;
    we_error err = {{0}};
    we_event_options no_ref = {0, 3}, no_post = {-3, -1};
    assert_int_equal(we_event_study(s.y, &d, &no_ref, 0, 1, &res, &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "min_rel <= -1"));
    assert_null(res.coef);
    assert_int_equal(we_event_study(s.y, &d, &no_post, 0, 1, &res, &err),
                     WE_EINVAL);
    we_event_options o = {-3, 2};
    s.tf[1] = 10; /* 10 periods: indices 0..9 */
    assert_int_equal(we_event_study(s.y, &d, &o, 0, 1, &res, &err),
                     WE_EINVAL);
    assert_non_null(strstr(err.msg, "area 1"));
    assert_int_equal(we_randomization_inference(s.y, &d, NULL, 9, 1, &ri,
                                                &err), WE_EINVAL);
    for (size_t i = 0; i < s.A; i++)
        s.tf[i] = i % 2 == 0 ? -1 : 6; /* odd areas treated */
    for (size_t i = 0; i < s.A; i += 2)
        s.in_sample[i] = 0; /* no comparison area left */
    assert_int_equal(we_event_study(s.y, &d, &o, 0, 1, &res, &err),
                     WE_ENODATA);
    assert_non_null(strstr(err.msg, "comparison"));
    assert_int_equal(we_randomization_inference(s.y, &d, NULL, 9, 1, &ri,
                                                &err), WE_ENODATA);
    assert_true(isnan(ri.p_value));
    sim_free(&s);
}

/* ---- the full OLS agrees with the one-coefficient OLS ------------------ */

static void test_ols_full(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    we_ols o;
    we_error err = {{0}};
    assert_int_equal(we_ols_init(&o, 60, 3, &err), WE_OK);
    for (size_t r = 0; r < 60; r++) {
        double x[3] = {gsl_ran_gaussian(rng, 1), 1.0,
                       gsl_ran_gaussian(rng, 1)};
        double y = 0.5 * x[0] + 2 + x[2] + gsl_ran_gaussian(rng, 1);
        we_ols_add(&o, x, y, (int)(r % 12));
    }
    double b0, v0, beta[3], V[9], B[9];
    assert_int_equal(we_ols_cluster(&o, 12, &b0, &v0, &err), WE_OK);
    assert_int_equal(we_ols_cluster_full(&o, 12, beta, V, B, &err), WE_OK);
    assert_true(fabs(beta[0] - b0) <= 1e-12 * fabs(b0));
    assert_true(fabs(V[0] - v0) <= 1e-12 * v0);
    /* B (X'X) = I */
    for (size_t a = 0; a < 3; a++) {
        for (size_t c = 0; c < 3; c++) {
            double s = 0;
            for (size_t k = 0; k < 3; k++) {
                double xtx = 0;
                for (size_t r = 0; r < o.n; r++)
                    xtx += o.X[r * 3 + k] * o.X[r * 3 + c];
                s += B[a * 3 + k] * xtx;
            }
            assert_true(fabs(s - (a == c)) < 1e-10);
        }
        assert_true(fabs(V[a * 3 + (a + 1) % 3] - V[((a + 1) % 3) * 3 + a])
                    < 1e-15);
    }
    we_ols_free(&o);
    gsl_rng_free(rng);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_waves),
        cmocka_unit_test(test_oracle_mpdta),
        cmocka_unit_test(test_oracle_tiny_bootstrap),
        cmocka_unit_test(test_dropped_note),
        cmocka_unit_test(test_sensitivity_waves),
        cmocka_unit_test(test_sensitivity_mpdta),
        cmocka_unit_test(test_ncf_and_errors),
        cmocka_unit_test(test_ri_distribution),
        cmocka_unit_test(test_ri_exact_convergence),
        cmocka_unit_test(test_ri_estimate_is_twfe),
        cmocka_unit_test(test_pretrend_injected),
        cmocka_unit_test(test_pretrend_clean),
        cmocka_unit_test(test_bootstrap_seed),
        cmocka_unit_test(test_fast_paths_match_reference),
        cmocka_unit_test(test_twfe_sums_match_rows),
        cmocka_unit_test(test_twfe_inferred_sums),
        cmocka_unit_test(test_binned_end_points),
        cmocka_unit_test(test_pretrend_singular),
        cmocka_unit_test(test_ri_strata_matter),
        cmocka_unit_test(test_ri_strata_fixed),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ols_full),
    };
    return cmocka_run_group_tests_name("event", tests, NULL, NULL);
}
