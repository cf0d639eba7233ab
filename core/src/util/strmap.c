#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An empty slot has key == NULL; the stored hash lets probes skip most
 * strcmp calls. */
typedef struct slot {
    uint64_t hash;
    char *key;
    size_t value;
} slot;

struct we_strmap {
    slot *slots;
    size_t cap; /* power of two */
    size_t size;
};

/* FNV-1a with a final avalanche step, so that linear probing on the low
 * bits does not cluster for keys that differ only in their last digits
 * (GM0001, GM0002, ...). */
static uint64_t hash_str(const char *s, size_t *len)
{
    uint64_t h = 0xcbf29ce484222325u;
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0')
        h = (h ^ *p++) * 0x100000001b3u;
    *len = (size_t)(p - (const unsigned char *)s);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h;
}

static size_t find_slot(const slot *slots, size_t cap, uint64_t h,
                        const char *key)
{
    size_t mask = cap - 1;
    size_t i = (size_t)h & mask;
    while (slots[i].key != NULL &&
           (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & mask;
    return i;
}

we_strmap *we_strmap_new(size_t expected)
{
    we_strmap *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    size_t cap = 16;
    while (cap < expected * 2 + 2 && cap < SIZE_MAX / 4)
        cap *= 2;
    m->slots = calloc(cap, sizeof *m->slots);
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    m->cap = cap;
    return m;
}

void we_strmap_free(we_strmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static int grow(we_strmap *m)
{
    size_t cap = m->cap * 2;
    slot *s = calloc(cap, sizeof *s);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key == NULL)
            continue;
        s[find_slot(s, cap, m->slots[i].hash, m->slots[i].key)] = m->slots[i];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return 0;
}

long we_strmap_put(we_strmap *m, const char *key, size_t value)
{
    size_t len;
    uint64_t h = hash_str(key, &len);
    size_t i = find_slot(m->slots, m->cap, h, key);
    if (m->slots[i].key != NULL)
        return (long)m->slots[i].value;
    /* Keep the load at most 1/2 so probes stay short. */
    if ((m->size + 1) * 2 > m->cap) {
        if (grow(m) != 0)
            return -1;
        i = find_slot(m->slots, m->cap, h, key);
    }
    char *k = malloc(len + 1);
    if (k == NULL)
        return -1;
    memcpy(k, key, len + 1);
    m->slots[i] = (slot){ .hash = h, .key = k, .value = value };
    m->size++;
    return (long)value;
}

long we_strmap_get(const we_strmap *m, const char *key)
{
    size_t len;
    uint64_t h = hash_str(key, &len);
    const slot *s = &m->slots[find_slot(m->slots, m->cap, h, key)];
    return s->key != NULL ? (long)s->value : -1;
}

size_t we_strmap_size(const we_strmap *m)
{
    return m->size;
}
