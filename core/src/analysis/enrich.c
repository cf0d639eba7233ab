/* After the plugins: the host adds the same inference and evidence to
 * every experiment's results, so that they are comparable. Rules:
 * docs/methods.md and docs/evidence.md. */
#include "analysis/enrich.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design_choice.h"
#include "analysis/judge.h"
#include "analysis/views.h"
#include "config/est_settings.h"
#include "methods/estimator.h"
#include "methods/honest_rm.h"
#include "methods/wild.h"
#include "util/parallel.h"
#include "methods/sample.h"

/* ---- per result ------------------------------------------------------ */

/* The wild bootstrap (methods/wild.c) enumerates all 2^G sign vectors
 * exactly when its weights are Rademacher and 2^G <= the requested
 * replications (the run's inference.bootstrap.reps), and then reports
 * 2^G of them; G = df + 1 (CR1's t(G - 1)). */
static int boot_enumerated(const we_config *c, const we_estimate *e)
{
    if (e->inference != WE_INFERENCE_WILD_RADEMACHER ||
        !(e->df >= 1 && e->df < 62) || e->inference_reps <= 0)
        return 0;
    unsigned long long all = 1ULL << ((int)e->df + 1);
    return all <= (unsigned long long)c->inference.boot_reps &&
           (unsigned long long)e->inference_reps == all;
}

/* The analytic CR1 p-value and interval, recomputed from se and df when a
 * bootstrap replaced them, so that the report can show both. */
void we_result_keep_cr1(const we_config *c, we_result_rec *r)
{
    const we_estimate *e = &r->est;
    if (e->inference != WE_INFERENCE_WILD_RADEMACHER &&
        e->inference != WE_INFERENCE_WILD_WEBB)
        return;
    r->x.boot_enumerated = boot_enumerated(c, e);
    if (!(e->se > 0) || !(e->df > 0))
        return;
    double q = gsl_cdf_tdist_Pinv(1.0 - c->alpha / 2.0, e->df);
    r->x.has_cr1 = 1;
    r->x.p_cr1 = 2.0 * gsl_cdf_tdist_Q(fabs(e->estimate / e->se), e->df);
    r->x.ci_low_cr1 = e->estimate - q * e->se;
    r->x.ci_high_cr1 = e->estimate + q * e->se;
}

void we_result_flag_descriptive(const we_design *d, we_result_rec *r)
{
    const we_estimate *e = &r->est;
    size_t g = we_design_treated_clusters(d);
    /* Cluster-robust with a t reference: CR1 (did_2x2, twfe without the
     * bootstrap) and CS's clustered influence function. With 3 of 18
     * municipalities treated CS's 5% test rejects 20% of null panels
     * (docs/validation.md). */
    int cr1 = e->method == WE_METHOD_DID_2X2 ||
              e->inference == WE_INFERENCE_INFLUENCE ||
              (e->method == WE_METHOD_TWFE &&
               (e->inference == WE_INFERENCE_CR1 ||
                e->inference == WE_INFERENCE_NONE));
    int placebo = e->inference == WE_INFERENCE_PLACEBO;
    r->x.descriptive = 0;
    r->x.descriptive_reason[0] = '\0';
    r->x.descriptive_reason_nl[0] = '\0';
    if (g == 1 && !placebo && e->method != WE_METHOD_PRE_POST &&
        e->method != WE_METHOD_GAP) {
        r->x.descriptive = 1;
        snprintf(r->x.descriptive_reason, sizeof r->x.descriptive_reason,
                 "one treated cluster: only placebo or randomisation "
                 "inference is valid, so this p-value and interval are "
                 "descriptive");
        snprintf(r->x.descriptive_reason_nl, sizeof r->x.descriptive_reason_nl,
                 "\xc3\xa9\xc3\xa9n aangepakt cluster: alleen placebo- of "
                 "randomisatie-inferentie is geldig, dus deze p-waarde en "
                 "dit interval zijn beschrijvend");
    } else if (cr1 && g < WE_MIN_TREATED_CLUSTERS) {
        r->x.descriptive = 1;
        snprintf(r->x.descriptive_reason, sizeof r->x.descriptive_reason,
                 "%zu treated clusters: cluster-robust inference "
                 "over-rejects with fewer than %d, so this p-value and "
                 "interval are descriptive",
                 g, WE_MIN_TREATED_CLUSTERS);
        snprintf(r->x.descriptive_reason_nl, sizeof r->x.descriptive_reason_nl,
                 "%zu aangepakte clusters: clusterrobuuste inferentie "
                 "verwerpt te vaak bij minder dan %d, dus deze p-waarde en "
                 "dit interval zijn beschrijvend",
                 g, WE_MIN_TREATED_CLUSTERS);
    }
}

/* The design's MDE by simulation, before its result exists: the spread
 * of its estimator needs only the panel, the design and the seed; the
 * smallest attainable p of its test is applied when the result is there
 * (design_mde_finish). */
static int design_mde_simulate(const we_config *c, const we_design *d,
                               const double *y, we_method m, uint64_t seed,
                               we_mde *out, we_error *err)
{
    size_t reps = c->inference.mde_sims > 0 ? c->inference.mde_sims : 200;
    double power = c->inference.power > 0 && c->inference.power < 1
                       ? c->inference.power
                       : 0.8; /* `wijkeval estimate` has no config */
    return we_mde_design(y, d, m, power, reps, 0.0, seed, out, err);
}

/* we_mde_design's rule: no effect is detectable when the smallest p the
 * design's placebo test can attain exceeds alpha. */
static void design_mde_finish(int rc, const we_design *d, we_result_rec *r)
{
    const we_design_detail *dt = &r->x.detail;
    double min_p = 0;
    if (dt->has_sc && dt->sc.average_placebos > 0)
        min_p = 1.0 / (1.0 + (double)dt->sc.average_placebos);
    else if (dt->has_sdid && dt->sdid.perm_n > 0)
        min_p = dt->sdid.perm_min_p;
    r->x.has_mde = rc == WE_OK;
    if (rc == WE_OK && min_p > d->alpha)
        r->x.mde.mde = INFINITY;
}

void we_result_design_mde(const we_config *c, const we_design *d,
                          const double *y, uint64_t seed, we_result_rec *r,
                          we_error *err)
{
    int rc = design_mde_simulate(c, d, y, r->est.method, seed, &r->x.mde,
                                 err);
    design_mde_finish(rc, d, r);
}

static void add_event_study(const we_enrich_env *env, const char *exp_id,
                            const double *y, we_result_rec *r)
{
    const we_inference_cfg *ic = &env->cfg->inference;
    we_event_options o = {.min_rel = ic->event_min, .max_rel = ic->event_max};
    we_error err = {{0}};
    uint64_t seed = we_derive_seed(env->cfg->seed, exp_id, r->indicator,
                                   "pretrend");
    if (we_event_study(y, &env->rd->d, &o, ic->event_boot_reps, seed,
                       &r->x.event, &err) != WE_OK) {
        we_event_result_free(&r->x.event);
        return;
    }
    r->x.has_event = 1;
    r->x.pretest_what = "event-study leads";
    r->x.pretest_what_nl = "de perioden v\xc3\xb3\xc3\xb3r de start in de "
                           "event study";
    /* With few clusters the F test over-rejects like CR1 does; the
     * evidence rules then use the bootstrap p when there is one. */
    int wild = r->est.inference == WE_INFERENCE_WILD_RADEMACHER ||
               r->est.inference == WE_INFERENCE_WILD_WEBB;
    r->x.pretrend_p = wild && isfinite(r->x.event.pretrend_boot_p)
                          ? r->x.event.pretrend_boot_p
                          : r->x.event.pretrend_p;
}

static void add_primary_extras(const we_enrich_env *env, const char *exp_id,
                               const double *y, we_result_rec *r)
{
    const we_inference_cfg *ic = &env->cfg->inference;
    we_error err = {{0}};
    if (ic->perm_reps > 0) {
        uint64_t seed = we_derive_seed(env->cfg->seed, exp_id, r->indicator,
                                       "permutation");
        const int *strata = ic->perm_strata ? env->rd->municipality : NULL;
        r->x.has_ri = we_randomization_inference(y, &env->rd->d, strata,
                                                 ic->perm_reps, seed,
                                                 &r->x.ri, &err) == WE_OK;
    }
    uint64_t seed = we_derive_seed(env->cfg->seed, exp_id, r->indicator,
                                   "mde");
    r->x.has_mde = we_mde_compute(y, &env->rd->d, ic->power, ic->mde_sims,
                                  seed, &r->x.mde, &err) == WE_OK;
}

/* The event study as methods/sensitivity.h takes it. */
static we_es_input es_input(const we_event_result *ev, int *rel)
{
    for (size_t j = 0; j < ev->n_coef; j++)
        rel[j] = ev->coef[j].rel_time;
    we_es_input es = {.n = ev->n_coef, .rel = rel, .V = ev->vcov,
                      .df = (double)ev->df};
    return es;
}

/* The report's relative-magnitudes set: HonestDiD's C-LF
 * (methods/honest_rm.h) at Mbar = 1 and its breakdown value, in place of
 * the projection, which stays in proj_* (and is all there is when the
 * event study does not fit C-LF: docs/methods.md). */
static void add_clf(const we_es_input *es, double alpha, we_rm_sensitivity *s)
{
    const double tol = 1e-3;
    double lo, hi, step, bd;
    we_error err = {{0}};
    if (we_honest_rm_ci(es, alpha, 1.0, &lo, &hi, &step, &err) != WE_OK ||
        we_honest_rm_breakdown(es, alpha, tol, &bd, &err) != WE_OK)
        return;
    s->clf = 1;
    s->ci_low = lo;
    s->ci_high = hi;
    s->breakdown_mbar = bd;
    s->grid_step = step;
    s->breakdown_tol = tol;
}

/* Pre-test power (against the linear trend that reaches the MDE at the
 * last event time) and the relative-magnitudes sensitivity of a twfe
 * result's event study. Rules: docs/methods.md. */
static void add_pretest_and_sensitivity(const we_enrich_env *env,
                                        we_result_rec *r)
{
    const we_event_result *ev = &r->x.event;
    r->x.pretest_power = r->x.pretest_slope = r->x.pretest_ncp = NAN;
    if (!r->x.has_event || ev->n_coef == 0 || ev->vcov == NULL)
        return;
    int *rel = malloc(ev->n_coef * sizeof *rel);
    double *b = malloc(ev->n_coef * sizeof *b);
    if (rel == NULL || b == NULL) {
        free(rel);
        free(b);
        return;
    }
    we_es_input es = es_input(ev, rel);
    for (size_t j = 0; j < ev->n_coef; j++)
        b[j] = ev->coef[j].estimate;
    es.b = b;
    we_error err = {{0}};
    int last = rel[ev->n_coef - 1];
    if (r->x.has_mde && isfinite(r->x.mde.mde) && last >= 0) {
        r->x.pretest_slope = r->x.mde.mde / (double)(last + 1);
        if (we_pretest_power_linear(&es, r->x.pretest_slope,
                                    env->cfg->alpha, &r->x.pretest_power,
                                    &r->x.pretest_ncp, &err) != WE_OK)
            r->x.pretest_power = NAN;
    }
    r->x.has_sensitivity =
        we_rm_sensitivity_compute(&es, env->cfg->alpha, 1.0,
                                  &r->x.sensitivity, &err) == WE_OK;
    if (r->x.has_sensitivity)
        add_clf(&es, env->cfg->alpha, &r->x.sensitivity);
    free(rel);
    free(b);
}

/* An sc or sdid primary result's own pre-period check (fit and in-time
 * placebo) and its power against the linear trend that reaches the MDE
 * at the last follow-up (methods/synth.h; docs/methods.md). The check
 * does not need the MDE, so the parallel pass runs it beside the
 * headline (pretest_task); the power does. */
static we_synth_pretest_options
pretest_options(const we_config *c, const char *exp_id, const char *indicator)
{
    return (we_synth_pretest_options){
        .reps = c->designs.sdid_reps,
        .seed = we_derive_seed(c->seed, exp_id, indicator, "pretest")};
}

/* The check into pt; its error, when it cannot run, into why. */
static int pretest_check(const we_config *c, const we_design *d,
                         const char *exp_id, const char *indicator,
                         const double *y, we_method m,
                         we_synth_pretest_result *pt, char *why, size_t cap)
{
    we_synth_pretest_options o = pretest_options(c, exp_id, indicator);
    we_error err = {{0}};
    if (we_synth_pretest(y, d, m, &o, pt, &err) == WE_OK)
        return 1;
    size_t n = strlen(err.msg);
    if (n >= cap)
        n = cap - 1;
    memcpy(why, err.msg, n);
    why[n] = '\0';
    return 0;
}

/* The check's power against the linear trend that reaches `mde` (NaN:
 * none) at the last follow-up. */
static void pretest_power(const we_config *c, const we_design *d,
                          const char *exp_id, const char *indicator,
                          const double *y, double mde,
                          we_synth_pretest_result *pt)
{
    we_synth_pretest_options o = pretest_options(c, exp_id, indicator);
    we_error err = {{0}};
    size_t last = d->followup[d->n_followup - 1];
    double slope =
        last >= pt->start ? mde / (double)(last - pt->start + 1) : NAN;
    if (we_synth_pretest_power(y, d, &o, slope, c->inference.pretest_sims,
                               pt, &err) != WE_OK)
        pt->power = NAN;
}

/* The MDE the check's power is simulated against. */
static double power_mde(const we_result_rec *r)
{
    return r->x.has_mde ? r->x.mde.mde : NAN;
}

static void add_synth_pretest(const we_enrich_env *env, const char *exp_id,
                              const double *y, we_result_rec *r)
{
    if (!pretest_check(env->cfg, &env->rd->d, exp_id, r->indicator, y,
                       r->est.method, &r->x.synth_pretest,
                       r->x.synth_pretest_error,
                       sizeof r->x.synth_pretest_error))
        return;
    r->x.has_synth_pretest = 1;
    pretest_power(env->cfg, &env->rd->d, exp_id, r->indicator, y, power_mde(r),
                  &r->x.synth_pretest);
}

/* defer_mde: a design headline's MDE is simulated by its own task of the
 * parallel pass (design_mde_task), side by side with the headline. */
static void enrich_result(const we_enrich_env *env, const char *exp_id,
                          we_result_rec *r, int defer_mde)
{
    long k = we_panel_indicator(env->panel, r->indicator);
    r->x.enriched = 1;
    r->x.p_holm = r->x.p_bh = r->x.p_holm_all = r->x.p_bh_all = NAN;
    r->x.p_adjusted = r->x.pretrend_p = r->x.pretest_min_p = NAN;
    r->x.pretest_power = r->x.pretest_slope = r->x.pretest_ncp = NAN;
    if (k < 0 || env->panel->values[k] == NULL)
        return;
    const double *y = env->panel->values[k];
    we_direction dir = env->panel->catalog[k].direction;
    we_method m = r->est.method;
    we_error err = {{0}};
    if (m == WE_METHOD_DID_2X2 || m == WE_METHOD_TWFE ||
        we_is_design_method(m))
        r->x.has_effect_size =
            we_effect_size_compute(y, &env->rd->d, &r->est, dir,
                                   &r->x.effect_size, &err) == WE_OK;
    we_result_flag_descriptive(&env->rd->d, r);
    if (we_is_design_method(m) && r->role == WE_ROLE_PRIMARY && !defer_mde)
        we_result_design_mde(env->cfg, &env->rd->d, y,
                             we_derive_seed(env->cfg->seed, exp_id,
                                            r->indicator, "mde"),
                             r, &err);
    /* a deferred MDE: the check's power needs it (adopt_design_mdes) */
    if ((m == WE_METHOD_SC || m == WE_METHOD_SDID) &&
        r->role == WE_ROLE_PRIMARY && !defer_mde)
        add_synth_pretest(env, exp_id, y, r);
    if (m != WE_METHOD_TWFE)
        return;
    we_result_keep_cr1(env->cfg, r);
    add_event_study(env, exp_id, y, r);
    if (r->role == WE_ROLE_PRIMARY) {
        add_primary_extras(env, exp_id, y, r);
        add_pretest_and_sensitivity(env, r);
    }
}

/* ---- multiple testing ------------------------------------------------ */

/* Adjusts the p-values of one method: within each experiment (store in
 * p_holm/p_bh) or across all experiments (p_holm_all/p_bh_all). */
static void adjust_family(we_run *run, we_method m, long only_exp,
                          double *p, double *holm, double *bh)
{
    size_t n = 0;
    for (size_t e = 0; e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        if ((only_exp >= 0 && (long)e != only_exp) ||
            x->status != WE_EXP_OK)
            continue;
        for (size_t k = 0; k < x->n_results; k++)
            if (x->results[k].est.method == m)
                p[n++] = x->results[k].est.p_value;
    }
    we_p_adjust_holm(p, n, holm);
    we_p_adjust_bh(p, n, bh);
    n = 0;
    for (size_t e = 0; e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        if ((only_exp >= 0 && (long)e != only_exp) ||
            x->status != WE_EXP_OK)
            continue;
        for (size_t k = 0; k < x->n_results; k++) {
            we_result_extra *rx = &x->results[k].x;
            if (x->results[k].est.method != m)
                continue;
            if (only_exp >= 0) {
                rx->p_holm = holm[n];
                rx->p_bh = bh[n];
            } else {
                rx->p_holm_all = holm[n];
                rx->p_bh_all = bh[n];
            }
            n++;
        }
    }
}

static int adjust_all(we_run *run)
{
    size_t total = 0;
    for (size_t e = 0; e < run->n_experiments; e++)
        total += run->experiments[e].n_results;
    double *buf = malloc(3 * (total ? total : 1) * sizeof *buf);
    if (buf == NULL)
        return -1;
    for (int m = 0; m < WE_METHOD_COUNT_; m++) {
        for (size_t e = 0; e < run->n_experiments; e++)
            adjust_family(run, (we_method)m, (long)e, buf, buf + total,
                          buf + 2 * total);
        adjust_family(run, (we_method)m, -1, buf, buf + total,
                      buf + 2 * total);
    }
    free(buf);
    return 0;
}

/* ---- evidence -------------------------------------------------------- */

static we_design_kind design_of(we_method m)
{
    switch (m) {
    case WE_METHOD_PRE_POST:
        return WE_DESIGN_PRE_POST;
    case WE_METHOD_GAP:
        return WE_DESIGN_GAP;
    case WE_METHOD_SC:
    case WE_METHOD_SDID:
        return WE_DESIGN_SYNTHETIC;
    default:
        return WE_DESIGN_DID;
    }
}

/* The evidence of result r, whose effect must bring p (its adjusted
 * p-value) below alpha for a label. */
static void assess(const we_enrich_env *env, we_result_rec *r, double p,
                   int across_headlines)
{
    long k = we_panel_indicator(env->panel, r->indicator);
    double dir = k >= 0 ? (double)env->panel->catalog[k].direction : 0.0;
    we_evidence_input in = {
        .design = design_of(r->est.method),
        .pretrend_p = r->x.pretrend_p,
        .pretest_power = r->x.pretest_power,
        .pretest_power_min = env->cfg->inference.pretest_power_min,
        .pretest = r->x.pretest_what,
        .pretest_nl = r->x.pretest_what_nl,
        .pretest_borrowed = r->x.pretest_borrowed,
        .pretest_min_p = r->x.pretest_min_p,
        .descriptive = r->x.descriptive,
        .descriptive_reason = r->x.descriptive_reason,
        .descriptive_reason_nl = r->x.descriptive_reason_nl,
        .p_adjusted = p,
        .across_headlines = across_headlines,
        .alpha = env->cfg->alpha,
        .good_direction = r->est.estimate * dir > 0,
        .n_followup = env->rd->n_followup,
        .n_studies = 1,
    };
    we_evidence_assess(&in, &r->x.evidence);
}

static void set_headline(we_experiment_run *x)
{
    x->headline = -1;
    for (size_t k = 0; k < x->n_results; k++)
        if (x->results[k].role == WE_ROLE_PRIMARY &&
            x->results[k].est.method == x->design) {
            x->headline = (long)k;
            x->evidence = x->results[k].x.evidence;
            return;
        }
    memset(&x->evidence, 0, sizeof x->evidence);
    snprintf(x->evidence.reasons, sizeof x->evidence.reasons,
             "No %s estimate of the primary indicator: no evidence "
             "level.", we_method_name(x->design));
    snprintf(x->evidence.reasons_nl, sizeof x->evidence.reasons_nl,
             "Geen %s-schatting van de primaire indicator: geen "
             "bewijsniveau.",
             we_method_name(x->design));
}

/* The result of the same indicator by `m`, or NULL. */
static we_result_rec *find_result(we_experiment_run *x, const char *name,
                                  we_method m)
{
    for (size_t k = 0; k < x->n_results; k++)
        if (x->results[k].est.method == m &&
            strcmp(x->results[k].indicator, name) == 0)
            return &x->results[k];
    return NULL;
}

/* Room for one more result. Reserved before the parallel pass, so that
 * the headline task's append never moves the results other tasks are
 * enriching. */
static int reserve_result(we_experiment_run *x)
{
    if (x->n_results < x->cap_results)
        return 0;
    size_t cap = x->cap_results ? 2 * x->cap_results : 16;
    we_result_rec *r = realloc(x->results, cap * sizeof *r);
    if (r == NULL)
        return -1;
    x->results = r;
    x->cap_results = cap;
    return 0;
}

static we_result_rec *append_result(we_experiment_run *x)
{
    if (reserve_result(x) != 0)
        return NULL;
    we_result_rec *r = &x->results[x->n_results];
    memset(r, 0, sizeof *r);
    return r;
}

/* Adds the experiment's headline by its design when that is not TWFE:
 * the design's estimate of the primary indicator, with the TWFE event
 * study's pre-trend test as its evidence of comparability. A design that
 * cannot run leaves TWFE as the headline and says why. */
static int add_design_headline(const we_enrich_env *env, size_t e,
                               we_experiment_run *x)
{
    we_design_choice choice = env->cfg->experiments[e].design;
    x->design = we_design_choose(choice, &env->rd->d, x->design_reason,
                                 sizeof x->design_reason,
                                 x->design_reason_nl,
                                 sizeof x->design_reason_nl);
    const char *name = NULL;
    for (size_t k = 0; k < x->n_results && name == NULL; k++)
        if (x->results[k].role == WE_ROLE_PRIMARY)
            name = x->results[k].indicator;
    long col = name ? we_panel_indicator(env->panel, name) : -1;
    if (x->design == WE_METHOD_TWFE || col < 0 ||
        find_result(x, name, x->design) != NULL)
        return 0; /* nothing to add, or the plugin estimated it itself */
    we_estimate est = {.struct_size = sizeof est};
    we_design_detail detail;
    we_error err = {{0}};
    we_est_settings es = we_config_est_settings(env->cfg);
    we_est_call call = {.d = &env->rd->d, .y = env->panel->values[col],
                        .method = x->design,
                        .direction = env->panel->catalog[col].direction,
                        .experiment = x->id, .indicator = name};
    int rc = we_estimate_run(&es, &call, &est, &detail, &err);
    if (rc == WE_OK && !isfinite(est.estimate)) {
        we_design_detail_free(&detail);
        we_fail(&err, WE_EINVAL, "its estimate is not a number");
        rc = WE_ENODATA;
    }
    if (rc != WE_OK) {
        size_t used = strlen(x->design_reason);
        snprintf(x->design_reason + used, sizeof x->design_reason - used,
                 "; it could not run (%s), so the headline is twfe",
                 err.msg);
        used = strlen(x->design_reason_nl);
        snprintf(x->design_reason_nl + used,
                 sizeof x->design_reason_nl - used,
                 "; die kon niet draaien (%s), dus het kernresultaat is twfe",
                 err.msg);
        x->design = WE_METHOD_TWFE;
        return 0;
    }
    char *copy = we_strdup(name);
    we_result_rec *r = copy ? append_result(x) : NULL;
    if (r == NULL) {
        free(copy);
        we_design_detail_free(&detail);
        return -1;
    }
    r->indicator = copy;
    r->role = WE_ROLE_PRIMARY;
    r->est = est;
    r->x.detail = detail;
    x->n_results++;
    enrich_result(env, x->id, r, 1);
    return 0;
}

/* A design headline (cs, sc, sdid) shows the TWFE event study's
 * pre-trend test and sensitivity of the same indicator; both exist once
 * the parallel pass is over. That test is not the design's own, so it
 * can deny level 3 (a rejection) but not grant it. */
/* The Callaway-Sant'Anna headline's own check: its pre-period dynamic
 * elements (each a placebo ATT against the period before), and their
 * power against a linear trend of `slope` per period, which adds slope to
 * each of them and (e + 1) slope to the event time e >= 0. */
static int cs_own_pretest(we_result_rec *r, const we_result_rec *twfe,
                          double alpha)
{
    const we_cs_result *cs = &r->x.detail.cs;
    /* With fewer than 6 treated clusters the clustered covariance of the
     * pre-period elements is estimated from those few: the check rejects
     * most null panels (0.94 at 3 treated municipalities of 18,
     * docs/validation.md), as the estimate's own t test is descriptive
     * there. The TWFE event study's bootstrapped leads stand in. */
    if (!r->x.detail.has_cs || r->x.descriptive || cs->pre_q == 0 ||
        !isfinite(cs->pre_p) || cs->dyn_vcov == NULL)
        return 0;
    r->x.pretrend_p = cs->pre_p;
    r->x.pretest_borrowed = 0;
    r->x.pretest_what = "its own pre-period ATT(g,t), joint F test";
    r->x.pretest_what_nl = "de eigen ATT(g,t) v\xc3\xb3\xc3\xb3r de start, "
                           "gezamenlijke F-toets";
    const we_mde *m = r->x.has_mde ? &r->x.mde
                      : twfe != NULL && twfe->x.has_mde ? &twfe->x.mde
                                                        : NULL;
    long last = cs->dynamic.elem[cs->dynamic.n - 1].key;
    if (m == NULL || !isfinite(m->mde) || last < 0)
        return 1;
    r->x.pretest_slope = m->mde / (double)(last + 1);
    we_error err = {{0}};
    if (we_cs_pretest_power(cs, r->x.pretest_slope, alpha,
                            &r->x.pretest_power, &r->x.pretest_ncp,
                            &err) != WE_OK)
        r->x.pretest_power = NAN;
    return 1;
}

/* The sc or sdid headline's own check, computed in the parallel pass. */
static int synth_own_pretest(we_result_rec *r)
{
    const we_synth_pretest_result *pt = &r->x.synth_pretest;
    if (!r->x.has_synth_pretest || !isfinite(pt->p))
        return 0;
    r->x.pretrend_p = pt->p;
    r->x.pretest_borrowed = 0;
    r->x.pretest_min_p = pt->min_p;
    r->x.pretest_what =
        pt->method == WE_METHOD_SC
            ? "its own in-time placebo: the backdated synthetic "
              "control's effect, ranked among placebo groups of control "
              "areas spread over municipalities as the treated areas are"
            : "its own in-time placebo: the backdated SDID estimate, "
              "ranked among placebo groups of control areas spread over "
              "municipalities as the treated areas are";
    r->x.pretest_what_nl =
        pt->method == WE_METHOD_SC
            ? "de eigen placebo in de tijd: het effect van de naar voren "
              "geschoven synthetische controle, gerangschikt tussen dat "
              "van placebogroepen van vergelijkingsgebieden, over "
              "gemeenten verdeeld zoals de behandelde gebieden"
            : "de eigen placebo in de tijd: de naar voren geschoven "
              "SDID-schatting, gerangschikt tussen die van placebogroepen "
              "van vergelijkingsgebieden, over gemeenten verdeeld zoals de "
              "behandelde gebieden";
    r->x.pretest_power = pt->power;
    r->x.pretest_slope = pt->slope;
    r->x.pretest_ncp = NAN;
    return 1;
}

/* A design headline (cs, sc, sdid) gets its own pre-period check where
 * the design has one (cs: pre-period ATT(g,t); sc, sdid: fit and in-time
 * placebo); otherwise it shows the TWFE event study's test of the same
 * indicator, which can deny level 3 (a rejection) but not grant it. The
 * sensitivity is always the TWFE event study's. Both exist once the
 * parallel pass is over. */
static void design_pretrend(const we_config *cfg, we_experiment_run *x)
{
    if (x->status != WE_EXP_OK || x->design == WE_METHOD_TWFE)
        return;
    for (size_t k = 0; k < x->n_results; k++) {
        we_result_rec *r = &x->results[k];
        if (r->est.method != x->design || r->role != WE_ROLE_PRIMARY)
            continue;
        we_result_rec *twfe = find_result(x, r->indicator, WE_METHOD_TWFE);
        if (twfe != NULL && twfe->x.has_sensitivity) {
            r->x.has_sensitivity = r->x.sensitivity_borrowed = 1;
            r->x.sensitivity = twfe->x.sensitivity;
        }
        if (cs_own_pretest(r, twfe, cfg->alpha) || synth_own_pretest(r) ||
            twfe == NULL)
            continue;
        r->x.pretrend_p = twfe->x.pretrend_p;
        r->x.pretest_borrowed = 1;
        r->x.pretest_what = "the twfe event study's leads, not this "
                            "design's own check";
        r->x.pretest_what_nl = "de perioden v\xc3\xb3\xc3\xb3r de start in "
                               "de TWFE-event study, niet de eigen toets "
                               "van deze opzet";
    }
}

/* The results the first pass enriches, for the progress line. */
static size_t count_results(const we_run *run)
{
    size_t n = 0;
    for (size_t e = 0; e < run->n_experiments; e++)
        if (run->experiments[e].status == WE_EXP_OK)
            n += run->experiments[e].n_results;
    return n;
}

/* One parallel pass over every experiment's design headline, its MDE
 * and every (experiment, result) the plugins returned. The headlines
 * (synthetic control, SDID, Callaway-Sant'Anna) and their simulated MDEs
 * are the longest tasks, so they are handed out first. Tasks touch only
 * their own result, experiment or MDE job. */
/* A design headline's MDE, simulated beside the headline's own
 * estimate (its placebos), which it does not need; and an sc or sdid
 * headline's own pre-period check, which needs neither. */
typedef struct design_mde_job {
    we_method m;      /* WE_METHOD_TWFE: none */
    const char *name; /* the primary indicator */
    long col;
    int rc;
    we_mde mde;
    int done;  /* the MDE is there (under the pass's lock) */
    int pt_ok; /* the check ran (pt), or why it could not (pt_error) */
    we_synth_pretest_result pt;
    double pt_mde; /* the MDE its power was simulated against */
    char pt_error[sizeof((we_result_extra){0}).synth_pretest_error];
} design_mde_job;

typedef struct enrich_pass {
    const we_enrich_env *env;
    we_run *run;
    design_mde_job *mde;         /* per experiment */
    size_t *task_exp, *task_res; /* after the headlines and their MDEs:
                                    the results */
    size_t done;
    int failed;                  /* a headline ran out of memory */
    pthread_mutex_t lock;        /* done, failed, the MDE jobs' done and
                                    the progress line */
    pthread_cond_t mde_done;     /* an MDE job is done */
} enrich_pass;

static we_enrich_env experiment_env(const enrich_pass *p,
                                    const we_experiment_run *x)
{
    we_enrich_env ex = *p->env;
    if (x->rd != NULL) /* a matched experiment used its own design */
        ex.rd = x->rd;
    return ex;
}

static void result_task(enrich_pass *p, size_t i)
{
    we_experiment_run *x = &p->run->experiments[p->task_exp[i]];
    we_enrich_env ex = experiment_env(p, x);
    enrich_result(&ex, x->id, &x->results[p->task_res[i]], 0);
    pthread_mutex_lock(&p->lock);
    we_progress_update(p->env->progress, p->done++, x->id);
    pthread_mutex_unlock(&p->lock);
}

static void headline_task(enrich_pass *p, size_t e)
{
    we_experiment_run *x = &p->run->experiments[e];
    if (x->status != WE_EXP_OK)
        return;
    we_enrich_env ex = experiment_env(p, x);
    if (add_design_headline(&ex, e, x) != 0) {
        pthread_mutex_lock(&p->lock);
        p->failed = 1;
        pthread_mutex_unlock(&p->lock);
    }
}

static void design_mde_task(enrich_pass *p, size_t e)
{
    design_mde_job *j = &p->mde[e];
    if (j->m != WE_METHOD_TWFE) {
        we_experiment_run *x = &p->run->experiments[e];
        we_enrich_env ex = experiment_env(p, x);
        we_error err = {{0}};
        j->rc = design_mde_simulate(
            ex.cfg, &ex.rd->d, ex.panel->values[j->col], j->m,
            we_derive_seed(ex.cfg->seed, x->id, j->name, "mde"), &j->mde,
            &err);
    }
    pthread_mutex_lock(&p->lock);
    j->done = 1;
    pthread_cond_broadcast(&p->mde_done);
    pthread_mutex_unlock(&p->lock);
}

/* An sc or sdid headline's own check, then, once the MDE is there, its
 * power against that MDE: the MDE task comes before this one in the
 * queue, so it is running or done. The headline's placebo test can still
 * make the MDE infinite (design_mde_finish); adopt_design_mdes then
 * simulates the power again against that. */
static void pretest_task(enrich_pass *p, size_t e)
{
    design_mde_job *j = &p->mde[e];
    if (j->m != WE_METHOD_SC && j->m != WE_METHOD_SDID)
        return;
    we_experiment_run *x = &p->run->experiments[e];
    we_enrich_env ex = experiment_env(p, x);
    const double *y = ex.panel->values[j->col];
    j->pt_ok = pretest_check(ex.cfg, &ex.rd->d, x->id, j->name, y, j->m,
                             &j->pt, j->pt_error, sizeof j->pt_error);
    if (!j->pt_ok)
        return;
    pthread_mutex_lock(&p->lock);
    while (!j->done)
        pthread_cond_wait(&p->mde_done, &p->lock);
    pthread_mutex_unlock(&p->lock);
    j->pt_mde = j->rc == WE_OK ? j->mde.mde : NAN;
    pretest_power(ex.cfg, &ex.rd->d, x->id, j->name, y, j->pt_mde, &j->pt);
}

/* Which experiments get a design headline from the host (as
 * add_design_headline decides), before the pass: their MDE tasks must
 * not read what the headline tasks write. */
static void plan_design_mdes(enrich_pass *p)
{
    for (size_t e = 0; e < p->run->n_experiments; e++) {
        we_experiment_run *x = &p->run->experiments[e];
        design_mde_job *j = &p->mde[e];
        j->m = WE_METHOD_TWFE;
        if (x->status != WE_EXP_OK)
            continue;
        we_enrich_env ex = experiment_env(p, x);
        char why[sizeof x->design_reason], why_nl[sizeof x->design_reason_nl];
        we_method m = we_design_choose(ex.cfg->experiments[e].design,
                                       &ex.rd->d, why, sizeof why, why_nl,
                                       sizeof why_nl);
        const char *name = NULL;
        for (size_t k = 0; k < x->n_results && name == NULL; k++)
            if (x->results[k].role == WE_ROLE_PRIMARY)
                name = x->results[k].indicator;
        long col = name ? we_panel_indicator(ex.panel, name) : -1;
        if (m == WE_METHOD_TWFE || col < 0 || find_result(x, name, m) != NULL)
            continue;
        *j = (design_mde_job){.m = m, .name = name, .col = col};
    }
}

/* The simulated MDEs onto the design headlines that were added. */
static void adopt_design_mdes(enrich_pass *p)
{
    for (size_t e = 0; e < p->run->n_experiments; e++) {
        we_experiment_run *x = &p->run->experiments[e];
        design_mde_job *j = &p->mde[e];
        if (j->m == WE_METHOD_TWFE || x->design != j->m)
            continue;
        we_result_rec *r = find_result(x, j->name, j->m);
        if (r == NULL)
            continue;
        we_enrich_env ex = experiment_env(p, x);
        r->x.mde = j->mde;
        design_mde_finish(j->rc, &ex.rd->d, r);
        if (j->m != WE_METHOD_SC && j->m != WE_METHOD_SDID)
            continue;
        r->x.synth_pretest = j->pt;
        memcpy(r->x.synth_pretest_error, j->pt_error, sizeof j->pt_error);
        r->x.has_synth_pretest = j->pt_ok;
        double mde = power_mde(r);
        if (j->pt_ok && !(mde == j->pt_mde) &&
            !(isnan(mde) && isnan(j->pt_mde)))
            pretest_power(ex.cfg, &ex.rd->d, x->id, j->name,
                          ex.panel->values[j->col], mde, &r->x.synth_pretest);
    }
}

static void task(void *user, size_t i)
{
    enrich_pass *p = user;
    size_t n_exp = p->run->n_experiments;
    /* The longest first: per experiment the design headline's MDE, its
     * own pre-period check with that check's power (which waits for the
     * MDE, queued before it) and the headline; then the results. */
    if (i >= 3 * n_exp)
        result_task(p, i - 3 * n_exp);
    else if (i % 3 == 0)
        design_mde_task(p, i / 3);
    else if (i % 3 == 1)
        pretest_task(p, i / 3);
    else
        headline_task(p, i / 3);
}

static int parallel_pass(const we_enrich_env *env, we_run *run)
{
    size_t n = count_results(run), t = 0;
    enrich_pass p = {.env = env, .run = run};
    p.task_exp = malloc((n ? n : 1) * sizeof *p.task_exp);
    p.task_res = malloc((n ? n : 1) * sizeof *p.task_res);
    p.mde = calloc(run->n_experiments ? run->n_experiments : 1,
                   sizeof *p.mde);
    int rc = p.task_exp && p.task_res && p.mde ? 0 : -1;
    if (rc == 0)
        plan_design_mdes(&p);
    for (size_t e = 0; rc == 0 && e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        if (x->status != WE_EXP_OK)
            continue;
        rc = reserve_result(x);
        for (size_t k = 0; k < x->n_results; k++) {
            p.task_exp[t] = e;
            p.task_res[t++] = k;
        }
    }
    if (rc == 0 && pthread_mutex_init(&p.lock, NULL) == 0) {
        if (pthread_cond_init(&p.mde_done, NULL) != 0) {
            pthread_mutex_destroy(&p.lock);
            rc = -1;
        }
    } else {
        rc = -1;
    }
    if (rc == 0) {
        we_parallel_for(3 * run->n_experiments + n, env->jobs, task, &p);
        pthread_cond_destroy(&p.mde_done);
        pthread_mutex_destroy(&p.lock);
        rc = p.failed ? -1 : 0;
    } else {
        rc = -1;
    }
    if (rc == 0)
        adopt_design_mdes(&p);
    free(p.mde);
    free(p.task_exp);
    free(p.task_res);
    for (size_t e = 0; rc == 0 && e < run->n_experiments; e++)
        design_pretrend(env->cfg, &run->experiments[e]);
    return rc;
}

/* Holm and BH across every headline of the run: one family, every ok
 * experiment's headline and the programme row's when it has one. */
static int adjust_headlines(we_run *run)
{
    size_t n = 0, m = run->n_experiments + (run->programme != NULL);
    double *buf = calloc(3 * (m ? m : 1), sizeof *buf);
    we_experiment_run **all =
        malloc((m ? m : 1) * sizeof(we_experiment_run *));
    if (buf == NULL || all == NULL) {
        free(buf);
        free(all);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        we_experiment_run *x =
            i < run->n_experiments ? &run->experiments[i] : run->programme;
        all[i] = x;
        x->p_holm_headlines = x->p_bh_headlines = NAN;
        if (x->status == WE_EXP_OK && x->headline >= 0)
            buf[n++] = x->results[x->headline].est.p_value;
    }
    we_p_adjust_holm(buf, n, buf + m);
    we_p_adjust_bh(buf, n, buf + 2 * m);
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        we_experiment_run *x = all[i];
        x->n_headlines = n;
        if (x->status != WE_EXP_OK || x->headline < 0)
            continue;
        x->p_holm_headlines = buf[m + k];
        x->p_bh_headlines = buf[2 * m + k];
        k++;
    }
    free(all);
    free(buf);
    return 0;
}

/* The headline's label rests on the p its verdict uses: adjusted within
 * the experiment and across the run's headlines (the larger), so that
 * the label and the verdict never disagree (docs/evidence.md). */
static void assess_headline(const we_enrich_env *env, we_experiment_run *x)
{
    if (x == NULL || x->status != WE_EXP_OK || x->headline < 0)
        return;
    we_result_rec *h = &x->results[x->headline];
    assess(env, h, we_judge_headline_p(env->cfg, x), 1);
    x->evidence = h->x.evidence;
}

int we_enrich_results(const we_enrich_env *env, we_run *run)
{
    if (env->progress != NULL)
        env->progress->total = count_results(run);
    if (parallel_pass(env, run) != 0 || adjust_all(run) != 0)
        return -1;
    for (size_t e = 0; e < run->n_experiments; e++) {
        we_experiment_run *x = &run->experiments[e];
        if (x->status != WE_EXP_OK)
            continue;
        for (size_t k = 0; k < x->n_results; k++) {
            we_result_rec *r = &x->results[k];
            r->x.p_adjusted = env->cfg->inference.adjust == WE_ADJUST_BH
                                  ? r->x.p_bh
                                  : r->x.p_holm;
            assess(env, r, r->x.p_adjusted, 0);
        }
        set_headline(x);
    }
    return 0;
}

int we_enrich_headlines(const we_enrich_env *env, we_run *run)
{
    if (adjust_headlines(run) != 0)
        return -1;
    for (size_t e = 0; e < run->n_experiments; e++)
        assess_headline(env, &run->experiments[e]);
    assess_headline(env, run->programme);
    /* What the report shows, judged and computed once. */
    we_judge_run(env->cfg, env->panel, run);
    return we_views_run(env->cfg, env->panel, env->rd, run);
}
