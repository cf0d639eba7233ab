/* One experiment's plugin in a child process (see isolate.h). */
/* pipe2, close_range and the prctl options of Linux. */
#define _GNU_SOURCE
#include "host/isolate.h"

#include "host/sandbox.h"

#include <dirent.h>
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
#include <sys/syscall.h>
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

/* The descriptor of the child's pipe to the host: the only one besides
 * stdin, stdout and stderr that a child keeps. */
#define CHILD_FD 3
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

/* Closes every descriptor above CHILD_FD: the pipes of the experiments
 * already running, and whatever else the host has open, are out of the
 * plugin's reach (also through /proc/self/fd). */
static void close_inherited(void)
{
#if defined(__linux__) && defined(SYS_close_range)
    if (syscall(SYS_close_range, CHILD_FD + 1, ~0U, 0) == 0)
        return;
#endif
    struct rlimit rl;
    long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
                       rl.rlim_cur != RLIM_INFINITY
                   ? (long)rl.rlim_cur
                   : 65536;
    for (long fd = CHILD_FD + 1; fd < max; fd++)
        close((int)fd);
}

/* The pipe to the host becomes CHILD_FD, every other descriptor but
 * stdin, stdout and stderr is closed. */
static void keep_only_pipe(int fd)
{
    if (fd != CHILD_FD && dup2(fd, CHILD_FD) < 0)
        _exit(EXIT_NO_PIPE);
    fcntl(CHILD_FD, F_SETFD, FD_CLOEXEC);
    close_inherited();
}

/* Before any plugin code, even its constructors: only its own pipe, its
 * own process group (so that the host can end whatever it starts), death
 * with the host, a subreaper of whatever it starts (so that nothing of it
 * is re-parented to the host while it runs), no access for other plugins
 * to its /proc entries, stdout away from the host's summary, no core
 * files, the memory limit. */
static void child_setup(const we_isolation_cfg *lim, pid_t host, int fd)
{
    keep_only_pipe(fd);
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_SET_DUMPABLE, 0);
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

/* The child's first message: the header, allocated before any plugin
 * code runs. */
static void child_begin(child *c)
{
    c->fd = CHILD_FD;
    c->small.data = malloc(c->small.cap = 4096);
    if (c->small.data == NULL)
        _exit(EXIT_NO_PIPE);
    we_wire_put_header(&c->small);
    send_small(c);
}

/* Ends the message with a failure; the child has nothing else to say. */
static void send_failure(child *c, const char *msg)
{
    we_wire_put_stage(&c->small, WE_STAGE_SEND);
    we_wire_put_outcome(&c->small, WE_EXP_FAILED, msg);
    we_wire_put_end(&c->small);
    send_small(c);
    _exit(0);
}

/* The sandbox (host/sandbox.h), before any plugin code runs (before the
 * dlopen: the plugin's constructors run inside it too); when it cannot be
 * entered the experiment fails and the plugin is not loaded. */
static void enter_sandbox(child *c, const char *plugin_path,
                          const we_isolation_cfg *lim, char *detail)
{
    if (!lim->sandbox)
        return;
    we_error err = {{0}};
    if (we_sandbox_enter(plugin_path, c->fd, detail,
                         detail ? WE_SANDBOX_DETAIL : 0, &err) != 0)
        send_failure(c, err.msg);
}

/* host->log in a child whose host collects the messages (check-plugin):
 * they go to the host as LOG records. */
static void send_log(void *user, we_log_level level, const char *message)
{
    child *c = user;
    we_wire_put_log(&c->small, (int)level, message);
    send_small(c);
}

/* dlopen, the constructors and the entry function of a plugin the host
 * knows only by its descriptor: here, in the child, under its limits. */
static void load_here(we_ctx *ctx, we_plugin *live, child *c)
{
    we_error err = {{0}};
    char msg[2 * WE_ERROR_MAX];
    send_stage(c, WE_STAGE_LOAD);
    if (we_plugin_load(live, ctx->plugin->path, &err) != 0) {
        snprintf(msg, sizeof msg, "while loading the plugin: %s", err.msg);
        send_failure(c, msg);
    }
    if (strcmp(live->desc.id, ctx->plugin->desc.id) != 0) {
        snprintf(msg, sizeof msg, "while loading the plugin: %s: its "
                 "descriptor has id '%s' now but had '%s' when wijkeval "
                 "read it; a plugin's descriptor must not change",
                 ctx->plugin->path, live->desc.id, ctx->plugin->desc.id);
        send_failure(c, msg);
    }
    ctx->plugin = live;
}

static void child_main(we_ctx *ctx, int fd, const we_isolation_cfg *lim,
                       pid_t host, char *detail)
{
    child_setup(lim, host, fd);
    child c;
    memset(&c, 0, sizeof c);
    child_begin(&c);
    enter_sandbox(&c, ctx->plugin ? ctx->plugin->path : NULL, lim, detail);
    if (we_isolate_memory_limit_supported())
        ctx->memory_limit_mb = lim->memory_limit_mb;
    we_plugin live;
    memset(&live, 0, sizeof live);
    if (ctx->plugin->remote)
        load_here(ctx, &live, &c);
    if (ctx->log_sink != NULL) {
        ctx->log_sink = send_log;
        /* c outlives every use: this function never returns (_exit). */
        // cppcheck-suppress autoVariables
        ctx->log_user = &c;
    }
    we_host_run_plugin(ctx, send_stage, &c);
    fflush(NULL); /* what the plugin printed, before the results */
    send_stage(&c, WE_STAGE_SEND);
    if (ctx->emit_error[0] != '\0') {
        we_wire_put_refused(&c.small, ctx->emit_error);
        send_small(&c);
    }
    send_run(&c, ctx->out);
    /* dlclose: the plugin's destructors run here too. A crash in them
     * fails the experiment (the child did not end normally). */
    we_plugin_unload(&live);
    /* _exit: no atexit handlers or stdio buffers inherited from the host
     * may run twice. */
    _exit(0);
}

/* A probe: loads the plugin and sends its descriptor, nothing else. */
static void probe_main(const char *path, int fd, const we_isolation_cfg *lim,
                       pid_t host, char *detail)
{
    child_setup(lim, host, fd);
    child c;
    memset(&c, 0, sizeof c);
    child_begin(&c);
    enter_sandbox(&c, path, lim, detail);
    send_stage(&c, WE_STAGE_LOAD);
    we_plugin live;
    we_error err = {{0}};
    if (we_plugin_load(&live, path, &err) != 0)
        send_failure(&c, err.msg);
    we_wire_buf out = {0};
    we_wire_put_descriptor(&out, &live.desc);
    if (out.failed) {
        char msg[sizeof out.why + 256];
        snprintf(msg, sizeof msg, "%s: its descriptor cannot be sent to "
                 "wijkeval: %s", path, out.why);
        send_failure(&c, msg);
    }
    if (write_all(c.fd, out.data, out.len) != 0)
        _exit(EXIT_NO_PIPE);
    we_wire_put_stage(&c.small, WE_STAGE_SEND);
    we_wire_put_outcome(&c.small, WE_EXP_OK, "");
    we_wire_put_end(&c.small);
    send_small(&c);
    we_plugin_unload(&live); /* its destructors, here */
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
                         const char *stage, const char *what, char *msg,
                         size_t n)
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
                         "%s: its pipe to wijkeval was closed",
                 stage, what);
    } else {
        snprintf(msg, n, "%s: the plugin's process exited with status %d "
                         "before it returned its %s; a plugin must "
                         "return from its %s, never call exit()",
                 stage, WIFEXITED(w->status) ? WEXITSTATUS(w->status) : -1,
                 what, strcmp(what, "results") == 0 ? "callbacks"
                                                    : "constructors");
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
    for (size_t k = 0; ctx->log_sink != NULL && k < m.n_logs; k++)
        ctx->log_sink(ctx->log_user, (we_log_level)m.log_levels[k],
                      m.logs[k]);
    if (m.refused != NULL)
        snprintf(ctx->emit_error, sizeof ctx->emit_error, "%s", m.refused);
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
        describe_end(w, lim, stage, "results", msg, sizeof msg);
    else if (we_wire_validate_in(
                 &m,
                 &(we_result_scope){ctx->targets, ctx->n_targets,
                                    ctx->panel ? ctx->panel->n_areas : 0,
                                    ctx->panel ? ctx->panel->n_periods : 0},
                 &derr))
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

/* Close-on-exec from the start: no other child, and nothing a plugin
 * executes, inherits either end (the child moves its own end to
 * CHILD_FD and closes the rest). */
static int open_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
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

/* The host adopts what its plugin children leave behind: a process
 * whose parent dies is re-parented to the host, not to init, and the host
 * ends it (kill_orphans). */
static void become_subreaper(void)
{
#ifdef __linux__
    prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
}

/* Forks a child: an experiment's (ctx) or a probe of the plugin at
 * probe_path. -1 with errno when it cannot, *what saying which call. */
static int spawn(const we_isolation_cfg *lim, watch *w, we_ctx *ctx,
                 const char *probe_path, const char **what)
{
    int fds[2];
    become_subreaper();
    *what = "pipe";
    if (open_pipe(fds) != 0)
        return -1;
    /* Unflushed host output would otherwise be written twice. */
    fflush(NULL);
    *what = "fork";
    char *detail = lim->sandbox ? we_sandbox_detail_new() : NULL;
    pid_t host = getpid(), pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(fds[0]);
        close(fds[1]);
        we_sandbox_detail_free(detail);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        if (ctx != NULL)
            child_main(ctx, fds[1], lim, host, detail);
        probe_main(probe_path, fds[1], lim, host, detail);
    }
    setpgid(pid, pid); /* also here: the child may not have run yet */
    close(fds[1]);
    /* The time limit counts from the fork: loading the plugin is part of
     * it. */
    *w = (watch){.pid = pid, .fd = fds[0], .backoff = 1, .detail = detail,
                 .deadline = lim->time_limit > 0 ? now() + lim->time_limit
                                                 : 0};
    return 0;
}

/* Forks the child of one experiment; -1 (and the experiment failed) when
 * it cannot. */
static int start(we_ctx *ctx, const we_isolation_cfg *lim, watch *w)
{
    const char *what;
    return spawn(lim, w, ctx, NULL, &what) == 0 ? 0
                                                 : cannot_start(ctx, what);
}

/* ---- what the children leave behind ------------------------------------ */

#ifdef __linux__
/* The parent of process pid, from /proc/pid/stat; -1 when it is gone. */
static long parent_of(const char *pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *end = strrchr(buf, ')'); /* "pid (name) state ppid ..." */
    if (end == NULL || end[1] != ' ' || end[2] == '\0' || end[3] != ' ')
        return -1;
    char *stop;
    errno = 0;
    long ppid = strtol(end + 4, &stop, 10);
    return errno == 0 && stop != end + 4 ? ppid : -1;
}

static int is_running(pid_t pid, watch *const *run, size_t n_run)
{
    for (size_t k = 0; k < n_run; k++)
        if (run[k]->pid == pid)
            return 1;
    return 0;
}

/* One pass: kills and reaps every child of the host that is not a running
 * plugin child. Returns how many it found. */
static size_t kill_orphans_once(watch *const *run, size_t n_run)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return 0;
    long me = (long)getpid();
    size_t found = 0;
    const struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] < '1' || ent->d_name[0] > '9' ||
            parent_of(ent->d_name) != me)
            continue;
        pid_t pid = (pid_t)strtol(ent->d_name, NULL, 10);
        if (is_running(pid, run, n_run))
            continue;
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        found++;
    }
    closedir(d);
    return found;
}
#endif

/* Whatever a finished plugin child started and left behind (a grandchild
 * that called setsid left its process group) was re-parented to the host,
 * which is a subreaper: every child of the host that is not a running
 * plugin child is such an orphan, since a running plugin child is itself
 * the subreaper of its descendants. Repeats until none is left, as a
 * killed orphan's own children are re-parented in turn. */
static void kill_orphans(watch *const *run, size_t n_run)
{
#ifdef __linux__
    for (int pass = 0; pass < 10000 && kill_orphans_once(run, n_run) > 0;
         pass++)
        ;
#else
    (void)run;
    (void)n_run;
#endif
}

static void finish(we_ctx *ctx, const we_isolation_cfg *lim, watch *w,
                   watch *const *run, size_t n_run)
{
    reap(w);
    kill_orphans(run, n_run);
    close(w->fd);
    ctx->out->status = WE_EXP_OK;
    ctx->out->process_fault = 0;
    classify(ctx, w, lim);
    free(w->buf);
    w->buf = NULL;
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
            finish(ctx[i], &lim[i], run[k], run, n_run);
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

/* ---- probing a plugin --------------------------------------------------- */

/* What a finished probe said: 0 and p adopted, or -1 with err. */
static int probe_outcome(we_plugin *p, const char *path, const watch *w,
                         const we_isolation_cfg *lim, we_error *err)
{
    we_wire_msg m;
    we_error derr = {{0}};
    char msg[2 * WE_ERROR_MAX];
    int corrupt = we_wire_decode(w->buf, w->len, &m, &derr) != 0;
    int clean = !w->timed_out && WIFEXITED(w->status) &&
                WEXITSTATUS(w->status) == 0;
    int rc = -1;
    if (w->no_memory || w->overflow || corrupt)
        we_fail(err, WE_EINVAL, "%s: while loading the plugin: what its "
                "process sent is unusable: %s", path,
                corrupt ? derr.msg : "too large, or out of memory");
    else if (m.complete && m.has_outcome && m.run.status != WE_EXP_OK)
        we_fail(err, WE_EINVAL, "%s", m.run.error ? m.run.error : "");
    else if (m.complete && m.has_descriptor && !clean) {
        describe_end(w, lim, "after its descriptor was read", "descriptor",
                     msg, sizeof msg);
        we_fail(err, WE_EINVAL, "%s: while unloading the plugin (in a "
                "destructor): %s", path, msg);
    } else if (!m.complete || !m.has_descriptor || !clean) {
        describe_end(w, lim, "while loading the plugin", "descriptor", msg,
                     sizeof msg);
        we_fail(err, WE_EINVAL, "%s: %s", path, msg);
    } else {
        rc = we_plugin_adopt_remote(p, path, &m.desc, m.callbacks, err);
    }
    we_wire_msg_free(&m);
    return rc;
}

int we_isolate_probe(we_plugin *p, const char *path,
                     const we_isolation_cfg *lim, we_error *err)
{
    memset(p, 0, sizeof *p);
    if (we_plugin_check_file(path, err) != 0)
        return -1;
    watch w;
    const char *what;
    if (spawn(lim, &w, NULL, path, &what) != 0)
        return we_fail(err, WE_EINVAL, "%s: cannot start a process to load "
                       "the plugin (%s: %s)", path, what, strerror(errno));
    watch *const run[1] = {&w};
    while (!check(&w))
        wait_any(run, 1);
    reap(&w);
    kill_orphans(run, 0);
    close(w.fd);
    int rc = probe_outcome(p, path, &w, lim, err);
    free(w.buf);
    we_sandbox_detail_free(w.detail);
    return rc;
}
