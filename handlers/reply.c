/*
 * reply.c — building handler replies: JSON bodies and RFC 9457 problem details.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "params.h"
#include "base/utf8.h"
#include "store/documents.h"
#include "store/entities.h"

const char *request_arg(const struct request *req, const char *key)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (strcmp(req->args[i].key, key) == 0)
            return req->args[i].value;
    return NULL;
}

void reply_json(struct reply *rep, int status, json_t *json)
{
    free(rep->body);
    rep->body = json ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    if (!rep->body) {
        static const char oom[] = "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                                  "\"status\":500,\"detail\":\"out of memory\"}";
        rep->body = strdup(oom);
        status = 500;
    }
    rep->status = status;
    rep->body_len = rep->body ? strlen(rep->body) : 0;
    rep->content_type =
        status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
}

void reply_fragment(struct reply *rep, const char *json)
{
    free(rep->body);
    rep->body = strdup(json);
    if (!rep->body) {
        reply_problem(rep, 500, "out of memory");
        return;
    }
    rep->status = 200;
    rep->body_len = strlen(rep->body);
    rep->content_type = "application/json; charset=utf-8";
}

const char *reply_status_title(int status)
{
    switch (status) {
    case 301:
        return "Moved Permanently";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

void reply_problem(struct reply *rep, int status, const char *detail_fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    if (!utf8_valid(detail, strlen(detail))) /* details may quote client input */
        snprintf(detail, sizeof detail, "the request contains invalid UTF-8");
    json_t *p = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
                          reply_status_title(status), "status", status, "detail", detail);
    reply_json(rep, status, p);
    rep->cache_control = "no-store";
}

bool path_document_found(const struct request *req, struct reply *rep)
{
    if (store_document_exists(req->db, req->params[0]))
        return true;
    reply_problem(rep, 404, "no document with id '%s'", req->params[0]);
    return false;
}

/* Percent-encodes the bytes of an entity id a URL path may not carry raw (non-ASCII letters). */
static void append_path_escaped(char *out, size_t size, const char *s)
{
    size_t n = strlen(out);
    for (; *s && n + 4 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80 && c > 0x20 && c != '%' && c != '?' && c != '#' && c != '/')
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, size - n, "%%%02X", c);
    }
    out[n] = '\0';
}

bool reply_entity_moved(const struct request *req, struct reply *rep, const char *suffix)
{
    char id[512], url[2048];
    if (store_entity_redirect(req->db, req->params[0], id, sizeof id) != STORE_OK)
        return false;
    snprintf(url, sizeof url, "%s/v1/entities/", req->base_path ? req->base_path : "");
    append_path_escaped(url, sizeof url, id);
    snprintf(url + strlen(url), sizeof url - strlen(url), "%s", suffix);
    free(rep->location);
    rep->location = strdup(url);
    reply_json(rep, 301, json_pack("{s:s, s:s}", "id", id, "location", url));
    rep->cache_control = "public, max-age=300";
    return true;
}

bool path_entity_found(const struct request *req, struct reply *rep)
{
    if (store_entity_exists(req->db, req->params[0]))
        return true;
    const char *sub = strrchr(req->path, '/');
    if (!reply_entity_moved(req, rep, sub ? sub : ""))
        reply_problem(rep, 404, "no entity with id '%s'", req->params[0]);
    return false;
}

void reply_whole_list(const struct request *req, struct reply *rep, json_t *data, bool ok)
{
    if (!ok) {
        json_decref(data);
        reply_problem(rep, 500, "the store could not answer");
        return;
    }
    struct rows rows = {0};
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item) rows_add_json(&rows, json_incref(item));
    size_t n = json_array_size(data);
    json_decref(data);
    reply_page(req, rep, &rows, (long long)n, (int)n, NULL);
}
