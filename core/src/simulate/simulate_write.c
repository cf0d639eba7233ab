/* The output files. Numbers are formatted from integers, never through
 * printf's %f, so the bytes do not depend on the locale; every file is
 * written under a temporary name and renamed into place. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "simulate/simulate_internal.h"


void we_sim_format_fixed(char *buf, size_t size, double v, int decimals)
{
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    long long q = llround(v * (double)scale);
    const char *sign = q < 0 ? "-" : "";
    unsigned long long u = q < 0 ? 0ull - (unsigned long long)q
                                 : (unsigned long long)q;
    unsigned long long us = (unsigned long long)scale;
    if (decimals == 0)
        snprintf(buf, size, "%s%llu", sign, u);
    else
        snprintf(buf, size, "%s%llu.%0*llu", sign, u / us, decimals, u % us);
}

/* Up to four decimals, trailing zeros dropped: 2.1, -3.6, 15, 0.18. */
void we_sim_format_short(char *buf, size_t size, double v)
{
    we_sim_format_fixed(buf, size, v, 4);
    if (strchr(buf, '.') == NULL)
        return;
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}

/* RFC 4180: quote when the field holds a comma, a quote or a line end. */
void we_sim_put_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void print_areas(FILE *f, const we_sim *s)
{
    char pop[32];
    fputs("area,name,municipality,level,population\n", f);
    for (size_t a = 0; a < s->n_area; a++) {
        const we_sim_area *x = &s->area[a];
        we_sim_format_fixed(pop, sizeof pop, x->population, 0);
        fprintf(f, "%s,", x->code);
        we_sim_put_field(f, x->name);
        fprintf(f, ",%s,wijk,%s\n", s->muni[x->muni].code, pop);
    }
}

void we_sim_print_catalog(FILE *f, const we_sim *s)
{
    fputs("indicator,label_nl,label_en,unit,direction,theme,source\n", f);
    for (size_t k = 0; k < s->n_ind; k++) {
        const we_sim_indicator *x = &s->ind[k];
        const char *cols[] = {x->name, x->label_nl, x->label_en,
                              x->unit_name, x->direction, x->theme,
                              x->source};
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
            if (i > 0)
                fputc(',', f);
            we_sim_put_field(f, cols[i]);
        }
        fputc('\n', f);
    }
}

static const char *cell_text(const we_sim *s, size_t k, size_t a, size_t t,
                             char *buf, size_t size)
{
    size_t i = we_sim_cell_index(s, k, a, t);
    switch (s->cell[i]) {
    case WE_SIM_CELL_DOT: return ".";
    case WE_SIM_CELL_SECRET: return "x";
    case WE_SIM_CELL_EMPTY: return "";
    case WE_SIM_CELL_ABSENT: return NULL;
    default: break;
    }
    we_sim_format_fixed(buf, size, s->value[i], s->ind[k].unit->decimals);
    return buf;
}

static void print_indicators(FILE *f, const we_sim *s)
{
    char buf[64];
    fputs("area,period,indicator,value\n", f);
    for (size_t a = 0; a < s->n_area; a++)
        for (size_t t = 0; t < WE_SIM_N_PERIODS; t++)
            for (size_t k = 0; k < s->n_ind; k++) {
                const char *v = cell_text(s, k, a, t, buf, sizeof buf);
                if (v == NULL)
                    continue;
                fprintf(f, "%s,%d,", s->area[a].code,
                        WE_SIM_FIRST_PERIOD + (int)t);
                we_sim_put_field(f, s->ind[k].name);
                fprintf(f, ",%s\n", v);
            }
}

static void print_treatment(FILE *f, const we_sim *s)
{
    fputs("area,from,wave\n", f);
    for (size_t a = 0; a < s->n_area; a++) {
        const we_sim_area *x = &s->area[a];
        if (x->from != 0)
            fprintf(f, "%s,%d,%s\n", x->code, x->from,
                    x->group == WE_SIM_KRACHT ? "aandachtswijken"
                                              : "preventie");
    }
}

const we_sim_indicator *we_sim_find_indicator(const we_sim *s,
                                              const char *name)
{
    for (size_t k = 0; k < s->n_ind; k++)
        if (strcmp(s->ind[k].name, name) == 0)
            return &s->ind[k];
    return NULL;
}

void we_sim_print_truth(FILE *f, const we_sim *s)
{
    size_t n;
    const we_sim_target *t = we_sim_targets_of(s, &n);
    char effect[64], note[512], by_period[256];
    fputs("experiment,indicator,role,pattern,true_effect,unit,note,"
          "by_period\n",
          f);
    for (size_t k = 0; k < s->n_ind; k++) {
        const we_sim_indicator *ind = &s->ind[k];
        if (ind->programme_target == NULL)
            continue;
        we_sim_format_short(effect, sizeof effect, ind->programme_effect);
        char sd[32];
        we_sim_format_short(sd, sizeof sd, ind->programme_target->size_sd);
        snprintf(note, sizeof note, "the programme's effect: constant in "
                 "every programme wijk from its programme start (2008 "
                 "aandachtswijken, 2009 preventie): %s x "
                 "sd_between_wijken in the good direction", sd);
        fprintf(f, "programme,%s,headline,positive,%s,%s,", ind->name,
                effect, ind->unit_name);
        we_sim_put_field(f, note);
        fputs(",\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        const we_sim_indicator *ind = we_sim_find_indicator(s, t[i].indicator);
        if (ind == NULL)
            continue;
        we_sim_truth_cells(s, ind, &t[i], effect, sizeof effect, note,
                           sizeof note);
        fprintf(f, "%s,%s,%s,%s,%s,%s,", t[i].experiment, t[i].indicator,
                t[i].role, we_sim_pattern_name(t[i].pattern), effect,
                ind->unit_name);
        we_sim_put_field(f, note);
        fputc(',', f);
        we_sim_truth_by_period(s, ind, &t[i], by_period, sizeof by_period);
        we_sim_put_field(f, by_period);
        fputc('\n', f);
    }
}

int we_sim_write_file(const char *dir, const char *name, we_sim_printer print,
                      const we_sim *s, we_error *err)
{
    size_t n = strlen(dir) + strlen(name) + 16;
    char *tmp = malloc(n), *dst = malloc(n);
    int rc = 0;
    FILE *f = NULL;
    if (tmp == NULL || dst == NULL) {
        rc = we_fail(err, WE_ENOMEM, "simulate: out of memory");
        goto done;
    }
    snprintf(tmp, n, "%s/.%s.tmp", dir, name);
    snprintf(dst, n, "%s/%s", dir, name);
    f = fopen(tmp, "w");
    if (f == NULL) {
        rc = we_fail(err, WE_EINVAL,
                     "%s: cannot create: %s; check that the "
                     "directory is writable",
                     tmp, strerror(errno));
        goto done;
    }
    print(f, s);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        rc = we_fail(err, WE_EINVAL,
                     "%s: write failed: %s; check free disk space", tmp,
                     strerror(errno));
    } else if (rename(tmp, dst) != 0) {
        rc = we_fail(err, WE_EINVAL, "%s: cannot rename to %s: %s", tmp, dst,
                     strerror(errno));
    }
    if (rc != 0)
        remove(tmp);
done:
    free(tmp);
    free(dst);
    return rc;
}

static int make_dir(const char *path, we_error *err)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    return we_fail(err, WE_EINVAL,
                   "%s: cannot create directory: %s; check the "
                   "path and permissions",
                   path, strerror(errno));
}

/* mkdir -p: the output directory may be new, e.g. out/demo. */
int we_sim_make_dirs(const char *path, we_error *err)
{
    char *p = we_strdup(path);
    struct stat st;
    int rc =
        p == NULL ? we_fail(err, WE_ENOMEM, "simulate: out of memory") : 0;
    for (char *c = p ? p + 1 : NULL; rc == 0 && c && *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        rc = make_dir(p, err);
        *c = '/';
    }
    if (rc == 0)
        rc = make_dir(path, err);
    if (rc == 0 && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = we_fail(err, WE_EINVAL,
                     "%s: not a directory; choose another --out", path);
    free(p);
    return rc;
}

/* The demo's truth: the experiments' effects, then the displacement. */
static void print_demo_truth(FILE *f, const we_sim *s)
{
    we_sim_print_truth(f, s);
    we_sim_print_displacement_truth(f, s);
}

int we_sim_write_set(const we_sim *s, const char *out_dir,
                     const we_sim_file *files, size_t n, we_error *err)
{
    if (out_dir[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "simulate: the output directory is empty; "
                       "give one with --out");
    if (we_sim_make_dirs(out_dir, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (we_sim_write_file(out_dir, files[i].name, files[i].print, s,
                              err) < 0)
            return -1;
    return 0;
}

int we_sim_write_all(const we_sim *s, const char *out_dir, we_error *err)
{
    static const we_sim_file files[] = {
        {"areas.csv", print_areas},         {"catalog.csv", we_sim_print_catalog},
        {"indicators.csv", print_indicators},
        {"treatment.csv", print_treatment}, {"truth.csv", print_demo_truth},
        {"adjacency.csv", we_sim_print_adjacency},
        {"assignment.csv", we_sim_print_assignment},
        {"README.md", we_sim_print_readme},
    };
    return we_sim_write_set(s, out_dir, files, sizeof files / sizeof *files,
                            err);
}
