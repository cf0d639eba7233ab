/* GSL's mt19937 (gsl_rng_mt19937 with gsl_rng_set, and
 * gsl_rng_uniform_int on it) as inline code: the same 32-bit outputs from
 * the same seed, and the same integers from the same outputs, so a caller
 * that moves from GSL to this consumes and maps the same stream, bit for
 * bit (tests/unit/test_wild.c checks it against GSL). It exists for the
 * hot loops that draw one small integer per cluster and draw (the wild
 * bootstrap's weights: 3.5 million per indicator), where GSL's call
 * through a function pointer, the division and the generator's own call
 * cost more than the draws' arithmetic. Matsumoto and Nishimura (1998),
 * seeded as in their 2002 init_genrand, as GSL does. */
#ifndef WE_UTIL_MT19937_H
#define WE_UTIL_MT19937_H

#include <stdint.h>

enum { WE_MT_N = 624, WE_MT_M = 397 };

typedef struct we_mt19937 {
    uint32_t mt[WE_MT_N];
    int mti;
} we_mt19937;

/* gsl_rng_set(r, s) for gsl_rng_mt19937 (s = 0 is GSL's 4357). */
void we_mt19937_seed(we_mt19937 *g, unsigned long s);

/* Regenerates the 624 words (the rare branch of the next output). */
void we_mt19937_twist(we_mt19937 *g);

/* gsl_rng_get: the next 32-bit output. */
static inline uint32_t we_mt19937_next(we_mt19937 *g)
{
    if (g->mti >= WE_MT_N)
        we_mt19937_twist(g);
    uint32_t k = g->mt[g->mti++];
    k ^= k >> 11;
    k ^= (k << 7) & 0x9d2c5680u;
    k ^= (k << 15) & 0xefc60000u;
    k ^= k >> 18;
    return k;
}

/* gsl_rng_uniform_int(r, n) for 0 < n <= 2^32 - 1: GSL's scaling and
 * rejection, on this generator's outputs. */
static inline uint32_t we_mt19937_uniform_int(we_mt19937 *g, uint32_t n)
{
    uint32_t scale = 0xffffffffu / n, k;
    do
        k = we_mt19937_next(g) / scale;
    while (k >= n);
    return k;
}

#endif
