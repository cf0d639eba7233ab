/* The `history` commands' reads, and forget (docs/history.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history/history_internal.h"

static const char run_cols[] =
    "SELECT r.id, r.name, r.series, r.status, r.version, r.started,"
    " r.finished, r.config_path, r.config_sha256, r.data_sha256,"
    " r.baseline, r.first_period, r.last_period,"
    " (SELECT count(*) FROM experiments e WHERE e.run_id = r.id"
    " AND e.programme = 0)"
    " FROM runs r";

static void read_run(sqlite3_stmt *st, we_history_run_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = (long)sqlite3_column_int64(st, 0);
    we_hist_col_text(st, 1, r->name, sizeof r->name);
    we_hist_col_text(st, 2, r->series, sizeof r->series);
    we_hist_col_text(st, 3, r->status, sizeof r->status);
    we_hist_col_text(st, 4, r->version, sizeof r->version);
    we_hist_col_text(st, 5, r->started, sizeof r->started);
    we_hist_col_text(st, 6, r->finished, sizeof r->finished);
    we_hist_col_text(st, 7, r->config, sizeof r->config);
    we_hist_col_text(st, 8, r->config_sha256, sizeof r->config_sha256);
    we_hist_col_text(st, 9, r->data_sha256, sizeof r->data_sha256);
    r->baseline = sqlite3_column_int(st, 10);
    r->first_period = sqlite3_column_int(st, 11);
    r->last_period = sqlite3_column_int(st, 12);
    r->n_experiments = (long)sqlite3_column_int64(st, 13);
}

/* Collects every row of st through read (elem bytes each). */
static int collect(we_history *h, sqlite3_stmt *st, size_t elem,
                   void (*read)(sqlite3_stmt *, void *), void **rows,
                   size_t *n, we_error *err)
{
    size_t cap = 0;
    char *a = NULL;
    *n = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char *b = realloc(a, cap * elem);
            if (b == NULL) {
                free(a);
                return we_fail(err, WE_ENOMEM, "out of memory");
            }
            a = b;
        }
        read(st, a + (*n)++ * elem);
    }
    if (s != SQLITE_DONE) {
        free(a);
        return we_hist_fail(h, err, "reading");
    }
    *rows = a;
    return 0;
}

static void read_run_v(sqlite3_stmt *st, void *r) { read_run(st, r); }

static void read_exp_v(sqlite3_stmt *st, void *p)
{
    we_history_exp_row *r = p;
    memset(r, 0, sizeof *r);
    r->run_id = (long)sqlite3_column_int64(st, 0);
    we_hist_col_text(st, 1, r->id, sizeof r->id);
    we_hist_read_side(st, &r->side);
    we_hist_col_text(st, 12, r->finished, sizeof r->finished);
    r->last_period = sqlite3_column_int(st, 13);
}

int we_history_list(we_history *h, const char *series,
                    we_history_run_row **rows, size_t *n, we_error *err)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%s%s ORDER BY r.id DESC", run_cols,
             series ? " WHERE r.series = ?" : "");
    sqlite3_stmt *st;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    if (series)
        we_hist_bind_text(st, 1, series);
    void *a = NULL;
    int rc = collect(h, st, sizeof **rows, read_run_v, &a, n, err);
    sqlite3_finalize(st);
    *rows = a;
    return rc;
}

/* The experiments (and the programme row), with the run's finish and
 * last period (columns 12 and 13). */
static int exps_where(we_history *h, const char *where, long id,
                      const char *series, we_history_exp_row **rows,
                      size_t *n, we_error *err)
{
    char sql[1024];
    /* we_hist_side_sql with two more columns from runs. */
    snprintf(sql, sizeof sql,
             "SELECT s.*, q.finished, q.last_period FROM (%s) s"
             " JOIN runs q ON q.id = s.run_id WHERE %s"
             " ORDER BY s.run_id, (SELECT pos FROM experiments x"
             " WHERE x.run_id = s.run_id AND x.id = s.id)",
             we_hist_side_sql, where);
    sqlite3_stmt *st;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    if (series)
        we_hist_bind_text(st, 1, series);
    else
        sqlite3_bind_int64(st, 1, id);
    void *a = NULL;
    int rc = collect(h, st, sizeof **rows, read_exp_v, &a, n, err);
    sqlite3_finalize(st);
    *rows = a;
    return rc;
}

int we_history_show(we_history *h, long id, we_history_run_row *run,
                    we_history_exp_row **exps, size_t *n, int *found,
                    we_error *err)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "%s WHERE r.id = ?", run_cols);
    sqlite3_stmt *st;
    *found = 0;
    *exps = NULL;
    *n = 0;
    if (we_hist_prepare(h, sql, &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        read_run(st, run);
        *found = 1;
    }
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return we_hist_fail(h, err, "reading a run");
    if (!*found)
        return 0;
    return exps_where(h, "s.run_id = ?", id, NULL, exps, n, err);
}

int we_history_trend(we_history *h, const char *series,
                     we_history_exp_row **rows, size_t *n, we_error *err)
{
    return exps_where(h, "q.series = ?", 0, series, rows, n, err);
}

int we_history_forget(we_history *h, long id, int *found, we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "DELETE FROM runs WHERE id = ?", &st, err) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return we_hist_fail(h, err, "forgetting a run");
    *found = sqlite3_changes(h->db) > 0;
    return 0;
}
