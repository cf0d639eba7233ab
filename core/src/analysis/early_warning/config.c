/* The `early_warning` group (docs/config.md): the composite's indicators
 * and weights, the window of the slope test, its false discovery rate
 * and the test. The analysis owns it: the config loader reads it through
 * the analysis table (we_config_group_at). */
#include "config/config_kit.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* In the order of we_ew_test (methods/early_warning.h). */
static const char *const TEST_NAMES[] = {"empirical_null", "mann_kendall"};

static int read_weight(cfg_ctx *L, const config_setting_t *g,
                       const cfg_key *k, void *base)
{
    we_ew_indicator_cfg *out = base;
    config_setting_t *w;
    if (cfg_member(L, g, k->name, 0, &w) != 1)
        return 0;
    if (cfg_as_number(L, w, "a number", &out->weight) != 0)
        return -1;
    if (!(out->weight > 0 && out->weight <= 1e6))
        return cfg_fail(L, w, "'early_warning' weight %g of '%s' is out of "
                        "range; give a positive weight, e.g. 1.0",
                        out->weight, out->name);
    return 0;
}

static const cfg_key INDICATOR_KEYS[] = {
    {.name = "name", .kind = CFG_STRING,
     .offset = offsetof(we_ew_indicator_cfg, name), .flags = CFG_REQUIRED},
    {.name = "weight", .kind = CFG_CUSTOM, .load = read_weight},
};

static int read_indicators(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    we_early_warning_cfg *ew = &((we_config *)base)->early_warning;
    config_setting_t *seq;
    if (cfg_get_seq(L, g, k->name, 1, "list the composite's catalogue "
                    "indicators, e.g. ( { name = \"verloedering_score\"; } )",
                    &seq) != 1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    if ((ew->indicators = we_calloc(n, sizeof *ew->indicators)) == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(seq, (unsigned)i);
        we_ew_indicator_cfg *x = &ew->indicators[i];
        ew->n_indicators = i + 1;
        if (!config_setting_is_group(t))
            return cfg_type_error(L, t, "a group { name; weight; }");
        x->line = (int)config_setting_source_line(t);
        x->weight = 1.0;
        if (cfg_keys_load(L, t, INDICATOR_KEYS, N_OF(INDICATOR_KEYS), x) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(ew->indicators[j].name, x->name) == 0)
                return cfg_fail(L, t, "early_warning: indicator '%s' is "
                                "listed twice; list it once", x->name);
    }
    return 0;
}

#define EW(f) offsetof(we_config, early_warning.f)
static const cfg_key KEYS[] = {
    {.name = "indicators", .kind = CFG_CUSTOM, .load = read_indicators},
    {.name = "window", .kind = CFG_COUNT, .offset = EW(window),
     .flags = CFG_DEFAULT, .lo = 4, .hi = 1000, .def = 8},
    {.name = "alpha", .kind = CFG_NUMBER, .offset = EW(alpha),
     .flags = CFG_DEFAULT | CFG_LO_OPEN, .lo = 0, .hi = 0.5, .def = 0.05,
     .tail = ", e.g. 0.05"},
    {.name = "test", .kind = CFG_ENUM, .offset = EW(test),
     .flags = CFG_DEFAULT, CFG_NAMES(TEST_NAMES), .def = 0},
};

static void ew_defaults(we_config *c)
{
    c->early_warning = (we_early_warning_cfg){0};
    cfg_keys_defaults(KEYS, N_OF(KEYS), c);
}

static int ew_load(const config_setting_t *root, we_config *c,
                   const char *path, we_error *err)
{
    cfg_ctx L = {c, err, path};
    config_setting_t *g;
    int rc = cfg_get_group(&L, root, "early_warning", 0, &g);
    if (rc != 1)
        return rc;
    c->early_warning.enabled = 1;
    c->early_warning.line = (int)config_setting_source_line(g);
    return cfg_keys_load(&L, g, KEYS, N_OF(KEYS), c);
}

static void ew_free(we_config *c)
{
    for (size_t i = 0; i < c->early_warning.n_indicators; i++)
        free(c->early_warning.indicators[i].name);
    free(c->early_warning.indicators);
}

const we_config_group we_early_warning_config = {
    .name = "early_warning",
    .load = ew_load,
    .defaults = ew_defaults,
    .free = ew_free,
};
