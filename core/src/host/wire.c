/* Encoding and decoding of the child-to-host message (see wire.h). The
 * decoder trusts nothing: a plugin runs in the child and may have
 * scribbled over anything there. */
#include "host/wire.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "methods/methods.h"

/* The RESULT layout below lists every we_estimate field; a new field
 * must be added there and WE_WIRE_VERSION raised. */
#if defined(__LP64__)
_Static_assert(sizeof(we_estimate) == 112,
               "we_estimate changed: update the RESULT record in wire.c");
#endif

static const unsigned char MAGIC[4] = {'W', 'E', 'I', 'S'};

enum {
    REC_STAGE = 1,
    REC_RESULT = 2,
    REC_METRIC = 3,
    REC_OUTCOME = 4,
    REC_END = 5,
    REC_DESCRIPTOR = 6,
    REC_LOG = 7,
    REC_REFUSED = 8,
    REC_AREA_METRIC = 9,
    REC_WARNING = 10
};

#define REC_HEADER 5 /* type u8 + length u32 */
/* The largest payload: a METRIC with seven strings of the maximum. */
#define MAX_PAYLOAD (7 * (5 + (size_t)WE_WIRE_MAX_STRING) + 64)
/* An AREA_METRIC: that and a value per area. */
#define MAX_AREA_PAYLOAD (MAX_PAYLOAD + 8 * (size_t)WE_WIRE_MAX_AREAS)
/* A DESCRIPTOR: every indicator and setting spec with short names. */
#define MAX_DESCRIPTOR_PAYLOAD ((size_t)4 << 20)

static const char *const STAGE_NAMES[] = {"before loading",
                                          "while loading the plugin",
                                          "init", "evaluate", "fini",
                                          "after fini"};

const char *we_wire_stage_name(we_wire_stage s)
{
    return (unsigned)s < WE_STAGE_COUNT_ ? STAGE_NAMES[s] : "unknown stage";
}

/* ---- encoding --------------------------------------------------------- */

void we_wire_buf_free(we_wire_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static void buf_fail(we_wire_buf *b, const char *why)
{
    if (!b->failed)
        snprintf(b->why, sizeof b->why, "%s", why);
    b->failed = 1;
}

static void put_bytes(we_wire_buf *b, const void *p, size_t n)
{
    if (b->failed)
        return;
    if (n > WE_WIRE_MAX_BYTES - b->len) {
        buf_fail(b, "the results are larger than the 64 MiB a child may "
                    "send");
        return;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (d == NULL) {
            buf_fail(b, "out of memory while encoding the results");
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_uint(we_wire_buf *b, uint64_t v, size_t n)
{
    unsigned char le[8];
    for (size_t k = 0; k < n; k++)
        le[k] = (unsigned char)(v >> (8 * k));
    put_bytes(b, le, n);
}

static void put_u8(we_wire_buf *b, unsigned v) { put_uint(b, v, 1); }
static void put_i32(we_wire_buf *b, long v)
{
    put_uint(b, (uint32_t)(int32_t)v, 4);
}
static void put_i64(we_wire_buf *b, long v)
{
    put_uint(b, (uint64_t)(int64_t)v, 8);
}

static void put_f64(we_wire_buf *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_uint(b, bits, 8);
}

static void put_str(we_wire_buf *b, const char *what, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > WE_WIRE_MAX_STRING) {
        char why[200];
        snprintf(why, sizeof why, "%s is %zu bytes long, more than the "
                 "%d a result may carry", what, n, WE_WIRE_MAX_STRING);
        buf_fail(b, why);
        return;
    }
    put_uint(b, n, 4);
    put_bytes(b, s, n);
}

/* Starts a record; returns where its length goes, patched by rec_end. */
static size_t rec_begin(we_wire_buf *b, unsigned type)
{
    put_u8(b, type);
    size_t at = b->len;
    put_uint(b, 0, 4);
    return at;
}

static void rec_end(we_wire_buf *b, size_t at)
{
    if (b->failed)
        return;
    uint64_t n = b->len - at - 4;
    for (size_t k = 0; k < 4; k++)
        b->data[at + k] = (unsigned char)(n >> (8 * k));
}

void we_wire_put_header(we_wire_buf *b)
{
    put_bytes(b, MAGIC, sizeof MAGIC);
    put_uint(b, WE_WIRE_VERSION, 2);
    put_uint(b, 0, 2);
}

void we_wire_put_stage(we_wire_buf *b, we_wire_stage s)
{
    size_t at = rec_begin(b, REC_STAGE);
    put_u8(b, (unsigned)s);
    rec_end(b, at);
}

void we_wire_put_result(we_wire_buf *b, const we_result_rec *r)
{
    const we_estimate *e = &r->est;
    size_t at = rec_begin(b, REC_RESULT);
    put_str(b, "an indicator name", r->indicator);
    put_u8(b, (unsigned)r->role);
    put_i32(b, (long)e->method);
    put_f64(b, e->estimate);
    put_f64(b, e->se);
    put_f64(b, e->ci_low);
    put_f64(b, e->ci_high);
    put_f64(b, e->p_value);
    put_f64(b, e->df);
    put_i64(b, e->n_treated);
    put_i64(b, e->n_control);
    put_i64(b, e->n_obs);
    put_f64(b, e->baseline);
    put_f64(b, e->latest);
    put_i32(b, e->closing);
    put_i32(b, (long)e->inference);
    put_i64(b, e->inference_reps);
    rec_end(b, at);
}

static void put_opt_str(we_wire_buf *b, const char *what, const char *s);

/* The optional text of a metric (ABI 1.3). */
static void put_metric_text(we_wire_buf *b, const char *label_en,
                            const char *label_nl, const char *description_nl,
                            const char *unit_nl)
{
    put_opt_str(b, "a metric label", label_en);
    put_opt_str(b, "a metric label", label_nl);
    put_opt_str(b, "a metric description", description_nl);
    put_opt_str(b, "a metric unit", unit_nl);
}

void we_wire_put_metric(we_wire_buf *b, const we_metric_rec *m)
{
    size_t at = rec_begin(b, REC_METRIC);
    put_str(b, "a metric name", m->name);
    put_f64(b, m->value);
    put_str(b, "a metric unit", m->unit);
    put_str(b, "a metric description", m->description);
    put_metric_text(b, m->label_en, m->label_nl, m->description_nl,
                    m->unit_nl);
    rec_end(b, at);
}

void we_wire_put_area_metric(we_wire_buf *b, const we_area_metric_rec *m)
{
    if (m->n > WE_WIRE_MAX_AREAS) {
        buf_fail(b, "a per-wijk metric has more values than the "
                    "1048576 a result may carry");
        return;
    }
    size_t at = rec_begin(b, REC_AREA_METRIC);
    put_str(b, "a metric name", m->name);
    put_uint(b, m->n, 4);
    for (size_t i = 0; i < m->n; i++)
        put_f64(b, m->values[i]);
    put_str(b, "a metric unit", m->unit);
    put_str(b, "a metric description", m->description);
    put_metric_text(b, m->label_en, m->label_nl, m->description_nl,
                    m->unit_nl);
    rec_end(b, at);
}

void we_wire_put_warning(we_wire_buf *b, const char *message)
{
    size_t at = rec_begin(b, REC_WARNING);
    put_str(b, "a warning", message);
    rec_end(b, at);
}

void we_wire_put_outcome(we_wire_buf *b, we_exp_status status,
                         const char *error)
{
    size_t at = rec_begin(b, REC_OUTCOME);
    put_u8(b, status == WE_EXP_OK ? 0 : 1);
    put_str(b, "the error message", status == WE_EXP_OK ? "" : error);
    rec_end(b, at);
}

void we_wire_put_end(we_wire_buf *b)
{
    size_t at = rec_begin(b, REC_END);
    rec_end(b, at);
}

void we_wire_put_run(we_wire_buf *b, const we_experiment_run *x)
{
    for (size_t k = 0; k < x->n_results; k++)
        we_wire_put_result(b, &x->results[k]);
    for (size_t k = 0; k < x->n_metrics; k++)
        we_wire_put_metric(b, &x->metrics[k]);
    for (size_t k = 0; k < x->n_area_metrics; k++)
        we_wire_put_area_metric(b, &x->area_metrics[k]);
    for (size_t k = 0; k < x->n_warnings && k < WE_WARNINGS_MAX; k++)
        we_wire_put_warning(b, x->warnings[k]);
    we_wire_put_outcome(b, x->status,
                        x->error ? x->error : "failed without a message");
    we_wire_put_end(b);
}

static void put_opt_str(we_wire_buf *b, const char *what, const char *s)
{
    put_u8(b, s != NULL);
    if (s != NULL)
        put_str(b, what, s);
}

static void put_specs(we_wire_buf *b, const we_plugin_descriptor *d)
{
    size_t ni = d->indicators ? d->n_indicators : 0;
    size_t ns = d->settings ? d->n_settings : 0;
    if (ni > WE_WIRE_MAX_SPECS || ns > WE_WIRE_MAX_SPECS) {
        buf_fail(b, "the descriptor declares more than 10000 indicators "
                    "or settings");
        return;
    }
    put_uint(b, ni, 4);
    for (size_t k = 0; k < ni; k++) {
        put_str(b, "an indicator name", d->indicators[k].name);
        put_u8(b, (unsigned)d->indicators[k].role & 0xff);
        put_i32(b, (long)d->indicators[k].direction);
    }
    put_uint(b, ns, 4);
    for (size_t k = 0; k < ns; k++) {
        put_str(b, "a setting name", d->settings[k].name);
        put_u8(b, (unsigned)d->settings[k].type & 0xff);
        put_opt_str(b, "a setting description", d->settings[k].description);
    }
}

void we_wire_put_descriptor(we_wire_buf *b, const we_plugin_descriptor *d)
{
    size_t at = rec_begin(b, REC_DESCRIPTOR);
    put_uint(b, d->abi_major, 2);
    put_uint(b, d->abi_minor, 2);
    put_uint(b, d->struct_size, 4);
    const char *const text[] = {d->id,      d->title_nl,   d->title_en,
                                d->version, d->summary,    d->maintainer,
                                d->summary_nl};
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
        put_opt_str(b, "a descriptor field", text[k]);
    put_u8(b, (d->init ? WE_WIRE_HAS_INIT : 0) |
                  (d->evaluate ? WE_WIRE_HAS_EVALUATE : 0) |
                  (d->fini ? WE_WIRE_HAS_FINI : 0));
    put_specs(b, d);
    rec_end(b, at);
}

void we_wire_put_refused(we_wire_buf *b, const char *why)
{
    size_t at = rec_begin(b, REC_REFUSED);
    put_str(b, "the refusal", why);
    rec_end(b, at);
}

void we_wire_put_log(we_wire_buf *b, int level, const char *message)
{
    size_t at = rec_begin(b, REC_LOG);
    put_u8(b, (unsigned)level & 0xff);
    put_str(b, "a log message", message);
    rec_end(b, at);
}

/* ---- decoding --------------------------------------------------------- */

/* A bounded view of one record's payload. */
typedef struct reader {
    const unsigned char *p;
    size_t len, off;
    size_t at; /* offset of the record in the message, for messages */
    int short_read;
} reader;

static uint64_t get_uint(reader *r, size_t n)
{
    if (r->short_read || n > r->len - r->off) {
        r->short_read = 1;
        return 0;
    }
    uint64_t v = 0;
    for (size_t k = 0; k < n; k++)
        v |= (uint64_t)r->p[r->off + k] << (8 * k);
    r->off += n;
    return v;
}

static long get_i32(reader *r) { return (int32_t)(uint32_t)get_uint(r, 4); }
static long get_i64(reader *r) { return (long)(int64_t)get_uint(r, 8); }

static double get_f64(reader *r)
{
    uint64_t bits = get_uint(r, 8);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* A string of at most WE_WIRE_MAX_STRING bytes without NUL; -1 with a
 * message otherwise. */
static int get_str(reader *r, const char *what, char **out, we_error *err)
{
    uint64_t n = get_uint(r, 4);
    if (r->short_read || n > r->len - r->off)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s runs past the end of "
                       "its record",
                       r->at, what);
    if (n > WE_WIRE_MAX_STRING)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s is %llu bytes long, "
                       "more than %d",
                       r->at, what, (unsigned long long)n, WE_WIRE_MAX_STRING);
    if (memchr(r->p + r->off, '\0', (size_t)n) != NULL)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s contains a NUL byte", r->at,
                       what);
    if ((*out = malloc((size_t)n + 1)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    memcpy(*out, r->p + r->off, (size_t)n);
    (*out)[n] = '\0';
    r->off += (size_t)n;
    return 0;
}

/* The payload must be used up exactly: a record of the wrong length is
 * as corrupt as a wrong value. */
static int end_of_record(const reader *r, const char *kind, we_error *err)
{
    if (r->short_read)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s record of %zu bytes "
                       "is too short",
                       r->at, kind, r->len);
    if (r->off != r->len)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s record has %zu "
                       "unexpected bytes at its end",
                       r->at, kind, r->len - r->off);
    return 0;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, c * size);
    if (p == NULL)
        return -1;
    *items = p;
    *cap = c;
    return 0;
}

/* No default: the compiler names a kind added to we_inference later. */
static int inference_known(we_inference i)
{
    switch (i) {
    case WE_INFERENCE_NONE:
    case WE_INFERENCE_T_PAIRED:
    case WE_INFERENCE_CR1:
    case WE_INFERENCE_WILD_RADEMACHER:
    case WE_INFERENCE_WILD_WEBB:
    case WE_INFERENCE_INFLUENCE:
    case WE_INFERENCE_PLACEBO:
    case WE_INFERENCE_JACKKNIFE:
    case WE_INFERENCE_BOOTSTRAP:
        return 1;
    }
    return 0;
}

static int read_estimate(reader *r, we_estimate *e, we_error *err)
{
    long method = get_i32(r);
    e->struct_size = sizeof *e;
    e->estimate = get_f64(r);
    e->se = get_f64(r);
    e->ci_low = get_f64(r);
    e->ci_high = get_f64(r);
    e->p_value = get_f64(r);
    e->df = get_f64(r);
    e->n_treated = get_i64(r);
    e->n_control = get_i64(r);
    e->n_obs = get_i64(r);
    e->baseline = get_f64(r);
    e->latest = get_f64(r);
    e->closing = (int)get_i32(r);
    long inference = get_i32(r);
    e->inference_reps = get_i64(r);
    if (end_of_record(r, "RESULT", err) != 0)
        return -1;
    if (method < 0 || method >= WE_METHOD_COUNT_)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: method %ld is not a "
                       "known method (0 to %d)",
                       r->at, method, WE_METHOD_COUNT_ - 1);
    if (inference < 0 || inference > 255 ||
        !inference_known((we_inference)inference))
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: inference %ld is not a "
                       "known kind",
                       r->at, inference);
    e->method = (we_method)method;
    e->inference = (we_inference)inference;
    return 0;
}

static int read_result(reader *r, we_wire_msg *m, we_error *err)
{
    we_experiment_run *x = &m->run;
    if (x->n_results == WE_WIRE_MAX_RESULTS)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: more than %d results", r->at,
                       WE_WIRE_MAX_RESULTS);
    if (grow((void **)&x->results, &x->cap_results, x->n_results,
             sizeof *x->results) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    we_result_rec *rec = &x->results[x->n_results];
    memset(rec, 0, sizeof *rec);
    if (get_str(r, "the indicator name", &rec->indicator, err) != 0)
        return -1;
    x->n_results++; /* owns the name from here, for we_wire_msg_free */
    unsigned role = (unsigned)get_uint(r, 1);
    if (read_estimate(r, &rec->est, err) != 0)
        return -1;
    if (role > WE_ROLE_SECONDARY)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: role %u is neither "
                       "primary (0) nor secondary (1)",
                       r->at, role);
    rec->role = (we_role)role;
    return 0;
}

static int get_opt_str(reader *r, const char *what, char **out,
                       we_error *err);

static int get_metric_text(reader *r, char **label_en, char **label_nl,
                           char **description_nl, char **unit_nl,
                           we_error *err)
{
    if (get_opt_str(r, "the metric label", label_en, err) != 0 ||
        get_opt_str(r, "the metric label", label_nl, err) != 0 ||
        get_opt_str(r, "the metric description", description_nl, err) != 0)
        return -1;
    return get_opt_str(r, "the metric unit", unit_nl, err);
}

static int read_metric(reader *r, we_wire_msg *m, we_error *err)
{
    we_experiment_run *x = &m->run;
    if (x->n_metrics == WE_WIRE_MAX_METRICS)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: more than %d metrics", r->at,
                       WE_WIRE_MAX_METRICS);
    if (grow((void **)&x->metrics, &x->cap_metrics, x->n_metrics,
             sizeof *x->metrics) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    we_metric_rec *rec = &x->metrics[x->n_metrics++];
    memset(rec, 0, sizeof *rec);
    if (get_str(r, "the metric name", &rec->name, err) != 0)
        return -1;
    rec->value = get_f64(r);
    if (get_str(r, "the metric unit", &rec->unit, err) != 0 ||
        get_str(r, "the metric description", &rec->description, err) != 0 ||
        get_metric_text(r, &rec->label_en, &rec->label_nl,
                        &rec->description_nl, &rec->unit_nl, err) != 0)
        return -1;
    return end_of_record(r, "METRIC", err);
}

static int read_area_metric(reader *r, we_wire_msg *m, we_error *err)
{
    we_experiment_run *x = &m->run;
    if (x->n_area_metrics + x->n_metrics >= WE_WIRE_MAX_METRICS)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: more than %d metrics", r->at,
                       WE_WIRE_MAX_METRICS);
    if (grow((void **)&x->area_metrics, &x->cap_area_metrics,
             x->n_area_metrics, sizeof *x->area_metrics) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    we_area_metric_rec *rec = &x->area_metrics[x->n_area_metrics++];
    memset(rec, 0, sizeof *rec);
    if (get_str(r, "the metric name", &rec->name, err) != 0)
        return -1;
    uint64_t n = get_uint(r, 4);
    if (r->short_read || n > (r->len - r->off) / 8)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: the per-wijk metric's values "
                       "run past the end of its record",
                       r->at);
    if ((rec->values = malloc((n ? (size_t)n : 1) * sizeof *rec->values)) ==
        NULL)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    rec->n = (size_t)n;
    for (size_t i = 0; i < rec->n; i++)
        rec->values[i] = get_f64(r);
    if (get_str(r, "the metric unit", &rec->unit, err) != 0 ||
        get_str(r, "the metric description", &rec->description, err) != 0 ||
        get_metric_text(r, &rec->label_en, &rec->label_nl,
                        &rec->description_nl, &rec->unit_nl, err) != 0)
        return -1;
    return end_of_record(r, "AREA_METRIC", err);
}

static int read_warning(reader *r, we_wire_msg *m, we_error *err)
{
    we_experiment_run *x = &m->run;
    if (x->n_warnings >= WE_WARNINGS_MAX)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: more than %d warnings", r->at,
                       WE_WARNINGS_MAX);
    if (grow((void **)&x->warnings, &x->cap_warnings, x->n_warnings,
             sizeof *x->warnings) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the results");
    char *w = NULL;
    if (get_str(r, "a warning", &w, err) != 0)
        return -1;
    x->warnings[x->n_warnings++] = w;
    return end_of_record(r, "WARNING", err);
}

static int read_outcome(reader *r, we_wire_msg *m, we_error *err)
{
    unsigned status = (unsigned)get_uint(r, 1);
    char *error = NULL;
    if (get_str(r, "the error message", &error, err) != 0)
        return -1;
    m->run.error = error;
    if (end_of_record(r, "OUTCOME", err) != 0)
        return -1;
    if (status > WE_EXP_FAILED)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: status %u is neither ok "
                       "(0) nor failed (1)",
                       r->at, status);
    m->run.status = (we_exp_status)status;
    m->has_outcome = 1;
    return 0;
}

static int get_opt_str(reader *r, const char *what, char **out,
                       we_error *err)
{
    *out = NULL;
    unsigned present = (unsigned)get_uint(r, 1);
    if (present > 1)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s has presence flag %u",
                       r->at, what, present);
    return present ? get_str(r, what, out, err) : 0;
}

/* A count of specs, each allocated zeroed so that a failure half-way
 * leaves something we_plugin_desc_free can free. */
static int get_count(reader *r, const char *what, size_t size, void **items,
                     size_t *n, we_error *err)
{
    uint64_t c = get_uint(r, 4);
    if (r->short_read || c > WE_WIRE_MAX_SPECS)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: %s count %llu is missing or "
                       "more than %d",
                       r->at, what, (unsigned long long)c, WE_WIRE_MAX_SPECS);
    if (c > 0 && (*items = calloc((size_t)c, size)) == NULL)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the "
                                       "descriptor");
    *n = (size_t)c;
    return 0;
}

static int read_indicators(reader *r, we_plugin_descriptor *d,
                           we_error *err)
{
    void *items = NULL;
    size_t n = 0;
    int rc = get_count(r, "indicator", sizeof(we_indicator_spec), &items,
                       &n, err);
    we_indicator_spec *ind = items;
    d->indicators = ind;
    d->n_indicators = n;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        char *name = NULL;
        rc = get_str(r, "an indicator name", &name, err);
        ind[k].name = name;
        ind[k].role = (we_role)get_uint(r, 1);
        ind[k].direction = (we_direction)get_i32(r);
    }
    return rc;
}

static int read_settings(reader *r, we_plugin_descriptor *d, we_error *err)
{
    void *items = NULL;
    size_t n = 0;
    int rc = get_count(r, "setting", sizeof(we_setting_spec), &items, &n,
                       err);
    we_setting_spec *set = items;
    d->settings = set;
    d->n_settings = n;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        char *name = NULL, *description = NULL;
        rc = get_str(r, "a setting name", &name, err);
        set[k].name = name;
        set[k].type = (we_setting_type)get_uint(r, 1);
        if (rc == 0)
            rc = get_opt_str(r, "a setting description", &description,
                             err);
        set[k].description = description;
    }
    return rc;
}

static int read_descriptor(reader *r, we_wire_msg *m, we_error *err)
{
    we_plugin_descriptor *d = &m->desc;
    m->has_descriptor = 1; /* owns what is decoded from here */
    d->abi_major = (uint16_t)get_uint(r, 2);
    d->abi_minor = (uint16_t)get_uint(r, 2);
    d->struct_size = (uint32_t)get_uint(r, 4);
    const char **text[] = {&d->id,      &d->title_nl, &d->title_en,
                           &d->version, &d->summary,  &d->maintainer,
                           &d->summary_nl};
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++) {
        char *s = NULL;
        int rc = get_opt_str(r, "a descriptor field", &s, err);
        *text[k] = s;
        if (rc != 0)
            return -1;
    }
    m->callbacks = (unsigned)get_uint(r, 1);
    if (m->callbacks > 7)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: callbacks %#x", r->at,
                       m->callbacks);
    if (read_indicators(r, d, err) != 0 || read_settings(r, d, err) != 0)
        return -1;
    return end_of_record(r, "DESCRIPTOR", err);
}

static int read_log(reader *r, we_wire_msg *m, we_error *err)
{
    if (m->n_logs == WE_WIRE_MAX_LOGS)
        return we_fail(err, WE_EINVAL, "record at byte %zu: more than %d "
                       "log messages", r->at, WE_WIRE_MAX_LOGS);
    size_t cap = m->cap_logs; /* both arrays grow alike */
    if (grow((void **)&m->logs, &cap, m->n_logs, sizeof *m->logs) != 0 ||
        grow((void **)&m->log_levels, &m->cap_logs, m->n_logs,
             sizeof *m->log_levels) != 0)
        return we_fail(err, WE_ENOMEM, "out of memory decoding the log");
    int level = (int)get_uint(r, 1);
    char *msg = NULL;
    if (get_str(r, "a log message", &msg, err) != 0)
        return -1;
    if (level > WE_LOG_DEBUG) {
        free(msg);
        return we_fail(err, WE_EINVAL, "record at byte %zu: log level %d "
                       "is not a we_log_level", r->at, level);
    }
    m->logs[m->n_logs] = msg;
    m->log_levels[m->n_logs++] = level;
    return end_of_record(r, "LOG", err);
}

static int read_refused(reader *r, we_wire_msg *m, we_error *err)
{
    if (get_str(r, "the refusal", &m->refused, err) != 0)
        return -1;
    return end_of_record(r, "REFUSED", err);
}

static int read_stage(reader *r, we_wire_msg *m, we_error *err)
{
    unsigned s = (unsigned)get_uint(r, 1);
    if (end_of_record(r, "STAGE", err) != 0)
        return -1;
    if (s <= (unsigned)m->stage || s >= WE_STAGE_COUNT_)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: stage %u does not follow "
                       "stage %d",
                       r->at, s, (int)m->stage);
    m->stage = (we_wire_stage)s;
    return 0;
}

/* Which records may come where: stages first, the rest while sending,
 * the outcome once, END last. */
static int check_order(const reader *r, unsigned type, const we_wire_msg *m,
                       we_error *err)
{
    static const char *const names[] = {"",           "STAGE",   "RESULT",
                                        "METRIC",     "OUTCOME", "END",
                                        "DESCRIPTOR", "LOG",     "REFUSED",
                                        "AREA_METRIC", "WARNING"};
    if (type < REC_STAGE || type > REC_WARNING)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: unknown record type %u", r->at,
                       type);
    int sending = m->stage == WE_STAGE_SEND;
    /* The outcome and every data record: only while sending, before the
     * outcome. */
    int running = m->stage >= WE_STAGE_INIT && m->stage <= WE_STAGE_FINI;
    int ok = type == REC_STAGE        ? !sending
             : type == REC_END        ? m->has_outcome
             : type == REC_DESCRIPTOR ? m->stage == WE_STAGE_LOAD &&
                                            !m->has_descriptor
             : type == REC_LOG        ? running
             : type == REC_REFUSED    ? sending && !m->has_outcome &&
                                            m->refused == NULL
                                      : sending && !m->has_outcome;
    if (!ok)
        return we_fail(err, WE_EINVAL,
                       "record at byte %zu: the %s record is out of "
                       "order",
                       r->at, names[type]);
    return 0;
}

static int read_record(reader *r, unsigned type, we_wire_msg *m,
                       we_error *err)
{
    if (check_order(r, type, m, err) != 0)
        return -1;
    switch (type) {
    case REC_STAGE: return read_stage(r, m, err);
    case REC_RESULT: return read_result(r, m, err);
    case REC_METRIC: return read_metric(r, m, err);
    case REC_OUTCOME: return read_outcome(r, m, err);
    case REC_DESCRIPTOR: return read_descriptor(r, m, err);
    case REC_LOG: return read_log(r, m, err);
    case REC_REFUSED: return read_refused(r, m, err);
    case REC_AREA_METRIC: return read_area_metric(r, m, err);
    case REC_WARNING: return read_warning(r, m, err);
    default:
        m->complete = 1;
        return end_of_record(r, "END", err);
    }
}

static int read_header(const unsigned char *buf, size_t len, we_wire_msg *m,
                       we_error *err)
{
    size_t n = len < sizeof MAGIC ? len : sizeof MAGIC;
    if (memcmp(buf, MAGIC, n) != 0)
        return we_fail(err, WE_EINVAL,
                       "the message does not start with the "
                       "wijkeval result header");
    if (len < WE_WIRE_HEADER_SIZE) {
        m->trailing = len;
        return 0;
    }
    unsigned version = buf[4] | (unsigned)buf[5] << 8;
    unsigned flags = buf[6] | (unsigned)buf[7] << 8;
    if (version != WE_WIRE_VERSION)
        return we_fail(err, WE_EINVAL,
                       "result message version %u, expected %d", version,
                       WE_WIRE_VERSION);
    if (flags != 0)
        return we_fail(err, WE_EINVAL, "result message flags %#x, expected 0",
                       flags);
    return 0;
}

int we_wire_decode(const unsigned char *buf, size_t len, we_wire_msg *m,
                   we_error *err)
{
    memset(m, 0, sizeof *m);
    m->run.headline = -1;
    if (len > WE_WIRE_MAX_BYTES)
        return we_fail(err, WE_EINVAL,
                       "the message is %zu bytes, more than %zu", len,
                       WE_WIRE_MAX_BYTES);
    if (read_header(buf, len, m, err) != 0 || m->trailing > 0)
        return m->trailing > 0 ? 0 : -1;
    size_t off = WE_WIRE_HEADER_SIZE;
    while (off < len) {
        if (m->complete)
            return we_fail(err, WE_EINVAL, "%zu bytes follow the END record",
                           len - off);
        if (len - off < REC_HEADER)
            break;
        unsigned type = buf[off];
        reader r = {.p = buf + off + 1, .len = 4, .at = off};
        size_t n = (size_t)get_uint(&r, 4);
        if (n > (type == REC_DESCRIPTOR    ? MAX_DESCRIPTOR_PAYLOAD
                 : type == REC_AREA_METRIC ? MAX_AREA_PAYLOAD
                                           : MAX_PAYLOAD))
            return we_fail(err, WE_EINVAL,
                           "record at byte %zu claims %zu bytes, "
                           "more than any record holds",
                           off, n);
        if (n > len - off - REC_HEADER)
            break;
        r = (reader){.p = buf + off + REC_HEADER, .len = n, .at = off};
        if (read_record(&r, type, m, err) != 0)
            return -1;
        off += REC_HEADER + n;
    }
    m->trailing = len - off;
    return 0;
}

void we_wire_msg_free(we_wire_msg *m)
{
    we_experiment_run_free(&m->run);
    if (m->has_descriptor)
        we_plugin_desc_free(&m->desc);
    for (size_t k = 0; k < m->n_logs; k++)
        free(m->logs[k]);
    free(m->logs);
    free(m->log_levels);
    free(m->refused);
    memset(m, 0, sizeof *m);
}

/* ---- validation -------------------------------------------------------- */

static const char *non_finite(double v)
{
    return isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
}

/* The rule host->emit_result applies (host/result_check.h): a child or a
 * part file that bypassed it is caught here. */
static int check_result(const we_experiment_run *x, size_t k,
                        const we_result_scope *scope, we_error *err)
{
    we_error why = {{0}};
    if (we_result_check(&x->results[k], x->results, k, scope, &why) == 0)
        return 0;
    return we_fail(err, WE_EINVAL, "result %zu: %s", k + 1, why.msg);
}

static int check_metric(const we_metric_rec *m, size_t k, we_error *err)
{
    if (m->name[0] == '\0')
        return we_fail(err, WE_EINVAL, "metric %zu has no name", k + 1);
    if (!isfinite(m->value))
        return we_fail(err, WE_EINVAL,
                       "metric %zu ('%s'): the value is %s; a "
                       "plugin must emit finite metrics",
                       k + 1, m->name, non_finite(m->value));
    return 0;
}

/* A metric name emitted twice, or a per-wijk metric that is not one
 * value per area: what host->emit_* refuses. */
static int check_metric_names(const we_experiment_run *x, we_error *err)
{
    size_t n = x->n_metrics + x->n_area_metrics;
    for (size_t k = 0; k < n; k++) {
        const char *a = k < x->n_metrics
                            ? x->metrics[k].name
                            : x->area_metrics[k - x->n_metrics].name;
        for (size_t j = 0; j < k; j++) {
            const char *b = j < x->n_metrics
                                ? x->metrics[j].name
                                : x->area_metrics[j - x->n_metrics].name;
            if (strcmp(a, b) == 0)
                return we_fail(err, WE_EINVAL,
                               "metric '%s' is emitted twice; each metric "
                               "name may be emitted once",
                               a);
        }
    }
    return 0;
}

static int check_area_metric(const we_area_metric_rec *m,
                             const we_result_scope *scope, we_error *err)
{
    if (m->name[0] == '\0')
        return we_fail(err, WE_EINVAL, "a per-wijk metric has no name");
    if (scope->n_areas > 0 && m->n != scope->n_areas)
        return we_fail(err, WE_EINVAL,
                       "per-wijk metric '%s' has %zu values for %zu "
                       "areas",
                       m->name, m->n, scope->n_areas);
    for (size_t i = 0; i < m->n; i++)
        if (isinf(m->values[i]))
            return we_fail(err, WE_EINVAL,
                           "per-wijk metric '%s': value %zu is %s", m->name,
                           i + 1, non_finite(m->values[i]));
    return 0;
}

int we_wire_validate(const we_wire_msg *m, const we_target_cfg *targets,
                     size_t n_targets, we_error *err)
{
    we_result_scope scope = {.targets = targets, .n_targets = n_targets};
    return we_wire_validate_in(m, &scope, err);
}

int we_wire_validate_in(const we_wire_msg *m, const we_result_scope *scope,
                        we_error *err)
{
    const we_experiment_run *x = &m->run;
    if (!m->complete || !m->has_outcome)
        return we_fail(err, WE_EINVAL, "the result message is incomplete");
    for (size_t k = 0; k < x->n_results; k++)
        if (check_result(x, k, scope, err) != 0)
            return -1;
    for (size_t k = 0; k < x->n_metrics; k++)
        if (check_metric(&x->metrics[k], k, err) != 0)
            return -1;
    for (size_t k = 0; k < x->n_area_metrics; k++)
        if (check_area_metric(&x->area_metrics[k], scope, err) != 0)
            return -1;
    if (check_metric_names(x, err) != 0)
        return -1;
    int has_error = x->error != NULL && x->error[0] != '\0';
    if (x->status == WE_EXP_FAILED && !has_error)
        return we_fail(err, WE_EINVAL,
                       "the experiment failed without a message");
    if (x->status == WE_EXP_OK && has_error)
        return we_fail(err, WE_EINVAL,
                       "the experiment is ok but carries an error");
    return 0;
}

void we_wire_adopt(we_experiment_run *o, we_wire_msg *m)
{
    we_experiment_run *x = &m->run;
    o->results = x->results;
    o->n_results = x->n_results;
    o->cap_results = x->cap_results;
    o->metrics = x->metrics;
    o->n_metrics = x->n_metrics;
    o->cap_metrics = x->cap_metrics;
    x->results = NULL;
    x->metrics = NULL;
    x->n_results = x->n_metrics = x->cap_results = x->cap_metrics = 0;
    o->area_metrics = x->area_metrics;
    o->n_area_metrics = x->n_area_metrics;
    o->cap_area_metrics = x->cap_area_metrics;
    o->warnings = x->warnings;
    o->n_warnings = x->n_warnings;
    o->cap_warnings = x->cap_warnings;
    x->area_metrics = NULL;
    x->warnings = NULL;
    x->n_area_metrics = x->cap_area_metrics = 0;
    x->n_warnings = x->cap_warnings = 0;
    o->status = x->status;
    free(o->error);
    o->error = NULL;
    if (x->status != WE_EXP_OK) {
        o->error = x->error;
        x->error = NULL;
    }
}
