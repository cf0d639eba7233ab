/* A hostile plugin for tests/e2e/hostile.sh, built out of tree against
 * the installed SDK, once per behaviour: -DHOSTILE_ID=... -DMODE_...
 * Every process it runs in appends its pid to $HOSTILE_PIDS, so that the
 * test can check that none is left behind. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wijkeval/plugin.h>

static void note_pid(void)
{
    const char *path = getenv("HOSTILE_PIDS");
    FILE *f = path ? fopen(path, "a") : NULL;
    if (f != NULL) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
}

static void crash(void)
{
    raise(SIGSEGV);
    *(volatile int *)0 = 1;
}

__attribute__((constructor)) static void hostile_ctor(void)
{
    note_pid();
#if defined(MODE_CTOR_SEGV)
    crash();
#elif defined(MODE_CTOR_EXIT)
    exit(0);
#elif defined(MODE_CTOR_LOOP)
    for (volatile int k = 0;; k++)
        ;
#endif
}

#if defined(MODE_DTOR_SEGV)
__attribute__((destructor)) static void hostile_dtor(void) { crash(); }
#endif

/* Descriptors above its own pipe (3) that are open: none, if the host
 * closed what the child inherited. */
static int open_above_pipe(void)
{
    int n = 0;
    for (int fd = 4; fd < 1024; fd++)
        n += fcntl(fd, F_GETFD) != -1;
    return n;
}

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    note_pid();
    char junk[256];
    memset(junk, 'X', sizeof junk);
#if defined(MODE_WRITE)
    for (int fd = 3; fd < 1024; fd++)
        if (write(fd, junk, sizeof junk) < 0) {
            /* not open, or not writable */
        }
    return h->fail(ctx, "wrote into every descriptor from 3 to 1023");
#elif defined(MODE_READ)
    int reached = 0;
    for (int fd = 3; fd < 1024; fd++) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
        reached += read(fd, junk, sizeof junk) > 0;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int again = open(path, O_RDWR | O_NONBLOCK);
        if (again >= 0) {
            reached += fd > 3 && read(again, junk, sizeof junk) > 0;
            if (fd > 3 && write(again, junk, sizeof junk) > 0)
                reached++;
            close(again);
        }
    }
    return h->fail(ctx, "saw %d open descriptors above its pipe and read "
                   "or wrote %d times", open_above_pipe(), reached);
#elif defined(MODE_SETSID)
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() == 0) { /* and one more, below the new session */
            note_pid();
            sleep(300);
            _exit(0);
        }
        note_pid();
        sleep(300);
        _exit(0);
    }
    sleep(1); /* the grandchildren have written their pids */
    return h->fail(ctx, "left a grandchild %ld that called setsid",
                   (long)pid);
#else
    (void)junk;
    return h->fail(ctx, "should not have run: open above pipe %d",
                   open_above_pipe());
#endif
}

static const we_indicator_spec indicators[] = {
    {"werkzaam_15_64_pct", WE_ROLE_PRIMARY, WE_HIGHER_IS_BETTER},
};

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = HOSTILE_ID, .title_nl = "Vijandig", .title_en = "Hostile",
    .version = "1.0.0", .summary = "Tries to escape its isolation.",
    .indicators = indicators, .n_indicators = 1, .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
