/* strmap.c — see strmap.h. */
#include "base/strmap.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

static uint64_t strmap_hash(const char *s, size_t len)
{
    return base_hash(s, len);
}

/* The slot holding key, or the empty slot where it would go (cap must be > 0). */
static struct strmap_slot *strmap_find(const struct strmap *m, const char *key, size_t len)
{
    size_t i = strmap_hash(key, len) & (m->cap - 1);
    for (;;) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key || (s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

static int strmap_grow(struct strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    struct strmap_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    struct strmap old = *m;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            *strmap_find(m, old.slots[i].key, old.slots[i].len) = old.slots[i];
    free(old.slots);
    return 0;
}

int strmap_upsert(struct strmap *m, const char *key, size_t len, uint32_t **val)
{
    if (len > UINT32_MAX)
        return -1;
    if ((m->count + 1) * 4 > m->cap * 3 && strmap_grow(m) < 0)
        return -1;
    struct strmap_slot *s = strmap_find(m, key, len);
    if (s->key) {
        *val = &s->val;
        return 0;
    }
    if (!(s->key = malloc(len + 1)))
        return -1;
    memcpy(s->key, key, len);
    s->key[len] = '\0';
    s->len = (uint32_t)len;
    s->val = 0;
    m->count++;
    *val = &s->val;
    return 1;
}

int strmap_set(struct strmap *m, const char *key, size_t len, uint32_t val)
{
    uint32_t *v;
    if (strmap_upsert(m, key, len, &v) < 0)
        return -1;
    *v = val;
    return 0;
}

bool strmap_get(const struct strmap *m, const char *key, size_t len, uint32_t *val)
{
    if (!m->cap)
        return false;
    const struct strmap_slot *s = strmap_find(m, key, len);
    if (s->key && val)
        *val = s->val;
    return s->key != NULL;
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    *m = (struct strmap){0};
}
