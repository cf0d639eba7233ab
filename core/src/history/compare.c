/* "Since the previous report": this run against an earlier run of the
 * history (docs/history.md, "The comparison"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history_internal.h"
#include "methods/methods.h"

/* A copy cut to the buffer (a value longer than the report shows). */
static void copy(char *dst, size_t n, const char *src)
{
    size_t len = strnlen(src, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* The side of an experiment in this run. */
static void side_now(const we_experiment_run *x, we_sp_side *s)
{
    memset(s, 0, sizeof *s);
    s->present = 1;
    s->ok = x->status == WE_EXP_OK;
    s->estimate = s->ci_low = s->ci_high = NAN;
    if (!s->ok)
        return;
    copy(s->verdict, sizeof s->verdict,
         we_hverdict_name(x->judgement.verdict)
             ? we_hverdict_name(x->judgement.verdict)
             : "");
    copy(s->interval, sizeof s->interval, we_verdict_name(x->verdict));
    if (x->evidence.reasons[0] != '\0')
        s->sms_level = x->evidence.sms_level;
    if (x->headline >= 0 && (size_t)x->headline < x->n_results) {
        const we_result_rec *r = &x->results[x->headline];
        s->has_effect = isfinite(r->est.estimate);
        copy(s->indicator, sizeof s->indicator, r->indicator);
        snprintf(s->method, sizeof s->method, "%s",
                 we_method_name(r->est.method));
        s->estimate = r->est.estimate;
        s->ci_low = r->est.ci_low;
        s->ci_high = r->est.ci_high;
    }
}

/* The experiments of run id with their headline; the columns that
 * we_hist_read_side reads, from column 2 on. */
const char *const we_hist_side_sql =
    "SELECT e.run_id, e.id, e.status, e.verdict, e.sms_level, r.indicator,"
    " r.method, r.estimate, r.ci_low, r.ci_high, e.judgement, e.programme"
    " FROM experiments e LEFT JOIN results r ON r.run_id = e.run_id"
    " AND r.experiment = e.id AND r.pos = e.headline";

void we_hist_read_side(sqlite3_stmt *st, we_sp_side *s)
{
    char status[16];
    memset(s, 0, sizeof *s);
    s->present = 1;
    we_hist_col_text(st, 2, status, sizeof status);
    s->ok = strcmp(status, "ok") == 0;
    we_hist_col_text(st, 3, s->interval, sizeof s->interval);
    we_hist_col_text(st, 10, s->verdict, sizeof s->verdict);
    s->sms_level = sqlite3_column_int(st, 4);
    we_hist_col_text(st, 5, s->indicator, sizeof s->indicator);
    we_hist_col_text(st, 6, s->method, sizeof s->method);
    s->estimate = we_hist_col_num(st, 7);
    s->ci_low = we_hist_col_num(st, 8);
    s->ci_high = we_hist_col_num(st, 9);
    s->has_effect = isfinite(s->estimate);
}

/* better > unclear (and the other neutral verdicts) > worse; -1 for a
 * verdict without a rank. */
static int verdict_rank(const char *v)
{
    if (strcmp(v, "better") == 0)
        return 2;
    if (strcmp(v, "worse") == 0)
        return 0;
    if (strcmp(v, "unclear") == 0 || strcmp(v, "no_effect") == 0 ||
        strcmp(v, "inconclusive") == 0)
        return 1;
    return -1;
}

/* The verdict the two sides are compared on: the DG verdict, or the
 * interval's when either side has none (recorded before schema 3). */
static const char *compared(const we_sp_side *s, const we_sp_side *other)
{
    return s->verdict[0] && other->verdict[0] ? s->verdict : s->interval;
}

static int verdict_changed(const we_sp_side *a, const we_sp_side *b)
{
    return a->present && b->present &&
           strcmp(compared(a, b), compared(b, a)) != 0;
}

static we_sp_move move_of(const we_sp_side *a, const we_sp_side *b)
{
    if (!a->present)
        return WE_SP_NEW;
    if (!b->present)
        return WE_SP_GONE;
    if (verdict_changed(a, b)) {
        int ra = verdict_rank(compared(a, b));
        int rb = verdict_rank(compared(b, a));
        if (ra < 0 || rb < 0 || !a->ok || !b->ok)
            return WE_SP_CHANGED;
        return rb > ra ? WE_SP_UP : WE_SP_DOWN;
    }
    if (b->sms_level != a->sms_level)
        return b->sms_level > a->sms_level ? WE_SP_UP : WE_SP_DOWN;
    return WE_SP_SAME;
}

static int find_previous(we_history *h, const char *series, long chosen,
                         we_since_previous *out, int *found, we_error *err)
{
    sqlite3_stmt *st;
    const char *sql =
        chosen > 0
            ? "SELECT id, name, finished, version, baseline, first_period,"
              " last_period, series FROM runs WHERE id = ?"
            : "SELECT id, name, finished, version, baseline, first_period,"
              " last_period, series FROM runs WHERE series = ?"
              " ORDER BY id DESC LIMIT 1";
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    if (chosen > 0)
        sqlite3_bind_int64(st, 1, chosen);
    else
        we_hist_bind_text(st, 1, series);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = 1;
        out->prev_id = (long)sqlite3_column_int64(st, 0);
        we_hist_col_text(st, 1, out->prev_name, sizeof out->prev_name);
        we_hist_col_text(st, 2, out->prev_finished, sizeof out->prev_finished);
        we_hist_col_text(st, 3, out->prev_version, sizeof out->prev_version);
        out->prev_baseline = sqlite3_column_int(st, 4);
        out->prev_first = sqlite3_column_int(st, 5);
        out->prev_last = sqlite3_column_int(st, 6);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return we_hist_fail(h, err, "reading the runs");
    if (rc == SQLITE_DONE && chosen > 0)
        return we_fail(err, WE_EINVAL, "history %s: there is no run %ld to "
                       "compare with; see `wijkeval history list`",
                       h->path, chosen);
    return 0;
}

/* Periods of the previous run's data (from its fingerprints), and the
 * ones this run adds. */
static int compare_periods(we_history *h, const we_panel *p,
                           we_since_previous *out, we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "SELECT 1 FROM cell_hashes WHERE run_id = ? AND "
                        "period = ? LIMIT 1", &st, err) != 0)
        return -1;
    out->added_periods = calloc(p->n_periods + 1, sizeof *out->added_periods);
    if (out->added_periods == NULL) {
        sqlite3_finalize(st);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < p->n_periods; t++) {
        sqlite3_bind_int64(st, 1, out->prev_id);
        sqlite3_bind_int(st, 2, p->periods[t]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            out->added_periods[out->n_added_periods++] = p->periods[t];
        else if (rc != SQLITE_ROW) {
            sqlite3_finalize(st);
            return we_hist_fail(h, err, "reading the periods");
        }
    }
    sqlite3_finalize(st);
    out->new_periods = out->n_added_periods > 0;
    return 0;
}

static long count_cells(const unsigned char *a, const unsigned char *b,
                        size_t n)
{
    long d = 0;
    for (size_t i = 0; i < n; i++)
        d += memcmp(a + 4 * i, b + 4 * i, 4) != 0;
    return d;
}

static int same_areas(we_history *h, long id, const char *sha)
{
    sqlite3_stmt *st;
    we_error err = {{0}};
    if (we_hist_prepare(h, "SELECT areas_sha256 FROM runs WHERE id = ?", &st,
                        &err) != 0)
        return 0;
    sqlite3_bind_int64(st, 1, id);
    char prev[65] = "";
    if (sqlite3_step(st) == SQLITE_ROW)
        we_hist_col_text(st, 0, prev, sizeof prev);
    sqlite3_finalize(st);
    return strcmp(prev, sha) == 0;
}

/* Adds one revised (indicator, period) to the revision of its
 * indicator (the snapshot lists an indicator's periods together). */
static int add_revision(we_since_previous *out, size_t *cap,
                        const char *indicator, int period, long cells)
{
    we_sp_revision *r = out->n_revisions > 0
                            ? &out->revisions[out->n_revisions - 1]
                            : NULL;
    if (r == NULL || strcmp(r->indicator, indicator) != 0) {
        if (out->n_revisions == *cap) {
            size_t c = *cap ? 2 * *cap : 8;
            we_sp_revision *b = realloc(out->revisions, c * sizeof *b);
            if (b == NULL)
                return -1;
            out->revisions = b;
            *cap = c;
        }
        r = &out->revisions[out->n_revisions++];
        memset(r, 0, sizeof *r);
        copy(r->indicator, sizeof r->indicator, indicator);
        r->first_period = period;
    }
    r->n_periods++;
    r->last_period = period;
    r->n_cells = r->n_cells < 0 || cells < 0 ? -1 : r->n_cells + cells;
    return 0;
}

static int compare_cells(we_history *h, const we_hist_snapshot *snap,
                         we_since_previous *out, we_error *err)
{
    int areas = same_areas(h, out->prev_id, snap->areas_sha256);
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "SELECT n_cells, digest, cells FROM cell_hashes "
                        "WHERE run_id = ? AND indicator = ? AND period = ?",
                        &st, err) != 0)
        return -1;
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < snap->n_cells; i++) {
        const we_hist_cells *c = &snap->cells[i];
        sqlite3_bind_int64(st, 1, out->prev_id);
        we_hist_bind_text(st, 2, c->indicator);
        sqlite3_bind_int(st, 3, c->period);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            size_t n = (size_t)sqlite3_column_int64(st, 0);
            const void *dg = sqlite3_column_blob(st, 1);
            int dn = sqlite3_column_bytes(st, 1);
            if (dg == NULL || dn != 32 || memcmp(dg, c->digest, 32) != 0) {
                const unsigned char *cells = sqlite3_column_blob(st, 2);
                long cnt = -1;
                if (areas && cells != NULL && c->cells != NULL &&
                    n == c->n_cells &&
                    (size_t)sqlite3_column_bytes(st, 2) == 4 * n)
                    cnt = count_cells(cells, c->cells, n);
                if (add_revision(out, &cap, c->indicator, c->period, cnt))
                    rc = we_fail(err, WE_ENOMEM, "out of memory");
            }
        } else if (s != SQLITE_DONE)
            rc = we_hist_fail(h, err, "reading the fingerprints");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Pairs of (key, value) of the previous run from sql, against now;
 * the differences go to *diff. */
static int compare_kv(we_history *h, long id, const char *sql,
                      const we_hist_kv *now, size_t n_now, int by_extra,
                      we_sp_setting **diff, size_t *n_diff, we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    size_t cap = n_now + 8, n_then = 0;
    we_hist_kv *then = calloc(cap, sizeof *then);
    *diff = calloc(2 * cap + n_now, sizeof **diff);
    int rc = then == NULL || *diff == NULL ? -1 : 0, s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n_then == cap) {
            we_hist_kv *b = realloc(then, 2 * cap * sizeof *b);
            we_sp_setting *d =
                b ? realloc(*diff, (4 * cap + n_now) * sizeof *d) : NULL;
            if (b)
                then = b;
            if (d == NULL) {
                rc = -1;
                break;
            }
            *diff = d;
            cap *= 2;
        }
        we_hist_col_text(st, 0, then[n_then].key, sizeof then[n_then].key);
        we_hist_col_text(st, 1, then[n_then].value,
                         sizeof then[n_then].value);
        n_then++;
    }
    sqlite3_finalize(st);
    if (rc != 0) {
        free(then);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    /* A key in both with another value, or in one of them only. */
    for (size_t i = 0; i < n_now; i++) {
        const char *v = by_extra ? now[i].extra : now[i].value;
        const char *old = NULL;
        for (size_t j = 0; j < n_then && old == NULL; j++)
            if (strcmp(then[j].key, now[i].key) == 0)
                old = then[j].value;
        if (old != NULL && strcmp(old, v) == 0)
            continue;
        we_sp_setting *d = &(*diff)[(*n_diff)++];
        copy(d->key, sizeof d->key, now[i].key);
        copy(d->then, sizeof d->then, old ? old : "");
        copy(d->now, sizeof d->now, v);
    }
    for (size_t j = 0; j < n_then; j++) {
        int there = 0;
        for (size_t i = 0; i < n_now && !there; i++)
            there = strcmp(then[j].key, now[i].key) == 0;
        if (there)
            continue;
        we_sp_setting *d = &(*diff)[(*n_diff)++];
        copy(d->key, sizeof d->key, then[j].key);
        copy(d->then, sizeof d->then, then[j].value);
        d->now[0] = '\0';
    }
    free(then);
    return 0;
}

static int revised(const we_since_previous *out, const char *indicator)
{
    for (size_t i = 0; i < out->n_revisions; i++)
        if (strcmp(out->revisions[i].indicator, indicator) == 0)
            return 1;
    return 0;
}

static int compare_experiments(we_history *h, const we_run *run,
                               we_since_previous *out, we_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE e.run_id = ? ORDER BY e.pos",
             we_hist_side_sql);
    sqlite3_stmt *st;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, out->prev_id);
    size_t cap = run->n_experiments + 9;
    out->experiments = calloc(cap, sizeof *out->experiments);
    if (out->experiments == NULL) {
        sqlite3_finalize(st);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    /* The experiments, then the programme row (as in the report). */
    for (size_t k = 0; k <= run->n_experiments; k++) {
        const we_experiment_run *x =
            k < run->n_experiments ? &run->experiments[k] : run->programme;
        if (x == NULL)
            break;
        we_sp_experiment *e = &out->experiments[out->n_experiments++];
        copy(e->id, sizeof e->id, x->id);
        e->is_programme = x->is_programme;
        side_now(x, &e->now);
        e->then.estimate = e->then.ci_low = e->then.ci_high = NAN;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char id[128];
        we_hist_col_text(st, 1, id, sizeof id);
        we_sp_experiment *e = NULL;
        for (size_t k = 0; k < out->n_experiments && e == NULL; k++)
            if (strcmp(out->experiments[k].id, id) == 0)
                e = &out->experiments[k];
        if (e == NULL) { /* gone since */
            if (out->n_experiments == cap) {
                we_sp_experiment *b = realloc(out->experiments,
                                              2 * cap * sizeof *b);
                if (b == NULL)
                    break;
                out->experiments = b;
                cap *= 2;
            }
            e = &out->experiments[out->n_experiments++];
            memset(e, 0, sizeof *e);
            copy(e->id, sizeof e->id, id);
            e->now.estimate = e->now.ci_low = e->now.ci_high = NAN;
        }
        we_hist_read_side(st, &e->then);
        e->is_programme |= sqlite3_column_int(st, 11);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return s == SQLITE_ROW ? we_fail(err, WE_ENOMEM, "out of memory")
                               : we_hist_fail(h, err, "reading a run");
    for (size_t k = 0; k < out->n_experiments; k++) {
        we_sp_experiment *e = &out->experiments[k];
        e->move = move_of(&e->then, &e->now);
        e->verdict_changed = verdict_changed(&e->then, &e->now);
        out->n_verdicts_changed += (size_t)e->verdict_changed;
        e->indicator_revised =
            (e->now.indicator[0] && revised(out, e->now.indicator)) ||
            (e->then.indicator[0] && revised(out, e->then.indicator));
    }
    return 0;
}

static int compare_targets(we_history *h, const we_history_input *in,
                           we_since_previous *out, we_error *err)
{
    const we_targets_eval *te = in->targets;
    if (te == NULL || te->in == NULL || te->in->n == 0)
        return 0;
    const we_panel *p = in->run->panel;
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "SELECT status FROM targets WHERE run_id = ? AND "
                        "area = ? AND indicator = ? AND deadline = ? "
                        "ORDER BY pos LIMIT 1", &st, err) != 0)
        return -1;
    out->targets = calloc(te->in->n, sizeof *out->targets);
    if (out->targets == NULL) {
        sqlite3_finalize(st);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < te->in->n; i++) {
        const we_wijk_target *t = &te->in->t[i];
        const char *ind = t->indicator >= 0
                              ? p->catalog[t->indicator].indicator
                              : "";
        const char *now = we_goal_status_name(te->res[i].status);
        sqlite3_bind_int64(st, 1, out->prev_id);
        we_hist_bind_text(st, 2, p->areas[t->area].code);
        we_hist_bind_text(st, 3, ind);
        sqlite3_bind_int(st, 4, t->deadline);
        char then[16] = "";
        if (sqlite3_step(st) == SQLITE_ROW)
            we_hist_col_text(st, 0, then, sizeof then);
        sqlite3_reset(st);
        int met = strcmp(now, "met") == 0 && strcmp(then, "met") != 0;
        int missed = strcmp(now, "missed") == 0 && strcmp(then, "missed") != 0;
        if (!met && !missed)
            continue;
        we_sp_target *o = &out->targets[out->n_targets++];
        copy(o->area, sizeof o->area, p->areas[t->area].code);
        copy(o->indicator, sizeof o->indicator, ind);
        copy(o->then, sizeof o->then, then[0] ? then : "none");
        copy(o->now, sizeof o->now, now);
    }
    sqlite3_finalize(st);
    return 0;
}

int we_history_compare(we_history *h, const we_history_input *in,
                       long compare_with, we_since_previous *out, int *found,
                       we_error *err)
{
    memset(out, 0, sizeof *out);
    *found = 0;
    copy(out->series, sizeof out->series, in->series);
    out->chosen = compare_with > 0;
    if (find_previous(h, in->series, compare_with, out, found, err) != 0)
        return -1;
    if (!*found)
        return 0;
    const we_panel *p = in->run->panel;
    if (p->n_periods > 0) {
        out->now_first = p->periods[0];
        out->now_last = p->periods[p->n_periods - 1];
    }
    out->now_baseline = in->run->cfg->baseline;
    we_hist_snapshot snap;
    if (we_hist_snapshot_build(&snap, in->run, err) != 0)
        return -1;
    int rc = compare_periods(h, p, out, err);
    if (rc == 0)
        rc = compare_cells(h, &snap, out, err);
    if (rc == 0)
        rc = compare_kv(h, out->prev_id, "SELECT key, value FROM settings "
                        "WHERE run_id = ? ORDER BY key", snap.settings,
                        snap.n_settings, 0, &out->settings,
                        &out->n_settings, err);
    if (rc == 0)
        rc = compare_kv(h, out->prev_id, "SELECT role, sha256 FROM inputs "
                        "WHERE run_id = ? ORDER BY role", snap.inputs,
                        snap.n_inputs, 1, &out->inputs, &out->n_inputs, err);
    if (rc == 0) {
        char sha[65] = "";
        sqlite3_stmt *st;
        rc = we_hist_prepare(h, "SELECT config_sha256 FROM runs WHERE id = ?",
                             &st, err);
        if (rc == 0) {
            sqlite3_bind_int64(st, 1, out->prev_id);
            if (sqlite3_step(st) == SQLITE_ROW)
                we_hist_col_text(st, 0, sha, sizeof sha);
            sqlite3_finalize(st);
            out->config_changed =
                strcmp(sha, in->run->cfg->config_sha256) != 0;
        }
    }
    if (rc == 0)
        rc = compare_experiments(h, in->run, out, err);
    if (rc == 0)
        rc = compare_targets(h, in, out, err);
    we_hist_snapshot_free(&snap);
    if (rc != 0) {
        we_since_previous_free(out);
        *found = 0;
    }
    return rc;
}
