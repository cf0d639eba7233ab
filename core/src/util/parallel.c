#include "util/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_THREADS = 256 };

size_t we_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

typedef struct pool {
    atomic_size_t next;
    size_t n;
    void (*fn)(void *user, size_t i);
    void *user;
} pool;

/* Tasks are taken one at a time, so a long task does not hold up a
 * queue of short ones behind it. */
static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n)
            return NULL;
        p->fn(p->user, i);
    }
}

void we_parallel_for(size_t n, size_t jobs, void (*fn)(void *user, size_t i),
                     void *user)
{
    pool p = {.n = n, .fn = fn, .user = user};
    atomic_init(&p.next, 0);
    size_t extra = jobs > n ? n : jobs;
    extra = extra > MAX_THREADS ? MAX_THREADS : extra;
    extra = extra > 0 ? extra - 1 : 0; /* the caller is one of them */
    pthread_t tid[MAX_THREADS];
    size_t started = 0;
    for (; started < extra; started++)
        if (pthread_create(&tid[started], NULL, worker, &p) != 0)
            break;
    worker(&p);
    for (size_t k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
}
