/* `wijkeval history`: the runs in the history (docs/history.md). */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "history/history.h"
#include "util/text.h"

static const char usage[] =
    "usage: wijkeval history list [SERIES] [--history FILE] [--json|--csv]\n"
    "       wijkeval history show RUN_ID [--history FILE] [--json|--csv]\n"
    "       wijkeval history trend SERIES [--history FILE] [--json|--csv]\n"
    "                              [--html FILE]\n"
    "       wijkeval history forget RUN_ID [--history FILE]\n"
    "The runs that `wijkeval run` recorded (docs/history.md):\n"
    "  list     the runs, newest first: id, name, series, when, data\n"
    "           window, status (only SERIES's with SERIES)\n"
    "  show     one run and each experiment's verdict, headline effect\n"
    "           and evidence\n"
    "  trend    each experiment's headline effect and verdict across the\n"
    "           runs of SERIES, oldest first; --html FILE also writes a\n"
    "           page with a small chart per experiment\n"
    "  forget   delete a run and all that was recorded of it\n"
    "  --history FILE  the history (default out/history.sqlite)\n"
    "  --json, --csv   machine-readable output instead of the table\n"
    "Exit: 0 ok; 1 no such run; 2 usage error or no usable history.\n";

typedef enum { OUT_TABLE, OUT_JSON, OUT_CSV } out_kind;

typedef struct hopts {
    const char *cmd, *arg, *path, *html;
    out_kind out;
} hopts;

static int parse(int argc, char **argv, hopts *o)
{
    *o = (hopts){.path = "out/history.sqlite"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            o->out = OUT_JSON;
        else if (strcmp(a, "--csv") == 0)
            o->out = OUT_CSV;
        else if ((strcmp(a, "--history") == 0 || strcmp(a, "--html") == 0) &&
                 i + 1 < argc)
            *(a[2] == 'h' && a[3] == 'i' ? &o->path : &o->html) = argv[++i];
        else if (a[0] == '-') {
            fprintf(stderr, "wijkeval history: unknown option '%s'\n\n%s", a,
                    usage);
            return -1;
        } else if (o->cmd == NULL)
            o->cmd = a;
        else if (o->arg == NULL)
            o->arg = a;
        else {
            fprintf(stderr, "wijkeval history: one argument too many: "
                            "'%s'\n\n%s", a, usage);
            return -1;
        }
    }
    return 0;
}

static void csv_field(const char *s)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void num(char *buf, size_t n, double x)
{
    if (isfinite(x))
        snprintf(buf, n, "%.3g", x);
    else
        snprintf(buf, n, "-");
}

/* ---- list ---------------------------------------------------------------- */

static json_t *run_json(const we_history_run_row *r)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,"
                     "s:I}", "id", (json_int_t)r->id, "name", r->name,
                     "series", r->series, "status", r->status, "version",
                     r->version, "started", r->started, "finished",
                     r->finished, "config", r->config, "config_sha256",
                     r->config_sha256, "data_sha256", r->data_sha256,
                     "baseline", r->baseline, "first_period",
                     r->first_period, "last_period", r->last_period,
                     "experiments", (json_int_t)r->n_experiments);
}

static int dump_json(json_t *j)
{
    if (j == NULL) {
        fputs("wijkeval history: out of memory\n", stderr);
        return 2;
    }
    int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(j);
    putchar('\n');
    return rc == 0 ? 0 : 2;
}

static int cmd_list(we_history *h, const hopts *o, we_error *err)
{
    we_history_run_row *rows;
    size_t n;
    if (we_history_list(h, o->arg, &rows, &n, err) != 0)
        return -1;
    int rc = 0;
    if (o->out == OUT_JSON) {
        json_t *a = json_array();
        for (size_t i = 0; a != NULL && i < n; i++)
            json_array_append_new(a, run_json(&rows[i]));
        rc = dump_json(a);
    } else if (o->out == OUT_CSV) {
        puts("id,name,series,finished,baseline,first_period,last_period,"
             "status,experiments,version,config_sha256,data_sha256");
        for (size_t i = 0; i < n; i++) {
            const we_history_run_row *r = &rows[i];
            printf("%ld,", r->id);
            csv_field(r->name);
            putchar(',');
            csv_field(r->series);
            printf(",%s,%d,%d,%d,%s,%ld,", r->finished, r->baseline,
                   r->first_period, r->last_period, r->status,
                   r->n_experiments);
            csv_field(r->version);
            printf(",%s,%s\n", r->config_sha256, r->data_sha256);
        }
    } else {
        printf("%4s  %-20s %-12s %-20s %-9s %-8s %s\n", "id", "name",
               "series", "finished", "data", "status", "experiments");
        for (size_t i = 0; i < n; i++) {
            const we_history_run_row *r = &rows[i];
            char line[512];
            snprintf(line, sizeof line,
                     "%4ld  %-20s %-12s %-20s %d-%d %-8s %ld", r->id,
                     r->name, r->series, r->finished, r->first_period,
                     r->last_period, r->status, r->n_experiments);
            printf("%s\n", we_text_sanitize(line));
        }
        if (n == 0)
            puts("(no runs)");
    }
    free(rows);
    return rc;
}

/* ---- show and trend -------------------------------------------------------- */

/* The verdict a row shows: the DG verdict, or for a run recorded before
 * history schema 3 (none kept) the headline interval's. */
static const char *shown(const we_sp_side *s)
{
    return s->verdict[0] ? s->verdict : s->interval;
}

static json_t *exp_json(const we_history_exp_row *e)
{
    const we_sp_side *s = &e->side;
    json_t *o = json_pack("{s:I,s:s,s:i,s:s,s:s,s:s,s:s}", "run_id",
                          (json_int_t)e->run_id, "finished", e->finished,
                          "last_period", e->last_period, "experiment", e->id,
                          "status", s->ok ? "ok" : "failed", "verdict",
                          shown(s), "indicator", s->indicator);
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "interval_verdict", json_string(s->interval));
    json_object_set_new(o, "method", json_string(s->method));
    json_object_set_new(o, "estimate", isfinite(s->estimate)
                                           ? json_real(s->estimate)
                                           : json_null());
    json_object_set_new(o, "ci_low", isfinite(s->ci_low)
                                         ? json_real(s->ci_low)
                                         : json_null());
    json_object_set_new(o, "ci_high", isfinite(s->ci_high)
                                          ? json_real(s->ci_high)
                                          : json_null());
    json_object_set_new(o, "sms_level", s->sms_level > 0
                                            ? json_integer(s->sms_level)
                                            : json_null());
    return o;
}

static void exps_csv(const we_history_exp_row *e, size_t n)
{
    puts("run_id,finished,last_period,experiment,status,verdict,indicator,"
         "method,estimate,ci_low,ci_high,sms_level,interval_verdict");
    for (size_t i = 0; i < n; i++) {
        const we_sp_side *s = &e[i].side;
        printf("%ld,%s,%d,%s,%s,%s,%s,%s,", e[i].run_id, e[i].finished,
               e[i].last_period, e[i].id, s->ok ? "ok" : "failed", shown(s),
               s->indicator, s->method);
        double v[3] = {s->estimate, s->ci_low, s->ci_high};
        for (int k = 0; k < 3; k++) {
            if (isfinite(v[k]))
                printf("%.17g", v[k]);
            putchar(',');
        }
        if (s->sms_level > 0)
            printf("%d", s->sms_level);
        printf(",%s\n", s->interval);
    }
}

static void exps_table(const we_history_exp_row *e, size_t n, int with_run)
{
    if (with_run)
        printf("%4s  %-5s ", "run", "data");
    printf("%-24s %-12s %-32s %10s  %-22s %s\n", "experiment", "verdict",
           "primary indicator", "effect", "CI", "SMS");
    for (size_t i = 0; i < n; i++) {
        const we_sp_side *s = &e[i].side;
        char a[32], b[32], c[32], ci[80], line[512];
        num(a, sizeof a, s->estimate);
        num(b, sizeof b, s->ci_low);
        num(c, sizeof c, s->ci_high);
        snprintf(ci, sizeof ci, "[%s, %s]", b, c);
        int len = 0;
        if (with_run)
            len = snprintf(line, sizeof line, "%4ld  %-5d ", e[i].run_id,
                           e[i].last_period);
        snprintf(line + len, sizeof line - (size_t)len,
                 "%-24s %-12s %-32s %10s  %-22s %d", e[i].id,
                 s->ok ? shown(s) : "failed", s->indicator, a, ci,
                 s->sms_level);
        printf("%s\n", we_text_sanitize(line));
    }
}

static int exps_json(const we_history_exp_row *e, size_t n, json_t *run)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, exp_json(&e[i]));
    if (run == NULL)
        return dump_json(a);
    json_object_set_new(run, "results", a);
    return dump_json(run);
}

static int parse_id(const char *s, long *id)
{
    uint64_t v;
    if (s == NULL || we_cli_parse_u64(s, &v) != 0 || v < 1 ||
        v > (uint64_t)LONG_MAX) {
        fprintf(stderr, "wijkeval history: give a run id (a number from "
                        "`wijkeval history list`)\n");
        return -1;
    }
    *id = (long)v;
    return 0;
}

static int cmd_show(we_history *h, const hopts *o, we_error *err)
{
    long id;
    if (parse_id(o->arg, &id) != 0)
        return 2;
    we_history_run_row r;
    we_history_exp_row *e;
    size_t n;
    int found;
    if (we_history_show(h, id, &r, &e, &n, &found, err) != 0)
        return -1;
    if (!found) {
        fprintf(stderr, "wijkeval history: no run %ld in the history\n", id);
        return 1;
    }
    int rc = 0;
    if (o->out == OUT_JSON)
        rc = exps_json(e, n, run_json(&r));
    else if (o->out == OUT_CSV)
        exps_csv(e, n);
    else {
        char head[2048];
        snprintf(head, sizeof head,
                 "run %ld: %s (series %s), %s\n  started %s, finished %s, "
                 "wijkeval %s\n  data %d-%d, baseline %d\n  config %s "
                 "(sha256 %.12s), data sha256 %.12s\n",
                 r.id, r.name, r.series, r.status, r.started, r.finished,
                 r.version, r.first_period, r.last_period, r.baseline,
                 r.config, r.config_sha256, r.data_sha256);
        printf("%s\n", we_text_sanitize(head));
        exps_table(e, n, 0);
    }
    free(e);
    return rc;
}

/* ---- trend --------------------------------------------------------------- */

/* One experiment's chart: its estimate and interval per run. */
static void trend_svg(FILE *f, const we_history_exp_row *e, size_t n,
                      const char *id)
{
    double lo = 0, hi = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].id, id) == 0 && isfinite(e[i].side.estimate)) {
            double a = isfinite(e[i].side.ci_low) ? e[i].side.ci_low
                                                  : e[i].side.estimate;
            double b = isfinite(e[i].side.ci_high) ? e[i].side.ci_high
                                                   : e[i].side.estimate;
            lo = a < lo ? a : lo;
            hi = b > hi ? b : hi;
            m++;
        }
    if (hi - lo <= 0)
        hi = lo + 1;
    const double W = 360, H = 150, L = 50, R = 10, T = 10, B = 30;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" "
               "height=\"%g\" viewBox=\"0 0 %g %g\" role=\"img\">", W, H, W,
            H);
#define Y(v) (T + (H - T - B) * (hi - (v)) / (hi - lo))
    fprintf(f, "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" "
               "stroke=\"#222\"/><text x=\"%g\" y=\"%.1f\" font-size=\"10\""
               " text-anchor=\"end\">0</text>", L, W - R, Y(0.0), Y(0.0),
            L - 4, Y(0.0) + 3);
    /* the ends of the scale, unless one is the 0 already labelled */
    if (hi != 0)
        fprintf(f,
                "<text x=\"%g\" y=\"%g\" font-size=\"10\" "
                "text-anchor=\"end\">%.3g</text>",
                L - 4, T + 8, hi);
    if (lo != 0)
        fprintf(f,
                "<text x=\"%g\" y=\"%g\" font-size=\"10\" "
                "text-anchor=\"end\">%.3g</text>",
                L - 4, H - B, lo);
    size_t k = 0;
    double step = m > 1 ? (W - L - R - 40) / (double)(m - 1) : 0;
    for (size_t i = 0; i < n; i++) {
        const we_sp_side *s = &e[i].side;
        if (strcmp(e[i].id, id) != 0 || !isfinite(s->estimate))
            continue;
        double x = L + 20 + step * (double)k++;
        const char *col = strcmp(shown(s), "better") == 0  ? "#0072B2"
                          : strcmp(shown(s), "worse") == 0 ? "#D55E00"
                                                           : "#777";
        if (isfinite(s->ci_low) && isfinite(s->ci_high))
            fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\""
                       " stroke=\"%s\" stroke-width=\"2\"/>", x, x,
                    Y(s->ci_low), Y(s->ci_high), col);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%g\" font-size=\"10\" "
                   "text-anchor=\"middle\">run %ld (%d)</text>", x,
                Y(s->estimate), col, x, H - 12, e[i].run_id,
                e[i].last_period);
    }
#undef Y
    fputs("</svg>\n", f);
}

static void html_esc(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

static int trend_html(const char *path, const char *series,
                      const we_history_exp_row *e, size_t n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "wijkeval history: cannot write %s\n", path);
        return 2;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>wijkeval: trend of ", f);
    html_esc(f, series);
    fputs("</title><style>body{font-family:sans-serif;max-width:60rem;"
          "margin:1rem auto}figure{display:inline-block;margin:.5rem}"
          "figcaption{font-size:.9rem}</style></head><body>\n<h1>Trend of "
          "series ", f);
    html_esc(f, series);
    fputs("</h1>\n<p>Each experiment's headline effect with its interval, "
          "one point per run, oldest first; blue: better, orange: worse, "
          "grey: unclear.</p>\n", f);
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(e[j].id, e[i].id) == 0;
        if (seen)
            continue;
        fputs("<figure>", f);
        trend_svg(f, e, n, e[i].id);
        fputs("<figcaption>", f);
        html_esc(f, e[i].id);
        fputs(": ", f);
        html_esc(f, e[i].side.indicator);
        fputs("</figcaption></figure>\n", f);
    }
    fputs("</body></html>\n", f);
    return fclose(f) == 0 ? 0 : 2;
}

static int cmd_trend(we_history *h, const hopts *o, we_error *err)
{
    if (o->arg == NULL) {
        fprintf(stderr, "wijkeval history trend: give a SERIES (the "
                        "config's series, default its name)\n");
        return 2;
    }
    we_history_exp_row *e;
    size_t n;
    if (we_history_trend(h, o->arg, &e, &n, err) != 0)
        return -1;
    int rc = 0;
    if (n == 0) {
        fprintf(stderr, "wijkeval history: no runs of series '%s'\n",
                o->arg);
        rc = 1;
    } else if (o->out == OUT_JSON)
        rc = exps_json(e, n, NULL);
    else if (o->out == OUT_CSV)
        exps_csv(e, n);
    else
        exps_table(e, n, 1);
    if (rc == 0 && o->html != NULL)
        rc = trend_html(o->html, o->arg, e, n);
    free(e);
    return rc;
}

static int cmd_forget(we_history *h, const hopts *o, we_error *err)
{
    long id;
    int found;
    if (parse_id(o->arg, &id) != 0)
        return 2;
    if (we_history_forget(h, id, &found, err) != 0)
        return -1;
    if (!found) {
        fprintf(stderr, "wijkeval history: no run %ld in the history\n", id);
        return 1;
    }
    printf("run %ld forgotten\n", id);
    return 0;
}

int we_cli_history(int argc, char **argv)
{
    hopts o;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
    if (parse(argc, argv, &o) != 0)
        return 2;
    static const struct {
        const char *name;
        int (*fn)(we_history *, const hopts *, we_error *);
    } cmds[] = {{"list", cmd_list},
                {"show", cmd_show},
                {"trend", cmd_trend},
                {"forget", cmd_forget}};
    int (*fn)(we_history *, const hopts *, we_error *) = NULL;
    for (size_t k = 0; o.cmd && k < sizeof cmds / sizeof cmds[0]; k++)
        if (strcmp(o.cmd, cmds[k].name) == 0)
            fn = cmds[k].fn;
    if (fn == NULL) {
        fprintf(stderr, "wijkeval history: %s\n\n%s",
                o.cmd ? "unknown subcommand" : "no subcommand given", usage);
        return 2;
    }
    we_error err = {{0}};
    we_history *h;
    if (we_history_open_existing(&h, o.path, 10000, &err) != 0) {
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        return 2;
    }
    int rc = fn(h, &o, &err);
    if (rc < 0) {
        fprintf(stderr, "wijkeval: %s\n", we_text_sanitize(err.msg));
        rc = 2;
    }
    we_history_close(h);
    return rc;
}
