/*
 * respcache.h — rendered responses of the loaded store, by request target. The store is
 * immutable, so a successful GET's body, ETag and headers depend only on the target (path, query
 * and forwarded prefix): they are rendered once and every later request for the same target is
 * answered from the cache (the 304 check needs no body, gzip runs once per body). The cache is
 * emptied when the store is swapped. Bounded: a fixed number of slots (a newer entry replaces the
 * one in its slot) and a byte budget, --response-cache-mb / CORPUSD_RESPONSE_CACHE_MB (default 64;
 * 0 disables it).
 */
#ifndef SERVER_RESPCACHE_H
#define SERVER_RESPCACHE_H

#include <stdatomic.h>
#include <stddef.h>

struct respcache;

/* One rendered 200 response. Immutable once cached, except the lazily compressed body. */
struct cached_reply {
    atomic_int refs;
    unsigned long long hash;
    char *key;
    size_t key_len;
    char *body; /* malloc'd */
    size_t body_len;
    const char *content_type; /* static strings, as in struct reply */
    const char *cache_control;
    char *link_next;  /* malloc'd or NULL */
    char etag[24];    /* "\"%016llx\"" */
    size_t label;     /* the metrics label of the route */
    void *_Atomic gz; /* struct gz_body *, NULL until first asked for */
};

/* A cache of at most mb megabytes (--response-cache-mb), or NULL (no cache) for 0. */
struct respcache *respcache_new(unsigned mb);
void respcache_free(struct respcache *c);
/* The generation to pass to respcache_put: read it before the handler takes the store. */
unsigned long long respcache_generation(struct respcache *c);
/* Drops every entry and starts a new generation (call after swapping the store). */
void respcache_invalidate(struct respcache *c);
/* The entry for key with a reference taken (give it back with respcache_release), or NULL. */
struct cached_reply *respcache_get(struct respcache *c, const char *key, size_t key_len);
/* Makes an entry of body (taken over) and link_next (copied); caches it unless the generation
 * changed or it is over budget. Returns it with a reference for the caller, or NULL (body then
 * still belongs to the caller). */
struct cached_reply *respcache_put(struct respcache *c, unsigned long long generation,
                                   const char *key, size_t key_len, char *body, size_t body_len,
                                   const char *content_type, const char *cache_control,
                                   const char *link_next, size_t label);
void respcache_release(struct cached_reply *e);
/* The gzip body (compressed on first use, then kept), or NULL when it would not be smaller. */
char *respcache_gzip(struct cached_reply *e, size_t *len);

#endif
