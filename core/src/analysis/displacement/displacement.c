/* The displacement analysis from the config, the panel and the run's
 * design (displacement.h). */
#include "analysis/displacement/displacement.h"

#include "analysis/analysis.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/est_settings.h"
#include "methods/estimator.h"

int we_displacement_check(const we_config *c, const we_panel *p,
                          const we_run_design *rd, we_error *err)
{
    const we_displacement_cfg *d = &c->displacement;
    if (!d->enabled)
        return 0;
    for (size_t i = 0; i < d->n_indicators; i++) {
        if (we_analysis_indicator(c, p, "displacement", d->indicators[i],
                                  d->indicator_line[i], err) < 0)
            return WE_EINVAL;
    }
    if (rd->n_ring == 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%d: displacement: no untreated area "
                       "neighbours a treated area in %s; check the "
                       "codes there%s",
                       c->path, d->line,
                       c->adjacency_path ? c->adjacency_path
                                         : c->centroids_path,
                       c->centroids_path ? ", or widen band_m" : "");
    return 0;
}

static we_disp_verdict verdict_of(const we_estimate *e, int lower_is_better)
{
    int up = e->ci_low > 0, down = e->ci_high < 0;
    if (!up && !down)
        return WE_DISP_NO_EVIDENCE;
    int worse = lower_is_better ? up : down;
    return worse ? WE_DISP_DISPLACEMENT : WE_DISP_SPILLOVER;
}

/* The ring as treated, the comparison group (which excludes the ring) as
 * control: everything else leaves the sample. */
static void ring_design(const we_run_design *rd, size_t A, long *treated,
                        unsigned char *in_sample, we_design *d)
{
    for (size_t i = 0; i < A; i++) {
        treated[i] = rd->ring_from[i];
        in_sample[i] = rd->ring_from[i] >= 0 || rd->comparison[i];
    }
    *d = rd->d;
    d->treated_from = treated;
    d->in_sample = in_sample;
}

static void estimate_row(const we_config *c, const we_panel *p,
                         const we_design *d, we_disp_row *row)
{
    long k = we_panel_indicator(p, row->indicator);
    const we_catalog_rec *cat = &p->catalog[k];
    row->label_en = cat->label_en;
    row->label_nl = cat->label_nl;
    row->unit = cat->unit;
    row->lower_is_better = cat->direction == WE_LOWER_IS_BETTER;
    row->est.struct_size = sizeof row->est;
    we_error err = {{0}};
    we_est_settings es = we_config_est_settings(c);
    we_est_call call = {.d = d, .y = p->values[k], .method = WE_METHOD_TWFE,
                        .direction = cat->direction,
                        .experiment = "displacement",
                        .indicator = row->indicator};
    if (we_estimate_run(&es, &call, &row->est, NULL, &err) != 0) {
        row->verdict = WE_DISP_NOT_ESTIMABLE;
        /* The reason, cut to the row's buffer. */
        size_t n = strnlen(err.msg, sizeof row->error - 1);
        memcpy(row->error, err.msg, n);
        row->error[n] = '\0';
        return;
    }
    row->verdict = verdict_of(&row->est, row->lower_is_better);
}

int we_displacement_evaluate(const we_config *c, const we_panel *p,
                             const we_run_design *rd, we_disp_result *r)
{
    const we_displacement_cfg *dc = &c->displacement;
    size_t A = p->n_areas;
    memset(r, 0, sizeof *r);
    r->neighbours = c->adjacency_path ? "adjacency" : "centroids";
    r->band_m = dc->band_m;
    r->alpha = c->alpha;
    r->n_ring = rd->n_ring;
    for (size_t i = 0; i < A; i++)
        r->n_far += rd->comparison[i];
    long *treated = malloc((A ? A : 1) * sizeof *treated);
    unsigned char *in_sample = malloc(A ? A : 1);
    r->rows = calloc(dc->n_indicators ? dc->n_indicators : 1,
                     sizeof *r->rows);
    if (treated == NULL || in_sample == NULL || r->rows == NULL) {
        free(treated);
        free(in_sample);
        we_disp_free(r);
        return -1;
    }
    we_design d;
    ring_design(rd, A, treated, in_sample, &d);
    r->n_rows = dc->n_indicators;
    for (size_t i = 0; i < dc->n_indicators; i++) {
        r->rows[i].indicator = dc->indicators[i];
        estimate_row(c, p, &d, &r->rows[i]);
    }
    free(treated);
    free(in_sample);
    return 0;
}
