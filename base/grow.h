/*
 * grow.h — the one growth rule for arrays that are appended to: capacity doubles, starting from
 * a first capacity the caller picks for its usual size.
 *
 * Takes the address of the array pointer, its capacity and the number of elements in use; gives
 * room for one more element. On failure nothing changes (the old array stays valid and owned by
 * the caller), so a caller frees as it would have anyway. The BASE_GROW macro passes the element
 * size from the pointer's type.
 */
#ifndef BASE_GROW_H
#define BASE_GROW_H

#include <stddef.h>

/* Ensures *cap > n for the array at *items (elements of size bytes; *items may be NULL when *cap
 * is 0), doubling *cap from first. 0, or -1 on out of memory or size overflow. */
int base_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

#define BASE_GROW(items, cap, n, first) base_grow(&(items), &(cap), (n), sizeof *(items), (first))

#endif
