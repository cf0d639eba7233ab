/* What every report format says about inference and evidence: names,
 * descriptions and the headline of an experiment. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"
#include "report/report_lang.h"

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

/* SC: the rank of the RMSPE ratio among the donors' placebo fits; SDID:
 * the rank of |estimate| among the placebo assignments (all of them when
 * exact); both with the interval by test inversion. An SDID estimate
 * from a plugin (no detail) used the placebo variance. */
static void placebo_text(char *buf, size_t n, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    const we_design_detail *d = &r->x.detail;
    if (e->method == WE_METHOD_SC && d->has_sc && d->sc.n_groups > 0)
        snprintf(buf, n,
                 "placebo-in-space rank of the post/pre RMSPE "
                 "ratio: the treated average among itself and %ld "
                 "placebo groups of donors in the treated group's "
                 "municipality shape (%s; smallest attainable p "
                 "1/%ld); interval by test inversion",
                 e->inference_reps,
                 d->sc.groups_exact ? "all of them, exact" : "drawn at random",
                 e->inference_reps + 1);
    else if (e->method == WE_METHOD_SC)
        snprintf(buf, n, "placebo-in-space rank of the post/pre RMSPE "
                         "ratio: treated among itself and %ld donors (smallest "
                         "attainable p 1/%ld); interval by test inversion",
                 e->inference_reps, e->inference_reps + 1);
    else if (d->has_sdid && d->sdid.perm_n > 0)
        snprintf(
            buf, n,
            "placebo permutation: rank of |estimate| among the actual and "
            "%ld placebo assignments (%s; "
            "smallest attainable p 1/%ld); interval by test "
            "inversion",
            e->inference_reps,
            d->sdid.perm_exact ? "all of them, exact"
                               : "drawn at random in the treated "
                                 "group's municipality shape",
            e->inference_reps + 1);
    else
        snprintf(buf, n, "placebo variance over %ld placebo treatments, "
                         "normal reference", e->inference_reps);
}

void we_report_interval_note_lang(char *buf, size_t n, const we_result_rec *r,
                                  double alpha, we_lang l)
{
    int nl = l == WE_LANG_NL;
    const we_estimate *e = &r->est;
    buf[0] = '\0';
    if (isfinite(e->ci_low) && isfinite(e->ci_high))
        return;
    we_inference i = we_report_inference_of(e);
    if (!isnan(e->ci_low) && !isnan(e->ci_high) &&
        i == WE_INFERENCE_PLACEBO && e->inference_reps > 0 &&
        1.0 / (double)(e->inference_reps + 1) > alpha)
        snprintf(buf, n,
                 nl ? "onbegrensd: met %ld placebo's is de kleinst "
                      "haalbare p-waarde 1/%ld = %.3g, boven alfa "
                      "= %g, dus geen effect kan worden verworpen; "
                      "voeg vergelijkingsgebieden toe of lees de "
                      "placeborang (p-waarde)"
                    : "unbounded: with %ld placebos the smallest "
                      "attainable p-value is 1/%ld = %.3g, above alpha "
                      "= %g, so no effect can be rejected; add "
                      "comparison areas or read the placebo rank "
                      "(p-value) instead",
                 e->inference_reps, e->inference_reps + 1,
                 1.0 / (double)(e->inference_reps + 1), alpha);
    else if (!isnan(e->ci_low) && !isnan(e->ci_high) &&
             (i == WE_INFERENCE_WILD_RADEMACHER ||
              i == WE_INFERENCE_WILD_WEBB))
        snprintf(buf, n,
                 nl ? "onbegrensd: de wild bootstrap-toets verwerpt "
                      "aan die kant geen effect met %g clusters (te "
                      "weinig, of te weinig aangepakte); gebruik "
                      "randomisatie-inferentie of voeg "
                      "vergelijkingsgemeenten toe"
                    : "unbounded: the wild bootstrap test rejects no "
                      "effect on that side with %g clusters (too few, "
                      "or too few treated); use randomisation inference "
                      "or add comparison municipalities",
                 e->df + 1.0);
    else if (e->method == WE_METHOD_SC && i == WE_INFERENCE_PLACEBO &&
             (isinf(e->ci_low) || isinf(e->ci_high)))
        /* 1 / (J + 1) <= alpha: the k-th largest placebo ratio is
         * infinite, i.e. a placebo's pre-period RMSPE is 0 */
        snprintf(buf, n, "%s", we_tr(l, T_CI_INF_SC_FIT));
    else if (e->method == WE_METHOD_SC && r->x.detail.has_sc &&
             r->x.detail.sc.average.ci_empty)
        snprintf(buf, n, "%s", we_tr(l, T_CI_EMPTY_SC));
    else if (i == WE_INFERENCE_PLACEBO && e->inference_reps <= 0)
        snprintf(buf, n, "%s", we_tr(l, T_CI_NO_PLACEBO));
    else
        snprintf(buf, n,
                 nl ? "niet beschikbaar: de standaardfout of haar "
                      "vrijheidsgraden zijn niet gedefinieerd (se = "
                      "%g, df = %g); controleer dat er aangepakte en "
                      "vergelijkingsgebieden in minstens twee "
                      "clusters zijn"
                    : "not available: the standard error or its degrees "
                      "of freedom are undefined (se = %g, df = %g); "
                      "check that there are treated and comparison areas "
                      "in at least two clusters",
                 e->se, e->df);
}

void we_report_interval_note(char *buf, size_t n, const we_result_rec *r,
                             double alpha)
{
    we_report_interval_note_lang(buf, n, r, alpha, WE_LANG_EN);
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
        if (isfinite(e->df))
            snprintf(buf, n, "influence function clustered by %s, t(G-1) "
                             "with %g df (Callaway-Sant'Anna)", by, e->df);
        else
            snprintf(buf, n, "influence function clustered by %s, normal "
                             "reference (Callaway-Sant'Anna)", by);
        return;
    case WE_INFERENCE_PLACEBO:
        placebo_text(buf, n, r);
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

/* The Dutch counterpart of we_report_inference_text, for the kinds the
 * core methods produce; 0 when it has none for r. */
static int inference_nl(char *buf, size_t n, const we_result_rec *r,
                        const we_config *c)
{
    const we_estimate *e = &r->est;
    const char *by =
        c != NULL && c->cluster == WE_CLUSTER_AREA ? "gebied" : "gemeente";
    char reps[48];
    we_inference i = we_report_inference_of(e);
    we_lang_count(reps, sizeof reps,
                  e->inference_reps > 0 ? (unsigned long long)e->inference_reps
                                        : 0ULL,
                  WE_LANG_NL);
    if (i == WE_INFERENCE_WILD_RADEMACHER || i == WE_INFERENCE_WILD_WEBB)
        snprintf(buf, n,
                 "wild cluster bootstrap per %s (WCR, %s, %s%s %s); "
                 "se: CR1 met t(G-1)",
                 by, i == WE_INFERENCE_WILD_WEBB ? "Webb" : "Rademacher",
                 r->x.boot_enumerated ? "alle " : "", reps,
                 r->x.boot_enumerated ? "tekenvectoren, exact"
                                      : "replicaties");
    else if (i == WE_INFERENCE_CR1)
        snprintf(buf, n, "CR1 clusterrobuust per %s, t(G-1)", by);
    else if (i == WE_INFERENCE_T_PAIRED)
        snprintf(buf, n, "gepaarde t met n-1 vrijheidsgraden");
    else
        return 0;
    return 1;
}

/* The inference of the comparison designs in Dutch: what produced the
 * p-value and interval, with the degrees of freedom or the number of
 * placebos; 0 when it has none for r. */
static int inference_design_nl(char *buf, size_t n, const we_result_rec *r,
                               const we_config *c)
{
    const we_estimate *e = &r->est;
    const we_design_detail *d = &r->x.detail;
    if (e->inference == WE_INFERENCE_INFLUENCE && isfinite(e->df))
        snprintf(buf, n,
                 "invloedsfunctie geclusterd per %s, t(G-1) met "
                 "%g vrijheidsgraden (Callaway-Sant'Anna)",
                 c != NULL && c->cluster == WE_CLUSTER_AREA ? "gebied"
                                                            : "gemeente",
                 e->df);
    else if (e->inference == WE_INFERENCE_INFLUENCE)
        snprintf(buf, n, "invloedsfunctie, normale verdeling");
    else if (e->inference == WE_INFERENCE_PLACEBO &&
             e->method == WE_METHOD_SC && d->has_sc && d->sc.n_groups > 0)
        snprintf(buf, n,
                 "placebotoets: rang van de RMSPE-verhouding van het "
                 "gemiddelde van de aangepakte wijken onder zichzelf en "
                 "%ld placebogroepen van donorwijken, verdeeld over "
                 "gemeenten zoals de aangepakte wijken (%s; kleinst "
                 "haalbare p 1/%ld); interval door toetsinversie",
                 e->inference_reps,
                 d->sc.groups_exact ? "alle, exact" : "willekeurig getrokken",
                 e->inference_reps + 1);
    else if (e->inference == WE_INFERENCE_PLACEBO && e->method == WE_METHOD_SC)
        snprintf(buf, n,
                 "placebotoets: rang van de RMSPE-verhouding van de "
                 "behandelde wijk onder zichzelf en %ld donorwijken "
                 "(kleinst haalbare p 1/%ld); interval door "
                 "toetsinversie",
                 e->inference_reps, e->inference_reps + 1);
    else if (e->inference == WE_INFERENCE_PLACEBO && d->has_sdid &&
             d->sdid.perm_n > 0)
        snprintf(buf, n,
                 "placebopermutatietoets: rang van |schatting| onder "
                 "de werkelijke en %ld placebotoewijzingen (%s; "
                 "kleinst haalbare p 1/%ld); interval door "
                 "toetsinversie",
                 e->inference_reps,
                 d->sdid.perm_exact
                     ? "alle, exact"
                     : "willekeurig getrokken, verdeeld over gemeenten "
                       "zoals de aangepakte wijken",
                 e->inference_reps + 1);
    else if (e->inference == WE_INFERENCE_PLACEBO)
        snprintf(buf, n, "placeboverdeling over vergelijkingswijken");
    else if (e->inference == WE_INFERENCE_JACKKNIFE)
        snprintf(buf, n, "jackknife over wijken, normale verdeling");
    else
        return 0;
    return 1;
}

void we_report_inference_text_lang(char *buf, size_t n, const we_result_rec *r,
                                   const we_config *c, we_lang l)
{
    if (l == WE_LANG_NL &&
        (inference_design_nl(buf, n, r, c) || inference_nl(buf, n, r, c)))
        return;
    we_report_inference_text(buf, n, r, c);
}
