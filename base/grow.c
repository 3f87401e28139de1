/*
 * grow.c — doubling growth of appended arrays (see grow.h).
 */
#include "base/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int base_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap : (first ? first : 1);
    while (ncap <= n) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size)
        return -1;
    void *old; /* items is the address of a T *: copied as bytes, whatever T is */
    memcpy(&old, items, sizeof old);
    void *p = realloc(old, ncap * size);
    if (!p)
        return -1;
    memcpy(items, &p, sizeof p);
    *cap = ncap;
    return 0;
}
