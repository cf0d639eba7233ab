/* The CS MDE's fast path against the full estimator on a panel of the
 * national size (13,000 areas, 13 periods, two waves, 1% missing): CPU
 * per simulated panel and whether the simple ATT is the same to the bit
 * (docs/performance.md). Build and run:
 *   cc -std=c11 -O2 -Icore/src -Icore/include bench/cs_plan_bench.c \
 *      build/libwijkeval-core.a -lgsl -lgslcblas -lm -lpthread -o /tmp/csb
 */
#define _POSIX_C_SOURCE 200809L
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../tests/validate/staggered_sim.h"
#include "methods/cs.h"
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}
int main(void)
{
    const stag_design sd = {13000, 13,  42,  8,   11, 1.0,
                            0.5,   1.0, 0.2, 0.5, 1.0};
    stag_panel p;
    if (stag_init(&p, &sd))
        return 1;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 1);
    for (size_t k = 0; k < 13000 * 13; k++)
        p.y[k] = gsl_rng_uniform(r) < 0.01 ? NAN : gsl_rng_uniform(r);
    we_cs_plan *plan;
    we_error err = {""};
    if (we_cs_plan_build(p.y, &p.d, WE_CS_NEVER_TREATED, &plan, &err)) {
        puts(err.msg);
        return 1;
    }
    int R = 20;
    double full = 0, fast = 0;
    int same = 1;
    for (int rep = 0; rep < R; rep++) {
        for (size_t k = 0; k < 13000 * 13; k++)
            if (isfinite(p.y[k]))
                p.y[k] = gsl_rng_uniform(r);
        double t0 = cpu();
        we_cs_options o = {.control = WE_CS_NEVER_TREATED};
        we_cs_result res;
        we_cs_estimate(p.y, &p.d, &o, &res, &err);
        double a = res.simple.estimate;
        we_cs_result_free(&res);
        double t1 = cpu();
        double b = we_cs_plan_simple(plan, p.y);
        double t2 = cpu();
        full += t1 - t0;
        fast += t2 - t1;
        same &= a == b;
    }
    printf(
        "per panel: full CS %.4f s, plan %.5f s, ratio %.0fx, bit-equal %d\n",
        full / R, fast / R, full / fast, same);
    return 0;
}
