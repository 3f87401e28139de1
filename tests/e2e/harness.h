/*
 * harness.h — starts the real corpusd binary on a free loopback port and talks HTTP to it with
 * libcurl. Header-only so each end-to-end test program can include it.
 */
#ifndef TESTS_E2E_HARNESS_H
#define TESTS_E2E_HARNESS_H

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct http_response {
    long status;
    char *body;
    size_t body_len;
    char *headers; /* raw header block, lower-cased names not guaranteed */
    size_t headers_len;
};

struct server_proc {
    pid_t pid;
    int port;
    char base[64];
};

/* Writes len bytes of data to dir/name (a corpus file of a test); false when it cannot. */
static inline bool harness_write_file(const char *dir, const char *name, const char *data,
                                      size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* The first MiB of a file (a server's log), NUL-terminated; empty when it cannot be read. The
 * caller frees it. */
static inline char *harness_read_log(const char *path)
{
    char *buf = calloc(1, 1 << 20);
    FILE *f = fopen(path, "rb");
    if (f && buf)
        buf[fread(buf, 1, (1 << 20) - 1, f)] = '\0';
    if (f)
        fclose(f);
    return buf;
}

struct growbuf {
    char *buf;
    size_t len;
};

static inline size_t harness_append(char *data, size_t size, size_t n, void *userp)
{
    struct growbuf *g = userp;
    size_t add = size * n;
    char *nb = realloc(g->buf, g->len + add + 1);
    if (!nb)
        return 0;
    memcpy(nb + g->len, data, add);
    g->len += add;
    nb[g->len] = '\0';
    g->buf = nb;
    return add;
}

static inline int harness_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    int port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* method NULL = GET; extra_headers NULL-terminated list of "Name: value". */
static inline struct http_response http_request(const struct server_proc *s, const char *method,
                                                const char *path, const char *const *extra_headers)
{
    struct http_response r = {0};
    struct growbuf body = {NULL, 0}, head = {NULL, 0};
    size_t url_size = strlen(s->base) + strlen(path) + 1;
    char *url = malloc(url_size);
    snprintf(url, url_size, "%s%s", s->base, path);
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    for (const char *const *h = extra_headers; h && *h; h++)
        hl = curl_slist_append(hl, *h);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, harness_append);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (method && strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (method)
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    free(url);
    r.body = body.buf ? body.buf : calloc(1, 1);
    r.body_len = body.len;
    r.headers = head.buf ? head.buf : calloc(1, 1);
    r.headers_len = head.len;
    return r;
}

static inline struct http_response http_get(const struct server_proc *s, const char *path)
{
    return http_request(s, NULL, path, NULL);
}

/* The value of header name (case-insensitive) in a malloc'd string, or NULL. */
static inline char *http_header(const struct http_response *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, (size_t)(p + len - v));
        }
        p = eol ? eol + 2 : p + len;
    }
    return NULL;
}

static inline void http_free(struct http_response *r)
{
    free(r->body);
    free(r->headers);
}

static inline json_t *http_json(const struct http_response *r)
{
    return json_loadb(r->body, r->body_len, 0, NULL);
}

/* CORPUSD_WRAPPER (e.g. "valgrind --leak-check=full") is prepended to the server's command
 * line; waits are then 10x longer. */
static inline int harness_slowdown(void)
{
    const char *w = getenv("CORPUSD_WRAPPER");
    return w && *w ? 10 : 1;
}

/* Starts corpusd with extra args (NULL-terminated) and waits up to ready_seconds (times the
 * wrapper's slowdown) until /readyz answers 200. With stdout_path, the server's stdout (the access
 * log) goes to that file. A server that exits, or is not ready in time, is reported on stderr
 * (and killed): -1. */
static inline int server_spawn_within(struct server_proc *s, const char *corpus,
                                      const char *const *extra, const char *stdout_path,
                                      int ready_seconds)
{
    const char *bin = getenv("CORPUSD_BIN") ? getenv("CORPUSD_BIN") : "build/corpusd";
    s->port = harness_free_port();
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
    const char *argv[32] = {bin, "--listen", listen, "--corpus", corpus, "--log-level", "warn"};
    int n = 7;
    for (const char *const *e = extra; e && *e && n < 30; e++)
        argv[n++] = *e;
    argv[n] = NULL;
    s->pid = fork();
    if (s->pid == 0) {
        if (stdout_path && !freopen(stdout_path, "w", stdout))
            _exit(126);
        const char *wrap = getenv("CORPUSD_WRAPPER");
        if (wrap && *wrap) {
            char *words = strdup(wrap), *wargv[64];
            int k = 0;
            for (char *w = strtok(words, " "); w && k < 31; w = strtok(NULL, " "))
                wargv[k++] = w;
            for (int i = 0; i <= n; i++)
                wargv[k + i] = (char *)argv[i];
            execvp(wargv[0], wargv);
            _exit(127);
        }
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double limit = (double)ready_seconds * harness_slowdown();
    for (;;) {
        struct http_response r = http_get(s, "/readyz");
        long st = r.status;
        http_free(&r);
        if (st == 200)
            return 0;
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            fprintf(stderr, "harness: corpusd exited (status %d) before it was ready\n",
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if ((double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 > limit)
            break;
        usleep(100 * 1000);
    }
    fprintf(stderr, "harness: corpusd not ready within %.0f s; killed\n", limit);
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    return -1;
}

/* server_spawn_within with the seed-sized default: 30 s. */
static inline int server_spawn_logged(struct server_proc *s, const char *corpus,
                                      const char *const *extra, const char *stdout_path)
{
    return server_spawn_within(s, corpus, extra, stdout_path, 30);
}

static inline int server_spawn(struct server_proc *s, const char *corpus, const char *const *extra)
{
    return server_spawn_logged(s, corpus, extra, NULL);
}

/* SIGTERM, then the exit status (-1 if it had to be killed). */
static inline int server_stop_proc(struct server_proc *s)
{
    int status = 0;
    kill(s->pid, SIGTERM);
    for (int i = 0; i < 100 * harness_slowdown(); i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        usleep(50 * 1000);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    return -1;
}

#endif
