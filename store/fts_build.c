/*
 * fts_build.c — the full-text index (documents_fts) and the exact ranked hits of the most frequent
 * terms (search_terms, search_top). Neither reads anything but the documents' titles and texts,
 * so with two threads they are built on a side database by a thread of their own, fed each
 * document as the store writes it, while the store loads its rows and derives its entity tables
 * (on Reuters the index and the 64 ranked queries are 2-3 s of a 15-18 s serial build); then
 * FTS5's shadow tables and the top-k rows are copied in. The side database uses the store's own
 * definitions, so the copied tables are byte for byte what FTS5 builds in place (which is what
 * one thread does: 'rebuild' from the documents table).
 *
 * The side thread holds no texts: an external-content FTS5 table is written without reading its
 * content table (empty there), and ranking reads the index alone. The snippets, which need the
 * texts, are made in the store once the index is in, by the function search.c calls.
 */
#include "fts_build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

/* Terms kept for exact top-k search: every term in at least SEARCH_TOP_SHARE of the documents,
 * at most SEARCH_TOP_TERMS of them, each with its first SEARCH_TOP_HITS ranked hits (one full
 * page at the largest limit; deeper pages run the full-text query). */
#define SEARCH_TOP_TERMS 64
#define SEARCH_TOP_SHARE 0.02
#define SEARCH_TOP_HITS 100

/* The ranked full-text query of store_search (search.c), without its snippets (snippet_sql): the
 * top-k rows must be what it gives. */
#define SEARCH_RANKED_SQL                                                                          \
    "SELECT rowid, rank FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2"

/* The ranking function of ORDER BY rank (bm25.c), set once the index is complete. */
static const char rank_sql[] =
    "INSERT INTO documents_fts(documents_fts, rank) VALUES('rank', '" STORE_BM25_FUNCTION
    "(4.0, 1.0)');";

/* The store's tables the side database builds (their definitions are read from the store). */
static const char *const side_tables[] = {"documents_fts", "search_terms", "search_top"};

/* Copied into the store: FTS5's shadow tables (replacing the empty index its CREATE wrote),
 * then the top-k tables. */
static const char copy_sql[] =
    "DELETE FROM main.documents_fts_data; DELETE FROM main.documents_fts_idx;"
    "DELETE FROM main.documents_fts_docsize; DELETE FROM main.documents_fts_config;"
    "INSERT INTO main.documents_fts_data SELECT * FROM fts_side.documents_fts_data;"
    "INSERT INTO main.documents_fts_idx SELECT * FROM fts_side.documents_fts_idx;"
    "INSERT INTO main.documents_fts_docsize SELECT * FROM fts_side.documents_fts_docsize;"
    "INSERT INTO main.documents_fts_config SELECT * FROM fts_side.documents_fts_config;"
    "INSERT INTO main.search_terms SELECT * FROM fts_side.search_terms;"
    "INSERT INTO main.search_top SELECT * FROM fts_side.search_top;";

/* Each top-k hit's snippet, as the ranked query with its snippet column gives it (a snippet
 * depends on the row and the query's phrases alone); the term quoted as rank_term quotes it. */
static const char snippet_sql[] =
    "UPDATE main.search_top SET snippet = (SELECT " STORE_SNIPPET_SQL " FROM main.documents_fts"
    " WHERE documents_fts MATCH '\"' || replace(search_top.term, '\"', '\"\"') || '\"'"
    " AND rowid = search_top.doc);";

struct fts_row {
    sqlite3_int64 rowid;
    char *title;
    char *text; /* one allocation with title */
    int text_len;
};

struct fts_queue {
    struct fts_row *rows;
    size_t n, cap;
};

struct fts_build {
    bool threaded; /* false: built in place by fts_build_finish, nothing else here used */
    sqlite3 *side; /* the side database, attached by the store through uri */
    char uri[80];
    sqlite3_stmt *ins_fts;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more;
    struct fts_queue queue; /* rows handed over, not yet taken by the thread */
    bool closed;            /* no more rows will come */
    sqlite3_int64 indexed;  /* documents indexed (the side content table is empty) */
    int rc;                 /* the side build's first failure */
    char what[200];         /* and where it happened */
};

static int side_fail(struct fts_build *fb, int rc, const char *what)
{
    if (fb->rc == SQLITE_OK) {
        fb->rc = rc;
        snprintf(fb->what, sizeof fb->what, "%s: %s", what, sqlite3_errmsg(fb->side));
    }
    return rc;
}

static int insert_row(struct fts_build *fb, const struct fts_row *r)
{
    sqlite3_stmt *st = fb->ins_fts;
    sqlite3_bind_int64(st, 1, r->rowid);
    sqlite3_bind_text(st, 2, r->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->text, r->text_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return side_fail(fb, rc, "full-text index");
    fb->indexed++;
    return SQLITE_OK;
}

/* The ranked hits of one term into search_top; *kept the rows written. */
static int rank_term(sqlite3_stmt *ranked, sqlite3_stmt *ins, const char *term, int *kept)
{
    char match[300];
    snprintf(match, sizeof match, "\"%s\"", term); /* as store_search_compile quotes it */
    sqlite3_bind_text(ranked, 1, match, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ranked, 2, SEARCH_TOP_HITS);
    int rc;
    *kept = 0;
    while ((rc = sqlite3_step(ranked)) == SQLITE_ROW) {
        sqlite3_bind_text(ins, 1, term, -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 2, *kept);
        sqlite3_bind_int64(ins, 3, sqlite3_column_int64(ranked, 0));
        sqlite3_bind_double(ins, 4, sqlite3_column_double(ranked, 1));
        sqlite3_bind_text(ins, 5, "", 0, SQLITE_STATIC); /* snippet_sql, in the store */
        int irc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (irc != SQLITE_DONE) {
            rc = irc;
            break;
        }
        ++*kept;
    }
    sqlite3_reset(ranked);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The top-k tables from the complete index of docs documents (the ranked hits without their
 * snippets). */
static int build_search_top(sqlite3 *db, sqlite3_int64 docs)
{
    int rc = sqlite3_exec(
        db, "CREATE VIRTUAL TABLE temp.fts_vocab USING fts5vocab(main, 'documents_fts', 'row')",
        NULL, NULL, NULL);
    sqlite3_stmt *terms = NULL, *ranked = NULL, *ins = NULL, *add = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db,
                                "SELECT term, doc FROM temp.fts_vocab WHERE doc >= ?1"
                                " AND length(term) < 200 ORDER BY doc DESC, term LIMIT ?2",
                                -1, &terms, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, SEARCH_RANKED_SQL, -1, &ranked, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO search_top VALUES(?, ?, ?, ?, ?)", -1, &ins, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO search_terms VALUES(?, ?, ?)", -1, &add, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_int64 min_docs = (sqlite3_int64)((double)docs * SEARCH_TOP_SHARE);
        sqlite3_bind_int64(terms, 1, min_docs > 2 ? min_docs : 2);
        sqlite3_bind_int(terms, 2, SEARCH_TOP_TERMS);
    }
    while (rc == SQLITE_OK && (rc = sqlite3_step(terms)) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(terms, 0);
        int kept = 0;
        if ((rc = rank_term(ranked, ins, term, &kept)) != SQLITE_OK)
            break;
        sqlite3_bind_text(add, 1, term, -1, SQLITE_STATIC);
        sqlite3_bind_int64(add, 2, sqlite3_column_int64(terms, 1));
        sqlite3_bind_int(add, 3, kept);
        rc = sqlite3_step(add);
        sqlite3_reset(add);
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(terms);
    sqlite3_finalize(ranked);
    sqlite3_finalize(ins);
    sqlite3_finalize(add);
    sqlite3_exec(db, "DROP TABLE IF EXISTS temp.fts_vocab", NULL, NULL, NULL);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* After the last row, on the side: the ranking function, the top-k tables, the transaction's
 * end. */
static void side_complete(struct fts_build *fb)
{
    if (fb->rc != SQLITE_OK)
        return;
    int rc = sqlite3_exec(fb->side, rank_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        side_fail(fb, rc, "full-text ranking");
        return;
    }
    if ((rc = build_search_top(fb->side, fb->indexed)) != SQLITE_OK) {
        side_fail(fb, rc, "search top-k");
        return;
    }
    if ((rc = sqlite3_exec(fb->side, "COMMIT;", NULL, NULL, NULL)) != SQLITE_OK)
        side_fail(fb, rc, "full-text index");
}

static void free_rows(struct fts_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].title);
    free(rows);
}

/* The thread: takes whatever rows have been handed over, all at once, until closed. */
static void *side_thread(void *arg)
{
    struct fts_build *fb = arg;
    for (;;) {
        pthread_mutex_lock(&fb->lock);
        while (!fb->closed && fb->queue.n == 0)
            pthread_cond_wait(&fb->more, &fb->lock);
        struct fts_queue batch = fb->queue;
        fb->queue = (struct fts_queue){NULL, 0, 0};
        bool last = fb->closed;
        pthread_mutex_unlock(&fb->lock);
        for (size_t i = 0; i < batch.n && fb->rc == SQLITE_OK; i++)
            insert_row(fb, &batch.rows[i]);
        free_rows(batch.rows, batch.n);
        if (last)
            break;
    }
    side_complete(fb);
    return NULL;
}

/* Creates the side tables from the store's definitions; the content table documents exists
 * (the FTS5 table names it) and stays empty. */
static int side_schema(struct fts_build *fb, sqlite3 *store)
{
    int rc = sqlite3_exec(fb->side,
                          "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                          " CREATE TABLE documents(title TEXT, text TEXT);",
                          NULL, NULL, NULL);
    sqlite3_stmt *def = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(store, "SELECT sql FROM main.sqlite_schema WHERE name = ?", -1,
                                &def, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof side_tables / sizeof *side_tables; i++) {
        sqlite3_bind_text(def, 1, side_tables[i], -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(def)) == SQLITE_ROW)
            rc =
                sqlite3_exec(fb->side, (const char *)sqlite3_column_text(def, 0), NULL, NULL, NULL);
        else if (rc == SQLITE_DONE)
            rc = SQLITE_INTERNAL; /* the store's schema lacks the table */
        sqlite3_reset(def);
    }
    sqlite3_finalize(def);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(fb->side, "BEGIN;", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(fb->side,
                                "INSERT INTO documents_fts(rowid, title, text) VALUES(?,?,?)", -1,
                                &fb->ins_fts, NULL);
    return rc;
}

/* Opens the side database and starts its thread; false (and nothing left open) when either
 * cannot be had: the build then goes on in place. */
static bool side_start(struct fts_build *fb, sqlite3 *store)
{
    /* A memdb name starting with "/" is shared by the connections of this process: the store's
     * connection attaches it to copy from it. */
    snprintf(fb->uri, sizeof fb->uri, "file:/corpusd-fts-%p?vfs=memdb", (void *)fb);
    int rc = sqlite3_open_v2(
        fb->uri, &fb->side,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = store_register_fts_functions(fb->side);
    if (rc == SQLITE_OK)
        rc = side_schema(fb, store);
    if (rc == SQLITE_OK && pthread_create(&fb->thread, NULL, side_thread, fb) == 0)
        return true;
    sqlite3_finalize(fb->ins_fts);
    fb->ins_fts = NULL;
    sqlite3_close(fb->side);
    fb->side = NULL;
    return false;
}

static void fb_free(struct fts_build *fb)
{
    if (fb->threaded) {
        sqlite3_finalize(fb->ins_fts);
        sqlite3_close(fb->side);
        free_rows(fb->queue.rows, fb->queue.n);
    }
    pthread_mutex_destroy(&fb->lock);
    pthread_cond_destroy(&fb->more);
    free(fb);
}

struct fts_build *fts_build_start(sqlite3 *store, bool threaded, char **err)
{
    struct fts_build *fb = calloc(1, sizeof *fb);
    if (!fb) {
        *err = store_errdup("store build: full-text index", "out of memory");
        return NULL;
    }
    pthread_mutex_init(&fb->lock, NULL);
    pthread_cond_init(&fb->more, NULL);
    fb->threaded = threaded && side_start(fb, store);
    return fb;
}

int fts_build_add(struct fts_build *fb, sqlite3_int64 rowid, const char *title, const char *text,
                  size_t text_len)
{
    if (!fb->threaded)
        return 0; /* fts_build_finish indexes the documents table */
    size_t title_len = strlen(title);
    struct fts_row r = {rowid, malloc(title_len + 1 + text_len + 1), NULL, (int)text_len};
    if (!r.title)
        return -1;
    memcpy(r.title, title, title_len + 1);
    r.text = r.title + title_len + 1;
    memcpy(r.text, text, text_len);
    r.text[text_len] = '\0';
    pthread_mutex_lock(&fb->lock);
    struct fts_queue *q = &fb->queue;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 256;
        struct fts_row *rows = realloc(q->rows, cap * sizeof *rows);
        if (!rows) {
            pthread_mutex_unlock(&fb->lock);
            free(r.title);
            return -1;
        }
        q->rows = rows;
        q->cap = cap;
    }
    q->rows[q->n++] = r;
    pthread_cond_signal(&fb->more);
    pthread_mutex_unlock(&fb->lock);
    return 0; /* a failure of the thread is reported by fts_build_finish */
}

void fts_build_close(struct fts_build *fb)
{
    if (!fb->threaded)
        return;
    pthread_mutex_lock(&fb->lock);
    fb->closed = true;
    pthread_cond_signal(&fb->more);
    pthread_mutex_unlock(&fb->lock);
}

/* Closes the queue and waits for the thread to end (once). */
static void side_join(struct fts_build *fb)
{
    if (!fb->threaded || !fb->ins_fts)
        return;
    fts_build_close(fb);
    pthread_join(fb->thread, NULL);
    sqlite3_finalize(fb->ins_fts);
    fb->ins_fts = NULL;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* ATTACH and DETACH cannot run inside a transaction: the caller's has ended. */
static int copy_into(struct fts_build *fb, sqlite3 *store)
{
    char attach[160];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS fts_side; BEGIN;", fb->uri);
    int rc = exec(store, attach);
    if (rc == SQLITE_OK)
        rc = exec(store, copy_sql);
    if (rc == SQLITE_OK)
        rc = exec(store, "COMMIT; DETACH fts_side;");
    return rc;
}

/* One thread: the index from the documents table, then the top-k ranking. */
static int build_in_place(sqlite3 *store)
{
    sqlite3_stmt *n = NULL;
    sqlite3_int64 docs = 0;
    int rc = exec(store, "BEGIN; INSERT INTO documents_fts(documents_fts) VALUES('rebuild');");
    if (rc == SQLITE_OK)
        rc = exec(store, rank_sql);
    if (rc == SQLITE_OK &&
        (rc = sqlite3_prepare_v2(store, "SELECT count(*) FROM documents", -1, &n, NULL)) ==
            SQLITE_OK &&
        sqlite3_step(n) == SQLITE_ROW)
        docs = sqlite3_column_int64(n, 0);
    sqlite3_finalize(n);
    if (rc == SQLITE_OK)
        rc = build_search_top(store, docs);
    if (rc == SQLITE_OK)
        rc = exec(store, "COMMIT;");
    return rc;
}

int fts_build_finish(struct fts_build *fb, sqlite3 *store, char **err)
{
    int rc;
    if (fb->threaded) {
        side_join(fb);
        if ((rc = fb->rc) != SQLITE_OK)
            *err = store_errdup("store build", fb->what);
        else
            rc = copy_into(fb, store);
    } else {
        rc = build_in_place(store);
    }
    if (rc == SQLITE_OK)
        rc = exec(store, snippet_sql);
    if (rc != SQLITE_OK && !*err)
        *err = store_errdup("store build: full-text index", sqlite3_errmsg(store));
    fb_free(fb);
    return rc == SQLITE_OK ? 0 : -1;
}

void fts_build_abort(struct fts_build *fb)
{
    if (!fb)
        return;
    side_join(fb);
    fb_free(fb);
}
