/*
 * fuzz_headers.c — request headers a client controls, on the way back out (server/cors.c,
 * server/conditional.c, server/forwarded.c): any bytes as Access-Control-Request-Headers,
 * If-None-Match and X-Forwarded-*. Invariants: the Allow-Headers answer holds only header-name
 * characters and ", " (no control character, no CR/LF: no header injection) and fits its
 * buffer; a forwarded client address and prefix are printable and bounded.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "fuzz_util.h"
#include "server/conditional.h"
#include "server/cors.h"
#include "server/forwarded.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static bool tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void check_printable(const char *s, size_t cap)
{
    FUZZ_CHECK(strlen(s) < cap);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        FUZZ_CHECK(*p >= 0x20 && *p < 0x7F);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = fuzz_strndup(data, size);
    static const size_t sizes[] = {1, 8, 64, 300};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char *out = malloc(sizes[k]); /* exact size: ASan sees any overrun */
        cors_allow_headers(text, out, sizes[k]);
        FUZZ_CHECK(strlen(out) < sizes[k]);
        for (const char *p = out; *p; p++)
            FUZZ_CHECK(tchar((unsigned char)*p) || (p[0] == ',' && p[1] == ' ') ||
                       (p[0] == ' ' && p > out && p[-1] == ','));
        free(out);
    }
    char etag[ETAG_SIZE], gz[ETAG_SIZE];
    etag_of_body(etag, text, size);
    etag_for_encoding(gz, etag, true);
    (void)etag_none_match(text, etag);
    (void)etag_none_match(text, gz);
    struct proxy_list trusted = {0};
    forwarded_parse_proxies("127.0.0.0/8, ::1", &trusted);
    struct sockaddr_in peer = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
    struct forwarded f;
    forwarded_resolve(&trusted, (const struct sockaddr *)&peer, text, text, text, &f);
    check_printable(f.client_ip, sizeof f.client_ip);
    check_printable(f.prefix, sizeof f.prefix);
    FUZZ_CHECK(strcmp(f.proto, "http") == 0 || strcmp(f.proto, "https") == 0);
    struct proxy_list any = {0};
    (void)forwarded_parse_proxies(text, &any);
    FUZZ_CHECK(any.n <= FORWARDED_MAX_PROXIES);
    free(text);
    return 0;
}
