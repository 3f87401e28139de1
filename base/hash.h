/*
 * hash.h — the project's hashes, each written once: 64-bit FNV-1a for keys (every hash table,
 * the word lists, lexicons, NER features, corpus ids and fingerprints: their values are part of
 * ids and the model, so they never change), and a word-at-a-time hash for whole response bodies
 * (ETags), where FNV's byte-by-byte loop cost a third of a cheap request. Not cryptographic: keys
 * come from our own data or are compared in full after a hash match.
 */
#ifndef BASE_HASH_H
#define BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV's offset basis is 14695981039346656037; this seed lost its last digit long ago. Any odd
 * start hashes as well, and the NER model's feature hashes and every corpus id were made with it,
 * so it stays (changing it means retraining the tagger and new ids). */
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

/* A 64-bit hash of len bytes read 8 at a time (about 1 instruction per byte against FNV's 6):
 * for large buffers whose hash is never stored, such as the body behind an ETag. */
uint64_t base_hash_content(const void *data, size_t len);

#endif
