/* Size and coverage of the headline inference with few clusters (issue
 * 16; docs/validation.md, "Inference with few clusters"):
 *
 *   1. Callaway-Sant'Anna, two waves, 18 municipalities: the normal
 *      reference (as R's did) against t(G - 1), the reference the
 *      estimator uses;
 *   2. the demo's shape: 2-5 treated municipalities of 18, two waves
 *      (CS, t(G - 1)) and one wave (TWFE with the wild bootstrap);
 *   3. a single treated area among 16 donors (Basque-sized): SC's
 *      placebo rank and SDID's placebo permutation test.
 *
 *   4. the sc and sdid headlines' own pre-period check (the in-time
 *      placebo, methods/synth.h): its size with placebo assignments in
 *      the treated group's cluster shape (the host's) and, for sdid,
 *      with areas drawn one by one (clusters ignored), in the demo's
 *      shape and with a single treated area.
 *
 *   inference [--reps N] [--synth-reps M] [--seed S] [--markdown FILE]
 *             [--only STUDY]
 *
 * --synth-reps: panels for the studies of 4 (default N; each check is
 * 21 SDID or SC fits).
 *
 * Panels: y_it = a_i + 0.1 t + l_t + c_{m(i)t} + u_it (+ tau D_it), the
 * staggered_sim.h model; tau = 0 for size, tau = 0.3 for coverage.
 * Seeded and single-threaded: the same options give the same figures. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/estimator.h"
#include "methods/synth.h"
#include "staggered_sim.h"

typedef struct rate {
    size_t n_null, rej, n_eff, cover, fail, n_inf;
    size_t n_empty; /* of the failures: SC's empty confidence sets */
} rate;

static void add_null(rate *r, double p)
{
    if (isnan(p)) {
        r->fail++;
        return;
    }
    r->n_null++;
    r->rej += p <= 0.05;
}

static void add_cover(rate *r, double lo, double hi, double truth,
                      int empty)
{
    if (isnan(lo) || isnan(hi)) {
        r->fail++;
        r->n_empty += empty != 0;
        return;
    }
    r->n_eff++;
    r->cover += lo <= truth && truth <= hi;
    r->n_inf += isinf(lo) || isinf(hi);
}

/* The design of one study: n_areas areas over 10 periods, `treated_munis`
 * of 18 municipalities hold the treated areas (one per cohort and
 * municipality), waves at 5 (and 6). */
typedef struct study {
    const char *id, *title;
    size_t n_areas, cluster_size, treated_munis;
    int two_waves;
    int single; /* one treated area, each area its own cluster */
    size_t per_muni; /* > 0: that many treated areas in each treated
                        municipality, one wave (the synthetic designs'
                        pre-period check) */
} study;

static void layout(stag_panel *p, const study *s)
{
    for (size_t i = 0; i < p->s.n_areas; i++) {
        size_t m = i / s->cluster_size, k = i % s->cluster_size;
        p->from[i] = -1;
        if (s->single) {
            p->cluster[i] = (int)i;
            if (i == 0)
                p->from[i] = p->s.wave1;
            continue;
        }
        if (s->per_muni > 0) {
            if (m < s->treated_munis && k < s->per_muni)
                p->from[i] = p->s.wave1;
            continue;
        }
        if (m < s->treated_munis && k == 0)
            p->from[i] = p->s.wave1;
        if (m < s->treated_munis && k == 1 && s->two_waves)
            p->from[i] = p->s.wave2;
        if (s->treated_munis == 18 && k == 2)
            p->from[i] = p->s.wave1; /* more treated per municipality */
    }
}

static void draw(gsl_rng *r, stag_panel *p, double tau)
{
    p->s.tau0 = tau;
    stag_draw(r, p);
}

static const we_est_settings SETTINGS = {
    .seed = 1, .alpha = 0.05, .wild = WE_WILD_AUTO, .boot_reps = 399,
    .cs_boot_reps = 0, .sdid_reps = 20};

typedef struct row {
    const char *label;
    we_method m;
    int normal;  /* CS with the normal reference (did's) */
    int pretest; /* CS's own pre-period check: its p under parallel
                    trends (size only; no interval) */
    int synth_check; /* sc/sdid's own pre-period check (size only): 1 as
                        the host runs it, 2 with placebo assignments
                        that ignore the municipalities (every area its
                        own cluster: the check before issue 16's fix) */
    rate r;
} row;

/* The sc or sdid headline's own pre-period check (methods/synth.h) with
 * 20 placebo assignments (the host: designs.sdid_reps = 200; each is an
 * SDID fit, and 20 keep the study affordable). With J placebos the check
 * rejects (p < 0.05) when at most kmax of them reach the statistic: its
 * exact size under exchangeable assignments is (kmax + 1) / (J + 1),
 * 1/21 = 0.0476 at J = 20 (0.0498 at the host's 200). */
static double synth_check(const stag_panel *p, const row *w, uint64_t seed)
{
    we_design d = p->d;
    int *own = NULL;
    if (w->synth_check == 2) {
        own = malloc(d.n_areas * sizeof *own);
        if (own == NULL)
            return NAN;
        for (size_t i = 0; i < d.n_areas; i++)
            own[i] = (int)i;
        d.cluster = own;
    }
    we_synth_pretest_options o = {.reps = 20, .seed = seed};
    we_synth_pretest_result pt;
    we_error err = {{0}};
    double pv =
        we_synth_pretest(p->y, &d, w->m, &o, &pt, &err) == WE_OK ? pt.p : NAN;
    free(own);
    return pv;
}

static double run_one(const stag_panel *p, row *w, uint64_t seed,
                      double *lo, double *hi, int *empty)
{
    we_estimate e = {.struct_size = sizeof e};
    we_error err = {{0}};
    *lo = *hi = NAN;
    *empty = 0;
    if (w->synth_check)
        return synth_check(p, w, seed);
    if (w->m == WE_METHOD_CS && w->pretest) {
        /* the check the evidence rules read (analysis/enrich.c): the
         * joint test of the pre-period elements of the dynamic
         * aggregation, with the estimator's own options */
        we_cs_options o = {WE_CS_NEVER_TREATED, 0, WE_CS_RADEMACHER, seed,
                           WE_CS_REF_T};
        we_cs_result res;
        double pv = NAN;
        if (we_cs_estimate(p->y, &p->d, &o, &res, &err) == WE_OK)
            pv = res.pre_p;
        we_cs_result_free(&res);
        return pv;
    }
    if (w->m == WE_METHOD_CS && w->normal) {
        /* normal == 2: did's multiplier bootstrap standard error (499
         * Rademacher draws by municipality) with the normal reference */
        we_cs_options o = {WE_CS_NEVER_TREATED, w->normal == 2 ? 499 : 0,
                           WE_CS_RADEMACHER, seed, WE_CS_REF_NORMAL};
        we_cs_result res;
        double pv = NAN;
        if (we_cs_estimate(p->y, &p->d, &o, &res, &err) == WE_OK &&
            w->normal == 1) {
            *lo = res.simple.ci_low;
            *hi = res.simple.ci_high;
            pv = res.simple.p_value;
        } else if (w->normal == 2 && res.simple.boot_se > 0) {
            double b = res.simple.boot_se, z = 1.959963984540054;
            *lo = res.simple.estimate - z * b;
            *hi = res.simple.estimate + z * b;
            pv = erfc(fabs(res.simple.estimate / b) / sqrt(2.0));
        }
        we_cs_result_free(&res);
        return pv;
    }
    we_est_call call = {.d = &p->d, .y = p->y, .method = w->m,
                        .has_seed = 1, .seed = seed};
    we_design_detail detail;
    memset(&detail, 0, sizeof detail);
    int rc = we_estimate_run(&SETTINGS, &call, &e, &detail, &err);
    /* SC's test inversion rejecting every effect (synth.h, ci_empty) */
    *empty = rc == WE_OK && detail.has_sc && detail.sc.average.ci_empty;
    we_design_detail_free(&detail);
    if (rc != WE_OK)
        return NAN;
    *lo = e.ci_low;
    *hi = e.ci_high;
    return e.p_value;
}

static const char *ONLY; /* --only ID: that study alone */

static int run_study(const study *s, row *rows, size_t n_rows, size_t reps,
                     uint64_t seed, FILE *md)
{
    if (ONLY != NULL && strcmp(ONLY, s->id) != 0)
        return 0;
    stag_design d = {s->n_areas, 10, s->cluster_size, 5, 6, 0.0, 0.0,
                     1.0, 0.2, 0.5, 1.0};
    stag_panel p;
    if (stag_init(&p, &d) != 0)
        return -1;
    layout(&p, s);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, (unsigned long)(seed & 0xffffffffu));
    uint64_t sd = seed;
    for (size_t k = 0; k < reps; k++) {
        for (int eff = 0; eff < 2; eff++) {
            double tau = eff ? 0.3 : 0.0;
            draw(r, &p, tau);
            for (size_t j = 0; j < n_rows; j++) {
                double lo, hi;
                int empty;
                if (eff && (rows[j].pretest || rows[j].synth_check))
                    continue; /* a pre-period check has no interval */
                double pv = run_one(&p, &rows[j], ++sd, &lo, &hi, &empty);
                if (eff)
                    add_cover(&rows[j].r, lo, hi, tau, empty);
                else
                    add_null(&rows[j].r, pv);
            }
        }
        if ((k + 1) % 100 == 0)
            fprintf(stderr, "inference: %s: %zu of %zu\n", s->id, k + 1,
                    reps);
    }
    gsl_rng_free(r);
    stag_free(&p);
    fprintf(md, "\n### %s\n\n| inference | size (tau = 0) | coverage "
                "(tau = 0.3) | infinite intervals | failures |\n|---|---|"
                "---|---|---|\n", s->title);
    for (size_t j = 0; j < n_rows; j++) {
        const rate *q = &rows[j].r;
        if (q->n_eff == 0) /* a pre-period check: no interval */
            fprintf(md, "| %s | %.4f | — | — | %zu |\n", rows[j].label,
                    q->n_null ? (double)q->rej / (double)q->n_null : NAN,
                    q->fail);
        else
            fprintf(md, "| %s | %.4f | %.4f | %.3f | %zu |\n",
                    rows[j].label,
                    q->n_null ? (double)q->rej / (double)q->n_null : NAN,
                    (double)q->cover / (double)q->n_eff,
                    (double)q->n_inf / (double)q->n_eff, q->fail);
        printf("%s,%s,%zu,%.6f,%.6f,%zu\n", s->id, rows[j].label, reps,
               q->n_null ? (double)q->rej / (double)q->n_null : NAN,
               q->n_eff ? (double)q->cover / (double)q->n_eff : NAN,
               q->fail);
    }
    return 0;
}

static double share(size_t a, size_t b)
{
    return b > 0 ? (double)a / (double)b : NAN;
}

/* The reading of the synth_headline_3x2 table, from its rates: sdid and
 * sc are its two rows. */
static void headline_reading(FILE *md, const rate *sdid, const rate *sc,
                             size_t reps)
{
    size_t n_eff = sc->n_eff + sc->fail; /* panels with an effect */
    fprintf(md,
            "\nReading. The headline tests of the synthetic designs draw "
            "their placebo groups in the treated group's municipality shape "
            "(methods/synth_placebo.c, one rule with the pre-period check "
            "below): the treated wijken come in pairs that share their "
            "municipality's shocks, and so do the wijken of each placebo "
            "group; SC ranks the treated average among placebo groups of "
            "donors, not among single donors. SDID's permutation test "
            "rejects %.3f of the %zu null panels and its interval covers "
            "the effect in %.3f of the panels with one; SC's placebo rank "
            "rejects %.3f. SC's test inversion gave no interval in %zu of "
            "the %zu panels with an effect (\"failures\"; the p-value is "
            "there), %zu of them an empty confidence set",
            share(sdid->rej, sdid->n_null), reps,
            share(sdid->cover, sdid->n_eff), share(sc->rej, sc->n_null),
            sc->fail, n_eff, sc->n_empty);
    if (sc->n_empty == 0) {
        fputs(".\n", md);
        return;
    }
    fprintf(md,
            ": the post-period gaps vary so much around their mean that "
            "even tau0 = the estimate gives a post/pre RMSPE ratio above "
            "the critical placebo ratio (`room < 0` in `placebo_interval`, "
            "methods/synth.c), so every constant effect is rejected. The "
            "report then says so, and that no single effect size fits the "
            "follow-up periods (the interval note; en and nl). SC's "
            "coverage above, %.3f, is over the panels with an interval; "
            "counting an empty set as a miss it is %.3f.\n",
            share(sc->cover, sc->n_eff), share(sc->cover, n_eff));
}

int main(int argc, char **argv)
{
    size_t reps = 2000, synth_reps = 0;
    uint64_t seed = 20081107;
    const char *md_path = NULL, *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--reps") == 0)
            reps = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--synth-reps") == 0)
            synth_reps = strtoul(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--markdown") == 0)
            md_path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--only") == 0)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: inference [--reps N] [--synth-reps M] "
                            "[--seed S] [--markdown FILE] [--only STUDY]\n");
            return 2;
        }
    }
    if (synth_reps == 0)
        synth_reps = reps;
    if (reps < 10 || synth_reps < 10) {
        fprintf(stderr, "inference: %s must be at least 10\n",
                reps < 10 ? "--reps" : "--synth-reps");
        return 2;
    }
    gsl_set_error_handler_off();
    ONLY = only;
    FILE *md = md_path ? fopen(md_path, "a") : fopen("/dev/null", "w");
    if (md == NULL) {
        fprintf(stderr, "inference: %s: cannot write; give a writable path "
                        "to --markdown\n", md_path);
        return 1;
    }
    fprintf(md, "\n## Inference with few clusters (issue 16)\n\n"
                "Written by `tests/validate/inference.c` (`make validate`): "
                "%zu panels per design, seed %llu; y_it = a_i + 0.1 t + l_t "
                "+ c_mt + u_it, sd 1, 0.2, 0.5, 1 (tests/validate/"
                "staggered_sim.h); 10 periods, treatment from period 5 (and "
                "6 for the second wave). A correct 5%% test rejects in "
                "0.05 +- %.3f (3 Monte Carlo standard errors) of the null "
                "panels; a correct 95%% interval covers in 0.95 +- %.3f.\n",
            reps, (unsigned long long)seed,
            3 * sqrt(0.05 * 0.95 / (double)reps),
            3 * sqrt(0.05 * 0.95 / (double)reps));
    printf("study,inference,reps,size,coverage,failures\n");
    study cs18 = {"cs_g18",
                  "Callaway-Sant'Anna, two waves, 18 "
                  "municipalities of 10 wijken (3 treated per municipality)",
                  180,
                  10,
                  18,
                  1,
                  0,
                  0};
    row r1[] = {{"CS, analytic se, normal reference (did)",
                 WE_METHOD_CS,
                 1,
                 0,
                 0,
                 {0}},
                {"CS, multiplier bootstrap se, normal reference (did's "
                 "bstrap)",
                 WE_METHOD_CS,
                 2,
                 0,
                 0,
                 {0}},
                {"CS, analytic se x sqrt(G/(G-1)), t(G-1) (the "
                 "estimator's)",
                 WE_METHOD_CS,
                 0,
                 0,
                 0,
                 {0}},
                {"CS's own pre-period check (joint F test of the "
                 "pre-period ATT(g,t); parallel trends, so its size)",
                 WE_METHOD_CS,
                 0,
                 1,
                 0,
                 {0}}};
    study demo2 = {"demo_two_waves",
                   "The demo's shape: 3 of 18 "
                   "municipalities treated, two waves (2 treated wijken "
                   "each)",
                   180,
                   10,
                   3,
                   1,
                   0,
                   0};
    row r2[] = {
        {"CS, t(G-1)", WE_METHOD_CS, 0, 0, 0, {0}},
        {"CS's own pre-period check (size)", WE_METHOD_CS, 0, 1, 0, {0}},
        {"TWFE, wild bootstrap", WE_METHOD_TWFE, 0, 0, 0, {0}}};
    study demo1 = {"demo_one_wave",
                   "The demo's shape: 5 of 18 "
                   "municipalities treated, one wave",
                   180,
                   10,
                   5,
                   0,
                   0,
                   0};
    row r3[] = {{"TWFE, wild bootstrap", WE_METHOD_TWFE, 0, 0, 0, {0}},
                {"CS, t(G-1)", WE_METHOD_CS, 0, 0, 0, {0}}};
    study demo3 = {"demo_few_areas",
                   "The demo's auto rule for few treated "
                   "areas: 3 treated wijken in 3 of 18 municipalities, one "
                   "wave (auto picks SDID below 5 treated areas)",
                   180,
                   10,
                   3,
                   0,
                   0,
                   0};
    row r5[] = {{"SDID, placebo permutation (20 random assignments)",
                 WE_METHOD_SDID,
                 0,
                 0,
                 0,
                 {0}},
                {"TWFE, wild bootstrap", WE_METHOD_TWFE, 0, 0, 0, {0}}};
    study single = {"single",
                    "A single treated area among 16 donors (each "
                    "its own cluster)",
                    17,
                    1,
                    1,
                    0,
                    1,
                    0};
    row r4[] = {
        {"SC, placebo rank (1/17 at best)", WE_METHOD_SC, 0, 0, 0, {0}},
        {"SDID, placebo permutation (1/17 at best)",
         WE_METHOD_SDID,
         0,
         0,
         0,
         {0}},
        {"CS, t(G-1) (descriptive here)", WE_METHOD_CS, 0, 0, 0, {0}}};
    /* The synthetic designs' own pre-period check (the in-time placebo):
     * its size with the host's cluster-matched placebo assignments and
     * with assignments that ignore the municipalities. */
    study sy3 = {"synth_check_3x2",
                 "The synthetic designs' pre-period "
                 "check, the demo's shape: 6 treated wijken, 2 in each of "
                 "3 of 18 municipalities of 6, one wave",
                 108,
                 6,
                 3,
                 0,
                 0,
                 2};
    study sy5 = {"synth_check_5x2",
                 "The synthetic designs' pre-period "
                 "check: 10 treated wijken, 2 in each of 5 of 18 "
                 "municipalities of 6, one wave",
                 108,
                 6,
                 5,
                 0,
                 0,
                 2};
    row r6[] = {{"SDID's check, placebo assignments in the treated "
                 "group's cluster shape (the host's)",
                 WE_METHOD_SDID,
                 0,
                 0,
                 1,
                 {0}},
                {"SDID's check, placebo areas drawn one by one (clusters "
                 "ignored)",
                 WE_METHOD_SDID,
                 0,
                 0,
                 2,
                 {0}},
                {"SC's check, placebo assignments in the treated group's "
                 "cluster shape (the host's)",
                 WE_METHOD_SC,
                 0,
                 0,
                 1,
                 {0}}};
    row r7[] = {{r6[0].label, WE_METHOD_SDID, 0, 0, 1, {0}},
                {r6[2].label, WE_METHOD_SC, 0, 0, 1, {0}}};
    study sy1 = {"synth_check_single",
                 "The synthetic designs' pre-period "
                 "check with a single treated wijk among 21 in 7 "
                 "municipalities of 3 (every donor once: exact)",
                 21,
                 3,
                 1,
                 0,
                 0,
                 1};
    row r8[] = {{"SDID's check (20 placebos)", WE_METHOD_SDID, 0, 0, 1, {0}},
                {"SC's check (20 placebos)", WE_METHOD_SC, 0, 0, 1, {0}}};
    /* The synthetic designs' headline inference where the treated
     * wijken share municipalities: SDID's permutation test and SC's
     * placebo rank draw their placebo groups in the treated group's
     * cluster shape (methods/synth_placebo.c). */
    study sh3 = {"synth_headline_3x2",
                 "SC and SDID headlines, the demo's shape: 6 treated "
                 "wijken, 2 in each of 3 of 18 municipalities of 6, one "
                 "wave",
                 108,
                 6,
                 3,
                 0,
                 0,
                 2};
    row r9[] = {{"SDID, placebo permutation (20 random assignments)",
                 WE_METHOD_SDID, 0, 0, 0, {0}},
                {"SC, placebo rank (20 random placebo groups of donors)",
                 WE_METHOD_SC, 0, 0, 0, {0}}};
    int synth_only = ONLY != NULL && strncmp(ONLY, "synth_check", 11) == 0;
    int rc = !synth_only && (run_study(&cs18, r1, 4, reps, seed, md) ||
                             run_study(&demo2, r2, 3, reps, seed + 1, md) ||
                             run_study(&demo1, r3, 2, reps, seed + 2, md) ||
                             run_study(&demo3, r5, 2, reps, seed + 4, md) ||
                             run_study(&single, r4, 3, reps, seed + 3, md) ||
                             run_study(&sh3, r9, 2, reps, seed + 8, md));
    if (rc == 0 && (ONLY == NULL || strcmp(ONLY, sh3.id) == 0))
        headline_reading(md, &r9[0].r, &r9[1].r, reps);
    if (rc == 0 && (ONLY == NULL || synth_only))
        fprintf(md,
                "\nThe synthetic designs' own pre-period check (the "
                "in-time placebo, docs/methods.md), in the tables whose "
                "title names it: %zu panels per design, 20 placebo "
                "assignments per check, so its exact size under "
                "exchangeable assignments is 1/21 = 0.0476 (+- %.3f, 3 "
                "Monte Carlo standard errors); municipalities of 6 "
                "wijken (3 in the single-area design).\n",
                synth_reps, 3 * sqrt(0.0476 * 0.9524 / (double)synth_reps));
    rc = rc || run_study(&sy3, r6, 3, synth_reps, seed + 5, md) ||
         run_study(&sy5, r7, 2, synth_reps, seed + 6, md) ||
         run_study(&sy1, r8, 2, synth_reps, seed + 7, md);
    if (ONLY == NULL)
        fputs("\nReading. The first table chose CS's inference: of the "
              "three, only t(G-1) with CR1's G/(G-1) keeps both size and "
              "coverage inside 0.04-0.06 and 0.94-0.96 at 18 clusters "
              "(docs/methods.md, \"Analytic inference\"). The next two "
              "are the demo's shape (2-5 treated municipalities per "
              "experiment): cluster-robust t inference over-rejects when "
              "few clusters are treated, which is why such rows "
              "(did_2x2, twfe with CR1, cs) are flagged descriptive below "
              "6 treated clusters and feed no evidence level, while the "
              "wild bootstrap stays at or below its level. With a single "
              "treated area among 16 donors the placebo tests of SC and "
              "SDID cannot reach p <= 0.05 (1/17 at best): they never "
              "reject and their 95% intervals are unbounded, which the "
              "report says; CS's clustered t there rejects most null "
              "panels and is descriptive. CS's own pre-period check (the "
              "joint test of its pre-period ATT(g,t), which the evidence "
              "rules read) uses Hotelling's F(q, G - q): at 18 clusters "
              "with q = 5 pre-period elements the plain F(q, G - 1) "
              "rejected 0.12 of null panels (seed 20081107, 400 panels). "
              "With 3 treated municipalities it rejects nearly every "
              "null panel, like the estimate's own t test, so there the "
              "evidence rules read the TWFE event study's bootstrapped "
              "leads instead. The synthetic designs' own pre-period check "
              "(the last three tables) draws its placebo assignments in "
              "the treated group's cluster shape (docs/methods.md): the "
              "treated wijken of one municipality share its shocks, and so "
              "do the wijken of a placebo group; drawn one by one, as "
              "synthdid's placebo variance draws them, the placebo groups "
              "vary less than the treated group and the check rejects "
              "more often than its level.\n",
              md);
    fclose(md);
    return rc ? 1 : 0;
}
