/* One SDID fit on a panel of the national size, on the Frank-Wolfe fast
 * path and on the reference (methods/sdid_fw.c): CPU of each and whether
 * the estimate, weights and placebo test are the same to the bit
 * (docs/performance.md). Arguments: areas (10121), treated (8), placebo
 * replications (0), seed (1), fits on each path (1; the least CPU of them
 * is printed, which the other engineers' load disturbs least). Build:
 *   cc -std=c11 -O2 -Icore/src -Icore/include bench/sdid_fw_bench.c \
 *      build/libwijkeval-core.a -lgsl -lgslcblas -lm -lpthread -o /tmp/sfb
 */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "methods/synth.h"
#include "util/reference.h"

static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    size_t A = argc > 1 ? strtoul(argv[1], NULL, 10) : 10121, T = 20;
    size_t n1 = argc > 2 ? strtoul(argv[2], NULL, 10) : 8;
    size_t reps = argc > 3 ? strtoul(argv[3], NULL, 10) : 0;
    unsigned long seed = argc > 4 ? strtoul(argv[4], NULL, 10) : 1;
    size_t fits = argc > 5 ? strtoul(argv[5], NULL, 10) : 1;
    double *y = malloc(A * T * sizeof *y);
    long *from = malloc(A * sizeof *from);
    unsigned char *in = malloc(A);
    int *cl = malloc(A * sizeof *cl);
    double *cs = malloc((A / 30 + 1) * T * sizeof *cs), pe[20];
    size_t fu[12];
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!y || !from || !in || !cl || !cs || !r)
        return 2;
    gsl_rng_set(r, seed);
    for (size_t t = 0; t < T; t++)
        pe[t] = gsl_ran_gaussian(r, 1.0) + 0.1 * (double)t;
    for (size_t k = 0; k < (A / 30 + 1) * T; k++)
        cs[k] = gsl_ran_gaussian(r, 0.5);
    for (size_t i = 0; i < A; i++) { /* clusters of 30, AR(1) noise */
        double a = gsl_ran_gaussian(r, 3.0), u = gsl_ran_gaussian(r, 1.0);
        cl[i] = (int)(i / 30);
        for (size_t t = 0; t < T; t++) {
            if (t > 0)
                u = 0.5 * u + gsl_ran_gaussian(r, 0.87);
            y[i * T + t] = 50 + a + pe[t] + cs[(size_t)cl[i] * T + t] + u;
        }
        from[i] = i < n1 ? 8 : -1;
        in[i] = 1;
    }
    for (size_t k = 0; k < 12; k++)
        fu[k] = 8 + k;
    we_design d = {A, T, from, in, cl, 7, fu, 12, 0.05};
    we_sdid_options o = {WE_SDID_VAR_NONE, reps, 7, reps > 0};
    we_sdid_result f, g;
    we_error err = {{0}};
    double tf = INFINITY, tr = INFINITY;
    for (size_t k = 0; k < fits + (fits == 0); k++) {
        double t0 = cpu();
        if (k > 0)
            we_sdid_result_free(&f);
        if (we_sdid(y, &d, &o, &f, &err) != WE_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        double t1 = cpu() - t0;
        tf = t1 < tf ? t1 : tf;
    }
    we_use_reference_paths(1);
    for (size_t k = 0; k < fits + (fits == 0); k++) {
        double t0 = cpu();
        if (k > 0)
            we_sdid_result_free(&g);
        if (we_sdid(y, &d, &o, &g, &err) != WE_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        double t1 = cpu() - t0;
        tr = t1 < tr ? t1 : tr;
    }
    int same = memcmp(&f.estimate, &g.estimate, sizeof f.estimate) == 0 &&
               memcmp(f.omega, g.omega, A * sizeof *f.omega) == 0 &&
               memcmp(f.lambda, g.lambda, T * sizeof *f.lambda) == 0 &&
               f.iter_omega == g.iter_omega &&
               memcmp(&f.perm_p, &g.perm_p, sizeof f.perm_p) == 0;
    printf("%zu areas, %zu treated, %zu placebos: tau %.17g, %zu + %zu "
           "steps; fast %.3f s CPU, reference %.3f s CPU (%.2fx); same "
           "to the bit: %s\n",
           A, n1, reps, f.estimate, f.iter_omega, f.iter_lambda, tf, tr,
           tr / tf, same ? "yes" : "NO");
    we_sdid_result_free(&f);
    we_sdid_result_free(&g);
    gsl_rng_free(r);
    free(y);
    free(from);
    free(in);
    free(cl);
    free(cs);
    return same ? 0 : 1;
}
