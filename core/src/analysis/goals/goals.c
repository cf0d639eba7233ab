/* Targets met or not, and policy return. Arithmetic only: the
 * uncertainty comes from the headline estimate's interval, the costs
 * are taken as known. */
#include "analysis/goals/goals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design.h"

/* ---- targets -------------------------------------------------------------- */

static int reaches(double v, double target, we_direction dir)
{
    return dir == WE_LOWER_IS_BETTER ? v <= target : v >= target;
}

static void assess_item(const we_wijk_target *t, we_target_result *r)
{
    if (t->realised == 1)
        r->status = WE_GOAL_MET;
    else
        r->status = t->deadline > r->as_of ? WE_GOAL_OPEN : WE_GOAL_MISSED;
}

/* The latest period index with a value at or before `horizon`, or -1. */
static long latest_at(const double *y, const we_panel *p, size_t area,
                      int horizon)
{
    for (size_t t = p->n_periods; t-- > 0;)
        if (p->periods[t] <= horizon &&
            !isnan(y[area * p->n_periods + t]))
            return (long)t;
    return -1;
}

static void assess_numeric(const we_wijk_target *t, const we_panel *p,
                           int baseline, we_target_result *r)
{
    const double *y = p->values[t->indicator];
    int horizon = t->deadline < r->as_of ? t->deadline : r->as_of;
    long L = y != NULL ? latest_at(y, p, t->area, horizon) : -1;
    long B = we_panel_period(p, baseline);
    if (y != NULL && B >= 0)
        r->baseline_value = y[t->area * p->n_periods + (size_t)B];
    if (L < 0) {
        r->status = WE_GOAL_NO_DATA;
        return;
    }
    int now = p->periods[L];
    double v = y[t->area * p->n_periods + (size_t)L];
    r->current_period = now;
    r->current_value = v;
    r->remaining = t->target - v;
    if (now > baseline && isfinite(r->baseline_value))
        r->observed_per_year = (v - r->baseline_value) / (now - baseline);
    we_direction dir = p->catalog[t->indicator].direction;
    if (reaches(v, t->target, dir)) {
        r->status = WE_GOAL_MET;
        return;
    }
    if (t->deadline <= r->as_of) {
        r->status = WE_GOAL_MISSED;
        return;
    }
    r->required_per_year = (t->target - v) / (t->deadline - now);
    if (isnan(r->observed_per_year)) {
        r->status = WE_GOAL_OPEN;
        return;
    }
    /* The straight line of the trend since the baseline, continued from
     * the latest value to the deadline. */
    double projected = v + r->observed_per_year * (t->deadline - now);
    r->status = reaches(projected, t->target, dir) ? WE_GOAL_ON_TRACK
                                                   : WE_GOAL_OFF_TRACK;
}

void we_target_assess(const we_wijk_target *t, const we_panel *p,
                      int baseline, we_target_result *r)
{
    *r = (we_target_result){
        .status = WE_GOAL_NO_DATA,
        .as_of = p->n_periods > 0 ? p->periods[p->n_periods - 1] : 0,
        .current_value = NAN, .baseline_value = NAN,
        .observed_per_year = NAN, .required_per_year = NAN,
        .remaining = NAN};
    if (t->indicator < 0)
        assess_item(t, r);
    else
        assess_numeric(t, p, baseline, r);
}

static void tally_add(we_goal_tally *g, we_goal_status s)
{
    g->n++;
    g->count[s]++;
}

/* Per wijk and per municipality, in the order of the areas file. */
static int tally(we_targets_eval *ev, const we_panel *p)
{
    const we_wijk_targets *in = ev->in;
    long *wijk_of = malloc((p->n_areas ? p->n_areas : 1) * sizeof *wijk_of);
    ev->wijken = calloc(p->n_areas ? p->n_areas : 1, sizeof *ev->wijken);
    ev->munis = calloc(p->n_areas ? p->n_areas : 1, sizeof *ev->munis);
    if (wijk_of == NULL || ev->wijken == NULL || ev->munis == NULL) {
        free(wijk_of);
        return -1;
    }
    for (size_t a = 0; a < p->n_areas; a++)
        wijk_of[a] = -1;
    for (size_t i = 0; i < in->n; i++)
        wijk_of[in->t[i].area] = 0;
    for (size_t a = 0; a < p->n_areas; a++) {
        if (wijk_of[a] < 0)
            continue;
        wijk_of[a] = (long)ev->n_wijken;
        ev->wijken[ev->n_wijken++] = (we_goal_tally){
            .code = p->areas[a].code, .name = p->areas[a].name};
        size_t m = 0;
        while (m < ev->n_munis &&
               strcmp(ev->munis[m].code, p->areas[a].municipality) != 0)
            m++;
        if (m == ev->n_munis)
            ev->munis[ev->n_munis++].code = p->areas[a].municipality;
    }
    for (size_t i = 0; i < in->n; i++) {
        const we_area_rec *a = &p->areas[in->t[i].area];
        we_goal_status s = ev->res[i].status;
        tally_add(&ev->wijken[wijk_of[in->t[i].area]], s);
        for (size_t m = 0; m < ev->n_munis; m++)
            if (strcmp(ev->munis[m].code, a->municipality) == 0)
                tally_add(&ev->munis[m], s);
        tally_add(&ev->total, s);
    }
    free(wijk_of);
    return 0;
}

int we_targets_evaluate(we_targets_eval *ev, const we_panel *p,
                        int baseline)
{
    const we_wijk_targets *in = ev->in;
    ev->as_of = p->n_periods > 0 ? p->periods[p->n_periods - 1] : 0;
    ev->res = calloc(in->n ? in->n : 1, sizeof *ev->res);
    if (ev->res == NULL)
        return -1;
    for (size_t i = 0; i < in->n; i++)
        we_target_assess(&in->t[i], p, baseline, &ev->res[i]);
    return tally(ev, p);
}

/* ---- policy return ---------------------------------------------------------- */

we_cpe we_cost_per_effect(double cost, double est, double lo, double hi,
                          int dir)
{
    we_cpe c = {WE_CPE_NO_ESTIMATE, NAN, NAN, NAN};
    if (isnan(est) || isnan(lo) || isnan(hi) || !isfinite(cost))
        return c;
    /* The effect and its interval with "better" positive. */
    double g = dir < 0 ? -est : est;
    double glo = dir < 0 ? -hi : lo, ghi = dir < 0 ? -lo : hi;
    if (glo > 0) {
        c.status = WE_CPE_DEFINED;
        c.value = cost / g;
        /* An infinite upper bound of the effect gives a lower bound of
         * 0 euros: the data do not rule out a very cheap effect. */
        c.low = isinf(ghi) ? 0.0 : cost / ghi;
        c.high = cost / glo;
    } else {
        c.status = ghi < 0 ? WE_CPE_HARMFUL : WE_CPE_INCLUDES_ZERO;
    }
    return c;
}

static const we_result_rec *headline_of(const we_experiment_run *x)
{
    if (x->status != WE_EXP_OK || x->headline < 0 ||
        (size_t)x->headline >= x->n_results)
        return NULL;
    return &x->results[x->headline];
}

static int direction_of(const we_panel *p, const char *indicator)
{
    for (size_t k = 0; k < p->n_indicators; k++)
        if (strcmp(p->catalog[k].indicator, indicator) == 0)
            return p->catalog[k].direction == WE_LOWER_IS_BETTER ? -1 : 1;
    return 0;
}

/* Costs of experiment e: total, rows, periods, treated wijken with a
 * row. `mark` is scratch of n_areas bytes. */
static void sum_costs(const we_costs *c, size_t e, const we_panel *p,
                      unsigned char *mark, we_policy_return *r)
{
    memset(mark, 0, p->n_areas);
    for (size_t i = 0; c != NULL && i < c->n; i++) {
        const we_cost_row *row = &c->rows[i];
        if (row->experiment != e)
            continue;
        r->total_eur += row->amount_eur;
        if (r->n_rows == 0 || row->period < r->first_period)
            r->first_period = row->period;
        if (r->n_rows == 0 || row->period > r->last_period)
            r->last_period = row->period;
        r->n_rows++;
        mark[row->area] = 1;
    }
    r->has_costs = r->n_rows > 0;
}

/* The residents are those of every treated wijk the headline estimate
 * averages over, costed or not: cost and effect must describe the same
 * wijken. A treated wijk without cost rows counts as costing nothing,
 * and the report says how many there are. */
static void residents(const we_run_design *rd, const we_panel *p,
                      const unsigned char *mark, we_policy_return *r)
{
    for (size_t a = 0; a < p->n_areas; a++) {
        if (rd->treated_from[a] < 0)
            continue;
        r->n_treated++;
        r->n_treated_costed += mark[a];
        double pop = p->areas[a].population;
        if (isnan(pop))
            r->n_no_population++;
        else
            r->residents += pop;
    }
    if (r->has_costs && r->n_no_population == 0 && r->residents > 0)
        r->per_resident = r->total_eur / r->residents;
}

static void per_unit(const we_run *run, const we_experiment_run *x,
                     we_policy_return *r)
{
    const we_result_rec *h = headline_of(x);
    we_cpe_status why = !r->has_costs             ? WE_CPE_NO_COSTS
                        : isnan(r->per_resident)  ? WE_CPE_NO_RESIDENTS
                        : h == NULL               ? WE_CPE_NO_ESTIMATE
                                                  : WE_CPE_DEFINED;
    r->per_unit = r->per_sd = (we_cpe){why, NAN, NAN, NAN};
    if (why != WE_CPE_DEFINED)
        return;
    r->headline = x->headline;
    int dir = direction_of(run->panel, h->indicator);
    if (dir != 0)
        r->per_unit = we_cost_per_effect(r->per_resident, h->est.estimate,
                                         h->est.ci_low, h->est.ci_high, dir);
    else
        r->per_unit.status = WE_CPE_NO_ESTIMATE;
    const we_effect_size *es = &h->x.effect_size;
    if (h->x.has_effect_size)
        r->per_sd = we_cost_per_effect(r->per_resident, es->glass_delta,
                                       es->glass_low, es->glass_high, 1);
    else
        r->per_sd.status = WE_CPE_NO_ESTIMATE;
}

/* Ranked: a defined cost per SD of a headline whose verdict is better
 * (credible, and significant after the report's adjustment). */
static int rankable(const we_policy_return *r)
{
    return r->per_sd.status == WE_CPE_DEFINED && !r->not_credible &&
           !r->not_better;
}

/* Ranks the experiments with a defined cost per SD and a credible
 * headline, cheapest first, and lists for each the others whose interval
 * overlaps: overlapping intervals do not show a difference (a
 * conservative reading; see docs/report.md). */
static int rank(we_policy_eval *ev)
{
    size_t n = ev->n;
    for (size_t i = 0; i < n; i++) {
        we_policy_return *a = &ev->per_exp[i];
        if (!rankable(a))
            continue;
        ev->n_ranked++;
        a->rank = 1;
        a->overlaps = malloc(n * sizeof *a->overlaps);
        if (a->overlaps == NULL)
            return -1;
        for (size_t j = 0; j < n; j++) {
            const we_policy_return *b = &ev->per_exp[j];
            if (j == i || !rankable(b))
                continue;
            /* Ties keep the config order. */
            a->rank += b->per_sd.value < a->per_sd.value ||
                       (b->per_sd.value == a->per_sd.value && j < i);
            if (a->per_sd.low <= b->per_sd.high &&
                b->per_sd.low <= a->per_sd.high)
                a->overlaps[a->n_overlaps++] = j;
        }
    }
    return 0;
}

/* One budget split evenly: two or more costed experiments, each with the
 * same amount for the same wijken and years as every other. */
static int even_split(const we_policy_eval *ev)
{
    const we_costs *c = ev->in;
    size_t n_costed = 0;
    for (size_t e = 0; e < ev->n; e++)
        n_costed += ev->per_exp[e].has_costs;
    if (c == NULL || n_costed < 2)
        return 0;
    for (size_t i = 0; i < c->n; i++)
        for (size_t e = 0; e < ev->n; e++) {
            if (e == c->rows[i].experiment || !ev->per_exp[e].has_costs)
                continue;
            int same = 0;
            for (size_t j = 0; j < c->n && !same; j++)
                same = c->rows[j].experiment == e &&
                       c->rows[j].area == c->rows[i].area &&
                       c->rows[j].period == c->rows[i].period &&
                       fabs(c->rows[j].amount_eur - c->rows[i].amount_eur) <
                           0.5;
            if (!same)
                return 0;
        }
    return 1;
}

static int identical_totals(const we_policy_eval *ev)
{
    size_t n = 0;
    double first = 0;
    for (size_t e = 0; e < ev->n; e++) {
        const we_policy_return *r = &ev->per_exp[e];
        if (!r->has_costs)
            continue;
        if (n++ == 0)
            first = r->total_eur;
        else if (fabs(r->total_eur - first) >= 0.5)
            return 0;
    }
    return n >= 2;
}

/* Ranked experiments by rank, then the others in config order. */
static int table_order(we_policy_eval *ev)
{
    ev->order = malloc((ev->n ? ev->n : 1) * sizeof *ev->order);
    if (ev->order == NULL)
        return -1;
    size_t k = 0;
    for (long r = 1; r <= (long)ev->n; r++)
        for (size_t e = 0; e < ev->n; e++)
            if (ev->per_exp[e].rank == r)
                ev->order[k++] = e;
    for (size_t e = 0; e < ev->n; e++)
        if (ev->per_exp[e].rank <= 0)
            ev->order[k++] = e;
    return 0;
}

int we_policy_evaluate(we_policy_eval *ev, const we_run *run)
{
    const we_panel *p = run->panel;
    ev->n = run->n_experiments;
    ev->n_ranked = 0;
    ev->per_exp = calloc(ev->n ? ev->n : 1, sizeof *ev->per_exp);
    unsigned char *mark = malloc(p->n_areas ? p->n_areas : 1);
    if (ev->per_exp == NULL || mark == NULL) {
        free(mark);
        return -1;
    }
    for (size_t e = 0; e < ev->n; e++) {
        const we_experiment_run *x = &run->experiments[e];
        we_policy_return *r = &ev->per_exp[e];
        r->headline = -1;
        r->per_resident = NAN;
        sum_costs(ev->in, e, p, mark, r);
        const we_run_design *rd = x->rd != NULL ? x->rd : run->rd;
        if (rd != NULL)
            residents(rd, p, mark, r);
        per_unit(run, x, r);
        r->not_credible = x->judgement.verdict == WE_HV_NOT_CREDIBLE;
        r->not_better = !r->not_credible &&
                        r->per_sd.status == WE_CPE_DEFINED &&
                        x->judgement.verdict != WE_HV_BETTER;
        ev->n_missing += r->n_treated - r->n_treated_costed;
    }
    free(mark);
    ev->missing_zero = run->cfg != NULL && run->cfg->costs_missing_zero;
    ev->identical_totals = identical_totals(ev);
    ev->even_split = even_split(ev);
    return rank(ev) != 0 || table_order(ev) != 0 ? -1 : 0;
}
