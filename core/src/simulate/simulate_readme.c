/* The human-readable side of the design: the note and true_effect cells of
 * truth.csv and README.md, generated from the same tables as the data so
 * the description cannot drift from what was injected. */
#include <stdio.h>

#include "simulate/simulate_internal.h"

static double process_level(const we_sim_indicator *ind, double share)
{
    return ind->unit->lo + share * (ind->unit->hi - ind->unit->lo);
}

void we_sim_truth_cells(const we_sim *s, const we_sim_indicator *ind,
                        const we_sim_target *t, char *effect,
                        size_t effect_size, char *note, size_t note_size)
{
    const char *timing = s->timing ? s->timing
                                   : "2008 aandachtswijken, 2009 preventie";
    char own[160];
    long e = we_sim_exp_index(s, t->experiment);
    if (e >= 0) {
        snprintf(own, sizeof own, "its %zu wijken in %zu municipalities of "
                 "assignment.csv, from %d; an added effect on top of the "
                 "programme", we_sim_exp_size(s, (size_t)e),
                 we_sim_exp_munis(s, (size_t)e), s->exps[e].from);
        timing = own;
    }
    int first = s->first_period ? s->first_period : WE_SIM_FIRST_PERIOD;
    char a[32], b[32];
    switch (t->pattern) {
    case WE_SIM_POSITIVE:
    case WE_SIM_HARMFUL:
        we_sim_format_short(effect, effect_size, ind->effect);
        we_sim_format_short(a, sizeof a, t->size_sd);
        snprintf(note, note_size, "constant from the first treated year "
                 "(%s): %s x sd_between_wijken in the %s direction",
                 timing, a, t->pattern == WE_SIM_HARMFUL ? "bad" : "good");
        return;
    case WE_SIM_RAMP: {
        int from = e >= 0 ? s->exps[e].from : WE_SIM_FROM_KRACHT;
        int last = first + WE_SIM_N_PERIODS - 1;
        /* the mean of by_period over the treated periods to `last` */
        we_sim_format_short(effect, effect_size,
                            ind->effect * (double)(last - from) / 2.0);
        we_sim_format_short(a, sizeof a, t->size_sd);
        we_sim_format_short(b, sizeof b, ind->effect);
        snprintf(note, note_size,
                 "builds up (%s): 0 in the first treated "
                 "year, then %s x sd_between_wijken (%s %s) more every "
                 "year, in the good direction (by_period); true_effect is "
                 "its mean over the treated years to %d, what a DiD with "
                 "this one start estimates (with data to an earlier year: "
                 "the mean of by_period up to it)",
                 timing, a, b, ind->unit_name, last);
        return;
    }
    case WE_SIM_PRETREND:
        snprintf(effect, effect_size, "0");
        we_sim_format_short(a, sizeof a, ind->pre_slope);
        snprintf(note, note_size, "pre_slope=%s%s per year: treated wijken "
                 "(%s) drift away from the others linearly from %d on, "
                 "before and after treatment; the effect net of that trend "
                 "is 0",
                 ind->pre_slope > 0 ? "+" : "", a, timing, first + 1);
        return;
    case WE_SIM_PROCESS:
        effect[0] = '\0';
        we_sim_format_short(a, sizeof a, process_level(ind,
                                                       WE_SIM_PROCESS_FIRST));
        we_sim_format_short(b, sizeof b, process_level(ind,
                                                       WE_SIM_PROCESS_LATER));
        snprintf(note, note_size, "process metric, no constant effect: "
                 "treated wijken are at about %s %s in their first treated "
                 "year and about %s from the second", a, ind->unit_name, b);
        return;
    case WE_SIM_NULL:
        break;
    }
    snprintf(effect, effect_size, "0");
    snprintf(note, note_size, "no effect injected");
}

void we_sim_truth_by_period(const we_sim *s, const we_sim_indicator *ind,
                            const we_sim_target *t, char *buf, size_t size)
{
    buf[0] = '\0';
    if (t->pattern != WE_SIM_RAMP || size == 0)
        return;
    long e = we_sim_exp_index(s, t->experiment);
    int from = e >= 0 ? s->exps[e].from : WE_SIM_FROM_KRACHT;
    int first = s->first_period ? s->first_period : WE_SIM_FIRST_PERIOD;
    size_t used = 0;
    for (int p = from; p < first + WE_SIM_N_PERIODS && used < size; p++) {
        char v[32];
        we_sim_format_short(v, sizeof v, ind->effect * (double)(p - from));
        int n = snprintf(buf + used, size - used, "%s%d=%s",
                         p > from ? ";" : "", p, v);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static size_t count_group(const we_sim *s, we_sim_group g)
{
    size_t n = 0;
    for (size_t a = 0; a < s->n_area; a++)
        n += s->area[a].group == g;
    return n;
}

static size_t count_treated_munis(const we_sim *s)
{
    size_t n = 0;
    for (size_t m = 0; m < s->n_muni; m++)
        n += s->muni[m].n_kracht > 0;
    return n;
}

static void print_intro(FILE *f, const we_sim *s)
{
    fprintf(f,
        "# Simulated demo panel\n\n"
        "**These data are simulated. They are not observed data.** "
        "`configs/demo.cfg`\nsays so with `data.simulated = true`, which "
        "puts a *simulated data* banner\nat the top of report.html. Every "
        "value here was\ngenerated by `wijkeval simulate --seed %llu --out "
        "DIR` (`make demo-data`\nregenerates this directory); the same seed "
        "gives byte-identical files. The\neffects injected into the data "
        "are listed in `truth.csv`, so an evaluation of\nthis panel can be "
        "checked against the truth.\n\n"
        "Real are only the names and municipalities of the %zu krachtwijken "
        "(aandachtswijken)\nand the municipality codes. The wijk codes "
        "follow the CBS pattern (`WK` +\nmunicipality number + wijk number) "
        "but are not the CBS codes. Preventie wijken\nand comparison wijken "
        "are invented; their names end in \"(gesimuleerd)\".\n\n",
        (unsigned long long)s->seed, count_group(s, WE_SIM_KRACHT));
}

static void print_files(FILE *f, const we_sim *s)
{
    size_t nk = count_group(s, WE_SIM_KRACHT);
    size_t np = count_group(s, WE_SIM_PREVENTIE);
    fprintf(f,
        "## Files\n\n"
        "| file | content |\n|---|---|\n"
        "| `areas.csv` | %zu wijken in %zu municipalities: %zu krachtwijken, "
        "%zu preventie wijken, %zu comparison wijken (several in each of the "
        "%zu krachtwijk municipalities, the rest in %zu others) |\n"
        "| `catalog.csv` | the %zu indicators of `data/catalog.csv` (contract "
        "columns) |\n"
        "| `indicators.csv` | long format `area,period,indicator,value`, "
        "%d-%d |\n"
        "| `treatment.csv` | the programme (wijkenaanpak): %zu krachtwijken "
        "from %d (wave `aandachtswijken`), %zu preventie wijken from %d "
        "(wave `preventie`) |\n"
        "| `assignment.csv` | each experiment's own programme wijken and "
        "its start, `experiment,area,from` (see Experiments below) |\n"
        "| `truth.csv` | the programme's effects (experiment `programme`), "
        "each experiment's ADDED effects on top of the programme, and the "
        "displacement |\n"
        "| `adjacency.csv` | simulated neighbours `area,neighbour` (see "
        "Displacement below) |\n"
        "| `municipalities.csv` | the real CBS names of the 30 municipality "
        "codes (`code,name`; `data.municipalities`), written by hand, not by "
        "`make demo-data` |\n"
        "\n"
        "`make demo-data` then runs `scripts/demo_goals.py`, which adds the "
        "two optional\ninputs of `configs/demo.cfg` (its docstring gives "
        "every rule):\n\n"
        "| file | content |\n"
        "|---|---|\n"
        "| `costs.csv` | each experiment's own invented budget (distinct, "
        "EUR 3.1 to 27.8 million), only\nfor its own wijken, by population "
        "and evenly over the years from its start to 2012 |\n"
        "| `targets.csv` | five invented self-named targets per krachtwijk, "
        "set from its simulated\n2007 values (three numeric, two yes/no "
        "items) |\n"
        "\n",
        s->n_area, s->n_muni, nk, np, count_group(s, WE_SIM_COMPARISON),
        count_treated_munis(s), s->n_muni - count_treated_munis(s), s->n_ind,
        WE_SIM_FIRST_PERIOD, WE_SIM_FIRST_PERIOD + WE_SIM_N_PERIODS - 1, nk,
        WE_SIM_FROM_KRACHT, np, WE_SIM_FROM_PREVENTIE);
}

static void print_model(FILE *f, const we_sim *s)
{
    char noise[32], shock[32], rho[32], miss[32], clip[32];
    size_t cells = s->n_ind * s->n_area * WE_SIM_N_PERIODS;
    we_sim_format_short(noise, sizeof noise, WE_SIM_NOISE_SD);
    we_sim_format_short(shock, sizeof shock, WE_SIM_SHOCK_SD);
    we_sim_format_short(rho, sizeof rho, WE_SIM_SHOCK_RHO);
    we_sim_format_short(miss, sizeof miss, 100 * WE_SIM_MISSING_RATE);
    we_sim_format_fixed(clip, sizeof clip,
                        100.0 * (double)s->n_clipped / (double)cells, 2);
    fprintf(f,
        "## How the values are made\n\n"
        "Per indicator, area and year: `level + scale * (trend + shock + "
        "noise) + effect`.\n\n"
        "- `level`: treated wijken start near the catalogue's "
        "`krachtwijk_mean`,\n  comparison wijken between that and "
        "`nl_mean`; wijken differ with sd\n  `sd_between_wijken` (gamma-"
        "distributed near a bound of the unit).\n"
        "- `trend`: one smooth common trend per indicator.\n"
        "- `shock`: per municipality and year, AR(1) with rho %s and "
        "innovation sd %s x\n  `sd_between_wijken`, shared by all wijken "
        "of the municipality: standard errors\n  must be clustered by "
        "municipality.\n"
        "- `noise`: sd %s x `sd_between_wijken`.\n"
        "- Values are clipped to the unit's range (%zu of %zu cells, %s%%) "
        "and rounded.\n\n"
        "## Missing data\n\n"
        "- About %s%% of the cells hold a CBS missing marker: `.`, `x` "
        "(secret) or an\n  empty value.\n"
        "- Veiligheidsmonitor (IVM) indicators have no rows for 2004 and "
        "2006 (the survey\n  ran every other year before 2008); the "
        "Leefbaarometer class only for 2006, 2008,\n  2010 and 2012.\n\n",
        rho, shock, noise, s->n_clipped, cells, clip, miss);
}

static void print_experiments(FILE *f, const we_sim *s)
{
    if (s->n_exps == 0)
        return;
    fputs("## The programme and the experiments\n\n"
          "The programme (`treatment.csv`) is the wijkenaanpak: every "
          "programme wijk gets its\nmodest effect on the monitor's "
          "headline indicators from its programme start\n(experiment "
          "`programme` in `truth.csv`). Each experiment runs in a few "
          "municipalities'\nprogramme wijken only, from its own start "
          "(`assignment.csv`), and its effects are\nADDED to the "
          "programme's: compared with the programme wijken outside it, an\n"
          "estimate recovers the added effect.\n\n"
          "| experiment | wijken | municipalities | from |\n"
          "|---|---|---|---|\n", f);
    for (size_t e = 0; e < s->n_exps; e++)
        fprintf(f, "| %s | %zu | %zu | %d |\n", s->exps[e].id,
                we_sim_exp_size(s, e), we_sim_exp_munis(s, e),
                s->exps[e].from);
    size_t overlap = 0;
    for (size_t a = 0; a < s->n_area; a++) {
        size_t n = 0;
        for (size_t e = 0; e < s->n_exps; e++)
            n += s->area[a].exp_from[e] != 0;
        overlap += n > 1;
    }
    fprintf(f, "\n%zu wijk(en) are in two experiments; there the "
            "experiments cannot be told apart\n(their effects are on "
            "different indicators, so the demo's estimates are not\n"
            "biased by it).\n\n", overlap);
}

static void print_effects(FILE *f, const we_sim *s)
{
    size_t n;
    const we_sim_target *t = we_sim_targets_of(s, &n);
    char effect[64], note[512];
    fputs("## Injected effects\n\n"
          "| experiment | indicator | role | pattern | true effect | unit "
          "|\n|---|---|---|---|---|---|\n", f);
    for (size_t i = 0; i < n; i++) {
        const we_sim_indicator *ind = we_sim_find_indicator(s,
                                                            t[i].indicator);
        we_sim_truth_cells(s, ind, &t[i], effect, sizeof effect, note,
                           sizeof note);
        fprintf(f, "| %s | `%s` | %s | %s | %s | %s |\n", t[i].experiment,
                t[i].indicator, t[i].role, we_sim_pattern_name(t[i].pattern),
                effect[0] ? effect : "see note", ind->unit_name);
    }
    fputs("\nEffects are in the indicator's units and in its good direction "
          "(negative for\nlower-is-better indicators); they hold for every "
          "treated wijk from its first\ntreated year on. The `note` column "
          "of `truth.csv` gives the pre-trend slope and\nthe process metric; "
          "an effect that builds up (pattern `ramp`) is given per\nyear in "
          "its `by_period` column, and its true effect is its mean over the "
          "treated\nyears (what a DiD with one start estimates; with data to "
          "an earlier year, the\nmean of `by_period` up to that year); "
          "an experiment's effects hold in its own wijken from its own "
          "start. "
          "Every indicator not listed has no effect on the treated wijken\n"
          "but one: the displacement below.\n",
          f);
}

void we_sim_print_readme(FILE *f, const we_sim *s)
{
    print_intro(f, s);
    print_files(f, s);
    print_model(f, s);
    print_experiments(f, s);
    print_effects(f, s);
    we_sim_print_displacement_readme(f, s);
}
