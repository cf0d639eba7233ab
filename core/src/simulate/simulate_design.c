/* The fixed design of the demo panel: units and their ranges, the effects
 * injected per experiment, survey years and the comparison municipalities.
 * Changing a table here changes the committed demo (make demo-data). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulate/simulate_internal.h"

static const we_sim_unit UNITS[] = {
    {"pct", 0.0, 100.0, 1},
    {"score_0_10", 0.0, 10.0, 2},
    {"score_1_5", 1.0, 5.0, 2},
    {"class_1_9", 1.0, 9.0, 0},
    {"score_501_550", 501.0, 550.0, 1},
    {"per_1000", 0.0, 1000.0, 2},
    {"per_10000", 0.0, 10000.0, 2},
    {"days", 0.0, HUGE_VAL, 1},
    {"count", 0.0, HUGE_VAL, 0},
    {"eur", 0.0, HUGE_VAL, 0},
};

/* Sizes are 0.6-0.7 sd_between_wijken: with ~60 treated wijken and
 * idiosyncratic noise of 0.25 sd a TWFE estimate is many standard errors
 * away from zero, so a method that misses it is wrong, not unlucky. */
static const we_sim_target TARGETS[] = {
    {"bewonersparticipatie", "actief_voor_buurt_pct", "primary", WE_SIM_POSITIVE, 0.7, 0},
    {"bewonersparticipatie", "bewonersinitiatieven_per_10000", "secondary", WE_SIM_POSITIVE, 0.6, 0},
    {"bewonersparticipatie", "opkomst_gemeenteraad_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bewonersparticipatie", "gemeente_betrekt_buurt_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bewonersparticipatie", "bewonersbudget_besteed_pct", "process", WE_SIM_PROCESS, 0, 0},
    {"samenhang", "sociale_cohesie_score", "primary", WE_SIM_NULL, 0, 0},
    {"samenhang", "eenzaamheid_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"samenhang", "vrijwilligerswerk_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"samenhang", "rapportcijfer_woonomgeving", "secondary", WE_SIM_NULL, 0, 0},
    {"slagkracht", "dagen_signaal_tot_actie", "primary", WE_SIM_POSITIVE, 0.6, 0},
    {"slagkracht", "meldingen_binnen_termijn_pct", "secondary", WE_SIM_POSITIVE, 0.6, 0},
    {"slagkracht", "verloedering_score", "secondary", WE_SIM_NULL, 0, 0},
    {"slagkracht", "concrete_verbeteringen_count", "secondary", WE_SIM_POSITIVE, 0.7, 0},
    {"achter_de_voordeur", "huishoudens_bereikt_per_1000", "primary", WE_SIM_POSITIVE, 0.6, 0},
    {"achter_de_voordeur", "mpg_met_plan_pct", "secondary", WE_SIM_POSITIVE, 0.6, 0},
    {"achter_de_voordeur", "langdurige_bijstand_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"achter_de_voordeur", "wachttijd_schuldhulp_dagen", "secondary", WE_SIM_POSITIVE, 0.6, 0},
    {"bureaucratie", "doorlooptijd_vergunning_dagen", "primary", WE_SIM_NULL, 0, 0},
    {"bureaucratie", "doorlooptijd_subsidie_dagen", "secondary", WE_SIM_NULL, 0, 0},
    {"bureaucratie", "administratietijd_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bureaucratie", "gemeente_bereikbaar_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "ervaren_gezondheid_goed_pct", "primary", WE_SIM_PRETREND, 0, 0.6},
    {"gezonde_wijk", "psychisch_ongezond_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "overgewicht_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "beweegnorm_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"vernieuwend_welzijn", "zelfredzaamheid_score", "primary", WE_SIM_POSITIVE, 0.6, 0},
    {"vernieuwend_welzijn", "outreach_tijd_pct", "secondary", WE_SIM_POSITIVE, 0.6, 0},
    {"vernieuwend_welzijn", "huisuitzettingen_per_1000", "secondary", WE_SIM_NULL, 0, 0},
};

/* The demo's experiments as experiments: each in a few municipalities'
 * programme wijken from its own start, with ADDED effects on top of the
 * programme (which has none on these indicators). Sizes are 1.0 sd for
 * primaries and 0.8 for secondaries: with 5-15 treated wijken in 2-5
 * municipalities an effect must be this large to be found. One
 * experiment is null (samenhang), one has a harmful side effect
 * (achter_de_voordeur on long-term social assistance), one has a
 * pre-trend (gezonde_wijk), and one builds up (bureaucratie: permit
 * lead times fall as the new way of working spreads, nothing in its
 * first year 2010, 0.6 sd in 2011, 1.2 sd in 2012). With data to 2011
 * the mean over its treated years is 0.3 sd, with 2012 0.6 sd, and it has
 * one more treated year: the yearly report's verdict can change for
 * that reason (docs/history.md, "The demo"). */
static const we_sim_target DEMO_TARGETS[] = {
    {"bewonersparticipatie", "actief_voor_buurt_pct", "primary", WE_SIM_POSITIVE, 1.0, 0},
    {"bewonersparticipatie", "bewonersinitiatieven_per_10000", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"bewonersparticipatie", "opkomst_gemeenteraad_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bewonersparticipatie", "gemeente_betrekt_buurt_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bewonersparticipatie", "bewonersbudget_besteed_pct", "process", WE_SIM_PROCESS, 0, 0},
    {"samenhang", "sociale_cohesie_score", "primary", WE_SIM_NULL, 0, 0},
    {"samenhang", "eenzaamheid_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"samenhang", "vrijwilligerswerk_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"samenhang", "rapportcijfer_woonomgeving", "secondary", WE_SIM_NULL, 0, 0},
    {"slagkracht", "dagen_signaal_tot_actie", "primary", WE_SIM_POSITIVE, 1.0, 0},
    {"slagkracht", "meldingen_binnen_termijn_pct", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"slagkracht", "verloedering_score", "secondary", WE_SIM_NULL, 0, 0},
    {"slagkracht", "concrete_verbeteringen_count", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"achter_de_voordeur", "huishoudens_bereikt_per_1000", "primary", WE_SIM_POSITIVE, 1.0, 0},
    {"achter_de_voordeur", "mpg_met_plan_pct", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"achter_de_voordeur", "langdurige_bijstand_pct", "secondary", WE_SIM_HARMFUL, 0.8, 0},
    {"achter_de_voordeur", "wachttijd_schuldhulp_dagen", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"bureaucratie", "doorlooptijd_vergunning_dagen", "primary", WE_SIM_RAMP, 1.0, 0},
    {"bureaucratie", "doorlooptijd_subsidie_dagen", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"bureaucratie", "administratietijd_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"bureaucratie", "gemeente_bereikbaar_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "ervaren_gezondheid_goed_pct", "primary", WE_SIM_PRETREND, 0, 1.5},
    {"gezonde_wijk", "psychisch_ongezond_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "overgewicht_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"gezonde_wijk", "beweegnorm_pct", "secondary", WE_SIM_NULL, 0, 0},
    {"vernieuwend_welzijn", "zelfredzaamheid_score", "primary", WE_SIM_POSITIVE, 1.0, 0},
    {"vernieuwend_welzijn", "outreach_tijd_pct", "secondary", WE_SIM_POSITIVE, 0.8, 0},
    {"vernieuwend_welzijn", "huisuitzettingen_per_1000", "secondary", WE_SIM_NULL, 0, 0},
};

/* Which programme wijken each experiment has, from when. One wijk
 * (GM0014's third) is in two experiments: the report says so. */
static const we_sim_exp DEMO_EXPS[] = {
    {"bewonersparticipatie", 2009,
     {{"GM0014", 0, 3}, {"GM0153", 0, 2}, {"GM0307", 0, 2},
      {"GM0479", 0, 2}}},
    {"samenhang", 2010, {{"GM0080", 0, 2}, {"GM0150", 0, 2},
                         {"GM0268", 0, 2}}},
    {"slagkracht", 2009,
     {{"GM0344", 0, 5}, {"GM0505", 0, 2}, {"GM0606", 0, 2},
      {"GM0917", 0, 2}, {"GM0935", 0, 2}}},
    {"achter_de_voordeur", 2009,
     {{"GM0599", 0, 5}, {"GM0361", 0, 2}, {"GM0772", 0, 4}}},
    {"bureaucratie", 2010, {{"GM0202", 0, 5}, {"GM0518", 0, 5}}},
    {"gezonde_wijk", 2010, {{"GM0363", 0, 4}, {"GM0599", 5, 4}}},
    {"vernieuwend_welzijn", 2009,
     {{"GM0363", 4, 3}, {"GM0599", 4, 1}, {"GM0014", 2, 1}}},
};

/* The programme's modest effect on two of the monitor's headline
 * indicators (work and satisfaction with the living environment). */
static const we_sim_programme_effect PROGRAMME_EFFECTS[] = {
    {"werkzaam_15_64_pct", 0.3},
    {"tevreden_woonomgeving_pct", 0.3},
};

/* Large municipalities without a krachtwijk (codes and names as in CBS
 * Kerncijfers wijken en buurten); their wijken are never treated. */
static const struct {
    const char *code, *name;
} OTHER_MUNIS[] = {
    {"GM0034", "Almere"},     {"GM0193", "Zwolle"},
    {"GM0200", "Apeldoorn"},  {"GM0392", "Haarlem"},
    {"GM0503", "Delft"},      {"GM0546", "Leiden"},
    {"GM0637", "Zoetermeer"}, {"GM0758", "Breda"},
    {"GM0794", "Helmond"},    {"GM0796", "'s-Hertogenbosch"},
    {"GM0855", "Tilburg"},    {"GM0983", "Venlo"},
};
enum { COMPARISON_PER_OTHER_MUNI = 5 };

const we_sim_unit *we_sim_unit_find(const char *name)
{
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (strcmp(UNITS[i].name, name) == 0)
            return &UNITS[i];
    return NULL;
}

const char *we_sim_unit_names(void)
{
    return "pct, score_0_10, score_1_5, class_1_9, score_501_550, "
           "per_1000, per_10000, days, count, eur";
}

const we_sim_target *we_sim_targets(size_t *n)
{
    *n = sizeof TARGETS / sizeof TARGETS[0];
    return TARGETS;
}

const we_sim_target *we_sim_demo_targets(size_t *n)
{
    *n = sizeof DEMO_TARGETS / sizeof DEMO_TARGETS[0];
    return DEMO_TARGETS;
}

const we_sim_exp *we_sim_demo_exps(size_t *n)
{
    *n = sizeof DEMO_EXPS / sizeof DEMO_EXPS[0];
    return DEMO_EXPS;
}

const we_sim_programme_effect *we_sim_programme_effects(size_t *n)
{
    *n = sizeof PROGRAMME_EFFECTS / sizeof PROGRAMME_EFFECTS[0];
    return PROGRAMME_EFFECTS;
}

const we_sim_target *we_sim_targets_of(const we_sim *s, size_t *n)
{
    if (s->targets != NULL) {
        *n = s->n_targets;
        return s->targets;
    }
    return we_sim_targets(n);
}

long we_sim_exp_index(const we_sim *s, const char *id)
{
    for (size_t e = 0; e < s->n_exps; e++)
        if (strcmp(s->exps[e].id, id) == 0)
            return (long)e;
    return -1;
}

/* Marks `count` programme wijken of the part's municipality from the
 * `first`, in area order. */
static int assign_part(we_sim *s, size_t e, const we_sim_part *pt,
                       we_error *err)
{
    long m = we_sim_find_muni(s, pt->muni);
    int seen = 0, marked = 0;
    for (size_t a = 0; m >= 0 && a < s->n_area; a++) {
        we_sim_area *x = &s->area[a];
        if (x->muni != (size_t)m || x->from == 0)
            continue;
        if (seen >= pt->first && seen < pt->first + pt->count) {
            x->exp_from[e] = s->exps[e].from;
            marked++;
        }
        seen++;
    }
    if (marked != pt->count)
        return we_fail(err, WE_EINVAL,
                       "simulate: experiment %s needs %d programme wijken "
                       "of %s from the %d-th, which has %d; correct the "
                       "demo's design table",
                       s->exps[e].id, pt->count, pt->muni, pt->first + 1,
                       seen);
    return 0;
}

int we_sim_assign(we_sim *s, we_error *err)
{
    if (s->n_exps > WE_SIM_MAX_EXP)
        return we_fail(err, WE_EINVAL, "simulate: too many experiments");
    for (size_t e = 0; e < s->n_exps; e++)
        for (size_t p = 0; p < WE_SIM_MAX_PARTS && s->exps[e].parts[p].muni;
             p++)
            if (assign_part(s, e, &s->exps[e].parts[p], err) != 0)
                return -1;
    return 0;
}

size_t we_sim_exp_size(const we_sim *s, size_t e)
{
    size_t n = 0;
    for (size_t a = 0; a < s->n_area; a++)
        n += s->area[a].exp_from[e] != 0;
    return n;
}

size_t we_sim_exp_munis(const we_sim *s, size_t e)
{
    size_t n = 0;
    while (n < WE_SIM_MAX_PARTS && s->exps[e].parts[n].muni != NULL)
        n++;
    return n;
}

void we_sim_print_assignment(FILE *f, const we_sim *s)
{
    fputs("experiment,area,from\n", f);
    for (size_t e = 0; e < s->n_exps; e++)
        for (size_t a = 0; a < s->n_area; a++)
            if (s->area[a].exp_from[e] != 0)
                fprintf(f, "%s,%s,%d\n", s->exps[e].id, s->area[a].code,
                        s->area[a].exp_from[e]);
}

const char *we_sim_pattern_name(we_sim_pattern p)
{
    switch (p) {
    case WE_SIM_HARMFUL: return "harmful";
    case WE_SIM_POSITIVE: return "positive";
    case WE_SIM_PRETREND: return "pretrend";
    case WE_SIM_RAMP: return "ramp";
    case WE_SIM_PROCESS: return "positive";
    case WE_SIM_NULL: break;
    }
    return "null";
}

/* Surveys that did not run every year leave whole years out, which makes
 * the panel unbalanced the way real monitors are: the Veiligheidsmonitor
 * (IVM) every other year before 2008, the Leefbaarometer in its
 * measurement years only. */
int we_sim_observed(const we_sim_indicator *ind, int period)
{
    if (strstr(ind->source, "Veiligheidsmonitor") != NULL)
        return period >= 2008 || period % 2 == 1;
    if (strncmp(ind->source, "Leefbaarometer", 14) == 0)
        return period >= 2006 && period % 2 == 0;
    return 1;
}

long we_sim_find_muni(const we_sim *s, const char *code)
{
    for (size_t i = 0; i < s->n_muni; i++)
        if (strcmp(s->muni[i].code, code) == 0)
            return (long)i;
    return -1;
}

int we_sim_add_other_munis(we_sim *s, we_error *err)
{
    size_t n_other = sizeof OTHER_MUNIS / sizeof OTHER_MUNIS[0];
    we_sim_muni *m = realloc(s->muni, (s->n_muni + n_other) * sizeof *m);
    if (m == NULL)
        return we_fail(err, WE_ENOMEM, "simulate: out of memory");
    s->muni = m;
    for (size_t i = 0; i < n_other; i++) {
        if (we_sim_find_muni(s, OTHER_MUNIS[i].code) >= 0)
            continue; /* it has a krachtwijk in this input */
        we_sim_muni *x = &s->muni[s->n_muni];
        memset(x, 0, sizeof *x);
        snprintf(x->code, sizeof x->code, "%s", OTHER_MUNIS[i].code);
        x->name = we_strdup(OTHER_MUNIS[i].name);
        if (x->name == NULL)
            return we_fail(err, WE_ENOMEM, "simulate: out of memory");
        x->n_comparison = COMPARISON_PER_OTHER_MUNI;
        s->n_muni++;
    }
    return 0;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* One generator per purpose, so that e.g. the missing-data pattern does
 * not shift the values when it changes; all 64 seed bits count. */
gsl_rng *we_sim_rng(uint64_t seed, uint64_t stream)
{
    uint64_t state = seed ^ (stream * 0xD1B54A32D192ED03ull);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r != NULL)
        gsl_rng_set(r, (unsigned long)(splitmix64(&state) & 0xffffffffu));
    return r;
}
