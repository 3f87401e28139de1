/*
 * test_server.c — the HTTP layer's pieces that need no socket: trusted-proxy headers
 * (forwarded.c), the response cache (respcache.c), configuration parsing (config.c) and
 * ETags / If-None-Match (conditional.c), CORS header echoing (cors.c) and the offset cursors
 * a client can forge (handlers/params.c).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
#include <unistd.h>

#include "test_util.h"

#include "handlers/params.h"
#include "server/conditional.h"
#include "server/cors.h"
#include "server/config.h"
#include "server/forwarded.h"
#include "server/respcache.h"

/* ---- forwarded.c ------------------------------------------------------------------------ */

static struct sockaddr_in v4(const char *ip)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

static void resolve(const char *proxies, const char *peer, const char *xff, const char *xfp,
                    const char *xfx, struct forwarded *out)
{
    struct proxy_list l = {0};
    assert_true(forwarded_parse_proxies(proxies, &l));
    struct sockaddr_in a = v4(peer);
    forwarded_resolve(&l, (const struct sockaddr *)&a, xff, xfp, xfx, out);
}

static void test_forwarded_untrusted_peer_is_the_client(void **state)
{
    (void)state;
    struct forwarded f;
    resolve("10.0.0.0/8", "192.0.2.7", "203.0.113.9", "https", "/corpus", &f);
    assert_string_equal(f.client_ip, "192.0.2.7");
    assert_string_equal(f.proto, "http");
    assert_string_equal(f.prefix, "");
}

static void test_forwarded_walks_xff_from_the_right(void **state)
{
    (void)state;
    struct forwarded f;
    /* The left-most entry is whatever the client claimed; the first untrusted one from the
     * right is the client the trusted proxies saw. */
    resolve("10.0.0.0/8, 127.0.0.1", "127.0.0.1", "6.6.6.6, 198.51.100.4, 10.1.2.3", "https",
            "/corpus/", &f);
    assert_string_equal(f.client_ip, "198.51.100.4");
    assert_string_equal(f.proto, "https");
    assert_string_equal(f.prefix, "/corpus");
}

static void test_forwarded_rejects_bad_values(void **state)
{
    (void)state;
    struct forwarded f;
    resolve("127.0.0.1", "127.0.0.1", "not-an-ip", "gopher", "/a/../b", &f);
    assert_string_equal(f.client_ip, "127.0.0.1");
    assert_string_equal(f.proto, "http");
    assert_string_equal(f.prefix, "");
    resolve("127.0.0.1", "127.0.0.1", NULL, NULL, "/x\"<y", &f);
    assert_string_equal(f.prefix, "");
    resolve("127.0.0.1", "127.0.0.1", NULL, NULL, "/", &f);
    assert_string_equal(f.prefix, "");
}

static void test_forwarded_cidr_bounds_and_v6(void **state)
{
    (void)state;
    struct forwarded f;
    resolve("172.16.0.0/12", "172.31.255.255", "192.0.2.1", NULL, NULL, &f);
    assert_string_equal(f.client_ip, "192.0.2.1");
    resolve("172.16.0.0/12", "172.32.0.1", "192.0.2.1", NULL, NULL, &f);
    assert_string_equal(f.client_ip, "172.32.0.1");
    struct proxy_list l = {0};
    assert_true(forwarded_parse_proxies("::1", &l));
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::1", &a6.sin6_addr);
    forwarded_resolve(&l, (const struct sockaddr *)&a6, "2001:db8::5", NULL, NULL, &f);
    assert_string_equal(f.client_ip, "2001:db8::5");
    /* An IPv4-mapped peer counts as IPv4. */
    assert_true(forwarded_parse_proxies("127.0.0.1", &l));
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
    forwarded_resolve(&l, (const struct sockaddr *)&a6, "192.0.2.44", NULL, NULL, &f);
    assert_string_equal(f.client_ip, "192.0.2.44");
}

static void test_forwarded_parse_proxies_errors(void **state)
{
    (void)state;
    struct proxy_list l = {0};
    assert_false(forwarded_parse_proxies("10.0.0.0/33", &l));
    assert_false(forwarded_parse_proxies("10.0.0", &l));
    assert_false(forwarded_parse_proxies("::1/129", &l));
    assert_true(forwarded_parse_proxies("10.0.0.0/8 ,::1", &l));
    assert_int_equal(l.n, 2);
}

/* ---- respcache.c ------------------------------------------------------------------------ */

static char *dup_body(const char *s)
{
    char *b = strdup(s);
    assert_non_null(b);
    return b;
}

static void test_respcache_hit_keeps_body_and_etag(void **state)
{
    (void)state;
    struct respcache *c = respcache_new(1);
    assert_non_null(c);
    unsigned long long gen = respcache_generation(c);
    const char body[] = "{\"data\":[1,2,3]}";
    struct cached_reply *e =
        respcache_put(c, gen, "/v1/x\x1f", 6, dup_body(body), strlen(body), "application/json",
                      "public, max-age=60", "/v1/x?cursor=abc", 3);
    assert_non_null(e);
    respcache_release(e);
    struct cached_reply *hit = respcache_get(c, "/v1/x\x1f", 6);
    assert_non_null(hit);
    assert_memory_equal(hit->body, body, strlen(body));
    assert_string_equal(hit->link_next, "/v1/x?cursor=abc");
    assert_int_equal(hit->label, 3);
    char etag[ETAG_SIZE];
    etag_of_body(etag, body, strlen(body));
    assert_string_equal(hit->etag, etag);
    respcache_release(hit);
    assert_null(respcache_get(c, "/v1/y\x1f", 6));
    respcache_free(c);
}

static void test_respcache_generation_and_invalidate(void **state)
{
    (void)state;
    struct respcache *c = respcache_new(1);
    unsigned long long gen = respcache_generation(c);
    respcache_invalidate(c); /* a reload raced the request: its body must not be kept */
    struct cached_reply *e =
        respcache_put(c, gen, "k", 1, dup_body("old"), 3, "text/plain", "public", NULL, 0);
    assert_non_null(e); /* served once by the caller... */
    respcache_release(e);
    assert_null(respcache_get(c, "k", 1)); /* ...but not cached */
    e = respcache_put(c, respcache_generation(c), "k", 1, dup_body("new"), 3, "text/plain",
                      "public", NULL, 0);
    respcache_release(e);
    assert_non_null(e = respcache_get(c, "k", 1));
    respcache_release(e);
    respcache_invalidate(c);
    assert_null(respcache_get(c, "k", 1));
    respcache_free(c);
    assert_null(respcache_new(0));
}

static void test_respcache_budget_and_gzip(void **state)
{
    (void)state;
    struct respcache *c = respcache_new(1);
    size_t big = (1u << 20) / 16 + 1; /* one entry may take at most 1/16 of the budget */
    char *body = malloc(big);
    memset(body, 'a', big);
    assert_null(respcache_put(c, respcache_generation(c), "big", 3, body, big, "text/plain",
                              "public", NULL, 0));
    free(body); /* not taken over when not cached */
    size_t n = 4000;
    body = malloc(n);
    memset(body, 'z', n);
    struct cached_reply *e =
        respcache_put(c, respcache_generation(c), "z", 1, body, n, "text/plain", "public", NULL, 0);
    size_t gz_len = 0, again_len = 0;
    char *gz = respcache_gzip(e, &gz_len);
    assert_non_null(gz);
    assert_true(gz_len < n);
    assert_ptr_equal(respcache_gzip(e, &again_len), gz); /* compressed once */
    assert_int_equal(again_len, gz_len);
    respcache_release(e);
    e = respcache_put(c, respcache_generation(c), "s", 1, dup_body("x"), 1, "text/plain", "public",
                      NULL, 0);
    assert_null(respcache_gzip(e, &gz_len)); /* one byte: gzip would not be smaller */
    respcache_release(e);
    respcache_free(c);
}

/* ---- config.c --------------------------------------------------------------------------- */

static enum config_result parse(struct config *cfg, const char *const *args)
{
    char *argv[16] = {"corpusd"};
    int argc = 1;
    for (; args[argc - 1]; argc++)
        argv[argc] = (char *)args[argc - 1];
    FILE *devnull = fopen("/dev/null", "w");
    enum config_result r = config_parse(cfg, argc, argv, devnull, devnull);
    fclose(devnull);
    return r;
}

static void test_config_defaults_env_and_flags(void **state)
{
    (void)state;
    struct config cfg;
    unsetenv("CORPUSD_THREADS");
    assert_int_equal(parse(&cfg, (const char *const[]){NULL}), CONFIG_OK);
    assert_int_equal(cfg.threads, 2);
    assert_int_equal(cfg.listen_port, 8080);
    assert_string_equal(cfg.cors_origin, "*");
    assert_int_equal(cfg.response_cache_mb, 64);
    setenv("CORPUSD_THREADS", "6", 1);
    assert_int_equal(parse(&cfg, (const char *const[]){NULL}), CONFIG_OK);
    assert_int_equal(cfg.threads, 6);
    /* flags win over the environment; --flag=value and --flag value both work */
    assert_int_equal(parse(&cfg, (const char *const[]){"--threads=3", "--listen", "[::1]:9",
                                                       "--log-format", "text", NULL}),
                     CONFIG_OK);
    assert_int_equal(cfg.threads, 3);
    assert_string_equal(cfg.listen_host, "::1");
    assert_int_equal(cfg.listen_port, 9);
    assert_int_equal(cfg.log_format, LOG_FORMAT_TEXT);
    unsetenv("CORPUSD_THREADS");
}

static void test_config_rejects_bad_values(void **state)
{
    (void)state;
    struct config cfg;
    const char *const *bad[] = {
        (const char *const[]){"--threads", "0", NULL},
        (const char *const[]){"--threads", "-1", NULL},
        (const char *const[]){"--threads", "4x", NULL},
        (const char *const[]){"--listen", "localhost:80", NULL},
        (const char *const[]){"--listen", "127.0.0.1:65536", NULL},
        (const char *const[]){"--log-level", "loud", NULL},
        (const char *const[]){"--trusted-proxies", "10.0.0.0/40", NULL},
        (const char *const[]){"--read-only", NULL}, /* needs --db */
        (const char *const[]){"--no-such-flag", NULL},
        (const char *const[]){"--timeout", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(parse(&cfg, bad[i]), CONFIG_EXIT_USAGE);
    setenv("CORPUSD_TIMEOUT", "never", 1);
    assert_int_equal(parse(&cfg, (const char *const[]){NULL}), CONFIG_EXIT_USAGE);
    unsetenv("CORPUSD_TIMEOUT");
    assert_int_equal(parse(&cfg, (const char *const[]){"--db", "x.db", "--read-only", NULL}),
                     CONFIG_OK);
    assert_true(cfg.read_only);
    assert_int_equal(parse(&cfg, (const char *const[]){"--help", NULL}), CONFIG_EXIT_OK);
}

/* ---- conditional.c ---------------------------------------------------------------------- */

static void test_etags_and_if_none_match(void **state)
{
    (void)state;
    char id[ETAG_SIZE], gz[ETAG_SIZE], same[ETAG_SIZE];
    etag_of_body(id, "hello", 5);
    assert_int_equal(strlen(id), 18);
    assert_true(id[0] == '"' && id[17] == '"');
    etag_for_encoding(gz, id, true);
    assert_int_equal(strlen(gz), 21);
    assert_memory_equal(gz, id, 17);
    assert_string_equal(gz + 17, "-gz\"");
    etag_for_encoding(same, id, false);
    assert_string_equal(same, id);
    etag_of_body(same, "hellp", 5);
    assert_string_not_equal(same, id);
    assert_true(etag_none_match(id, gz)); /* either representation revalidates */
    assert_true(etag_none_match(gz, id));
    assert_true(etag_none_match("*", id));
    assert_false(etag_none_match(NULL, id));
    assert_false(etag_none_match(same, id));
}

/* The body hash reads 8 bytes at a time: a change in any byte, in a full word or in the tail,
 * and a change of length (trailing zero bytes) must all give another tag. */
static void test_etag_sees_every_byte(void **state)
{
    (void)state;
    char body[37], base[ETAG_SIZE], other[ETAG_SIZE];
    memset(body, 'a', sizeof body);
    etag_of_body(base, body, sizeof body);
    for (size_t i = 0; i < sizeof body; i++) {
        body[i] = 'b';
        etag_of_body(other, body, sizeof body);
        assert_string_not_equal(other, base);
        body[i] = 'a';
    }
    char zeros[16] = {0};
    etag_of_body(base, zeros, 8);
    etag_of_body(other, zeros, 16);
    assert_string_not_equal(other, base);
    etag_of_body(other, body, sizeof body); /* deterministic */
    etag_of_body(base, body, sizeof body);
    assert_string_equal(other, base);
}

/* ---- cors.c ----------------------------------------------------------------------------- */

static void test_cors_echoes_only_tokens(void **state)
{
    (void)state;
    char out[300];
    cors_allow_headers("X-One, x-two,X-Three", out, sizeof out);
    assert_string_equal(out, "X-One, x-two, X-Three");
    cors_allow_headers("X-A\r\nSet-Cookie: a=b, X-B", out, sizeof out);
    assert_string_equal(out, "X-B"); /* CR LF, ':' and spaces are not header-name characters */
    cors_allow_headers("X-\x01C, X-\x1b[31mD, \"q\", X-\xc3\xa9", out, sizeof out);
    assert_string_equal(out, "If-None-Match, X-Request-Id, Accept, Accept-Encoding");
    cors_allow_headers(NULL, out, sizeof out);
    assert_string_equal(out, "If-None-Match, X-Request-Id, Accept, Accept-Encoding");
    cors_allow_headers(" , ,, ", out, sizeof out);
    assert_string_equal(out, "If-None-Match, X-Request-Id, Accept, Accept-Encoding");
    char many[2000];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)sprintf(many + n, "X-H%d,", i);
    cors_allow_headers(many, out, 40); /* bounded by the buffer: whole names only */
    assert_string_equal(out, "X-H0, X-H1, X-H2, X-H3, X-H4, X-H5");
}

/* ---- handlers/params.c: forged offset cursors ---------------------------------------- */

static void test_offset_cursor_arithmetic(void **state)
{
    (void)state;
    assert_null(offset_cursor_next('s', LLONG_MAX - 5, 100, LLONG_MAX)); /* no overflow */
    assert_null(offset_cursor_next('s', 40, 20, 60));
    assert_null(offset_cursor_next('s', -1, 20, 60));
    char *c = offset_cursor_next('s', 20, 20, 60);
    assert_non_null(c);
    struct request req = {.n_args = 1};
    req.args[0] = (struct query_arg){"cursor", c};
    struct reply rep = {0};
    long long offset = -1;
    assert_true(param_offset_cursor(&req, &rep, 's', &offset));
    assert_int_equal(offset, 40);
    free(c);
    static const char *const forged[] = {"9223372036854775800", "99999999999999999999", "-5",
                                         "1000000001", "12abc"};
    for (size_t i = 0; i < sizeof forged / sizeof *forged; i++) {
        char *f = cursor_encode('s', forged[i], "");
        req.args[0].value = f;
        rep = (struct reply){0};
        assert_false(param_offset_cursor(&req, &rep, 's', &offset));
        assert_int_equal(rep.status, 400);
        free(rep.body);
        free(f);
    }
    c = cursor_encode('s', NULL, NULL); /* a NULL key from a broken store: no crash */
    assert_non_null(c);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forwarded_untrusted_peer_is_the_client),
        cmocka_unit_test(test_forwarded_walks_xff_from_the_right),
        cmocka_unit_test(test_forwarded_rejects_bad_values),
        cmocka_unit_test(test_forwarded_cidr_bounds_and_v6),
        cmocka_unit_test(test_forwarded_parse_proxies_errors),
        cmocka_unit_test(test_respcache_hit_keeps_body_and_etag),
        cmocka_unit_test(test_respcache_generation_and_invalidate),
        cmocka_unit_test(test_respcache_budget_and_gzip),
        cmocka_unit_test(test_config_defaults_env_and_flags),
        cmocka_unit_test(test_config_rejects_bad_values),
        cmocka_unit_test(test_etags_and_if_none_match),
        cmocka_unit_test(test_etag_sees_every_byte),
        cmocka_unit_test(test_cors_echoes_only_tokens),
        cmocka_unit_test(test_offset_cursor_arithmetic),
    };
    return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
