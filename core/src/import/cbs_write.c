/* Writing an import: the long indicators file and, optionally, the areas
 * file, each appended to or replacing an existing one. Both are written
 * under temporary names, loaded through the panel loader and only then
 * renamed into place, so a failed import leaves the files as they were. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/cbs_internal.h"
#include "util/strmap.h"

/* ---- rows of the result ------------------------------------------------- */

typedef struct long_row {
    char *area, *indicator;
    int period;
    double v;
    size_t line; /* in the existing file */
} long_row;

typedef struct area_row {
    char *code, *name, *level;
    char muni[7];
    double pop;
} area_row;

typedef struct result {
    const we_cbs_data *d;
    const we_cbs_output *o;
    we_panel cat;
    long_row *old; /* rows of the existing long file (--append) */
    size_t n_old, cap_old;
    we_strmap *keys; /* "area\tperiod\tindicator" -> old row */
    area_row *areas;
    size_t n_areas, cap_areas;
    we_strmap *area_index;
} result;

static int oom(const char *path, we_error *err)
{
    return we_fail(err, WE_ENOMEM, "%s: out of memory", path);
}

/* ---- targets ------------------------------------------------------------ */

/* 1 when path exists (to be appended to), 0 when not, -1 when it may not
 * be written. */
static int target(const char *path, const we_cbs_output *o, we_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT
                   ? 0
                   : we_fail(err, WE_EINVAL, "%s: %s; check the path", path,
                             strerror(errno));
    if (!S_ISREG(st.st_mode))
        return we_fail(err, WE_EINVAL,
                       "%s: not a regular file; choose a file name", path);
    if (!o->append && !o->force)
        return we_fail(err, WE_EINVAL,
                       "%s: the file exists; pass --force to replace "
                       "it or --append to add the imported rows to "
                       "it",
                       path);
    return o->append;
}

/* ---- the existing long file --------------------------------------------- */

enum { L_AREA, L_PERIOD, L_IND, L_VALUE, L_N };
#define LONG_HEADER "area,period,indicator,value"

static int old_row(result *res, we_csv_table *t, const long *c, we_error *err)
{
    long period;
    double v;
    const char *ind = we_csv_table_field(t, c[L_IND]);
    if (imp_parse_int(we_csv_table_field(t, c[L_PERIOD]), -100000, 100000,
                      &period) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: period '%.100s' is not an "
                       "integer year; fix the file or import into a "
                       "new one",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[L_PERIOD]),
                       we_csv_table_field(t, c[L_PERIOD]));
    if (we_csv_number(t->r, we_csv_table_field(t, c[L_VALUE]), &v) < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: value '%.100s' is not a number; "
                       "fix the file or import into a new one",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[L_VALUE]),
                       we_csv_table_field(t, c[L_VALUE]));
    if (we_panel_indicator(&res->cat, ind) < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: indicator '%.100s' is not in the "
                       "catalogue %s; append with the catalogue the "
                       "file was made with (--catalog)",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[L_IND]), ind, res->o->catalog);
    if (res->n_old == res->cap_old) {
        size_t cap = res->cap_old ? 2 * res->cap_old : 1024;
        long_row *r = realloc(res->old, cap * sizeof *r);
        if (r == NULL)
            return oom(we_csv_table_path(t), err);
        res->old = r;
        res->cap_old = cap;
    }
    long_row *r = &res->old[res->n_old++];
    *r = (long_row){ we_strdup(we_csv_table_field(t, c[L_AREA])),
                     we_strdup(ind), (int)period, v, t->row.line };
    char key[256];
    snprintf(key, sizeof key, "%.60s\t%d\t%.150s", r->area ? r->area : "",
             r->period, ind);
    if (r->area == NULL || r->indicator == NULL ||
        we_strmap_put(res->keys, key, res->n_old - 1) < 0)
        return oom(we_csv_table_path(t), err);
    return 0;
}

static int read_old(result *res, we_error *err)
{
    static const char *const names[L_N] = { "area", "period", "indicator",
                                            "value" };
    we_csv_table t;
    long c[L_N];
    int rc = we_csv_table_open(&t, res->o->path, "the columns " LONG_HEADER,
                               err);
    if (rc == 0)
        rc = we_csv_table_columns(&t, names, L_N, L_N, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1)
        rc = old_row(res, &t, c, err);
    we_csv_table_close(&t);
    return rc;
}

/* The imported rows must not repeat a cell of the existing file. */
static int check_new(const result *res, we_error *err)
{
    const we_cbs_data *d = res->d;
    for (size_t i = 0; i < d->n_rows; i++)
        for (size_t k = 0; k < d->n_ind; k++) {
            char key[256];
            snprintf(key, sizeof key, "%.60s\t%d\t%.150s", d->rows[i].code,
                     d->rows[i].period, d->indicator[k]);
            long j = we_strmap_get(res->keys, key);
            if (j < 0)
                continue;
            return we_fail(err, WE_EINVAL,
                           "%s:%zu: area %s, period %d, indicator "
                           "%s is already there, and the import "
                           "adds it again; remove those rows from "
                           "the file, or import into a new file",
                           res->o->path, res->old[j].line, d->rows[i].code,
                           d->rows[i].period, d->indicator[k]);
        }
    return 0;
}

/* ---- areas -------------------------------------------------------------- */

static int add_area(result *res, const char *code, const char *name,
                    const char *level, double pop)
{
    size_t n = res->n_areas;
    long have = we_strmap_put(res->area_index, code, n);
    if (have < 0)
        return -1;
    if ((size_t)have != n)
        return 0; /* the first row of an area wins */
    if (n == res->cap_areas) {
        size_t cap = n ? 2 * n : 256;
        area_row *a = realloc(res->areas, cap * sizeof *a);
        if (a == NULL)
            return -1;
        res->areas = a;
        res->cap_areas = cap;
    }
    area_row *a = &res->areas[res->n_areas++];
    *a = (area_row){ we_strdup(code), we_strdup(name), we_strdup(level),
                     "", pop };
    imp_municipality(code, a->muni);
    return a->code && a->name && a->level ? 0 : -1;
}

enum { A_AREA, A_NAME, A_MUNI, A_LEVEL, A_POP, A_N };
#define AREAS_HEADER "area,name,municipality[,level,population]"

static int old_area(result *res, we_csv_table *t, const long *c, we_error *err)
{
    const char *code = we_csv_table_field(t, c[A_AREA]);
    double pop = NAN;
    if (c[A_POP] >= 0 &&
        we_csv_number(t->r, we_csv_table_field(t, c[A_POP]), &pop) < 0)
        return we_fail(err, WE_EINVAL,
                       "%s:%zu:%zu: population '%.100s' is not a "
                       "number; fix the file or write a new one",
                       we_csv_table_path(t), t->row.line,
                       we_csv_table_col(t, c[A_POP]),
                       we_csv_table_field(t, c[A_POP]));
    size_t before = res->n_areas;
    if (add_area(res, code, we_csv_table_field(t, c[A_NAME]),
                 c[A_LEVEL] >= 0 ? we_csv_table_field(t, c[A_LEVEL]) : "",
                 pop) != 0)
        return oom(we_csv_table_path(t), err);
    if (res->n_areas > before)
        snprintf(res->areas[before].muni, sizeof res->areas[before].muni,
                 "%.6s", we_csv_table_field(t, c[A_MUNI]));
    return 0;
}

static int read_old_areas(result *res, we_error *err)
{
    static const char *const names[A_N] = { "area", "name", "municipality",
                                            "level", "population" };
    we_csv_table t;
    long c[A_N];
    int rc = we_csv_table_open(&t, res->o->areas_path,
                               "the columns " AREAS_HEADER,
                      err);
    if (rc == 0)
        rc = we_csv_table_columns(&t, names, A_N, A_LEVEL, c, err);
    while (rc == 0 && (rc = we_csv_table_next(&t, err)) == 1)
        rc = old_area(res, &t, c, err);
    we_csv_table_close(&t);
    return rc;
}

static int new_areas(result *res, we_error *err)
{
    const we_cbs_data *d = res->d;
    for (size_t i = 0; i < d->n_rows; i++) {
        const we_cbs_row *r = &d->rows[i];
        double pop = d->has_population ? r->v[d->n_ind] : NAN;
        if (add_area(res, r->code, r->name, imp_level_name(r->code), pop))
            return oom(res->o->path, err);
    }
    return 0;
}

/* The areas of the existing long rows: each must be in the areas file,
 * or (without one) be a CBS code whose municipality can be derived. */
static int old_row_areas(result *res, we_error *err)
{
    for (size_t i = 0; i < res->n_old; i++) {
        const long_row *r = &res->old[i];
        if (we_strmap_get(res->area_index, r->area) >= 0)
            continue;
        if (res->o->areas_path != NULL)
            return we_fail(err, WE_EINVAL,
                           "%s:%zu: area '%s' is not in the areas "
                           "file %s; add it there, or append to the "
                           "areas file the long file was made with",
                           res->o->path, r->line, r->area, res->o->areas_path);
        if (!imp_is_area_code(r->area))
            return we_fail(err, WE_EINVAL,
                           "%s:%zu: area '%.100s' is not a CBS code; "
                           "fix the file or import into a new one",
                           res->o->path, r->line, r->area);
        if (add_area(res, r->area, r->area, imp_level_name(r->area), NAN))
            return oom(res->o->path, err);
    }
    return 0;
}

/* ---- files -------------------------------------------------------------- */

typedef struct staged {
    char *final, *tmp;
    int keep; /* 0: a check-only file, removed after the check */
} staged;

/* dir/.<name>.<tag>.<pid> next to `final`. */
static int stage_names(staged *s, const char *final, const char *tag,
                       we_error *err)
{
    const char *slash = strrchr(final, '/');
    size_t dir = slash ? (size_t)(slash - final) + 1 : 0;
    size_t n = strlen(final) + strlen(tag) + 32;
    s->final = we_strdup(final);
    s->tmp = malloc(n);
    if (s->final == NULL || s->tmp == NULL)
        return oom(final, err);
    snprintf(s->tmp, n, "%.*s.%s.%s.%ld", (int)dir, final, final + dir, tag,
             (long)getpid());
    return 0;
}

static FILE *stage_open(const staged *s, we_error *err)
{
    unlink(s->tmp); /* a leftover of an earlier process with this pid */
    int fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
    FILE *f = NULL;
    if (fd >= 0 && fchmod(fd, 0644) == 0)
        f = fdopen(fd, "w");
    if (f == NULL) {
        we_fail(err, WE_EINVAL,
                "%s: cannot create: %s; check that the directory "
                "exists and is writable",
                s->tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        unlink(s->tmp);
    }
    return f;
}

static int stage_close(FILE *f, const staged *s, we_error *err)
{
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return we_fail(err, WE_EINVAL,
                       "%s: write failed: %s; check free disk space", s->tmp,
                       strerror(e));
    return 0;
}

static void write_long(FILE *f, const result *res)
{
    char v[40];
    fputs(LONG_HEADER "\n", f);
    for (size_t i = 0; i < res->n_old; i++) {
        const long_row *r = &res->old[i];
        imp_format_value(v, sizeof v, r->v);
        fprintf(f, "%s,%d,%s,%s\n", r->area, r->period, r->indicator, v);
    }
    const we_cbs_data *d = res->d;
    for (size_t i = 0; i < d->n_rows; i++)
        for (size_t k = 0; k < d->n_ind; k++) {
            imp_format_value(v, sizeof v, d->rows[i].v[k]);
            fprintf(f, "%s,%d,%s,%s\n", d->rows[i].code, d->rows[i].period,
                    d->indicator[k], v);
        }
}

static void write_areas(FILE *f, const result *res)
{
    char v[40];
    fputs("area,name,municipality,level,population\n", f);
    for (size_t i = 0; i < res->n_areas; i++) {
        const area_row *a = &res->areas[i];
        imp_format_value(v, sizeof v, a->pop);
        fprintf(f, "%s,", a->code);
        imp_put_field(f, a->name);
        fprintf(f, ",%s,", a->muni);
        imp_put_field(f, a->level);
        fprintf(f, ",%s\n", v);
    }
}

static int stage_write(const staged *s, void (*fn)(FILE *, const result *),
                       const result *res, we_error *err)
{
    FILE *f = stage_open(s, err);
    if (f == NULL)
        return -1;
    fn(f, res);
    if (stage_close(f, s, err) != 0) {
        unlink(s->tmp);
        return -1;
    }
    return 0;
}

/* Replaces each temporary name in msg by the final one: the files are
 * the same, and only the final name means something to the user. */
static void final_names(char *msg, const staged *files, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *p = strstr(msg, files[i].tmp);
        if (p == NULL || files[i].keep == 0)
            continue;
        size_t lt = strlen(files[i].tmp), lf = strlen(files[i].final);
        if (lf <= lt) {
            memcpy(p, files[i].final, lf);
            memmove(p + lf, p + lt, strlen(p + lt) + 1);
        }
    }
}

/* Loads the staged files through the panel loader. */
static int check_panel(staged *files, const result *res, we_error *err)
{
    we_panel p;
    memset(&p, 0, sizeof p);
    int rc = we_panel_load(&p, files[1].tmp, files[0].tmp, res->o->catalog,
                           err);
    we_panel_free(&p);
    if (rc == 0)
        return 0;
    final_names(err->msg, files, 2);
    char msg[WE_ERROR_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return we_fail(err, WE_EINVAL,
                   "the imported data do not load as a panel, so "
                   "nothing was written: %s",
                   msg);
}

static int commit(staged *files, we_error *err)
{
    for (size_t i = 0; i < 2; i++)
        if (files[i].keep && rename(files[i].tmp, files[i].final) != 0)
            return we_fail(err, WE_EINVAL,
                           "%s: cannot rename into place: %s; check "
                           "the permissions of the directory",
                           files[i].final, strerror(errno));
    return 0;
}

static int write_files(const result *res, we_error *err)
{
    staged files[2] = { { 0 }, { 0 } };
    const we_cbs_output *o = res->o;
    files[0].keep = 1;
    files[1].keep = o->areas_path != NULL;
    int rc = stage_names(&files[0], o->path, "tmp", err);
    if (rc == 0)
        rc = stage_names(&files[1], o->areas_path ? o->areas_path : o->path,
                         o->areas_path ? "tmp" : "areas.tmp", err);
    if (rc == 0)
        rc = stage_write(&files[0], write_long, res, err);
    if (rc == 0 && (rc = stage_write(&files[1], write_areas, res, err)) != 0)
        unlink(files[0].tmp);
    if (rc == 0 && (rc = check_panel(files, res, err)) == 0)
        rc = commit(files, err);
    for (size_t i = 0; i < 2; i++) {
        if (files[i].tmp != NULL && (rc != 0 || !files[i].keep))
            unlink(files[i].tmp);
        free(files[i].tmp);
        free(files[i].final);
    }
    return rc;
}

/* ---- the whole ---------------------------------------------------------- */

static void result_free(result *res)
{
    for (size_t i = 0; i < res->n_old; i++) {
        free(res->old[i].area);
        free(res->old[i].indicator);
    }
    free(res->old);
    for (size_t i = 0; i < res->n_areas; i++) {
        free(res->areas[i].code);
        free(res->areas[i].name);
        free(res->areas[i].level);
    }
    free(res->areas);
    we_strmap_free(res->keys);
    we_strmap_free(res->area_index);
    we_panel_free(&res->cat);
}

static int gather(result *res, we_error *err)
{
    const we_cbs_output *o = res->o;
    int have_long = target(o->path, o, err), have_areas = 0;
    if (have_long < 0)
        return -1;
    if (o->areas_path != NULL &&
        (have_areas = target(o->areas_path, o, err)) < 0)
        return -1;
    res->keys = we_strmap_new(4096);
    res->area_index = we_strmap_new(1024);
    if (res->keys == NULL || res->area_index == NULL)
        return oom(o->path, err);
    if (we_panel_load_catalog(&res->cat, o->catalog, err) != 0)
        return -1;
    if (have_long && (read_old(res, err) != 0 || check_new(res, err) != 0))
        return -1;
    if (have_areas && read_old_areas(res, err) != 0)
        return -1;
    if (new_areas(res, err) != 0)
        return -1;
    return old_row_areas(res, err);
}

int we_cbs_write(const we_cbs_data *d, const we_cbs_output *o,
                 we_error *err)
{
    result res;
    memset(&res, 0, sizeof res);
    res.d = d;
    res.o = o;
    int rc = gather(&res, err);
    if (rc == 0)
        rc = write_files(&res, err);
    result_free(&res);
    return rc;
}
