/* The mock host: builds the real host's panel, config and design in
 * memory and runs a plugin through the real host (host/host.h), so that a
 * plugin test sees exactly what `wijkeval run` would give. See
 * mock_host.h. */
#include "mock_host.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/design.h"
#include "analysis/design_choice.h"
#include "host/host.h"

struct we_mock {
    we_panel panel;
    we_config cfg;          /* what a config file would hold */
    we_experiment_cfg exp;  /* target overrides and the settings group */
    long *treated_from;     /* per area: first treated period index, -1 */
    signed char *comparison; /* per area: -1 default, 0 out, 1 in */
    int followup_set;
    we_plugin plugin;       /* the descriptor under test, as the loader
                               copies it */
    struct we_ctx ctx;
    we_experiment_run out;  /* what the real host recorded */
    we_mock_result *results; /* views of out.results */
    we_mock_metric *metrics; /* views of out.metrics */
    we_mock_area_metric *area_metrics; /* views of out.area_metrics */
    we_mock_log *logs;
    size_t n_logs, cap_logs;
    we_host older_host;     /* we_mock_set_host_abi's table */
    char error[WE_ERROR_MAX];
};

/* Names the descriptor under test in the loader's messages. */
static char mock_path[] = "(mock host)";

static int setf(we_mock *m, int status, const char *fmt, ...) WE_PRINTF(3, 4);
static int setf(we_mock *m, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->error, sizeof m->error, fmt, ap);
    va_end(ap);
    return status;
}

static int msgf(char *msg, size_t size, int status, const char *fmt, ...)
    WE_PRINTF(4, 5);
static int msgf(char *msg, size_t size, int status, const char *fmt, ...)
{
    if (msg != NULL && size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, size, fmt, ap);
        va_end(ap);
    }
    return status;
}

static int replace_string(char **dst, const char *src)
{
    char *copy = we_strdup(src != NULL ? src : "");
    if (copy == NULL)
        return WE_ENOMEM;
    free(*dst);
    *dst = copy;
    return WE_OK;
}

/* ---- lifetime --------------------------------------------------------- */

static void default_followup(we_mock *m)
{
    m->cfg.n_followup = 0;
    for (size_t t = 0; t < m->panel.n_periods; t++)
        if (m->panel.periods[t] > m->cfg.baseline)
            m->cfg.followup[m->cfg.n_followup++] = m->panel.periods[t];
}

/* The fields of a loaded config that the design and the host read, with
 * a config file's defaults. */
static int init_config(we_config *c, size_t n_periods)
{
    c->path = we_strdup("(mock)");
    c->areas_path = we_strdup("(mock areas)");
    c->indicators_path = we_strdup("(mock panel)");
    c->catalog_path = we_strdup("(mock catalogue)");
    c->followup = we_calloc(n_periods, sizeof *c->followup);
    config_init(&c->lc);
    we_config_set_defaults(c);
    /* A plugin test runs the plugin in its own process, where a debugger
     * and the sanitizers see it, and the test kit reads its logs. */
    c->isolation.enabled = 0;
    return c->path && c->areas_path && c->indicators_path &&
                   c->catalog_path && c->followup
               ? WE_OK
               : WE_ENOMEM;
}

static int init_panel(we_mock *m, size_t n_areas, const int *periods,
                      size_t n_periods)
{
    char **codes = we_calloc(n_areas, sizeof *codes);
    int rc = codes ? WE_OK : WE_ENOMEM;
    for (size_t a = 0; rc == WE_OK && a < n_areas; a++) {
        char buf[32];
        snprintf(buf, sizeof buf, "area%zu", a);
        rc = (codes[a] = we_strdup(buf)) ? WE_OK : WE_ENOMEM;
    }
    we_error err;
    if (rc == WE_OK && we_panel_new_empty(&m->panel, (const char **)codes,
                                          n_areas, periods, n_periods,
                                          &err) != 0)
        rc = WE_EINVAL;
    for (size_t a = 0; codes != NULL && a < n_areas; a++)
        free(codes[a]);
    free(codes);
    return rc;
}

static void collect_log(void *user, we_log_level level, const char *message)
{
    we_mock *m = user;
    if (m->n_logs == m->cap_logs) {
        size_t cap = m->cap_logs ? 2 * m->cap_logs : 16;
        we_mock_log *p = realloc(m->logs, cap * sizeof *p);
        if (p == NULL)
            return;
        m->logs = p;
        m->cap_logs = cap;
    }
    char *copy = we_strdup(message);
    if (copy != NULL)
        m->logs[m->n_logs++] = (we_mock_log){level, copy};
}

we_mock *we_mock_new(size_t n_areas, const int *periods, size_t n_periods)
{
    if (n_areas == 0 || n_periods == 0 || periods == NULL ||
        n_areas > ((size_t)-1) / sizeof(double) / n_periods)
        return NULL;
    we_mock *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    m->plugin.path = mock_path;
    m->ctx = (struct we_ctx){.cfg = &m->cfg, .panel = &m->panel,
                             .plugin = &m->plugin, .out = &m->out,
                             .verbosity = WE_LOG_DEBUG,
                             .log_sink = collect_log, .log_user = m};
    m->treated_from = we_calloc(n_areas, sizeof *m->treated_from);
    m->comparison = we_calloc(n_areas, sizeof *m->comparison);
    if (m->treated_from == NULL || m->comparison == NULL ||
        init_config(&m->cfg, n_periods) != WE_OK ||
        init_panel(m, n_areas, periods, n_periods) != WE_OK) {
        we_mock_free(m);
        return NULL;
    }
    for (size_t a = 0; a < n_areas; a++) {
        m->treated_from[a] = -1;
        m->comparison[a] = -1;
    }
    m->cfg.baseline = periods[0];
    default_followup(m);
    return m;
}

static void clear_outputs(we_mock *m)
{
    we_experiment_run_free(&m->out);
    free(m->results);
    free(m->metrics);
    free(m->area_metrics);
    m->results = NULL;
    m->metrics = NULL;
    m->area_metrics = NULL;
    for (size_t k = 0; k < m->n_logs; k++)
        free((char *)m->logs[k].message);
    m->n_logs = 0;
    m->error[0] = '\0';
}

static void clear_targets(we_mock *m)
{
    for (size_t k = 0; k < m->exp.n_targets; k++)
        free(m->exp.targets[k].name);
    free(m->exp.targets);
    m->exp.targets = NULL;
    m->exp.n_targets = 0;
}

void we_mock_free(we_mock *m)
{
    if (m == NULL)
        return;
    clear_outputs(m);
    clear_targets(m);
    free(m->logs);
    we_config_free(&m->cfg); /* the lists, the settings group, followup */
    we_panel_free(&m->panel);
    free(m->treated_from);
    free(m->comparison);
    free(m);
}

/* ---- panel setters ---------------------------------------------------- */

static int check_area(we_mock *m, size_t area, const char *what)
{
    if (area >= m->panel.n_areas)
        return setf(m, WE_EINVAL,
                    "%s: area %zu is out of range; the mock has %zu areas",
                    what, area, m->panel.n_areas);
    return WE_OK;
}

int we_mock_set_area_code(we_mock *m, size_t area, const char *code)
{
    we_error err;
    int rc = check_area(m, area, "we_mock_set_area_code");
    if (rc == WE_OK && (code == NULL || *code == '\0'))
        rc = setf(m, WE_EINVAL, "we_mock_set_area_code: the code is empty");
    if (rc == WE_OK && we_panel_set_area_code(&m->panel, area, code, &err))
        rc = setf(m, WE_EINVAL, "we_mock_set_area_code: %s", err.msg);
    return rc;
}

int we_mock_set_area_name(we_mock *m, size_t area, const char *name)
{
    int rc = check_area(m, area, "we_mock_set_area_name");
    return rc ? rc : replace_string(&m->panel.areas[area].name, name);
}

int we_mock_set_area_municipality(we_mock *m, size_t area,
                                  const char *municipality)
{
    int rc = check_area(m, area, "we_mock_set_area_municipality");
    return rc ? rc : replace_string(&m->panel.areas[area].municipality,
                                    municipality);
}

int we_mock_set_area_population(we_mock *m, size_t area, double population)
{
    int rc = check_area(m, area, "we_mock_set_area_population");
    if (rc == WE_OK)
        m->panel.areas[area].population = population;
    return rc;
}

int we_mock_set_indicator(we_mock *m, const char *name,
                          we_direction direction, const double *values)
{
    if (name == NULL || values == NULL)
        return setf(m, WE_EINVAL, "we_mock_set_indicator: name and values "
                                  "must not be NULL");
    if (direction != WE_LOWER_IS_BETTER && direction != WE_HIGHER_IS_BETTER)
        return setf(m, WE_EINVAL, "we_mock_set_indicator: '%s' has "
                    "direction %d; a catalogue direction is "
                    "WE_HIGHER_IS_BETTER or WE_LOWER_IS_BETTER", name,
                    direction);
    we_error err;
    if (we_panel_add_indicator(&m->panel, name, direction, values, &err))
        return setf(m, WE_EINVAL, "we_mock_set_indicator: %s", err.msg);
    return WE_OK;
}

int we_mock_set_indicator_info(we_mock *m, const char *name,
                               const char *unit, const char *label_nl,
                               const char *label_en, const char *theme)
{
    long k = name ? we_panel_indicator(&m->panel, name) : -1;
    if (k < 0)
        return setf(m, WE_ENOTFOUND, "we_mock_set_indicator_info: no "
                                     "indicator '%s'; set it first with "
                                     "we_mock_set_indicator",
                    name ? name : "");
    we_catalog_rec *c = &m->panel.catalog[k];
    int rc = replace_string(&c->unit, unit);
    if (rc == WE_OK)
        rc = replace_string(&c->label_nl, label_nl);
    if (rc == WE_OK)
        rc = replace_string(&c->label_en, label_en);
    if (rc == WE_OK)
        rc = replace_string(&c->theme, theme);
    return rc;
}

int we_mock_set_catalog_text(we_mock *m, const char *catalog_path)
{
    we_panel cat;
    we_error err;
    if (catalog_path == NULL ||
        we_panel_load_catalog(&cat, catalog_path, &err) != 0)
        return setf(m, WE_ENOTFOUND, "we_mock_set_catalog_text: %s",
                    catalog_path ? err.msg : "no catalogue file");
    int rc = WE_OK;
    for (size_t k = 0; rc == WE_OK && k < m->panel.n_indicators; k++) {
        long i = we_panel_indicator(&cat, m->panel.catalog[k].indicator);
        if (i >= 0)
            rc = we_mock_set_indicator_info(
                m, m->panel.catalog[k].indicator, cat.catalog[i].unit,
                cat.catalog[i].label_nl, cat.catalog[i].label_en,
                cat.catalog[i].theme);
    }
    we_panel_free(&cat);
    return rc;
}

int we_mock_remove_indicator(we_mock *m, const char *name)
{
    long k = name ? we_panel_indicator(&m->panel, name) : -1;
    if (k < 0 || m->panel.values[k] == NULL)
        return setf(m, WE_ENOTFOUND, "we_mock_remove_indicator: no "
                                     "indicator '%s'", name ? name : "");
    /* Catalogued without data, as when the data file has no rows for it. */
    free(m->panel.values[k]);
    m->panel.values[k] = NULL;
    return WE_OK;
}

/* ---- design setters --------------------------------------------------- */

static int check_period(we_mock *m, size_t t, const char *what)
{
    if (t >= m->panel.n_periods)
        return setf(m, WE_EINVAL, "%s: period index %zu is out of range; "
                    "the mock has %zu periods", what, t, m->panel.n_periods);
    return WE_OK;
}

int we_mock_set_treated(we_mock *m, size_t area, size_t period_index)
{
    int rc = check_area(m, area, "we_mock_set_treated");
    if (rc == WE_OK)
        rc = check_period(m, period_index, "we_mock_set_treated");
    if (rc == WE_OK)
        m->treated_from[area] = (long)period_index;
    return rc;
}

int we_mock_set_comparison(we_mock *m, size_t area, int in_comparison)
{
    int rc = check_area(m, area, "we_mock_set_comparison");
    if (rc == WE_OK)
        m->comparison[area] = in_comparison ? 1 : 0;
    return rc;
}

int we_mock_set_baseline(we_mock *m, size_t t)
{
    int rc = check_period(m, t, "we_mock_set_baseline");
    if (rc != WE_OK)
        return rc;
    m->cfg.baseline = m->panel.periods[t];
    if (!m->followup_set)
        default_followup(m);
    return WE_OK;
}

int we_mock_set_followup(we_mock *m, const size_t *idx, size_t n)
{
    if (n == 0 || idx == NULL || n > m->panel.n_periods)
        return setf(m, WE_EINVAL, "we_mock_set_followup: give 1 to %zu "
                    "period indices", m->panel.n_periods);
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= m->panel.n_periods || (k > 0 && idx[k] <= idx[k - 1]))
            return setf(m, WE_EINVAL, "we_mock_set_followup: index %zu "
                        "(%zu) is out of range or not ascending", k, idx[k]);
    for (size_t k = 0; k < n; k++)
        m->cfg.followup[k] = m->panel.periods[idx[k]];
    m->cfg.n_followup = n;
    m->followup_set = 1;
    return WE_OK;
}

int we_mock_set_alpha(we_mock *m, double alpha)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return setf(m, WE_EINVAL, "we_mock_set_alpha: %g is not in (0, 1)",
                    alpha);
    m->cfg.alpha = alpha;
    return WE_OK;
}

void we_mock_set_seed(we_mock *m, uint64_t seed) { m->cfg.seed = seed; }

void we_mock_set_cluster(we_mock *m, we_mock_cluster cluster)
{
    m->cfg.cluster = cluster == WE_MOCK_CLUSTER_AREA
                         ? WE_CLUSTER_AREA
                         : WE_CLUSTER_MUNICIPALITY;
}

void we_mock_set_gap(we_mock *m, we_mock_gap reference, int weighted)
{
    m->cfg.gap_reference = reference == WE_MOCK_GAP_NATIONAL
                               ? WE_GAP_NATIONAL
                               : WE_GAP_MUNICIPALITY;
    m->cfg.gap_weighted = weighted != 0;
}

int we_mock_set_targets(we_mock *m, const we_indicator_spec *targets,
                        size_t n)
{
    clear_targets(m);
    if (n == 0)
        return WE_OK;
    m->exp.targets = we_calloc(n, sizeof *m->exp.targets);
    if (m->exp.targets == NULL)
        return setf(m, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        if (targets == NULL || targets[k].name == NULL ||
            !we_plugin_id_valid(targets[k].name)) {
            clear_targets(m);
            return setf(m, WE_EINVAL, "we_mock_set_targets: target %zu has "
                                      "no valid name", k);
        }
        we_target_cfg *t = &m->exp.targets[m->exp.n_targets++];
        t->role = targets[k].role;
        if ((t->name = we_strdup(targets[k].name)) == NULL) {
            clear_targets(m);
            return setf(m, WE_ENOMEM, "out of memory");
        }
    }
    return WE_OK;
}

/* ---- settings: a libconfig group, as a config file's `settings` ------- */

/* The setting called `name`, new, of libconfig type `type`. */
static config_setting_t *setting_slot(we_mock *m, const char *name, int type)
{
    if (name == NULL || !we_plugin_id_valid(name)) {
        setf(m, WE_EINVAL, "setting name '%s' is not [a-z0-9_]+",
             name ? name : "");
        return NULL;
    }
    if (m->exp.settings == NULL)
        m->exp.settings = config_setting_add(config_root_setting(&m->cfg.lc),
                                             "settings", CONFIG_TYPE_GROUP);
    if (m->exp.settings != NULL)
        config_setting_remove(m->exp.settings, name);
    config_setting_t *s = m->exp.settings
                              ? config_setting_add(m->exp.settings, name,
                                                   type)
                              : NULL;
    if (s == NULL)
        setf(m, WE_EINVAL, "setting '%s' cannot be stored; libconfig names "
             "start with a letter", name);
    return s;
}

int we_mock_set_setting_int(we_mock *m, const char *name, long value)
{
    config_setting_t *s = setting_slot(m, name, CONFIG_TYPE_INT64);
    return s && config_setting_set_int64(s, value) ? WE_OK : WE_EINVAL;
}

int we_mock_set_setting_double(we_mock *m, const char *name, double value)
{
    config_setting_t *s = setting_slot(m, name, CONFIG_TYPE_FLOAT);
    return s && config_setting_set_float(s, value) ? WE_OK : WE_EINVAL;
}

int we_mock_set_setting_string(we_mock *m, const char *name,
                               const char *value)
{
    config_setting_t *s = setting_slot(m, name, CONFIG_TYPE_STRING);
    return s && config_setting_set_string(s, value ? value : "") ? WE_OK
                                                                : WE_EINVAL;
}

int we_mock_set_setting_bool(we_mock *m, const char *name, int value)
{
    config_setting_t *s = setting_slot(m, name, CONFIG_TYPE_BOOL);
    return s && config_setting_set_bool(s, value != 0) ? WE_OK : WE_EINVAL;
}

/* ---- the host --------------------------------------------------------- */

const we_host *we_mock_host(we_mock *m)
{
    return m != NULL && m->ctx.host != NULL ? m->ctx.host : we_host_table();
}

int we_mock_set_host_abi(we_mock *m, unsigned minor)
{
    size_t size = we_host_size_for_minor(minor);
    if (size == 0)
        return setf(m, WE_EINVAL, "we_mock_set_host_abi: this host has ABI "
                    "%d.%d; it cannot offer the table of ABI %d.%u",
                    WE_ABI_MAJOR, WE_ABI_MINOR, WE_ABI_MAJOR, minor);
    if (minor == WE_ABI_MINOR) {
        m->ctx.host = NULL;
        return WE_OK;
    }
    /* The members up to `size`, as that host has them; the rest zero, so
     * a plugin that reads past struct_size finds NULL, not a function. */
    memset(&m->older_host, 0, sizeof m->older_host);
    memcpy(&m->older_host, we_host_table(), size);
    m->older_host.abi_minor = (uint16_t)minor;
    m->older_host.struct_size = (uint32_t)size;
    m->ctx.host = &m->older_host;
    return WE_OK;
}

we_ctx *we_mock_ctx(we_mock *m) { return m ? &m->ctx : NULL; }

/* ---- descriptor checks ------------------------------------------------ */

/* Every declared direction must be the catalogue's; `cat` is a catalogue
 * file's or, in a run, the mock panel's (where a missing indicator is left
 * to the host's target check). */
static int check_directions(const we_plugin_descriptor *d,
                            const we_panel *cat, const char *where,
                            int missing_ok, char *msg, size_t n)
{
    for (size_t k = 0; k < d->n_indicators; k++) {
        const we_indicator_spec *s = &d->indicators[k];
        long i = we_panel_indicator(cat, s->name);
        if (i < 0 && !missing_ok)
            return msgf(msg, n, WE_ENOTFOUND, "plugin '%s': indicator '%s' "
                        "is not in %s", d->id, s->name, where);
        if (i >= 0 && s->direction != WE_DIRECTION_FROM_CATALOG &&
            s->direction != cat->catalog[i].direction)
            return msgf(msg, n, WE_EINVAL, "plugin '%s': indicator '%s' has "
                        "direction %d, %s says %d", d->id, s->name,
                        s->direction, where, cat->catalog[i].direction);
    }
    return WE_OK;
}

/* The loader's checks, which also copy the descriptor into *p. */
static int validate(we_plugin *p, const we_plugin_descriptor *d, char *msg,
                    size_t n)
{
    we_error err;
    if (we_plugin_validate(p, d, &err) != 0 ||
        we_plugin_check_author(&p->desc, &err) != 0)
        return msgf(msg, n, WE_EINVAL, "%s", err.msg);
    return WE_OK;
}

int we_mock_check_descriptor(const we_plugin_descriptor *d,
                             const char *catalog_path, char *msg,
                             size_t msg_size)
{
    we_plugin p = {.path = mock_path};
    int rc = validate(&p, d, msg, msg_size);
    if (rc != WE_OK || catalog_path == NULL)
        return rc;
    we_panel cat;
    we_error err;
    if (we_panel_load_catalog(&cat, catalog_path, &err) != 0)
        return msgf(msg, msg_size, WE_ENOTFOUND, "%s (run the test from "
                    "the repository root, or set WE_CATALOG)", err.msg);
    rc = check_directions(&p.desc, &cat, catalog_path, 0, msg, msg_size);
    we_panel_free(&cat);
    return rc;
}

/* ---- running ---------------------------------------------------------- */

/* 1 when every key of the group is a declared setting. */
static int all_declared(const we_plugin_descriptor *d,
                        const config_setting_t *g)
{
    for (int i = 0; i < config_setting_length(g); i++) {
        const char *name = config_setting_name(config_setting_get_elem(
            g, (unsigned)i));
        size_t k = 0;
        while (k < d->n_settings && strcmp(d->settings[k].name, name) != 0)
            k++;
        if (k == d->n_settings)
            return 0;
    }
    return 1;
}

/* A settings mistake stops the real run before any plugin runs. */
static int check_settings(we_mock *m)
{
    const we_plugin_descriptor *d = &m->plugin.desc;
    we_error err;
    if (we_config_check_settings(&m->cfg, m->exp.settings, d->settings,
                                 d->n_settings, d->id, &err) == 0)
        return WE_OK;
    return setf(m, all_declared(d, m->exp.settings) ? WE_ETYPE : WE_EINVAL,
                "%s", err.msg);
}

static int add_treated(we_config *c, const char *code, int from)
{
    we_treated_cfg *t = &c->treated[c->n_treated++];
    *t = (we_treated_cfg){.area = we_strdup(code), .wave = we_strdup(""),
                          .from = from, .source = c->path};
    return t->area && t->wave ? WE_OK : WE_ENOMEM;
}

/* The config's treated list, and an explicit comparison list when a test
 * changed the default (every never-treated area). */
static int design_lists(we_mock *m)
{
    we_config *c = &m->cfg;
    size_t A = m->panel.n_areas;
    we_config_clear_areas(c); /* rebuilt with the codes of this moment */
    c->treated = we_calloc(A, sizeof *c->treated);
    c->comparison_areas = we_calloc(A, sizeof *c->comparison_areas);
    if (c->treated == NULL || c->comparison_areas == NULL)
        return WE_ENOMEM;
    c->comparison = WE_COMPARISON_UNTREATED;
    for (size_t a = 0; a < A; a++) {
        const char *code = m->panel.areas[a].code;
        if (m->treated_from[a] >= 0 &&
            add_treated(c, code, m->panel.periods[m->treated_from[a]]))
            return WE_ENOMEM;
        if (m->comparison[a] >= 0)
            c->comparison = WE_COMPARISON_LIST;
        if (m->treated_from[a] < 0 && m->comparison[a] != 0 &&
            (c->comparison_areas[c->n_comparison_areas++] =
                 we_strdup(code)) == NULL)
            return WE_ENOMEM;
    }
    return WE_OK;
}

/* What the config loader would have refused: no follow-up after the
 * baseline. The design build checks the rest. */
static int build_design(we_mock *m, we_run_design *rd)
{
    const we_config *c = &m->cfg;
    if (c->n_followup == 0 || c->followup[0] <= c->baseline)
        return setf(m, WE_EINVAL, "no follow-up period after the baseline "
                    "%d; set a baseline before the last period, or "
                    "follow-up periods after it", c->baseline);
    if (design_lists(m) != WE_OK)
        return setf(m, WE_ENOMEM, "out of memory");
    we_error err;
    if (we_run_design_build(rd, c, &m->panel, &err) != 0)
        return setf(m, WE_EINVAL, "%s", err.msg);
    return WE_OK;
}

static int execute(we_mock *m, const we_run_design *rd)
{
    we_ctx *ctx = &m->ctx;
    /* The mock's own choices (log sink, an older host table) carry over. */
    we_ctx_params params = {
        .cfg = ctx->cfg, .panel = ctx->panel, .rd = rd,
        .plugin = ctx->plugin, .settings = m->exp.settings, .exp = &m->exp,
        .out = ctx->out, .verbosity = ctx->verbosity,
        .log_sink = ctx->log_sink, .log_user = ctx->log_user,
        .host = ctx->host, .design = we_design_for};
    we_error err;
    int rc = WE_OK;
    gsl_set_error_handler_off(); /* as the real run does */
    if (we_ctx_open(ctx, &params, &err) != 0)
        rc = setf(m, WE_EPLUGIN, "%s", err.msg);
    else if (we_host_execute(ctx) != 0)
        rc = setf(m, WE_EPLUGIN, "%s", m->out.error);
    we_ctx_close(ctx);
    ctx->rd = NULL;
    return rc;
}

/* Views of what the host recorded, in the mock's public types. */
static int collect_outputs(we_mock *m)
{
    const we_experiment_run *o = &m->out;
    m->results = we_calloc(o->n_results, sizeof *m->results);
    m->metrics = we_calloc(o->n_metrics, sizeof *m->metrics);
    m->area_metrics = we_calloc(o->n_area_metrics, sizeof *m->area_metrics);
    if (m->results == NULL || m->metrics == NULL || m->area_metrics == NULL)
        return setf(m, WE_ENOMEM, "out of memory");
    for (size_t k = 0; k < o->n_area_metrics; k++) {
        const we_area_metric_rec *a = &o->area_metrics[k];
        m->area_metrics[k] = (we_mock_area_metric){
            a->name,     a->values,   a->n,           a->unit,
            a->description, a->label_en, a->label_nl, a->description_nl,
            a->unit_nl};
    }
    for (size_t k = 0; k < o->n_results; k++)
        m->results[k] = (we_mock_result){o->results[k].indicator,
                                         o->results[k].role,
                                         o->results[k].est};
    for (size_t k = 0; k < o->n_metrics; k++)
        m->metrics[k] = (we_mock_metric){
            o->metrics[k].name,           o->metrics[k].value,
            o->metrics[k].unit,           o->metrics[k].description,
            o->metrics[k].label_en,       o->metrics[k].label_nl,
            o->metrics[k].description_nl, o->metrics[k].unit_nl};
    return WE_OK;
}

/* What a host of the older minor set by we_mock_set_host_abi does: it
 * refuses a plugin of a newer minor, and knows only the descriptor fields
 * of its own minor. */
static int as_older_host(we_mock *m)
{
    const we_host *h = m->ctx.host;
    we_plugin_descriptor *d = &m->plugin.desc;
    if (h == NULL)
        return WE_OK;
    if (d->abi_minor > h->abi_minor)
        return setf(m, WE_EINVAL, "%s: plugin ABI %u.%u is newer than host "
                    "ABI %u.%u (the plugin's minor may not exceed the "
                    "host's)", m->plugin.path, d->abi_major, d->abi_minor,
                    h->abi_major, h->abi_minor);
    size_t known = we_descriptor_size_for_minor(h->abi_minor);
    memset((unsigned char *)d + known, 0, sizeof *d - known);
    return WE_OK;
}

int we_mock_run(we_mock *m, const we_plugin_descriptor *d)
{
    if (m == NULL)
        return WE_EINVAL;
    clear_outputs(m);
    int rc = validate(&m->plugin, d, m->error, sizeof m->error);
    if (rc == WE_OK)
        rc = as_older_host(m);
    if (rc == WE_OK)
        rc = check_directions(&m->plugin.desc, &m->panel, "the panel", 1,
                              m->error, sizeof m->error);
    if (rc == WE_OK)
        rc = check_settings(m);
    we_run_design rd;
    if (rc == WE_OK)
        rc = build_design(m, &rd);
    if (rc != WE_OK)
        return rc;
    rc = execute(m, &rd);
    we_run_design_free(&rd);
    int out_rc = collect_outputs(m);
    return rc != WE_OK ? rc : out_rc;
}

/* ---- accessors -------------------------------------------------------- */

size_t we_mock_n_results(const we_mock *m)
{
    return m->results ? m->out.n_results : 0;
}

const we_mock_result *we_mock_result_at(const we_mock *m, size_t k)
{
    return k < we_mock_n_results(m) ? &m->results[k] : NULL;
}

const we_mock_result *we_mock_find_result(const we_mock *m,
                                          const char *indicator,
                                          we_method method)
{
    for (size_t k = 0; indicator != NULL && k < we_mock_n_results(m); k++) {
        const we_mock_result *r = &m->results[k];
        if (r->est.method == method && strcmp(r->indicator, indicator) == 0)
            return r;
    }
    return NULL;
}

size_t we_mock_n_metrics(const we_mock *m)
{
    return m->metrics ? m->out.n_metrics : 0;
}

const we_mock_metric *we_mock_metric_at(const we_mock *m, size_t k)
{
    return k < we_mock_n_metrics(m) ? &m->metrics[k] : NULL;
}

const we_mock_metric *we_mock_find_metric(const we_mock *m, const char *name)
{
    for (size_t k = 0; name != NULL && k < we_mock_n_metrics(m); k++)
        if (strcmp(m->metrics[k].name, name) == 0)
            return &m->metrics[k];
    return NULL;
}

size_t we_mock_n_logs(const we_mock *m) { return m->n_logs; }

const we_mock_log *we_mock_log_at(const we_mock *m, size_t k)
{
    return k < m->n_logs ? &m->logs[k] : NULL;
}

const char *we_mock_error(const we_mock *m) { return m->error; }

size_t we_mock_n_area_metrics(const we_mock *m)
{
    return m->area_metrics ? m->out.n_area_metrics : 0;
}

const we_mock_area_metric *we_mock_area_metric_at(const we_mock *m,
                                                  size_t k)
{
    return k < we_mock_n_area_metrics(m) ? &m->area_metrics[k] : NULL;
}

const we_mock_area_metric *we_mock_find_area_metric(const we_mock *m,
                                                    const char *name)
{
    for (size_t k = 0; name != NULL && k < we_mock_n_area_metrics(m); k++)
        if (strcmp(m->area_metrics[k].name, name) == 0)
            return &m->area_metrics[k];
    return NULL;
}

size_t we_mock_n_warnings(const we_mock *m) { return m->out.n_warnings; }

const char *we_mock_warning_at(const we_mock *m, size_t k)
{
    return k < m->out.n_warnings ? m->out.warnings[k] : NULL;
}
