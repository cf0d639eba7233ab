#include "analysis/design.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/adjacency.h"

static const we_panel *sort_panel; /* qsort has no context argument */

static int by_municipality(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return strcmp(sort_panel->areas[i].municipality,
                  sort_panel->areas[j].municipality);
}

static int group_municipalities(we_run_design *rd, const we_panel *p,
                                we_error *err)
{
    size_t A = p->n_areas;
    size_t *order = malloc(A * sizeof *order);
    if (order == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < A; i++)
        order[i] = i;
    sort_panel = p;
    qsort(order, A, sizeof *order, by_municipality);
    int g = -1;
    for (size_t k = 0; k < A; k++) {
        if (k == 0 || by_municipality(&order[k - 1], &order[k]) != 0)
            g++;
        rd->municipality[order[k]] = g;
    }
    free(order);
    return 0;
}

static int find_period(const we_panel *p, int period, const char *what,
                       int line, const we_config *c, we_error *err,
                       size_t *out)
{
    long t = we_panel_period(p, period);
    if (t < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%d: %s period %d is not in the data "
                       "(periods %d-%d in %s); choose a period "
                       "the data has",
                       c->path, line, what, period, p->periods[0],
                       p->periods[p->n_periods - 1], c->indicators_path);
    *out = (size_t)t;
    return 0;
}

static int set_periods(we_run_design *rd, const we_config *c,
                       const we_panel *p, we_error *err)
{
    if (find_period(p, c->baseline, "baseline", c->baseline_line, c, err,
                    &rd->baseline))
        return -1;
    rd->n_followup = c->n_followup;
    for (size_t f = 0; f < c->n_followup; f++)
        if (find_period(p, c->followup[f], "follow-up", c->followup_line, c,
                        err, &rd->followup[f]))
            return -1;
    return 0;
}

/* The first data period at or after `from`, or -1 when it lies beyond. */
static long first_period_from(const we_panel *p, int from)
{
    for (size_t t = 0; t < p->n_periods; t++)
        if (p->periods[t] >= from)
            return (long)t;
    return -1;
}

static int set_treated(we_run_design *rd, const we_config *c,
                       const we_panel *p, we_error *err)
{
    for (size_t k = 0; k < c->n_treated; k++) {
        const we_treated_cfg *tc = &c->treated[k];
        long a = we_panel_area(p, tc->area);
        if (a < 0)
            return we_fail(err, WE_EINVAL,
                           "%s:%d: treated area '%s' is not in the "
                           "areas file %s; add it there or correct "
                           "the code",
                           tc->source ? tc->source : c->path, tc->line,
                           tc->area, c->areas_path);
        long t = first_period_from(p, tc->from);
        if (t < 0 || tc->from <= c->baseline)
            return we_fail(err, WE_EINVAL,
                           "%s:%d: treated area '%s' starts in %d, "
                           "outside the data window after the "
                           "baseline %d (data %d-%d); treatment must "
                           "start after the baseline and within "
                           "the data",
                           tc->source ? tc->source : c->path, tc->line,
                           tc->area, tc->from, c->baseline, p->periods[0],
                           p->periods[p->n_periods - 1]);
        rd->treated_from[a] = t;
        rd->n_treated++;
    }
    return 0;
}

/* The ring from the configured neighbours: read before the comparison
 * group, which leaves it out so that spill-overs do not bias it. */
static int set_ring(we_run_design *rd, const we_config *c, const we_panel *p,
                    we_error *err)
{
    if (c->adjacency_path == NULL && c->centroids_path == NULL)
        return 0;
    we_adjacency adj;
    int rc = c->adjacency_path != NULL
                 ? we_adjacency_read(&adj, c->adjacency_path, p, err)
                 : we_adjacency_from_centroids(&adj, c->centroids_path,
                                               c->displacement.band_m, p,
                                               err);
    if (rc != 0)
        return -1;
    rd->ring_from = malloc((p->n_areas ? p->n_areas : 1) *
                           sizeof *rd->ring_from);
    if (rd->ring_from != NULL)
        rd->n_ring = we_ring_build(&adj, rd->treated_from, rd->ring_from);
    we_adjacency_free(&adj);
    return rd->ring_from != NULL ? 0
                                 : we_fail(err, WE_ENOMEM, "out of memory");
}

static int set_comparison(we_run_design *rd, const we_config *c,
                          const we_panel *p, we_error *err)
{
    size_t A = p->n_areas;
    if (c->comparison == WE_COMPARISON_LIST) {
        for (size_t k = 0; k < c->n_comparison_areas; k++) {
            long a = we_panel_area(p, c->comparison_areas[k]);
            if (a < 0)
                return we_fail(err, WE_EINVAL,
                               "%s: comparison area '%s' is not in "
                               "the areas file %s",
                               c->path, c->comparison_areas[k], c->areas_path);
            if (rd->treated_from[a] >= 0)
                return we_fail(err, WE_EINVAL,
                               "%s: comparison area '%s' is also "
                               "treated; remove it from one list",
                               c->path, c->comparison_areas[k]);
            rd->comparison[a] = 1;
        }
    } else {
        unsigned char *has_treated = calloc(A, 1);
        if (has_treated == NULL)
            return we_fail(err, WE_ENOMEM, "out of memory");
        for (size_t i = 0; i < A; i++)
            if (rd->treated_from[i] >= 0)
                has_treated[rd->municipality[i]] = 1;
        for (size_t i = 0; i < A; i++)
            rd->comparison[i] =
                rd->treated_from[i] < 0 &&
                (c->comparison == WE_COMPARISON_UNTREATED ||
                 has_treated[rd->municipality[i]]);
        free(has_treated);
    }
    for (size_t i = 0; rd->ring_from != NULL && i < A; i++)
        rd->comparison[i] &= rd->ring_from[i] < 0;
    for (size_t i = 0; i < A; i++) {
        rd->in_sample[i] = rd->comparison[i] || rd->treated_from[i] >= 0;
        rd->n_comparison += rd->comparison[i];
    }
    if (rd->n_comparison == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: the comparison group is empty; choose "
                       "another comparison type or list areas",
                       c->path);
    return 0;
}

/* Population weights for the gap reference when the config asks for
 * them. Weighting only some areas would compare different averages, so
 * with any population unknown the reference is unweighted, and the design
 * records why (the report says so). */
static int set_weights(we_run_design *rd, const we_config *c,
                       const we_panel *p, we_error *err)
{
    rd->weight = NULL;
    rd->n_no_population = 0;
    if (!c->gap_weighted)
        return 0;
    for (size_t i = 0; i < p->n_areas; i++)
        rd->n_no_population += !(p->areas[i].population > 0);
    if (rd->n_no_population > 0)
        return 0;
    rd->weight = malloc((p->n_areas ? p->n_areas : 1) * sizeof *rd->weight);
    if (rd->weight == NULL)
        return we_fail(err, WE_ENOMEM,
                       "out of memory for the gap's population "
                       "weights");
    for (size_t i = 0; i < p->n_areas; i++)
        rd->weight[i] = p->areas[i].population;
    return 0;
}

static void fill_design(we_run_design *rd, const we_config *c,
                        const we_panel *p)
{
    for (size_t i = 0; i < p->n_areas; i++)
        rd->cluster[i] = c->cluster == WE_CLUSTER_AREA ? (int)i
                                                        : rd->municipality[i];
    rd->d = (we_design){
        .n_areas = p->n_areas,
        .n_periods = p->n_periods,
        .treated_from = rd->treated_from,
        .in_sample = rd->in_sample,
        .cluster = rd->cluster,
        .baseline = rd->baseline,
        .followup = rd->followup,
        .n_followup = rd->n_followup,
        .alpha = c->alpha,
    };
}

int we_run_design_build(we_run_design *rd, const we_config *c,
                        const we_panel *p, we_error *err)
{
    size_t A = p->n_areas;
    memset(rd, 0, sizeof *rd);
    rd->treated_from = malloc(A * sizeof *rd->treated_from);
    rd->comparison = calloc(A, 1);
    rd->in_sample = calloc(A, 1);
    rd->municipality = calloc(A, sizeof *rd->municipality);
    rd->cluster = calloc(A, sizeof *rd->cluster);
    rd->followup = calloc(c->n_followup + 1, sizeof *rd->followup);
    if (!rd->treated_from || !rd->comparison || !rd->in_sample ||
        !rd->municipality || !rd->cluster || !rd->followup) {
        we_run_design_free(rd);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < A; i++)
        rd->treated_from[i] = -1;
    if (group_municipalities(rd, p, err) || set_periods(rd, c, p, err) ||
        set_treated(rd, c, p, err) || set_ring(rd, c, p, err) ||
        set_comparison(rd, c, p, err) || set_weights(rd, c, p, err)) {
        we_run_design_free(rd);
        return -1;
    }
    rd->gap_group =
        c->gap_reference == WE_GAP_MUNICIPALITY ? rd->municipality : NULL;
    fill_design(rd, c, p);
    return 0;
}

int we_run_design_subset(we_run_design *dst, const we_run_design *src,
                         size_t A, const unsigned char *keep_treated,
                         const unsigned char *keep_comparison, we_error *err)
{
    memset(dst, 0, sizeof *dst);
    dst->treated_from = malloc(A * sizeof *dst->treated_from);
    dst->comparison = calloc(A, 1);
    dst->in_sample = calloc(A, 1);
    dst->municipality = malloc(A * sizeof *dst->municipality);
    dst->cluster = malloc(A * sizeof *dst->cluster);
    dst->followup = malloc((src->n_followup + 1) * sizeof *dst->followup);
    if (src->weight != NULL)
        dst->weight = malloc(A * sizeof *dst->weight);
    if (!dst->treated_from || !dst->comparison || !dst->in_sample ||
        !dst->municipality || !dst->cluster || !dst->followup ||
        (src->weight && !dst->weight)) {
        we_run_design_free(dst);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    memcpy(dst->municipality, src->municipality, A * sizeof *src->municipality);
    memcpy(dst->cluster, src->cluster, A * sizeof *src->cluster);
    memcpy(dst->followup, src->followup, src->n_followup * sizeof *src->followup);
    if (src->weight)
        memcpy(dst->weight, src->weight, A * sizeof *src->weight);
    dst->n_followup = src->n_followup;
    dst->baseline = src->baseline;
    dst->n_no_population = src->n_no_population;
    dst->gap_group = src->gap_group != NULL ? dst->municipality : NULL;
    for (size_t i = 0; i < A; i++) {
        int treated = src->treated_from[i] >= 0 && src->in_sample[i] &&
                      (keep_treated == NULL || keep_treated[i]);
        int compared = src->comparison[i] &&
                       (keep_comparison == NULL || keep_comparison[i]);
        /* A treated area left out is out of the sample, not a control. */
        dst->treated_from[i] = treated ? src->treated_from[i] : -1;
        dst->in_sample[i] = treated || compared;
        dst->comparison[i] = compared;
        dst->n_treated += (size_t)treated;
        dst->n_comparison += (size_t)compared;
    }
    dst->d = src->d;
    dst->d.treated_from = dst->treated_from;
    dst->d.in_sample = dst->in_sample;
    dst->d.cluster = dst->cluster;
    dst->d.followup = dst->followup;
    return 0;
}

/* Marks the experiment's wijken in dst->treated_from; counts those that
 * another experiment has too. */
static int assign_treated(we_run_design *dst, const we_config *c,
                          const we_panel *p, const char *experiment,
                          size_t *n_overlap, we_error *err)
{
    size_t A = p->n_areas;
    unsigned char *other = calloc(A ? A : 1, 1);
    if (other == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < c->n_assigned; k++) {
        const we_assigned_cfg *a = &c->assigned[k];
        long i = we_panel_area(p, a->area);
        if (i < 0) {
            free(other);
            return we_fail(err, WE_EINVAL,
                           "%s:%d: area '%s' of experiment '%s' is not in "
                           "the areas file %s; add it there or correct "
                           "the code",
                           c->assignment_path, a->line, a->area,
                           a->experiment, c->areas_path);
        }
        if (strcmp(a->experiment, experiment) != 0) {
            other[i] = 1;
            continue;
        }
        long t = first_period_from(p, a->from);
        if (t < 0 || a->from <= c->baseline) {
            free(other);
            return we_fail(err, WE_EINVAL,
                           "%s:%d: experiment '%s' starts in wijk '%s' in "
                           "%d, outside the data window after the "
                           "baseline %d (data %d-%d); an experiment must "
                           "start after the baseline and within the data",
                           c->assignment_path, a->line, experiment, a->area,
                           a->from, c->baseline, p->periods[0],
                           p->periods[p->n_periods - 1]);
        }
        dst->treated_from[i] = t;
    }
    *n_overlap = 0;
    for (size_t i = 0; i < A; i++)
        *n_overlap += dst->treated_from[i] >= 0 && other[i];
    free(other);
    return 0;
}

int we_run_design_experiment(we_run_design *dst, const we_run_design *src,
                             const we_config *c, const we_panel *p,
                             const char *experiment, we_exp_comparison mode,
                             size_t *n_overlap, we_error *err)
{
    size_t A = p->n_areas;
    /* The run's arrays (clusters, periods, weights), nobody yet. */
    unsigned char *none = calloc(A ? A : 1, 1);
    if (none == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    int rc = we_run_design_subset(dst, src, A, none, none, err);
    free(none);
    if (rc != 0)
        return -1;
    if (assign_treated(dst, c, p, experiment, n_overlap, err) != 0) {
        we_run_design_free(dst);
        return -1;
    }
    dst->n_treated = dst->n_comparison = 0;
    for (size_t i = 0; i < A; i++) {
        int treated = dst->treated_from[i] >= 0;
        int compared =
            !treated && (mode == WE_EXP_CMP_PROGRAMME
                             ? src->treated_from[i] >= 0
                             : src->comparison[i] != 0);
        dst->comparison[i] = (unsigned char)compared;
        dst->in_sample[i] = (unsigned char)(treated || compared);
        dst->n_treated += (size_t)treated;
        dst->n_comparison += (size_t)compared;
    }
    if (dst->n_comparison == 0) {
        we_run_design_free(dst);
        return we_fail(err, WE_EINVAL,
                       "%s: experiment '%s' has no comparison wijken: "
                       "%s; choose another comparison for it",
                       c->assignment_path, experiment,
                       mode == WE_EXP_CMP_PROGRAMME
                           ? "every programme wijk is in the experiment"
                           : "no wijk lies outside the programme");
    }
    return 0;
}
