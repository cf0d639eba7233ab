/* Running a plugin in a child process: each way a child can end gives
 * the experiment a precise status and error, within the time limit, and
 * nothing the child does reaches the host's memory. The plugins are
 * descriptors defined here, run through the real host. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/host.h"
#include "host/isolate.h"

static we_target_cfg targets[] = {{(char *)"y", WE_ROLE_PRIMARY}};

/* A context with what the host's results side needs: the config (for
 * the limits), the plugin, the targets and the output. */
typedef struct fixture {
    we_config cfg;
    we_plugin plugin;
    we_experiment_run out;
    struct we_ctx ctx;
} fixture;

static void setup_fixture(fixture *f, const we_plugin_descriptor *d)
{
    memset(f, 0, sizeof *f);
    we_config_set_defaults(&f->cfg);
    f->plugin.desc = *d;
    f->plugin.path = (char *)"(test)";
    f->out.headline = -1;
    f->ctx = (struct we_ctx){.cfg = &f->cfg, .plugin = &f->plugin,
                             .targets = targets, .n_targets = 1,
                             .out = &f->out};
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs the plugin isolated; returns the wall time it took. */
static double run_isolated(fixture *f, double time_limit, long memory_mb)
{
    /* No sandbox: these tests are about the process boundary (a
     * grandchild is what the sandbox refuses); test_sandbox and
     * tests/e2e/sandbox.sh test the sandbox. */
    we_isolation_cfg lim = {1, time_limit, memory_mb, 0};
    double t0 = seconds();
    we_isolate_execute(&f->ctx, &lim);
    return seconds() - t0;
}

static void expect_failed(const fixture *f, const char *part)
{
    assert_int_equal(f->out.status, WE_EXP_FAILED);
    assert_non_null(f->out.error);
    if (strstr(f->out.error, part) == NULL)
        fail_msg("error \"%s\"\n  lacks \"%s\"", f->out.error, part);
    assert_int_equal(f->out.n_results, 0);
}

/* ---- the plugins ------------------------------------------------------ */

static int emit_one(const we_host *h, we_ctx *ctx, double value)
{
    we_estimate e;
    memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    e.method = WE_METHOD_DID_2X2;
    e.estimate = value;
    e.se = 0.5;
    e.ci_low = e.ci_high = NAN; /* none: zero would not contain value */
    e.n_obs = 99;
    int rc = h->emit_result(ctx, "y", WE_ROLE_PRIMARY, &e);
    return rc == WE_OK ? h->emit_metric(ctx, "m", 2.5, "u", "d") : rc;
}

static int good_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    return emit_one(h, ctx, 1.25);
}

static int abort_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    emit_one(h, ctx, 1);
    abort();
}

static int exit_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)h;
    (void)ctx;
    (void)state;
    exit(3);
}

static volatile unsigned long spins;

static int loop_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)h;
    (void)ctx;
    (void)state;
    while (spins != (unsigned long)-1)
        spins++;
    return WE_OK;
}

/* Closes every descriptor, the pipe too, and keeps running: the host
 * must still wait for the time limit, then end it. */
static int close_and_sleep(const we_host *h, we_ctx *ctx, void *state)
{
    (void)h;
    (void)ctx;
    (void)state;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    sleep(30);
    return WE_OK;
}

/* Closes every descriptor and returns: the results cannot be sent. */
static int close_and_return(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    return emit_one(h, ctx, 1);
}

/* Writes to the result pipe: the one close-on-exec pipe, since a pipe
 * inherited from the test's own parent cannot have that flag. */
static void write_to_pipes(const void *junk, size_t n, size_t times)
{
    for (int fd = 3; fd < 1024; fd++) {
        struct stat st;
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0 || !(flags & FD_CLOEXEC) || fstat(fd, &st) != 0 ||
            !S_ISFIFO(st.st_mode))
            continue;
        for (size_t k = 0; k < times; k++)
            if (write(fd, junk, n) < 0)
                break;
    }
}

static int scribble_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    write_to_pipes("garbage!", 8, 1);
    return emit_one(h, ctx, 1);
}

static int flood_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)h;
    (void)ctx;
    (void)state;
    static char junk[1 << 20];
    memset(junk, 'j', sizeof junk);
    write_to_pipes(junk, sizeof junk, 80); /* 80 MiB */
    return WE_OK;
}

static char grandchild_file[64];

/* Starts a process that holds the pipe open for 30 s, then returns
 * normally: the host must not wait for it, and must end it. */
static int spawn_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    pid_t pid = fork();
    if (pid == 0) {
        sleep(30);
        _exit(0);
    }
    FILE *f = fopen(grandchild_file, "w");
    if (f != NULL) {
        fprintf(f, "%ld\n", (long)pid);
        fclose(f);
    }
    return emit_one(h, ctx, 1);
}

static int alloc_evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    void *p = malloc((size_t)512 << 20);
    if (p == NULL)
        return (h->fail)(ctx, "cannot allocate 512 MB"), WE_ENOMEM;
    free(p);
    return emit_one(h, ctx, 1);
}

static int state_init(const we_host *h, we_ctx *ctx, void **state)
{
    (void)h;
    (void)ctx;
    static int token;
    *state = &token;
    return WE_OK;
}

static const we_indicator_spec indicators[] = {
    {"y", WE_ROLE_PRIMARY, WE_DIRECTION_FROM_CATALOG}};

static we_plugin_descriptor descriptor(we_evaluate_fn evaluate)
{
    return (we_plugin_descriptor){WE_DESCRIPTOR_HEADER, .id = "t",
                                  .title_nl = "t", .title_en = "t",
                                  .version = "1", .summary = "t",
                                  .indicators = indicators,
                                  .n_indicators = 1, .evaluate = evaluate};
}

/* ---- tests ------------------------------------------------------------ */

static void test_good_child(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(good_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    assert_int_equal(f.out.status, WE_EXP_OK);
    assert_null(f.out.error);
    assert_int_equal(f.out.n_results, 1);
    assert_string_equal(f.out.results[0].indicator, "y");
    assert_true(f.out.results[0].est.estimate == 1.25);
    assert_true(f.out.results[0].est.se == 0.5);
    assert_int_equal(f.out.results[0].est.n_obs, 99);
    assert_int_equal(f.out.n_metrics, 1);
    assert_string_equal(f.out.metrics[0].description, "d");
    we_experiment_run_free(&f.out);
}

/* The same plugin in the host process gives the same record. */
static void test_in_process(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(good_evaluate);
    setup_fixture(&f, &d);
    f.cfg.isolation.enabled = 0;
    assert_int_equal(we_host_execute(&f.ctx), 0);
    assert_int_equal(f.out.n_results, 1);
    assert_true(f.out.results[0].est.estimate == 1.25);
    we_experiment_run_free(&f.out);
}

static void test_abort(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(abort_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    expect_failed(&f, "evaluate: the plugin's process was killed by "
                      "SIGABRT (aborted)");
    assert_int_equal(f.out.n_metrics, 0);
    we_experiment_run_free(&f.out);
}

static void test_exit(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(exit_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    expect_failed(&f, "evaluate: the plugin's process exited with status 3 "
                      "before it returned its results");
    we_experiment_run_free(&f.out);
}

static void test_time_limit(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(loop_evaluate);
    setup_fixture(&f, &d);
    double t = run_isolated(&f, 0.3, 0);
    expect_failed(&f, "evaluate: still running after the time limit of "
                      "0.3 s (time_limit)");
    assert_true(t >= 0.3 && t < 5);
    we_experiment_run_free(&f.out);
    d = descriptor(close_and_sleep);
    setup_fixture(&f, &d);
    t = run_isolated(&f, 0.3, 0);
    expect_failed(&f, "still running after the time limit of 0.3 s");
    assert_true(t >= 0.3 && t < 5);
    we_experiment_run_free(&f.out);
}

static void test_closed_pipe(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(close_and_return);
    setup_fixture(&f, &d);
    double t = run_isolated(&f, 30, 0);
    expect_failed(&f, "evaluate: the plugin's process could not send its "
                      "results: its pipe to wijkeval was closed");
    assert_true(t < 5);
    we_experiment_run_free(&f.out);
}

static void test_corrupt_pipe(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(scribble_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    expect_failed(&f, "the results from the plugin's process are corrupt");
    we_experiment_run_free(&f.out);
    d = descriptor(flood_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    expect_failed(&f, "the plugin's process sent more than 64 MiB of "
                      "results; it was killed");
    we_experiment_run_free(&f.out);
}

static int process_gone(long pid)
{
    char path[64], buf[256] = "";
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *end = strrchr(buf, ')'); /* "pid (name) state ..." */
    return end != NULL && (end[2] == 'Z' || end[2] == 'X');
}

static void test_grandchild(void **state)
{
    (void)state;
    snprintf(grandchild_file, sizeof grandchild_file,
             "/tmp/wijkeval-grandchild-%ld", (long)getpid());
    fixture f;
    we_plugin_descriptor d = descriptor(spawn_evaluate);
    setup_fixture(&f, &d);
    double t = run_isolated(&f, 20, 0);
    assert_int_equal(f.out.status, WE_EXP_OK);
    assert_true(t < 5);
    long pid = 0;
    FILE *fp = fopen(grandchild_file, "r");
    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%ld", &pid), 1);
    fclose(fp);
    remove(grandchild_file);
    struct timespec nap = {0, 20000000L};
    for (int k = 0; k < 100 && !process_gone(pid); k++)
        nanosleep(&nap, NULL);
    assert_true(process_gone(pid));
    we_experiment_run_free(&f.out);
}

static void test_memory_limit(void **state)
{
    (void)state;
    if (!we_isolate_memory_limit_supported())
        skip(); /* AddressSanitizer: see docs/plugins.md */
    fixture f;
    we_plugin_descriptor d = descriptor(alloc_evaluate);
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 256);
    expect_failed(&f, "evaluate: cannot allocate 512 MB (out of memory; "
                      "the experiment's memory limit is 256 MB");
    we_experiment_run_free(&f.out);
    /* Without a limit the same allocation succeeds. */
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    assert_int_equal(f.out.status, WE_EXP_OK);
    we_experiment_run_free(&f.out);
}

/* A state without fini fails, in both modes, before evaluate runs. */
static void test_state_without_fini(void **state)
{
    (void)state;
    fixture f;
    we_plugin_descriptor d = descriptor(good_evaluate);
    d.init = state_init;
    setup_fixture(&f, &d);
    run_isolated(&f, 30, 0);
    expect_failed(&f, "init: the plugin keeps a state (init set *state) but "
                      "has no fini");
    we_experiment_run_free(&f.out);
    setup_fixture(&f, &d);
    assert_int_equal(we_host_run_plugin(&f.ctx, NULL, NULL), -1);
    expect_failed(&f, "has no fini to release it");
    we_experiment_run_free(&f.out);
}

static void test_signal_names(void **state)
{
    (void)state;
    char buf[64];
    we_signal_describe(SIGSEGV, buf, sizeof buf);
    assert_string_equal(buf, "SIGSEGV (segmentation fault)");
    we_signal_describe(SIGKILL, buf, sizeof buf);
    assert_string_equal(buf, "SIGKILL (killed)");
    we_signal_describe(1000, buf, sizeof buf);
    assert_string_equal(buf, "signal 1000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_child),
        cmocka_unit_test(test_in_process),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_exit),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_closed_pipe),
        cmocka_unit_test(test_corrupt_pipe),
        cmocka_unit_test(test_grandchild),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_state_without_fini),
        cmocka_unit_test(test_signal_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
