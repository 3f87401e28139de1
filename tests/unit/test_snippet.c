/*
 * test_snippet.c — corpusd_snippet(documents_fts), the highlighted fragment of a search hit
 * (store/snippet.c): which column and window it shows, how hits are marked, where "…" goes.
 * Own texts in a database of the store's schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/conn.h"
#include "store/schema_sql.h"

static int setup(void **state)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(store_register_fts_functions(db), SQLITE_OK);
    /* the store's own schema: documents_fts as the store declares it, tokenizer included */
    assert_int_equal(sqlite3_exec(db, store_schema_sql, NULL, NULL, NULL), SQLITE_OK);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sqlite3_close(*state);
    return 0;
}

/* The snippet of the one document (title, text) for query, with \1 \2 shown as [ ]. */
static void snippet_of(sqlite3 *db, const char *title, const char *text, const char *query,
                       char *out, size_t size)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_exec(db, "DELETE FROM documents;", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO documents(rowid, id, title, text, item)"
                                        " VALUES(1, 'd1', ?, ?, '{}')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO documents_fts(documents_fts) VALUES('rebuild')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT " STORE_SNIPPET_SQL " FROM documents_fts"
                                        " WHERE documents_fts MATCH ?",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *s = (const char *)sqlite3_column_text(st, 0);
    size_t n = 0;
    for (; s && *s && n + 1 < size; s++)
        out[n++] = *s == '\x01' ? '[' : *s == '\x02' ? ']' : *s;
    out[n] = '\0';
    sqlite3_finalize(st);
}

/* A short text holds whole, leading and trailing punctuation included: no "…". */
static void test_short_text_whole(void **state)
{
    char s[512];
    snippet_of(*state, "Port news", "\"Harbour cranes were idle on Monday.\"", "cranes", s,
               sizeof s);
    assert_string_equal(s, "\"Harbour [cranes] were idle on Monday.\"");
}

/* A hit only in the title: the title. */
static void test_title_hit(void **state)
{
    char s[512];
    snippet_of(*state, "Lighthouse keepers strike", "The coast guard said nothing more.",
               "lighthouse", s, sizeof s);
    assert_string_equal(s, "[Lighthouse] keepers strike");
}

/* A hit deep in a long text: the window starts at the hit's sentence, "…" on both cut ends. */
static void test_window_at_sentence_start(void **state)
{
    char s[512];
    snippet_of(*state, "Weather",
               "One two three four five six seven eight nine ten eleven twelve thirteen fourteen "
               "fifteen sixteen seventeen eighteen nineteen twenty. Farmers in the valley said "
               "the frost came early and the orchards lost most of their blossom this spring "
               "while growers waited for aid from the province and nothing else happened "
               "there at all.",
               "orchards", s, sizeof s);
    assert_string_equal(s, "…Farmers in the valley said the frost came early and the [orchards] "
                           "lost most of their blossom this spring while growers waited for aid…");
}

/* A hit near the opening of a long text: from its first word, cut at the end only. */
static void test_window_at_column_start(void **state)
{
    char s[512];
    snippet_of(*state, "Rail",
               "Commuters crowded the platforms as the strike entered its third day, and the "
               "union said talks with the operator would resume on Thursday in the capital, "
               "while managers ran a reduced service on two lines.",
               "platforms", s, sizeof s);
    assert_string_equal(s, "Commuters crowded the [platforms] as the strike entered its third day, "
                           "and the union said talks with the operator would resume on Thursday "
                           "in…");
}

/* A phrase of two words is one marked span. */
static void test_phrase_one_mark(void **state)
{
    char s[512];
    snippet_of(*state, "Markets", "Copper prices rose while tin fell.", "\"copper prices\"", s,
               sizeof s);
    assert_string_equal(s, "[Copper prices] rose while tin fell.");
}

/* Of two windows, the one holding both query terms wins over an earlier one holding one. */
static void test_window_with_more_terms(void **state)
{
    char s[1024];
    snippet_of(*state, "Shipping",
               "Freight rates fell sharply in the first quarter of the year according to brokers "
               "who track the market closely and report to owners each week without fail. "
               "Later in the spring the owners of tankers and the owners of bulk carriers met "
               "to discuss freight and insurance costs at a conference in the port city of "
               "Rotterdam where insurance brokers also spoke.",
               "freight insurance", s, sizeof s);
    assert_non_null(strstr(s, "[freight] and [insurance]"));
    assert_string_equal(s + strlen(s) - strlen("…"), "…");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_short_text_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_at_sentence_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_at_column_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_one_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_with_more_terms, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
