/* hash.c — 64-bit FNV-1a (see hash.h). */
#include "base/hash.h"

#define FNV_PRIME 1099511628211ULL

uint64_t base_hash_update(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

uint64_t base_hash_update_folded(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        h = (h ^ c) * FNV_PRIME;
    }
    return h;
}
