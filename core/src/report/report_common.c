/* What every human-readable report reads the same way: the warnings the
 * analysis layer judged (analysis/judge.c), the primary result and the
 * order of the experiments. report.md and report.html both use these, so
 * they never disagree. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_lang.h"

int we_report_pretrend_rejected(const we_run *run, const we_result_rec *r)
{
    (void)run;
    return r != NULL && r->x.pretrend_rejected;
}

int we_report_underpowered(const we_run *run, const we_result_rec *r)
{
    (void)run;
    return r != NULL && r->x.underpowered;
}

const we_result_rec *we_report_primary(const we_experiment_run *x)
{
    const we_result_rec *h = we_report_headline(x);
    for (size_t i = 0; h == NULL && x->status == WE_EXP_OK &&
                       i < x->n_results; i++)
        if (x->results[i].role == WE_ROLE_PRIMARY)
            h = &x->results[i];
    return h;
}

/* Insertion sort: stable, and there are a handful of experiments. */
size_t *we_report_order_by_effect(const we_run *run)
{
    size_t n = run->n_experiments;
    size_t *ix = malloc((n > 0 ? n : 1) * sizeof *ix);
    if (ix == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        double d = we_report_headline_delta(&run->experiments[i]);
        size_t j = i;
        while (j > 0 && isfinite(d)) {
            double e = we_report_headline_delta(&run->experiments[ix[j - 1]]);
            if (isfinite(e) && e >= d)
                break;
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = i;
    }
    return ix;
}

/* A run whose plugins ran without the sandbox says so in every report;
 * a sandboxed run's provenance stays as it was. */
int we_report_unsandboxed(const we_run *run)
{
    return run->sandbox != NULL && strcmp(run->sandbox, "strict") != 0;
}

const char *we_report_comparison(const we_experiment_run *x)
{
    switch (x->comparison) {
    case WE_EXP_CMP_PROGRAMME: return "programme";
    case WE_EXP_CMP_MATCHED: return "matched";
    default: return "untreated";
    }
}

const char *we_report_question_id(const we_experiment_run *x)
{
    if (x->is_programme)
        return "programme";
    return x->comparison == WE_EXP_CMP_PROGRAMME ? "added_value"
                                                 : "programme_and_experiment";
}

int we_report_question_text(const we_experiment_run *x)
{
    if (x->is_programme)
        return T_PROGRAMME_NOTE;
    switch (x->comparison) {
    case WE_EXP_CMP_PROGRAMME: return T_Q_ADDED;
    case WE_EXP_CMP_MATCHED: return T_Q_MATCHED;
    default: return T_Q_TOGETHER;
    }
}
