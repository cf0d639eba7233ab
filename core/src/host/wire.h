/* The message an experiment's child process sends to the host over a
 * pipe: what the plugin emitted and how its run ended.
 *
 * Layout (all integers little-endian, doubles as IEEE-754 bit patterns):
 *
 *   header   "WEIS" (4 bytes), version u16, flags u16 (0)
 *   record   type u8, payload length u32, payload
 *   string   length u32, bytes (no NUL inside, no terminator)
 *
 *   STAGE    u8 stage            the child is about to enter it
 *   DESCRIPTOR  the plugin's descriptor, as the child loaded it (below)
 *   LOG      u8 level, string message: a host->log message, sent only
 *            when the host collects them (check-plugin)
 *   REFUSED  string: the first result or metric the host refused (while
 *            sending, before the OUTCOME; at most once)
 *   RESULT   string indicator, u8 role, the we_estimate fields in order
 *   METRIC   string name, f64 value, string unit, string description,
 *            then the optional strings label_en, label_nl,
 *            description_nl, unit_nl (u8 present, string)
 *   AREA_METRIC  string name, u32 n, n f64 values (NaN: does not apply),
 *            string unit, string description, the four optional strings
 *   WARNING  string: a host->log warning of the plugin, for the report
 *   OUTCOME  u8 status (0 ok, 1 failed), string error ("" when ok)
 *   END      (empty)             the message is complete
 *
 * DESCRIPTOR: u16 abi_major, u16 abi_minor, u32 struct_size, then the
 * optional strings id, title_nl, title_en, version, summary, maintainer,
 * summary_nl (u8 present, string), u8 callbacks (1 init, 2 evaluate, 4 fini), u32
 * n_indicators and each one's string name, u8 role, i32 direction, u32
 * n_settings and each one's string name, u8 type, optional string
 * description. It comes at most once, in the LOAD stage: a probe (a child
 * that only loads the plugin, host/isolate.h) sends LOAD, DESCRIPTOR,
 * SEND, OUTCOME, END; an experiment's child sends no DESCRIPTOR.
 *
 * STAGE records come first and in order, then RESULT, METRIC,
 * AREA_METRIC and WARNING records,
 * then exactly one OUTCOME, then END and nothing after it. A message that
 * stops early (the child died) decodes to what arrived, with complete = 0;
 * anything malformed is refused. The version changes whenever the layout
 * or we_estimate does. */
#ifndef WE_HOST_WIRE_H
#define WE_HOST_WIRE_H

#include <stddef.h>

#include "config/config.h"
#include "host/result_check.h"
#include "model/run.h"
#include "util/error.h"
#include "wijkeval/plugin.h"

#define WE_WIRE_VERSION 3
#define WE_WIRE_HEADER_SIZE 8

/* What the host accepts from a child; more is an error, not a truncation. */
#define WE_WIRE_MAX_BYTES ((size_t)64 << 20)
#define WE_WIRE_MAX_RESULTS 100000
#define WE_WIRE_MAX_METRICS 10000
#define WE_WIRE_MAX_STRING 65536
#define WE_WIRE_MAX_SPECS 10000 /* indicators, settings of a descriptor */
#define WE_WIRE_MAX_LOGS 10000
#define WE_WIRE_MAX_AREAS 1048576 /* values of a per-wijk metric */

typedef enum we_wire_stage {
    WE_STAGE_NONE = 0, /* the child has not started the plugin */
    WE_STAGE_LOAD = 1, /* dlopen, constructors, the entry function */
    WE_STAGE_INIT = 2,
    WE_STAGE_EVALUATE = 3,
    WE_STAGE_FINI = 4,
    WE_STAGE_SEND = 5, /* the plugin is done; the child sends results */
    WE_STAGE_COUNT_ = 6
} we_wire_stage;

/* "init", "evaluate", ...: the prefix of a failed experiment's error. */
const char *we_wire_stage_name(we_wire_stage s);

/* A growing output buffer. On an allocation failure or an oversized
 * string it stops growing and remembers why (failed, why). */
typedef struct we_wire_buf {
    unsigned char *data;
    size_t len, cap;
    int failed;
    char why[256];
} we_wire_buf;

void we_wire_buf_free(we_wire_buf *b);

void we_wire_put_header(we_wire_buf *b);
void we_wire_put_stage(we_wire_buf *b, we_wire_stage s);
void we_wire_put_result(we_wire_buf *b, const we_result_rec *r);
void we_wire_put_metric(we_wire_buf *b, const we_metric_rec *m);
void we_wire_put_area_metric(we_wire_buf *b, const we_area_metric_rec *m);
void we_wire_put_warning(we_wire_buf *b, const char *message);
void we_wire_put_outcome(we_wire_buf *b, we_exp_status status,
                         const char *error);
void we_wire_put_end(we_wire_buf *b);
/* The descriptor's fields (not its function pointers: which of them are
 * set travels as the callbacks bits). */
void we_wire_put_descriptor(we_wire_buf *b, const we_plugin_descriptor *d);
void we_wire_put_log(we_wire_buf *b, int level, const char *message);
void we_wire_put_refused(we_wire_buf *b, const char *why);

/* The callbacks bits of a DESCRIPTOR record. */
#define WE_WIRE_HAS_INIT 1u
#define WE_WIRE_HAS_EVALUATE 2u
#define WE_WIRE_HAS_FINI 4u

/* RESULT, METRIC, AREA_METRIC and WARNING records of an experiment's
 * results, metrics and warnings, then its OUTCOME and END. */
void we_wire_put_run(we_wire_buf *b, const we_experiment_run *x);

/* What a message held. `run` owns its results, metrics and error. */
typedef struct we_wire_msg {
    we_wire_stage stage; /* the last STAGE record */
    int has_outcome;
    int complete;        /* END arrived */
    size_t trailing;     /* bytes of a record cut off at the end */
    we_experiment_run run; /* results, metrics, status, error */
    /* A DESCRIPTOR record: every string and array malloc'd (freed by
     * we_plugin_desc_free), the function pointers NULL. */
    int has_descriptor;
    unsigned callbacks; /* WE_WIRE_HAS_* */
    we_plugin_descriptor desc;
    /* LOG records, in order. */
    char **logs;
    int *log_levels;
    size_t n_logs, cap_logs;
    char *refused; /* a REFUSED record, or NULL */
} we_wire_msg;

/* Decodes buf[0..len). Returns 0 when everything there is well formed
 * (the message may still be incomplete: see complete and trailing), -1
 * with a message naming the offset when it is not. *m is filled in both
 * cases and freed with we_wire_msg_free. */
int we_wire_decode(const unsigned char *buf, size_t len, we_wire_msg *m,
                   we_error *err);
void we_wire_msg_free(we_wire_msg *m);

/* Checks what a complete message says against the experiment: every
 * result by the rule host->emit_result applies (we_result_check: one of
 * its targets with its role, numbers that can be true); every metric
 * named, with a finite value; an error exactly when failed. Returns -1
 * with a message naming the record. we_wire_validate does not know the
 * panel, so it checks the counts only for their sign; _in also bounds
 * them by scope's panel size. */
int we_wire_validate(const we_wire_msg *m, const we_target_cfg *targets,
                     size_t n_targets, we_error *err);
int we_wire_validate_in(const we_wire_msg *m, const we_result_scope *scope,
                        we_error *err);

/* Moves the decoded results, metrics, per-wijk metrics, warnings, status
 * and error into o (which holds none yet); m keeps nothing to free but its shell. */
void we_wire_adopt(we_experiment_run *o, we_wire_msg *m);

#endif
