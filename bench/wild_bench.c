/* The plugins' TWFE and its wild cluster bootstrap on a panel of the
 * national size (13,000 areas in 350 clusters, 20 periods, two waves of
 * treated areas, 1% of the cells missing): CPU seconds of the CR1 fit,
 * of the bootstrap's setup and of its 9,999 draws, from the rows and from
 * the per-area sums (docs/performance.md, issue 18's levers). Medians of
 * three. Build against a core library and run:
 *   cc -std=c11 -O2 -Icore/src -Icore/include bench/wild_bench.c \
 *      build/libwijkeval-core.a -lgsl -lgslcblas -lm -lpthread -o /tmp/wb
 *   /tmp/wb            # add -DHAVE_SUMS for a library with twfe_sums.h
 * Without HAVE_SUMS it times only the rows (a library from before the
 * sums), so the same source measures before and after. */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "methods/methods.h"
#include "methods/wild.h"
#ifdef HAVE_SUMS
#include "methods/twfe_sums.h"
#endif

enum { A = 13000, T = 20, G = 350, REPS = 3 };

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median3(double *v)
{
    qsort(v, REPS, sizeof *v, cmp);
    return v[REPS / 2];
}

typedef int (*wild_fn)(const double *y, const we_design *d, size_t reps,
                       we_wild_result *r);

static int wild_rows(const double *y, const we_design *d, size_t reps,
                     we_wild_result *r)
{
    we_wild_options o = {WE_WEIGHTS_RADEMACHER, reps, 1, 0.05, reps > 1};
    we_estimate est = {.struct_size = (uint32_t)sizeof est};
    we_error err = {""};
    we_twfe_rows rows;
    int rc = we_twfe_rows_build(y, d, &rows, &err);
    if (rc == 0)
        rc = we_twfe_from_rows(&rows, d->alpha, &est, &err);
    if (rc == 0)
        rc = we_twfe_wild_rows(&rows, &est, &o, r, &err);
    we_twfe_rows_free(&rows);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    return rc;
}

#ifdef HAVE_SUMS
static int wild_sums(const double *y, const we_design *d, size_t reps,
                     we_wild_result *r)
{
    we_wild_options o = {WE_WEIGHTS_RADEMACHER, reps, 1, 0.05, reps > 1};
    we_estimate est = {.struct_size = (uint32_t)sizeof est};
    we_error err = {""};
    we_twfe_area_sums w;
    int rc = we_twfe_area_sums_fit(y, d, &w, &est, &err);
    if (rc == 0)
        rc = we_twfe_wild_sums(&w, &est, &o, r, &err);
    we_twfe_area_sums_free(&w);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    return rc;
}
#endif

/* CPU of the CR1 fit, of the fit + setup (B = 1) and of fit + setup +
 * 9,999 draws with the interval. */
static void measure(const char *name, const double *y, const we_design *d,
                    int (*cr1)(const double *, const we_design *,
                               we_estimate *, we_error *),
                    wild_fn wild)
{
    double f[REPS], s[REPS], b[REPS];
    we_wild_result r = {0};
    for (int k = 0; k < REPS; k++) {
        we_estimate e = {.struct_size = (uint32_t)sizeof e};
        we_error err = {""};
        double t0 = cpu();
        if (cr1(y, d, &e, &err) != 0)
            fprintf(stderr, "%s\n", err.msg);
        double t1 = cpu();
        wild(y, d, 1, &r);
        double t2 = cpu();
        wild(y, d, 9999, &r);
        double t3 = cpu();
        f[k] = t1 - t0;
        s[k] = t2 - t1;
        b[k] = t3 - t2;
    }
    double mf = median3(f), ms = median3(s), mb = median3(b);
    printf("%-5s CR1 fit %.4f s | wild setup (fit + setup, B = 1) %.4f s | "
           "draws (B = 9,999 minus B = 1) %.4f s | whole (B = 9,999) %.4f s "
           "| p %.6f [%.9g, %.9g]\n",
           name, mf, ms, mb - ms, mb, r.p_value, r.ci_low, r.ci_high);
}

int main(void)
{
    gsl_set_error_handler_off();
    static double y[A * T];
    static long tf[A];
    static unsigned char in[A];
    static int cl[A];
    static size_t fu[12];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20081107);
    for (size_t i = 0; i < A; i++) {
        cl[i] = (int)(i * G / A);
        in[i] = 1;
        double u = gsl_rng_uniform(r);
        tf[i] = u < 0.026 ? 8 : u < 0.052 ? 11 : -1;
        double ai = 250.0 + 40.0 * gsl_ran_gaussian(r, 1.0);
        for (size_t t = 0; t < T; t++) {
            double v = ai + 3.0 * (double)t + gsl_ran_gaussian(r, 5.0) +
                       (tf[i] >= 0 && (long)t >= tf[i] ? 2.0 : 0.0);
            y[i * T + t] = gsl_rng_uniform(r) < 0.01 ? NAN : v;
        }
    }
    for (size_t k = 0; k < 12; k++)
        fu[k] = 8 + k;
    we_design d = {A, T, tf, in, cl, 7, fu, 12, 0.05};
#ifndef ONLY_SUMS
    measure("rows", y, &d, we_twfe, wild_rows);
#endif
#ifdef HAVE_SUMS
    measure("sums", y, &d, we_twfe_sums, wild_sums);
#endif
    gsl_rng_free(r);
    return 0;
}
