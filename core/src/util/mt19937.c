/* GSL's mt19937 stream as inline code; the rule is in mt19937.h. */
#include "util/mt19937.h"

void we_mt19937_seed(we_mt19937 *g, unsigned long s)
{
    if (s == 0)
        s = 4357; /* GSL's default seed */
    g->mt[0] = (uint32_t)(s & 0xffffffffu);
    for (int i = 1; i < WE_MT_N; i++)
        g->mt[i] =
            1812433253u * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + (uint32_t)i;
    g->mti = WE_MT_N;
}

static uint32_t mix(uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t y = (a & 0x80000000u) | (b & 0x7fffffffu);
    return c ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
}

void we_mt19937_twist(we_mt19937 *g)
{
    uint32_t *mt = g->mt;
    int k = 0;
    for (; k < WE_MT_N - WE_MT_M; k++)
        mt[k] = mix(mt[k], mt[k + 1], mt[k + WE_MT_M]);
    for (; k < WE_MT_N - 1; k++)
        mt[k] = mix(mt[k], mt[k + 1], mt[k + (WE_MT_M - WE_MT_N)]);
    mt[WE_MT_N - 1] = mix(mt[WE_MT_N - 1], mt[0], mt[WE_MT_M - 1]);
    g->mti = 0;
}
