/* The areas of the demo: the real krachtwijken, simulated preventie wijken
 * (second wave) and simulated comparison wijken, numbered CBS-style per
 * municipality (WK + municipality number + wijk number). */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate/simulate_internal.h"

enum { RNG_STREAM_AREAS = 1, MAX_WIJK_NUMBER = 99 };

typedef struct pop_model {
    double median, sigma, lo, hi;
} pop_model;

/* Krachtwijken are large post-war districts; the others vary more. */
static const pop_model POPULATION[] = {
    [WE_SIM_KRACHT] = {17000, 0.35, 6000, 40000},
    [WE_SIM_PREVENTIE] = {12000, 0.40, 3000, 40000},
    [WE_SIM_COMPARISON] = {10000, 0.50, 3000, 40000},
};

/* Share of the way from the krachtwijk mean to the national mean:
 * preventie wijken are at risk, comparison wijken deprived-but-less. */
static const double DEPRIVATION[][2] = {
    [WE_SIM_KRACHT] = {0.0, 0.0},
    [WE_SIM_PREVENTIE] = {0.05, 0.30},
    [WE_SIM_COMPARISON] = {0.20, 0.80},
};

static int cmp_muni(const void *a, const void *b)
{
    return strcmp(((const we_sim_muni *)a)->code,
                  ((const we_sim_muni *)b)->code);
}

/* The big four-to-five cities get more wijken of every kind. */
static void size_treated_munis(we_sim *s)
{
    for (size_t m = 0; m < s->n_muni; m++) {
        we_sim_muni *x = &s->muni[m];
        if (x->n_kracht == 0)
            continue;
        x->n_preventie = x->n_kracht >= 5 ? 2 : 1;
        x->n_comparison = x->n_kracht >= 4 ? 8 : 4;
    }
}

static double draw_population(gsl_rng *r, we_sim_group g)
{
    const pop_model *p = &POPULATION[g];
    double v = p->median * exp(gsl_ran_gaussian(r, p->sigma));
    v = fmin(p->hi, fmax(p->lo, v));
    return round(v / 10.0) * 10.0;
}

static int add_area(we_sim *s, size_t m, we_sim_group g, int number,
                    const char *name, gsl_rng *r, we_error *err)
{
    if (number > MAX_WIJK_NUMBER)
        return we_fail(err, WE_EINVAL,
                       "simulate: municipality %s would get more than "
                       "%d wijken; list fewer krachtwijken there",
                       s->muni[m].code, MAX_WIJK_NUMBER);
    we_sim_area *a = &s->area[s->n_area++];
    memset(a, 0, sizeof *a);
    snprintf(a->code, sizeof a->code, "WK%s%02d", s->muni[m].code + 2,
             number);
    a->name = we_strdup(name);
    if (a->name == NULL)
        return we_fail(err, WE_ENOMEM, "simulate: out of memory");
    a->muni = m;
    a->group = g;
    a->from = g == WE_SIM_KRACHT      ? WE_SIM_FROM_KRACHT
              : g == WE_SIM_PREVENTIE ? WE_SIM_FROM_PREVENTIE
                                      : 0;
    a->population = draw_population(r, g);
    a->deprivation = gsl_ran_flat(r, DEPRIVATION[g][0], DEPRIVATION[g][1]);
    return 0;
}

static int add_simulated(we_sim *s, size_t m, we_sim_group g, int count,
                         int *number, gsl_rng *r, we_error *err)
{
    const char *kind = g == WE_SIM_PREVENTIE ? "preventiewijk"
                                             : "vergelijkingswijk";
    char name[256];
    for (int i = 1; i <= count; i++) {
        snprintf(name, sizeof name, "%s %s %d (gesimuleerd)",
                 s->muni[m].name, kind, i);
        if (add_area(s, m, g, ++*number, name, r, err) < 0)
            return -1;
    }
    return 0;
}

static int add_muni_areas(we_sim *s, size_t m, gsl_rng *r, we_error *err)
{
    int number = 0;
    for (size_t k = 0; k < s->n_kracht; k++) {
        if (strcmp(s->kracht[k].muni, s->muni[m].code) != 0)
            continue;
        if (add_area(s, m, WE_SIM_KRACHT, ++number, s->kracht[k].wijk, r,
                     err) < 0)
            return -1;
    }
    if (add_simulated(s, m, WE_SIM_PREVENTIE, s->muni[m].n_preventie,
                      &number, r, err) < 0)
        return -1;
    return add_simulated(s, m, WE_SIM_COMPARISON, s->muni[m].n_comparison,
                         &number, r, err);
}

int we_sim_build_areas(we_sim *s, we_error *err)
{
    qsort(s->muni, s->n_muni, sizeof *s->muni, cmp_muni);
    size_treated_munis(s);
    size_t total = 0;
    for (size_t m = 0; m < s->n_muni; m++)
        total += (size_t)(s->muni[m].n_kracht + s->muni[m].n_preventie +
                          s->muni[m].n_comparison);
    s->area = we_calloc(total, sizeof *s->area);
    gsl_rng *r = we_sim_rng(s->seed, RNG_STREAM_AREAS);
    int rc = s->area == NULL || r == NULL
                 ? we_fail(err, WE_ENOMEM, "simulate: out of memory")
                 : 0;
    for (size_t m = 0; rc == 0 && m < s->n_muni; m++)
        rc = add_muni_areas(s, m, r, err);
    if (r != NULL)
        gsl_rng_free(r);
    return rc;
}
