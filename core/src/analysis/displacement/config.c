/* The `displacement` group (docs/config.md): the indicators whose ring of
 * untreated neighbours is compared with the areas further away and, with
 * data.centroids, the distance band that makes two areas neighbours.
 * The analysis owns it: the config loader reads it through the analysis
 * table (we_config_group_at). */
#include "config/config_kit.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int read_indicators(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    we_displacement_cfg *d = base;
    if (cfg_get_strings(L, g, k->name, 1, "list the catalogue indicators "
                        "to test, e.g. [\"misdrijven_per_1000\"]",
                        &d->indicators, &d->n_indicators,
                        &d->indicator_line) != 1)
        return -1;
    const config_setting_t *seq = config_setting_get_member(g, k->name);
    for (size_t i = 1; i < d->n_indicators; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->indicators[j], d->indicators[i]) == 0)
                return cfg_fail(L, config_setting_get_elem(seq, (unsigned)i),
                                "displacement: indicator '%s' is listed "
                                "twice; list it once", d->indicators[i]);
    return 0;
}

/* band_m goes with data.centroids, and only with it. */
static int read_band(cfg_ctx *L, const config_setting_t *g, const cfg_key *k,
                     void *base)
{
    const config_setting_t *b = config_setting_get_member(g, k->name);
    if (b == NULL && L->c->centroids_path != NULL)
        return cfg_fail(L, g, "data.centroids needs 'displacement.band_m', "
                        "the distance in metres within which two centroids "
                        "are neighbours, e.g. band_m = 1500;");
    if (b != NULL && L->c->centroids_path == NULL)
        return cfg_fail(L, b, "'displacement.band_m' needs data.centroids; "
                        "with data.adjacency the file says who neighbours "
                        "whom, so remove band_m");
    return b != NULL ? cfg_read_value(L, b, k, base) : 0;
}

static const cfg_key KEYS[] = {
    {.name = "indicators", .kind = CFG_CUSTOM, .load = read_indicators},
    {.name = "band_m", .kind = CFG_NUMBER,
     .offset = offsetof(we_displacement_cfg, band_m), .flags = CFG_LO_OPEN,
     .lo = 0, .hi = 100000, .tail = " metres, e.g. 1500", .load = read_band},
};

static int disp_load(const config_setting_t *root, we_config *c,
                     const char *path, we_error *err)
{
    cfg_ctx L = {c, err, path};
    config_setting_t *g;
    int rc = cfg_get_group(&L, root, "displacement", 0, &g);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return c->centroids_path == NULL
                   ? 0
                   : cfg_fail(&L, root, "data.centroids needs a "
                              "'displacement' group with band_m (see "
                              "docs/config.md)");
    we_displacement_cfg *d = &c->displacement;
    d->enabled = 1;
    d->line = (int)config_setting_source_line(g);
    if (c->adjacency_path == NULL && c->centroids_path == NULL) {
        /* Unknown keys first, as everywhere. */
        if (cfg_keys_check(&L, g, KEYS, N_OF(KEYS)) != 0)
            return -1;
        return cfg_fail(&L, g, "the 'displacement' group needs neighbours: "
                        "give data.adjacency (rows area,neighbour) or "
                        "data.centroids (rows area,x,y) with band_m");
    }
    return cfg_keys_load(&L, g, KEYS, N_OF(KEYS), d);
}

static void disp_free(we_config *c)
{
    for (size_t i = 0; i < c->displacement.n_indicators; i++)
        free(c->displacement.indicators[i]);
    free(c->displacement.indicators);
    free(c->displacement.indicator_line);
}

const we_config_group we_displacement_config = {
    .name = "displacement",
    .load = disp_load,
    .free = disp_free,
};
