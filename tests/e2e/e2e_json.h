/*
 * e2e_json.h — what most end-to-end programs do with the server of harness.h: start it on the
 * seed corpus (CORPUSD_TEST_CORPUS, default corpus/) or on a JSONL corpus of the test's own
 * records, GET a path expecting a status and a JSON (or problem+json) body, read string members.
 * Include after <cmocka.h> and harness.h.
 */
#ifndef E2E_JSON_H
#define E2E_JSON_H

static inline int e2e_start_seed(struct server_proc *s)
{
    const char *corpus = getenv("CORPUSD_TEST_CORPUS") ? getenv("CORPUSD_TEST_CORPUS") : "corpus";
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return server_spawn(s, corpus, NULL);
}

static inline int e2e_stop(struct server_proc *s)
{
    int rc = server_stop_proc(s);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* Writes records (one JSON object each) to wire.jsonl in a new directory /tmp/corpusd-TAG-XXXXXX
 * (its path in dir, 64 bytes) and starts the server on it. */
static inline int e2e_start_jsonl(struct server_proc *s, char dir[64], const char *tag,
                                  const char *const *records, size_t n)
{
    snprintf(dir, 64, "/tmp/corpusd-%.16s-XXXXXX", tag);
    if (!mkdtemp(dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/wire.jsonl", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", records[i]);
    fclose(f);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return server_spawn(s, dir, NULL);
}

/* Stops the server of e2e_start_jsonl and removes its corpus directory. */
static inline int e2e_stop_jsonl(struct server_proc *s, const char *dir)
{
    int rc = server_stop_proc(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = -1;
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* GET path, assert the status and a JSON body (a problem for >= 400); returns it parsed. */
static inline json_t *e2e_get_json(const struct server_proc *s, const char *path, long status)
{
    struct http_response r = http_get(s, path);
    if (r.status != status)
        fail_msg("GET %s: status %ld, expected %ld: %.300s", path, r.status, status,
                 r.body ? r.body : "");
    char *ct = http_header(&r, "Content-Type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, status >= 400 ? "application/problem+json" : "application/json"));
    free(ct);
    json_t *j = http_json(&r);
    assert_non_null(j);
    http_free(&r);
    return j;
}

/* The string member key of j, "" when absent or not a string (so asserts fail, not crash). */
static inline const char *e2e_str(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* The item of a list's data whose id is id, or NULL. */
static inline json_t *e2e_find_by_id(json_t *data, const char *id)
{
    size_t i;
    json_t *d;
    json_array_foreach(data, i, d)
    {
        if (strcmp(e2e_str(d, "id"), id) == 0)
            return d;
    }
    return NULL;
}

#endif
