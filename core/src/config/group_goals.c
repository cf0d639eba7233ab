/* The goals and policy-return inputs (docs/config.md, docs/data.md): the
 * targets each wijk named itself (data.targets) and what each experiment
 * cost (data.costs). Both are keys of the `data` group, which lists them
 * as read elsewhere; this part reads them. Self-contained: one entry in
 * the loader's table of parts (config.c) reads it. */
#include "config/config_internal.h"

#include <stddef.h>

static const cfg_key KEYS[] = {
    {.name = "targets", .kind = CFG_PATH,
     .offset = offsetof(we_config, targets_path)},
    {.name = "costs", .kind = CFG_PATH,
     .offset = offsetof(we_config, costs_path)},
};

int we_cfg_group_goals(const config_setting_t *root, we_config *c,
                       const char *path, we_error *err)
{
    cfg_ctx L = {c, err, path};
    config_setting_t *g;
    int rc = cfg_get_group(&L, root, "data", 0, &g);
    if (rc != 1)
        return rc;
    return cfg_keys_read(&L, g, KEYS, N_OF(KEYS), c);
}
