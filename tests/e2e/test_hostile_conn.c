/*
 * test_hostile_conn.c — end-to-end: slow and idle clients against the real corpusd (the server of
 * hostile_client.h: --timeout 2 --per-ip-limit 16 --max-connections 48). A client that sends
 * a request byte by byte is cut at the timeout, one address cannot hold more than its share of
 * connections, idle connections are closed and new clients still get answers.
 */
#include "hostile_client.h"

static void test_slowloris(void **state)
{
    (void)state;
    /* A client that sends part of its headers and stops is cut off by the timeout. */
    int fd = raw_connect(&srv, NULL);
    assert_true(fd >= 0);
    static const char part[] = "GET /v1/stats HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    assert_int_equal(send(fd, part, sizeof part - 1, MSG_NOSIGNAL), sizeof part - 1);
    double t0 = raw_now();
    struct raw_reply r = {0};
    raw_read(fd, &r, TIMEOUT_S + 4);
    double took = raw_now() - t0;
    assert_true(r.closed);
    assert_true(took >= TIMEOUT_S - 0.5 && took < TIMEOUT_S + 3.5);
    raw_free(&r);
    close(fd);

    /* Slow clients from one address hold at most --per-ip-limit connections; another address
     * is still served while they are held. */
    int slow[PER_IP_LIMIT + 8];
    size_t n_slow = 0, refused = 0;
    for (size_t i = 0; i < PER_IP_LIMIT + 8; i++) {
        int s = raw_connect(&srv, "127.0.0.2");
        if (s < 0) {
            refused++;
            continue;
        }
        send(s, part, sizeof part - 1, MSG_NOSIGNAL);
        slow[n_slow++] = s;
    }
    usleep(300 * 1000);
    /* The connections over the limit were closed by the server at once. */
    size_t closed_early = 0;
    for (size_t i = 0; i < n_slow; i++) {
        struct pollfd p = {.fd = slow[i], .events = POLLIN};
        char c;
        if (poll(&p, 1, 0) == 1 && recv(slow[i], &c, 1, MSG_DONTWAIT) <= 0)
            closed_early++;
    }
    assert_true(refused + closed_early >= 8);
    struct raw_reply ok = {0};
    int other = raw_connect(&srv, "127.0.0.3");
    assert_true(other >= 0);
    static const char get[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send(other, get, sizeof get - 1, MSG_NOSIGNAL);
    raw_read(other, &ok, 5);
    assert_int_equal(ok.status, 200);
    raw_free(&ok);
    close(other);
    for (size_t i = 0; i < n_slow; i++)
        close(slow[i]);
    assert_alive();
}

static void test_idle_connections(void **state)
{
    (void)state;
    /* Fill the server with idle connections from four addresses (16 each: 64, over the limit
     * of 48). At its limit libmicrohttpd stops accepting, so the extra ones wait in the
     * listen queue. A request sent now is answered once idle connections time out. */
    enum { N = MAX_CONNECTIONS + 16 };
    int fds[N];
    size_t n = 0;
    static const char *const src[] = {"127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"};
    for (size_t i = 0; i < N; i++) {
        int s = raw_connect(&srv, src[i / PER_IP_LIMIT]);
        if (s >= 0)
            fds[n++] = s;
    }
    usleep(200 * 1000);
    int late = raw_connect(&srv, "127.0.0.8");
    assert_true(late >= 0);
    static const char get[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    assert_int_equal(send(late, get, sizeof get - 1, MSG_NOSIGNAL), sizeof get - 1);
    struct raw_reply r = {0};
    raw_read(late, &r, 2 * TIMEOUT_S + 4);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    close(late);
    /* Every idle connection is closed by the server after the timeout. */
    double t0 = raw_now();
    size_t still_open = n;
    while (still_open > 0 && raw_now() - t0 < TIMEOUT_S + 4) {
        still_open = 0;
        for (size_t i = 0; i < n; i++) {
            struct pollfd p = {.fd = fds[i], .events = POLLIN};
            char c;
            if (!(poll(&p, 1, 0) == 1 && recv(fds[i], &c, 1, MSG_DONTWAIT | MSG_PEEK) <= 0))
                still_open++;
        }
        usleep(100 * 1000);
    }
    assert_int_equal(still_open, 0);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    assert_alive();
    assert_true(n > 0);
    expect_json_below_500("/v1/documents?limit=1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slowloris),
        cmocka_unit_test(test_idle_connections),
        cmocka_unit_test(test_still_serving),
    };
    return cmocka_run_group_tests_name("hostile connections", tests, start_server, stop_server);
}
