/* The fast reader of the indicators file, for the form wijkeval and most
 * exports write: the header area,period,indicator,value, ',' between
 * fields, no quotes. It streams the file in chunks (the whole file is
 * never in memory), hashes each chunk as it goes, and takes the shortcuts
 * that long files allow: rows of one area follow each other, and the
 * indicators come in the same order for every area and period.
 *
 * Whatever it does not handle (quotes, ';', other columns, a bad value, a
 * value beyond WE_VALUE_LIMIT, a period <= 0, a byte beyond ASCII, a line
 * longer than WE_MAX_LINE, an unknown area, a duplicate row, a path that
 * is not a regular file) makes it decline, and the general reader
 * reads the file from the start and reports the problem with its line and
 * column. Both readers fill the same cells (panel_cells.c), so the panel
 * is the same whichever read it; tests/unit/test_panel.c checks that. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/csv.h"
#include "data/number.h"
#include "data/panel_internal.h"
#include "util/input_file.h"
#include "util/strmap.h"

enum { CHUNK = 8 << 20, DECLINE = 0, DONE = 1, FAILED = -1 };

static const char HEADER[] = "area,period,indicator,value";

typedef struct fast {
    we_panel *p;
    we_cells cells;
    unsigned char *seen;  /* one bit per (slot, indicator, area) */
    size_t seen_bytes;
    size_t *marked;       /* per indicator: cells given as missing */
    size_t n_rows;
    /* The previous row, for the shortcuts. */
    const char *prev_area;
    size_t prev_area_len;
    long area;
    long ind;
    size_t *name_len;     /* of each catalogue indicator */
    unsigned char *name_ok;    /* its name has no ',': the shortcut applies */
    const unsigned char *want; /* NULL, or the indicators to keep */
} fast;

static void fast_free(fast *f)
{
    we_cells_free(&f->cells, f->p->n_indicators);
    free(f->seen);
    free(f->marked);
    free(f->name_len);
    free(f->name_ok);
}

/* The seen bits grow with the slots: n_areas x n_indicators bits each. */
static int mark_seen(fast *f, size_t slot, size_t k, size_t a)
{
    size_t per_slot = f->p->n_areas * f->p->n_indicators;
    size_t bit = slot * per_slot + k * f->p->n_areas + a;
    size_t need = (slot + 1) * ((per_slot + 7) / 8) + 1;
    if (need > f->seen_bytes) {
        size_t n = f->cells.cap_periods * ((per_slot + 7) / 8) + 1;
        unsigned char *s = realloc(f->seen, n);
        if (s == NULL)
            return FAILED;
        memset(s + f->seen_bytes, 0, n - f->seen_bytes);
        f->seen = s;
        f->seen_bytes = n;
    }
    unsigned char m = (unsigned char)(1u << (bit & 7));
    if (f->seen[bit >> 3] & m)
        return DECLINE; /* a duplicate: the general reader names both */
    f->seen[bit >> 3] |= m;
    return DONE;
}

/* The area of the row: the previous one, or a lookup. s is writable and
 * ends at a delimiter, which becomes the terminating NUL. */
static long find_area(fast *f, char *s, size_t n)
{
    if (n == f->prev_area_len && memcmp(s, f->prev_area, n) == 0)
        return f->area;
    s[n] = '\0';
    f->area = we_strmap_get(f->p->area_index, s);
    f->prev_area = s;
    f->prev_area_len = n;
    return f->area;
}

/* The indicator after the previous one, or a lookup. */
static long find_indicator(fast *f, char *s, size_t n)
{
    const we_panel *p = f->p;
    size_t next = f->ind >= 0 ? (size_t)f->ind + 1 : 0;
    if (next >= p->n_indicators)
        next = 0;
    if (n == f->name_len[next] &&
        memcmp(s, p->catalog[next].indicator, n) == 0)
        return f->ind = (long)next;
    s[n] = '\0';
    return f->ind = we_strmap_get(p->indicator_index, s);
}

/* The shortcuts: the previous row's area and the catalogue's next
 * indicator, each followed by ','. They give the same field as the
 * search for the next ',' (neither name holds a ','), so the row reads
 * the same; NULL when they do not apply. */
static char *same_area(const fast *f, char *s, const char *e)
{
    size_t n = f->prev_area_len;
    if (f->prev_area == NULL || (size_t)(e - s) <= n || s[n] != ',' ||
        memcmp(s, f->prev_area, n) != 0)
        return NULL;
    return s + n;
}

static char *next_indicator(fast *f, char *s, const char *e)
{
    const we_panel *p = f->p;
    size_t next = f->ind >= 0 ? (size_t)f->ind + 1 : 0;
    if (next >= p->n_indicators)
        next = 0;
    size_t n = f->name_len[next];
    if (!f->name_ok[next] || (size_t)(e - s) <= n || s[n] != ',' ||
        memcmp(s, p->catalog[next].indicator, n) != 0)
        return NULL;
    f->ind = (long)next;
    return s + n;
}

/* The period field from s up to the next ',' (*c2 set to it): 1 to 9
 * digits, not 0; DECLINE otherwise (the general reader names it). */
static int scan_period(char *s, const char *e, char **c2, int *out)
{
    char *c = s;
    int v = 0;
    while (c < e && c - s < 10) {
        unsigned d = (unsigned)(unsigned char)*c - '0';
        if (d > 9)
            break;
        v = v * 10 + (int)d;
        c++;
    }
    if (c == s || c - s > 9 || c >= e || *c != ',' || v == 0)
        return DECLINE; /* periods are positive: the general reader says so */
    *c2 = c;
    *out = v;
    return DONE;
}

/* The value: the exact fast path, else the general parser's rules. */
static int parse_value(char *s, size_t n, double *v, int *marked)
{
    *marked = 0;
    if (we_fast_decimal(s, s + n, v))
        return fabs(*v) > WE_VALUE_LIMIT ? DECLINE : DONE;
    if (memchr(s, ',', n) != NULL)
        return DECLINE; /* a fifth field */
    s[n] = '\0';
    int rc = we_csv_number(NULL, s, v);
    if (rc < 0 || (rc == 0 && fabs(*v) > WE_VALUE_LIMIT))
        return DECLINE; /* the general reader names the cell */
    *marked = rc == 1;
    return DONE;
}

static int store(fast *f, long a, long k, int period, double v, int marked)
{
    we_panel *p = f->p;
    long slot = we_cells_slot(&f->cells, p->n_indicators, period);
    if (slot < 0)
        return FAILED;
    int rc = mark_seen(f, (size_t)slot, (size_t)k, (size_t)a);
    if (rc != DONE)
        return rc;
    we_cellblock *b = we_cells_block(&f->cells, p->n_areas, p->n_indicators,
                                     (size_t)slot, (size_t)k, 0);
    if (b == NULL)
        return FAILED;
    b->v[a] = v;
    f->marked[k] += (size_t)marked;
    f->n_rows++;
    return DONE;
}

/* One line [s, e), without its '\n'. */
static int read_line(fast *f, char *s, char *e)
{
    if (e > s && e[-1] == '\r')
        e--;
    if (e == s)
        return DONE; /* a blank line, skipped as by the general reader */
    if ((size_t)(e - s) > WE_MAX_LINE)
        return DECLINE;
    int period, marked;
    double v;
    long a, k;
    /* The fields by the shortcuts, else by searching for ','. */
    char *c1 = same_area(f, s, e), *c2 = NULL, *c3;
    if (c1 != NULL)
        a = f->area;
    else {
        c1 = memchr(s, ',', (size_t)(e - s));
        if (c1 == NULL)
            return DECLINE;
        a = find_area(f, s, (size_t)(c1 - s));
    }
    if (a < 0 || scan_period(c1 + 1, e, &c2, &period) != DONE)
        return DECLINE;
    c3 = next_indicator(f, c2 + 1, e);
    if (c3 != NULL)
        k = f->ind;
    else {
        c3 = memchr(c2 + 1, ',', (size_t)(e - c2 - 1));
        if (c3 == NULL)
            return DECLINE;
        k = find_indicator(f, c2 + 1, (size_t)(c3 - c2 - 1));
    }
    if (k >= 0 && f->want != NULL && !f->want[k]) {
        /* Another indicator's row: keys checked, its period counts for
         * the panel's periods, its value is not read. */
        if (memchr(c3 + 1, ',', (size_t)(e - c3 - 1)) != NULL)
            return DECLINE;
        if (we_cells_slot(&f->cells, f->p->n_indicators, period) < 0)
            return FAILED;
        f->n_rows++;
        return DONE;
    }
    if (k < 0 || parse_value(c3 + 1, (size_t)(e - c3 - 1), &v, &marked) !=
                     DONE)
        return DECLINE;
    return store(f, a, k, period, v, marked);
}

/* Indicator files are ASCII (CBS codes, ids, numbers); other bytes, and
 * whether they are valid UTF-8, are left to the general reader. */
static int all_ascii(const char *buf, size_t n)
{
    const unsigned char *u = (const unsigned char *)buf;
    unsigned char any = 0;
    for (size_t i = 0; i < n; i++)
        any |= u[i];
    return any < 0x80;
}

/* The lines of buf[0, n) that end in '\n' (all of them at the end of the
 * file); *used is set to the bytes consumed. */
static int read_lines(fast *f, char *buf, size_t n, int at_end,
                      size_t *used)
{
    char *s = buf, *end = buf + n;
    if (memchr(buf, '"', n) != NULL || memchr(buf, '\0', n) != NULL ||
        !all_ascii(buf, n))
        return DECLINE;
    int rc = DONE;
    while (rc == DONE && s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        if (nl == NULL && !at_end)
            break;
        char *e = nl ? nl : end;
        /* The previous area's text must stay valid: find_area keeps a
         * pointer into the buffer, which moves between chunks. */
        rc = read_line(f, s, e);
        s = nl ? nl + 1 : end;
    }
    *used = (size_t)(s - buf);
    f->prev_area = NULL;
    f->prev_area_len = (size_t)-1;
    return rc;
}

/* The header line, after a UTF-8 BOM if there is one. */
static int header(const char *buf, size_t n, size_t *skip)
{
    size_t off = n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    size_t h = sizeof HEADER - 1;
    if (n < off + h + 1 || memcmp(buf + off, HEADER, h) != 0)
        return DECLINE;
    size_t i = off + h;
    if (buf[i] == '\r' && i + 1 < n)
        i++;
    if (buf[i] != '\n')
        return DECLINE;
    *skip = i + 1;
    return DONE;
}

/* ---- the checksum beside the parse ----------------------------------------
 * SHA-256 of the bytes read costs about a third of the parse; a second
 * thread hashes a copy of each chunk while this one parses it (the parse
 * writes NULs into its buffer). One slot: the reader waits for it to be
 * free before it copies the next chunk in, so the bytes are hashed in the
 * order read. Without a thread, the chunk is hashed inline, as before. */
typedef struct hasher {
    we_sha256 *h;
    char *slot;
    size_t len;   /* bytes in slot to hash; 0: free */
    int quit, threaded;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} hasher;

static void *hasher_main(void *arg)
{
    hasher *z = arg;
    pthread_mutex_lock(&z->mu);
    for (;;) {
        while (z->len == 0 && !z->quit)
            pthread_cond_wait(&z->cv, &z->mu);
        if (z->len == 0)
            break; /* quit, nothing pending */
        size_t n = z->len;
        pthread_mutex_unlock(&z->mu);
        we_sha256_update(z->h, z->slot, n);
        pthread_mutex_lock(&z->mu);
        z->len = 0;
        pthread_cond_broadcast(&z->cv);
    }
    pthread_mutex_unlock(&z->mu);
    return NULL;
}

static void hasher_start(hasher *z, we_sha256 *h)
{
    memset(z, 0, sizeof *z);
    z->h = h;
    if (h == NULL)
        return;
    z->slot = malloc(CHUNK);
    if (z->slot == NULL || pthread_mutex_init(&z->mu, NULL) != 0)
        return;
    if (pthread_cond_init(&z->cv, NULL) != 0) {
        pthread_mutex_destroy(&z->mu);
        return;
    }
    if (pthread_create(&z->tid, NULL, hasher_main, z) != 0) {
        pthread_cond_destroy(&z->cv);
        pthread_mutex_destroy(&z->mu);
        return;
    }
    z->threaded = 1;
}

static void hasher_add(hasher *z, const char *buf, size_t n)
{
    if (n == 0)
        return;
    if (z->h == NULL)
        return; /* no checksum asked */
    if (!z->threaded) {
        we_sha256_update(z->h, buf, n);
        return;
    }
    pthread_mutex_lock(&z->mu);
    while (z->len != 0)
        pthread_cond_wait(&z->cv, &z->mu);
    memcpy(z->slot, buf, n);
    z->len = n;
    pthread_cond_broadcast(&z->cv);
    pthread_mutex_unlock(&z->mu);
}

/* Waits for the last chunk to be hashed and ends the thread. */
static void hasher_stop(hasher *z)
{
    if (z->threaded) {
        pthread_mutex_lock(&z->mu);
        z->quit = 1;
        pthread_cond_broadcast(&z->cv);
        pthread_mutex_unlock(&z->mu);
        pthread_join(z->tid, NULL);
        pthread_cond_destroy(&z->cv);
        pthread_mutex_destroy(&z->mu);
    }
    free(z->slot);
}

/* Reads the file chunk by chunk; a line cut by a chunk's end moves to the
 * front of the buffer and is completed by the next read. */
static int read_file(fast *f, FILE *in, we_sha256 *h, const char *path,
                     we_error *err)
{
    char *buf = malloc(CHUNK + 1);
    if (buf == NULL)
        return we_fail(err, WE_ENOMEM, "%s: out of memory", path), FAILED;
    size_t have = 0, skip = 0;
    int rc = DONE, first = 1;
    hasher z;
    hasher_start(&z, h);
    while (rc == DONE) {
        size_t got = fread(buf + have, 1, CHUNK - have, in);
        if (ferror(in)) {
            rc = (we_fail(err, WE_EINVAL, "%s: cannot read: %s", path,
                          strerror(errno)),
                  FAILED);
            break;
        }
        hasher_add(&z, buf + have, got);
        have += got;
        int at_end = got == 0 || feof(in);
        if (first && (rc = header(buf, have, &skip)) != DONE)
            break;
        first = 0;
        if (have == CHUNK && memchr(buf + skip, '\n', have - skip) == NULL) {
            rc = DECLINE; /* a line longer than a chunk */
            break;
        }
        size_t used = 0;
        rc = read_lines(f, buf + skip, have - skip, at_end, &used);
        memmove(buf, buf + skip + used, have - skip - used);
        have -= skip + used;
        skip = 0;
        if (at_end && rc == DONE)
            break;
    }
    hasher_stop(&z);
    free(buf);
    return rc;
}

static int setup(fast *f, we_panel *p)
{
    memset(f, 0, sizeof *f);
    f->p = p;
    f->area = f->ind = -1;
    f->prev_area_len = (size_t)-1;
    f->marked = calloc(p->n_indicators + 1, sizeof *f->marked);
    f->name_len = calloc(p->n_indicators + 1, sizeof *f->name_len);
    f->name_ok = calloc(p->n_indicators + 1, 1);
    if (f->marked == NULL || f->name_len == NULL || f->name_ok == NULL)
        return FAILED;
    for (size_t k = 0; k < p->n_indicators; k++) {
        f->name_len[k] = strlen(p->catalog[k].indicator);
        f->name_ok[k] = strchr(p->catalog[k].indicator, ',') == NULL;
    }
    return DONE;
}

/* Moves what was read into p. */
static int commit(fast *f, const char *path, we_error *err)
{
    we_panel *p = f->p;
    if (f->n_rows == 0)
        return DECLINE; /* the general reader says what is missing */
    if (we_cells_build(p, &f->cells, path, err) != 0)
        return FAILED;
    memcpy(p->n_marked_missing, f->marked,
           p->n_indicators * sizeof *f->marked);
    p->n_rows = f->n_rows;
    return DONE;
}

static void undo(we_panel *p)
{
    for (size_t k = 0; k < p->n_indicators; k++) {
        free(p->values[k]);
        p->values[k] = NULL;
    }
    free(p->periods);
    p->periods = NULL;
    p->n_periods = 0;
}

int we_panel_read_values_fast(we_panel *p, const char *path, we_sha256 *h,
                              const unsigned char *want, we_error *err)
{
    we_error ignored = {{0}};
    FILE *in = we_open_input(path, NULL, &ignored);
    if (in == NULL)
        return DECLINE; /* the general reader says why */
    fast f;
    we_sha256 mine;
    if (h != NULL)
        mine = *h;
    int rc = setup(&f, p);
    f.want = want;
    if (rc == DONE)
        rc = read_file(&f, in, h != NULL ? &mine : NULL, path, err);
    else
        we_fail(err, WE_ENOMEM, "%s: out of memory", path);
    fclose(in);
    if (rc == DONE)
        rc = commit(&f, path, err);
    if (rc == DONE) {
        if (h != NULL)
            *h = mine;
    } else
        undo(p);
    fast_free(&f);
    return rc;
}
