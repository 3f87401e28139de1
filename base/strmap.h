/*
 * strmap.h — a hash map from byte strings to uint32 values (open addressing, linear probing,
 * FNV-1a). Keys are copied and owned by the map; a zeroed struct is an empty map. Used by the
 * corpus-wide passes that index hundreds of thousands of names in one linear walk.
 */
#ifndef BASE_STRMAP_H
#define BASE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
    char *key; /* NUL-terminated copy, or NULL for an empty slot */
    uint32_t len;
    uint32_t val;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap; /* power of two, 0 when empty */
    size_t count;
};

/* Finds key, inserting it with value 0 when absent; *val points at its value until the next
 * insertion. Returns 1 when inserted, 0 when it was there, -1 on out of memory. */
int strmap_upsert(struct strmap *m, const char *key, size_t len, uint32_t **val);
/* Sets key -> val (replacing). 0 or -1 on out of memory. */
int strmap_set(struct strmap *m, const char *key, size_t len, uint32_t val);
bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *val);
void strmap_free(struct strmap *m);

#endif
