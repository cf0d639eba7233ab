/* The design of an ad-hoc estimate, from command-line options. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_estimate.h"
#include "report/report.h"
#include "methods/methods.h"

static int add_treated(we_config *c, const char *area, int from, int line,
                       const char *source)
{
    we_treated_cfg *t = realloc(c->treated, (c->n_treated + 1) * sizeof *t);
    if (t == NULL)
        return -1;
    c->treated = t;
    t = &c->treated[c->n_treated];
    memset(t, 0, sizeof *t);
    t->area = we_strdup(area);
    t->wave = we_strdup("");
    t->from = from;
    t->line = line;
    t->source = source;
    if (t->area == NULL || t->wave == NULL)
        return -1;
    c->n_treated++;
    return 0;
}

static int treated_from_list(we_config *c, const est_args *a, we_error *err)
{
    char *copy = we_strdup(a->treated), *save = NULL;
    int rc = copy ? 0 : we_fail(err, WE_ENOMEM, "out of memory");
    for (char *tok = copy ? strtok_r(copy, ",", &save) : NULL;
         rc == 0 && tok; tok = strtok_r(NULL, ",", &save))
        if (add_treated(c, tok, a->from, 0, "--treated") != 0)
            rc = we_fail(err, WE_ENOMEM, "out of memory");
    free(copy);
    return rc;
}

static int set_periods(we_config *c, const est_args *a, const we_panel *p,
                       we_error *err)
{
    int first = INT_MAX;
    for (size_t k = 0; k < c->n_treated; k++)
        if (c->treated[k].from < first)
            first = c->treated[k].from;
    c->baseline = a->baseline;
    for (size_t t = 0; a->baseline < 0 && t < p->n_periods; t++)
        if (p->periods[t] < first)
            c->baseline = p->periods[t];
    if (c->baseline < 0)
        return we_fail(err, WE_EINVAL,
                       "no period before the first treatment (%d) "
                       "in %s to serve as baseline",
                       first, a->data);
    c->followup = calloc(p->n_periods, sizeof *c->followup);
    if (c->followup == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t t = 0; t < p->n_periods; t++)
        if (p->periods[t] >= first && p->periods[t] > c->baseline)
            c->followup[c->n_followup++] = p->periods[t];
    if (c->n_followup == 0)
        return we_fail(err, WE_EINVAL,
                       "no period at or after the first treatment "
                       "(%d) in %s",
                       first, a->data);
    return 0;
}

/* --programme: the treated areas read so far are the experiment's (its
 * assignment, experiment "estimate"); the programme file's are the
 * run's treated areas. */
static int programme_and_experiment(we_config *c, const est_args *a,
                                    we_error *err)
{
    c->assigned = calloc(c->n_treated ? c->n_treated : 1,
                         sizeof *c->assigned);
    c->assignment_path = we_strdup(a->treatment ? a->treatment
                                                : "--treated");
    if (c->assigned == NULL || c->assignment_path == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < c->n_treated; k++) {
        we_assigned_cfg *x = &c->assigned[c->n_assigned];
        x->experiment = we_strdup("estimate");
        x->area = we_strdup(c->treated[k].area);
        x->from = c->treated[k].from;
        x->line = c->treated[k].line;
        c->n_assigned++;
        if (x->experiment == NULL || x->area == NULL)
            return we_fail(err, WE_ENOMEM, "out of memory");
    }
    we_config_clear_areas(c);
    free(c->treatment_path);
    c->treatment_path = NULL;
    return we_config_read_treatment(c, a->programme, err);
}

int build_estimate_config(we_config *c, const est_args *a,
                          const we_panel *p, we_error *err)
{
    memset(c, 0, sizeof *c);
    c->path = we_strdup("(command line)");
    c->name = we_strdup("estimate");
    c->indicators_path = we_strdup(a->data);
    c->areas_path = we_strdup(a->areas ? a->areas : "(derived from codes)");
    c->catalog_path = we_strdup(a->catalog ? a->catalog : "(none)");
    c->comparison = WE_COMPARISON_UNTREATED;
    c->gap_reference = WE_GAP_MUNICIPALITY;
    c->gap_weighted = 1;
    c->alpha = a->alpha;
    c->cluster = a->cluster;
    c->seed = a->seed;
    c->inference.method = a->inference;
    c->inference.boot_reps = a->reps;
    c->inference.boot_weights = a->webb;
    c->designs.cs_boot_reps = 999;
    c->designs.sdid_reps = 200;
    if (a->adjacency != NULL &&
        (c->adjacency_path = we_strdup(a->adjacency)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    if (!c->path || !c->name || !c->indicators_path || !c->areas_path ||
        !c->catalog_path)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = a->treatment ? we_config_read_treatment(c, a->treatment, err)
                          : treated_from_list(c, a, err);
    if (rc == 0 && a->programme != NULL)
        rc = programme_and_experiment(c, a, err);
    return rc == 0 ? set_periods(c, a, p, err) : -1;
}

void free_estimate_config(we_config *c)
{
    for (size_t k = 0; k < c->n_treated; k++) {
        free(c->treated[k].area);
        free(c->treated[k].wave);
    }
    free(c->treated);
    free(c->followup);
    free(c->path);
    free(c->name);
    free(c->indicators_path);
    free(c->areas_path);
    free(c->catalog_path);
    free(c->adjacency_path);
    free(c->treatment_path);
    for (size_t k = 0; k < c->n_assigned; k++) {
        free(c->assigned[k].experiment);
        free(c->assigned[k].area);
    }
    free(c->assigned);
    free(c->assignment_path);
    memset(c, 0, sizeof *c);
}

void print_estimate(FILE *out, const we_result_rec *r, const we_config *c,
                    const char *mde_why)
{
    const we_estimate *e = &r->est;
    char text[640];
    fprintf(out, "%s, %s\n", r->indicator, we_method_name(e->method));
    fprintf(out, "  estimate   %.6g\n", e->estimate);
    if (isfinite(e->se))
        fprintf(out, "  se         %.6g\n", e->se);
    else
        fprintf(out, "  se         none (%s)\n",
               e->inference == WE_INFERENCE_PLACEBO
                   ? "placebo inference has no standard error"
                   : "undefined for this design");
    fprintf(out, "  interval   [%.6g, %.6g]\n", e->ci_low, e->ci_high);
    we_report_interval_note(text, sizeof text, r, c->alpha);
    if (text[0])
        fprintf(out, "             interval %s\n", text);
    we_report_inference_text(text, sizeof text, r, c);
    fprintf(out, "  p-value    %.4g (%s)\n", e->p_value, text);
    fprintf(out, "  areas      %ld treated, %ld comparison; %ld observations\n",
           e->n_treated, e->n_control, e->n_obs);
    const we_mde *m = &r->x.mde;
    if (r->x.has_mde && m->simulated)
        fprintf(out, "  mde        %.4g (power %g, alpha %g; by simulation: sd "
               "%.4g of the %s estimate over %zu simulated null panels)\n",
               m->mde, m->power, m->alpha, m->sim_sd,
               we_method_name(m->method), m->sim_reps);
    else if (r->x.has_mde)
        fprintf(out, "  mde        %.4g (power %g, alpha %g; analytic, TWFE "
               "with CR1)\n", m->mde, m->power, m->alpha);
    if (!r->x.has_mde && mde_why != NULL && mde_why[0])
        fprintf(out, "  mde        not available: %s\n", mde_why);
    if (r->x.has_mde && isinf(m->mde))
        fprintf(out, "             no effect is detectable: the smallest "
               "attainable placebo p-value exceeds alpha\n");
    if (r->x.descriptive)
        fprintf(out, "  descriptive %s\n", r->x.descriptive_reason);
}
