/*
 * hash.h — the one string hash of the project: 64-bit FNV-1a. Every hash table and fingerprint
 * (word lists, lexicons, the response cache, ETags, corpus fingerprints) uses it, so a change of
 * hash is made here once. Not cryptographic: keys come from our own data or are compared in full
 * after a hash match.
 */
#ifndef BASE_HASH_H
#define BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define BASE_HASH_SEED 1469598103934665603ULL

/* Continues the FNV-1a hash `h` over len bytes (start with BASE_HASH_SEED); chaining calls hashes
 * the concatenation. */
uint64_t base_hash_update(uint64_t h, const void *data, size_t len);
/* The same, with ASCII letters lowercased first (case-insensitive keys). */
uint64_t base_hash_update_folded(uint64_t h, const void *data, size_t len);

static inline uint64_t base_hash(const void *data, size_t len)
{
    return base_hash_update(BASE_HASH_SEED, data, len);
}

#endif
