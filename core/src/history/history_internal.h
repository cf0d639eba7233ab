/* Shared by the history's files: the connection, statements, and the
 * snapshot of a run that is recorded and compared. */
#ifndef WE_HISTORY_INTERNAL_H
#define WE_HISTORY_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "history/history.h"

struct we_history {
    sqlite3 *db;
    char *path;
};

/* A failure of SQLite, with the file and what to do. */
int we_hist_fail(we_history *h, we_error *err, const char *what);
/* Prepares sql; on error fills err. */
int we_hist_prepare(we_history *h, const char *sql, sqlite3_stmt **st,
                    we_error *err);
/* Binds text (NULL for a NULL pointer), a double (NULL for NaN). */
int we_hist_bind_text(sqlite3_stmt *st, int i, const char *s);
int we_hist_bind_num(sqlite3_stmt *st, int i, double v);
/* Column text copied into buf ("" for NULL); double NaN for NULL. */
void we_hist_col_text(sqlite3_stmt *st, int i, char *buf, size_t n);
double we_hist_col_num(sqlite3_stmt *st, int i);

/* One key and its value: a setting or an input file. */
typedef struct we_hist_kv {
    char key[64];
    char value[512];
    char extra[65]; /* inputs: the file's SHA-256 */
} we_hist_kv;

/* The per-indicator, per-period fingerprint of the panel
 * (docs/history.md, "Revised data"). */
typedef struct we_hist_cells {
    const char *indicator;  /* the panel's */
    int period;
    size_t n_cells;
    unsigned char digest[32];
    unsigned char *cells;   /* n_cells * 4 bytes, or NULL (not kept) */
} we_hist_cells;

typedef struct we_hist_snapshot {
    we_hist_kv *settings;
    size_t n_settings;
    we_hist_kv *inputs;
    size_t n_inputs;
    we_hist_cells *cells;
    size_t n_cells;
    char areas_sha256[65];
} we_hist_snapshot;

/* Above this many cells in the panel only the digests are kept. */
#define WE_HIST_MAX_CELLS 4000000u

int we_hist_snapshot_build(we_hist_snapshot *s, const we_run *run,
                           we_error *err);
void we_hist_snapshot_free(we_hist_snapshot *s);

/* The experiments with their headline (compare.c): a SELECT to which a
 * WHERE clause is appended; columns run_id, id, then the side. */
extern const char *const we_hist_side_sql;
void we_hist_read_side(sqlite3_stmt *st, we_sp_side *s);

/* The schema, as SQL (history_schema.c). */
int we_hist_migrate(we_history *h, we_error *err);

#endif
