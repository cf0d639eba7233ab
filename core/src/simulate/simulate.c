/* we_simulate_demo: reads the catalogue and the krachtwijken list, then
 * builds areas, values and files (see simulate_internal.h for the parts). */
#include "simulate/simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "data/csv_table.h"
#include "simulate/simulate_internal.h"
#include "util/codes.h"

static const char *const CATALOG_COLS[] = {
    "indicator", "label_nl", "label_en", "unit", "direction", "theme",
    "source", "nl_mean", "krachtwijk_mean", "sd_between_wijken"};
enum { N_CATALOG_COLS = sizeof CATALOG_COLS / sizeof CATALOG_COLS[0] };

static const char *const KRACHT_COLS[] = {"wijk", "gemeente", "gemeentecode"};
enum { N_KRACHT_COLS = sizeof KRACHT_COLS / sizeof KRACHT_COLS[0] };

static int oom(we_error *err)
{
    return we_fail(err, WE_ENOMEM, "simulate: out of memory");
}

static int row_number(const we_csv *r, const we_csv_row *row, long idx,
                      const char *name, double *out, we_error *err)
{
    const char *f = row->fields[idx];
    int rc = we_csv_number(r, f, out);
    if (rc == 0 && isfinite(*out))
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s:%zu:%zu: column '%s' holds '%s'; the generator "
                   "needs a number here",
                   we_csv_path(r), row->line, row->columns[idx], name, f);
}

static int parse_direction(const we_csv *r, const we_csv_row *row, long idx,
                           int *good, we_error *err)
{
    const char *f = row->fields[idx];
    if (strcmp(f, "higher_is_better") == 0)
        *good = 1;
    else if (strcmp(f, "lower_is_better") == 0)
        *good = -1;
    else
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: direction '%s' is unknown; use "
                       "higher_is_better or lower_is_better",
                       we_csv_path(r), row->line, row->columns[idx], f);
    return 0;
}

static int indicator_texts(we_sim_indicator *ind, const we_csv_row *row,
                           const long *c, we_error *err)
{
    char **dst[] = {&ind->name, &ind->label_nl, &ind->label_en,
                    &ind->unit_name, &ind->direction, &ind->theme,
                    &ind->source};
    for (size_t i = 0; i < sizeof dst / sizeof dst[0]; i++) {
        *dst[i] = we_strdup(row->fields[c[i]]);
        if (*dst[i] == NULL)
            return oom(err);
    }
    return 0;
}

static long find_indicator(const we_sim *s, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s->ind[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int check_indicator(const we_sim *s, const we_csv *r,
                           const we_csv_row *row, const long *c,
                           we_error *err)
{
    const we_sim_indicator *ind = &s->ind[s->n_ind - 1];
    const char *path = we_csv_path(r);
    if (ind->name[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: empty indicator name; name it", path,
                       row->line, row->columns[c[0]]);
    if (find_indicator(s, s->n_ind - 1, ind->name) >= 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator '%s' is listed twice; "
                       "keep one row",
                       path, row->line, row->columns[c[0]], ind->name);
    if (ind->unit == NULL)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: unit '%s' is unknown; use one of "
                       "%s",
                       path, row->line, row->columns[c[3]], ind->unit_name,
                       we_sim_unit_names());
    if (!(ind->sd > 0))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: sd_between_wijken must be > 0", path,
                       row->line, row->columns[c[9]]);
    return 0;
}

static int catalog_row(we_sim *s, const we_csv *r, const we_csv_row *row,
                       const long *c, we_error *err)
{
    /* Counted at once, so that sim_free releases partial texts too. */
    we_sim_indicator *ind = &s->ind[s->n_ind++];
    memset(ind, 0, sizeof *ind);
    if (indicator_texts(ind, row, c, err) < 0)
        return -1;
    ind->unit = we_sim_unit_find(ind->unit_name);
    if (parse_direction(r, row, c[4], &ind->good, err) < 0 ||
        row_number(r, row, c[7], CATALOG_COLS[7], &ind->nl_mean, err) < 0 ||
        row_number(r, row, c[8], CATALOG_COLS[8], &ind->kw_mean, err) < 0 ||
        row_number(r, row, c[9], CATALOG_COLS[9], &ind->sd, err) < 0)
        return -1;
    return check_indicator(s, r, row, c, err);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, c * size);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Opens a header-keyed input and finds its required columns. */
static int open_table(we_csv_table *t, const char *path,
                      const char *expected, const char *const *names,
                      size_t n, long *idx, we_error *err)
{
    if (we_csv_table_open(t, path, expected, err) != 0)
        return -1;
    return we_csv_table_columns(t, names, n, n, idx, err);
}

int we_sim_read_catalog(we_sim *s, const char *path, we_error *err)
{
    we_csv_table t;
    long c[N_CATALOG_COLS];
    size_t cap = 0;
    int rc = open_table(&t, path,
                        "the columns indicator,label_nl,label_en,unit,"
                        "direction,theme,source,nl_mean,krachtwijk_mean,"
                        "sd_between_wijken",
                        CATALOG_COLS, N_CATALOG_COLS, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1) {
        rc = grow((void **)&s->ind, &cap, s->n_ind, sizeof *s->ind) ? oom(err)
                                                                    : 0;
        if (rc == 0)
            rc = catalog_row(s, t.r, &t.row, c, err);
    }
    if (rc == 0 && s->n_ind == 0)
        rc = we_fail(err, WE_EINVAL,
                     "%s:2:1: the catalogue has no indicators; add "
                     "one row per indicator",
                     path);
    we_csv_table_close(&t);
    return rc;
}

static int add_muni(we_sim *s, const char *code, const char *name,
                    size_t *cap, we_error *err)
{
    long m = we_sim_find_muni(s, code);
    if (m < 0) {
        if (grow((void **)&s->muni, cap, s->n_muni, sizeof *s->muni))
            return oom(err);
        we_sim_muni *x = &s->muni[s->n_muni];
        memset(x, 0, sizeof *x);
        snprintf(x->code, sizeof x->code, "%s", code);
        x->name = we_strdup(name);
        if (x->name == NULL)
            return oom(err);
        m = (long)s->n_muni++;
    }
    s->muni[m].n_kracht++;
    return 0;
}

static int check_kracht(const we_sim *s, const we_csv *r,
                        const we_csv_row *row, const long *c, we_error *err)
{
    const char *wijk = row->fields[c[0]], *code = row->fields[c[2]];
    if (wijk[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: empty wijk name; name the wijk",
                       we_csv_path(r), row->line, row->columns[c[0]]);
    if (!we_is_gm_code(code))
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: gemeentecode '%s' is not a CBS "
                       "municipality code; write GM and four digits, e.g. "
                       "GM0363",
                       we_csv_path(r), row->line, row->columns[c[2]], code);
    for (size_t i = 0; i < s->n_kracht; i++)
        if (strcmp(s->kracht[i].wijk, wijk) == 0 &&
            strcmp(s->kracht[i].muni, code) == 0)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu:%zu: wijk '%s' of %s is listed "
                           "twice; keep one row",
                           we_csv_path(r), row->line, row->columns[c[0]], wijk,
                           code);
    return 0;
}

static int kracht_row(we_sim *s, const we_csv *r, const we_csv_row *row,
                      const long *c, size_t *cap, size_t *muni_cap,
                      we_error *err)
{
    if (check_kracht(s, r, row, c, err) < 0)
        return -1;
    if (grow((void **)&s->kracht, cap, s->n_kracht, sizeof *s->kracht))
        return oom(err);
    we_sim_kracht *k = &s->kracht[s->n_kracht++];
    snprintf(k->muni, sizeof k->muni, "%s", row->fields[c[2]]);
    k->wijk = we_strdup(row->fields[c[0]]);
    if (k->wijk == NULL)
        return oom(err);
    return add_muni(s, k->muni, row->fields[c[1]], muni_cap, err);
}

int we_sim_read_krachtwijken(we_sim *s, const char *path, we_error *err)
{
    we_csv_table t;
    long c[N_KRACHT_COLS];
    size_t cap = 0, muni_cap = 0;
    int rc = open_table(&t, path, "the columns wijk,gemeente,gemeentecode",
                        KRACHT_COLS, N_KRACHT_COLS, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1)
        rc = kracht_row(s, t.r, &t.row, c, &cap, &muni_cap, err);
    if (rc == 0 && s->n_kracht == 0)
        rc = we_fail(err, WE_EINVAL,
                     "%s:2:1: no krachtwijken listed; add one row per "
                     "treated wijk",
                     path);
    we_csv_table_close(&t);
    return rc;
}

/* Attaches the design's effects to the catalogue, in indicator units. */
int we_sim_link_targets(we_sim *s, const char *catalog_path, we_error *err)
{
    size_t n;
    const we_sim_target *t = we_sim_targets_of(s, &n);
    for (size_t i = 0; i < n; i++) {
        long k = find_indicator(s, s->n_ind, t[i].indicator);
        if (k < 0)
            return we_fail(err, WE_EINVAL,
                           "%s: indicator '%s' (experiment %s) is "
                           "missing; the demo design needs it in the "
                           "catalogue",
                           catalog_path, t[i].indicator, t[i].experiment);
        we_sim_indicator *ind = &s->ind[k];
        if (t[i].pattern == WE_SIM_NULL)
            continue;
        ind->effect_target = &t[i];
        double sign = t[i].pattern == WE_SIM_HARMFUL ? -1.0 : 1.0;
        ind->effect = sign * ind->good *
                      round(t[i].size_sd * ind->sd * 100) / 100;
        ind->pre_slope = ind->good * t[i].pre_slope;
    }
    return 0;
}

/* The programme's effects on the headline indicators, in their units. */
int we_sim_link_programme(we_sim *s, const char *catalog_path,
                          we_error *err)
{
    size_t n;
    const we_sim_programme_effect *p = we_sim_programme_effects(&n);
    for (size_t i = 0; i < n; i++) {
        long k = find_indicator(s, s->n_ind, p[i].indicator);
        if (k < 0)
            return we_fail(err, WE_EINVAL,
                           "%s: indicator '%s' (the programme) is missing; "
                           "the demo design needs it in the catalogue",
                           catalog_path, p[i].indicator);
        we_sim_indicator *ind = &s->ind[k];
        if (ind->effect_target != NULL)
            return we_fail(err, WE_EINVAL,
                           "simulate: '%s' has an experiment's effect and "
                           "the programme's; give it one",
                           p[i].indicator);
        ind->programme_target = &p[i];
        ind->programme_effect =
            ind->good * round(p[i].size_sd * ind->sd * 100) / 100;
    }
    return 0;
}

void we_sim_free(we_sim *s)
{
    for (size_t i = 0; i < s->n_ind; i++) {
        we_sim_indicator *x = &s->ind[i];
        free(x->name); free(x->label_nl); free(x->label_en);
        free(x->unit_name); free(x->direction); free(x->theme);
        free(x->source);
    }
    for (size_t i = 0; i < s->n_kracht; i++)
        free(s->kracht[i].wijk);
    for (size_t i = 0; i < s->n_muni; i++)
        free(s->muni[i].name);
    for (size_t i = 0; i < s->n_area; i++)
        free(s->area[i].name);
    free(s->ind); free(s->kracht); free(s->muni); free(s->area);
    free(s->value); free(s->cell);
}

int we_simulate_demo(const we_sim_options *opt, we_error *err)
{
    if (opt == NULL || opt->out_dir == NULL || opt->catalog_path == NULL ||
        opt->krachtwijken_path == NULL)
        return we_fail(err, WE_EINVAL,
                       "simulate: out_dir, catalog_path and "
                       "krachtwijken_path are required");
    we_sim s;
    memset(&s, 0, sizeof s);
    s.seed = opt->seed;
    s.targets = we_sim_demo_targets(&s.n_targets);
    s.exps = we_sim_demo_exps(&s.n_exps);
    int rc = we_sim_read_catalog(&s, opt->catalog_path, err);
    if (rc == 0)
        rc = we_sim_link_targets(&s, opt->catalog_path, err);
    if (rc == 0)
        rc = we_sim_link_programme(&s, opt->catalog_path, err);
    if (rc == 0)
        rc = we_sim_link_displacement(&s, opt->catalog_path, err);
    if (rc == 0)
        rc = we_sim_read_krachtwijken(&s, opt->krachtwijken_path, err);
    if (rc == 0)
        rc = we_sim_add_other_munis(&s, err);
    if (rc == 0)
        rc = we_sim_build_areas(&s, err);
    if (rc == 0)
        rc = we_sim_assign(&s, err);
    if (rc == 0) {
        we_sim_build_ring(&s);
        rc = we_sim_generate(&s, err);
    }
    if (rc == 0)
        rc = we_sim_write_all(&s, opt->out_dir, err);
    we_sim_free(&s);
    return rc;
}
