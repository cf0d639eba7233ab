#include "pipeline/shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/wire.h"
#include "util/atomic_file.h"

static const char MAGIC[4] = {'W', 'E', 'S', 'H'};
enum { MAX_SHARDS = 10000 };

int we_shard_parse(const char *text, size_t *index, size_t *count)
{
    char *end;
    errno = 0;
    unsigned long long i = strtoull(text, &end, 10);
    if (end == text || *end != '/' || text[0] == '-' || errno != 0)
        return -1;
    const char *rest = end + 1;
    unsigned long long n = strtoull(rest, &end, 10);
    if (end == rest || *end != '\0' || rest[0] == '-' || errno != 0 ||
        i < 1 || n < 1 || i > n || n > MAX_SHARDS)
        return -1;
    *index = (size_t)i;
    *count = (size_t)n;
    return 0;
}

int we_shard_mine(size_t k, size_t index, size_t count)
{
    return count == 0 || k % count == index - 1;
}

/* ---- writing -------------------------------------------------------- */

static void put_u32(uint32_t v, FILE *f)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    fwrite(x, 1, 4, f);
}

static void put_str(const char *s, FILE *f)
{
    size_t n = strlen(s);
    put_u32((uint32_t)n, f);
    fwrite(s, 1, n, f);
}

static int write_part(const void *user, FILE *f, we_error *err)
{
    const we_run *run = user;
    const we_config *c = run->cfg;
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, c->seed);
    size_t mine = 0;
    for (size_t k = 0; k < run->n_experiments; k++)
        mine += (size_t)we_shard_mine(k, run->shard_index, run->shard_count);
    fwrite(MAGIC, 1, 4, f);
    unsigned char v[4] = {WE_SHARD_VERSION & 0xff, WE_SHARD_VERSION >> 8, 0,
                          0};
    fwrite(v, 1, 4, f);
    put_str(c->config_sha256, f);
    put_str(run->panel->data_sha256, f);
    put_str(seed, f);
    put_u32((uint32_t)run->shard_index, f);
    put_u32((uint32_t)run->shard_count, f);
    put_u32((uint32_t)run->n_experiments, f);
    put_u32((uint32_t)mine, f);
    for (size_t k = 0; k < run->n_experiments; k++) {
        if (!we_shard_mine(k, run->shard_index, run->shard_count))
            continue;
        we_wire_buf b = {0};
        we_wire_put_header(&b);
        we_wire_put_stage(&b, WE_STAGE_SEND);
        we_wire_put_run(&b, &run->experiments[k]);
        if (b.failed) {
            we_wire_buf_free(&b);
            return we_fail(err, WE_EINVAL,
                           "experiment %s: its results cannot be "
                           "encoded: %s",
                           run->experiments[k].id, b.why);
        }
        put_u32((uint32_t)k, f);
        put_str(run->experiments[k].id, f);
        put_u32((uint32_t)b.len, f);
        fwrite(b.data, 1, b.len, f);
        we_wire_buf_free(&b);
    }
    return 0;
}

int we_shard_write(const we_run *run, const char *dir, we_output *o,
                   char **path, we_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "part-%zu-of-%zu.wes", run->shard_index,
             run->shard_count);
    we_staged_file file = {0};
    if (we_mkdirs(dir, err) != 0 ||
        we_file_stage(&file, dir, name, write_part, run, err) != 0)
        return -1;
    if ((o != NULL && we_output_admit(o, &file, 1, err) != 0) ||
        we_files_commit(&file, 1, dir, err) != 0) {
        we_files_discard(&file, 1);
        return -1;
    }
    *path = we_strdup(file.final_path);
    we_files_discard(&file, 1);
    return 0;
}

/* ---- reading -------------------------------------------------------- */

typedef struct reader {
    const char *path;
    unsigned char *data;
    size_t len, pos;
} reader;

static int truncated(const reader *r, we_error *err)
{
    return we_fail(err, WE_EINVAL,
                   "%s: the part file is cut off at byte %zu; "
                   "write it again with wijkeval run --shard",
                   r->path, r->pos);
}

static int get_u32(reader *r, uint32_t *v, we_error *err)
{
    if (r->len - r->pos < 4)
        return truncated(r, err);
    const unsigned char *p = r->data + r->pos;
    *v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
    r->pos += 4;
    return 0;
}

/* A string into buf (size bytes with its NUL). */
static int get_str(reader *r, char *buf, size_t size, we_error *err)
{
    uint32_t n = 0;
    if (get_u32(r, &n, err) != 0)
        return -1;
    if (n >= size || r->len - r->pos < n)
        return n >= size ? we_fail(err, WE_EINVAL,
                                   "%s: byte %zu: a string of %u "
                                   "bytes is too long; this is not a "
                                   "wijkeval part file",
                                   r->path, r->pos, (unsigned)n)
                         : truncated(r, err);
    memcpy(buf, r->data + r->pos, n);
    buf[n] = '\0';
    r->pos += n;
    return 0;
}

static int slurp(reader *r, we_error *err)
{
    FILE *f = fopen(r->path, "rb");
    if (f == NULL)
        return we_fail(err, WE_EINVAL, "%s: cannot open: %s", r->path,
                       strerror(errno));
    size_t cap = 1 << 16;
    r->data = malloc(cap);
    r->len = 0;
    for (size_t got = 1; r->data != NULL && got > 0;) {
        if (r->len == cap) {
            unsigned char *d = realloc(r->data, cap *= 2);
            if (d == NULL) {
                free(r->data);
                r->data = NULL;
                break;
            }
            r->data = d;
        }
        got = fread(r->data + r->len, 1, cap - r->len, f);
        r->len += got;
    }
    int bad = ferror(f);
    fclose(f);
    if (r->data == NULL || bad)
        return we_fail(err, WE_ENOMEM, "%s: cannot read%s", r->path,
                       bad ? "" : ": out of memory");
    return 0;
}

/* The header: same config, data and seed as this run. */
static int check_header(reader *r, const we_run *run, uint32_t *i,
                        uint32_t *n, uint32_t *m, we_error *err)
{
    char cfg[80], data[80], seed[32], want[32];
    if (r->len < 8 || memcmp(r->data, MAGIC, 4) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s: not a wijkeval part file (written by "
                       "wijkeval run --shard i/n)",
                       r->path);
    unsigned version = r->data[4] | (unsigned)r->data[5] << 8;
    if (version != WE_SHARD_VERSION)
        return we_fail(err, WE_EINVAL,
                       "%s: part file version %u, this wijkeval "
                       "reads %d; write the parts with this version",
                       r->path, version, WE_SHARD_VERSION);
    r->pos = 8;
    uint32_t total = 0;
    if (get_str(r, cfg, sizeof cfg, err) || get_str(r, data, sizeof data, err) ||
        get_str(r, seed, sizeof seed, err) || get_u32(r, i, err) ||
        get_u32(r, n, err) || get_u32(r, &total, err) || get_u32(r, m, err))
        return -1;
    snprintf(want, sizeof want, "%" PRIu64, run->cfg->seed);
    if (strcmp(cfg, run->cfg->config_sha256) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s: written for another config (sha256 "
                       "%.12s..., this one %.12s...); merge with the "
                       "config the parts were run with",
                       r->path, cfg, run->cfg->config_sha256);
    if (strcmp(data, run->panel->data_sha256) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s: written from other data (sha256 "
                       "%.12s..., these %.12s...); merge with the data "
                       "the parts were run on",
                       r->path, data, run->panel->data_sha256);
    if (strcmp(seed, want) != 0)
        return we_fail(err, WE_EINVAL,
                       "%s: run with seed %s, this merge uses %s; "
                       "give the same --seed",
                       r->path, seed, want);
    if (total != run->n_experiments || *i < 1 || *i > *n)
        return we_fail(err, WE_EINVAL,
                       "%s: part %u of %u for %u experiments does "
                       "not fit this config's %zu",
                       r->path, (unsigned)*i, (unsigned)*n, (unsigned)total,
                       run->n_experiments);
    return 0;
}

static int read_entries(reader *r, we_shard_set *set, uint32_t m,
                        const we_run *run, we_error *err)
{
    for (uint32_t e = 0; e < m; e++) {
        uint32_t k = 0, len = 0;
        char id[128];
        if (get_u32(r, &k, err) || get_str(r, id, sizeof id, err) ||
            get_u32(r, &len, err))
            return -1;
        if (k >= set->n || strcmp(id, run->cfg->experiments[k].plugin) != 0)
            return we_fail(err, WE_EINVAL,
                           "%s: experiment %u ('%s') is not "
                           "experiment %u of this config",
                           r->path, (unsigned)k + 1, id, (unsigned)k + 1);
        if (set->msg[k] != NULL)
            return we_fail(err, WE_EINVAL,
                           "%s: experiment %s is also in another "
                           "part; give each part once",
                           r->path, id);
        if (r->len - r->pos < len)
            return truncated(r, err);
        if ((set->msg[k] = malloc(len ? len : 1)) == NULL)
            return we_fail(err, WE_ENOMEM, "%s: out of memory", r->path);
        memcpy(set->msg[k], r->data + r->pos, len);
        set->len[k] = len;
        r->pos += len;
        we_wire_msg msg;
        we_error why = {{0}};
        int bad = we_wire_decode(set->msg[k], len, &msg, &why) != 0 ||
                  !msg.complete || !msg.has_outcome;
        we_wire_msg_free(&msg);
        if (bad)
            return we_fail(err, WE_EINVAL,
                           "%s: the results of experiment %s are "
                           "damaged%s%s; run its shard again",
                           r->path, id, why.msg[0] ? ": " : "", why.msg);
    }
    if (r->pos != r->len)
        return we_fail(err, WE_EINVAL,
                       "%s: %zu bytes after the last experiment; "
                       "this part file is damaged",
                       r->path, r->len - r->pos);
    return 0;
}

static int read_one(we_shard_set *set, const char *path, const we_run *run,
                    unsigned char *seen, uint32_t *count, we_error *err)
{
    reader r = {.path = path};
    uint32_t i = 0, n = 0, m = 0;
    int rc = slurp(&r, err);
    if (rc == 0)
        rc = check_header(&r, run, &i, &n, &m, err);
    if (rc == 0 && *count == 0)
        *count = n;
    else if (rc == 0 && n != *count)
        rc = we_fail(err, WE_EINVAL,
                     "%s: part %u of %u, but the others are of %u; "
                     "merge the parts of one run",
                     path, (unsigned)i, (unsigned)n, (unsigned)*count);
    if (rc == 0 && seen[i - 1])
        rc = we_fail(err, WE_EINVAL, "%s: part %u is given twice", path,
                     (unsigned)i);
    if (rc == 0) {
        seen[i - 1] = 1;
        rc = read_entries(&r, set, m, run, err);
    }
    free(r.data);
    return rc;
}

int we_shard_read(we_shard_set *set, char *const *paths, size_t n_paths,
                  const we_run *run, we_error *err)
{
    memset(set, 0, sizeof *set);
    set->n = run->n_experiments;
    set->msg = calloc(set->n + 1, sizeof *set->msg);
    set->len = calloc(set->n + 1, sizeof *set->len);
    unsigned char *seen = calloc(MAX_SHARDS, 1);
    uint32_t count = 0;
    int rc = set->msg && set->len && seen
                 ? 0
                 : we_fail(err, WE_ENOMEM, "out of memory");
    for (size_t p = 0; rc == 0 && p < n_paths; p++)
        rc = read_one(set, paths[p], run, seen, &count, err);
    for (uint32_t i = 0; rc == 0 && i < count; i++)
        if (!seen[i])
            rc = we_fail(err, WE_EINVAL,
                         "part %u of %u is missing; give all %u "
                         "parts (part-*-of-%u.wes)",
                         (unsigned)i + 1, (unsigned)count, (unsigned)count,
                         (unsigned)count);
    free(seen);
    if (rc != 0)
        we_shard_set_free(set);
    return rc;
}

void we_shard_set_free(we_shard_set *set)
{
    for (size_t k = 0; set->msg && k < set->n; k++)
        free(set->msg[k]);
    free(set->msg);
    free(set->len);
    memset(set, 0, sizeof *set);
}
