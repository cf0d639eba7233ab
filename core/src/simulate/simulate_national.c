/* The national-scale panel: every buurt of a simulated country (about
 * 13,000 in about 350 municipalities), 20 years, 40 indicators. It is the
 * workload of `make bench` (docs/performance.md), so it is generated, not
 * committed, and the same seed gives the same bytes.
 *
 * The value model is the demo's (simulate_values.c) at buurt level: a
 * level set by the buurt's deprivation, a national trend, an AR(1) shock
 * per municipality, noise, and the demo's injected effects in the treated
 * buurten. Treated are the buurten of the 40 krachtwijken from 2008 and
 * those of 40 further wijken (the second wave) from 2011. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate/simulate.h"
#include "simulate/simulate_internal.h"

enum {
    RNG_STREAM_SIZES = 11,
    RNG_STREAM_WAVE2 = 12,
    RNG_STREAM_AREAS = 13,
    RNG_STREAM_VALUES = 14,
    RNG_STREAM_MISSING = 15,
    MAX_MUNI_BUURTEN = 891,    /* 99 wijken of 9 buurten: two-digit codes */
    BUURTEN_PER_WIJK = 9,
    MIN_MUNI_BUURTEN = 4,
};

static const double NOISE_SD = WE_SIM_NOISE_SD;
static const double SHOCK_SD = WE_SIM_SHOCK_SD;
static const double SHOCK_RHO = WE_SIM_SHOCK_RHO;
static const double TREND_SLOPE_SD = 0.20;
static const double MISSING_RATE = 0.01;

typedef struct nat_wijk {
    size_t muni;
    int number;            /* 1..99 within the municipality */
    size_t first, n;       /* its buurten */
    int from;              /* 0: untreated */
    const char *wave;
    const char *kracht;    /* the krachtwijk's name, or NULL */
} nat_wijk;

typedef struct nat {
    const we_national_options *o;
    we_sim s;              /* catalogue (the chosen indicators), munis */
    size_t *muni_size;     /* buurten per municipality */
    nat_wijk *wijk;
    size_t n_wijk;
    char (*code)[12];      /* per buurt: BU + 4 + 2 + 2 digits */
    size_t *buurt_muni;
    size_t *buurt_wijk;
    double *deprivation, *population;
    float *value;          /* [area][period][indicator] */
    unsigned char *cell;   /* WE_SIM_CELL_*, same layout */
} nat;

static int oom(we_error *err)
{
    return we_fail(err, WE_ENOMEM, "simulate: out of memory");
}

/* ---- indicators: every experiment's target, then catalogue order -------- */

static int is_target(const char *name)
{
    size_t n;
    const we_sim_target *t = we_sim_targets(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].indicator, name) == 0)
            return 1;
    return 0;
}

static void free_indicator(we_sim_indicator *x)
{
    free(x->name); free(x->label_nl); free(x->label_en);
    free(x->unit_name); free(x->direction); free(x->theme);
    free(x->source);
}

/* Keeps the targets and the first other indicators up to n, in catalogue
 * order. */
static int choose_indicators(we_sim *s, size_t n, we_error *err)
{
    size_t n_targets = 0;
    for (size_t k = 0; k < s->n_ind; k++)
        n_targets += (size_t)is_target(s->ind[k].name);
    if (n < n_targets || n > s->n_ind)
        return we_fail(err, WE_EINVAL,
                       "simulate: --indicators must be between %zu "
                       "(the experiments' targets) and %zu (the "
                       "catalogue)",
                       n_targets, s->n_ind);
    size_t kept = 0, others = n - n_targets;
    for (size_t k = 0; k < s->n_ind; k++) {
        int keep = is_target(s->ind[k].name) || others > 0;
        if (keep && !is_target(s->ind[k].name))
            others--;
        if (keep)
            s->ind[kept++] = s->ind[k];
        else
            free_indicator(&s->ind[k]);
    }
    s->n_ind = kept;
    return 0;
}

/* ---- municipalities and their sizes --------------------------------------- */

/* Codes GM0001, GM0002, ... that no krachtwijk municipality has. */
static int add_munis(we_sim *s, size_t n, we_error *err)
{
    if (n < s->n_muni)
        return we_fail(err, WE_EINVAL,
                       "simulate: --municipalities must be at least "
                       "%zu (those with a krachtwijk)",
                       s->n_muni);
    if (n > 9999)
        return we_fail(err, WE_EINVAL,
                       "simulate: at most 9999 municipalities");
    we_sim_muni *m = realloc(s->muni, n * sizeof *m);
    if (m == NULL)
        return oom(err);
    s->muni = m;
    char code[8];
    for (unsigned next = 1; s->n_muni < n; next++) {
        snprintf(code, sizeof code, "GM%04u", next);
        if (we_sim_find_muni(s, code) >= 0)
            continue;
        we_sim_muni *x = &s->muni[s->n_muni];
        memset(x, 0, sizeof *x);
        memcpy(x->code, code, sizeof x->code);
        char name[64];
        snprintf(name, sizeof name, "Gemeente %u (gesimuleerd)", next);
        if ((x->name = we_strdup(name)) == NULL)
            return oom(err);
        s->n_muni++;
    }
    return 0;
}

/* The fewest buurten a municipality may have: its krachtwijken need a
 * wijk each, with room for an untreated one. */
static size_t min_size(const we_sim_muni *m)
{
    size_t k = ((size_t)m->n_kracht + 1) * BUURTEN_PER_WIJK;
    return m->n_kracht && k > MIN_MUNI_BUURTEN ? k : MIN_MUNI_BUURTEN;
}

/* Lognormal weights, the krachtwijk municipalities (the large cities) five
 * times heavier; sizes by largest remainder within [min_size, MAX]. */
static int muni_sizes(nat *g, we_error *err)
{
    we_sim *s = &g->s;
    size_t n = s->n_muni, total = g->o->n_areas, least = 0;
    for (size_t m = 0; m < n; m++)
        least += min_size(&s->muni[m]);
    if (total < least || total > n * MAX_MUNI_BUURTEN)
        return we_fail(err, WE_EINVAL,
                       "simulate: %zu buurten do not fit %zu "
                       "municipalities (%zu to %zu in all); change --areas "
                       "or --municipalities",
                       total, n, least, n * (size_t)MAX_MUNI_BUURTEN);
    double *w = malloc(n * sizeof *w), sum = 0;
    g->muni_size = calloc(n, sizeof *g->muni_size);
    gsl_rng *r = we_sim_rng(s->seed, RNG_STREAM_SIZES);
    if (w == NULL || g->muni_size == NULL || r == NULL) {
        free(w);
        if (r)
            gsl_rng_free(r);
        return oom(err);
    }
    for (size_t m = 0; m < n; m++) {
        w[m] = exp(gsl_ran_gaussian(r, 0.8)) * (s->muni[m].n_kracht ? 5 : 1);
        sum += w[m];
    }
    size_t used = 0;
    for (size_t m = 0; m < n; m++) {
        size_t k = (size_t)(w[m] / sum * (double)total), lo = min_size(&s->muni[m]);
        k = k < lo ? lo : k > MAX_MUNI_BUURTEN ? MAX_MUNI_BUURTEN : k;
        g->muni_size[m] = k;
        used += k;
    }
    /* Hand out or take back the difference round-robin; the bounds check
     * above guarantees an end. */
    for (size_t m = 0; used != total; m = (m + 1) % n) {
        if (used < total && g->muni_size[m] < MAX_MUNI_BUURTEN) {
            g->muni_size[m]++;
            used++;
        } else if (used > total && g->muni_size[m] > min_size(&s->muni[m])) {
            g->muni_size[m]--;
            used--;
        }
    }
    free(w);
    gsl_rng_free(r);
    return 0;
}

/* ---- wijken and buurten --------------------------------------------------- */

static int make_wijken(nat *g, we_error *err)
{
    we_sim *s = &g->s;
    size_t cap = 0;
    for (size_t m = 0; m < s->n_muni; m++)
        cap += (g->muni_size[m] + BUURTEN_PER_WIJK - 1) / BUURTEN_PER_WIJK;
    g->wijk = calloc(cap, sizeof *g->wijk);
    if (g->wijk == NULL)
        return oom(err);
    size_t first = 0;
    for (size_t m = 0; m < s->n_muni; m++) {
        size_t nb = g->muni_size[m];
        size_t nw = (nb + BUURTEN_PER_WIJK - 1) / BUURTEN_PER_WIJK;
        for (size_t j = 0; j < nw; j++) {
            nat_wijk *w = &g->wijk[g->n_wijk++];
            w->muni = m;
            w->number = (int)j + 1;
            w->n = nb / nw + (j < nb % nw);
            w->first = first;
            first += w->n;
        }
    }
    return 0;
}

/* The krachtwijken: the first wijken of their municipality, in list
 * order. */
static int treat_kracht(nat *g, we_error *err)
{
    we_sim *s = &g->s;
    size_t *used = calloc(s->n_muni, sizeof *used);
    if (used == NULL)
        return oom(err);
    for (size_t k = 0; k < s->n_kracht; k++) {
        size_t m = (size_t)we_sim_find_muni(s, s->kracht[k].muni), j;
        for (j = 0; j < g->n_wijk; j++)
            if (g->wijk[j].muni == m && g->wijk[j].number == (int)used[m] + 1)
                break;
        if (j == g->n_wijk) {
            free(used);
            return we_fail(err, WE_EINVAL,
                           "simulate: municipality %s has too few "
                           "buurten for its krachtwijken; give more "
                           "--areas",
                           s->muni[m].code);
        }
        used[m]++;
        g->wijk[j].from = WE_SIM_FROM_KRACHT;
        g->wijk[j].wave = "aandachtswijken";
        g->wijk[j].kracht = s->kracht[k].wijk;
    }
    free(used);
    return 0;
}

/* The second wave: as many untreated wijken, drawn at random. */
static int treat_wave2(nat *g, we_error *err)
{
    gsl_rng *r = we_sim_rng(g->s.seed, RNG_STREAM_WAVE2);
    if (r == NULL)
        return oom(err);
    size_t want = g->s.n_kracht, got = 0, tries = 0;
    while (got < want && tries++ < 100 * g->n_wijk) {
        nat_wijk *w = &g->wijk[gsl_rng_uniform_int(r, g->n_wijk)];
        if (w->from != 0)
            continue;
        w->from = WE_NATIONAL_FROM_WAVE2;
        w->wave = "tweede_golf";
        got++;
    }
    gsl_rng_free(r);
    if (got < want)
        return we_fail(err, WE_EINVAL,
                       "simulate: too few wijken for a second wave");
    return 0;
}

static int make_buurten(nat *g, we_error *err)
{
    size_t n = g->o->n_areas;
    g->code = malloc(n * sizeof *g->code);
    g->buurt_muni = malloc(n * sizeof *g->buurt_muni);
    g->buurt_wijk = malloc(n * sizeof *g->buurt_wijk);
    g->deprivation = malloc(n * sizeof *g->deprivation);
    g->population = malloc(n * sizeof *g->population);
    gsl_rng *r = we_sim_rng(g->s.seed, RNG_STREAM_AREAS);
    int ok = g->code && g->buurt_muni && g->buurt_wijk && g->deprivation &&
             g->population && r;
    for (size_t j = 0; ok && j < g->n_wijk; j++) {
        const nat_wijk *w = &g->wijk[j];
        const char *gm = g->s.muni[w->muni].code + 2;
        for (size_t b = 0; b < w->n; b++) {
            size_t a = w->first + b;
            snprintf(g->code[a], sizeof g->code[a], "BU%.4s%02u%02u", gm,
                     (unsigned)w->number % 100u, (unsigned)(b + 1) % 100u);
            g->buurt_muni[a] = w->muni;
            g->buurt_wijk[a] = j;
            /* 0 = krachtwijk level, 1 = the national mean. */
            g->deprivation[a] = w->kracht ? gsl_ran_flat(r, 0.0, 0.4)
                                : w->from ? gsl_ran_flat(r, 0.2, 0.7)
                                          : gsl_ran_flat(r, 0.4, 1.6);
            g->population[a] = round(exp(gsl_ran_gaussian(r, 0.5)) *
                                     (w->from ? 2200 : 1100));
        }
    }
    if (r)
        gsl_rng_free(r);
    return ok ? 0 : oom(err);
}

/* ---- values ------------------------------------------------------------- */

static size_t cell_at(const nat *g, size_t a, size_t t, size_t k)
{
    return (a * (size_t)g->o->n_periods + t) * g->s.n_ind + k;
}

static void indicator_values(nat *g, size_t k, gsl_rng *r, double *trend,
                             double *shock)
{
    const we_sim_indicator *ind = &g->s.ind[k];
    size_t np = (size_t)g->o->n_periods;
    double slope = gsl_ran_gaussian(r, TREND_SLOPE_SD * ind->sd);
    for (size_t t = 0; t < np; t++)
        trend[t] = slope * ((double)t - (double)(np - 1) / 2) /
                   ((double)(np - 1) / 2);
    double innov = SHOCK_SD * ind->sd;
    for (size_t m = 0; m < g->s.n_muni; m++) {
        double *sh = shock + m * np;
        sh[0] = gsl_ran_gaussian(r, innov / sqrt(1 - SHOCK_RHO * SHOCK_RHO));
        for (size_t t = 1; t < np; t++)
            sh[t] = SHOCK_RHO * sh[t - 1] + gsl_ran_gaussian(r, innov);
    }
    for (size_t a = 0; a < g->o->n_areas; a++) {
        const double *sh = shock + g->buurt_muni[a] * np;
        int from = g->wijk[g->buurt_wijk[a]].from;
        we_sim_level l = we_sim_draw_level(r, ind, g->deprivation[a]);
        for (size_t t = 0; t < np; t++) {
            int period = g->o->first_period + (int)t;
            double noise = gsl_ran_gaussian_ziggurat(r, NOISE_SD * ind->sd);
            double v = l.mu + l.scale * (trend[t] + sh[t] + noise) +
                       we_sim_treatment_part(ind, from, g->o->first_period,
                                             period);
            if (we_sim_is_process(ind) && from != 0 && period >= from)
                v = we_sim_process_value(r, ind, period - from);
            v = fmin(ind->unit->hi, fmax(ind->unit->lo, v));
            g->value[cell_at(g, a, t, k)] = (float)v;
        }
    }
}

static int make_values(nat *g, we_error *err)
{
    size_t np = (size_t)g->o->n_periods;
    size_t cells = g->o->n_areas * np * g->s.n_ind;
    g->value = malloc(cells * sizeof *g->value);
    g->cell = malloc(cells);
    double *trend = malloc(np * sizeof *trend);
    double *shock = malloc(g->s.n_muni * np * sizeof *shock);
    gsl_rng *r = we_sim_rng(g->s.seed, RNG_STREAM_VALUES);
    gsl_rng *rm = we_sim_rng(g->s.seed, RNG_STREAM_MISSING);
    int ok = g->value && g->cell && trend && shock && r && rm;
    for (size_t k = 0; ok && k < g->s.n_ind; k++)
        indicator_values(g, k, r, trend, shock);
    for (size_t i = 0; ok && i < cells; i++) {
        double u = gsl_rng_uniform(rm);
        g->cell[i] = u >= MISSING_RATE       ? WE_SIM_CELL_VALUE
                     : u < MISSING_RATE / 2  ? WE_SIM_CELL_ABSENT
                     : u < MISSING_RATE * .75 ? WE_SIM_CELL_DOT
                                              : WE_SIM_CELL_EMPTY;
    }
    free(trend);
    free(shock);
    if (r)
        gsl_rng_free(r);
    if (rm)
        gsl_rng_free(rm);
    return ok ? 0 : oom(err);
}

/* ---- files ---------------------------------------------------------------- */


static void print_areas(FILE *f, const we_sim *s)
{
    const nat *g = s->national;
    fputs("area,name,municipality,level,population\n", f);
    for (size_t a = 0; a < g->o->n_areas; a++) {
        const nat_wijk *w = &g->wijk[g->buurt_wijk[a]];
        fprintf(f, "%s,Buurt %s (gesimuleerd),%s,buurt,%.0f\n", g->code[a],
                g->code[a] + 2, s->muni[w->muni].code, g->population[a]);
    }
}

static void print_treatment(FILE *f, const we_sim *s)
{
    const nat *g = s->national;
    (void)s;
    fputs("area,from,wave\n", f);
    for (size_t a = 0; a < g->o->n_areas; a++) {
        const nat_wijk *w = &g->wijk[g->buurt_wijk[a]];
        if (w->from != 0)
            fprintf(f, "%s,%d,%s\n", g->code[a], w->from, w->wave);
    }
}

/* Digits of u, backwards from end; returns the new start. */
static char *put_digits(char *end, unsigned long long u)
{
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    return end;
}

/* v rounded to `decimals` places; printf's %f would be ten times
 * slower, and this does not depend on the locale. */
static size_t format_value(char *out, double v, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000, 10000};
    long long q = llround(v * scale[decimals]);
    unsigned long long u = q < 0 ? 0ull - (unsigned long long)q
                                 : (unsigned long long)q;
    char buf[32], *end = buf + sizeof buf, *p = end;
    for (int d = 0; d < decimals; d++) {
        *--p = (char)('0' + u % 10);
        u /= 10;
    }
    if (decimals > 0)
        *--p = '.';
    p = put_digits(p, u);
    if (q < 0)
        *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(out, p, n);
    return n;
}

static void print_indicators(FILE *f, const we_sim *s)
{
    const nat *g = s->national;
    enum { BUF = 1 << 20 };
    char *buf = malloc(BUF);
    size_t used = 0;
    if (buf == NULL) {
        fputs("out of memory\n", f); /* ferror-free: caught by the size */
        return;
    }
    fputs("area,period,indicator,value\n", f);
    size_t *name_len = calloc(s->n_ind, sizeof *name_len);
    for (size_t k = 0; name_len && k < s->n_ind; k++)
        name_len[k] = strlen(s->ind[k].name);
    for (size_t a = 0; name_len && a < g->o->n_areas; a++)
        for (size_t t = 0; t < (size_t)g->o->n_periods; t++)
            for (size_t k = 0; k < s->n_ind; k++) {
                size_t i = cell_at(g, a, t, k);
                if (g->cell[i] == WE_SIM_CELL_ABSENT)
                    continue;
                if (used > BUF - 256) {
                    fwrite(buf, 1, used, f);
                    used = 0;
                }
                char *p = buf + used;
                memcpy(p, g->code[a], 10);
                p += 10;
                *p++ = ',';
                char yr[8];
                char *y = put_digits(yr + sizeof yr,
                                     (unsigned)(g->o->first_period + (int)t));
                memcpy(p, y, (size_t)(yr + sizeof yr - y));
                p += yr + sizeof yr - y;
                *p++ = ',';
                memcpy(p, s->ind[k].name, name_len[k]);
                p += name_len[k];
                *p++ = ',';
                if (g->cell[i] == WE_SIM_CELL_DOT)
                    *p++ = '.';
                else if (g->cell[i] == WE_SIM_CELL_VALUE)
                    p += format_value(p, g->value[i],
                                      s->ind[k].unit->decimals);
                *p++ = '\n';
                used = (size_t)(p - buf);
            }
    fwrite(buf, 1, used, f);
    free(name_len);
    free(buf);
}

static void print_readme(FILE *f, const we_sim *s)
{
    const nat *g = s->national;
    size_t treated = 0;
    for (size_t a = 0; a < g->o->n_areas; a++)
        treated += g->wijk[g->buurt_wijk[a]].from != 0;
    fprintf(f,
            "# Simulated national panel (wijkeval simulate --national)\n\n"
            "Simulated data, not real: %zu buurten in %zu municipalities, "
            "%d periods (%d-%d), %zu indicators, seed %llu.\n\n"
            "Treated: the buurten of the %zu krachtwijken from %d "
            "(`aandachtswijken`) and of %zu further wijken from %d "
            "(`tweede_golf`), %zu buurten in all. `truth.csv` lists the "
            "injected effects; the value model is the demo panel's "
            "(data/demo/README.md) at buurt level. About 1%% of the cells "
            "are missing: no row, `.` or an empty value.\n",
            g->o->n_areas, s->n_muni, g->o->n_periods, g->o->first_period,
            g->o->first_period + g->o->n_periods - 1, s->n_ind,
            (unsigned long long)s->seed, s->n_kracht, WE_SIM_FROM_KRACHT,
            s->n_kracht, WE_NATIONAL_FROM_WAVE2, treated);
}

static int write_files(nat *g, we_error *err)
{
    static const we_sim_file files[] = {
        {"areas.csv", print_areas},         {"catalog.csv", we_sim_print_catalog},
        {"indicators.csv", print_indicators},
        {"treatment.csv", print_treatment}, {"truth.csv", we_sim_print_truth},
        {"README.md", print_readme},
    };
    g->s.national = g;
    return we_sim_write_set(&g->s, g->o->out_dir, files,
                            sizeof files / sizeof *files, err);
}

static void nat_free(nat *g)
{
    we_sim_free(&g->s);
    free(g->muni_size); free(g->wijk); free(g->code); free(g->buurt_muni);
    free(g->buurt_wijk); free(g->deprivation); free(g->population);
    free(g->value); free(g->cell);
}

int we_simulate_national(const we_national_options *o, we_error *err)
{
    if (o == NULL || o->out_dir == NULL || o->catalog_path == NULL ||
        o->krachtwijken_path == NULL || o->n_periods < 2)
        return we_fail(err, WE_EINVAL,
                       "simulate: out_dir, catalog_path, "
                       "krachtwijken_path and 2 or more periods are "
                       "required");
    if (o->first_period >= WE_SIM_FROM_KRACHT ||
        o->first_period + o->n_periods <= WE_NATIONAL_FROM_WAVE2)
        return we_fail(err, WE_EINVAL,
                       "simulate: the periods must start before %d "
                       "and run past %d",
                       WE_SIM_FROM_KRACHT, WE_NATIONAL_FROM_WAVE2);
    nat g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.s.seed = o->seed;
    g.s.first_period = o->first_period;
    g.s.timing = "2008 aandachtswijken, 2011 tweede_golf";
    int rc = we_sim_read_catalog(&g.s, o->catalog_path, err);
    if (rc == 0)
        rc = we_sim_link_targets(&g.s, o->catalog_path, err);
    if (rc == 0)
        rc = choose_indicators(&g.s, o->n_indicators, err);
    if (rc == 0)
        rc = we_sim_read_krachtwijken(&g.s, o->krachtwijken_path, err);
    if (rc == 0)
        rc = add_munis(&g.s, o->n_munis, err);
    if (rc == 0)
        rc = muni_sizes(&g, err);
    if (rc == 0)
        rc = make_wijken(&g, err);
    if (rc == 0)
        rc = treat_kracht(&g, err);
    if (rc == 0)
        rc = treat_wave2(&g, err);
    if (rc == 0)
        rc = make_buurten(&g, err);
    if (rc == 0)
        rc = make_values(&g, err);
    if (rc == 0)
        rc = write_files(&g, err);
    nat_free(&g);
    return rc;
}
