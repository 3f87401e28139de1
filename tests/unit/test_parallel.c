/*
 * test_parallel.c — ingest on several threads (ingest/parallel.c) gives the corpus one thread
 * gives: the same documents in the same order with the same annotations, the same counts, the
 * same warnings, including the awkward records (a duplicate id inside one batch, a record whose
 * first copy has no text, bad ids, broken JSON) and a directory of .txt files.
 */
#include "test_util.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/corpus.h"
#include "ingest/parallel.h"
#include "ingest/pipeline.h"
#include "store/store.h"

struct warnings {
    char *lines[512];
    size_t n;
};

static void keep_warning(void *ctx, const char *path, const char *msg)
{
    struct warnings *w = ctx;
    if (w->n < 512 && asprintf(&w->lines[w->n], "%s: %s", path, msg) >= 0)
        w->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sentences of our own, varied per record so that documents differ. */
static void write_corpus(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/news.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    static const char *const towns[] = {"Lisbon", "Oslo", "Nairobi", "Lima", "Hanoi"};
    for (int i = 0; i < 300; i++) {
        const char *town = towns[i % 5];
        if (i == 40) /* an empty text loads (nothing is lost): the second copy is a duplicate */
            fprintf(f, "{\"id\":\"twice-%d\",\"text\":\"\"}\n", i);
        if (i == 41) /* the same id twice in one batch: the second is a duplicate */
            fprintf(f, "{\"id\":\"dup-%d\",\"text\":\"Maria Costa spoke in %s on Monday.\"}\n", i,
                    town);
        if (i == 90)
            fprintf(f, "{\"id\":\"bad/id\",\"text\":\"x\"}\nnot json at all\n");
        fprintf(f,
                "{\"id\":\"%s-%d\",\"title\":\"Port of %s reopens\",\"published\":"
                "\"2024-%02d-%02d\",\"text\":\"The port of %s reopened on Tuesday, officials "
                "said. Ana Ruiz of the Harbour Board said traffic would return to normal by "
                "June %d. Exports rose %d percent last year.\"}\n",
                i == 40   ? "twice"
                : i == 41 ? "dup"
                          : "doc",
                i, town, 1 + i % 12, 1 + i % 28, town, 1 + i % 28, i % 17);
    }
    fclose(f);
    for (int i = 0; i < 9; i++) {
        snprintf(path, sizeof path, "%s/page%d.txt", dir, i);
        f = fopen(path, "w");
        assert_non_null(f);
        if (i != 4) /* page4.txt is empty: skipped */
            fprintf(f,
                    "Mills reopen in %s\n\nThe paper mills of %s reopened on %d March 2023, "
                    "the owners said on Friday.\n",
                    towns[i % 5], towns[i % 5], 1 + i);
        fclose(f);
    }
}

struct loaded {
    struct corpus c;
    struct warnings w;
};

static void load(struct ingest *ing, const char *dir, unsigned threads, struct loaded *out)
{
    char *err = NULL;
    memset(out, 0, sizeof *out);
    ingest_set_threads(ing, threads);
    assert_int_equal(corpus_load(ing, dir, &out->c, keep_warning, &out->w, &err), 0);
    assert_int_equal(out->c.stats.threads, threads);
    qsort(out->w.lines, out->w.n, sizeof out->w.lines[0], cmp_str);
}

static void assert_same(const struct loaded *a, const struct loaded *b)
{
    assert_int_equal(a->c.n_docs, b->c.n_docs);
    for (size_t i = 0; i < a->c.n_docs; i++) {
        const struct doc *x = a->c.docs[i], *y = b->c.docs[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->text, y->text);
        assert_string_equal(x->published, y->published);
        assert_int_equal(x->n_sentences, y->n_sentences);
        assert_int_equal(x->n_mentions, y->n_mentions);
        for (size_t k = 0; k < x->n_mentions; k++)
            assert_string_equal(x->mentions[k].name, y->mentions[k].name);
        assert_int_equal(x->n_timexes, y->n_timexes);
        for (size_t k = 0; k < x->n_timexes; k++)
            assert_string_equal(x->timexes[k].value, y->timexes[k].value);
    }
    const struct corpus_stats *s = &a->c.stats, *t = &b->c.stats;
    assert_int_equal(s->files_loaded, t->files_loaded);
    assert_int_equal(s->files_skipped, t->files_skipped);
    assert_int_equal(s->records_loaded, t->records_loaded);
    assert_int_equal(s->records_skipped, t->records_skipped);
    assert_int_equal(s->warnings, t->warnings);
    assert_int_equal(a->w.n, b->w.n);
    for (size_t i = 0; i < a->w.n; i++)
        assert_string_equal(a->w.lines[i], b->w.lines[i]);
}

static void release(struct loaded *l)
{
    corpus_free(&l->c);
    for (size_t i = 0; i < l->w.n; i++)
        free(l->w.lines[i]);
}

/* Writes the test corpus into a new directory from the template dir, and opens the pipeline. */
static struct ingest *open_corpus(char *dir)
{
    assert_non_null(mkdtemp(dir));
    write_corpus(dir);
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    assert_non_null(ing);
    return ing;
}

static void close_corpus(struct ingest *ing, const char *dir)
{
    ingest_close(ing);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_threads_give_the_same_corpus(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-test-parallel-XXXXXX";
    struct ingest *ing = open_corpus(dir);
    struct loaded one, three, many;
    load(ing, dir, 1, &one);
    load(ing, dir, 3, &three);
    load(ing, dir, 16, &many);
    /* 300 records (the first copies of twice-40 and dup-41 in place of the second ones) and 8
     * pages; skipped: the second twice-40, the second dup-41, the bad id, the broken line */
    assert_int_equal(one.c.n_docs, 308);
    assert_int_equal(one.c.stats.records_skipped, 4);
    assert_int_equal(one.c.stats.files_loaded, 9);
    assert_int_equal(one.c.stats.files_skipped, 1);
    assert_string_equal(one.c.docs[40]->id, "twice-40");
    assert_string_equal(one.c.docs[41]->id, "dup-41");
    assert_non_null(strstr(one.c.docs[41]->text, "Maria Costa"));
    bool dup_warned = false;
    for (size_t i = 0; i < one.w.n; i++)
        dup_warned |= strstr(one.w.lines[i], "duplicate document id 'dup-41'") != NULL;
    assert_true(dup_warned);
    assert_same(&one, &three);
    assert_same(&one, &many);
    release(&one);
    release(&three);
    release(&many);
    close_corpus(ing, dir);
}

/* Every row of every table of the store files a and b, compared in key order (the sampled
 * statistics of ANALYZE aside: they follow the pages' layout, not the content). */
static void assert_same_store(const char *a, const char *b)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(a, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char attach[700];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS other", b);
    assert_int_equal(sqlite3_exec(db, attach, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *tables;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
                                        " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE "
                                        "VIRTUAL%' ORDER BY name",
                                        -1, &tables, NULL),
                     SQLITE_OK);
    int compared = 0;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        char sql[600];
        /* rows of one not in the other, both ways, and the counts */
        snprintf(sql, sizeof sql,
                 "SELECT (SELECT count(*) FROM (SELECT * FROM main.\"%s\" EXCEPT SELECT * FROM "
                 "other.\"%s\")) + (SELECT count(*) FROM (SELECT * FROM other.\"%s\" EXCEPT "
                 "SELECT * FROM main.\"%s\")), (SELECT count(*) FROM main.\"%s\") - (SELECT "
                 "count(*) FROM other.\"%s\")",
                 t, t, t, t, t, t);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != 0 || sqlite3_column_int(st, 1) != 0)
            fail_msg("table %s differs between the stores", t);
        sqlite3_finalize(st);
        compared++;
    }
    sqlite3_finalize(tables);
    assert_true(compared > 30);
    sqlite3_close(db);
}

static long long query_int(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A store built on two threads (the full-text index, its top-k hits and the entity name keys on
 * the second, store/lookup_build.c) is the store one thread builds, the index's shadow tables
 * included. */
static void test_threads_give_the_same_store(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-test-parallel-XXXXXX";
    struct ingest *ing = open_corpus(dir);
    char *err = NULL;
    char path[2][600];
    for (unsigned threads = 1; threads <= 2; threads++) {
        struct loaded l;
        load(ing, dir, threads, &l);
        snprintf(path[threads - 1], sizeof path[0], "%s/store%u.db", dir, threads);
        struct store *st =
            store_build_consume(l.c.docs, l.c.n_docs, path[threads - 1], NULL, threads, &err);
        if (!st)
            fail_msg("store on %u threads: %s", threads, err ? err : "?");
        store_unref(st);
        release(&l);
    }
    assert_same_store(path[0], path[1]); /* FTS5's shadow tables too: the index itself */
    /* "port" is in every record but the first copies of twice-40 (empty) and dup-41: its ranked
     * hits are precomputed, each snippet showing it */
    assert_int_equal(query_int(path[1], "SELECT documents FROM search_terms WHERE term = 'port'"),
                     298);
    assert_int_equal(query_int(path[1], "SELECT count(*) FROM search_top WHERE term = 'port'"
                                        " AND instr(lower(snippet), 'port') = 0"),
                     0);
    assert_int_equal(query_int(path[1], "SELECT count(*) FROM search_top WHERE term = 'port'"),
                     100);
    /* the name keys, made on the side from the derived entities: Lisbon's and its prefixes */
    assert_int_equal(query_int(path[1], "SELECT count(*) FROM entity_keys k JOIN entities e"
                                        " ON e.rowid = k.entity WHERE k.key = 'lisbon'"
                                        " AND e.name = 'Lisbon'"),
                     1);
    assert_int_equal(query_int(path[1], "SELECT count(*) FROM entity_prefixes p JOIN entities e"
                                        " ON e.rowid = p.entity AND e.rank = p.rank"
                                        " WHERE p.prefix IN ('l', 'li', 'lis', 'lisb', 'lisbo',"
                                        " 'lisbon') AND e.name = 'Lisbon'"),
                     6);
    /* the related entities, made on the side from the mentions' sentences: Ana Ruiz and the
     * Harbour Board share a sentence in every document that names them, and each entity's
     * related_count is its number of related rows */
    int both = query_int(path[1], "SELECT count(DISTINCT x.doc) FROM mentions x JOIN mentions y"
                                  " ON y.doc = x.doc AND y.sentence = x.sentence"
                                  " JOIN entities a ON a.rowid = x.entity"
                                  " JOIN entities b ON b.rowid = y.entity"
                                  " WHERE a.name = 'Ana Ruiz' AND b.name = 'Harbour Board'");
    assert_true(both >= 290);
    assert_int_equal(query_int(path[1], "SELECT r.sentences FROM related r"
                                        " JOIN entities a ON a.rowid = r.entity"
                                        " JOIN entities b ON b.rowid = r.other"
                                        " WHERE a.name = 'Ana Ruiz' AND b.name = 'Harbour Board'"),
                     both);
    assert_int_equal(query_int(path[1], "SELECT count(*) FROM entities e WHERE related_count <>"
                                        " (SELECT count(*) FROM related WHERE entity = e.rowid)"),
                     0);
    assert_true(query_int(path[1], "SELECT count(*) FROM related") > 0);
    close_corpus(ing, dir);
}

static void test_cores(void **state)
{
    (void)state;
    assert_true(ingest_cores() >= 1);
    assert_int_equal(ingest_cores(), (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_give_the_same_corpus),
        cmocka_unit_test(test_threads_give_the_same_store),
        cmocka_unit_test(test_cores),
    };
    return cmocka_run_group_tests_name("parallel", tests, NULL, NULL);
}
