/*
 * routes.c — every endpoint of the API (../shared/API.md) and where its code lives.
 */
#include <string.h>

#include "handlers/handlers.h"
#include "router.h"

static const char *const no_keys[] = {NULL};
/* Every list also takes `format` (json | csv | ndjson). */
static const char *const documents_keys[] = {"q",      "source",   "entity", "type",       "from",
                                             "to",     "sort",     "limit",  "cursor",     "format",
                                             "fields", "collapse", "facet",  "facet_size", NULL};
static const char *const search_keys[] = {"q",        "source", "entity",     "type",   "from",
                                          "to",       "limit",  "cursor",     "format", "fields",
                                          "collapse", "facet",  "facet_size", NULL};
static const char *const document_keys[] = {"fields", NULL};
static const char *const sources_keys[] = {"q", "limit", "cursor", "format", NULL};
static const char *const page_keys[] = {"limit", "cursor", "format", NULL};
static const char *const entity_documents_keys[] = {"sort",   "limit",  "cursor",
                                                    "format", "fields", NULL};
static const char *const format_keys[] = {"format", NULL};
static const char *const timexes_keys[] = {"from", "to", "match", "format", NULL};
static const char *const entities_keys[] = {"type",  "q",      "document", "sort",
                                            "limit", "cursor", "format",   NULL};
static const char *const timeline_keys[] = {"from",     "to",     "match",     "entity",
                                            "document", "type",   "precision", "sort",
                                            "limit",    "cursor", "format",    NULL};
static const char *const fixed_timeline_keys[] = {"from",  "to",     "match",  "precision", "sort",
                                                  "limit", "cursor", "format", NULL};
static const char *const histogram_keys[] = {"interval", "from", "to",        "match", "entity",
                                             "document", "type", "precision", NULL};
/* Parameters that may be given more than once (their values add up: entity=a&entity=b,
 * facet=a&facet=b). */
static const char *const repeatable_keys[] = {"entity", "facet", NULL};

#define CACHE_DATA "public, max-age=60"

static const struct route routes[] = {
    {"/healthz", handle_healthz, no_keys, false, "no-store"},
    {"/readyz", handle_readyz, no_keys, false, "no-store"},
    {"/v1/stats", handle_stats, no_keys, true, CACHE_DATA},
    {"/v1/documents", handle_documents_list, documents_keys, true, CACHE_DATA},
    {"/v1/documents/{}", handle_document_get, document_keys, true, CACHE_DATA},
    {"/v1/documents/{}/source", handle_document_source, no_keys, true, CACHE_DATA},
    {"/v1/documents/{}/entities", handle_document_entities, format_keys, true, CACHE_DATA},
    {"/v1/documents/{}/timexes", handle_document_timexes, timexes_keys, true, CACHE_DATA},
    {"/v1/documents/{}/timeline", handle_document_timeline, fixed_timeline_keys, true, CACHE_DATA},
    {"/v1/entities", handle_entities_list, entities_keys, true, CACHE_DATA},
    {"/v1/entities/{}", handle_entity_get, no_keys, true, CACHE_DATA},
    {"/v1/entities/{}/mentions", handle_entity_mentions, page_keys, true, CACHE_DATA},
    {"/v1/entities/{}/documents", handle_entity_documents, entity_documents_keys, true, CACHE_DATA},
    {"/v1/entities/{}/related", handle_entity_related, page_keys, true, CACHE_DATA},
    {"/v1/entities/{}/timeline", handle_entity_timeline, fixed_timeline_keys, true, CACHE_DATA},
    {"/v1/timeline", handle_timeline, timeline_keys, true, CACHE_DATA},
    {"/v1/timeline/histogram", handle_timeline_histogram, histogram_keys, true, CACHE_DATA},
    {"/v1/search", handle_search, search_keys, true, CACHE_DATA},
    {"/v1/sources", handle_sources_list, sources_keys, true, CACHE_DATA},
};

/* Compares one pattern with a path split into segments. */
static bool match_pattern(const char *pattern, char **segs, size_t n_segs, const char **params,
                          size_t *n_params)
{
    size_t i = 0, np = 0;
    const char *p = pattern + 1;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (i >= n_segs)
            return false;
        if (len == 2 && memcmp(p, "{}", 2) == 0) {
            if (np < REQUEST_MAX_PARAMS)
                params[np++] = segs[i];
        } else if (strlen(segs[i]) != len || memcmp(segs[i], p, len) != 0) {
            return false;
        }
        i++;
        p += len + (slash ? 1 : 0);
    }
    if (i != n_segs)
        return false;
    *n_params = np;
    return true;
}

const struct route *router_match(const char *path, char *buf, size_t buf_size, const char **params,
                                 size_t *n_params)
{
    size_t len = strlen(path);
    if (len == 0 || path[0] != '/' || len >= buf_size)
        return NULL;
    memcpy(buf, path, len + 1);
    if (len > 1 && buf[len - 1] == '/') /* "/v1/documents/" is "/v1/documents" */
        buf[--len] = '\0';
    char *segs[8];
    size_t n = 0;
    for (char *s = buf + 1; s && *s;) {
        if (n == 8)
            return NULL;
        segs[n++] = s;
        char *slash = strchr(s, '/');
        if (slash)
            *slash++ = '\0';
        if (!*s || (slash && !*slash))
            return NULL; /* an empty segment: "//" */
        s = slash;
    }
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (match_pattern(routes[i].pattern, segs, n, params, n_params))
            return &routes[i];
    return NULL;
}

bool route_accepts(const struct route *r, const char *key)
{
    for (const char *const *k = r->query_keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

bool route_key_repeatable(const char *key)
{
    for (const char *const *k = repeatable_keys; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

size_t router_count(void)
{
    return sizeof routes / sizeof routes[0];
}

size_t router_index(const struct route *r)
{
    return (size_t)(r - routes);
}

const char *router_pattern(size_t i)
{
    return i < router_count() ? routes[i].pattern : NULL;
}
