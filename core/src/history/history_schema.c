/* The history's schema and its migrations (PRAGMA user_version):
 * version 1 had runs, inputs, experiments, results, metrics, targets and
 * policy_return; version 2 added the series of a run, its settings and
 * the data's cell fingerprints; version 3 the DG verdict of each
 * experiment (we_experiment_run.judgement) and the programme row
 * (docs/history.md). */
#include <stdio.h>
#include <string.h>

#include "history/history_internal.h"

/* Version 1, as the first wijkeval with a history created it. */
static const char schema_v1[] =
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " title TEXT,"
    " status TEXT NOT NULL,"
    " config_path TEXT, config_sha256 TEXT, data_sha256 TEXT,"
    " version TEXT, seed TEXT,"
    " started TEXT, finished TEXT, recorded TEXT,"
    " baseline INTEGER, followup TEXT,"
    " first_period INTEGER, last_period INTEGER, n_areas INTEGER,"
    " report_dir TEXT);"
    "CREATE TABLE inputs ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL, path TEXT, sha256 TEXT,"
    " PRIMARY KEY (run_id, role));"
    "CREATE TABLE experiments ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL, id TEXT NOT NULL,"
    " title_nl TEXT, title_en TEXT, version TEXT,"
    " status TEXT NOT NULL, error TEXT,"
    " verdict TEXT, sms_level INTEGER, erkenning TEXT, evidence TEXT,"
    " design TEXT, headline INTEGER,"
    " PRIMARY KEY (run_id, id));"
    "CREATE TABLE results ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " experiment TEXT NOT NULL, pos INTEGER NOT NULL,"
    " indicator TEXT, role TEXT, method TEXT,"
    " estimate REAL, se REAL, ci_low REAL, ci_high REAL, p_value REAL,"
    " p_adjusted REAL, verdict TEXT, sms_level INTEGER,"
    " PRIMARY KEY (run_id, experiment, pos));"
    "CREATE TABLE metrics ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " experiment TEXT NOT NULL, pos INTEGER NOT NULL,"
    " name TEXT, value REAL, unit TEXT,"
    " PRIMARY KEY (run_id, experiment, pos));"
    "CREATE TABLE targets ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL, area TEXT, indicator TEXT, deadline INTEGER,"
    " status TEXT, current_value REAL,"
    " PRIMARY KEY (run_id, pos));"
    "CREATE TABLE policy_return ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " experiment TEXT NOT NULL, total_eur REAL, per_resident REAL,"
    " per_sd REAL, per_sd_status TEXT, rank INTEGER,"
    " PRIMARY KEY (run_id, experiment));"
    "PRAGMA user_version = 1;";

/* Version 1 -> 2. A version-1 run's series is its name. */
static const char migrate_v2[] =
    "ALTER TABLE runs ADD COLUMN series TEXT;"
    "UPDATE runs SET series = name;"
    "ALTER TABLE runs ADD COLUMN areas_sha256 TEXT;"
    "CREATE INDEX runs_series ON runs(series, id);"
    "CREATE TABLE settings ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, value TEXT,"
    " PRIMARY KEY (run_id, key));"
    "CREATE TABLE cell_hashes ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " indicator TEXT NOT NULL, period INTEGER NOT NULL,"
    " n_cells INTEGER NOT NULL, digest BLOB NOT NULL, cells BLOB,"
    " PRIMARY KEY (run_id, indicator, period));"
    "PRAGMA user_version = 2;";

/* Version 2 -> 3. Runs recorded before have no DG verdict (NULL): the
 * comparison then falls back to the interval verdict. */
static const char migrate_v3[] =
    "ALTER TABLE experiments ADD COLUMN judgement TEXT;"
    "ALTER TABLE experiments ADD COLUMN programme INTEGER NOT NULL DEFAULT 0;"
    "PRAGMA user_version = 3;";

static int exec(we_history *h, const char *sql, we_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(h->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    we_fail(err, WE_EINVAL, "%s: %s; move the file aside to start a new "
            "history (docs/history.md)", h->path, msg ? msg : "error");
    sqlite3_free(msg);
    return -1;
}

static int version_of(we_history *h, int *v, we_error *err)
{
    sqlite3_stmt *st;
    if (we_hist_prepare(h, "PRAGMA user_version", &st, err) != 0)
        return -1;
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : we_hist_fail(h, err, "reading the schema version");
}

int we_hist_migrate(we_history *h, we_error *err)
{
    int v;
    if (version_of(h, &v, err) != 0)
        return -1;
    if (v == WE_HISTORY_SCHEMA)
        return 0;
    if (v > WE_HISTORY_SCHEMA)
        return we_fail(err, WE_EINVAL,
                       "%s: the history has schema version %d, newer than "
                       "this wijkeval's %d; use a newer wijkeval, or "
                       "another --history file", h->path, v,
                       WE_HISTORY_SCHEMA);
    /* One writer migrates; another that waited finds it done. */
    if (exec(h, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    if (version_of(h, &v, err) != 0) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    int rc = 0;
    if (v == 0)
        rc = exec(h, schema_v1, err);
    if (rc == 0 && v < 2)
        rc = exec(h, migrate_v2, err);
    if (rc == 0 && v < 3)
        rc = exec(h, migrate_v3, err);
    if (rc != 0) {
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return exec(h, "COMMIT", err);
}
