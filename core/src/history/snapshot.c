/* What the history keeps of a run besides its results: the settings that
 * make its method, the SHA-256 of every input file, and the fingerprint
 * of the panel per indicator and period (docs/history.md). The same
 * snapshot is recorded and compared, so the two cannot disagree. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history_internal.h"
#include "methods/methods.h"
#include "util/sha256.h"

static we_hist_kv *add_kv(we_hist_kv **a, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 32;
        we_hist_kv *b = realloc(*a, c * sizeof *b);
        if (b == NULL)
            return NULL;
        *a = b;
        *cap = c;
    }
    we_hist_kv *kv = &(*a)[(*n)++];
    memset(kv, 0, sizeof *kv);
    return kv;
}

/* The settings of a run's method: what a changed config can change
 * besides the window (followup is the window, not the method). */
static int build_settings(we_hist_snapshot *s, const we_run *run)
{
    const we_config *c = run->cfg;
    const we_inference_cfg *inf = &c->inference;
    size_t cap = 0;
    char v[512];
#define SET(k, ...)                                                         \
    do {                                                                    \
        we_hist_kv *kv = add_kv(&s->settings, &s->n_settings, &cap);        \
        if (kv == NULL)                                                     \
            return -1;                                                      \
        snprintf(kv->key, sizeof kv->key, "%s", k);                         \
        snprintf(kv->value, sizeof kv->value, __VA_ARGS__);                 \
    } while (0)
    SET("baseline", "%d", c->baseline);
    SET("comparison", "%s",
        c->comparison == WE_COMPARISON_SAME_MUNICIPALITY ? "same_municipality"
        : c->comparison == WE_COMPARISON_LIST           ? "list"
                                                        : "untreated");
    SET("gap.reference", "%s",
        c->gap_reference == WE_GAP_NATIONAL ? "national" : "municipality");
    SET("gap.weighted", "%s", c->gap_weighted ? "true" : "false");
    SET("inference.alpha", "%.15g", c->alpha);
    SET("inference.seed", "%llu", (unsigned long long)c->seed);
    SET("inference.cluster", "%s",
        c->cluster == WE_CLUSTER_MUNICIPALITY ? "municipality" : "area");
    SET("inference.method", "%s",
        inf->method == WE_INFER_CR1    ? "cr1"
        : inf->method == WE_INFER_WILD ? "wild"
                                       : "auto");
    SET("inference.bootstrap.reps", "%zu", inf->boot_reps);
    SET("inference.bootstrap.weights", "%s",
        inf->boot_weights ? "webb" : "rademacher");
    SET("inference.permutation.reps", "%zu", inf->perm_reps);
    SET("inference.permutation.strata", "%s",
        inf->perm_strata ? "municipality" : "none");
    SET("inference.event_study", "%d..%d, %zu", inf->event_min,
        inf->event_max, inf->event_boot_reps);
    SET("inference.adjust", "%s",
        inf->adjust == WE_ADJUST_BH ? "bh" : "holm");
    SET("inference.power", "%.15g", inf->power);
    SET("designs.cs_control", "%s",
        c->designs.cs_not_yet ? "not_yet_treated" : "never_treated");
    SET("designs.cs_bootstrap_reps", "%zu", c->designs.cs_boot_reps);
    SET("designs.sdid_reps", "%zu", c->designs.sdid_reps);
    /* The treated wijken and their start: a count and a digest. */
    we_sha256 h;
    we_sha256_init(&h);
    for (size_t i = 0; i < c->n_treated; i++) {
        snprintf(v, sizeof v, "%s,%d\n", c->treated[i].area,
                 c->treated[i].from);
        we_sha256_update(&h, v, strlen(v));
    }
    unsigned char d[32];
    char hex[65];
    we_sha256_final(&h, d);
    we_sha256_hex(d, hex);
    SET("treatment", "%zu wijken, %.12s", c->n_treated, hex);
    for (size_t k = 0; k < run->n_experiments; k++) {
        const we_experiment_run *x = &run->experiments[k];
        char key[64];
        snprintf(key, sizeof key, "design.%s", x->id);
        if (x->status == WE_EXP_OK)
            SET(key, "%s", we_method_name(x->design));
    }
#undef SET
    return 0;
}

static int build_inputs(we_hist_snapshot *s, const we_config *c,
                        we_error *err)
{
    const struct {
        const char *role, *path;
    } files[] = {{"areas", c->areas_path},
                 {"indicators", c->indicators_path},
                 {"catalog", c->catalog_path},
                 {"treatment", c->treatment_path},
                 {"targets", c->targets_path},
                 {"costs", c->costs_path},
                 {"adjacency", c->adjacency_path},
                 {"centroids", c->centroids_path}};
    size_t cap = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (files[i].path == NULL)
            continue;
        we_hist_kv *kv = add_kv(&s->inputs, &s->n_inputs, &cap);
        if (kv == NULL)
            return we_fail(err, WE_ENOMEM, "out of memory");
        snprintf(kv->key, sizeof kv->key, "%s", files[i].role);
        snprintf(kv->value, sizeof kv->value, "%s", files[i].path);
        if (we_sha256_file_hex(files[i].path, kv->extra, err) != 0)
            return -1;
    }
    return 0;
}

/* A value's bits, with every NaN (missing) the same. */
static uint64_t value_bits(double v)
{
    uint64_t b;
    if (isnan(v))
        v = NAN;
    else if (v == 0.0)
        v = 0.0; /* -0 and +0 are one value */
    memcpy(&b, &v, sizeof b);
    return b;
}

/* FNV-1a over the 8 bytes of the value, folded to 32 bits. */
static uint32_t cell_fingerprint(uint64_t bits)
{
    uint64_t x = 1469598103934665603ULL;
    for (int i = 0; i < 8; i++) {
        x ^= (bits >> (8 * i)) & 0xffu;
        x *= 1099511628211ULL;
    }
    return (uint32_t)(x ^ (x >> 32));
}

static int build_cells(we_hist_snapshot *s, const we_panel *p,
                       we_error *err)
{
    size_t n_with = 0;
    for (size_t k = 0; k < p->n_indicators; k++)
        n_with += p->values[k] != NULL;
    int keep = n_with * p->n_areas * p->n_periods <= WE_HIST_MAX_CELLS;
    s->cells = calloc(n_with * p->n_periods + 1, sizeof *s->cells);
    if (s->cells == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory");
    /* The areas, in order: cell fingerprints compare only between runs
     * with the same list. */
    we_sha256 h;
    unsigned char d[32];
    we_sha256_init(&h);
    for (size_t i = 0; i < p->n_areas; i++)
        we_sha256_update(&h, p->areas[i].code, strlen(p->areas[i].code) + 1);
    we_sha256_final(&h, d);
    we_sha256_hex(d, s->areas_sha256);
    for (size_t k = 0; k < p->n_indicators; k++) {
        const double *v = p->values[k];
        if (v == NULL)
            continue;
        for (size_t t = 0; t < p->n_periods; t++) {
            we_hist_cells *c = &s->cells[s->n_cells++];
            c->indicator = p->catalog[k].indicator;
            c->period = p->periods[t];
            c->n_cells = p->n_areas;
            if (keep && p->n_areas > 0 &&
                (c->cells = malloc(4 * p->n_areas)) == NULL)
                return we_fail(err, WE_ENOMEM, "out of memory");
            we_sha256_init(&h);
            for (size_t i = 0; i < p->n_areas; i++) {
                uint64_t b = value_bits(v[i * p->n_periods + t]);
                unsigned char le[8];
                for (int j = 0; j < 8; j++)
                    le[j] = (unsigned char)(b >> (8 * j));
                we_sha256_update(&h, p->areas[i].code,
                                 strlen(p->areas[i].code) + 1);
                we_sha256_update(&h, le, 8);
                if (c->cells != NULL) {
                    uint32_t f = cell_fingerprint(b);
                    for (int j = 0; j < 4; j++)
                        c->cells[4 * i + (size_t)j] =
                            (unsigned char)(f >> (8 * j));
                }
            }
            we_sha256_final(&h, c->digest);
        }
    }
    return 0;
}

int we_hist_snapshot_build(we_hist_snapshot *s, const we_run *run,
                           we_error *err)
{
    memset(s, 0, sizeof *s);
    int rc = build_settings(s, run) != 0
                 ? we_fail(err, WE_ENOMEM, "out of memory")
                 : 0;
    if (rc == 0)
        rc = build_inputs(s, run->cfg, err);
    if (rc == 0)
        rc = build_cells(s, run->panel, err);
    if (rc != 0)
        we_hist_snapshot_free(s);
    return rc;
}

void we_hist_snapshot_free(we_hist_snapshot *s)
{
    free(s->settings);
    free(s->inputs);
    for (size_t i = 0; i < s->n_cells; i++)
        free(s->cells[i].cells);
    free(s->cells);
    memset(s, 0, sizeof *s);
}
