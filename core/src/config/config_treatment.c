/* The `treatment` group: the treated areas from a CSV file
 * (treatment.file, header area,from[,wave]) and from waves in the config,
 * merged into one list in which every area appears once. */
#include "config/config_kit.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv_table.h"

#define TREAT_COLUMNS "the columns area,from or area,from,wave"

enum { T_AREA, T_FROM, T_WAVE, T_N };
static const char *const TREAT_COLS[T_N] = {"area", "from", "wave"};

typedef struct treat_ctx {
    cfg_ctx L;
    size_t cap;
} treat_ctx;

static int add_treated(treat_ctx *T, const char *area, int from,
                       const char *wave, int line, const char *source)
{
    we_config *c = T->L.c;
    if (c->n_treated == T->cap) {
        size_t cap = T->cap == 0 ? 64 : 2 * T->cap;
        we_treated_cfg *t = realloc(c->treated, cap * sizeof *t);
        if (t == NULL)
            return cfg_oom(&T->L);
        c->treated = t;
        T->cap = cap;
    }
    we_treated_cfg *t = &c->treated[c->n_treated];
    *t = (we_treated_cfg){we_strdup(area), from, we_strdup(wave), line,
                          source};
    c->n_treated++;
    return t->area != NULL && t->wave != NULL ? 0 : cfg_oom(&T->L);
}

/* ---- treatment.file ----------------------------------------------------- */

static int treatment_from(const treat_ctx *T, const we_csv_table *t, long col,
                          int *out)
{
    const char *cell = t->row.fields[col];
    double v = 0.0;
    int rc = we_csv_table_number(t, cell, &v);
    if (rc == WE_CSV_AMBIGUOUS)
        return we_csv_ambiguous(we_csv_table_path(t), we_csv_table_line(t),
                                we_csv_table_col(t, col), cell, T->L.err);
    const char *why = rc == 1   ? "is empty or a missing marker"
                      : rc != 0 ? "is not a number"
                      : (v != floor(v) || v < INT_MIN || v > INT_MAX)
                          ? "is not an integer period"
                          : NULL;
    if (why != NULL)
        return we_fail(T->L.err, WE_EINVAL,
                       "%s:%zu:%zu: 'from' value \"%s\" %s; "
                       "give the first treated period, e.g. 2008",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, col), cell, why);
    *out = (int)v;
    return 0;
}

/* Area and wave are taken as written (not trimmed), as they always were. */
static int treatment_row(treat_ctx *T, const we_csv_table *t, const long *c)
{
    const char *area = t->row.fields[c[T_AREA]];
    if (area[0] == '\0')
        return we_fail(T->L.err, WE_EINVAL,
                       "%s:%zu:%zu: empty area code; give a "
                       "code such as WK036301",
                       we_csv_table_path(t), we_csv_table_line(t),
                       we_csv_table_col(t, c[T_AREA]));
    int from = 0;
    if (treatment_from(T, t, c[T_FROM], &from) != 0)
        return -1;
    const char *wave = c[T_WAVE] >= 0 ? t->row.fields[c[T_WAVE]] : "";
    return add_treated(T, area, from, wave, (int)we_csv_table_line(t),
                       T->L.c->treatment_path);
}

/* fs: the config setting that names the file, for the message when it
 * cannot be opened; NULL when the file comes from the command line. */
static int read_treatment_file(treat_ctx *T, const config_setting_t *fs)
{
    we_csv_table t;
    we_error open_err = {{0}};
    long c[T_N];
    int rc = we_csv_table_open(&t, T->L.c->treatment_path, TREAT_COLUMNS,
                               &open_err);
    if (rc != 0 && t.r == NULL && fs != NULL)
        rc = cfg_fail(&T->L, fs, "cannot read treatment.file: %s",
                      open_err.msg);
    else if (rc != 0)
        rc = we_fail(T->L.err, WE_EINVAL, "%s", open_err.msg);
    else if (we_csv_table_only(&t, TREAT_COLS, T_N, T->L.err) != 0 ||
             we_csv_table_columns(&t, TREAT_COLS, T_N, T_WAVE, c,
                                  T->L.err) != 0)
        rc = -1;
    while (rc == 0 && (rc = we_csv_table_next(&t, T->L.err)) == 1)
        rc = treatment_row(T, &t, c) == 0 ? 0 : -1;
    we_csv_table_close(&t);
    return rc;
}

static int read_file(cfg_ctx *L, const config_setting_t *g, const cfg_key *k,
                     void *base)
{
    treat_ctx *T = base;
    config_setting_t *fs;
    const char *rel = NULL;
    int rc = cfg_get_string(L, g, k->name, 0, &rel, &fs);
    if (rc != 1)
        return rc;
    L->c->treatment_path = cfg_resolve(L->c->dir, rel);
    if (L->c->treatment_path == NULL)
        return cfg_oom(L);
    return read_treatment_file(T, fs);
}

/* ---- treatment.waves ---------------------------------------------------- */

typedef struct wave {
    treat_ctx *T;
    const char *label; /* "" when not given */
    int from;
} wave;

static int read_label(cfg_ctx *L, const config_setting_t *g,
                      const cfg_key *k, void *base)
{
    wave *w = base;
    return cfg_get_string(L, g, k->name, 0, &w->label, NULL) < 0 ? -1 : 0;
}

static int read_wave_areas(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    const wave *w = base;
    config_setting_t *areas;
    if (cfg_get_seq(L, g, k->name, 1, "list the area codes of this wave",
                    &areas) != 1)
        return -1;
    for (int i = 0; i < config_setting_length(areas); i++) {
        const config_setting_t *a =
            config_setting_get_elem(areas, (unsigned)i);
        const char *code = NULL;
        if (cfg_as_string(L, a, &code) != 0 ||
            add_treated(w->T, code, w->from, w->label,
                        (int)config_setting_source_line(a),
                        cfg_file_of(L, a)) != 0)
            return -1;
    }
    return 0;
}

static const cfg_key WAVE_KEYS[] = {
    {.name = "label", .kind = CFG_CUSTOM, .load = read_label},
    {.name = "from", .kind = CFG_INT, .offset = offsetof(wave, from),
     .flags = CFG_REQUIRED, .lo = INT_MIN, .hi = INT_MAX},
    {.name = "areas", .kind = CFG_CUSTOM, .load = read_wave_areas},
};

static int read_waves(cfg_ctx *L, const config_setting_t *g,
                      const cfg_key *k, void *base)
{
    config_setting_t *waves;
    int rc = cfg_get_seq(L, g, k->name, 0,
                         "remove it or add a wave { label; from; areas; }",
                         &waves);
    for (int i = 0; rc == 1 && i < config_setting_length(waves); i++) {
        const config_setting_t *w = config_setting_get_elem(waves,
                                                            (unsigned)i);
        wave x = {base, "", 0};
        if (!config_setting_is_group(w))
            return cfg_type_error(L, w, "a group { label; from; areas; }");
        if (cfg_keys_load(L, w, WAVE_KEYS, N_OF(WAVE_KEYS), &x) != 0)
            return -1;
    }
    return rc < 0 ? -1 : 0;
}

/* ---- the group ---------------------------------------------------------- */

static int check_treated_unique(const cfg_ctx *L)
{
    const we_config *c = L->c;
    const char **keys = we_calloc(c->n_treated, sizeof *keys);
    if (keys == NULL)
        return cfg_oom(L);
    for (size_t i = 0; i < c->n_treated; i++)
        keys[i] = c->treated[i].area;
    size_t a = 0, b = 0;
    int rc = cfg_find_duplicate(keys, c->n_treated, &a, &b);
    free(keys);
    if (rc < 0)
        return cfg_oom(L);
    if (rc == 0)
        return 0;
    const we_treated_cfg *x = &c->treated[a], *y = &c->treated[b];
    return we_fail(L->err, WE_EINVAL,
                   "%s:%d: area '%s' is treated twice (also at "
                   "%s:%d); list each area once, in one wave",
                   y->source, y->line, y->area, x->source, x->line);
}

static const cfg_key TREATMENT_KEYS[] = {
    {.name = "file", .kind = CFG_CUSTOM, .load = read_file},
    {.name = "waves", .kind = CFG_CUSTOM, .load = read_waves},
};

int we_cfg_group_treatment(const config_setting_t *root, we_config *c,
                           const char *path, we_error *err)
{
    treat_ctx T = {{c, err, path}, 0};
    config_setting_t *g;
    if (cfg_group_load(&T.L, root, "treatment", 1, TREATMENT_KEYS,
                       N_OF(TREATMENT_KEYS), &T, &g) != 1)
        return -1;
    if (c->n_treated == 0)
        return cfg_fail(&T.L, g, "no treated areas; give treatment.file (a "
                        "CSV with header area,from[,wave]) or "
                        "treatment.waves");
    return check_treated_unique(&T.L);
}

int we_config_read_treatment(we_config *c, const char *path, we_error *err)
{
    treat_ctx T = {{c, err, c->path}, 0};
    if (c->treatment_path == NULL &&
        (c->treatment_path = we_strdup(path)) == NULL)
        return cfg_oom(&T.L);
    if (read_treatment_file(&T, NULL) != 0)
        return -1;
    if (c->n_treated == 0)
        return we_fail(err, WE_EINVAL,
                       "%s: no treated areas; give one row area,from per "
                       "treated area",
                       path);
    return check_treated_unique(&T.L);
}

/* ---- data.assignment ---------------------------------------------------- */

#define ASSIGN_COLUMNS "the columns experiment,area,from"

enum { A_EXPERIMENT, A_AREA, A_FROM, A_N };
static const char *const ASSIGN_COLS[A_N] = {"experiment", "area", "from"};

static int add_assigned(cfg_ctx *L, size_t *cap, const char *experiment,
                        const char *area, int from, int line)
{
    we_config *c = L->c;
    if (c->n_assigned == *cap) {
        size_t n = *cap == 0 ? 64 : 2 * *cap;
        we_assigned_cfg *a = realloc(c->assigned, n * sizeof *a);
        if (a == NULL)
            return cfg_oom(L);
        c->assigned = a;
        *cap = n;
    }
    we_assigned_cfg *a = &c->assigned[c->n_assigned++];
    *a = (we_assigned_cfg){we_strdup(experiment), we_strdup(area), from,
                           line};
    return a->experiment != NULL && a->area != NULL ? 0 : cfg_oom(L);
}

static int assignment_row(cfg_ctx *L, we_csv_table *t, const long *c,
                          size_t *cap)
{
    treat_ctx T = {*L, 0};
    const char *exp = we_csv_table_field(t, c[A_EXPERIMENT]);
    const char *area = we_csv_table_field(t, c[A_AREA]);
    const char *empty = exp[0] == '\0' ? "experiment"
                        : area[0] == '\0' ? "area"
                                          : NULL;
    if (empty != NULL)
        return we_fail(L->err, WE_EINVAL,
                       "%s:%zu: empty %s; give the experiment's plugin id "
                       "and a wijk code, e.g. samenhang,WK036301,2009",
                       we_csv_table_path(t), we_csv_table_line(t), empty);
    int from = 0;
    if (treatment_from(&T, t, c[A_FROM], &from) != 0)
        return -1;
    size_t line = we_csv_table_line(t);
    for (size_t i = 0; i < L->c->n_assigned; i++) {
        const we_assigned_cfg *o = &L->c->assigned[i];
        if (strcmp(o->experiment, exp) == 0 && strcmp(o->area, area) == 0)
            return we_fail(L->err, WE_EINVAL,
                           "%s:%zu: area '%s' is assigned to experiment "
                           "'%s' twice (also at line %d); list each wijk "
                           "once per experiment",
                           we_csv_table_path(t), line, area, exp, o->line);
    }
    return add_assigned(L, cap, exp, area, from, (int)line);
}

int we_cfg_read_assignment(cfg_ctx *L, const config_setting_t *g,
                           const cfg_key *k, void *base)
{
    (void)base;
    config_setting_t *fs;
    const char *rel = NULL;
    int rc = cfg_get_string(L, g, k->name, 0, &rel, &fs);
    if (rc != 1)
        return rc;
    we_config *c = L->c;
    c->assignment_path = cfg_resolve(c->dir, rel);
    if (c->assignment_path == NULL)
        return cfg_oom(L);
    we_csv_table t;
    we_error open_err = {{0}};
    long col[A_N];
    size_t cap = 0;
    rc = we_csv_table_open(&t, c->assignment_path, ASSIGN_COLUMNS, &open_err);
    if (rc != 0 && t.r == NULL)
        rc = cfg_fail(L, fs, "cannot read data.assignment: %s", open_err.msg);
    else if (rc != 0)
        rc = we_fail(L->err, WE_EINVAL, "%s", open_err.msg);
    else if (we_csv_table_only(&t, ASSIGN_COLS, A_N, L->err) != 0 ||
             we_csv_table_columns(&t, ASSIGN_COLS, A_N, A_N, col,
                                  L->err) != 0)
        rc = -1;
    while (rc == 0 && (rc = we_csv_table_next(&t, L->err)) == 1)
        rc = assignment_row(L, &t, col, &cap) == 0 ? 0 : -1;
    we_csv_table_close(&t);
    if (rc == 0 && c->n_assigned == 0)
        rc = cfg_fail(L, fs, "data.assignment %s has no rows; give one row "
                      "experiment,area,from per assigned wijk, or leave "
                      "the key out", c->assignment_path);
    return rc;
}
