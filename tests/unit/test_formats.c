/*
 * test_formats.c — the representations of list pages (handlers/represent.c, handlers/formats.c):
 * the JSON envelope written from row texts, rows extended without jansson (bytes as jansson
 * writes them), CSV with flat columns and formula neutralisation, NDJSON lines.
 */
#include "test_util.h"

#include <jansson.h>

#include "handlers/formats.h"
#include "handlers/represent.h"

static void test_envelope_from_rows(void **state)
{
    (void)state;
    struct rows rows = {0};
    const char a[] = "{\"id\":\"a\",\"n\":1}";
    rows_add_fragment(&rows, a, strlen(a));
    rows_add_json(&rows, json_pack("{s:s}", "id", "b"));
    struct reply rep = {0};
    reply_rows(&rep, &rows, "{\"total\":2}");
    assert_int_equal(rep.status, 200);
    assert_string_equal(
        rep.body, "{\"data\":[{\"id\":\"a\",\"n\":1},{\"id\":\"b\"}],\"meta\":{\"total\":2}}");
    assert_int_equal(rep.body_len, strlen(rep.body));
    free(rep.body);
    rep = (struct reply){0};
    struct rows none = {0};
    reply_rows(&rep, &none, "{\"total\":0}");
    assert_string_equal(rep.body, "{\"data\":[],\"meta\":{\"total\":0}}");
    free(rep.body);
}

/* rows_member_* must write what jansson writes for the same members (ETags stay the same). */
static void test_extended_rows_match_jansson(void **state)
{
    (void)state;
    const char *strings[] = {"plain", "quote \" and \\ backslash", "tab\tnew\nline\r\x01\x1f",
                             "caf\xc3\xa9 \xe2\x80\x94 <mark>x</mark> / slash", ""};
    double reals[] = {2.0485282181785846e-06, 12.5, 3.0, 1e+15, 1e21, -0.5, 123456789.125};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        for (size_t k = 0; k < sizeof reals / sizeof reals[0]; k++) {
            struct rows rows = {0};
            rows_extend(&rows, "{\"id\":\"x\"}");
            rows_member_string(&rows, "snippet", strings[i]);
            rows_member_real(&rows, "score", reals[k]);
            rows_member_int(&rows, "n", -42);
            rows_member_string(&rows, "none", NULL);
            rows_close(&rows);
            json_t *j = json_pack("{s:s, s:s, s:f, s:i, s:n}", "id", "x", "snippet", strings[i],
                                  "score", reals[k], "n", -42, "none");
            char *expected = json_dumps(j, JSON_COMPACT);
            assert_string_equal(rows.json.s, expected);
            free(expected);
            json_decref(j);
            rows_free(&rows);
        }
    }
    struct rows empty = {0};
    rows_extend(&empty, "{}");
    rows_member_int(&empty, "n", 1);
    rows_close(&empty);
    assert_string_equal(empty.json.s, "{\"n\":1}");
    rows_free(&empty);
}

static char *csv_of(const char *json_array, bool *header)
{
    json_t *data = json_loads(json_array, 0, NULL);
    assert_non_null(data);
    struct text out = {0};
    assert_true(format_csv_items(data, &out, header));
    json_decref(data);
    return out.s ? out.s : strdup("");
}

static void test_csv_flat_columns(void **state)
{
    (void)state;
    bool header;
    /* An event: a nested object, an array of objects (empty in the first row: its columns are
     * those the second row's objects give, empty here). */
    char *csv =
        csv_of("[{\"id\":\"e1\",\"timex\":{\"text\":\"May 1\",\"start\":3},\"entities\":[]},"
               "{\"id\":\"e2\",\"timex\":{\"text\":\"June\",\"start\":9},"
               "\"entities\":[{\"id\":\"loc:oslo\",\"name\":\"Oslo\"},"
               "{\"id\":\"person:ana-ruiz\",\"name\":\"Ana Ruiz\"}]}]",
               &header);
    assert_true(header);
    /* flat columns by path; the entities' values joined in one cell each */
    assert_string_equal(csv, "id,timex_text,timex_start,entities_id,entities_name\r\n"
                             "e1,May 1,3,,\r\n"
                             "e2,June,9,loc:oslo; person:ana-ruiz,Oslo; Ana Ruiz\r\n");
    assert_null(strchr(csv, '{')); /* never JSON in a cell */
    assert_null(strchr(csv, '['));
    free(csv);
    /* Arrays of strings in one cell; null empty; booleans and numbers as they are; quotes. */
    csv = csv_of("[{\"aliases\":[\"Bank\",\"The \\\"Bank\\\"\"],\"url\":null,\"ok\":true,"
                 "\"score\":1.5,\"title\":\"a, b\\nc\"}]",
                 &header);
    assert_string_equal(csv, "aliases,url,ok,score,title\r\n"
                             "\"Bank; The \"\"Bank\"\"\",,true,1.5,\"a, b\nc\"\r\n");
    free(csv);
    csv = csv_of("[]", &header);
    assert_false(header);
    assert_string_equal(csv, "");
    free(csv);
}

/* OWASP: cells starting with =, +, -, @, tab or CR get a leading single quote (inside the
 * quotes when the field is quoted); numbers, other cells, and formulas later in a cell (which a
 * spreadsheet does not run) are left alone. */
static void test_csv_formula_injection(void **state)
{
    (void)state;
    bool header;
    char *csv = csv_of("[{\"a\":\"=HYPERLINK(\\\"http://x\\\")\",\"b\":\"+1\",\"c\":\"-2+3\","
                       "\"d\":\"@SUM(A1)\",\"e\":\"\\tx\",\"f\":\"\\rx\",\"g\":\"a=b\",\"h\":-5,"
                       "\"i\":[\"=1+1\",\"ok\"],\"j\":[\"ok\",\"=1\"]}]",
                       &header);
    assert_string_equal(csv, "a,b,c,d,e,f,g,h,i,j\r\n"
                             "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2+3,'@SUM(A1),'\tx,"
                             "\"'\rx\",a=b,-5,'=1+1; ok,ok; =1\r\n");
    free(csv);
}

static void test_ndjson_lines(void **state)
{
    (void)state;
    const char body[] = "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\",\"x\":[1,2]}],"
                        "\"meta\":{\"next_cursor\":\"Zz\"}}";
    size_t len = 0;
    char *next = NULL;
    char *lines = format_page_ndjson(body, strlen(body), &len, &next);
    assert_non_null(lines);
    assert_string_equal(lines, "{\"id\":\"a\"}\n{\"id\":\"b\",\"x\":[1,2]}\n");
    assert_int_equal(len, strlen(lines));
    assert_string_equal(next, "Zz");
    free(lines);
    free(next);
    assert_null(format_page_ndjson("{\"type\":\"about:blank\"}", 22, &len, &next));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope_from_rows),
        cmocka_unit_test(test_extended_rows_match_jansson),
        cmocka_unit_test(test_csv_flat_columns),
        cmocka_unit_test(test_csv_formula_injection),
        cmocka_unit_test(test_ndjson_lines),
    };
    return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
