/* The sandbox around a plugin's process (issue 21): a plugin can compute
 * and nothing else.
 *
 * we_sandbox_enter, called in the child before any plugin code runs,
 * sets no_new_privs, closes every inherited file descriptor but the
 * result pipe and stdin/stdout/stderr, restricts the file system with
 * Landlock to reading the plugin's .so and the system library
 * directories (no writes anywhere, no TCP, no signals out of the
 * sandbox), and installs a seccomp allow-list: computing, memory, time,
 * the process's own descriptors, threads and exiting. A refused system
 * call (a socket, a program, a process, tracing, a signal to another
 * process, a prctl) raises SIGSYS; the handler installed here writes what
 * was tried to stderr and exits with WE_SANDBOX_EXIT_BASE + the kind, so
 * the host names it (we_sandbox_describe_exit). A file access outside the
 * allowed paths fails with EACCES, which the plugin sees as an error.
 * Nothing can lift the sandbox from inside: it holds for the life of the
 * process and everything the process could start. */
#ifndef WE_HOST_SANDBOX_H
#define WE_HOST_SANDBOX_H

#include <stddef.h>

#include "util/error.h"

/* The child's exit status after a refused system call: the base plus
 * one of the kinds below. 96..104, clear of the host's 125. */
#define WE_SANDBOX_EXIT_BASE 96
typedef enum we_sandbox_kind {
    WE_SANDBOX_NETWORK = 1, /* socket, connect, ... */
    WE_SANDBOX_PROGRAM,     /* execve, execveat */
    WE_SANDBOX_PROCESS,     /* fork, vfork, clone without CLONE_THREAD */
    WE_SANDBOX_TRACE,       /* ptrace, process_vm_readv/writev */
    WE_SANDBOX_SIGNAL,      /* kill, tgkill of another process */
    WE_SANDBOX_PRIVILEGE,   /* prctl, setuid, mount, ... */
    WE_SANDBOX_FILE,        /* a file system change the kernel allows
                               without a path check (e.g. chmod on an fd) */
    WE_SANDBOX_OTHER        /* any other system call not on the list */
} we_sandbox_kind;
#define WE_SANDBOX_N_KINDS 8

/* 1 when this kernel can sandbox plugins (Landlock and seccomp with
 * SECCOMP_RET_TRAP), else 0 and why ("Landlock is not enabled in this
 * kernel (...)"). */
int we_sandbox_available(char *why, size_t n);

/* For the tools that load plugins without a config (check-plugin,
 * plugins): 1 when plugins can be sandboxed; else 0, and the first call
 * says "wijkeval: warning: plugins not sandboxed: why" on stderr. */
int we_sandbox_for_tools(void);

/* Enters the sandbox for the rest of this process's life: the plugin at
 * plugin_path (NULL: none) may be read (and loaded), result_fd stays open
 * for the results. After a refused system call, detail[0..detail_n)
 * (NULL: nowhere) holds what was tried, e.g. "tried to start a program
 * (execve /bin/sh)": give a page shared with the host (MAP_SHARED) and
 * the host can name it. Returns 0, or a status and err saying what
 * failed; then the process must not run the plugin. */
int we_sandbox_enter(const char *plugin_path, int result_fd, char *detail,
                     size_t detail_n, we_error *err);

/* A zeroed page of WE_SANDBOX_DETAIL bytes shared with the children
 * forked after this call (MAP_SHARED), for we_sandbox_enter's detail;
 * NULL when it cannot be mapped (then the kind alone names what was
 * tried). */
#define WE_SANDBOX_DETAIL 4096
char *we_sandbox_detail_new(void);
void we_sandbox_detail_free(char *page);

/* For a child that exited with status: its kind (1..8) when the sandbox
 * ended it, else 0. */
int we_sandbox_exit_kind(int status);

/* "tried to open a network socket", ... for a kind; NULL for 0. */
const char *we_sandbox_kind_text(int kind);

#endif
