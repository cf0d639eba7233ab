#include "report/report.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/report_analysis.h"
#include "report/report_internal.h"
#include "report/report_owner.h"
#include "report/report_since.h"
#include "util/atomic_file.h"

typedef struct format_spec {
    unsigned bit;
    const char *name;
    we_report_writer writer;
    int (*wanted)(const we_run *run); /* NULL: always */
} format_spec;

/* The order matters only for the renames: the machine-readable files go
 * first so that a reader polling report.json sees the newest data soonest. */
static const format_spec formats_all[] = {
    {WE_FORMAT_JSON, "report.json", we_report_json, NULL},
    {WE_FORMAT_CSV, "results.csv", we_report_csv, NULL},
    {WE_FORMAT_CSV, "since_previous.csv", we_report_since_csv,
     we_report_has_since},
    {WE_FORMAT_MD, "report.md", we_report_md, NULL},
    {WE_FORMAT_HTML, "report.html", we_report_html, NULL},
};
#define N_FORMATS (sizeof formats_all / sizeof formats_all[0])
/* At most this many files from the optional analyses. */
#define WE_REPORT_MAX_FILES 32

/* The CSV files of the optional analyses that this run has, in the
 * table's order. */
static size_t analysis_files(const we_run *run, const we_render_csv **out,
                             size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < run->n_analyses; k++) {
        const we_analysis_render *r = run->analyses[k].render;
        for (size_t j = 0; r != NULL && j < WE_RENDER_MAX; j++)
            if (r->csv[j].name != NULL && r->csv[j].wanted(run) && n < cap)
                out[n++] = &r->csv[j];
    }
    return n;
}

size_t we_report_extra_files(const we_run *run, unsigned formats,
                             const char **names, size_t cap)
{
    if (!(formats & WE_FORMAT_CSV))
        return 0;
    const we_render_csv *files[WE_REPORT_MAX_FILES];
    size_t n = analysis_files(run, files, WE_REPORT_MAX_FILES), k = 0;
    if (we_report_has_since(run) && k < cap)
        names[k++] = "since_previous.csv";
    for (size_t i = 0; i < n && k < cap; i++)
        names[k++] = files[i]->name;
    return k;
}

static int check_args(const we_run *run, const char *dir, unsigned formats,
                      we_error *err)
{
    const unsigned known =
        WE_FORMAT_JSON | WE_FORMAT_CSV | WE_FORMAT_MD | WE_FORMAT_HTML;
    if (run == NULL || run->cfg == NULL || run->panel == NULL)
        return we_fail(err, WE_EINVAL,
                       "report: the run has no configuration or "
                       "panel; load both before writing a report");
    if (dir == NULL || dir[0] == '\0')
        return we_fail(err, WE_EINVAL,
                       "report: no output directory given; set "
                       "output_dir in the configuration");
    if (formats == 0 || (formats & ~known) != 0)
        return we_fail(err, WE_EINVAL,
                       "report: format set 0x%x is not a non-empty "
                       "combination of json, csv, md and html",
                       formats);
    return 0;
}

/* A report writer and its run, as util/atomic_file's writer sees them. */
typedef struct run_writer {
    we_report_writer writer;
    const we_run *run;
} run_writer;

static int call_writer(const void *user, FILE *f, we_error *err)
{
    const run_writer *rw = user;
    return rw->writer(rw->run, f, err);
}

static void sweep_stale(const we_run *run, const char *dir)
{
    const char *names[N_FORMATS + WE_REPORT_MAX_FILES];
    size_t n = 0;
    for (size_t i = 0; i < N_FORMATS; i++)
        names[n++] = formats_all[i].name;
    for (size_t k = 0; k < run->n_analyses; k++) {
        const we_analysis_render *r = run->analyses[k].render;
        for (size_t j = 0; r != NULL && j < WE_RENDER_MAX; j++)
            if (r->csv[j].name != NULL && n < sizeof names / sizeof *names)
                names[n++] = r->csv[j].name;
    }
    we_files_sweep(dir, names, n);
}

static int stage_one(we_staged_file *files, size_t *n, const char *dir,
                     const char *name, we_report_writer writer,
                     const we_run *run, we_error *err)
{
    run_writer rw = {writer, run};
    if (we_file_stage(&files[*n], dir, name, call_writer, &rw, err) != 0)
        return -1;
    (*n)++;
    return 0;
}

/* Stages the files in order: report.json and the CSV files first (the
 * analyses' after results.csv), so that a reader polling the directory
 * sees the newest data soonest, then report.md and report.html. */
static int stage_all(const we_run *run, const char *dir, unsigned formats,
                     we_staged_file *files, size_t *n, we_error *err)
{
    const we_render_csv *extra[WE_REPORT_MAX_FILES];
    size_t n_extra = formats & WE_FORMAT_CSV
                         ? analysis_files(run, extra, WE_REPORT_MAX_FILES)
                         : 0;
    for (size_t i = 0; i < N_FORMATS; i++) {
        const format_spec *f = &formats_all[i];
        if ((formats & f->bit) && (f->wanted == NULL || f->wanted(run)) &&
            stage_one(files, n, dir, f->name, f->writer, run, err) != 0)
            return -1;
        for (size_t k = 0; f->writer == we_report_csv && k < n_extra; k++)
            if (stage_one(files, n, dir, extra[k]->name, extra[k]->write,
                          run, err) != 0)
                return -1;
    }
    return 0;
}

/* With o: the files go into place only when o admits them (none of them
 * replaces a file wijkeval did not write). */
static int write_into(const we_run *run, const char *dir, unsigned formats,
                      we_output *o, we_error *err)
{
    we_staged_file files[N_FORMATS + WE_REPORT_MAX_FILES];
    size_t n = 0;

    if (check_args(run, dir, formats, err) != 0 ||
        we_mkdirs(dir, err) != 0)
        return -1;
    sweep_stale(run, dir);
    if (stage_all(run, dir, formats, files, &n, err) != 0 ||
        (o != NULL && we_output_admit(o, files, n, err) != 0)) {
        we_files_discard(files, n);
        return -1;
    }
    int rc = we_files_commit(files, n, dir, err);
    we_files_discard(files, n);
    return rc;
}

int we_report_write(const we_run *run, const char *dir, unsigned formats,
                    we_error *err)
{
    return write_into(run, dir, formats, NULL, err);
}

int we_report_write_owned(const we_run *run, we_output *o, unsigned formats,
                          we_error *err)
{
    return write_into(run, o->canon, formats, o, err);
}

const we_catalog_rec *we_report_catalog(const we_panel *p,
                                        const char *indicator)
{
    /* A linear scan: the catalogue has tens of entries, and the report
     * must not depend on the panel's index having been built. */
    if (p == NULL || indicator == NULL || p->catalog == NULL)
        return NULL;
    for (size_t k = 0; k < p->n_indicators; k++)
        if (p->catalog[k].indicator != NULL &&
            strcmp(p->catalog[k].indicator, indicator) == 0)
            return &p->catalog[k];
    return NULL;
}

const char *we_report_method_name(we_method m)
{
    return we_method_name(m);
}

const char *we_report_role_name(we_role r)
{
    return r == WE_ROLE_PRIMARY ? "primary" : "secondary";
}

const char *we_report_direction_name(we_direction d)
{
    switch (d) {
    case WE_HIGHER_IS_BETTER: return "higher_is_better";
    case WE_LOWER_IS_BETTER: return "lower_is_better";
    default: return NULL;
    }
}

const char *we_report_inference(we_method m, const we_config *c)
{
    int by_muni = c != NULL && c->cluster == WE_CLUSTER_MUNICIPALITY;
    switch (m) {
    case WE_METHOD_PRE_POST:
        return "t (n-1 df), paired change of treated areas";
    case WE_METHOD_GAP:
        return "t (n-1 df), paired change of the gap";
    case WE_METHOD_DID_2X2:
    case WE_METHOD_TWFE:
        return by_muni ? "CR1 cluster-robust by municipality, t(G-1)"
                       : "CR1 cluster-robust by area, t(G-1)";
    default:
        return "unknown";
    }
}

int we_report_iso_time(char *buf, size_t n, time_t t)
{
    struct tm tm;
    if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL ||
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    return 0;
}

void we_report_c_decimal(char *buf)
{
    /* printf follows LC_NUMERIC; the files must not, whatever the
     * embedding program set. %g never groups digits, so a comma can only
     * be the decimal point. */
    for (char *s = buf; *s != '\0'; s++)
        if (*s == ',')
            *s = '.';
}

void we_report_g17(char *buf, size_t n, double x)
{
    snprintf(buf, n, "%.17g", x);
    we_report_c_decimal(buf);
}
