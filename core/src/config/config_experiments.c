/* The `experiments` list: one group per plugin run, with its indicator
 * overrides, design, matched comparison, municipalities and limits. */
#include "config/config_kit.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "util/codes.h"

static const char *const DESIGN_NAMES[] = {"auto", "twfe", "cs", "sc",
                                           "sdid"};
/* In we_exp_comparison order. */
static const char *const COMPARISON_NAMES[] = {"run", "matched", "programme",
                                               "untreated"};
static const char *const MATCHING_METHOD_NAMES[] = {"mahalanobis",
                                                    "propensity"};
static const char *const ROLE_NAMES[] = {"primary", "secondary"};

static int is_plugin_id(const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return 0;
    }
    return s[0] != '\0';
}

/* ---- indicator overrides ------------------------------------------------ */

static const cfg_key TARGET_KEYS[] = {
    {.name = "name", .kind = CFG_STRING,
     .offset = offsetof(we_target_cfg, name), .flags = CFG_REQUIRED},
    {.name = "role", .kind = CFG_ENUM, .offset = offsetof(we_target_cfg, role),
     .flags = CFG_REQUIRED, CFG_NAMES(ROLE_NAMES)},
};

/* Distinct names, exactly one primary. */
static int check_targets(const cfg_ctx *L, const we_experiment_cfg *e,
                         const config_setting_t *seq)
{
    size_t n_primary = 0;
    for (size_t i = 0; i < e->n_targets; i++) {
        const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
        n_primary += e->targets[i].role == WE_ROLE_PRIMARY;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(e->targets[j].name, e->targets[i].name) == 0)
                return cfg_fail(L, s, "indicator '%s' is listed twice for "
                                "plugin '%s'; list it once",
                                e->targets[i].name, e->plugin);
        }
    }
    if (n_primary != 1)
        return cfg_fail(L, seq, "plugin '%s' has %zu primary indicators; "
                        "mark exactly one with role = \"primary\" and the "
                        "others \"secondary\"", e->plugin, n_primary);
    return 0;
}

static int read_targets(cfg_ctx *L, const config_setting_t *g,
                        const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    config_setting_t *seq;
    int rc = cfg_get_seq(L, g, k->name, 0, "leave it out to use the "
                         "plugin's default indicators", &seq);
    if (rc != 1)
        return rc;
    size_t n = (size_t)config_setting_length(seq);
    e->targets = we_calloc(n, sizeof *e->targets);
    if (e->targets == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *t = config_setting_get_elem(seq, (unsigned)i);
        e->n_targets = i + 1;
        if (!config_setting_is_group(t))
            return cfg_type_error(L, t, "a group { name; role; }");
        if (cfg_keys_load(L, t, TARGET_KEYS, N_OF(TARGET_KEYS),
                          &e->targets[i]) != 0)
            return -1;
    }
    return check_targets(L, e, seq);
}

/* ---- matched comparison ------------------------------------------------- */

static int read_covariates(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    we_matching_cfg *m = base;
    return cfg_get_strings(L, g, k->name, 0, "list catalogue indicators, "
                           "e.g. [\"woz_gemiddeld\"]", &m->covariates,
                           &m->n_covariates, NULL) < 0
               ? -1
               : 0;
}

#define MATCH(f) offsetof(we_matching_cfg, f)
static const cfg_key MATCHING_KEYS[] = {
    {.name = "method", .kind = CFG_ENUM, .offset = MATCH(propensity),
     .flags = CFG_DEFAULT, CFG_NAMES(MATCHING_METHOD_NAMES), .def = 0},
    {.name = "k", .kind = CFG_COUNT, .offset = MATCH(k), .flags = CFG_DEFAULT,
     .lo = 1, .hi = 50, .def = 3},
    {.name = "replace", .kind = CFG_BOOL, .offset = MATCH(replace),
     .flags = CFG_DEFAULT, .def = 1},
    {.name = "same_municipality", .kind = CFG_BOOL,
     .offset = MATCH(same_municipality), .flags = CFG_DEFAULT, .def = 0},
    {.name = "covariates", .kind = CFG_CUSTOM, .load = read_covariates},
};

/* `comparison = "matched"` with its optional `matching` group. */
static int read_comparison(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    we_matching_cfg *m = &e->matching;
    int cmp = 0;
    if (cfg_get_enum(L, g, k->name, 0, COMPARISON_NAMES,
                     N_OF(COMPARISON_NAMES), &cmp) < 0)
        return -1;
    e->comparison = (we_exp_comparison)cmp;
    *m = (we_matching_cfg){.enabled = cmp == WE_EXP_CMP_MATCHED};
    cfg_keys_defaults(MATCHING_KEYS, N_OF(MATCHING_KEYS), m);
    return 0;
}

static int read_matching(cfg_ctx *L, const config_setting_t *g,
                         const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    config_setting_t *mg;
    int rc = cfg_get_group(L, g, k->name, 0, &mg);
    if (rc != 1)
        return rc;
    if (!e->matching.enabled)
        return cfg_fail(L, mg, "'matching' is only used with comparison = "
                        "\"matched\" in the same experiment");
    return cfg_keys_load(L, mg, MATCHING_KEYS, N_OF(MATCHING_KEYS),
                         &e->matching);
}

/* ---- the experiment ----------------------------------------------------- */

/* `municipalities = ["GM0599"]`: the experiment runs in these only. */
static int read_municipalities(cfg_ctx *L, const config_setting_t *g,
                               const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    int rc = cfg_get_strings(L, g, k->name, 0, "list municipality codes, "
                             "e.g. [\"GM0599\"]", &e->municipalities,
                             &e->n_municipalities, NULL);
    if (rc != 1)
        return rc;
    const config_setting_t *seq = config_setting_get_member(g, k->name);
    for (size_t i = 0; i < e->n_municipalities; i++)
        if (!we_is_gm_code(e->municipalities[i]))
            return cfg_fail(L, config_setting_get_elem(seq, (unsigned)i),
                            "'%s' is not a municipality code; write GM and "
                            "four digits, e.g. \"GM0599\"",
                            e->municipalities[i]);
    return 0;
}

static int read_plugin(cfg_ctx *L, const config_setting_t *g,
                       const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    const we_experiment_cfg *all = L->c->experiments;
    const char *id = NULL;
    config_setting_t *s;
    if (cfg_get_string(L, g, k->name, 1, &id, &s) != 1)
        return -1;
    if (!is_plugin_id(id))
        return cfg_fail(L, s, "plugin id \"%s\" is not valid; ids use only "
                        "a-z, 0-9 and '_' and are not paths (add "
                        "directories to plugin_dirs instead)", id);
    if (strcmp(id, "programme") == 0)
        return cfg_fail(L, s, "\"programme\" is the programme's own row "
                        "(the top-level `programme` group), not a plugin; "
                        "give the plugin another id");
    for (const we_experiment_cfg *o = all; o < e; o++)
        if (strcmp(o->plugin, id) == 0)
            return cfg_fail(L, s, "plugin '%s' is listed twice in "
                            "'experiments' (first at line %d); list each "
                            "plugin once", id, o->line);
    e->plugin = we_strdup(id);
    return e->plugin != NULL ? 0 : cfg_oom(L);
}

static int read_settings(cfg_ctx *L, const config_setting_t *g,
                         const cfg_key *k, void *base)
{
    we_experiment_cfg *e = base;
    return cfg_get_group(L, g, k->name, 0, &e->settings) < 0 ? -1 : 0;
}

/* The `isolation` group's limits, unless the experiment sets its own. */
static int isolation_limits(cfg_ctx *L, const config_setting_t *g,
                            const cfg_key *k, void *base)
{
    (void)g;
    (void)k;
    we_experiment_cfg *e = base;
    e->time_limit = L->c->isolation.time_limit;
    e->memory_limit_mb = L->c->isolation.memory_limit_mb;
    return 0;
}

#define EXP(f) offsetof(we_experiment_cfg, f)
static const cfg_key EXPERIMENT_KEYS[] = {
    {.name = "plugin", .kind = CFG_CUSTOM, .load = read_plugin},
    {.name = "indicators", .kind = CFG_CUSTOM, .load = read_targets},
    {.name = "settings", .kind = CFG_CUSTOM, .load = read_settings},
    {.name = "design", .kind = CFG_ENUM, .offset = EXP(design),
     CFG_NAMES(DESIGN_NAMES)},
    {.name = "comparison", .kind = CFG_CUSTOM, .load = read_comparison},
    {.name = "matching", .kind = CFG_CUSTOM, .load = read_matching},
    {.name = "municipalities", .kind = CFG_CUSTOM,
     .load = read_municipalities},
    {.name = NULL, .kind = CFG_CUSTOM, .load = isolation_limits},
    {.name = "time_limit", .kind = CFG_SECONDS, .offset = EXP(time_limit)},
    {.name = "memory_limit_mb", .kind = CFG_MEGABYTES,
     .offset = EXP(memory_limit_mb)},
    {.name = "smallest_effect", .kind = CFG_NUMBER,
     .offset = EXP(smallest_effect), .flags = CFG_LO_OPEN, .lo = 0,
     .hi = HUGE_VAL,
     .tail = " (the smallest effect of interest of the headline, in its "
             "indicator's unit)"},
};

/* The experiments' assignments: every row names a configured experiment;
 * an experiment with rows compares with the programme by default, one
 * without rows keeps the run's comparison group (programme and untreated
 * need an assignment). */
static int check_assignment(cfg_ctx *L, const config_setting_t *seq)
{
    we_config *c = L->c;
    for (size_t i = 0; i < c->n_assigned; i++) {
        const we_assigned_cfg *a = &c->assigned[i];
        size_t k = 0;
        while (k < c->n_experiments &&
               strcmp(c->experiments[k].plugin, a->experiment) != 0)
            k++;
        if (k == c->n_experiments)
            return we_fail(L->err, WE_EINVAL,
                           "%s:%d: experiment '%s' is not one of the "
                           "config's experiments; correct the id or add "
                           "{ plugin = \"%s\"; } to experiments",
                           c->assignment_path, a->line, a->experiment,
                           a->experiment);
        c->experiments[k].n_assigned++;
    }
    for (size_t k = 0; k < c->n_experiments; k++) {
        we_experiment_cfg *e = &c->experiments[k];
        if (e->n_assigned > 0 && e->comparison == WE_EXP_CMP_RUN)
            e->comparison = WE_EXP_CMP_PROGRAMME;
        if (e->n_assigned > 0 && e->n_municipalities > 0)
            return cfg_fail(L, config_setting_get_elem(seq, (unsigned)k),
                            "experiment '%s' has rows in data.assignment "
                            "and 'municipalities'; its wijken come from "
                            "the assignment: remove 'municipalities'",
                            e->plugin);
        if (e->n_assigned == 0 && (e->comparison == WE_EXP_CMP_PROGRAMME ||
                                   e->comparison == WE_EXP_CMP_UNTREATED))
            return cfg_fail(L, config_setting_get_elem(seq, (unsigned)k),
                            "experiment '%s' has comparison = \"%s\" but "
                            "no rows in data.assignment; give its wijken "
                            "there (experiment,area,from), or leave "
                            "'comparison' out",
                            e->plugin, COMPARISON_NAMES[e->comparison]);
    }
    return 0;
}

/* programme = { indicators = ["werkzaam_15_64_pct", ...]; }: the
 * programme's own row on these indicators. */
int we_cfg_read_programme(cfg_ctx *L, const config_setting_t *g,
                          const cfg_key *k, void *base)
{
    we_config *c = base;
    config_setting_t *pg;
    int rc = cfg_get_group(L, g, k->name, 0, &pg);
    if (rc != 1)
        return rc;
    if (cfg_check_keys(L, pg, (const char *const[]){"indicators"}, 1) != 0)
        return -1;
    c->programme_line = (int)config_setting_source_line(pg);
    if (cfg_get_strings(L, pg, "indicators", 1, "list the monitor's "
                        "headline indicators, e.g. [\"werkzaam_15_64_pct\"]",
                        &c->programme_indicators,
                        &c->n_programme_indicators, NULL) < 0)
        return -1;
    if (c->n_programme_indicators == 0)
        return cfg_fail(L, pg, "programme.indicators is empty; list at "
                        "least one indicator");
    c->programme_enabled = 1;
    return 0;
}

int we_cfg_group_experiments(const config_setting_t *root, we_config *c,
                             const char *path, we_error *err)
{
    cfg_ctx L = {c, err, path};
    config_setting_t *seq;
    if (cfg_get_seq(&L, root, "experiments", 1,
                    "list at least one experiment, e.g. ( { plugin = "
                    "\"samenhang\"; } )", &seq) != 1)
        return -1;
    size_t n = (size_t)config_setting_length(seq);
    c->experiments = we_calloc(n, sizeof *c->experiments);
    if (c->experiments == NULL)
        return cfg_oom(&L);
    for (size_t i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_elem(seq, (unsigned)i);
        we_experiment_cfg *e = &c->experiments[i];
        c->n_experiments = i + 1;
        if (!config_setting_is_group(g))
            return cfg_type_error(&L, g, "a group { plugin = \"...\"; }");
        e->line = (int)config_setting_source_line(g);
        if (cfg_keys_load(&L, g, EXPERIMENT_KEYS, N_OF(EXPERIMENT_KEYS),
                          e) != 0)
            return -1;
    }
    return check_assignment(&L, seq);
}
