/* Independent tasks on a few threads. A task's result may not depend on
 * which thread runs it or when: everything random in a task draws from a
 * seed derived from the task's identity (we_derive_seed), never from a
 * shared stream, so a run gives the same numbers for every --jobs. */
#ifndef WE_UTIL_PARALLEL_H
#define WE_UTIL_PARALLEL_H

#include <stddef.h>

/* The number of online processors (at least 1). */
size_t we_default_jobs(void);

/* Runs fn(user, i) for every i in [0, n) on up to `jobs` threads, the
 * calling one included, and returns when all have run. When a thread
 * cannot start, its share runs on the others. */
void we_parallel_for(size_t n, size_t jobs, void (*fn)(void *user, size_t i),
                     void *user);

#endif
