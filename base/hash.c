/* hash.c — 64-bit FNV-1a and the content hash (see hash.h). */
#include "base/hash.h"

#include <string.h>

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

/* Each 8-byte word is mixed in with a multiply by the golden-ratio constant and a shift (the
 * shift brings the high bits, which the multiply fills, back down); the tail goes through FNV and
 * the whole through a 64-bit finaliser (MurmurHash3's fmix64) so every input bit reaches every
 * output bit. */
uint64_t base_hash_content(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = BASE_HASH_SEED ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, sizeof w); /* unaligned-safe; compiles to one load */
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 29;
    }
    h = base_hash_update(h, p + i, len - i);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}
