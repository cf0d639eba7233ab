/* A plugin's `settings` group checked against the settings the plugin
 * declares: unknown keys and wrong types are errors naming file and
 * line. */
#include "config/config_kit.h"

#include <string.h>

static int setting_type_ok(we_setting_type want, int have)
{
    switch (want) {
    case WE_SETTING_INT:
        return have == CONFIG_TYPE_INT || have == CONFIG_TYPE_INT64;
    case WE_SETTING_DOUBLE:
        return have == CONFIG_TYPE_FLOAT || have == CONFIG_TYPE_INT ||
               have == CONFIG_TYPE_INT64;
    case WE_SETTING_STRING: return have == CONFIG_TYPE_STRING;
    case WE_SETTING_BOOL: return have == CONFIG_TYPE_BOOL;
    }
    return 0;
}

static const char *setting_cfg_type_name(we_setting_type t)
{
    switch (t) {
    case WE_SETTING_INT: return "an integer";
    case WE_SETTING_DOUBLE: return "a number";
    case WE_SETTING_STRING: return "a string";
    case WE_SETTING_BOOL: return "a boolean (true or false)";
    }
    return "of an unknown type";
}

static int unknown_setting(const we_config *c, const config_setting_t *m,
                           const we_setting_spec *spec, size_t n_spec,
                           const char *pid, we_error *err)
{
    cfg_ctx L = {(we_config *)c, err, c != NULL ? c->path : NULL};
    if (n_spec == 0)
        return cfg_fail(&L, m, "plugin '%s' has no setting '%s'; it "
                        "declares no settings, so remove its 'settings' "
                        "group", pid, config_setting_name(m));
    char list[LIST_TEXT] = "";
    for (size_t i = 0; i < n_spec; i++) {
        if (i > 0)
            cfg_append(list, sizeof list, ", ");
        cfg_append(list, sizeof list, spec[i].name);
    }
    return cfg_fail(&L, m, "plugin '%s' has no setting '%s'; its "
                    "settings are: %s", pid, config_setting_name(m), list);
}

int we_config_check_settings(const we_config *c, const config_setting_t *s,
                             const we_setting_spec *spec, size_t n_spec,
                             const char *plugin_id, we_error *err)
{
    const char *pid = plugin_id != NULL ? plugin_id : "(unnamed)";
    cfg_ctx L = {(we_config *)c, err, c != NULL ? c->path : NULL};
    if (s == NULL)
        return 0;
    if (!config_setting_is_group(s))
        return cfg_fail(&L, s, "the settings of plugin '%s' must be a "
                        "group { ... }, not %s", pid,
                        cfg_type_name(config_setting_type(s)));
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(m);
        size_t k = 0;
        while (k < n_spec && strcmp(spec[k].name, name) != 0)
            k++;
        if (k == n_spec)
            return unknown_setting(c, m, spec, n_spec, pid, err);
        if (!setting_type_ok(spec[k].type, config_setting_type(m)))
            return cfg_fail(&L, m, "setting '%s' of plugin '%s' must be "
                            "%s, not %s", name, pid,
                            setting_cfg_type_name(spec[k].type),
                            cfg_type_name(config_setting_type(m)));
    }
    return 0;
}
