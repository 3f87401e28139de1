/*
 * fuzz_router.c — the URL router (server/routes.c): any byte string as a path, any buffer size.
 * Invariants: a match fills at most REQUEST_MAX_PARAMS parameters, each pointing inside buf
 * and free of '/', and route_accepts never reads past the key.
 */
#include "fuzz_util.h"
#include "server/router.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *path = fuzz_strndup(data, size);
    static const size_t sizes[] = {1, 2, 16, 1024};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t bsize = sizes[k];
        char *buf = malloc(bsize); /* exact size, so ASan sees any overrun */
        const char *params[REQUEST_MAX_PARAMS];
        size_t n_params = 99;
        const struct route *r = router_match(path, buf, bsize, params, &n_params);
        if (r) {
            FUZZ_CHECK(n_params <= REQUEST_MAX_PARAMS);
            FUZZ_CHECK(strlen(path) < bsize);
            for (size_t i = 0; i < n_params; i++) {
                FUZZ_CHECK(params[i] >= buf && params[i] < buf + bsize);
                FUZZ_CHECK(strchr(params[i], '/') == NULL);
                FUZZ_CHECK(*params[i] != '\0');
            }
            /* The rest of the input after the first NUL is used as a query key. */
            const char *key = memchr(data, 0, size) ? path + strlen(path) + 1 : "limit";
            (void)route_accepts(r, key);
            FUZZ_CHECK(r->handler != NULL && r->query_keys != NULL);
        }
        free(buf);
    }
    free(path);
    return 0;
}
