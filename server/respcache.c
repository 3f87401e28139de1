/*
 * respcache.c — rendered responses by request target (see respcache.h). A direct-mapped table
 * under one mutex held only for a hash compare and a reference count; bodies are handed to
 * libmicrohttpd without copying and released by its free callback.
 */
#include "respcache.h"
#include "base/hash.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "conditional.h"

#define SLOTS 4096 /* a power of two */

struct gz_body {
    size_t len;
    char data[];
};

static struct gz_body not_smaller; /* marks a body gzip does not shrink */

struct respcache {
    pthread_mutex_t lock;
    unsigned long long generation;
    size_t bytes, max_bytes;
    struct cached_reply *slot[SLOTS];
};

static unsigned long long hash_key(const char *s, size_t n)
{
    return base_hash(s, n);
}

/* What an entry may hold: the gzip body, made later, is counted as at most the body's size. */
static size_t entry_bytes(const struct cached_reply *e)
{
    return sizeof *e + e->key_len + 2 * e->body_len;
}

struct respcache *respcache_new(unsigned mb)
{
    if (mb == 0)
        return NULL;
    struct respcache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = (size_t)mb << 20;
    return c;
}

void respcache_release(struct cached_reply *e)
{
    if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
        return;
    struct gz_body *gz = atomic_load(&e->gz);
    if (gz != &not_smaller)
        free(gz);
    free(e->key);
    free(e->body);
    free(e->link_next);
    free(e);
}

/* Empties every slot; the caller holds the lock. */
static void drop_all(struct respcache *c)
{
    for (size_t i = 0; i < SLOTS; i++) {
        respcache_release(c->slot[i]);
        c->slot[i] = NULL;
    }
    c->bytes = 0;
}

void respcache_free(struct respcache *c)
{
    if (!c)
        return;
    drop_all(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

unsigned long long respcache_generation(struct respcache *c)
{
    pthread_mutex_lock(&c->lock);
    unsigned long long g = c->generation;
    pthread_mutex_unlock(&c->lock);
    return g;
}

void respcache_invalidate(struct respcache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->generation++;
    drop_all(c);
    pthread_mutex_unlock(&c->lock);
}

struct cached_reply *respcache_get(struct respcache *c, const char *key, size_t key_len)
{
    unsigned long long h = hash_key(key, key_len);
    pthread_mutex_lock(&c->lock);
    struct cached_reply *e = c->slot[h & (SLOTS - 1)];
    if (e && e->hash == h && e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
        atomic_fetch_add(&e->refs, 1);
    else
        e = NULL;
    pthread_mutex_unlock(&c->lock);
    return e;
}

struct cached_reply *respcache_put(struct respcache *c, unsigned long long generation,
                                   const char *key, size_t key_len, char *body, size_t body_len,
                                   const char *content_type, const char *cache_control,
                                   const char *link_next, size_t label)
{
    if (body_len > c->max_bytes / 16)
        return NULL;
    struct cached_reply *e = calloc(1, sizeof *e);
    if (!e || !(e->key = malloc(key_len + 1)) ||
        (link_next && !(e->link_next = strdup(link_next)))) {
        if (e)
            free(e->key);
        free(e);
        return NULL;
    }
    memcpy(e->key, key, key_len);
    e->key[key_len] = '\0';
    e->key_len = key_len;
    e->hash = hash_key(key, key_len);
    e->body = body;
    e->body_len = body_len;
    e->content_type = content_type;
    e->cache_control = cache_control;
    e->label = label;
    etag_of_body(e->etag, body, body_len);
    atomic_init(&e->refs, 2); /* the table's and the caller's */
    atomic_init(&e->gz, NULL);
    size_t i = e->hash & (SLOTS - 1);
    pthread_mutex_lock(&c->lock);
    struct cached_reply *old = c->slot[i];
    size_t freed = old ? entry_bytes(old) : 0;
    bool fits = c->bytes - freed + entry_bytes(e) <= c->max_bytes;
    if (generation == c->generation && fits) {
        c->slot[i] = e;
        c->bytes += entry_bytes(e) - freed;
    } else {
        old = NULL;
        atomic_store(&e->refs, 1); /* only the caller's: served once, then freed */
    }
    pthread_mutex_unlock(&c->lock);
    respcache_release(old);
    return e;
}

char *respcache_gzip(struct cached_reply *e, size_t *len)
{
    struct gz_body *gz = atomic_load(&e->gz);
    if (!gz) {
        size_t n = 0;
        char *z = compress_gzip(e->body, e->body_len, &n);
        struct gz_body *fresh = z ? malloc(sizeof *fresh + n) : NULL;
        if (fresh) {
            fresh->len = n;
            memcpy(fresh->data, z, n);
        }
        free(z);
        void *expected = NULL; /* the type of e->gz: clang rejects struct gz_body ** here */
        struct gz_body *mine = fresh ? fresh : &not_smaller;
        if (atomic_compare_exchange_strong(&e->gz, &expected, mine)) {
            gz = mine;
        } else {
            free(fresh);
            gz = expected;
        }
    }
    if (gz == &not_smaller)
        return NULL;
    *len = gz->len;
    return gz->data;
}
