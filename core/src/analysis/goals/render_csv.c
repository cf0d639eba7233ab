/* targets.csv (one row per target) and policy_return.csv (one row per
 * experiment), next to results.csv; columns in docs/report.md. */
#include <math.h>

#include "model/goals.h"
#include "analysis/goals/render.h"
#include "report/report_internal.h"

static void csv_int(FILE *f, long v, int present)
{
    fputc(',', f);
    if (present)
        fprintf(f, "%ld", v);
}

int we_report_targets_csv(const we_run *run, FILE *f, we_error *err)
{
    const we_targets_eval *ev = goals_targets(run);
    if (ev == NULL)
        return we_fail(err, WE_EINVAL, "no targets to write");
    const we_panel *p = run->panel;
    fputs("area,area_name,municipality,kind,indicator,target_value,"
          "realised,deadline,description,status,current_period,"
          "current_value,baseline_value,observed_per_year,"
          "required_per_year,remaining\n", f);
    for (size_t i = 0; i < ev->in->n; i++) {
        const we_wijk_target *t = &ev->in->t[i];
        const we_target_result *r = &ev->res[i];
        const we_area_rec *a = &p->areas[t->area];
        we_report_csv_text(f, a->code, 0);
        fputc(',', f);
        we_report_csv_text(f, a->name, 0);
        fputc(',', f);
        we_report_csv_text(f, a->municipality, 0);
        fputs(t->indicator >= 0 ? ",numeric," : ",item,", f);
        if (t->indicator >= 0)
            we_report_csv_text(f, p->catalog[t->indicator].indicator, 0);
        we_report_csv_num(f, t->target);
        fputs(t->realised < 0 ? "," : t->realised ? ",yes" : ",no", f);
        csv_int(f, t->deadline, 1);
        fputc(',', f);
        we_report_csv_text(f, t->description, 0);
        fprintf(f, ",%s", we_goal_status_name(r->status));
        csv_int(f, r->current_period, r->current_period != 0);
        we_report_csv_num(f, r->current_value);
        we_report_csv_num(f, r->baseline_value);
        we_report_csv_num(f, r->observed_per_year);
        we_report_csv_num(f, r->required_per_year);
        we_report_csv_num(f, r->remaining);
        fputc('\n', f);
    }
    return 0;
}

static void csv_cpe(FILE *f, const we_cpe *c)
{
    fprintf(f, ",%s", we_cpe_status_name(c->status));
    we_report_csv_num(f, c->value);
    we_report_csv_num(f, c->low);
    we_report_csv_num(f, c->high);
}

/* The ids of the overlapping experiments, ';'-separated in one cell. */
static void csv_overlaps(FILE *f, const we_run *run,
                         const we_policy_return *r)
{
    fputc(',', f);
    for (size_t i = 0; i < r->n_overlaps; i++) {
        if (i > 0)
            fputc(';', f);
        we_report_csv_text(f, run->experiments[r->overlaps[i]].id, 0);
    }
}

static void csv_headline(FILE *f, const we_experiment_run *x,
                         const we_policy_return *r)
{
    const we_result_rec *h = r->headline >= 0 ? &x->results[r->headline]
                                              : NULL;
    fputc(',', f);
    if (h != NULL)
        we_report_csv_text(f, h->indicator, 0);
    fprintf(f, ",%s", h ? we_report_method_name(h->est.method) : "");
    we_report_csv_num(f, h ? h->est.estimate : NAN);
    we_report_csv_num(f, h ? h->est.ci_low : NAN);
    we_report_csv_num(f, h ? h->est.ci_high : NAN);
}

int we_report_policy_csv(const we_run *run, FILE *f, we_error *err)
{
    const we_policy_eval *ev = goals_policy(run);
    if (ev == NULL)
        return we_fail(err, WE_EINVAL, "no costs to write");
    fputs("experiment,total_eur,cost_rows,first_period,last_period,"
          "treated_wijken,treated_wijken_with_costs,"
          "treated_wijken_without_population,treated_residents,"
          "cost_per_resident,indicator,method,estimate,ci_low,ci_high,"
          "cost_per_unit_status,cost_per_unit,cost_per_unit_low,"
          "cost_per_unit_high,cost_per_sd_status,cost_per_sd,"
          "cost_per_sd_low,cost_per_sd_high,rank,"
          "not_distinguishable_from\n", f);
    for (size_t e = 0; e < ev->n; e++) {
        const we_policy_return *r = &ev->per_exp[e];
        const we_experiment_run *x = &run->experiments[e];
        we_report_csv_text(f, x->id, 0);
        we_report_csv_num(f, r->total_eur);
        csv_int(f, (long)r->n_rows, 1);
        csv_int(f, r->first_period, r->has_costs);
        csv_int(f, r->last_period, r->has_costs);
        csv_int(f, (long)r->n_treated, 1);
        csv_int(f, (long)r->n_treated_costed, 1);
        csv_int(f, (long)r->n_no_population, 1);
        we_report_csv_num(f, r->residents);
        we_report_csv_num(f, r->per_resident);
        csv_headline(f, x, r);
        csv_cpe(f, &r->per_unit);
        csv_cpe(f, &r->per_sd);
        csv_int(f, r->rank, r->rank > 0);
        csv_overlaps(f, run, r);
        fputc('\n', f);
    }
    return 0;
}
