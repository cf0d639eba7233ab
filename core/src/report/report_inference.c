/* What every report format says about inference and evidence: names,
 * descriptions and the headline of an experiment. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"

we_inference we_report_inference_of(const we_estimate *e)
{
    if (e->inference != WE_INFERENCE_NONE)
        return e->inference;
    /* What the core methods always use; an estimate from a plugin built
     * against an older header carries no inference field. */
    return e->method == WE_METHOD_PRE_POST || e->method == WE_METHOD_GAP
               ? WE_INFERENCE_T_PAIRED
               : WE_INFERENCE_CR1;
}

const char *we_report_inference_name(we_inference i)
{
    switch (i) {
    case WE_INFERENCE_T_PAIRED: return "t_paired";
    case WE_INFERENCE_CR1: return "cr1";
    case WE_INFERENCE_WILD_RADEMACHER: return "wild_rademacher";
    case WE_INFERENCE_WILD_WEBB: return "wild_webb";
    case WE_INFERENCE_INFLUENCE: return "influence_function";
    case WE_INFERENCE_PLACEBO: return "placebo";
    case WE_INFERENCE_JACKKNIFE: return "jackknife";
    case WE_INFERENCE_BOOTSTRAP: return "unit_bootstrap";
    default: return "unknown";
    }
}

void we_report_grouped(char *buf, size_t n, unsigned long long v)
{
    char digits[32], out[48];
    int len = snprintf(digits, sizeof digits, "%llu", v);
    size_t k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(buf, n, "%s", out);
}

static void wild_text(char *buf, size_t n, const we_result_rec *r,
                      const char *by)
{
    const we_estimate *e = &r->est;
    char reps[48];
    const char *w = e->inference == WE_INFERENCE_WILD_WEBB ? "Webb"
                                                          : "Rademacher";
    we_report_grouped(reps, sizeof reps,
                      e->inference_reps > 0
                          ? (unsigned long long)e->inference_reps
                          : 0ULL);
    if (r->x.boot_enumerated)
        snprintf(buf, n, "wild cluster bootstrap by %s (WCR, %s, all %s "
                         "sign vectors, exact); se: CR1 with t(G-1)",
                 by, w, reps);
    else
        snprintf(buf, n, "wild cluster bootstrap by %s (WCR, %s, %s "
                         "replications); se: CR1 with t(G-1)",
                 by, w, reps);
}

void we_report_inference_text(char *buf, size_t n, const we_result_rec *r,
                              const we_config *c)
{
    const we_estimate *e = &r->est;
    const char *by = c != NULL && c->cluster == WE_CLUSTER_AREA
                         ? "area"
                         : "municipality";
    switch (we_report_inference_of(e)) {
    case WE_INFERENCE_WILD_RADEMACHER:
    case WE_INFERENCE_WILD_WEBB:
        wild_text(buf, n, r, by);
        return;
    case WE_INFERENCE_CR1:
        snprintf(buf, n, "CR1 cluster-robust by %s, t(G-1)", by);
        return;
    case WE_INFERENCE_INFLUENCE:
        snprintf(buf, n, "influence function clustered by %s, normal "
                         "reference (Callaway-Sant'Anna)", by);
        return;
    case WE_INFERENCE_PLACEBO:
        snprintf(buf, n, e->method == WE_METHOD_SC
                             ? "placebo-in-space rank of the post/pre RMSPE "
                               "ratio over %ld donors"
                             : "placebo variance over %ld placebo "
                               "treatments, normal reference",
                 e->inference_reps);
        return;
    case WE_INFERENCE_JACKKNIFE:
        snprintf(buf, n, "jackknife over units, normal reference");
        return;
    case WE_INFERENCE_BOOTSTRAP:
        snprintf(buf, n, "unit bootstrap (%ld draws), normal reference",
                 e->inference_reps);
        return;
    default:
        snprintf(buf, n, "%s", we_report_inference(e->method, c));
        return;
    }
}

int we_report_enriched(const we_result_rec *r)
{
    return r->x.enriched;
}

const we_result_rec *we_report_headline(const we_experiment_run *x)
{
    /* A failed experiment's headline was never set; its index means
     * nothing. */
    if (x->status != WE_EXP_OK || x->headline < 0 ||
        (size_t)x->headline >= x->n_results)
        return NULL;
    return &x->results[x->headline];
}

double we_report_headline_delta(const we_experiment_run *x)
{
    const we_result_rec *r = we_report_headline(x);
    if (r == NULL || !r->x.has_effect_size)
        return NAN;
    return r->x.effect_size.glass_delta;
}

const char *we_report_adjust_name(we_adjust_method a)
{
    return a == WE_ADJUST_BH ? "bh" : "holm";
}
