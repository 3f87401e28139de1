/*
 * lookup_build.c — the store's lookup tables that need nothing but the documents' texts, the
 * entities' names or the mentions' sentences: the full-text index (documents_fts), the exact
 * ranked hits of the most frequent terms (search_terms, search_top), the entity name keys and
 * their prefixes (entity_keys, entity_prefixes, store_build_name_keys), and the related entities
 * (related, store_build_related). On Reuters they are ~6 s of a 15-18 s serial store build, so
 * with two threads they are built by a thread of their own: the index on a side database from
 * each document as the store writes it (while the store loads its rows), the top-k ranking while
 * the store derives its entity tables, the related entities on a second side database from the
 * entity-sentence pairs handed over once the mentions are derived (while the store copies the
 * index from the first), then the name keys from the derived entities while the store builds its
 * per-entity lists and the entities' fragments; each part is copied in when done. The side
 * databases use the store's own table definitions, so what is copied is byte for byte what one
 * thread builds in place (FTS5's 'rebuild' from the documents table, the same ranking, key and
 * related functions on the store's connection): tests/unit/test_parallel.c compares every table.
 *
 * The side thread holds no texts: an external-content FTS5 table is written without reading its
 * content table (empty there), and ranking reads the index alone. The snippets, which need the
 * texts, are made in the store once the index is in, by the function search.c calls. The side's
 * index is dropped once copied, so the name keys reuse its pages.
 */
#include "lookup_build.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "build.h"
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
static const char *const side_tables[] = {"documents_fts", "search_terms", "search_top",
                                          "entity_keys", "entity_prefixes"};

/* Copied into the store once the index is complete: FTS5's shadow tables (replacing the empty
 * index its CREATE wrote), then the top-k tables; the side then drops them (drop_index_sql) and
 * its pages serve the name keys. */
static const char copy_index_sql[] =
    "DELETE FROM main.documents_fts_data; DELETE FROM main.documents_fts_idx;"
    "DELETE FROM main.documents_fts_docsize; DELETE FROM main.documents_fts_config;"
    "INSERT INTO main.documents_fts_data SELECT * FROM lookup_side.documents_fts_data;"
    "INSERT INTO main.documents_fts_idx SELECT * FROM lookup_side.documents_fts_idx;"
    "INSERT INTO main.documents_fts_docsize SELECT * FROM lookup_side.documents_fts_docsize;"
    "INSERT INTO main.documents_fts_config SELECT * FROM lookup_side.documents_fts_config;"
    "INSERT INTO main.search_terms SELECT * FROM lookup_side.search_terms;"
    "INSERT INTO main.search_top SELECT * FROM lookup_side.search_top;";

static const char drop_index_sql[] =
    "BEGIN; DROP TABLE documents_fts; DROP TABLE search_terms; DROP TABLE search_top;";

/* The related entities' database: the table it gets from the pairs the store hands over. */
static const char related_schema_sql[] = "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;";

/* Copied at the end, from the related entities' database (in their key order: appends). */
static const char copy_related_sql[] =
    "INSERT INTO main.related SELECT * FROM lookup_side.related;";

/* Copied at the end: the name keys and their prefixes. */
static const char copy_names_sql[] =
    "INSERT INTO main.entity_keys SELECT * FROM lookup_side.entity_keys;"
    "INSERT INTO main.entity_prefixes SELECT * FROM lookup_side.entity_prefixes;";

/* Each top-k hit's snippet, as the ranked query with its snippet column gives it (a snippet
 * depends on the row and the query's phrases alone); the term quoted as rank_term quotes it. */
static const char snippet_sql[] =
    "UPDATE main.search_top SET snippet = (SELECT " STORE_SNIPPET_SQL " FROM main.documents_fts"
    " WHERE documents_fts MATCH '\"' || replace(search_top.term, '\"', '\"\"') || '\"'"
    " AND rowid = search_top.doc);";

/* Rows handed over before the thread is woken: woken for each, it took one row at a time and
 * the store's thread paid a futex wake-up per document (~6 % of its rows phase on Reuters). */
#define LOOKUP_BATCH_ROWS 32

struct fts_row {
    sqlite3_int64 rowid;
    char *title;
    char *text; /* one allocation with title */
    int text_len;
};

/* An entity (type set) or one of its aliases (type NULL, id the entity's), handed to the thread
 * for the name keys. */
struct name_row {
    sqlite3_int64 id, rank;
    char *name; /* one allocation with type */
    char *type;
};

struct fts_queue {
    struct fts_row *rows;
    size_t n, cap;
};

struct lookup_build {
    bool threaded; /* false: built in place by lookup_build_finish, nothing else here used */
    sqlite3 *side; /* the side database, attached by the store through uri */
    char uri[80];
    sqlite3 *rel; /* the related entities' database, of the same thread, attached through rel_uri */
    char rel_uri[80];
    sqlite3_stmt *ins_fts;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more;    /* to the thread: rows, the end of them, the names, cancelled */
    pthread_cond_t done;    /* from the thread: the index is complete */
    struct fts_queue queue; /* rows handed over, not yet taken by the thread */
    bool closed;            /* no more rows will come */
    struct name_row *names; /* the entities and aliases, once handed over */
    size_t n_names;
    struct entity_sentence *pairs; /* of the mentions, distinct, once handed over */
    size_t n_pairs;
    bool pairs_given;
    bool indexed_done; /* the index and top-k tables are complete and committed */
    bool names_given;
    bool cancelled; /* the build failed before handing the names: the thread only ends */
    int rc;         /* the side build's first failure */
    char what[200]; /* and where it happened */
};

static int db_fail(struct lookup_build *lb, sqlite3 *db, int rc, const char *what)
{
    if (lb->rc == SQLITE_OK) {
        lb->rc = rc;
        snprintf(lb->what, sizeof lb->what, "%s: %s", what, sqlite3_errmsg(db));
    }
    return rc;
}

static int side_fail(struct lookup_build *lb, int rc, const char *what)
{
    return db_fail(lb, lb->side, rc, what);
}

static int insert_row(struct lookup_build *lb, const struct fts_row *r)
{
    sqlite3_stmt *st = lb->ins_fts;
    sqlite3_bind_int64(st, 1, r->rowid);
    sqlite3_bind_text(st, 2, r->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->text, r->text_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : side_fail(lb, rc, "full-text index");
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

/* The documents in the index: one row of its sizes each (the content table is empty on the
 * side). */
static sqlite3_int64 indexed_documents(sqlite3 *db)
{
    sqlite3_stmt *n = NULL;
    sqlite3_int64 docs = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM documents_fts_docsize", -1, &n, NULL) ==
            SQLITE_OK &&
        sqlite3_step(n) == SQLITE_ROW)
        docs = sqlite3_column_int64(n, 0);
    sqlite3_finalize(n);
    return docs;
}

/* The top-k tables from the complete index (the ranked hits without their snippets). */
static int build_search_top(sqlite3 *db)
{
    sqlite3_int64 docs = indexed_documents(db);
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

/* After the last row, on the side: the ranking function and the top-k tables, committed for
 * the store to copy. */
static void side_complete(struct lookup_build *lb)
{
    if (lb->rc != SQLITE_OK)
        return;
    int rc = sqlite3_exec(lb->side, rank_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        side_fail(lb, rc, "full-text ranking");
        return;
    }
    if ((rc = build_search_top(lb->side)) != SQLITE_OK)
        side_fail(lb, rc, "search top-k");
    else if ((rc = sqlite3_exec(lb->side, "COMMIT;", NULL, NULL, NULL)) != SQLITE_OK)
        side_fail(lb, rc, "full-text index");
}

static void free_rows(struct fts_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].title);
    free(rows);
}

static void free_names(struct name_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].name);
    free(rows);
}

/* The entities and aliases into the side's input tables, then their name keys. */
static void side_names(struct lookup_build *lb)
{
    sqlite3_stmt *ent = NULL, *alias = NULL;
    int rc = sqlite3_prepare_v2(lb->side, "INSERT INTO entities VALUES(?,?,?,?)", -1, &ent, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(lb->side, "INSERT INTO entity_aliases VALUES(?,?)", -1, &alias,
                                NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < lb->n_names; i++) {
        const struct name_row *r = &lb->names[i];
        sqlite3_stmt *st = r->type ? ent : alias;
        sqlite3_bind_int64(st, 1, r->id);
        sqlite3_bind_text(st, 2, r->name, -1, SQLITE_STATIC);
        if (r->type) {
            sqlite3_bind_text(st, 3, r->type, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, r->rank);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(lb->side);
        sqlite3_reset(st);
    }
    sqlite3_finalize(ent);
    sqlite3_finalize(alias);
    free_names(lb->names, lb->n_names);
    lb->names = NULL;
    lb->n_names = 0;
    if (rc == SQLITE_OK)
        rc = store_build_name_keys(lb->side);
    if (rc != SQLITE_OK)
        side_fail(lb, rc, "entity name keys");
}

/* The handed entity-sentence pairs into the related entities' database, then the related
 * entities from them (store_build_related), committed. */
static void side_related(struct lookup_build *lb)
{
    int rc = sqlite3_exec(lb->rel, "BEGIN;", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = store_build_related(lb->rel, lb->pairs, lb->n_pairs);
    free(lb->pairs);
    lb->pairs = NULL;
    lb->n_pairs = 0;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(lb->rel, "COMMIT;", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        db_fail(lb, lb->rel, rc, "related entities");
}

/* The thread: takes whatever rows have been handed over, all at once, until closed; completes
 * the index and its top-k hits; then waits for the names. */
static void *side_thread(void *arg)
{
    struct lookup_build *lb = arg;
    for (;;) {
        pthread_mutex_lock(&lb->lock);
        while (!lb->closed && lb->queue.n == 0)
            pthread_cond_wait(&lb->more, &lb->lock);
        struct fts_queue batch = lb->queue;
        lb->queue = (struct fts_queue){NULL, 0, 0};
        bool last = lb->closed;
        pthread_mutex_unlock(&lb->lock);
        for (size_t i = 0; i < batch.n && lb->rc == SQLITE_OK; i++)
            insert_row(lb, &batch.rows[i]);
        free_rows(batch.rows, batch.n);
        if (last)
            break;
    }
    side_complete(lb);
    pthread_mutex_lock(&lb->lock);
    lb->indexed_done = true; /* the store copies the index now (lookup_build_entities) */
    pthread_cond_signal(&lb->done);
    while (!lb->pairs_given && !lb->cancelled)
        pthread_cond_wait(&lb->more, &lb->lock);
    bool pairs = lb->pairs_given;
    pthread_mutex_unlock(&lb->lock);
    if (pairs && lb->rc == SQLITE_OK) /* the store copies the index meanwhile: another database */
        side_related(lb);
    pthread_mutex_lock(&lb->lock);
    while (!lb->names_given && !lb->cancelled)
        pthread_cond_wait(&lb->more, &lb->lock);
    bool names = lb->names_given;
    pthread_mutex_unlock(&lb->lock);
    if (names && lb->rc == SQLITE_OK) {
        int rc = sqlite3_exec(lb->side, drop_index_sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            side_fail(lb, rc, "side database");
        else
            side_names(lb);
        rc = lb->rc == SQLITE_OK ? sqlite3_exec(lb->side, "COMMIT;", NULL, NULL, NULL) : lb->rc;
        if (rc != SQLITE_OK)
            side_fail(lb, rc, "side database");
    }
    return NULL;
}

/* Creates table name in db as the store defines it. */
static int copy_definition(sqlite3 *store, sqlite3 *db, const char *name)
{
    sqlite3_stmt *def = NULL;
    int rc = sqlite3_prepare_v2(store, "SELECT sql FROM main.sqlite_schema WHERE name = ?", -1,
                                &def, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(def, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && (rc = sqlite3_step(def)) == SQLITE_ROW)
        rc = sqlite3_exec(db, (const char *)sqlite3_column_text(def, 0), NULL, NULL, NULL);
    else if (rc == SQLITE_DONE)
        rc = SQLITE_INTERNAL; /* the store's schema lacks the table */
    sqlite3_finalize(def);
    return rc;
}

/* Creates the side tables from the store's definitions; the content table documents exists
 * (the FTS5 table names it) and stays empty. */
static int side_schema(struct lookup_build *lb, sqlite3 *store)
{
    int rc =
        sqlite3_exec(lb->side,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     " CREATE TABLE documents(title TEXT, text TEXT);"
                     /* the inputs of store_build_name_keys, from the store's entities */
                     " CREATE TABLE entities(rowid INTEGER PRIMARY KEY, name TEXT, type TEXT,"
                     " rank INTEGER); CREATE TABLE entity_aliases(entity INTEGER, alias TEXT);",
                     NULL, NULL, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof side_tables / sizeof *side_tables; i++)
        rc = copy_definition(store, lb->side, side_tables[i]);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(lb->side, "BEGIN;", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(lb->side,
                                "INSERT INTO documents_fts(rowid, title, text) VALUES(?,?,?)", -1,
                                &lb->ins_fts, NULL);
    return rc;
}

/* Opens the side database and starts its thread; false (and nothing left open) when either
 * cannot be had: the build then goes on in place. */
static bool side_start(struct lookup_build *lb, sqlite3 *store)
{
    /* A memdb name starting with "/" is shared by the connections of this process: the store's
     * connection attaches it to copy from it. */
    snprintf(lb->uri, sizeof lb->uri, "file:/corpusd-fts-%p?vfs=memdb", (void *)lb);
    int rc = sqlite3_open_v2(
        lb->uri, &lb->side,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = store_register_fts_functions(lb->side);
    if (rc == SQLITE_OK)
        rc = side_schema(lb, store);
    snprintf(lb->rel_uri, sizeof lb->rel_uri, "file:/corpusd-related-%p?vfs=memdb", (void *)lb);
    if (rc == SQLITE_OK)
        rc = sqlite3_open_v2(lb->rel_uri, &lb->rel,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(lb->rel, related_schema_sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = copy_definition(store, lb->rel, "related");
    if (rc == SQLITE_OK && pthread_create(&lb->thread, NULL, side_thread, lb) == 0)
        return true;
    sqlite3_finalize(lb->ins_fts);
    lb->ins_fts = NULL;
    sqlite3_close(lb->side);
    lb->side = NULL;
    sqlite3_close(lb->rel);
    lb->rel = NULL;
    return false;
}

static void lookup_free(struct lookup_build *lb)
{
    if (lb->threaded) {
        sqlite3_finalize(lb->ins_fts);
        sqlite3_close(lb->side);
        free_rows(lb->queue.rows, lb->queue.n);
        free_names(lb->names, lb->n_names);
        sqlite3_close(lb->rel);
    }
    free(lb->pairs);
    pthread_mutex_destroy(&lb->lock);
    pthread_cond_destroy(&lb->more);
    pthread_cond_destroy(&lb->done);
    free(lb);
}

struct lookup_build *lookup_build_start(sqlite3 *store, bool threaded, char **err)
{
    struct lookup_build *lb = calloc(1, sizeof *lb);
    if (!lb) {
        *err = store_errdup("store build: full-text index", "out of memory");
        return NULL;
    }
    pthread_mutex_init(&lb->lock, NULL);
    pthread_cond_init(&lb->more, NULL);
    pthread_cond_init(&lb->done, NULL);
    lb->threaded = threaded && side_start(lb, store);
    return lb;
}

int lookup_build_add(struct lookup_build *lb, sqlite3_int64 rowid, const char *title,
                     const char *text, size_t text_len)
{
    if (!lb->threaded)
        return 0; /* lookup_build_finish indexes the documents table */
    size_t title_len = strlen(title);
    struct fts_row r = {rowid, malloc(title_len + 1 + text_len + 1), NULL, (int)text_len};
    if (!r.title)
        return -1;
    memcpy(r.title, title, title_len + 1);
    r.text = r.title + title_len + 1;
    memcpy(r.text, text, text_len);
    r.text[text_len] = '\0';
    pthread_mutex_lock(&lb->lock);
    struct fts_queue *q = &lb->queue;
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 256;
        struct fts_row *rows = realloc(q->rows, cap * sizeof *rows);
        if (!rows) {
            pthread_mutex_unlock(&lb->lock);
            free(r.title);
            return -1;
        }
        q->rows = rows;
        q->cap = cap;
    }
    q->rows[q->n++] = r;
    if (q->n >= LOOKUP_BATCH_ROWS)
        pthread_cond_signal(&lb->more);
    pthread_mutex_unlock(&lb->lock);
    return 0; /* a failure of the thread is reported by lookup_build_finish */
}

void lookup_build_close(struct lookup_build *lb)
{
    if (!lb->threaded)
        return;
    pthread_mutex_lock(&lb->lock);
    lb->closed = true;
    pthread_cond_signal(&lb->more);
    pthread_mutex_unlock(&lb->lock);
}

/* Reads every entity (rowid, rank, name, type) and alias of store into the thread's hands. */
static int read_names(sqlite3 *store, struct name_row **out, size_t *n_out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(store,
                                "SELECT rowid, rank, name, type FROM entities UNION ALL"
                                " SELECT entity, NULL, alias, NULL FROM entity_aliases",
                                -1, &st, NULL);
    struct name_row *rows = NULL;
    size_t n = 0, cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 2);
        const char *type = (const char *)sqlite3_column_text(st, 3);
        size_t name_len = strlen(name ? name : ""), type_len = type ? strlen(type) + 1 : 0;
        if (BASE_GROW(rows, cap, n, 4096) < 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        struct name_row *r = &rows[n];
        if (!(r->name = malloc(name_len + 1 + type_len))) {
            rc = SQLITE_NOMEM;
            break;
        }
        memcpy(r->name, name ? name : "", name_len + 1);
        r->type = type ? memcpy(r->name + name_len + 1, type, type_len) : NULL;
        r->id = sqlite3_column_int64(st, 0);
        r->rank = sqlite3_column_int64(st, 1);
        n++;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    *out = rows;
    *n_out = n;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The store's entities and aliases to the thread, for the name keys. */
static int hand_names(struct lookup_build *lb, sqlite3 *store)
{
    struct name_row *rows;
    size_t n;
    int rc = read_names(store, &rows, &n);
    if (rc != SQLITE_OK) {
        free_names(rows, n);
        return rc;
    }
    pthread_mutex_lock(&lb->lock);
    lb->names = rows;
    lb->n_names = n;
    lb->names_given = true;
    pthread_cond_signal(&lb->more);
    pthread_mutex_unlock(&lb->lock);
    return SQLITE_OK;
}

/* Closes the queue and waits for the thread to end (once). */
static void side_join(struct lookup_build *lb)
{
    if (!lb->threaded || !lb->ins_fts)
        return;
    pthread_mutex_lock(&lb->lock);
    lb->closed = lb->cancelled = true;
    pthread_cond_signal(&lb->more);
    pthread_mutex_unlock(&lb->lock);
    pthread_join(lb->thread, NULL);
    sqlite3_finalize(lb->ins_fts);
    lb->ins_fts = NULL;
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Copies tables of the side database into store (the thread not writing meanwhile). ATTACH
 * and DETACH cannot run inside a transaction: the caller's has ended. */
static int copy_into(const char *uri, sqlite3 *store, const char *copy_sql)
{
    char attach[160];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS lookup_side; BEGIN;", uri);
    int rc = exec(store, attach);
    if (rc == SQLITE_OK)
        rc = exec(store, copy_sql);
    if (rc == SQLITE_OK)
        rc = exec(store, "COMMIT; DETACH lookup_side;");
    return rc;
}

/* One thread: the index from the documents table, then the top-k ranking. */
static int index_in_place(sqlite3 *store)
{
    int rc = exec(store, "BEGIN; INSERT INTO documents_fts(documents_fts) VALUES('rebuild');");
    if (rc == SQLITE_OK)
        rc = exec(store, rank_sql);
    if (rc == SQLITE_OK)
        rc = build_search_top(store);
    if (rc == SQLITE_OK)
        rc = exec(store, "COMMIT;");
    return rc;
}

/* Threaded: waits for the side's index, copies it in. */
static int index_from_side(struct lookup_build *lb, sqlite3 *store, char **err)
{
    pthread_mutex_lock(&lb->lock);
    while (!lb->indexed_done)
        pthread_cond_wait(&lb->done, &lb->lock);
    pthread_mutex_unlock(&lb->lock);
    if (lb->rc != SQLITE_OK) {
        *err = store_errdup("store build", lb->what);
        return lb->rc;
    }
    return copy_into(lb->uri, store, copy_index_sql);
}

int lookup_build_entities(struct lookup_build *lb, sqlite3 *store, char **err)
{
    int rc = lb->threaded ? index_from_side(lb, store, err) : index_in_place(store);
    if (rc == SQLITE_OK)
        rc = exec(store, snippet_sql);
    if (rc == SQLITE_OK && lb->threaded)
        rc = hand_names(lb, store);
    if (rc != SQLITE_OK && !*err)
        *err = store_errdup("store build: full-text index", sqlite3_errmsg(store));
    return rc == SQLITE_OK ? 0 : -1;
}

void lookup_build_pairs(struct lookup_build *lb, struct entity_sentence *pairs, size_t n)
{
    pthread_mutex_lock(&lb->lock);
    lb->pairs = pairs;
    lb->n_pairs = n;
    lb->pairs_given = true;
    pthread_cond_signal(&lb->more);
    pthread_mutex_unlock(&lb->lock);
}

int lookup_build_related(struct lookup_build *lb, sqlite3 *store, char **err)
{
    if (lb->threaded)
        return 0; /* the thread builds them from the pairs (lookup_build_pairs) */
    int rc = store_build_related(store, lb->pairs, lb->n_pairs);
    free(lb->pairs);
    lb->pairs = NULL;
    lb->n_pairs = 0;
    if (rc == SQLITE_OK)
        rc = store_count_related(store);
    if (rc != SQLITE_OK)
        *err = store_errdup("store build: related entities", sqlite3_errmsg(store));
    return rc == SQLITE_OK ? 0 : -1;
}

int lookup_build_finish(struct lookup_build *lb, sqlite3 *store, char **err)
{
    int rc;
    if (lb->threaded) {
        side_join(lb);
        if ((rc = lb->rc) != SQLITE_OK)
            *err = store_errdup("store build", lb->what);
        else if (!lb->names_given || !lb->pairs_given)
            *err = store_errdup("store build", "the entities were never handed over");
        else if ((rc = copy_into(lb->uri, store, copy_names_sql)) == SQLITE_OK &&
                 (rc = copy_into(lb->rel_uri, store, copy_related_sql)) == SQLITE_OK)
            rc = store_count_related(store);
    } else {
        rc = exec(store, "BEGIN;");
        if (rc == SQLITE_OK)
            rc = store_build_name_keys(store);
        if (rc == SQLITE_OK)
            rc = exec(store, "COMMIT;");
    }
    if (rc != SQLITE_OK && !*err)
        *err = store_errdup("store build: entity name keys", sqlite3_errmsg(store));
    lookup_free(lb);
    return rc == SQLITE_OK ? 0 : -1;
}

void lookup_build_abort(struct lookup_build *lb)
{
    if (!lb)
        return;
    side_join(lb);
    lookup_free(lb);
}
