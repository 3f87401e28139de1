/*
 * fuzz_cursor.c — the cursors a client sends back (handlers/params.c): any bytes as the cursor
 * parameter of a keyset list and of a ranked (offset) list. Invariants: a cursor is accepted or
 * answered with a 400 problem, never anything else; an accepted offset is in [0,
 * CURSOR_MAX_OFFSET]; the next offset is computed without overflow (UBSan) whatever the
 * offset, limit and total; a cursor the server writes decodes to what it encoded.
 */
#include <limits.h>

#include "fuzz_util.h"
#include "handlers/params.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static long long read_ll(const uint8_t *data, size_t size)
{
    unsigned long long v = 0;
    memcpy(&v, data, size < sizeof v ? size : sizeof v);
    return (long long)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = fuzz_strndup(data, size);
    char kind = size ? (char)data[0] : 's';
    struct request req = {.n_args = 1};
    req.args[0] = (struct query_arg){"cursor", text};
    struct reply rep = {0};
    long long offset = -1;
    if (param_offset_cursor(&req, &rep, kind, &offset)) {
        FUZZ_CHECK(rep.status == 0);
        FUZZ_CHECK(offset >= 0 && offset <= CURSOR_MAX_OFFSET);
    } else {
        FUZZ_CHECK(rep.status == 400 && rep.body != NULL);
    }
    free(rep.body);
    rep = (struct reply){0};
    char *key = NULL, *id = NULL;
    if (param_cursor(&req, &rep, kind, &key, &id)) {
        /* what was accepted encodes back to a cursor that decodes to the same key and id */
        if (key && id) {
            char *again = cursor_encode(kind, key, id);
            char *key2 = NULL, *id2 = NULL;
            req.args[0].value = again;
            FUZZ_CHECK(param_cursor(&req, &rep, kind, &key2, &id2));
            FUZZ_CHECK(strcmp(key, key2) == 0 && strcmp(id, id2) == 0);
            free(key2), free(id2), free(again);
        }
    } else {
        FUZZ_CHECK(rep.status == 400);
    }
    free(rep.body);
    free(key), free(id);
    /* the next-page arithmetic on arbitrary numbers */
    long long o = read_ll(data, size), total = size > 8 ? read_ll(data + 8, size - 8) : 0;
    int limit = size > 16 ? (int)(data[16] | data[size - 1] << 8) : 100;
    char *next = offset_cursor_next('s', o, limit, total);
    if (next) {
        FUZZ_CHECK(o >= 0 && limit > 0 && o < total && total - o > limit);
        req.args[0].value = next;
        rep = (struct reply){0};
        long long n = -1;
        if (o + limit <= CURSOR_MAX_OFFSET) {
            FUZZ_CHECK(param_offset_cursor(&req, &rep, 's', &n));
            FUZZ_CHECK(n == o + limit);
        }
        free(rep.body);
        free(next);
    }
    free(text);
    return 0;
}
