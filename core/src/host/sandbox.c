/* The sandbox around a plugin's process (see sandbox.h). Linux only:
 * elsewhere we_sandbox_available says why there is none. */
#define _GNU_SOURCE /* syscall(), REG_* in ucontext_t */
#include "host/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/landlock.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <ucontext.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define WE_SB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WE_SB_ASAN 1
#endif
#endif
#ifndef WE_SB_ASAN
#define WE_SB_ASAN 0
#endif

static const char *const KIND_TEXT[WE_SANDBOX_N_KINDS + 1] = {
    NULL,
    "tried to open a network socket",
    "tried to start a program",
    "tried to create a process",
    "tried to trace or read another process",
    "tried to send a signal to another process",
    "tried to change its privileges or the sandbox",
    "tried to write or change a file",
    "made a system call the sandbox does not allow",
};

const char *we_sandbox_kind_text(int kind)
{
    return kind >= 1 && kind <= WE_SANDBOX_N_KINDS ? KIND_TEXT[kind] : NULL;
}

char *we_sandbox_detail_new(void)
{
#ifdef __linux__
    void *p = mmap(NULL, WE_SANDBOX_DETAIL, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
#else
    return NULL;
#endif
}

void we_sandbox_detail_free(char *page)
{
#ifdef __linux__
    if (page != NULL)
        munmap(page, WE_SANDBOX_DETAIL);
#else
    (void)page;
#endif
}

int we_sandbox_exit_kind(int status)
{
    int k = status - WE_SANDBOX_EXIT_BASE;
    return k >= 1 && k <= WE_SANDBOX_N_KINDS ? k : 0;
}

#ifndef __linux__

int we_sandbox_available(char *why, size_t n)
{
    snprintf(why, n, "Landlock and seccomp exist only on Linux");
    return 0;
}

int we_sandbox_for_tools(void)
{
    static int said;
    if (!said)
        fprintf(stderr, "wijkeval: warning: plugins not sandboxed: "
                        "Landlock and seccomp exist only on Linux\n");
    said = 1;
    return 0;
}

int we_sandbox_enter(const char *plugin_path, int result_fd, char *detail,
                     size_t detail_n, we_error *err)
{
    (void)plugin_path;
    (void)result_fd;
    (void)detail;
    (void)detail_n;
    return we_fail(err, WE_EINVAL, "the plugin sandbox exists only on "
                   "Linux; run with --allow-unsandboxed");
}

#else

/* ---- Landlock ------------------------------------------------------------ */

/* The kernel's ruleset attribute as of ABI 6; older kernels are given
 * the prefix they know. (The system header may predate the later
 * fields.) */
typedef struct ll_ruleset {
    uint64_t fs, net, scoped;
} ll_ruleset;

#define LL_FS_ABI1 ((1ULL << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ULL << 13)      /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)  /* ABI 5 */
#define LL_NET_TCP 3ULL               /* BIND_TCP | CONNECT_TCP, ABI 4 */
#define LL_SCOPE_ALL 3ULL             /* abstract unix sockets, signals */
#define LL_READ                                                        \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |       \
     LANDLOCK_ACCESS_FS_READ_DIR)
#define LL_READ_FILE                                                   \
    (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)

static long landlock_abi(void)
{
    return syscall(SYS_landlock_create_ruleset, NULL, 0,
                   LANDLOCK_CREATE_RULESET_VERSION);
}

/* What the loader reads to load a plugin and its libraries. */
static const char *const SYSTEM_PATHS[] = {
    "/lib",           "/lib64",         "/lib32",
    "/libx32",        "/usr/lib",       "/usr/lib64",
    "/usr/lib32",     "/usr/libx32",    "/usr/local/lib",
    "/usr/local/lib64", "/etc/ld.so.cache",
};

/* Allows reading path and what is under it; a path that does not exist
 * is skipped (not every system has /lib32). */
static int allow_read(int ruleset, const char *path)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
    struct landlock_path_beneath_attr pb = {
        .allowed_access = dir ? LL_READ : LL_READ_FILE, .parent_fd = fd};
    long rc = syscall(SYS_landlock_add_rule, ruleset,
                      LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
    close(fd);
    return rc == 0 ? 0 : -1;
}

/* Every directory of LD_LIBRARY_PATH, which the loader searches first. */
static int allow_library_path(int ruleset)
{
    const char *lp = getenv("LD_LIBRARY_PATH");
    char dir[4096];
    while (lp != NULL && *lp != '\0') {
        size_t len = strcspn(lp, ":;");
        if (len > 0 && len < sizeof dir) {
            memcpy(dir, lp, len);
            dir[len] = '\0';
            if (allow_read(ruleset, dir) != 0)
                return -1;
        }
        lp += len + (lp[len] != '\0');
    }
    return 0;
}

static int landlock_rules(int ruleset, const char *plugin_path)
{
    for (size_t k = 0; k < sizeof SYSTEM_PATHS / sizeof *SYSTEM_PATHS; k++)
        if (allow_read(ruleset, SYSTEM_PATHS[k]) != 0)
            return -1;
    if (allow_library_path(ruleset) != 0)
        return -1;
    /* AddressSanitizer reads /proc/self/maps when it reports. */
    if (WE_SB_ASAN && allow_read(ruleset, "/proc/self") != 0)
        return -1;
    if (plugin_path == NULL)
        return 0;
    int fd = open(plugin_path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return -1;
    close(fd);
    return allow_read(ruleset, plugin_path);
}

static int enter_landlock(const char *plugin_path, we_error *err)
{
    long abi = landlock_abi();
    if (abi < 1)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: Landlock is "
                       "not available (%s); run with --allow-unsandboxed",
                       strerror(errno));
    ll_ruleset attr = {.fs = LL_FS_ABI1};
    size_t size = sizeof attr.fs;
    if (abi >= 2)
        attr.fs |= LL_FS_REFER;
    if (abi >= 3)
        attr.fs |= LL_FS_TRUNCATE;
    if (abi >= 4) {
        attr.net = LL_NET_TCP;
        size = 2 * sizeof attr.fs;
    }
    if (abi >= 5)
        attr.fs |= LL_FS_IOCTL_DEV;
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ALL;
        size = sizeof attr;
    }
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (rs < 0)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: cannot create "
                       "the Landlock ruleset: %s", strerror(errno));
    if (landlock_rules(rs, plugin_path) != 0) {
        int e = errno;
        close(rs);
        return we_fail(err, WE_EINVAL, "the plugin sandbox: cannot allow "
                       "reading %s: %s; check that it exists",
                       plugin_path ? plugin_path : "the system libraries",
                       strerror(e));
    }
    long rc = syscall(SYS_landlock_restrict_self, rs, 0);
    int e = errno;
    close(rs);
    if (rc != 0)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: Landlock "
                       "refused to restrict the process: %s", strerror(e));
    return 0;
}

/* ---- what the SIGSYS handler knows ------------------------------------- */

/* A refused system call: its number (resolved before the filter is
 * loaded, so that the handler only reads this table), name and kind, and
 * which argument names a path (-1: none). */
typedef struct refused {
    const char *name;
    int kind;
    int path_arg;
    int nr;
} refused;

static refused REFUSED[] = {
    {"socket", WE_SANDBOX_NETWORK, -1, 0},
    {"socketpair", WE_SANDBOX_NETWORK, -1, 0},
    {"connect", WE_SANDBOX_NETWORK, -1, 0},
    {"bind", WE_SANDBOX_NETWORK, -1, 0},
    {"listen", WE_SANDBOX_NETWORK, -1, 0},
    {"accept", WE_SANDBOX_NETWORK, -1, 0},
    {"accept4", WE_SANDBOX_NETWORK, -1, 0},
    {"sendto", WE_SANDBOX_NETWORK, -1, 0},
    {"sendmsg", WE_SANDBOX_NETWORK, -1, 0},
    {"recvfrom", WE_SANDBOX_NETWORK, -1, 0},
    {"recvmsg", WE_SANDBOX_NETWORK, -1, 0},
    {"execve", WE_SANDBOX_PROGRAM, 0, 0},
    {"execveat", WE_SANDBOX_PROGRAM, 1, 0},
    {"fork", WE_SANDBOX_PROCESS, -1, 0},
    {"vfork", WE_SANDBOX_PROCESS, -1, 0},
    {"clone", WE_SANDBOX_PROCESS, -1, 0},
    {"ptrace", WE_SANDBOX_TRACE, -1, 0},
    {"process_vm_readv", WE_SANDBOX_TRACE, -1, 0},
    {"process_vm_writev", WE_SANDBOX_TRACE, -1, 0},
    {"pidfd_open", WE_SANDBOX_TRACE, -1, 0},
    {"pidfd_getfd", WE_SANDBOX_TRACE, -1, 0},
    {"kcmp", WE_SANDBOX_TRACE, -1, 0},
    {"kill", WE_SANDBOX_SIGNAL, -1, 0},
    {"tkill", WE_SANDBOX_SIGNAL, -1, 0},
    {"tgkill", WE_SANDBOX_SIGNAL, -1, 0},
    {"rt_sigqueueinfo", WE_SANDBOX_SIGNAL, -1, 0},
    {"rt_tgsigqueueinfo", WE_SANDBOX_SIGNAL, -1, 0},
    {"pidfd_send_signal", WE_SANDBOX_SIGNAL, -1, 0},
    {"prctl", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"seccomp", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"rt_sigaction", WE_SANDBOX_PRIVILEGE, -1, 0}, /* of SIGSYS */
    {"setuid", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"setgid", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"setresuid", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"setresgid", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"unshare", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"setns", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"mount", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"chroot", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"bpf", WE_SANDBOX_PRIVILEGE, -1, 0},
    {"open", WE_SANDBOX_FILE, 0, 0},
    {"openat", WE_SANDBOX_FILE, 1, 0},
    {"creat", WE_SANDBOX_FILE, 0, 0},
    {"openat2", WE_SANDBOX_FILE, 1, 0},
    {"truncate", WE_SANDBOX_FILE, 0, 0},
    {"ftruncate", WE_SANDBOX_FILE, -1, 0},
    {"unlink", WE_SANDBOX_FILE, 0, 0},
    {"unlinkat", WE_SANDBOX_FILE, 1, 0},
    {"rename", WE_SANDBOX_FILE, 0, 0},
    {"renameat", WE_SANDBOX_FILE, 1, 0},
    {"renameat2", WE_SANDBOX_FILE, 1, 0},
    {"mkdir", WE_SANDBOX_FILE, 0, 0},
    {"mkdirat", WE_SANDBOX_FILE, 1, 0},
    {"rmdir", WE_SANDBOX_FILE, 0, 0},
    {"link", WE_SANDBOX_FILE, 1, 0},
    {"linkat", WE_SANDBOX_FILE, 3, 0},
    {"symlink", WE_SANDBOX_FILE, 1, 0},
    {"symlinkat", WE_SANDBOX_FILE, 2, 0},
    {"mknod", WE_SANDBOX_FILE, 0, 0},
    {"mknodat", WE_SANDBOX_FILE, 1, 0},
    {"chmod", WE_SANDBOX_FILE, 0, 0},
    {"fchmod", WE_SANDBOX_FILE, -1, 0},
    {"fchmodat", WE_SANDBOX_FILE, 1, 0},
    {"chown", WE_SANDBOX_FILE, 0, 0},
    {"fchown", WE_SANDBOX_FILE, -1, 0},
    {"lchown", WE_SANDBOX_FILE, 0, 0},
    {"fchownat", WE_SANDBOX_FILE, 1, 0},
    {"utimensat", WE_SANDBOX_FILE, 1, 0},
    {"setxattr", WE_SANDBOX_FILE, 0, 0},
    {"fsetxattr", WE_SANDBOX_FILE, -1, 0},
};
#define N_REFUSED (sizeof REFUSED / sizeof REFUSED[0])

/* ---- the SIGSYS handler (async-signal-safe: write and _exit) ---------- */

/* Where the handler also leaves what was tried, for the host: a page
 * the host shares with this process (we_sandbox_enter's detail). */
static char *detail_out;
static size_t detail_cap;

typedef struct line {
    char buf[512];
    size_t len;
} line;

static void put(line *l, const char *s)
{
    while (s != NULL && *s != '\0' && l->len + 1 < sizeof l->buf)
        l->buf[l->len++] = *s++;
    l->buf[l->len] = '\0';
}

static void put_number(line *l, long v)
{
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\0';
    unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
    do
        buf[--i] = (char)('0' + u % 10);
    while ((u /= 10) > 0 && i > 1);
    if (v < 0 && i > 0)
        buf[--i] = '-';
    put(l, buf + i);
}

static void write_stderr(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* Argument k of the refused call, from the registers at the trap. */
static const char *path_arg(const void *uc, int k)
{
    const ucontext_t *u = uc;
#if defined(__x86_64__)
    static const int REG[] = {REG_RDI, REG_RSI, REG_RDX, REG_R10};
    return k >= 0 && k < 4 ? (const char *)u->uc_mcontext.gregs[REG[k]]
                           : NULL;
#elif defined(__aarch64__)
    return k >= 0 && k < 4 ? (const char *)u->uc_mcontext.regs[k] : NULL;
#else
    (void)u;
    (void)k;
    return NULL;
#endif
}

/* What was tried ("tried to start a program (execve /bin/sh)") into the
 * shared page and, as a line, on stderr; then the exit status that tells
 * the host the kind. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    const refused *r = NULL;
    for (size_t k = 0; k < N_REFUSED; k++)
        if (REFUSED[k].nr == si->si_syscall && REFUSED[k].nr >= 0)
            r = &REFUSED[k];
    int kind = r ? r->kind : WE_SANDBOX_OTHER;
    line l = {.len = 0};
    put(&l, KIND_TEXT[kind]);
    put(&l, " (");
    if (r != NULL) {
        put(&l, r->name);
        const char *p = path_arg(uc, r->path_arg);
        if (p != NULL) {
            put(&l, " ");
            put(&l, p);
        }
    } else {
        put(&l, "system call ");
        put_number(&l, si->si_syscall);
    }
    put(&l, ")");
    if (detail_out != NULL && detail_cap > 0) {
        size_t n = l.len < detail_cap - 1 ? l.len : detail_cap - 1;
        memcpy(detail_out, l.buf, n);
        detail_out[n] = '\0';
    }
    static const char head[] = "wijkeval sandbox: the plugin ";
    static const char tail[] = "; refused, the experiment ends\n";
    write_stderr(head, sizeof head - 1);
    write_stderr(l.buf, l.len);
    write_stderr(tail, sizeof tail - 1);
    _exit(WE_SANDBOX_EXIT_BASE + kind);
}

/* ---- seccomp ------------------------------------------------------------- */

/* Computing, memory, time, the process's own descriptors and exiting.
 * open/openat are here for reading (Landlock decides which files); the
 * rules below add the conditional ones. */
static const char *const ALLOWED[] = {
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
    "pwritev", "lseek", "close", "close_range", "fstat", "newfstatat",
    "stat", "lstat", "statx", "fstatfs", "statfs", "access", "faccessat",
    "faccessat2", "readlink", "readlinkat", "getcwd", "getdents64",
    "fcntl", "dup", "dup2", "dup3", "poll", "ppoll", "select", "pselect6",
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mincore",
    "membarrier", "clock_gettime", "clock_getres", "gettimeofday", "time",
    "nanosleep", "clock_nanosleep", "getpid", "gettid", "getppid",
    "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid",
    "getpgrp", "getrusage", "times", "sysinfo", "uname", "getrlimit",
    "sched_getaffinity", "sched_yield", "getcpu", "getrandom",
    "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "rt_sigpending",
    "futex", "set_robust_list", "get_robust_list", "rseq",
    "set_tid_address", "arch_prctl", "exit", "exit_group",
};

static int add(scmp_filter_ctx f, uint32_t action, const char *name,
               unsigned n, const struct scmp_arg_cmp *cmp)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* not on this architecture */
    return seccomp_rule_add_array(f, action, nr, n, cmp);
}

#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

/* Argument n compared with op to a (and b for SCMP_CMP_MASKED_EQ: mask
 * a, value b). Spelled out: libseccomp's SCMP_An macros leave fields to
 * zero-initialisation, which -Wmissing-field-initializers refuses. */
static struct scmp_arg_cmp arg(unsigned n, enum scmp_compare op,
                               uint64_t a, uint64_t b)
{
    struct scmp_arg_cmp c = {.arg = n, .op = op, .datum_a = a,
                             .datum_b = b};
    return c;
}

/* The calls allowed with some arguments only; with others they trap. */
static int conditional_rules(scmp_filter_ctx f)
{
    const uint64_t self = (uint64_t)getpid();
    const uint32_t A = SCMP_ACT_ALLOW;
    struct scmp_arg_cmp ro0 = arg(1, SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0);
    struct scmp_arg_cmp ro1 = arg(2, SCMP_CMP_MASKED_EQ, WRITE_FLAGS, 0);
    /* Threads (pthread_create) but no processes; clone3's flags are in
     * memory a filter cannot read: ENOSYS makes the C library use clone. */
    struct scmp_arg_cmp thread =
        arg(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD);
    struct scmp_arg_cmp me0 = arg(0, SCMP_CMP_EQ, self, 0);
    struct scmp_arg_cmp not_sys = arg(0, SCMP_CMP_NE, SIGSYS, 0);
    struct scmp_arg_cmp get_limit = arg(2, SCMP_CMP_EQ, 0, 0);
    struct scmp_arg_cmp tcgets = arg(1, SCMP_CMP_EQ, TCGETS, 0);
    struct scmp_arg_cmp not_tcgets = arg(1, SCMP_CMP_NE, TCGETS, 0);
    static const int PRCTL_OK[] = {PR_SET_NAME, PR_GET_NAME, PR_GET_SECCOMP,
                                   PR_GET_NO_NEW_PRIVS, PR_GET_DUMPABLE};
    int rc = add(f, A, "open", 1, &ro0) | add(f, A, "openat", 1, &ro1) |
             add(f, A, "clone", 1, &thread) |
             add(f, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL) |
             add(f, A, "kill", 1, &me0) | add(f, A, "tgkill", 1, &me0) |
             add(f, A, "tkill", 1, &me0) |
             add(f, A, "rt_sigaction", 1, &not_sys) |
             add(f, A, "prlimit64", 1, &get_limit) |
             add(f, A, "ioctl", 1, &tcgets) |
             add(f, SCMP_ACT_ERRNO(ENOTTY), "ioctl", 1,
                 &not_tcgets);
    for (size_t k = 0; k < sizeof PRCTL_OK / sizeof *PRCTL_OK; k++) {
        struct scmp_arg_cmp option =
            arg(0, SCMP_CMP_EQ, (uint64_t)PRCTL_OK[k], 0);
        rc |= add(f, A, "prctl", 1, &option);
    }
    return rc;
}

static int enter_seccomp(we_error *err)
{
    for (size_t k = 0; k < N_REFUSED; k++)
        REFUSED[k].nr = seccomp_syscall_resolve_name(REFUSED[k].name);
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
    if (f == NULL)
        return we_fail(err, WE_ENOMEM, "the plugin sandbox: out of memory "
                       "building the seccomp filter");
    int rc = 0;
    for (size_t k = 0; k < sizeof ALLOWED / sizeof *ALLOWED; k++)
        rc |= add(f, SCMP_ACT_ALLOW, ALLOWED[k], 0, NULL);
    rc |= conditional_rules(f);
    if (rc == 0)
        rc = seccomp_load(f);
    seccomp_release(f);
    if (rc != 0)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: cannot load "
                       "the seccomp filter: %s", strerror(-rc));
    return 0;
}

/* ---- entry points ------------------------------------------------------- */

/* valgrind preloads its vgpreload_*.so; it does not pass the Landlock
 * system calls on (ENOSYS). */
static int under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

int we_sandbox_available(char *why, size_t n)
{
    if (landlock_abi() < 1) {
        int e = errno;
        snprintf(why, n, "Landlock is not available in this kernel (%s)",
                 under_valgrind() ? "valgrind does not support it"
                 : e == EOPNOTSUPP ? "disabled at boot: add landlock to "
                                     "the lsm= kernel parameter"
                                   : strerror(e));
        return 0;
    }
    uint32_t trap = SECCOMP_RET_TRAP;
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 ||
        syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &trap)) {
        snprintf(why, n, "seccomp filters are not available in this "
                 "kernel (%s)", strerror(errno));
        return 0;
    }
    return 1;
}

/* A plugin that calls exit() in an AddressSanitizer build would start
 * LeakSanitizer's check, whose tracer (a clone without CLONE_THREAD, then
 * ptrace) the sandbox refuses: end the process first, with the status
 * exit() was given. The leak check is never run in a child anyway (it
 * ends with _exit). */
static void exit_before_leak_check(int status, void *arg)
{
    (void)arg;
    _exit(status);
}

int we_sandbox_for_tools(void)
{
    static int said;
    char why[256];
    if (we_sandbox_available(why, sizeof why))
        return 1;
    if (!said)
        fprintf(stderr, "wijkeval: warning: plugins not sandboxed: %s\n",
                why);
    said = 1;
    return 0;
}

/* Every descriptor but stdin, stdout, stderr and keep: what the host had
 * open (a data file, another child's pipe) is not the plugin's. */
static void close_inherited(int keep)
{
    if (syscall(SYS_close_range, 3U, keep > 3 ? (unsigned)keep - 1 : 2U,
                0U) == 0 &&
        syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
        return;
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = 3; fd < (int)max; fd++)
        if (fd != keep)
            close(fd);
}

int we_sandbox_enter(const char *plugin_path, int result_fd, char *detail,
                     size_t detail_n, we_error *err)
{
    detail_out = detail;
    detail_cap = detail_n;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigset_t sys;
    sigemptyset(&sys);
    sigaddset(&sys, SIGSYS);
    if (sigaction(SIGSYS, &sa, NULL) != 0 ||
        sigprocmask(SIG_UNBLOCK, &sys, NULL) != 0)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: cannot set "
                       "the SIGSYS handler: %s", strerror(errno));
    close_inherited(result_fd);
    if (WE_SB_ASAN)
        on_exit(exit_before_leak_check, NULL);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return we_fail(err, WE_EINVAL, "the plugin sandbox: cannot set "
                       "no_new_privs: %s", strerror(errno));
    int rc = enter_landlock(plugin_path, err);
    return rc != 0 ? rc : enter_seccomp(err);
}

#endif
