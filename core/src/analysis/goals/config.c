/* The goals and policy-return inputs (docs/config.md, docs/data.md): the
 * targets each wijk named itself (data.targets) and what each experiment
 * cost (data.costs). Both are keys of the `data` group, which lists them
 * as read elsewhere; this part reads them. The analysis owns it: the
 * config loader reads it through the analysis table (we_config_group_at). */
#include "config/config_kit.h"

#include <stddef.h>
#include <stdlib.h>

static const cfg_key KEYS[] = {
    {.name = "targets", .kind = CFG_PATH,
     .offset = offsetof(we_config, targets_path)},
    {.name = "costs", .kind = CFG_PATH,
     .offset = offsetof(we_config, costs_path)},
};

static int goals_load(const config_setting_t *root, we_config *c,
                      const char *path, we_error *err)
{
    cfg_ctx L = {c, err, path};
    config_setting_t *g;
    int rc = cfg_get_group(&L, root, "data", 0, &g);
    if (rc != 1)
        return rc;
    return cfg_keys_read(&L, g, KEYS, N_OF(KEYS), c);
}

static void goals_free(we_config *c)
{
    free(c->targets_path);
    free(c->costs_path);
}

/* No name: the keys sit in the `data` group. */
const we_config_group we_goals_config = {
    .load = goals_load,
    .free = goals_free,
};
