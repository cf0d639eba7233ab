#include "util/sha256.h"

#include "util/reference.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t st[8], const unsigned char *p)
{
    uint32_t w[64];
    for (size_t i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
    uint32_t e = st[4], f = st[5], g = st[6], h = st[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
                      ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
                      ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d;
    st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define WE_SHA_NI 1

/* The SHA extensions of x86 (Goldmont, Zen, Ice Lake and later): the same
 * compression, about five times faster, chosen at run time. Rounds come
 * four at a time; the message schedule runs in the four registers w[]. */
__attribute__((target("sha,sse4.1"))) static void
compress_ni(uint32_t st[8], const unsigned char *p, size_t n_blocks)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
                                        0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&st[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&st[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);          /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);            /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);    /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);         /* CDGH */
    for (; n_blocks > 0; n_blocks--, p += 64) {
        __m128i abef = s0, cdgh = s1, w[4];
        for (size_t i = 0; i < 16; i++) {
            __m128i *cur = &w[i & 3], *prev = &w[(i + 3) & 3],
                    *next = &w[(i + 1) & 3];
            if (i < 4)
                *cur = _mm_shuffle_epi8(
                    _mm_loadu_si128((const __m128i *)(p + 16 * i)), mask);
            __m128i m = _mm_add_epi32(
                *cur, _mm_loadu_si128((const __m128i *)&K[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, m);
            if (i >= 3 && i < 15) {
                tmp = _mm_alignr_epi8(*cur, *prev, 4);
                *next = _mm_sha256msg2_epu32(_mm_add_epi32(*next, tmp), *cur);
            }
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(m, 0x0E));
            if (i >= 1 && i < 13)
                *prev = _mm_sha256msg1_epu32(*prev, *cur);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);           /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);            /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);         /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);            /* ABEF */
    _mm_storeu_si128((__m128i *)&st[0], s0);
    _mm_storeu_si128((__m128i *)&st[4], s1);
}

/* CPUID: SHA is leaf 7 EBX bit 29, SSE4.1 leaf 1 ECX bit 19. */
static int have_sha_ni(void)
{
    static int known = -1; /* a benign race: every thread finds the same */
    if (known < 0) {
        unsigned a, b, c, d;
        int sse41 = __get_cpuid(1, &a, &b, &c, &d) && (c >> 19 & 1u);
        int sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1u);
        known = sse41 && sha;
    }
    return known;
}
#endif

/* n_blocks consecutive 64-byte blocks. */
static void compress_blocks(uint32_t st[8], const unsigned char *p,
                            size_t n_blocks)
{
#ifdef WE_SHA_NI
    if (have_sha_ni() && !we_reference_paths()) {
        compress_ni(st, p, n_blocks);
        return;
    }
#endif
    for (; n_blocks > 0; n_blocks--, p += 64)
        compress(st, p);
}



void we_sha256_init(we_sha256 *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                    0xa54ff53a, 0x510e527f, 0x9b05688c,
                                    0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->state, iv, sizeof iv);
    c->n_bytes = 0;
    c->n_block = 0;
}

void we_sha256_update(we_sha256 *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->n_bytes += n;
    if (c->n_block > 0) {
        size_t take = 64 - c->n_block < n ? 64 - c->n_block : n;
        memcpy(c->block + c->n_block, p, take);
        c->n_block += take;
        p += take;
        n -= take;
        if (c->n_block < 64)
            return;
        compress_blocks(c->state, c->block, 1);
        c->n_block = 0;
    }
    compress_blocks(c->state, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    memcpy(c->block, p, n);
    c->n_block = n;
}

void we_sha256_final(we_sha256 *c, unsigned char digest[32])
{
    uint64_t bits = c->n_bytes * 8;
    c->block[c->n_block++] = 0x80;
    if (c->n_block > 56) {
        memset(c->block + c->n_block, 0, 64 - c->n_block);
        compress_blocks(c->state, c->block, 1);
        c->n_block = 0;
    }
    memset(c->block + c->n_block, 0, 56 - c->n_block);
    for (int i = 0; i < 8; i++)
        c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress_blocks(c->state, c->block, 1);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++)
            digest[4 * i + j] = (unsigned char)(c->state[i] >> (24 - 8 * j));
}

void we_sha256_hex(const unsigned char digest[32], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0xf];
    }
    out[64] = '\0';
}

void we_sha256_buf_hex(const void *data, size_t n, char out[65])
{
    we_sha256 c;
    unsigned char d[32];
    we_sha256_init(&c);
    we_sha256_update(&c, data, n);
    we_sha256_final(&c, d);
    we_sha256_hex(d, out);
}

int we_sha256_file_hex(const char *path, char out[65], we_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return we_fail(err, WE_EINVAL, "%s: cannot open: %s; check the path",
                       path, strerror(errno));
    we_sha256 c;
    unsigned char buf[65536];
    size_t n;
    we_sha256_init(&c);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        we_sha256_update(&c, buf, n);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed)
        return we_fail(err, WE_EINVAL, "%s: read error: %s", path,
                       strerror(saved));
    unsigned char d[32];
    we_sha256_final(&c, d);
    we_sha256_hex(d, out);
    return 0;
}
