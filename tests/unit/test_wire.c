/* The child-to-host result message: a lossless round trip, every
 * truncation decoding to "incomplete", and every corruption refused
 * with a message instead of a crash or a wrong number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/host.h"
#include "host/wire.h"

static void assert_contains(const char *msg, const char *part)
{
    if (strstr(msg, part) == NULL)
        fail_msg("message \"%s\"\n  lacks \"%s\"", msg, part);
}

/* Every field distinct, so that a swapped or dropped field shows. */
static we_estimate sample_estimate(double base)
{
    we_estimate e;
    memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    e.method = WE_METHOD_TWFE;
    e.estimate = base + 0.125;
    e.se = fabs(base) + 0.25;
    e.ci_low = base - 1e-300 - 0.5;
    e.ci_high = fabs(base) * 1e300;
    e.p_value = 0.0321;
    e.df = 41;
    e.n_treated = 7;
    e.n_control = -1;
    e.n_obs = 1234567890123L;
    e.baseline = NAN;
    e.latest = -0.0;
    e.closing = 1;
    e.inference = WE_INFERENCE_WILD_WEBB;
    e.inference_reps = 9999;
    return e;
}

static we_experiment_run sample_run(void)
{
    we_experiment_run x;
    memset(&x, 0, sizeof x);
    x.n_results = x.cap_results = 2;
    x.results = calloc(2, sizeof *x.results);
    x.results[0].indicator = we_strdup("sociale_cohesie_score");
    x.results[0].role = WE_ROLE_PRIMARY;
    x.results[0].est = sample_estimate(1.5);
    x.results[1].indicator = we_strdup("eenzaamheid_pct");
    x.results[1].role = WE_ROLE_SECONDARY;
    x.results[1].est = sample_estimate(-2);
    x.results[1].est.method = WE_METHOD_PRE_POST;
    x.n_metrics = x.cap_metrics = 1;
    x.metrics = calloc(1, sizeof *x.metrics);
    x.metrics[0].name = we_strdup("deelname");
    x.metrics[0].value = 0.42;
    x.metrics[0].unit = we_strdup("share");
    x.metrics[0].description = we_strdup("bewoners die meedoen; één regel");
    x.metrics[0].label_nl = we_strdup("Deelname");
    x.metrics[0].description_nl = we_strdup("aandeel bewoners dat meedoet");
    x.n_area_metrics = x.cap_area_metrics = 1;
    x.area_metrics = calloc(1, sizeof *x.area_metrics);
    x.area_metrics[0].name = we_strdup("ingehaald");
    x.area_metrics[0].n = 3;
    x.area_metrics[0].values = malloc(3 * sizeof(double));
    x.area_metrics[0].values[0] = 1;
    x.area_metrics[0].values[1] = NAN;
    x.area_metrics[0].values[2] = -0.0;
    x.area_metrics[0].unit = we_strdup("0/1");
    x.area_metrics[0].description = we_strdup("caught up");
    x.area_metrics[0].unit_nl = we_strdup("ja/nee");
    x.n_warnings = x.cap_warnings = 1;
    x.warnings = calloc(1, sizeof *x.warnings);
    x.warnings[0] = we_strdup("x: not enough wijken with data");
    x.status = WE_EXP_OK;
    return x;
}

static const we_target_cfg TARGETS[] = {
    {(char *)"sociale_cohesie_score", WE_ROLE_PRIMARY},
    {(char *)"eenzaamheid_pct", WE_ROLE_SECONDARY},
};

/* A whole message as a child sends it. */
static void encode_full(we_wire_buf *b, const we_experiment_run *x)
{
    memset(b, 0, sizeof *b);
    we_wire_put_header(b);
    we_wire_put_stage(b, WE_STAGE_INIT);
    we_wire_put_stage(b, WE_STAGE_EVALUATE);
    we_wire_put_stage(b, WE_STAGE_FINI);
    we_wire_put_stage(b, WE_STAGE_SEND);
    we_wire_put_run(b, x);
    assert_false(b->failed);
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0; /* NaN and -0.0 bit for bit */
}

static void assert_same_estimate(const we_estimate *a, const we_estimate *b)
{
    assert_int_equal(a->method, b->method);
    assert_true(same_double(a->estimate, b->estimate));
    assert_true(same_double(a->se, b->se));
    assert_true(same_double(a->ci_low, b->ci_low));
    assert_true(same_double(a->ci_high, b->ci_high));
    assert_true(same_double(a->p_value, b->p_value));
    assert_true(same_double(a->df, b->df));
    assert_int_equal(a->n_treated, b->n_treated);
    assert_int_equal(a->n_control, b->n_control);
    assert_int_equal(a->n_obs, b->n_obs);
    assert_true(same_double(a->baseline, b->baseline));
    assert_true(same_double(a->latest, b->latest));
    assert_int_equal(a->closing, b->closing);
    assert_int_equal(a->inference, b->inference);
    assert_int_equal(a->inference_reps, b->inference_reps);
}

static void test_round_trip(void **state)
{
    (void)state;
    we_experiment_run x = sample_run();
    we_wire_buf b;
    encode_full(&b, &x);
    we_wire_msg m;
    we_error err = {{0}};
    assert_int_equal(we_wire_decode(b.data, b.len, &m, &err), 0);
    assert_true(m.complete);
    assert_true(m.has_outcome);
    assert_int_equal(m.trailing, 0);
    assert_int_equal(m.stage, WE_STAGE_SEND);
    assert_int_equal(m.run.n_results, 2);
    for (size_t k = 0; k < 2; k++) {
        assert_string_equal(m.run.results[k].indicator,
                            x.results[k].indicator);
        assert_int_equal(m.run.results[k].role, x.results[k].role);
        assert_same_estimate(&m.run.results[k].est, &x.results[k].est);
    }
    assert_int_equal(m.run.n_metrics, 1);
    assert_string_equal(m.run.metrics[0].name, "deelname");
    assert_true(m.run.metrics[0].value == 0.42);
    assert_string_equal(m.run.metrics[0].unit, "share");
    assert_string_equal(m.run.metrics[0].description,
                        x.metrics[0].description);
    assert_string_equal(m.run.metrics[0].label_nl, "Deelname");
    assert_string_equal(m.run.metrics[0].description_nl,
                        x.metrics[0].description_nl);
    assert_null(m.run.metrics[0].label_en);
    assert_null(m.run.metrics[0].unit_nl);
    assert_int_equal(m.run.n_area_metrics, 1);
    const we_area_metric_rec *a = &m.run.area_metrics[0];
    assert_string_equal(a->name, "ingehaald");
    assert_int_equal(a->n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(same_double(a->values[i], x.area_metrics[0].values[i]));
    assert_string_equal(a->unit_nl, "ja/nee");
    assert_null(a->label_nl);
    assert_int_equal(m.run.n_warnings, 1);
    assert_string_equal(m.run.warnings[0], x.warnings[0]);
    assert_int_equal(m.run.status, WE_EXP_OK);
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), 0);
    we_wire_msg_free(&m);
    we_wire_buf_free(&b);
    we_experiment_run_free(&x);
}

static void test_failed_outcome(void **state)
{
    (void)state;
    we_experiment_run x;
    memset(&x, 0, sizeof x);
    x.status = WE_EXP_FAILED;
    x.error = we_strdup("evaluate: iets ging mis");
    we_wire_buf b;
    encode_full(&b, &x);
    we_wire_msg m;
    we_error err = {{0}};
    assert_int_equal(we_wire_decode(b.data, b.len, &m, &err), 0);
    assert_true(m.complete);
    assert_int_equal(m.run.status, WE_EXP_FAILED);
    assert_string_equal(m.run.error, "evaluate: iets ging mis");
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), 0);
    we_wire_msg_free(&m);
    we_wire_buf_free(&b);
    /* A failure without a message still says so. */
    free(x.error);
    x.error = NULL;
    encode_full(&b, &x);
    assert_int_equal(we_wire_decode(b.data, b.len, &m, &err), 0);
    assert_string_equal(m.run.error, "failed without a message");
    we_wire_msg_free(&m);
    we_wire_buf_free(&b);
}

/* Every prefix of a message is a message that stopped early: never an
 * error, never complete, and the stage only moves forward. */
static void test_every_truncation(void **state)
{
    (void)state;
    we_experiment_run x = sample_run();
    we_wire_buf b;
    encode_full(&b, &x);
    we_wire_stage last = WE_STAGE_NONE;
    for (size_t len = 0; len < b.len; len++) {
        we_wire_msg m;
        we_error err = {{0}};
        if (we_wire_decode(b.data, len, &m, &err) != 0)
            fail_msg("prefix of %zu bytes refused: %s", len, err.msg);
        assert_false(m.complete);
        assert_true(m.stage >= last);
        last = m.stage;
        assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), -1);
        assert_contains(err.msg, "incomplete");
        we_wire_msg_free(&m);
    }
    assert_int_equal(last, WE_STAGE_SEND);
    we_wire_buf_free(&b);
    we_experiment_run_free(&x);
}

/* Each byte flipped in turn: decoding must end cleanly, and whatever it
 * accepts as complete must still pass or fail validation by its rules. */
static void test_every_byte_flipped(void **state)
{
    (void)state;
    we_experiment_run x = sample_run();
    we_wire_buf b;
    encode_full(&b, &x);
    size_t refused = 0;
    for (size_t k = 0; k < b.len; k++)
        for (unsigned mask = 1; mask < 256; mask <<= 1) {
            b.data[k] ^= (unsigned char)mask;
            we_wire_msg m;
            we_error err = {{0}};
            int rc = we_wire_decode(b.data, b.len, &m, &err);
            if (rc != 0 || !m.complete ||
                we_wire_validate(&m, TARGETS, 2, &err) != 0) {
                refused++;
                assert_true(err.msg[0] != '\0' || !m.complete);
            }
            we_wire_msg_free(&m);
            b.data[k] ^= (unsigned char)mask;
        }
    /* Most flips hit a length, a type, an enum or a name. */
    assert_true(refused > b.len);
    we_wire_buf_free(&b);
    we_experiment_run_free(&x);
}

/* ---- hand-made corrupt messages ----------------------------------- */

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}

/* A header followed by one raw record. */
static size_t raw_record(unsigned char *buf, unsigned type,
                         const unsigned char *payload, size_t n)
{
    we_wire_buf b = {0};
    we_wire_put_header(&b);
    memcpy(buf, b.data, b.len);
    size_t len = b.len;
    we_wire_buf_free(&b);
    buf[len] = (unsigned char)type;
    put_le(buf + len + 1, n, 4);
    memcpy(buf + len + 5, payload, n);
    return len + 5 + n;
}

static void expect_corrupt(const unsigned char *buf, size_t len,
                           const char *part)
{
    we_wire_msg m;
    we_error err = {{0}};
    assert_int_equal(we_wire_decode(buf, len, &m, &err), -1);
    assert_contains(err.msg, part);
    we_wire_msg_free(&m);
}

static void test_bad_header(void **state)
{
    (void)state;
    unsigned char buf[16] = "XEIS";
    expect_corrupt(buf, 4, "does not start with the wijkeval result");
    expect_corrupt(buf, 1, "does not start with the wijkeval result");
    we_wire_buf b = {0};
    we_wire_put_header(&b);
    memcpy(buf, b.data, b.len);
    we_wire_buf_free(&b);
    buf[4] = 9;
    char want[64];
    snprintf(want, sizeof want, "version 9, expected %d", WE_WIRE_VERSION);
    expect_corrupt(buf, 8, want);
    buf[4] = WE_WIRE_VERSION;
    buf[6] = 1;
    expect_corrupt(buf, 8, "flags 0x1");
}

static void test_bad_records(void **state)
{
    (void)state;
    unsigned char buf[256], p[64] = {0};
    size_t n = raw_record(buf, 11, p, 0);
    expect_corrupt(buf, n, "unknown record type 11");
    /* Per-wijk metric values beyond the record. */
    n = raw_record(buf, 9, p, 0);
    expect_corrupt(buf, n, "AREA_METRIC record is out of order");
    /* A length no record can have, refused before the bytes arrive. */
    n = raw_record(buf, 2, p, 0);
    put_le(buf + 9, 0x7fffffff, 4);
    expect_corrupt(buf, n, "claims 2147483647 bytes");
    /* Results before the child says it is sending them. */
    n = raw_record(buf, 2, p, 8);
    expect_corrupt(buf, n, "the RESULT record is out of order");
    p[0] = 9;
    n = raw_record(buf, 1, p, 1);
    expect_corrupt(buf, n, "stage 9 does not follow stage 0");
    p[0] = 2;
    n = raw_record(buf, 1, p, 2);
    expect_corrupt(buf, n, "1 unexpected bytes at its end");
    n = raw_record(buf, 1, p, 0);
    expect_corrupt(buf, n, "STAGE record of 0 bytes is too short");
    n = raw_record(buf, 5, p, 0);
    expect_corrupt(buf, n, "the END record is out of order");
}

/* A valid message up to the stage SEND, for records appended by hand. */
static void sending(we_wire_buf *b)
{
    memset(b, 0, sizeof *b);
    we_wire_put_header(b);
    we_wire_put_stage(b, WE_STAGE_SEND);
}

static void expect_buf_corrupt(we_wire_buf *b, const char *part)
{
    expect_corrupt(b->data, b->len, part);
    we_wire_buf_free(b);
}

static void test_bad_values(void **state)
{
    (void)state;
    we_wire_buf b;
    we_result_rec r = {.indicator = (char *)"x"};
    r.est = sample_estimate(0);
    /* Offsets into the RESULT payload: name (4 + 1), role, method. */
    size_t at;
    sending(&b);
    at = b.len + 5;
    we_wire_put_result(&b, &r);
    b.data[at + 5] = 2;
    expect_buf_corrupt(&b, "role 2 is neither primary");
    sending(&b);
    at = b.len + 5;
    we_wire_put_result(&b, &r);
    put_le(b.data + at + 6, (uint64_t)WE_METHOD_COUNT_, 4);
    expect_buf_corrupt(&b, "is not a known method");
    sending(&b);
    at = b.len + 5;
    we_wire_put_result(&b, &r);
    put_le(b.data + at + 6, 0xffffffffu, 4);
    expect_buf_corrupt(&b, "method -1 is not a known method");
    r.est.inference = (we_inference)77;
    sending(&b);
    we_wire_put_result(&b, &r);
    expect_buf_corrupt(&b, "inference 77 is not a known kind");
    /* A NUL inside the name, and a name running past its record. */
    r.est = sample_estimate(0);
    r.indicator = (char *)"abc";
    sending(&b);
    at = b.len + 5;
    we_wire_put_result(&b, &r);
    b.data[at + 5] = '\0';
    expect_buf_corrupt(&b, "the indicator name contains a NUL byte");
    sending(&b);
    at = b.len + 5;
    we_wire_put_result(&b, &r);
    put_le(b.data + at, 5000, 4);
    expect_buf_corrupt(&b, "the indicator name runs past the end");
    sending(&b);
    we_wire_put_outcome(&b, WE_EXP_OK, NULL);
    b.data[b.len - 5] = 7;
    expect_buf_corrupt(&b, "status 7 is neither ok");
}

static void test_bad_order(void **state)
{
    (void)state;
    we_wire_buf b;
    sending(&b);
    we_wire_put_outcome(&b, WE_EXP_OK, NULL);
    we_wire_put_outcome(&b, WE_EXP_OK, NULL);
    expect_buf_corrupt(&b, "the OUTCOME record is out of order");
    sending(&b);
    we_wire_put_outcome(&b, WE_EXP_OK, NULL);
    we_metric_rec mt = {.name = (char *)"m", .value = 1, .unit = (char *)"", .description = (char *)""};
    we_wire_put_metric(&b, &mt);
    expect_buf_corrupt(&b, "the METRIC record is out of order");
    sending(&b);
    we_wire_put_stage(&b, WE_STAGE_FINI);
    expect_buf_corrupt(&b, "the STAGE record is out of order");
    sending(&b);
    we_wire_put_outcome(&b, WE_EXP_OK, NULL);
    we_wire_put_end(&b);
    we_wire_put_end(&b);
    expect_buf_corrupt(&b, "5 bytes follow the END record");
}

static void test_limits(void **state)
{
    (void)state;
    we_wire_buf b;
    sending(&b);
    we_metric_rec mt = {.name = (char *)"m", .value = 1, .unit = (char *)"u", .description = (char *)"d"};
    for (int k = 0; k <= WE_WIRE_MAX_METRICS; k++)
        we_wire_put_metric(&b, &mt);
    assert_false(b.failed);
    expect_buf_corrupt(&b, "more than 10000 metrics");
    sending(&b);
    we_result_rec r = {.indicator = (char *)"x"};
    r.est = sample_estimate(0);
    for (int k = 0; k <= WE_WIRE_MAX_RESULTS; k++)
        we_wire_put_result(&b, &r);
    assert_false(b.failed);
    expect_buf_corrupt(&b, "more than 100000 results");
    /* The decoder refuses a message over the limit outright. */
    unsigned char tiny[8] = {0};
    we_wire_msg m;
    we_error err = {{0}};
    assert_int_equal(we_wire_decode(tiny, WE_WIRE_MAX_BYTES + 1, &m, &err),
                     -1);
    assert_contains(err.msg, "more than");
    we_wire_msg_free(&m);
}

/* The encoder refuses a string over the limit instead of cutting it. */
static void test_encoder_limits(void **state)
{
    (void)state;
    char *long_text = malloc(WE_WIRE_MAX_STRING + 2);
    memset(long_text, 'a', WE_WIRE_MAX_STRING + 1);
    long_text[WE_WIRE_MAX_STRING + 1] = '\0';
    we_wire_buf b;
    sending(&b);
    we_metric_rec mt = {.name = (char *)"m", .value = 1, .unit = (char *)"u", .description = long_text};
    we_wire_put_metric(&b, &mt);
    assert_true(b.failed);
    assert_contains(b.why, "a metric description is 65537 bytes long");
    we_wire_buf_free(&b);
    free(long_text);
    assert_string_equal(we_wire_stage_name(WE_STAGE_EVALUATE), "evaluate");
    assert_string_equal(we_wire_stage_name(WE_STAGE_NONE), "before loading");
    assert_string_equal(we_wire_stage_name((we_wire_stage)99),
                        "unknown stage");
}

/* ---- validation ----------------------------------------------------- */

static void validate_run(we_experiment_run *x, const char *part)
{
    we_wire_buf b;
    encode_full(&b, x);
    we_wire_msg m;
    we_error err = {{0}};
    assert_int_equal(we_wire_decode(b.data, b.len, &m, &err), 0);
    assert_int_equal(we_wire_validate(&m, TARGETS, 2, &err), -1);
    assert_contains(err.msg, part);
    we_wire_msg_free(&m);
    we_wire_buf_free(&b);
}

static void test_validation(void **state)
{
    (void)state;
    we_experiment_run x = sample_run();
    x.results[1].est.estimate = NAN;
    validate_run(&x, "result 2: 'eenzaamheid_pct' (pre_post): the "
                     "estimate is NaN; a plugin must emit finite");
    x.results[1].est.estimate = INFINITY;
    validate_run(&x, "the estimate is +Inf");
    x.results[1].est.estimate = -INFINITY;
    validate_run(&x, "the estimate is -Inf");
    x.results[1].est.estimate = 1;
    free(x.results[1].indicator);
    x.results[1].indicator = we_strdup("woz_gemiddeld");
    validate_run(&x, "result 2: 'woz_gemiddeld' is not one of this "
                     "experiment's indicators");
    free(x.results[1].indicator);
    x.results[1].indicator = we_strdup("eenzaamheid_pct");
    x.metrics[0].value = NAN;
    validate_run(&x, "metric 1 ('deelname'): the value is NaN");
    x.metrics[0].value = 1;
    x.metrics[0].name[0] = '\0';
    validate_run(&x, "metric 1 has no name");
    x.metrics[0].name[0] = 'd';
    /* A name emitted twice, as a metric and per wijk. */
    free(x.area_metrics[0].name);
    x.area_metrics[0].name = we_strdup("deelname");
    validate_run(&x, "metric 'deelname' is emitted twice");
    free(x.area_metrics[0].name);
    x.area_metrics[0].name = we_strdup("ingehaald");
    x.area_metrics[0].values[1] = INFINITY;
    validate_run(&x, "per-wijk metric 'ingehaald': value 2 is +Inf");
    x.area_metrics[0].values[1] = NAN;
    {
        /* One value per area of the panel. */
        we_wire_buf b;
        encode_full(&b, &x);
        we_wire_msg m;
        we_error err = {{0}};
        assert_int_equal(we_wire_decode(b.data, b.len, &m, &err), 0);
        /* (the results' counts fit a panel this large) */
        we_result_scope scope = {TARGETS, 2, (size_t)1 << 40, 6};
        assert_int_equal(we_wire_validate_in(&m, &scope, &err), -1);
        assert_contains(err.msg, "'ingehaald' has 3 values for 1099511627776 areas");
        we_wire_msg_free(&m);
        we_wire_buf_free(&b);
    }
    x.status = WE_EXP_FAILED;
    x.error = we_strdup("");
    validate_run(&x, "failed without a message");
    we_experiment_run_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_failed_outcome),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_every_byte_flipped),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_order),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_encoder_limits),
        cmocka_unit_test(test_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
