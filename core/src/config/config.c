/* Run configuration loader: the table of the config's parts and keys,
 * and the parts small enough to read here. The optional groups read
 * themselves (group_*.c); every key is described once, in a key table
 * (config_keys.c), so adding a key is one line there. */
#include "config/config.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_kit.h"
#include "util/sha256.h"

/* Enum spellings, in the order of the matching C enum values. */
static const char *const COMPARISON_NAMES[] = {"untreated",
                                               "same_municipality", "list"};
static const char *const GAP_NAMES[] = {"municipality", "national"};
static const char *const CLUSTER_NAMES[] = {"area", "municipality"};
static const char *const INFER_METHOD_NAMES[] = {"auto", "cr1", "wild"};
static const char *const WEIGHT_NAMES[] = {"rademacher", "webb"};
static const char *const SANDBOX_NAMES[] = {"off", "strict"};
static const char *const STRATA_NAMES[] = {"none", "municipality"};
static const char *const ADJUST_NAMES[] = {"holm", "bh"};
static const char *const CS_CONTROL_NAMES[] = {"never_treated",
                                               "not_yet_treated"};
static const char *const LANGUAGE_NAMES[] = {"en", "nl"};
static const char *const FORMAT_NAMES[] = {"json", "csv", "md", "html"};
static const unsigned FORMAT_BITS[] = {WE_FORMAT_JSON, WE_FORMAT_CSV,
                                       WE_FORMAT_MD, WE_FORMAT_HTML};

/* Enum fields are read through an int: they must be as wide. */
_Static_assert(sizeof(we_comparison_mode) == sizeof(int) &&
               sizeof(we_gap_ref_mode) == sizeof(int) &&
               sizeof(we_infer_method) == sizeof(int) &&
               sizeof(we_adjust_method) == sizeof(int) &&
               sizeof(we_design_choice) == sizeof(int) &&
               sizeof(we_role) == sizeof(int),
               "enum fields are ints");

#define CFG(f) offsetof(we_config, f)

/* ---- name, periods ------------------------------------------------------ */

static int is_run_name(const char *s)
{
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (const char *p = s; *p != '\0'; p++) {
        char ch = *p;
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                 (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
                 ch == '-';
        if (!ok)
            return 0;
    }
    return s[0] != '\0';
}

static int check_name(cfg_ctx *L, const config_setting_t *g,
                      const config_setting_t *s, void *base)
{
    (void)g;
    (void)base;
    if (is_run_name(L->c->name))
        return 0;
    return cfg_fail(L, s, "run name \"%s\" is not valid; use only letters, "
                    "digits, '_', '.' and '-' (it names the output "
                    "directory, so \".\" and \"..\" are refused)",
                    L->c->name);
}

/* The title defaults to the name. */
static int check_title(cfg_ctx *L, const config_setting_t *g,
                       const config_setting_t *s, void *base)
{
    (void)g;
    (void)s;
    (void)base;
    if (L->c->title == NULL && (L->c->title = we_strdup(L->c->name)) == NULL)
        return cfg_oom(L);
    return 0;
}

/* The history series defaults to the name (docs/history.md). */
static int check_series(cfg_ctx *L, const config_setting_t *g,
                        const config_setting_t *s, void *base)
{
    (void)g;
    (void)base;
    if (L->c->series == NULL)
        return (L->c->series = we_strdup(L->c->name)) == NULL ? cfg_oom(L)
                                                               : 0;
    if (is_run_name(L->c->series))
        return 0;
    return cfg_fail(L, s, "series \"%s\" is not valid; use only letters, "
                    "digits, '_', '.' and '-'", L->c->series);
}

static int check_baseline(cfg_ctx *L, const config_setting_t *g,
                          const config_setting_t *s, void *base)
{
    (void)g;
    (void)base;
    L->c->baseline_line = (int)config_setting_source_line(s);
    return 0;
}

static int check_period_order(const cfg_ctx *L, const config_setting_t *seq,
                              size_t i)
{
    const we_config *c = L->c;
    const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
    if (i == 0 && c->followup[0] <= c->baseline)
        return cfg_fail(L, s,
                        "follow-up period %d is not after the baseline %d; "
                        "every follow-up period must come after 'baseline'",
                        c->followup[0], c->baseline);
    if (i > 0 && c->followup[i] <= c->followup[i - 1])
        return cfg_fail(L, s,
                        "'followup[%zu]' = %d does not come after "
                        "'followup[%zu]' = %d; list follow-up periods in "
                        "ascending order, each once",
                        i + 1, c->followup[i], i, c->followup[i - 1]);
    return 0;
}

static int read_followup(cfg_ctx *L, const config_setting_t *g,
                         const cfg_key *k, void *base)
{
    (void)base;
    we_config *c = L->c;
    config_setting_t *seq;
    if (cfg_get_seq(L, g, k->name, 1,
                    "give at least one follow-up period, e.g. [2008, 2009]",
                    &seq) != 1)
        return -1;
    c->followup_line = (int)config_setting_source_line(seq);
    size_t n = (size_t)config_setting_length(seq);
    c->followup = we_calloc(n, sizeof *c->followup);
    if (c->followup == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < n; i++) {
        if (cfg_as_int(L, config_setting_get_elem(seq, (unsigned)i),
                       &c->followup[i]) != 0)
            return -1;
        c->n_followup = i + 1;
        if (check_period_order(L, seq, i) != 0)
            return -1;
    }
    return 0;
}

/* ---- data --------------------------------------------------------------- */

/* Who neighbours whom: one of the two files at the most. */
static int check_centroids(cfg_ctx *L, const config_setting_t *g,
                           const config_setting_t *s, void *base)
{
    (void)g;
    (void)base;
    if (L->c->adjacency_path != NULL && L->c->centroids_path != NULL)
        return cfg_fail(L, s, "give either 'data.adjacency' or "
                        "'data.centroids', not both");
    return 0;
}

static const cfg_key DATA_KEYS[] = {
    {.name = "areas", .kind = CFG_PATH, .offset = CFG(areas_path),
     .flags = CFG_REQUIRED},
    {.name = "indicators", .kind = CFG_PATH, .offset = CFG(indicators_path),
     .flags = CFG_REQUIRED},
    {.name = "catalog", .kind = CFG_PATH, .offset = CFG(catalog_path),
     .flags = CFG_REQUIRED},
    {.name = "targets", .kind = CFG_ELSEWHERE}, /* group_goals.c */
    {.name = "costs", .kind = CFG_ELSEWHERE}, /* group_goals.c */
    {.name = "adjacency", .kind = CFG_PATH, .offset = CFG(adjacency_path)},
    {.name = "municipalities", .kind = CFG_PATH,
     .offset = CFG(municipalities_path)},
    {.name = "simulated", .kind = CFG_BOOL, .offset = CFG(simulated)},
    {.name = "assignment", .kind = CFG_CUSTOM, .load = we_cfg_read_assignment},
    {.name = "centroids", .kind = CFG_PATH, .offset = CFG(centroids_path),
     .check = check_centroids},
};

/* ---- costs -------------------------------------------------------------- */

static const char *const COSTS_MISSING_NAMES[] = {"error", "zero"};
static const cfg_key COSTS_KEYS[] = {
    {.name = "missing", .kind = CFG_ENUM, .offset = CFG(costs_missing_zero),
     CFG_NAMES(COSTS_MISSING_NAMES)},
};

/* ---- comparison --------------------------------------------------------- */

/* Comparison areas must be distinct and never treated. */
static int check_comparison_areas(const cfg_ctx *L,
                                  const config_setting_t *seq)
{
    const we_config *c = L->c;
    size_t n = c->n_treated + c->n_comparison_areas, a = 0, b = 0;
    const char **keys = we_calloc(n, sizeof *keys);
    if (keys == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < c->n_treated; i++)
        keys[i] = c->treated[i].area;
    for (size_t i = 0; i < c->n_comparison_areas; i++)
        keys[c->n_treated + i] = c->comparison_areas[i];
    int rc = cfg_find_duplicate(keys, n, &a, &b);
    free(keys);
    if (rc <= 0)
        return rc < 0 ? cfg_oom(L) : 0;
    const config_setting_t *s =
        config_setting_get_elem(seq, (unsigned)(b - c->n_treated));
    if (a >= c->n_treated)
        return cfg_fail(L, s, "comparison area '%s' is listed twice; "
                        "list each area once",
                        c->comparison_areas[b - c->n_treated]);
    return cfg_fail(L, s, "comparison area '%s' is also treated (at "
                    "%s:%d); an area is either treated or a comparison area",
                    c->treated[a].area, c->treated[a].source,
                    c->treated[a].line);
}

/* comparison.areas: with type = "list", and only then. */
static int read_comparison_areas(cfg_ctx *L, const config_setting_t *g,
                                 const cfg_key *k, void *base)
{
    (void)base;
    we_config *c = L->c;
    config_setting_t *areas = config_setting_get_member(g, k->name);
    if (c->comparison != WE_COMPARISON_LIST)
        return areas == NULL
                   ? 0
                   : cfg_fail(L, areas, "'comparison.areas' is only used "
                              "with type = \"list\"; remove it or set the "
                              "type to \"list\"");
    if (cfg_get_strings(L, g, k->name, 1, "list the comparison area codes",
                        &c->comparison_areas, &c->n_comparison_areas,
                        NULL) != 1)
        return -1;
    return check_comparison_areas(L, config_setting_get_member(g, k->name));
}

static const cfg_key COMPARISON_KEYS[] = {
    {.name = "type", .kind = CFG_ENUM, .offset = CFG(comparison),
     .flags = CFG_DEFAULT, CFG_NAMES(COMPARISON_NAMES),
     .def = WE_COMPARISON_UNTREATED},
    {.name = "areas", .kind = CFG_CUSTOM, .load = read_comparison_areas},
};

static const cfg_key GAP_KEYS[] = {
    {.name = "reference", .kind = CFG_ENUM, .offset = CFG(gap_reference),
     .flags = CFG_DEFAULT, CFG_NAMES(GAP_NAMES), .def = WE_GAP_MUNICIPALITY},
    {.name = "weighted", .kind = CFG_BOOL, .offset = CFG(gap_weighted),
     .flags = CFG_DEFAULT, .def = 1},
};

/* ---- inference ---------------------------------------------------------- */

static int read_seed(cfg_ctx *L, const config_setting_t *g, const cfg_key *k,
                     void *base)
{
    (void)base;
    config_setting_t *s;
    if (cfg_member(L, g, k->name, 0, &s) != 1)
        return 0;
    int t = config_setting_type(s);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return cfg_type_error(L, s, "an integer");
    long long v = config_setting_get_int64(s);
    if (v < 0)
        return cfg_fail(L, s, "'inference.seed' = %lld is negative; give a "
                        "seed >= 0 (large values need the L suffix, e.g. "
                        "12345678901L)", v);
    L->c->seed = (uint64_t)v;
    return 0;
}

#define INF(f) offsetof(we_config, inference.f)
static const cfg_key BOOTSTRAP_KEYS[] = {
    {.name = "reps", .kind = CFG_COUNT, .offset = INF(boot_reps),
     .flags = CFG_DEFAULT, .lo = 99, .hi = 999999, .def = 9999},
    {.name = "weights", .kind = CFG_ENUM, .offset = INF(boot_weights),
     .flags = CFG_DEFAULT, CFG_NAMES(WEIGHT_NAMES), .def = 0},
};

static const cfg_key PERMUTATION_KEYS[] = {
    {.name = "reps", .kind = CFG_COUNT, .offset = INF(perm_reps),
     .flags = CFG_DEFAULT, .lo = 0, .hi = 999999, .def = 999},
    {.name = "strata", .kind = CFG_ENUM, .offset = INF(perm_strata),
     .flags = CFG_DEFAULT, CFG_NAMES(STRATA_NAMES), .def = 1},
};

#define LEAD_LAG " (min is a lead to test, max a lag)"
static const cfg_key EVENT_KEYS[] = {
    {.name = "min", .kind = CFG_INT, .offset = INF(event_min),
     .flags = CFG_DEFAULT, .lo = -50, .hi = -2, .def = -4, .tail = LEAD_LAG},
    {.name = "max", .kind = CFG_INT, .offset = INF(event_max),
     .flags = CFG_DEFAULT, .lo = 0, .hi = 50, .def = 3, .tail = LEAD_LAG},
    {.name = "bootstrap_reps", .kind = CFG_COUNT,
     .offset = INF(event_boot_reps), .flags = CFG_DEFAULT, .lo = 0,
     .hi = 99999, .def = 999},
};

static const cfg_key INFERENCE_KEYS[] = {
    {.name = "alpha", .kind = CFG_NUMBER, .offset = CFG(alpha),
     .flags = CFG_DEFAULT | CFG_LO_OPEN, .lo = 0, .hi = 0.5, .def = 0.05,
     .tail = ", e.g. 0.05"},
    {.name = "seed", .kind = CFG_CUSTOM, .load = read_seed},
    {.name = "cluster", .kind = CFG_ENUM, .offset = CFG(cluster),
     .flags = CFG_DEFAULT, CFG_NAMES(CLUSTER_NAMES),
     .def = WE_CLUSTER_MUNICIPALITY},
    {.name = "method", .kind = CFG_ENUM, .offset = INF(method),
     .flags = CFG_DEFAULT, CFG_NAMES(INFER_METHOD_NAMES),
     .def = WE_INFER_AUTO},
    {.name = "bootstrap", .kind = CFG_GROUP, CFG_SUB(BOOTSTRAP_KEYS)},
    {.name = "permutation", .kind = CFG_GROUP, CFG_SUB(PERMUTATION_KEYS)},
    {.name = "event_study", .kind = CFG_GROUP, CFG_SUB(EVENT_KEYS)},
    {.name = "adjust", .kind = CFG_ENUM, .offset = INF(adjust),
     .flags = CFG_DEFAULT, CFG_NAMES(ADJUST_NAMES), .def = WE_ADJUST_HOLM},
    {.name = "power", .kind = CFG_NUMBER, .offset = INF(power),
     .flags = CFG_DEFAULT | CFG_HI_OPEN, .lo = 0.5, .hi = 1.0, .def = 0.8,
     .tail = ", e.g. 0.8"},
    {.name = "mde_simulations", .kind = CFG_COUNT, .offset = INF(mde_sims),
     .flags = CFG_DEFAULT, .lo = 0, .hi = 100000, .def = 200},
    {.name = "pretest_simulations", .kind = CFG_COUNT,
     .offset = INF(pretest_sims), .flags = CFG_DEFAULT, .lo = 1,
     .hi = 100000, .def = 100},
    {.name = "pretest_power_min", .kind = CFG_NUMBER,
     .offset = INF(pretest_power_min), .flags = CFG_DEFAULT, .lo = 0.0,
     .hi = 1.0, .def = 0.5, .tail = ", e.g. 0.5"},
};

/* ---- output, report, designs, isolation, plugin_dirs -------------------- */

static int read_formats(cfg_ctx *L, const config_setting_t *g,
                        const cfg_key *k, void *base)
{
    (void)base;
    config_setting_t *seq;
    int rc = cfg_get_seq(L, g, k->name, 0,
                         "give at least one of \"json\", \"csv\", \"md\", "
                         "\"html\"", &seq);
    if (rc != 1)
        return rc;
    unsigned bits = 0;
    for (int i = 0; i < config_setting_length(seq); i++) {
        const config_setting_t *s = config_setting_get_elem(seq, (unsigned)i);
        int f = 0;
        if (cfg_as_enum(L, s, FORMAT_NAMES, N_OF(FORMAT_NAMES), &f) != 0)
            return -1;
        if (bits & FORMAT_BITS[f])
            return cfg_fail(L, s, "format \"%s\" is listed twice "
                            "in 'output.formats'; list it once",
                            FORMAT_NAMES[f]);
        bits |= FORMAT_BITS[f];
    }
    L->c->formats = bits;
    return 0;
}

/* The output directory defaults to out/ beside the config. */
static int check_output(cfg_ctx *L, const config_setting_t *g,
                        const config_setting_t *s, void *base)
{
    (void)g;
    (void)s;
    (void)base;
    if (L->c->output_dir == NULL &&
        (L->c->output_dir = cfg_resolve(L->c->dir, "out")) == NULL)
        return cfg_oom(L);
    return 0;
}

static const cfg_key OUTPUT_KEYS[] = {
    {.name = "dir", .kind = CFG_PATH, .offset = CFG(output_dir)},
    {.name = "formats", .kind = CFG_CUSTOM, .load = read_formats},
};

/* history = { file = "..."; }: the run history (docs/history.md). */
static const cfg_key HISTORY_KEYS[] = {
    {.name = "file", .kind = CFG_PATH, .offset = CFG(history_path)},
};

static int read_language(cfg_ctx *L, const config_setting_t *g,
                         const cfg_key *k, void *base)
{
    (void)base;
    int lang = 0;
    if (cfg_get_enum(L, g, k->name, 0, LANGUAGE_NAMES, N_OF(LANGUAGE_NAMES),
                     &lang) < 0)
        return -1;
    free(L->c->language);
    L->c->language = we_strdup(LANGUAGE_NAMES[lang]);
    return L->c->language != NULL ? 0 : cfg_oom(L);
}

/* smallest_effect = { indicator = value; ... }: one positive number per
 * indicator id (checked against the catalogue once the data are read:
 * we_judge_check). */
static int read_smallest(cfg_ctx *L, const config_setting_t *g,
                         const cfg_key *k, void *base)
{
    (void)base;
    config_setting_t *grp;
    int rc = cfg_get_group(L, g, k->name, 0, &grp);
    if (rc != 1)
        return rc;
    we_config *c = L->c;
    size_t n = (size_t)config_setting_length(grp);
    c->smallest = we_calloc(n ? n : 1, sizeof *c->smallest);
    if (c->smallest == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
        double v;
        if (cfg_as_number(L, s,
                          "a number (the smallest effect of "
                          "interest in the indicator's unit)",
                          &v) != 0)
            return -1;
        if (!(v > 0) || !isfinite(v)) {
            char p[PATH_TEXT];
            cfg_setting_path(s, p, sizeof p);
            return cfg_fail(L, s,
                            "'%s' = %g: a smallest effect of "
                            "interest must be a positive number in the "
                            "indicator's unit",
                            p, v);
        }
        we_smallest_cfg *e = &c->smallest[c->n_smallest];
        e->indicator = we_strdup(config_setting_name(s));
        if (e->indicator == NULL)
            return cfg_oom(L);
        e->value = v;
        e->line = (int)config_setting_source_line(s);
        c->n_smallest++;
    }
    return 0;
}

static const cfg_key REPORT_KEYS[] = {
    {.name = "language", .kind = CFG_CUSTOM, .load = read_language},
    {.name = "min_evidence_level",
     .kind = CFG_INT,
     .offset = CFG(min_evidence_level),
     .flags = CFG_DEFAULT,
     .lo = 1,
     .hi = 5,
     /* 2: a comparison design. Level 3 needs a pre-period check with
      * power (docs/evidence.md), which experiments of a few wijken
      * rarely have; a rejected check makes a headline not credible on
      * its own (analysis/judge.c). */
     .def = 2},
    {.name = "smallest_effect", .kind = CFG_CUSTOM, .load = read_smallest},
};

/* The report language defaults to the first, English. */
static int check_report(cfg_ctx *L, const config_setting_t *g,
                        const config_setting_t *s, void *base)
{
    (void)s;
    return L->c->language != NULL
               ? 0
               : read_language(L, g, &REPORT_KEYS[0], base);
}


#define DES(f) offsetof(we_config, designs.f)
static const cfg_key DESIGNS_KEYS[] = {
    {.name = "cs_control", .kind = CFG_ENUM, .offset = DES(cs_not_yet),
     .flags = CFG_DEFAULT, CFG_NAMES(CS_CONTROL_NAMES), .def = 0},
    {.name = "cs_bootstrap_reps", .kind = CFG_COUNT,
     .offset = DES(cs_boot_reps), .flags = CFG_DEFAULT, .lo = 0, .hi = 99999,
     .def = 999},
    {.name = "sdid_reps", .kind = CFG_COUNT, .offset = DES(sdid_reps),
     .flags = CFG_DEFAULT, .lo = 2, .hi = 99999, .def = 200},
};

#define ISO(f) offsetof(we_config, isolation.f)
static const cfg_key ISOLATION_KEYS[] = {
    {.name = "enabled", .kind = CFG_BOOL, .offset = ISO(enabled),
     .flags = CFG_DEFAULT, .def = 1},
    {.name = "time_limit", .kind = CFG_SECONDS, .offset = ISO(time_limit),
     .flags = CFG_DEFAULT, .def = 300},
    {.name = "memory_limit_mb", .kind = CFG_MEGABYTES,
     .offset = ISO(memory_limit_mb), .flags = CFG_DEFAULT, .def = 4096},
    {.name = "sandbox", .kind = CFG_ENUM, .offset = ISO(sandbox),
     .flags = CFG_DEFAULT, CFG_NAMES(SANDBOX_NAMES), .def = 1},
};

static int read_plugin_dirs(cfg_ctx *L, const config_setting_t *g,
                            const cfg_key *k, void *base)
{
    (void)base;
    we_config *c = L->c;
    if (cfg_get_strings(L, g, k->name, 0, NULL, &c->plugin_dirs,
                        &c->n_plugin_dirs, NULL) < 0)
        return -1;
    for (size_t i = 0; i < c->n_plugin_dirs; i++) {
        char *d = cfg_resolve(c->dir, c->plugin_dirs[i]);
        if (d == NULL)
            return cfg_oom(L);
        free(c->plugin_dirs[i]);
        c->plugin_dirs[i] = d;
    }
    return 0;
}

/* ---- the parts of a config ---------------------------------------------- */

/* The top level, in the order the parts are read (CFG_LATE: after the
 * others). The optional analyses' groups follow (we_config_group_at). */
static const cfg_key TOP_KEYS[] = {
    {.name = "name", .kind = CFG_STRING, .offset = CFG(name),
     .flags = CFG_REQUIRED, .check = check_name},
    {.name = "title", .kind = CFG_STRING, .offset = CFG(title),
     .check = check_title},
    {.name = "title_nl", .kind = CFG_STRING, .offset = CFG(title_nl)},
    {.name = "data", .kind = CFG_GROUP, .flags = CFG_REQUIRED,
     CFG_SUB(DATA_KEYS)},
    {.name = "baseline", .kind = CFG_INT, .offset = CFG(baseline),
     .flags = CFG_REQUIRED, .lo = INT_MIN, .hi = INT_MAX,
     .check = check_baseline},
    {.name = "followup", .kind = CFG_CUSTOM, .load = read_followup},
    {.name = "treatment", .kind = CFG_PART, .part = we_cfg_group_treatment},
    {.name = "comparison", .kind = CFG_GROUP, CFG_SUB(COMPARISON_KEYS)},
    {.name = "gap", .kind = CFG_GROUP, CFG_SUB(GAP_KEYS)},
    {.name = "inference", .kind = CFG_GROUP, CFG_SUB(INFERENCE_KEYS)},
    {.name = "output", .kind = CFG_GROUP, CFG_SUB(OUTPUT_KEYS),
     .check = check_output},
    {.name = "plugin_dirs", .kind = CFG_CUSTOM, .load = read_plugin_dirs},
    {.name = "experiments", .kind = CFG_PART, .flags = CFG_LATE,
     .part = we_cfg_group_experiments},
    {.name = "programme", .kind = CFG_CUSTOM, .load = we_cfg_read_programme},
    {.name = "costs", .kind = CFG_GROUP, CFG_SUB(COSTS_KEYS)},
    {.name = "report", .kind = CFG_GROUP, CFG_SUB(REPORT_KEYS),
     .check = check_report},
    {.name = "designs", .kind = CFG_GROUP, CFG_SUB(DESIGNS_KEYS)},
    {.name = "isolation", .kind = CFG_GROUP, CFG_SUB(ISOLATION_KEYS)},
    {.name = "series", .kind = CFG_STRING, .offset = CFG(series),
     .check = check_series},
    {.name = "history", .kind = CFG_GROUP, CFG_SUB(HISTORY_KEYS)},
};

/* ---- entry points ------------------------------------------------------- */

/* A syntax error of libconfig (the file itself was read by cfg_read_text). */
static int read_error(const cfg_ctx *L)
{
    const config_t *lc = &L->c->lc;
    const char *file = config_error_file(lc);
    return we_fail(L->err, WE_EINVAL,
                   "%s:%d: %s; fix the syntax (libconfig format, "
                   "see docs/config.md)",
                   file != NULL ? file : L->c->path, config_error_line(lc),
                   config_error_text(lc) != NULL ? config_error_text(lc)
                                                 : "parse error");
}

void we_config_set_defaults(we_config *c)
{
    c->formats = WE_FORMAT_JSON | WE_FORMAT_CSV | WE_FORMAT_MD |
                 WE_FORMAT_HTML;
    c->seed = 1;
    c->designs = (we_designs_cfg){0};
    c->isolation = (we_isolation_cfg){0};
    c->inference = (we_inference_cfg){0};
    cfg_keys_defaults(TOP_KEYS, N_OF(TOP_KEYS), c);
    for (size_t k = 0; we_config_group_at(k) != NULL; k++)
        if (we_config_group_at(k)->defaults != NULL)
            we_config_group_at(k)->defaults(c);
}

/* At most this many optional analyses have a config group. */
#define MAX_GROUPS 32

/* The top level's keys and then the optional analyses' groups. */
static size_t top_keys(cfg_key *keys)
{
    size_t n = 0;
    for (size_t k = 0; k < N_OF(TOP_KEYS); k++)
        keys[n++] = TOP_KEYS[k];
    for (size_t k = 0; we_config_group_at(k) != NULL && k < MAX_GROUPS; k++)
        keys[n++] = (cfg_key){.name = we_config_group_at(k)->name,
                              .kind = CFG_PART,
                              .part = we_config_group_at(k)->load};
    return n;
}

static int load_all(cfg_ctx *L, const char *path)
{
    we_config *c = L->c;
    c->path = we_strdup(path);
    c->dir = cfg_dir_of(path);
    if (c->path == NULL || c->dir == NULL)
        return cfg_oom(L);
    we_config_set_defaults(c);
    config_init(&c->lc);
    /* The text is read once, checked, parsed and fingerprinted: what was
     * checked is what runs. */
    char *text;
    size_t len;
    if (cfg_read_text(path, &text, &len, L->err) != 0)
        return -1;
    /* A file saved as "UTF-8 with BOM": the mark is not part of the
     * config. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        memmove(text, text + 3, len - 2); /* with the terminating NUL */
        len -= 3;
    }
    int rc = cfg_check_text(path, text, len, L->err);
    if (rc == 0 && memchr(text, '\0', len) != NULL)
        rc = we_fail(L->err, WE_EINVAL,
                     "%s: the file holds a NUL byte; this is not a text "
                     "config file",
                     path);
    if (rc == 0 && config_read_string(&c->lc, text) != CONFIG_TRUE)
        rc = read_error(L);
    if (rc == 0)
        we_sha256_buf_hex(text, len, c->config_sha256);
    free(text);
    if (rc != 0)
        return -1;
    cfg_key keys[N_OF(TOP_KEYS) + MAX_GROUPS];
    size_t n = top_keys(keys);
    return cfg_keys_load(L, config_root_setting(&c->lc), keys, n, c);
}

int we_config_load(we_config *c, const char *path, we_error *err)
{
    if (c == NULL)
        return we_fail(err, WE_EINVAL, "internal error: no config to fill");
    memset(c, 0, sizeof *c);
    if (path == NULL || path[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "no config file given; pass the path of a "
                       ".cfg file (see docs/config.md)");
    cfg_ctx L = {c, err, path};
    if (load_all(&L, path) == 0)
        return 0;
    we_config_free(c);
    return -1;
}

void we_config_clear_areas(we_config *c)
{
    for (size_t i = 0; i < c->n_treated; i++) {
        free(c->treated[i].area);
        free(c->treated[i].wave);
    }
    free(c->treated);
    for (size_t i = 0; i < c->n_comparison_areas; i++)
        free(c->comparison_areas[i]);
    free(c->comparison_areas);
    c->treated = NULL;
    c->comparison_areas = NULL;
    c->n_treated = c->n_comparison_areas = 0;
}

void we_config_free(we_config *c)
{
    if (c == NULL)
        return;
    free(c->path);
    free(c->dir);
    free(c->name);
    free(c->title);
    free(c->title_nl);
    free(c->series);
    free(c->history_path);
    free(c->areas_path);
    free(c->indicators_path);
    free(c->catalog_path);
    free(c->adjacency_path);
    free(c->municipalities_path);
    free(c->centroids_path);
    free(c->followup);
    we_config_clear_areas(c);
    free(c->output_dir);
    for (size_t i = 0; i < c->n_plugin_dirs; i++)
        free(c->plugin_dirs[i]);
    free(c->plugin_dirs);
    for (size_t i = 0; i < c->n_experiments; i++) {
        we_experiment_cfg *e = &c->experiments[i];
        for (size_t j = 0; j < e->n_targets; j++)
            free(e->targets[j].name);
        free(e->targets);
        free(e->plugin);
        for (size_t j = 0; j < e->matching.n_covariates; j++)
            free(e->matching.covariates[j]);
        free(e->matching.covariates);
        for (size_t j = 0; j < e->n_municipalities; j++)
            free(e->municipalities[j]);
        free(e->municipalities);
    }
    free(c->language);
    for (size_t i = 0; i < c->n_smallest; i++)
        free(c->smallest[i].indicator);
    free(c->smallest);
    free(c->experiments);
    free(c->treatment_path);
    for (size_t i = 0; i < c->n_assigned; i++) {
        free(c->assigned[i].experiment);
        free(c->assigned[i].area);
    }
    free(c->assigned);
    free(c->assignment_path);
    for (size_t i = 0; i < c->n_programme_indicators; i++)
        free(c->programme_indicators[i]);
    free(c->programme_indicators);
    for (size_t k = 0; we_config_group_at(k) != NULL; k++)
        if (we_config_group_at(k)->free != NULL)
            we_config_group_at(k)->free(c);
    /* config_init always creates a root, so a NULL root means lc was never
     * initialised (zeroed struct, or a load that failed before parsing). */
    if (c->lc.root != NULL)
        config_destroy(&c->lc);
    memset(c, 0, sizeof *c);
}
