/* Fuzzes the decoding of the message an experiment's child sends to the
 * host. Any bytes decode to a well-formed message or are refused with a
 * message; a decoded message survives validation and re-encoding. */
#include "fuzz_util.h"

#include "host/wire.h"

static const we_target_cfg TARGETS[] = {
    {(char *)"sociale_cohesie_score", WE_ROLE_PRIMARY},
    {(char *)"eenzaamheid_pct", WE_ROLE_SECONDARY},
};

/* What decoded must encode again, and decode to the same counts. */
static void round_trip(const we_wire_msg *m)
{
    we_wire_buf b;
    memset(&b, 0, sizeof b);
    we_wire_put_header(&b);
    we_wire_put_stage(&b, WE_STAGE_SEND);
    we_wire_put_run(&b, &m->run);
    if (b.failed) {
        we_wire_buf_free(&b);
        return;
    }
    we_wire_msg again;
    we_error err;
    if (we_wire_decode(b.data, b.len, &again, &err) != 0 ||
        !again.complete || again.run.n_results != m->run.n_results ||
        again.run.n_metrics != m->run.n_metrics ||
        again.run.status != m->run.status)
        abort();
    we_wire_msg_free(&again);
    we_wire_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    we_wire_msg m;
    we_error err;
    err.msg[0] = '\0';
    if (we_wire_decode(data, size, &m, &err) != 0) {
        if (err.msg[0] == '\0')
            abort(); /* a refusal always says why */
    } else if (m.complete) {
        (void)we_wire_validate(&m, TARGETS, sizeof TARGETS / sizeof *TARGETS,
                               &err);
        round_trip(&m);
    }
    we_wire_msg_free(&m);
    return 0;
}
