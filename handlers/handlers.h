/*
 * handlers.h — every endpoint's handler, by resource (one file each under handlers/).
 */
#ifndef HANDLERS_HANDLERS_H
#define HANDLERS_HANDLERS_H

#include "request.h"

/* health.c */
void handle_healthz(const struct request *req, struct reply *rep);
void handle_readyz(const struct request *req, struct reply *rep);
/* stats.c */
void handle_stats(const struct request *req, struct reply *rep);
/* documents.c */
void handle_documents_list(const struct request *req, struct reply *rep);
void handle_document_get(const struct request *req, struct reply *rep);
/* GET /v1/documents/{id}/source: the original and the spans cleaning set aside, with reasons. */
void handle_document_source(const struct request *req, struct reply *rep);
/* entities.c */
void handle_entities_list(const struct request *req, struct reply *rep);
void handle_entity_get(const struct request *req, struct reply *rep);
void handle_entity_mentions(const struct request *req, struct reply *rep);
void handle_entity_documents(const struct request *req, struct reply *rep);
void handle_entity_related(const struct request *req, struct reply *rep);
void handle_document_entities(const struct request *req, struct reply *rep);
/* timeline.c */
void handle_timeline(const struct request *req, struct reply *rep);
void handle_timeline_histogram(const struct request *req, struct reply *rep);
void handle_entity_timeline(const struct request *req, struct reply *rep);
void handle_document_timeline(const struct request *req, struct reply *rep);
void handle_document_timexes(const struct request *req, struct reply *rep);
/* search.c */
void handle_search(const struct request *req, struct reply *rep);
/* /v1/documents?q=…&sort=relevance: the matches ranked as a search, with the documents' list
 * parameters (filters, fields; offset cursors of its own). */
void handle_documents_ranked(const struct request *req, struct reply *rep);
/* A store snippet as HTML: text escaped, its \x01…\x02 markers turned into <mark>…</mark>
 * (malloc'd). */
char *search_snippet_html(const char *s);
/* sources.c */
void handle_sources_list(const struct request *req, struct reply *rep);
/* ?format=ndjson of a search: every match ranked once for the whole export (paging would rank
 * them all again for each page), then written in chunks as libmicrohttpd asks. */
struct search_stream;
struct text;
/* From the request's q and cursor, on req->db; NULL with a problem in rep. */
struct search_stream *search_stream_open(const struct request *req, struct reply *rep);
/* Appends the next hits (at most n) as NDJSON lines to out; false when none was left (or the
 * store failed: *failed). */
bool search_stream_next(struct search_stream *s, struct store_conn *c, size_t n, struct text *out,
                        bool *failed);
void search_stream_free(struct search_stream *s);

/* 404 (filled in rep) unless the document / entity named by the path exists. */
bool path_document_found(const struct request *req, struct reply *rep);
bool path_entity_found(const struct request *req, struct reply *rep);
/* When the path's entity id is an alias or earlier name of an entity: a 301 to that entity's URL
 * (+ suffix, e.g. "/mentions") and true; else false and nothing set. */
bool reply_entity_moved(const struct request *req, struct reply *rep, const char *suffix);
/* A 200 list that is never paged (every item of one document), or a 500 when the store failed;
 * consumes data. */
void reply_whole_list(const struct request *req, struct reply *rep, json_t *data, bool ok);

#endif
