/* One experiment's plugin in a child process (see isolate.h). */
#include "host/isolate.h"

#include "host/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define WE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WE_UNDER_ASAN 1
#endif
#endif
#ifndef WE_UNDER_ASAN
#define WE_UNDER_ASAN 0
#endif

/* Exit status of a child whose pipe to the host broke. */
#define EXIT_NO_PIPE 125
/* The host reads at least this often, to notice a child that exited while
 * something it started still holds the pipe open. */
#define POLL_SLICE_MS 200

int we_isolate_memory_limit_supported(void) { return !WE_UNDER_ASAN; }

/* ---- signals ---------------------------------------------------------- */

static const struct {
    int sig;
    const char *name, *what;
} SIGNALS[] = {
    {SIGSEGV, "SIGSEGV", "segmentation fault"},
    {SIGABRT, "SIGABRT", "aborted"},
    {SIGBUS, "SIGBUS", "bus error"},
    {SIGFPE, "SIGFPE", "arithmetic exception"},
    {SIGILL, "SIGILL", "illegal instruction"},
    {SIGKILL, "SIGKILL", "killed"},
    {SIGTERM, "SIGTERM", "terminated"},
    {SIGINT, "SIGINT", "interrupted"},
    {SIGHUP, "SIGHUP", "hangup"},
    {SIGQUIT, "SIGQUIT", "quit"},
    {SIGPIPE, "SIGPIPE", "broken pipe"},
    {SIGALRM, "SIGALRM", "alarm clock"},
    {SIGTRAP, "SIGTRAP", "trace trap"},
    {SIGSYS, "SIGSYS", "bad system call"},
    {SIGXCPU, "SIGXCPU", "CPU time limit exceeded"},
    {SIGXFSZ, "SIGXFSZ", "file size limit exceeded"},
    {SIGUSR1, "SIGUSR1", "user signal 1"},
    {SIGUSR2, "SIGUSR2", "user signal 2"},
};

void we_signal_describe(int sig, char *buf, size_t n)
{
    for (size_t k = 0; k < sizeof SIGNALS / sizeof SIGNALS[0]; k++)
        if (SIGNALS[k].sig == sig) {
            snprintf(buf, n, "%s (%s)", SIGNALS[k].name, SIGNALS[k].what);
            return;
        }
    snprintf(buf, n, "signal %d", sig);
}

/* ---- the child ---------------------------------------------------------- */

typedef struct child {
    int fd;
    we_wire_buf small; /* allocated before the plugin runs: stage records
                          go out even when the plugin used up the memory */
} child;

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void send_small(child *c)
{
    if (c->small.failed || write_all(c->fd, c->small.data, c->small.len))
        _exit(EXIT_NO_PIPE);
    c->small.len = 0;
}

static void send_stage(void *user, we_wire_stage s)
{
    child *c = user;
    we_wire_put_stage(&c->small, s);
    send_small(c);
}

static void limit_memory(long mb)
{
    if (mb <= 0 || !we_isolate_memory_limit_supported())
        return;
    rlim_t bytes = (rlim_t)mb << 20;
    struct rlimit rl = {bytes, bytes};
    setrlimit(RLIMIT_AS, &rl);
}

/* Before any plugin code: its own process group (so that the host can
 * end whatever it starts), death with the host, stdout away from the
 * host's summary, no core files, the memory limit. */
static void child_setup(const we_isolation_cfg *lim, pid_t host)
{
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != host)
        _exit(EXIT_NO_PIPE);
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0 && null != STDOUT_FILENO) {
            dup2(null, STDOUT_FILENO);
            close(null);
        }
    }
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    limit_memory(lim->memory_limit_mb);
}

/* Encodes everything the plugin emitted; when that is impossible (the
 * memory is used up, a string is too long), a failure saying why. */
static void send_run(child *c, const we_experiment_run *x)
{
    we_wire_buf out = {0};
    we_wire_put_run(&out, x);
    if (!out.failed) {
        if (write_all(c->fd, out.data, out.len) != 0)
            _exit(EXIT_NO_PIPE);
        we_wire_buf_free(&out);
        return;
    }
    char msg[sizeof out.why + 64];
    snprintf(msg, sizeof msg, "after fini: the results cannot be sent: %s",
             out.why);
    we_wire_buf_free(&out);
    we_wire_put_outcome(&c->small, WE_EXP_FAILED, msg);
    we_wire_put_end(&c->small);
    send_small(c);
}

/* The sandbox (host/sandbox.h), before any plugin code runs; when it
 * cannot be entered the experiment fails and the plugin does not run. */
static void enter_sandbox(child *c, const we_ctx *ctx,
                          const we_isolation_cfg *lim, char *detail)
{
    if (!lim->sandbox)
        return;
    we_error err = {{0}};
    if (we_sandbox_enter(ctx->plugin ? ctx->plugin->path : NULL, c->fd,
                         detail, detail ? WE_SANDBOX_DETAIL : 0, &err) == 0)
        return;
    send_stage(c, WE_STAGE_SEND); /* the outcome may follow only this */
    we_wire_put_outcome(&c->small, WE_EXP_FAILED, err.msg);
    we_wire_put_end(&c->small);
    send_small(c);
    _exit(0);
}

static void child_main(we_ctx *ctx, int fd, const we_isolation_cfg *lim,
                       pid_t host, char *detail)
{
    child_setup(lim, host);
    child c = {.fd = fd};
    c.small.data = malloc(c.small.cap = 4096);
    if (c.small.data == NULL)
        _exit(EXIT_NO_PIPE);
    we_wire_put_header(&c.small);
    send_small(&c);
    enter_sandbox(&c, ctx, lim, detail);
    if (we_isolate_memory_limit_supported())
        ctx->memory_limit_mb = lim->memory_limit_mb;
    we_host_run_plugin(ctx, send_stage, &c);
    fflush(NULL); /* what the plugin printed, before the results */
    send_stage(&c, WE_STAGE_SEND);
    send_run(&c, ctx->out);
    /* _exit: no atexit handlers or stdio buffers inherited from the host
     * may run twice. */
    _exit(0);
}

/* ---- the host's side --------------------------------------------------- */

typedef struct watch {
    pid_t pid;
    int fd;
    unsigned char *buf;
    size_t len, cap;
    int eof, timed_out, overflow, no_memory;
    int status;      /* from waitpid */
    double deadline; /* 0: no time limit */
    int backoff;     /* ms between exit checks once the pipe is closed */
    int done;
    char *detail;    /* we_sandbox_detail_new, or NULL */
} watch;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Room for more bytes; one byte beyond the maximum shows an overflow. */
static int make_room(watch *w)
{
    if (w->len < w->cap)
        return 0;
    if (w->len > WE_WIRE_MAX_BYTES) {
        w->overflow = 1;
        return -1;
    }
    size_t cap = w->cap ? 2 * w->cap : 65536;
    if (cap > WE_WIRE_MAX_BYTES + 1)
        cap = WE_WIRE_MAX_BYTES + 1;
    unsigned char *p = realloc(w->buf, cap);
    if (p == NULL) {
        w->no_memory = 1;
        return -1;
    }
    w->buf = p;
    w->cap = cap;
    return 0;
}

/* Reads what is there without blocking (the pipe is O_NONBLOCK). */
static void read_available(watch *w)
{
    while (!w->eof && make_room(w) == 0) {
        ssize_t n = read(w->fd, w->buf + w->len, w->cap - w->len);
        if (n > 0) {
            w->len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        w->eof = 1; /* end of file, or an error that ends the reading */
    }
}

/* Whether the child has ended, leaving it unreaped: its pid, and so its
 * process group, cannot be reused before the host kills the group. With
 * SIGCHLD ignored the system reaps it at once (ECHILD): it has ended. */
static int child_ended(pid_t pid)
{
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno == ECHILD;
    return info.si_pid == pid;
}

/* Milliseconds until w needs a look: at most POLL_SLICE_MS and no later
 * than its deadline; -1 when the deadline has passed. */
static int next_wait(const watch *w)
{
    int slice = w->eof ? w->backoff : POLL_SLICE_MS;
    if (w->deadline <= 0)
        return slice;
    double left = w->deadline - now();
    if (left <= 0)
        return -1;
    double ms = ceil(left * 1000.0);
    return ms < slice ? (int)ms : slice;
}

/* Ends w's child if it still runs, and anything it started, and reaps
 * it. */
static void reap(watch *w)
{
    kill(-w->pid, SIGKILL);
    kill(w->pid, SIGKILL);
    while (waitpid(w->pid, &w->status, 0) < 0 && errno == EINTR)
        ;
    w->done = 1;
}

/* One look at w: 1 when it is finished (ended, timed out or unreadable). */
static int check(watch *w)
{
    if (w->overflow || w->no_memory)
        return 1;
    if (child_ended(w->pid)) {
        read_available(w);
        return 1;
    }
    if (next_wait(w) < 0) {
        w->timed_out = 1;
        return 1;
    }
    return 0;
}

/* Waits for the next event of any running child: data on a pipe, or the
 * next time one needs a look. */
static void wait_any(watch *const *run, size_t n)
{
    struct pollfd p[WE_MAX_JOBS];
    size_t np = 0;
    int ms = POLL_SLICE_MS;
    for (size_t k = 0; k < n; k++) {
        int w = next_wait(run[k]);
        ms = w >= 0 && w < ms ? w : ms;
        if (!run[k]->eof)
            p[np++] = (struct pollfd){.fd = run[k]->fd, .events = POLLIN};
        else if (run[k]->backoff < 50) /* closed its end but still runs */
            run[k]->backoff *= 2;
    }
    if (poll(p, np, ms) <= 0)
        return;
    for (size_t k = 0, j = 0; k < n; k++)
        if (!run[k]->eof && p[j++].revents != 0)
            read_available(run[k]);
}
/* ---- classification ----------------------------------------------------- */

static void fail(we_ctx *ctx, const char *msg)
{
    we_experiment_run *o = ctx->out;
    o->status = WE_EXP_FAILED;
    o->process_fault = 1;
    free(o->error);
    o->error = we_strdup(msg);
}

static void describe_end(const watch *w, const we_isolation_cfg *lim,
                         const char *stage, char *msg, size_t n)
{
    char sig[64];
    if (w->timed_out) {
        snprintf(msg, n, "%s: still running after the time limit of %g s "
                         "(time_limit); the plugin's process was killed",
                 stage, lim->time_limit);
    } else if (WIFSIGNALED(w->status)) {
        int s = WTERMSIG(w->status);
        we_signal_describe(s, sig, sizeof sig);
        snprintf(msg, n, "%s: the plugin's process was killed by %s%s",
                 stage, sig,
                 s == SIGKILL ? ", which wijkeval did not send: perhaps "
                                "the system ran out of memory (lower "
                                "memory_limit_mb)"
                 : s == SIGSYS && lim->sandbox
                     ? ": the sandbox refused a system call while the "
                       "plugin blocked SIGSYS (isolation.sandbox, "
                       "docs/plugins.md)"
                     : "");
    } else if (WIFEXITED(w->status) && lim->sandbox &&
               we_sandbox_exit_kind(WEXITSTATUS(w->status)) != 0) {
        int kind = we_sandbox_exit_kind(WEXITSTATUS(w->status));
        snprintf(msg, n, "%s: the plugin %s; the sandbox refused it and "
                         "ended the experiment (isolation.sandbox, "
                         "docs/plugins.md)",
                 stage, w->detail != NULL && w->detail[0] != '\0'
                            ? w->detail
                            : we_sandbox_kind_text(kind));
    } else if (WIFEXITED(w->status) &&
               WEXITSTATUS(w->status) == EXIT_NO_PIPE) {
        snprintf(msg, n, "%s: the plugin's process could not send its "
                         "results: its pipe to wijkeval was closed",
                 stage);
    } else {
        snprintf(msg, n, "%s: the plugin's process exited with status %d "
                         "before it returned its results; a plugin must "
                         "return from its callbacks, never call exit()",
                 stage, WIFEXITED(w->status) ? WEXITSTATUS(w->status) : -1);
    }
}

static void classify(we_ctx *ctx, const watch *w,
                     const we_isolation_cfg *lim)
{
    we_wire_msg m;
    we_error derr = {{0}};
    char msg[2 * WE_ERROR_MAX];
    int corrupt = we_wire_decode(w->buf, w->len, &m, &derr) != 0;
    const char *stage = we_wire_stage_name(m.stage);
    int clean = !w->timed_out && WIFEXITED(w->status) &&
                WEXITSTATUS(w->status) == 0;
    if (w->no_memory)
        snprintf(msg, sizeof msg, "%s: out of memory in wijkeval while "
                 "reading the plugin's results", stage);
    else if (w->overflow)
        snprintf(msg, sizeof msg, "%s: the plugin's process sent more than "
                 "%zu MiB of results; it was killed", stage,
                 WE_WIRE_MAX_BYTES >> 20);
    else if (corrupt)
        snprintf(msg, sizeof msg, "%s: the results from the plugin's "
                 "process are corrupt: %s", stage, derr.msg);
    else if (!clean || !m.complete)
        describe_end(w, lim, stage, msg, sizeof msg);
    else if (we_wire_validate(&m, ctx->targets, ctx->n_targets, &derr))
        snprintf(msg, sizeof msg, "the results from the plugin's process "
                 "are invalid: %s", derr.msg);
    else {
        we_wire_adopt(ctx->out, &m);
        we_wire_msg_free(&m);
        return;
    }
    we_wire_msg_free(&m);
    fail(ctx, msg);
}

/* ---- running ------------------------------------------------------------ */

static int open_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    return 0;
}

static int cannot_start(we_ctx *ctx, const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, "cannot start a process for the experiment "
             "(%s: %s); set isolation = { enabled = false; } to run "
             "plugins inside wijkeval", what, strerror(errno));
    fail(ctx, msg);
    return -1;
}

/* Forks the child of one experiment; -1 (and the experiment failed) when
 * it cannot. */
static int start(we_ctx *ctx, const we_isolation_cfg *lim, watch *w)
{
    int fds[2];
    if (open_pipe(fds) != 0)
        return cannot_start(ctx, "pipe");
    /* Unflushed host output would otherwise be written twice. */
    fflush(NULL);
    char *detail = lim->sandbox ? we_sandbox_detail_new() : NULL;
    pid_t host = getpid(), pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        if (detail != NULL)
            we_sandbox_detail_free(detail);
        errno = saved;
        return cannot_start(ctx, "fork");
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(ctx, fds[1], lim, host, detail);
    }
    setpgid(pid, pid); /* also here: the child may not have run yet */
    close(fds[1]);
    *w = (watch){.pid = pid, .fd = fds[0], .backoff = 1, .detail = detail,
                 .deadline = lim->time_limit > 0 ? now() + lim->time_limit
                                                 : 0};
    return 0;
}

static void finish(we_ctx *ctx, const we_isolation_cfg *lim, watch *w)
{
    reap(w);
    close(w->fd);
    ctx->out->status = WE_EXP_OK;
    ctx->out->process_fault = 0;
    classify(ctx, w, lim);
    free(w->buf);
    w->buf = NULL;
    if (w->detail != NULL)
        we_sandbox_detail_free(w->detail);
    w->detail = NULL;
}

void we_isolate_execute_many(we_ctx *const *ctx,
                             const we_isolation_cfg *lim, size_t n,
                             size_t jobs)
{
    watch *w = calloc(n ? n : 1, sizeof *w);
    /* An array of pointers. */
    watch **run = calloc(n ? n : 1, sizeof *run); // NOLINT(bugprone-sizeof-expression)
    size_t next = 0, n_run = 0;
    jobs = jobs == 0 ? 1 : jobs > WE_MAX_JOBS ? WE_MAX_JOBS : jobs;
    if (w == NULL || run == NULL) {
        for (size_t k = 0; k < n; k++)
            fail(ctx[k], "out of memory starting the experiment");
        n = 0;
    }
    while (next < n || n_run > 0) {
        for (; next < n && n_run < jobs; next++)
            if (start(ctx[next], &lim[next], &w[next]) == 0)
                run[n_run++] = &w[next];
        for (size_t k = 0; k < n_run;) {
            if (!check(run[k])) {
                k++;
                continue;
            }
            size_t i = (size_t)(run[k] - w);
            finish(ctx[i], &lim[i], run[k]);
            run[k] = run[--n_run];
        }
        if (n_run > 0)
            wait_any(run, n_run);
    }
    free(run);
    free(w);
}

int we_isolate_execute(we_ctx *ctx, const we_isolation_cfg *lim)
{
    we_isolate_execute_many(&ctx, lim, 1, 1);
    return ctx->out->status == WE_EXP_OK ? 0 : -1;
}
