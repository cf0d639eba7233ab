#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"

#define DASH "\xe2\x80\x94" /* em dash: a number that does not exist */

/* Three significant digits read well in a table; large amounts (euros,
 * counts) are shown whole rather than as 2.16e+05. */
static const char *md_num(char *buf, size_t n, double x)
{
    if (!isfinite(x))
        return DASH;
    double a = fabs(x);
    if (a >= 1000 && a < 1e15)
        snprintf(buf, n, "%.0f", x);
    else
        snprintf(buf, n, "%.3g", x);
    we_report_c_decimal(buf);
    return buf;
}

static const char *md_p(char *buf, size_t n, double p)
{
    if (!isfinite(p))
        return DASH;
    if (p < 0.001)
        return "<0.001";
    snprintf(buf, n, "%.3f", p);
    we_report_c_decimal(buf);
    return buf;
}

/* Text inside a table cell: a '|' would split the cell and a line break
 * would end the table. */
static void md_cell(FILE *f, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        fputs(DASH, f);
        return;
    }
    for (; *s != '\0'; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void md_ci(FILE *f, double lo, double hi)
{
    char a[40], b[40];
    if (!isfinite(lo) || !isfinite(hi)) {
        fputs(DASH, f);
        return;
    }
    fprintf(f, "[%s, %s]", md_num(a, sizeof a, lo), md_num(b, sizeof b, hi));
}

static const char *method_label(we_method m)
{
    switch (m) {
    case WE_METHOD_PRE_POST: return "before/after";
    case WE_METHOD_GAP: return "gap";
    case WE_METHOD_DID_2X2: return "DiD 2\xc3\x97" "2";
    case WE_METHOD_TWFE: return "TWFE";
    default: return "unknown";
    }
}

static const char *exp_title(const we_experiment_run *x)
{
    if (x->title_en != NULL && x->title_en[0] != '\0')
        return x->title_en;
    if (x->title_nl != NULL && x->title_nl[0] != '\0')
        return x->title_nl;
    return x->id;
}

/* The (1 - alpha) level as "95". */
static const char *ci_level(char *buf, size_t n, double alpha)
{
    return md_num(buf, n, 100.0 * (1.0 - alpha));
}

static void md_indicator(FILE *f, const we_panel *p, const char *indicator)
{
    const we_catalog_rec *cat = we_report_catalog(p, indicator);
    if (cat == NULL || cat->label_en == NULL || cat->label_en[0] == '\0') {
        md_cell(f, indicator);
        return;
    }
    md_cell(f, cat->label_en);
    if (cat->unit != NULL && cat->unit[0] != '\0') {
        fputs(" (", f);
        md_cell(f, cat->unit);
        fputc(')', f);
    }
}

/* better / worse only when the interval excludes 0; the sign of the
 * interval, not of the point estimate, decides. */
static const char *verdict(const we_estimate *e, const we_catalog_rec *cat)
{
    int up = isfinite(e->ci_low) && e->ci_low > 0;
    int down = isfinite(e->ci_high) && e->ci_high < 0;
    if (cat == NULL || !(up || down) ||
        !isfinite(e->ci_low) || !isfinite(e->ci_high))
        return "unclear";
    if (cat->direction == WE_HIGHER_IS_BETTER)
        return up ? "better" : "worse";
    if (cat->direction == WE_LOWER_IS_BETTER)
        return down ? "better" : "worse";
    return "unclear";
}

static const we_result_rec *find_primary(const we_experiment_run *x,
                                         int want_twfe)
{
    for (size_t i = 0; i < x->n_results; i++) {
        const we_result_rec *r = &x->results[i];
        if (r->role == WE_ROLE_PRIMARY &&
            (!want_twfe || r->est.method == WE_METHOD_TWFE))
            return r;
    }
    return NULL;
}

static void md_header(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    const we_panel *p = run->panel;
    fputs("# ", f);
    md_cell(f, c->title != NULL && c->title[0] != '\0' ? c->title : c->name);
    fputs("\n\nRun: ", f);
    md_cell(f, c->name);
    fprintf(f, " (wijkeval %s)\n\nData: %zu areas",
            run->version != NULL ? run->version : "unknown", p->n_areas);
    if (p->n_periods > 0 && p->periods != NULL)
        fprintf(f, ", periods %d\xe2\x80\x93%d", p->periods[0],
                p->periods[p->n_periods - 1]);
    fprintf(f, ", baseline (nulmeting) %d", c->baseline);
    for (size_t i = 0; i < c->n_followup; i++)
        fprintf(f, "%s%d", i == 0 ? "; follow-up " : ", ", c->followup[i]);
    fputs(".\n\n", f);
}

static const char *comparison_text(we_comparison_mode m)
{
    switch (m) {
    case WE_COMPARISON_SAME_MUNICIPALITY:
        return "untreated areas in municipalities with a treated area";
    case WE_COMPARISON_LIST:
        return "a listed set of areas";
    default:
        return "all untreated areas";
    }
}

static void md_design(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    char lv[40];
    fprintf(f, "Design: comparison group: %s; gap reference: %s mean; "
               "standard errors clustered by %s; %s%% intervals.\n\n",
            comparison_text(c->comparison),
            c->gap_reference == WE_GAP_NATIONAL ? "national" : "municipality",
            c->cluster == WE_CLUSTER_MUNICIPALITY ? "municipality" : "area",
            ci_level(lv, sizeof lv, c->alpha));
}

static void md_summary_effect(const we_run *run, FILE *f,
                              const we_experiment_run *x)
{
    const we_result_rec *r = find_primary(x, 1);
    const we_result_rec *any = r != NULL ? r : find_primary(x, 0);
    char b[40];
    if (any != NULL)
        md_indicator(f, run->panel, any->indicator);
    else
        fputs(DASH, f);
    if (r == NULL) {
        fputs(" | " DASH " | unclear | ", f);
        return;
    }
    fprintf(f, " | %s ", md_num(b, sizeof b, r->est.estimate));
    md_ci(f, r->est.ci_low, r->est.ci_high);
    fprintf(f, " | %s | ",
            verdict(&r->est, we_report_catalog(run->panel, r->indicator)));
}

static void md_summary_row(const we_run *run, FILE *f,
                           const we_experiment_run *x)
{
    fputs("| ", f);
    md_cell(f, exp_title(x));
    fputs(" | ", f);
    if (x->status == WE_EXP_OK) {
        md_summary_effect(run, f, x);
        fputs("ok |\n", f);
        return;
    }
    fputs(DASH " | " DASH " | " DASH " | failed: ", f);
    md_cell(f, x->error != NULL ? x->error : "no message");
    fputs(" |\n", f);
}

static void md_summary(const we_run *run, FILE *f)
{
    char lv[40];
    ci_level(lv, sizeof lv, run->cfg->alpha);
    fprintf(f, "## Experiments at a glance\n\n"
               "| Experiment | Primary indicator | TWFE effect (%s%% CI) "
               "| Direction | Status |\n|---|---|---|---|---|\n", lv);
    for (size_t i = 0; i < run->n_experiments; i++)
        md_summary_row(run, f, &run->experiments[i]);
    fprintf(f, "\nEffects are in the indicator's own unit. Direction is "
               "*better* when the effect lies in the indicator's good "
               "direction and its %s%% interval excludes 0, *worse* when it "
               "lies in the bad direction and the interval excludes 0, "
               "and *unclear* otherwise.\n\n", lv);
}

static void md_result_row(const we_run *run, FILE *f, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    char b[40], n1[24], n2[24];
    fputs("| ", f);
    md_indicator(f, run->panel, r->indicator);
    fprintf(f, " | %s | %s%s | %s | ", we_report_role_name(r->role),
            method_label(e->method),
            e->method != WE_METHOD_GAP ? ""
            : e->closing               ? " (closing)"
                                       : " (not closing)",
            md_num(b, sizeof b, e->estimate));
    md_ci(f, e->ci_low, e->ci_high);
    snprintf(n1, sizeof n1, "%ld", e->n_treated);
    snprintf(n2, sizeof n2, "%ld", e->n_control);
    fprintf(f, " | %s | %s / %s |\n", md_p(b, sizeof b, e->p_value),
            e->n_treated >= 0 ? n1 : DASH, e->n_control >= 0 ? n2 : DASH);
}

static void md_results(const we_run *run, FILE *f, const we_experiment_run *x)
{
    char lv[40];
    if (x->n_results == 0) {
        fputs("No results were reported.\n\n", f);
        return;
    }
    fprintf(f, "| Indicator | Role | Method | Estimate | %s%% CI | p "
               "| Treated / control |\n|---|---|---|---:|---|---:|---:|\n",
            ci_level(lv, sizeof lv, run->cfg->alpha));
    for (size_t i = 0; i < x->n_results; i++)
        md_result_row(run, f, &x->results[i]);
    fputc('\n', f);
}

static void md_metrics(FILE *f, const we_experiment_run *x)
{
    char b[40];
    if (x->n_metrics == 0)
        return;
    fputs("Domain metrics:\n\n| Metric | Value | Unit | Description |\n"
          "|---|---:|---|---|\n", f);
    for (size_t i = 0; i < x->n_metrics; i++) {
        const we_metric_rec *m = &x->metrics[i];
        fputs("| ", f);
        md_cell(f, m->name);
        fprintf(f, " | %s | ", md_num(b, sizeof b, m->value));
        md_cell(f, m->unit);
        fputs(" | ", f);
        md_cell(f, m->description);
        fputs(" |\n", f);
    }
    fputc('\n', f);
}

static void md_experiment(const we_run *run, FILE *f,
                          const we_experiment_run *x)
{
    fputs("## ", f);
    md_cell(f, exp_title(x));
    fputs(" (", f);
    md_cell(f, x->id);
    if (x->version != NULL && x->version[0] != '\0') {
        fputs(", version ", f);
        md_cell(f, x->version);
    }
    fputs(")\n\n", f);
    if (x->summary != NULL && x->summary[0] != '\0') {
        md_cell(f, x->summary);
        fputs("\n\n", f);
    }
    if (x->status != WE_EXP_OK) {
        fputs("**Failed:** ", f);
        md_cell(f, x->error != NULL ? x->error : "no message");
        fputs("\n\n", f);
        return;
    }
    md_results(run, f, x);
    md_metrics(f, x);
}

static void md_methods(FILE *f)
{
    fputs("## Methods\n\n"
          "- *before/after* (pre_post): change of the treated areas' mean "
          "from the baseline to the latest follow-up; no comparison group, "
          "so it shows change, not effect.\n"
          "- *gap* (gap): change of the treated areas' gap to the reference "
          "mean from the baseline to the latest follow-up; *closing* when a "
          "deficit shrinks. Catching up, not a causal effect.\n"
          "- *DiD 2\xc3\x97" "2* (did_2x2): change of the treated areas minus "
          "the change of the comparison areas, baseline against the mean of "
          "the follow-up periods.\n"
          "- *TWFE* (twfe): two-way fixed-effects difference-in-differences "
          "over all periods up to the latest follow-up, with cluster-robust "
          "standard errors.\n\n", f);
}

static void md_provenance(const we_run *run, FILE *f)
{
    const we_config *c = run->cfg;
    char t0[32], t1[32];
    if (we_report_iso_time(t0, sizeof t0, run->started) != 0)
        strcpy(t0, "unknown");
    if (we_report_iso_time(t1, sizeof t1, run->finished) != 0)
        strcpy(t1, "unknown");
    fprintf(f, "## Provenance\n\n- wijkeval version: %s\n- Configuration: ",
            run->version != NULL ? run->version : "unknown");
    md_cell(f, c->path);
    fprintf(f, "\n- Configuration SHA-256: %s\n- Data SHA-256: %s\n"
               "- Seed: %" PRIu64 "\n- Started: %s\n- Finished: %s\n",
            c->config_sha256, run->panel->data_sha256, c->seed, t0, t1);
}

int we_report_md(const we_run *run, FILE *f, we_error *err)
{
    (void)err;
    md_header(run, f);
    md_design(run, f);
    md_summary(run, f);
    for (size_t i = 0; i < run->n_experiments; i++)
        md_experiment(run, f, &run->experiments[i]);
    md_methods(f);
    md_provenance(run, f);
    return 0;
}
