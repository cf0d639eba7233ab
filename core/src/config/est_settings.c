#include "config/est_settings.h"

we_est_settings we_config_est_settings(const we_config *c)
{
    we_est_settings s = {
        .seed = c->seed,
        .alpha = c->alpha,
        .wild = c->inference.method == WE_INFER_CR1    ? WE_WILD_NEVER
                : c->inference.method == WE_INFER_WILD ? WE_WILD_ALWAYS
                                                       : WE_WILD_AUTO,
        .boot_webb = c->inference.boot_weights != 0,
        .boot_reps = c->inference.boot_reps,
        .cs_not_yet = c->designs.cs_not_yet,
        .cs_boot_reps = c->designs.cs_boot_reps,
        .sdid_reps = c->designs.sdid_reps,
    };
    return s;
}
