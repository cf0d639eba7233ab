/* Opening the history and recording a run (docs/history.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "history/history_internal.h"
#include "util/text.h"

int we_hist_fail(we_history *h, we_error *err, const char *what)
{
    int code = h->db ? sqlite3_errcode(h->db) : SQLITE_ERROR;
    const char *hint =
        code == SQLITE_BUSY || code == SQLITE_LOCKED
            ? "another process holds it; try again when that run is done"
        : code == SQLITE_READONLY || code == SQLITE_CANTOPEN ||
                code == SQLITE_PERM
            ? "make the file and its directory writable, or pass "
              "--history FILE or --no-history"
        : code == SQLITE_NOTADB || code == SQLITE_CORRUPT
            ? "the file is not a wijkeval history; move it aside"
            : "see docs/history.md";
    return we_fail(err, WE_EINVAL, "history %s: %s: %s; %s", h->path, what,
                   h->db ? sqlite3_errmsg(h->db) : "cannot open", hint);
}

int we_hist_prepare(we_history *h, const char *sql, sqlite3_stmt **st,
                    we_error *err)
{
    if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) == SQLITE_OK)
        return 0;
    *st = NULL;
    return we_hist_fail(h, err, "preparing a statement");
}

int we_hist_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s == NULL ? sqlite3_bind_null(st, i)
                     : sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int we_hist_bind_num(sqlite3_stmt *st, int i, double v)
{
    return isfinite(v) ? sqlite3_bind_double(st, i, v)
                       : sqlite3_bind_null(st, i);
}

void we_hist_col_text(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    snprintf(buf, n, "%s", s ? (const char *)s : "");
}

double we_hist_col_num(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(st, i);
}

static int open_flags(we_history **out, const char *path, int busy_ms,
                      int flags, we_error *err)
{
    *out = NULL;
    we_history *h = calloc(1, sizeof *h);
    if (h == NULL || (h->path = we_strdup(path)) == NULL) {
        free(h);
        return we_fail(err, WE_ENOMEM, "out of memory");
    }
    if (sqlite3_open_v2(path, &h->db, flags, NULL) != SQLITE_OK) {
        we_hist_fail(h, err, "cannot open");
        we_history_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h->db, busy_ms);
    sqlite3_stmt *st = NULL;
    /* journal_mode answers with a row: the mode it is in now. */
    int rc = we_hist_prepare(h, "PRAGMA journal_mode = WAL", &st, err);
    if (rc == 0 && sqlite3_step(st) != SQLITE_ROW)
        rc = we_hist_fail(h, err, "cannot switch to WAL mode");
    sqlite3_finalize(st);
    if (rc == 0 &&
        (sqlite3_exec(h->db, "PRAGMA foreign_keys = ON;"
                             "PRAGMA synchronous = NORMAL;",
                      NULL, NULL, NULL) != SQLITE_OK))
        rc = we_hist_fail(h, err, "cannot set it up");
    if (rc == 0)
        rc = we_hist_migrate(h, err);
    if (rc != 0) {
        we_history_close(h);
        return -1;
    }
    *out = h;
    return 0;
}

int we_history_open(we_history **h, const char *path, int busy_ms,
                    we_error *err)
{
    return open_flags(h, path, busy_ms,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
}

int we_history_open_existing(we_history **h, const char *path, int busy_ms,
                             we_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return we_fail(err, WE_EINVAL, "history %s: no such file; run "
                       "`wijkeval run` first, or pass --history FILE", path);
    return open_flags(h, path, busy_ms, SQLITE_OPEN_READWRITE, err);
}

void we_history_close(we_history *h)
{
    if (h == NULL)
        return;
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

int we_history_schema_version(we_history *h)
{
    sqlite3_stmt *st;
    we_error err = {{0}};
    if (we_hist_prepare(h, "PRAGMA user_version", &st, &err) != 0)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* ---- recording ---------------------------------------------------------- */

static void iso_time(time_t t, char *buf, size_t n)
{
    struct tm tm;
    if (t == 0 || gmtime_r(&t, &tm) == NULL ||
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, n, "%s", "");
}

/* Runs one prepared statement to its end and resets it. */
static int step_done(we_history *h, sqlite3_stmt *st, we_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : we_hist_fail(h, err, "writing");
}

static int insert_run(we_history *h, const we_history_input *in,
                      const we_hist_snapshot *snap, long *id, we_error *err)
{
    const we_run *run = in->run;
    const we_config *c = run->cfg;
    const we_panel *p = run->panel;
    int failed = 0;
    for (size_t k = 0; k < run->n_experiments; k++)
        failed |= run->experiments[k].status != WE_EXP_OK;
    char started[32], finished[32], recorded[32], seed[32], followup[256];
    iso_time(run->started, started, sizeof started);
    iso_time(run->finished, finished, sizeof finished);
    iso_time(time(NULL), recorded, sizeof recorded);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)c->seed);
    size_t len = 0;
    followup[0] = '\0';
    for (size_t i = 0; i < c->n_followup && len + 16 < sizeof followup; i++)
        len += (size_t)snprintf(followup + len, sizeof followup - len,
                                "%s%d", i ? "," : "", c->followup[i]);
    sqlite3_stmt *st;
    if (we_hist_prepare(h,
                        "INSERT INTO runs (name, series, title, status, "
                        "config_path, config_sha256, data_sha256, version, "
                        "seed, started, finished, recorded, baseline, "
                        "followup, first_period, last_period, n_areas, "
                        "report_dir, areas_sha256) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        &st, err) != 0)
        return -1;
    we_hist_bind_text(st, 1, c->name);
    we_hist_bind_text(st, 2, in->series);
    we_hist_bind_text(st, 3, c->title);
    we_hist_bind_text(st, 4, failed ? "partial" : "ok");
    we_hist_bind_text(st, 5, c->path);
    we_hist_bind_text(st, 6, c->config_sha256);
    we_hist_bind_text(st, 7, p->data_sha256);
    we_hist_bind_text(st, 8, run->version);
    we_hist_bind_text(st, 9, seed);
    we_hist_bind_text(st, 10, started);
    we_hist_bind_text(st, 11, finished);
    we_hist_bind_text(st, 12, recorded);
    sqlite3_bind_int(st, 13, c->baseline);
    we_hist_bind_text(st, 14, followup);
    if (p->n_periods > 0) {
        sqlite3_bind_int(st, 15, p->periods[0]);
        sqlite3_bind_int(st, 16, p->periods[p->n_periods - 1]);
    }
    sqlite3_bind_int64(st, 17, (sqlite3_int64)p->n_areas);
    we_hist_bind_text(st, 18, in->report_dir);
    we_hist_bind_text(st, 19, snap->areas_sha256);
    int rc = step_done(h, st, err);
    sqlite3_finalize(st);
    *id = (long)sqlite3_last_insert_rowid(h->db);
    return rc;
}

static int insert_kv(we_history *h, long id, const char *sql,
                     const we_hist_kv *kv, size_t n, int with_extra,
                     we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sqlite3_bind_int64(st, 1, id);
        we_hist_bind_text(st, 2, kv[i].key);
        we_hist_bind_text(st, 3, kv[i].value);
        if (with_extra)
            we_hist_bind_text(st, 4, kv[i].extra);
        rc = step_done(h, st, err);
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *role_name(we_role r)
{
    return r == WE_ROLE_PRIMARY ? "primary" : "secondary";
}

static int insert_results(we_history *h, long id, const we_experiment_run *x,
                          we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h,
                        "INSERT INTO results (run_id, experiment, pos, "
                        "indicator, role, method, estimate, se, ci_low, "
                        "ci_high, p_value, p_adjusted, verdict, sms_level) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < x->n_results; i++) {
        const we_result_rec *r = &x->results[i];
        sqlite3_bind_int64(st, 1, id);
        we_hist_bind_text(st, 2, x->id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        we_hist_bind_text(st, 4, r->indicator);
        we_hist_bind_text(st, 5, role_name(r->role));
        we_hist_bind_text(st, 6, we_method_name(r->est.method));
        we_hist_bind_num(st, 7, r->est.estimate);
        we_hist_bind_num(st, 8, r->est.se);
        we_hist_bind_num(st, 9, r->est.ci_low);
        we_hist_bind_num(st, 10, r->est.ci_high);
        we_hist_bind_num(st, 11, r->est.p_value);
        we_hist_bind_num(st, 12, r->x.enriched ? r->x.p_adjusted : NAN);
        we_hist_bind_text(st, 13, we_verdict_name(r->x.verdict));
        sqlite3_bind_int(st, 14, r->x.evidence.sms_level);
        rc = step_done(h, st, err);
    }
    sqlite3_finalize(st);
    if (rc != 0 || we_hist_prepare(h,
                                   "INSERT INTO metrics (run_id, experiment,"
                                   " pos, name, value, unit) VALUES "
                                   "(?,?,?,?,?,?)", &st, err) != 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < x->n_metrics; i++) {
        sqlite3_bind_int64(st, 1, id);
        we_hist_bind_text(st, 2, x->id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        we_hist_bind_text(st, 4, x->metrics[i].name);
        we_hist_bind_num(st, 5, x->metrics[i].value);
        we_hist_bind_text(st, 6, x->metrics[i].unit);
        rc = step_done(h, st, err);
    }
    sqlite3_finalize(st);
    return rc;
}

/* One experiment row (the programme's too), with its results. */
static int insert_experiment(we_history *h, sqlite3_stmt *st, long id,
                             size_t pos, const we_experiment_run *x,
                             we_error *err)
{
    int ok = x->status == WE_EXP_OK;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)pos);
    we_hist_bind_text(st, 3, x->id);
    we_hist_bind_text(st, 4, x->title_nl);
    we_hist_bind_text(st, 5, x->title_en);
    we_hist_bind_text(st, 6, x->version);
    we_hist_bind_text(st, 7, ok ? "ok" : "failed");
    we_hist_bind_text(st, 8, ok ? NULL : x->error);
    we_hist_bind_text(st, 9, ok ? we_verdict_name(x->verdict) : NULL);
    if (ok && x->evidence.reasons[0] != '\0') {
        sqlite3_bind_int(st, 10, x->evidence.sms_level);
        we_hist_bind_text(st, 11, we_erkenning_name(x->evidence.erkenning));
        we_hist_bind_text(st, 12, x->evidence.reasons);
    }
    we_hist_bind_text(st, 13, ok ? we_method_name(x->design) : NULL);
    if (ok && x->headline >= 0)
        sqlite3_bind_int64(st, 14, x->headline);
    we_hist_bind_text(st, 15,
                      ok ? we_hverdict_name(x->judgement.verdict) : NULL);
    sqlite3_bind_int(st, 16, x->is_programme);
    int rc = step_done(h, st, err);
    /* A failed experiment's numbers are not reported, nor kept. */
    if (rc == 0 && ok)
        rc = insert_results(h, id, x, err);
    return rc;
}

static int insert_experiments(we_history *h, long id, const we_run *run,
                              we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h,
                        "INSERT INTO experiments (run_id, pos, id, title_nl,"
                        " title_en, version, status, error, verdict, "
                        "sms_level, erkenning, evidence, design, headline, "
                        "judgement, programme) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < run->n_experiments; k++)
        rc = insert_experiment(h, st, id, k, &run->experiments[k], err);
    /* The programme row after the experiments (docs/history.md). */
    if (rc == 0 && run->programme != NULL)
        rc = insert_experiment(h, st, id, run->n_experiments, run->programme,
                               err);
    sqlite3_finalize(st);
    return rc;
}

static int insert_goals(we_history *h, long id, const we_history_input *in,
                        we_error *err)
{
    const we_panel *p = in->run->panel;
    sqlite3_stmt *st;
    int rc = 0;
    if (in->targets != NULL && in->targets->in != NULL) {
        if (we_hist_prepare(h, "INSERT INTO targets (run_id, pos, area, "
                            "indicator, deadline, status, current_value) "
                            "VALUES (?,?,?,?,?,?,?)", &st, err) != 0)
            return -1;
        for (size_t i = 0; rc == 0 && i < in->targets->in->n; i++) {
            const we_wijk_target *t = &in->targets->in->t[i];
            const we_target_result *r = &in->targets->res[i];
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
            we_hist_bind_text(st, 3, p->areas[t->area].code);
            we_hist_bind_text(st, 4, t->indicator >= 0
                                         ? p->catalog[t->indicator].indicator
                                         : "");
            sqlite3_bind_int(st, 5, t->deadline);
            we_hist_bind_text(st, 6, we_goal_status_name(r->status));
            we_hist_bind_num(st, 7, r->current_value);
            rc = step_done(h, st, err);
        }
        sqlite3_finalize(st);
    }
    if (rc != 0 || in->policy == NULL)
        return rc;
    if (we_hist_prepare(h, "INSERT INTO policy_return (run_id, experiment, "
                        "total_eur, per_resident, per_sd, per_sd_status, "
                        "rank) VALUES (?,?,?,?,?,?,?)", &st, err) != 0)
        return -1;
    for (size_t k = 0; rc == 0 && k < in->policy->n &&
                       k < in->run->n_experiments; k++) {
        const we_policy_return *r = &in->policy->per_exp[k];
        sqlite3_bind_int64(st, 1, id);
        we_hist_bind_text(st, 2, in->run->experiments[k].id);
        we_hist_bind_num(st, 3, r->has_costs ? r->total_eur : NAN);
        we_hist_bind_num(st, 4, r->per_resident);
        we_hist_bind_num(st, 5, r->per_sd.value);
        we_hist_bind_text(st, 6, we_cpe_status_name(r->per_sd.status));
        sqlite3_bind_int64(st, 7, r->rank);
        rc = step_done(h, st, err);
    }
    sqlite3_finalize(st);
    return rc;
}

static int insert_cells(we_history *h, long id, const we_hist_snapshot *s,
                        we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "INSERT INTO cell_hashes (run_id, indicator, "
                        "period, n_cells, digest, cells) VALUES "
                        "(?,?,?,?,?,?)", &st, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < s->n_cells; i++) {
        const we_hist_cells *c = &s->cells[i];
        sqlite3_bind_int64(st, 1, id);
        we_hist_bind_text(st, 2, c->indicator);
        sqlite3_bind_int(st, 3, c->period);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)c->n_cells);
        sqlite3_bind_blob(st, 5, c->digest, 32, SQLITE_STATIC);
        if (c->cells != NULL)
            sqlite3_bind_blob(st, 6, c->cells, (int)(c->n_cells * 4),
                              SQLITE_STATIC);
        rc = step_done(h, st, err);
    }
    sqlite3_finalize(st);
    return rc;
}

/* For tests/e2e/history.sh only: WE_HISTORY_TEST_PAUSE_MS holds the
 * transaction open, everything written but not committed, so that the
 * test can kill the process in the middle of the write. */
static void test_pause(void)
{
    const char *v = getenv("WE_HISTORY_TEST_PAUSE_MS");
    long ms = v != NULL ? strtol(v, NULL, 10) : 0;
    if (ms <= 0 || ms > 60000)
        return;
    fprintf(stderr, "wijkeval: history: pausing %ld ms before the commit "
            "(WE_HISTORY_TEST_PAUSE_MS)\n", ms);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int we_history_record(we_history *h, const we_history_input *in, long *id,
                      we_error *err)
{
    we_hist_snapshot snap;
    if (we_hist_snapshot_build(&snap, in->run, err) != 0)
        return -1;
    /* IMMEDIATE: the write lock now, waiting up to the busy timeout,
     * rather than a deadlock between two readers turned writers. */
    int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
                     SQLITE_OK
                 ? 0
                 : we_hist_fail(h, err, "cannot start a transaction");
    if (rc == 0) {
        rc = insert_run(h, in, &snap, id, err);
        if (rc == 0)
            rc = insert_kv(h, *id, "INSERT INTO settings (run_id, key, "
                           "value) VALUES (?,?,?)", snap.settings,
                           snap.n_settings, 0, err);
        if (rc == 0)
            rc = insert_kv(h, *id, "INSERT INTO inputs (run_id, role, "
                           "path, sha256) VALUES (?,?,?,?)", snap.inputs,
                           snap.n_inputs, 1, err);
        if (rc == 0)
            rc = insert_experiments(h, *id, in->run, err);
        if (rc == 0)
            rc = insert_goals(h, *id, in, err);
        if (rc == 0)
            rc = insert_cells(h, *id, &snap, err);
        test_pause();
        if (rc == 0 &&
            sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = we_hist_fail(h, err, "cannot commit the run");
        if (rc != 0)
            sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
    }
    we_hist_snapshot_free(&snap);
    return rc;
}
