/*
 * static.c — an in-memory table of the dashboard's files, and sending one.
 */
#include "static.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compress.h"
#include "conditional.h"
#include "response.h"
#include "base/file.h"
#include "base/grow.h"

/* The dashboard uses only its own scripts, styles and the API (tests/browser checks it). */
#define DASHBOARD_CSP                                                                              \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
#define STATIC_MAX_BYTES ((size_t)64 << 20)
#define STATIC_MAX_DEPTH 8

struct static_files {
    struct static_file *files;
    size_t n, cap, bytes;
};

static const struct {
    const char *ext, *type;
} content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".map", "application/json; charset=utf-8"},
    {".woff2", "font/woff2"},
};

/* The content type of a file the dashboard may be made of, or NULL: only these extensions
 * are served (notes such as README.md, editor backups and build files stay private). */
static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof content_types / sizeof *content_types; i++)
        if (strcmp(dot, content_types[i].ext) == 0)
            return content_types[i].type;
    return NULL;
}

static int add_file(struct static_files *s, const char *url_path, const char *fs_path)
{
    size_t len = 0;
    char *body = base_read_file(fs_path, STATIC_MAX_BYTES, &len, NULL);
    if (!body || s->bytes + len > STATIC_MAX_BYTES) {
        free(body);
        return 0;
    }
    if (BASE_GROW(s->files, s->cap, s->n, 32) < 0) {
        free(body);
        return -1;
    }
    struct static_file *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->path = strdup(url_path);
    f->content_type = type_of(url_path);
    f->body = body;
    f->len = len;
    etag_of_body(f->etag, body, len);
    if (len >= COMPRESS_MIN_BYTES)
        f->gzip = compress_gzip(body, len, &f->gzip_len);
    s->bytes += len;
    return f->path ? 0 : -1;
}

/* Is fs_path, with every symbolic link resolved, inside root (itself resolved)? A link may
 * point elsewhere inside the dashboard, never out of it. */
static bool inside(const char *root, const char *fs_path)
{
    char real[PATH_MAX];
    size_t n = strlen(root);
    return realpath(fs_path, real) && strncmp(real, root, n) == 0 &&
           (real[n] == '/' || real[n] == '\0');
}

static int load_dir(struct static_files *s, const char *root, const char *dir, const char *prefix,
                    int depth)
{
    if (depth > STATIC_MAX_DEPTH)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
            continue;
        char fs[4096], url[1024];
        snprintf(fs, sizeof fs, "%s/%s", dir, e->d_name);
        snprintf(url, sizeof url, "%s/%s", prefix, e->d_name);
        struct stat st;
        if (stat(fs, &st) != 0 || !inside(root, fs))
            continue;
        if (S_ISDIR(st.st_mode))
            rc = load_dir(s, root, fs, url, depth + 1);
        else if (S_ISREG(st.st_mode) && type_of(url))
            rc = add_file(s, url, fs);
    }
    closedir(d);
    return rc;
}

struct static_files *static_load(const char *dir, char **warning)
{
    *warning = NULL;
    struct static_files *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (asprintf(warning, "no dashboard: %s is not a directory", dir ? dir : "(none)") < 0)
            *warning = NULL;
        return s;
    }
    char root[PATH_MAX];
    if (!realpath(dir, root) || load_dir(s, root, dir, "", 0) < 0) {
        static_free(s);
        return NULL;
    }
    return s;
}

void static_free(struct static_files *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->files[i].path);
        free(s->files[i].body);
        free(s->files[i].gzip);
    }
    free(s->files);
    free(s);
}

const struct static_file *static_find(const struct static_files *s, const char *path)
{
    if (!s)
        return NULL;
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i].path, path) == 0)
            return &s->files[i];
    return NULL;
}

size_t static_count(const struct static_files *s)
{
    return s ? s->n : 0;
}

/* Bodies live as long as the server, so responses only point at them. */
enum MHD_Result static_send(struct server *srv, struct MHD_Connection *conn,
                            struct request_ctx *ctx, const struct static_file *f)
{
    static const char cc[] = "no-cache"; /* unversioned files: always revalidate (cheap 304s) */
    bool gz = f->gzip && response_wants_gzip(conn);
    char etag[ETAG_SIZE];
    etag_for_encoding(etag, f->etag, gz);
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (etag_none_match(inm, etag))
        return response_send_not_modified(srv, conn, ctx, etag, cc);
    struct response r = {.status = 200,
                         .kind = BODY_PERSISTENT,
                         .body = gz ? f->gzip : f->body,
                         .len = gz ? f->gzip_len : f->len,
                         .content_type = f->content_type,
                         .content_encoding = gz ? "gzip" : NULL,
                         .etag = etag,
                         .cache_control = cc,
                         .vary_encoding = true};
    if (strncmp(f->content_type, "text/html", 9) == 0)
        response_add(&r, "Content-Security-Policy", DASHBOARD_CSP);
    return response_send(srv, conn, ctx, &r);
}
