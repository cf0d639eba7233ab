/* The plugin sandbox without the plugin host (host/sandbox.h): a child
 * enters it and tries each forbidden thing; each fails with the right
 * kind and message and leaves no trace (no file, no connection), and what
 * a computation needs still works. Skipped where the kernel has no
 * Landlock or seccomp, and under valgrind (docs/reliability.md). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/sandbox.h"

static char tmpdir[256];
static char secret[300];   /* a file the sandbox must not let be read */
static int port;           /* a listening socket on 127.0.0.1 */
static int listener = -1;
static char *shared;       /* the detail page, MAP_SHARED */

/* Runs fn in a sandboxed child; its exit status (minus the signal that
 * killed it), what it wrote to stderr in err_out. fn's return value is the child's exit status. */
static int sandboxed(int (*fn)(int fd), char *err_out, size_t n)
{
    int e[2], r[2];
    assert_int_equal(pipe(e), 0);
    assert_int_equal(pipe(r), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(e[0]);
        close(r[0]);
        dup2(e[1], STDERR_FILENO);
        we_error err = {{0}};
        if (we_sandbox_enter(NULL, r[1], shared, 256, &err) != 0) {
            fprintf(stderr, "enter: %s\n", err.msg);
            _exit(90);
        }
        _exit(fn(r[1]));
    }
    close(e[1]);
    close(r[1]);
    size_t len = 0;
    ssize_t got;
    while (len + 1 < n && (got = read(e[0], err_out + len, n - 1 - len)) > 0)
        len += (size_t)got;
    err_out[len] = '\0';
    close(e[0]);
    close(r[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    if (WIFSIGNALED(st))
        return -WTERMSIG(st);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

#define TRAPPED(kind) (WE_SANDBOX_EXIT_BASE + (kind))

static void expect(int (*fn)(int), int status, const char *says)
{
    char err[4096];
    shared[0] = '\0';
    int st = sandboxed(fn, err, sizeof err);
    if (st != status || (says && strstr(err, says) == NULL))
        fail_msg("exit %d (want %d), stderr: %s (want \"%s\")", st, status,
                 err, says ? says : "");
    /* The host's copy says the same. */
    if (st != 0 && says != NULL && says[0] != '(' &&
        strstr(err, shared) == NULL)
        fail_msg("the shared detail \"%s\" is not in \"%s\"", shared, err);
    if (st >= WE_SANDBOX_EXIT_BASE && shared[0] == '\0')
        fail_msg("no shared detail for exit %d", st);
}

/* ---- allowed ---------------------------------------------------------- */

static void *thread_fn(void *p)
{
    *(double *)p = sqrt(2.0);
    return NULL;
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

static int computes(int fd)
{
    size_t n = 1 << 22;
    double *a = malloc(n * sizeof *a), s = 0;
    if (a == NULL)
        return 1;
    for (size_t i = 0; i < n; i++)
        s += a[i] = exp(-(double)i / (double)n);
    free(a);
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 2;
    double t = 0;
    pthread_t th;
    if (pthread_create(&th, NULL, thread_fn, &t) != 0 ||
        pthread_join(th, NULL) != 0 || fabs(t - sqrt(2.0)) > 1e-15)
        return 3;
    char line[64];
    int len = snprintf(line, sizeof line, "%.6f\n", s);
    if (write(fd, line, (size_t)len) != len)
        return 4;
    fprintf(stderr, "stdio works\n");
    signal(SIGUSR1, on_usr1); /* a signal to itself is allowed */
    if (raise(SIGUSR1) != 0 || !got_usr1)
        return 5;
    return 0;
}

static void test_computing_works(void **state)
{
    (void)state;
    expect(computes, 0, "stdio works");
}

/* ---- files ------------------------------------------------------------ */

static int reads_passwd(int fd)
{
    (void)fd;
    int f = open("/etc/passwd", O_RDONLY);
    return f < 0 && errno == EACCES ? 0 : 1;
}

static int reads_secret(int fd)
{
    (void)fd;
    FILE *f = fopen(secret, "r");
    if (f != NULL) {
        fclose(f);
        return 1;
    }
    return errno == EACCES ? 0 : 1;
}

static int lists_tmp(int fd)
{
    (void)fd;
    return open(tmpdir, O_RDONLY | O_DIRECTORY) < 0 ? 0 : 1;
}

static int writes_tmp(int fd)
{
    (void)fd;
    char p[300];
    snprintf(p, sizeof p, "%s/written", tmpdir);
    FILE *f = fopen(p, "w");
    if (f == NULL)
        return 7;
    fclose(f);
    return 8;
}

static int reads_library(int fd)
{
    (void)fd;
    int f = open("/etc/ld.so.cache", O_RDONLY);
    return f >= 0 ? 0 : 1;
}

static void test_files(void **state)
{
    (void)state;
    expect(reads_passwd, 0, NULL);
    expect(reads_secret, 0, NULL);
    expect(lists_tmp, 0, NULL);
    expect(reads_library, 0, NULL);
    expect(writes_tmp, TRAPPED(WE_SANDBOX_FILE),
           "tried to write or change a file (openat ");
    char p[300];
    snprintf(p, sizeof p, "%s/written", tmpdir);
    assert_int_equal(access(p, F_OK), -1);
}

/* ---- network, programs, processes, signals, privileges --------------- */

static int connects(int fd)
{
    (void)fd;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? 50 : 51;
}

static int runs_sh(int fd)
{
    (void)fd;
    execl("/bin/sh", "sh", "-c", "true", (char *)NULL);
    return 52;
}

static int forks(int fd)
{
    (void)fd;
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    return 53;
}

static int kills_parent(int fd)
{
    (void)fd;
    kill(getppid(), SIGTERM);
    return 54;
}

static int lifts(int fd)
{
    (void)fd;
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    return 55;
}

static int catches_sigsys(int fd)
{
    (void)fd;
    signal(SIGSYS, SIG_IGN);
    return 56;
}

/* Blocking SIGSYS does not get a refused call through: the kernel kills
 * the process with SIGSYS (the host says the sandbox refused a call). */
static int blocks_sigsys(int fd)
{
    (void)fd;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigprocmask(SIG_BLOCK, &s, NULL);
    socket(AF_INET, SOCK_STREAM, 0);
    return 57;
}

static void test_refused(void **state)
{
    (void)state;
    expect(connects, TRAPPED(WE_SANDBOX_NETWORK),
           "tried to open a network socket (socket)");
    expect(runs_sh, TRAPPED(WE_SANDBOX_PROGRAM),
           "tried to start a program (execve /bin/sh)");
    expect(forks, TRAPPED(WE_SANDBOX_PROCESS),
           "tried to create a process (clone)");
    expect(kills_parent, TRAPPED(WE_SANDBOX_SIGNAL),
           "tried to send a signal to another process (kill)");
    expect(lifts, TRAPPED(WE_SANDBOX_PRIVILEGE), "(prctl)");
    expect(catches_sigsys, TRAPPED(WE_SANDBOX_PRIVILEGE), "(rt_sigaction)");
    expect(blocks_sigsys, -SIGSYS, NULL);
    /* Nothing connected to the listening socket. */
    int fl = fcntl(listener, F_GETFL);
    fcntl(listener, F_SETFL, fl | O_NONBLOCK);
    assert_int_equal(accept(listener, NULL, NULL), -1);
    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
}

static void test_exit_kinds(void **state)
{
    (void)state;
    assert_int_equal(we_sandbox_exit_kind(0), 0);
    assert_int_equal(we_sandbox_exit_kind(125), 0);
    assert_int_equal(we_sandbox_exit_kind(TRAPPED(WE_SANDBOX_NETWORK)),
                     WE_SANDBOX_NETWORK);
    assert_string_equal(we_sandbox_kind_text(WE_SANDBOX_PROGRAM),
                        "tried to start a program");
    assert_null(we_sandbox_kind_text(0));
}

static int setup(void **state)
{
    (void)state;
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return -1;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/we-sandbox-XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    snprintf(secret, sizeof secret, "%s/secret.csv", tmpdir);
    FILE *f = fopen(secret, "w");
    if (f == NULL)
        return -1;
    fputs("secret\n", f);
    fclose(f);
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(listener, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(listener, 4) != 0 ||
        getsockname(listener, (struct sockaddr *)&a, &len) != 0)
        return -1;
    port = ntohs(a.sin_port);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(listener);
    unlink(secret);
    rmdir(tmpdir);
    return 0;
}

static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

int main(void)
{
    char why[256];
    if (!we_sandbox_available(why, sizeof why) || under_valgrind()) {
        printf("test_sandbox: skipped: %s\n",
               under_valgrind() ? "under valgrind" : why);
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_kinds),
        cmocka_unit_test(test_computing_works),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
