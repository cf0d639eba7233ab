/* Aggregations of the ATT(g, t) cells, as did::aggte: simple, dynamic
 * (event time), group (cohort) and calendar, each with its influence
 * function, including the term for the estimated cohort-size weights
 * (did's wif). Formulas: docs/methods.md. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/cs_internal.h"

/* Share of the used areas in cohort g: did's pg = P(G = g). */
static double cohort_share(const cs_work *w, long g)
{
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++)
        k += w->ug[i] == g;
    return (double)k / (double)w->n;
}

/* Appends theta = sum_j a_j s_j over the statistics item[0..K-1] and
 * returns its index. With `cohort` the weights are a_j = p_j / S (p_j the
 * share of item j's cohort, S = sum p) and the influence function gains
 * (1/S) sum_j (s_j - theta) (1{G_i = c_j} - p_j): the derivative of the
 * estimated weights. Without it a_j = 1/K and the weights are fixed. */
static size_t combine(cs_work *w, const size_t *item, const long *cohort,
                      size_t K)
{
    size_t k = w->n_stats++, n = w->n;
    double *psi = w->psi + k * n, S = 0, theta = 0;
    memset(psi, 0, n * sizeof *psi);
    for (size_t j = 0; cohort != NULL && j < K; j++)
        S += cohort_share(w, cohort[j]);
    for (size_t j = 0; j < K; j++) {
        double a = cohort ? cohort_share(w, cohort[j]) / S : 1.0 / (double)K;
        const double *pj = w->psi + item[j] * n;
        theta += a * w->est[item[j]];
        for (size_t i = 0; i < n; i++)
            psi[i] += a * pj[i];
    }
    w->est[k] = theta;
    for (size_t j = 0; cohort != NULL && j < K; j++) {
        double p = cohort_share(w, cohort[j]);
        double c = (w->est[item[j]] - theta) / S;
        for (size_t i = 0; i < n; i++)
            psi[i] += c * ((double)(w->ug[i] == cohort[j]) - p);
    }
    return k;
}

typedef enum cell_key { KEY_EVENT, KEY_GROUP, KEY_PERIOD } cell_key;

static long key_of(const we_cs_cell *c, cell_key key)
{
    return key == KEY_EVENT ? c->event
           : key == KEY_GROUP ? c->group
                              : (long)c->period;
}

/* Cells with the given key value (post-treatment cells only unless
 * `all`); fills their statistic indices and cohorts, returns the count. */
static size_t select_cells(const we_cs_result *out, cell_key key, long v,
                           int all, size_t *item, long *cohort)
{
    size_t K = 0;
    for (size_t k = 0; k < out->n_cells; k++) {
        const we_cs_cell *c = &out->cell[k];
        if ((all || c->event >= 0) && key_of(c, key) == v) {
            item[K] = k;
            cohort[K++] = c->group;
        }
    }
    return K;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Distinct key values of the cells (post cells unless `all`), ascending. */
static size_t distinct_keys(const we_cs_result *out, cell_key key, int all,
                            long *v)
{
    size_t m = 0, u = 0;
    for (size_t k = 0; k < out->n_cells; k++)
        if (all || out->cell[k].event >= 0)
            v[m++] = key_of(&out->cell[k], key);
    qsort(v, m, sizeof *v, cmp_long);
    for (size_t k = 0; k < m; k++)
        if (k == 0 || v[k] != v[k - 1])
            v[u++] = v[k];
    return u;
}

typedef struct agg_spec {
    cell_key key;
    int all_cells;      /* dynamic: pre-treatment event times too */
    int weighted_elem;  /* elements weight cells by cohort size */
    int overall_mode;   /* 0: mean of elements with key >= 0 (dynamic),
                           1: mean of all, 2: cohort-size weighted */
} agg_spec;

/* One aggregation: its elements, then its overall summary. first/count/
 * overall receive the statistic indices. */
static int aggregate_one(cs_work *w, we_cs_result *out, const agg_spec *sp,
                         we_cs_aggregation *agg, size_t *first,
                         size_t *overall)
{
    size_t N = out->n_cells;
    size_t *item = malloc((N + 1) * sizeof *item);
    long *coh = malloc((N + 1) * sizeof *coh);
    long *keys = malloc((N + 1) * sizeof *keys);
    agg->elem = calloc(N + 1, sizeof *agg->elem);
    if (item == NULL || coh == NULL || keys == NULL || agg->elem == NULL) {
        free(item);
        free(coh);
        free(keys);
        return WE_ENOMEM;
    }
    agg->n = distinct_keys(out, sp->key, sp->all_cells, keys);
    *first = w->n_stats;
    for (size_t e = 0; e < agg->n; e++) {
        size_t K = select_cells(out, sp->key, keys[e], sp->all_cells, item,
                                coh);
        agg->elem[e].key = keys[e];
        combine(w, item, sp->weighted_elem ? coh : NULL, K);
    }
    size_t K = 0;
    for (size_t e = 0; e < agg->n; e++) {
        if (sp->overall_mode == 0 && keys[e] < 0)
            continue;
        item[K] = *first + e;
        coh[K++] = keys[e];
    }
    *overall = combine(w, item, sp->overall_mode == 2 ? coh : NULL, K);
    free(item);
    free(coh);
    free(keys);
    return WE_OK;
}

static int simple_aggregate(cs_work *w, const we_cs_result *out,
                            size_t *index)
{
    size_t N = out->n_cells, K = 0;
    size_t *item = malloc(N * sizeof *item);
    long *coh = malloc(N * sizeof *coh);
    if (item == NULL || coh == NULL) {
        free(item);
        free(coh);
        return WE_ENOMEM;
    }
    for (size_t k = 0; k < N; k++) {
        if (out->cell[k].event < 0)
            continue;
        item[K] = k;
        coh[K++] = out->cell[k].group;
    }
    *index = combine(w, item, coh, K);
    free(item);
    free(coh);
    return WE_OK;
}

int we_cs_aggregate(cs_work *w, we_cs_result *out, cs_layout *lay,
                    we_error *err)
{
    static const agg_spec DYNAMIC = {KEY_EVENT, 1, 1, 0};
    static const agg_spec GROUP = {KEY_GROUP, 0, 0, 2};
    static const agg_spec CALENDAR = {KEY_PERIOD, 0, 1, 1};
    w->ug = malloc((w->n > 0 ? w->n : 1) * sizeof *w->ug);
    if (w->ug == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t i = 0; i < w->d->n_areas; i++)
        if (w->pos[i] >= 0)
            w->ug[w->pos[i]] = w->g[i];
    lay->n_cells = out->n_cells;
    int rc = simple_aggregate(w, out, &lay->simple);
    if (rc == WE_OK)
        rc = aggregate_one(w, out, &DYNAMIC, &out->dynamic, &lay->dyn0,
                           &lay->dyn_all);
    if (rc == WE_OK)
        rc = aggregate_one(w, out, &GROUP, &out->group, &lay->grp0,
                           &lay->grp_all);
    if (rc == WE_OK)
        rc = aggregate_one(w, out, &CALENDAR, &out->calendar, &lay->cal0,
                           &lay->cal_all);
    if (rc != WE_OK)
        return we_fail(err, WE_ENOMEM, "out of memory"), rc;
    lay->n_dyn = out->dynamic.n;
    lay->n_grp = out->group.n;
    lay->n_cal = out->calendar.n;
    return WE_OK;
}
