/*
 * test_query_plans.c — every hot query uses an index: EXPLAIN QUERY PLAN over the exact SQL the
 * store ran (store/explain.h) for a document by id, document lists in each sort with and without
 * a cursor, entity lists (by mentions, by name, by type), the timeline (with and without filters)
 * and search. Failing plans: a full scan of documents, entities or events; a count that walks a
 * whole table or index; a list page with a cursor that does not start with an index range; a
 * temporary B-tree to sort a list page. The store is the seed corpus cloned to 1,000 documents
 * (ANALYZE statistics of a corpus bigger than five documents).
 */
#define TEST_UTIL_SEED_STORE
#include "test_util.h"

#include "ingest/corpus.h"
#include "ingest/pipeline.h"
#include "store/documents.h"
#include "store/entities.h"
#include "store/explain.h"
#include "store/timeline.h"

#define COPIES 200

struct fixture {
    struct store *store;
    struct store_conn *conn;
    char doc_id[64];
    char entity_id[128];
};

static int setup(void **state)
{
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    struct corpus c;
    if (!ing || corpus_load(ing, test_corpus_dir(), &c, NULL, NULL, &err) != 0 || c.n_docs == 0)
        return -1;
    size_t n = c.n_docs * COPIES;
    struct doc **docs = calloc(n, sizeof *docs);
    struct doc *copies = calloc(n, sizeof *copies);
    for (size_t i = 0; i < n; i++) {
        copies[i] = *c.docs[i % c.n_docs];
        if (asprintf(&copies[i].id, "%s-%04zu", c.docs[i % c.n_docs]->id, i / c.n_docs) < 0)
            return -1;
        snprintf(copies[i].published, sizeof copies[i].published, "%04zu-%02zu-%02zu",
                 1990 + i % 30, 1 + i % 12, 1 + i % 28);
        docs[i] = &copies[i];
    }
    struct fixture *f = calloc(1, sizeof *f);
    f->store = store_build(docs, n, NULL, NULL, &err);
    snprintf(f->doc_id, sizeof f->doc_id, "%s", copies[0].id);
    for (size_t i = 0; i < n; i++)
        free(copies[i].id);
    free(copies);
    free(docs);
    corpus_free(&c);
    ingest_close(ing);
    struct store_limits limits = STORE_LIMITS_DEFAULT; /* one connection for the whole group */
    limits.query_budget_ms = 0;
    if (f->store)
        store_set_limits(f->store, &limits);
    if (!f->store || !(f->conn = store_acquire(f->store, &err))) {
        print_error("cannot build the store: %s\n", err ? err : "?");
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_release(f->conn);
    store_unref(f->store);
    free(f);
    return 0;
}

/* ---- plan checks ---------------------------------------------------------------------------- */

struct plan {
    char lines[64][256];
    int parents[64];
    size_t n;
};

static int add_line(void *ctx, int id, int parent, const char *detail)
{
    (void)id;
    struct plan *p = ctx;
    if (p->n < 64) {
        snprintf(p->lines[p->n], sizeof p->lines[0], "%s", detail ? detail : "");
        p->parents[p->n++] = parent;
    }
    return 0;
}

/* The big tables under every alias the store's SQL gives them. */
static const char *const big_tables[] = {"documents", "d",      "entities", "e",
                                         "en",        "events", "ev",       NULL};

/* "SCAN <big table>[ USING …]": returns the table's name, or NULL. */
static const char *scanned_table(const char *line, bool *with_index)
{
    if (strncmp(line, "SCAN ", 5) != 0)
        return NULL;
    const char *t = line + 5;
    for (const char *const *b = big_tables; *b; b++) {
        size_t k = strlen(*b);
        if (strncmp(t, *b, k) == 0 && (t[k] == '\0' || t[k] == ' ')) {
            *with_index = strstr(t, " USING ") != NULL;
            return *b;
        }
    }
    return NULL;
}

enum { PAGE = 1, CURSOR = 2, RANKED = 4 };

/* events is stored in its key's order (date, rowid; WITHOUT ROWID): a page that walks it in
 * that order, unsorted and with a LIMIT, reads one window and stops when full — the plan says
 * "SCAN ev" for it all the same. Any other scan of it is a full scan. */
static bool page_in_key_order(const struct plan *p, const char *table, const char *sql,
                              unsigned flags, bool is_count)
{
    if (strcmp(table, "ev") != 0 && strcmp(table, "events") != 0)
        return false;
    if (!(flags & PAGE) || is_count || !strstr(sql, " LIMIT ") || !strstr(sql, "ORDER BY ev.date"))
        return false;
    for (size_t k = 0; k < p->n; k++)
        if (strstr(p->lines[k], "USE TEMP B-TREE"))
            return false;
    return true;
}

/* Checks the plan of every statement the last store call ran; prints each plan. */
static void check_plans(struct store_conn *c, const char *what, unsigned flags)
{
    size_t n = store_explain_count(c);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const char *sql = store_explain_sql(c, i);
        assert_non_null(sql);
        struct plan p = {0};
        assert_int_equal(store_explain(c, sql, add_line, &p), 0);
        bool is_count = strncmp(sql, "SELECT count(", 13) == 0;
        print_message("%s: %s\n", what, sql);
        for (size_t k = 0; k < p.n; k++) {
            print_message("    %s\n", p.lines[k]);
            bool with_index = false;
            const char *t = scanned_table(p.lines[k], &with_index);
            if (t && !with_index && !page_in_key_order(&p, t, sql, flags, is_count))
                fail_msg("%s: full table scan of %s: %s\n  in %s", what, t, p.lines[k], sql);
            if (t && is_count)
                fail_msg("%s: the count walks all of %s: %s\n  in %s", what, t, p.lines[k], sql);
            if (t && (flags & CURSOR) && !is_count && p.parents[k] == 0)
                fail_msg("%s: the cursor page scans %s from its start: %s\n  in %s", what, t,
                         p.lines[k], sql);
            if ((flags & PAGE) && !(flags & RANKED) && !is_count && p.parents[k] == 0 &&
                strstr(p.lines[k], "USE TEMP B-TREE FOR ORDER BY"))
                fail_msg("%s: the page is sorted, not read in index order: %s\n  in %s", what,
                         p.lines[k], sql);
        }
    }
}

/* True when a plan line of a statement the last store call ran contains needle. */
static bool plans_contain(struct store_conn *c, const char *needle)
{
    for (size_t i = 0; i < store_explain_count(c); i++) {
        struct plan p = {0};
        assert_int_equal(store_explain(c, store_explain_sql(c, i), add_line, &p), 0);
        for (size_t k = 0; k < p.n; k++)
            if (strstr(p.lines[k], needle))
                return true;
    }
    return false;
}

static int ignore_doc(void *ctx, const struct store_doc *d)
{
    (void)ctx, (void)d;
    return 0;
}

static int ignore_span(void *ctx, long long start, long long end)
{
    (void)ctx, (void)start, (void)end;
    return 0;
}

static int keep_entity(void *ctx, const struct store_entity *e)
{
    struct fixture *f = ctx;
    if (!f->entity_id[0])
        snprintf(f->entity_id, sizeof f->entity_id, "%s", e->id);
    return 0;
}

static int ignore_event(void *ctx, const struct store_event *e)
{
    (void)ctx, (void)e;
    return 0;
}

/* ---- the hot queries ------------------------------------------------------------------------ */

static void test_document_by_id(void **state)
{
    struct fixture *f = *state;
    store_explain_reset(f->conn);
    assert_int_equal(store_document_get(f->conn, f->doc_id, ignore_doc, NULL), STORE_OK);
    assert_int_equal(store_document_paragraphs(f->conn, f->doc_id, ignore_span, NULL), STORE_OK);
    check_plans(f->conn, "document by id", 0);
    char *body = NULL;
    store_explain_reset(f->conn);
    assert_int_equal(store_document_body(f->conn, f->doc_id, &body), STORE_OK);
    free(body);
    check_plans(f->conn, "document body by id", 0);
    assert_true(plans_contain(f->conn, "SEARCH b USING INTEGER PRIMARY KEY"));
}

static void test_document_lists(void **state)
{
    struct fixture *f = *state;
    static const char *const keys[] = {"2005-06-07", "2005-06-07", "M"};
    for (int sort = DOC_SORT_PUBLISHED_DESC; sort <= DOC_SORT_TITLE; sort++) {
        for (int cursor = 0; cursor < 2; cursor++) {
            struct store_doc_filter flt = {.sort = (enum store_doc_sort)sort, .limit = 21};
            if (cursor) {
                flt.after_key = keys[sort];
                flt.after_id = f->doc_id;
            }
            long long total = 0;
            store_explain_reset(f->conn);
            assert_int_equal(store_documents_list(f->conn, &flt, ignore_doc, NULL, &total),
                             STORE_OK);
            assert_int_equal(total, 5 * COPIES);
            char what[64];
            snprintf(what, sizeof what, "documents sort %d%s", sort, cursor ? " + cursor" : "");
            check_plans(f->conn, what, PAGE | (cursor ? CURSOR : 0));
        }
    }
    struct store_doc_filter range = {.from = "2001", .to = "2003-06", .limit = 21};
    long long total = 0;
    store_explain_reset(f->conn);
    assert_int_equal(store_documents_list(f->conn, &range, ignore_doc, NULL, &total), STORE_OK);
    check_plans(f->conn, "documents from/to", PAGE);
    /* Totals of date and publisher filters are sums of the per-date counts, never a count. */
    assert_true(plans_contain(f->conn, "SEARCH d USING PRIMARY KEY (published>? AND published<?)"));
    struct store_doc_filter by_source = {
        .source = "Asia Business Daily", .from = "2001", .limit = 21};
    store_explain_reset(f->conn);
    assert_int_equal(store_documents_list(f->conn, &by_source, ignore_doc, NULL, &total), STORE_OK);
    check_plans(f->conn, "documents of a publisher from", 0);
    assert_true(plans_contain(f->conn, "SEARCH d USING PRIMARY KEY (source=? AND published>?)"));
    /* An entity's documents: one range of entity_documents in list order, with a cursor too. */
    for (int cursor = 0; cursor < 2; cursor++) {
        struct store_doc_filter by_entity = {
            .entity = f->entity_id[0] ? f->entity_id : "loc:china", .from = "2001", .limit = 21};
        if (cursor) {
            by_entity.after_key = "2005-06-07";
            by_entity.after_id = f->doc_id;
        }
        store_explain_reset(f->conn);
        assert_int_equal(store_documents_list(f->conn, &by_entity, ignore_doc, NULL, &total),
                         STORE_OK);
        check_plans(f->conn, "documents of an entity", PAGE | (cursor ? CURSOR : 0));
        assert_true(plans_contain(f->conn, "SEARCH x USING PRIMARY KEY (entity=? AND published"));
    }
}

static void test_entity_lists(void **state)
{
    struct fixture *f = *state;
    static const char *const keys[] = {"3", "M"};
    for (int sort = ENTITY_SORT_MENTIONS; sort <= ENTITY_SORT_NAME; sort++) {
        for (int typed = 0; typed < 2; typed++) {
            for (int cursor = 0; cursor < 2; cursor++) {
                struct store_entity_filter flt = {.sort = (enum store_entity_sort)sort,
                                                  .type = typed ? "PERSON" : NULL,
                                                  .limit = 21};
                if (cursor) {
                    flt.after_key = keys[sort];
                    flt.after_id = "loc:china";
                }
                long long total = 0;
                store_explain_reset(f->conn);
                assert_int_equal(store_entities_list(f->conn, &flt, keep_entity, f, &total),
                                 STORE_OK);
                char what[64];
                snprintf(what, sizeof what, "entities sort %d%s%s", sort, typed ? " type" : "",
                         cursor ? " + cursor" : "");
                check_plans(f->conn, what, PAGE | (cursor ? CURSOR : 0));
            }
        }
    }
}

/* q of up to ENTITY_PREFIX_CHARS characters in mention order: one range of entity_prefixes read
 * in rank order (no sort), with or without a type and a cursor. Longer q, or by name: one range of
 * the name keys, the entities by rowid, the candidates sorted (a temporary B-tree bounded by the
 * names that start so). Never a scan of names. */
static void test_entity_name_prefix(void **state)
{
    struct fixture *f = *state;
    const char *types[] = {NULL, "LOC"};
    for (int sort = ENTITY_SORT_MENTIONS; sort <= ENTITY_SORT_NAME; sort++) {
        for (size_t t = 0; t < 4; t++) {
            struct store_entity_filter flt = {.q = t < 2 ? "chi" : "chinese",
                                              .type = types[t % 2],
                                              .sort = (enum store_entity_sort)sort,
                                              .limit = 21};
            if (t == 1 && sort == ENTITY_SORT_MENTIONS) {
                flt.after_key = "3";
                flt.after_id = "loc:china";
            }
            long long total = 0;
            store_explain_reset(f->conn);
            assert_int_equal(store_entities_list(f->conn, &flt, keep_entity, f, &total), STORE_OK);
            bool short_q = sort == ENTITY_SORT_MENTIONS && t < 2;
            check_plans(f->conn,
                        short_q ? "entities by a short name prefix" : "entities by name keys",
                        short_q ? PAGE : 0);
            if (short_q)
                assert_true(plans_contain(f->conn, "SEARCH p USING PRIMARY KEY (prefix=?"));
            else
                assert_true(
                    plans_contain(f->conn, "entity_keys USING PRIMARY KEY (key>? AND key<?)"));
            assert_true(plans_contain(f->conn, "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"));
        }
    }
}

static int ignore_related(void *ctx, const struct store_related *r)
{
    (void)ctx, (void)r;
    return 0;
}

/* An entity's related entities: one range of related in its key's order (no sort), the total
 * stored with the entity. */
static void test_related_entities(void **state)
{
    struct fixture *f = *state;
    long long total = 0;
    store_explain_reset(f->conn);
    assert_int_equal(store_entity_related(f->conn, f->entity_id[0] ? f->entity_id : "loc:china", 10,
                                          5, ignore_related, NULL, &total),
                     STORE_OK);
    check_plans(f->conn, "related entities", PAGE);
    assert_true(plans_contain(f->conn, "SEARCH r USING PRIMARY KEY (entity=?)"));
}

static void test_timeline(void **state)
{
    struct fixture *f = *state;
    struct store_event_filter filters[] = {
        {.limit = 51},
        {.limit = 51, .after_date = "2001-01", .after_rowid = 7},
        {.limit = 51, .from = "2001", .to = "2003-06"},
        {.limit = 51, .document = f->doc_id},
        {.limit = 51, .entity = f->entity_id[0] ? f->entity_id : "loc:china"},
        {.limit = 51, .from = "2001-03-04"},
        {.limit = 51, .from = "2001-03-04", .to = "2003", .overlap = true},
        {.limit = 51, .from = "2001-03-04", .overlap = true},
        {.limit = 51, .from = "2001-03-04", .to = "2001-04-02", .precision = "day"},
    };
    static const char *const names[] = {"timeline",
                                        "timeline + cursor",
                                        "timeline from/to",
                                        "timeline of a document",
                                        "timeline of an entity",
                                        "timeline from",
                                        "timeline from/to overlapping",
                                        "timeline from overlapping",
                                        "timeline window of days"};
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        long long total = 0;
        store_explain_reset(f->conn);
        assert_int_equal(store_events_list(f->conn, &filters[i], ignore_event, NULL, &total),
                         STORE_OK);
        /* an entity's events come from its index, then are sorted: bounded by that entity */
        unsigned flags = i == 4 ? 0 : PAGE | (i == 1 ? CURSOR : 0);
        check_plans(f->conn, names[i], flags);
        /* a window's page reads one range of the table in date order: every column its
         * filters test and the rendered item are in the row (a lookup per row from a date
         * index cost a third of a Reuters page); "overlapping from" alone bounds no date */
        if (i >= 2 && i != 3 && i != 4 && i != 7)
            assert_true(plans_contain(f->conn, "SEARCH ev USING PRIMARY KEY (date"));
    }
}

static void test_search(void **state)
{
    struct fixture *f = *state;
    const char *err = NULL;
    char *fts = store_search_compile("trade", &err);
    assert_non_null(fts);
    long long total = 0;
    store_explain_reset(f->conn);
    assert_int_equal(store_search(f->conn, fts, 20, 0, ignore_doc, NULL, &total), STORE_OK);
    assert_true(total > 0);
    check_plans(f->conn, "search", PAGE | RANKED);
    free(fts);
    /* Every term of this corpus is frequent: "trade" came from the hits ranked at build time,
     * in their order (no sort). Two terms go to FTS5. */
    assert_true(plans_contain(f->conn, "SEARCH t USING PRIMARY KEY (term=? AND rank>?)"));
    check_plans(f->conn, "search of a frequent term", PAGE);
    store_explain_reset(f->conn);
    assert_int_equal(store_search(f->conn, "\"trade\" \"deal\"", 20, 0, ignore_doc, NULL, &total),
                     STORE_OK);
    check_plans(f->conn, "search of two terms", PAGE | RANKED);
    assert_true(plans_contain(f->conn, "VIRTUAL TABLE INDEX"));
}

/* The filters of issue 19: a type is one range of type_documents / type_events (its total a
 * count of that range alone), each further entity one range of entity_documents or
 * event_entities; a filtered search reads FTS5's matches in rank order and looks each document up
 * by rowid. Never a scan of documents or events. */
static void test_filters(void **state)
{
    struct fixture *f = *state;
    const char *entity = f->entity_id[0] ? f->entity_id : "loc:china";
    const char *const more[] = {"org:samsung", "person:xi-jinping"};
    long long total = 0;
    struct store_doc_filter by_type = {.entity_type = "PERSON", .limit = 21};
    store_explain_reset(f->conn);
    assert_int_equal(store_documents_list(f->conn, &by_type, ignore_doc, NULL, &total), STORE_OK);
    check_plans(f->conn, "documents of a type", PAGE);
    assert_true(plans_contain(f->conn, "type_documents USING PRIMARY KEY (type=?)"));
    struct store_doc_filter entities = {.entity = entity,
                                        .more_entities = more,
                                        .n_more_entities = 2,
                                        .entity_type = "LOC",
                                        .from = "2001",
                                        .limit = 21};
    for (int sort = DOC_SORT_PUBLISHED_DESC; sort <= DOC_SORT_TITLE; sort++) {
        entities.sort = (enum store_doc_sort)sort;
        store_explain_reset(f->conn);
        assert_int_equal(store_documents_list(f->conn, &entities, ignore_doc, NULL, &total),
                         STORE_OK);
        check_plans(f->conn, "documents of three entities and a type", 0);
        /* driven by the first entity's documents (its mentions for a sort by title) */
        assert_true(plans_contain(f->conn, "SEARCH x USING PRIMARY KEY (entity=?") ||
                    plans_contain(f->conn, "SEARCH m USING PRIMARY KEY (entity=?)"));
    }
    const char *err = NULL;
    char *fts = store_search_compile("trade deal", &err);
    assert_non_null(fts);
    struct store_doc_filter source = {
        .source = "Asia Business Daily", .entity_type = "ORG", .entity = entity, .to = "2010"};
    store_explain_reset(f->conn);
    assert_int_equal(store_search_filtered(f->conn, fts, &source, 20, 0, ignore_doc, NULL, &total),
                     STORE_OK);
    check_plans(f->conn, "filtered search", PAGE | RANKED);
    assert_true(plans_contain(f->conn, "VIRTUAL TABLE INDEX"));
    assert_true(plans_contain(f->conn, "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)"));
    /* /v1/documents?q= in date order: each row's snippet and score, one match pinned to it */
    char *snippet = NULL;
    double score = 0;
    store_explain_reset(f->conn);
    enum store_status s = store_search_snippet(f->conn, fts, f->doc_id, &snippet, &score);
    assert_true(s == STORE_OK || s == STORE_NOT_FOUND);
    free(snippet);
    check_plans(f->conn, "the snippet of one document", 0);
    assert_true(plans_contain(f->conn, "VIRTUAL TABLE INDEX"));
    free(fts);
    struct store_event_filter events = {
        .limit = 51, .entity = entity, .more_entities = more, .n_more_entities = 2};
    store_explain_reset(f->conn);
    assert_int_equal(store_events_list(f->conn, &events, ignore_event, NULL, &total), STORE_OK);
    check_plans(f->conn, "timeline of three entities", 0);
    struct store_event_filter typed = {.limit = 51, .entity_type = "PERSON", .from = "2001"};
    store_explain_reset(f->conn);
    assert_int_equal(store_events_list(f->conn, &typed, ignore_event, NULL, &total), STORE_OK);
    check_plans(f->conn, "timeline of a type", PAGE);
    assert_true(plans_contain(f->conn, "SEARCH te USING PRIMARY KEY (type=?"));
}

static int ignore_entity_doc(void *ctx, const struct store_doc *d, long long mentions)
{
    (void)ctx, (void)d, (void)mentions;
    return 0;
}

/* Newest first: the timeline read backwards on its date index, an entity's documents backwards
 * (or forwards) on one range of entity_documents, from a cursor too; never sorted. */
static void test_sorts(void **state)
{
    struct fixture *f = *state;
    const char *entity = f->entity_id[0] ? f->entity_id : "loc:china";
    for (int cursor = 0; cursor < 2; cursor++) {
        struct store_event_filter back = {.limit = 51, .newest_first = true};
        if (cursor) {
            back.after_date = "2001-01";
            back.after_rowid = 7;
        }
        long long total = 0;
        store_explain_reset(f->conn);
        assert_int_equal(store_events_list(f->conn, &back, ignore_event, NULL, &total), STORE_OK);
        check_plans(f->conn, "timeline newest first", PAGE | (cursor ? CURSOR : 0));
        for (int oldest = 0; oldest < 2; oldest++) {
            store_explain_reset(f->conn);
            assert_int_equal(store_entity_documents_by_date(
                                 f->conn, entity, oldest, cursor ? "2005-06-07" : NULL,
                                 cursor ? f->doc_id : NULL, 21, ignore_entity_doc, NULL, &total),
                             STORE_OK);
            check_plans(f->conn, "an entity's documents by date", PAGE | (cursor ? CURSOR : 0));
            assert_true(plans_contain(f->conn, "SEARCH x USING PRIMARY KEY (entity=?"));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_by_id),
        cmocka_unit_test(test_document_lists),
        cmocka_unit_test(test_entity_lists),
        cmocka_unit_test(test_entity_name_prefix),
        cmocka_unit_test(test_related_entities),
        cmocka_unit_test(test_timeline),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_sorts),
    };
    return cmocka_run_group_tests_name("query_plans", tests, setup, teardown);
}
