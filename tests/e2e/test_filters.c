/*
 * test_filters.c — end-to-end checks of the list parameters of issue 19 (filters on documents,
 * search and the timeline, errors for unknown filter values, sorts, field selection, exports,
 * relevance and bm25 scores) over a small wire corpus of our own, whose entities, events and
 * matches are known: the values asserted are the ones a user would read off the answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "harness.h"
#include "e2e_json.h"

static struct server_proc srv;
static char corpus[64];

/* Five dated wire stories of two sources: "oil" is in three of them (d1, d2, d5), more than half
 * of the corpus, which is what degenerated FTS5's bm25. The extractor finds (checked by
 * test_fixture_entities): loc:japan in d1, d3; org:opec and loc:saudi-arabia in d1, d2;
 * person:yasuhiro-nakasone in d3, d5 (and no other person; "Nakasone" alone makes
 * person:nakasone an id that redirects to it). */
static const char *const docs[] = {
    "{\"id\":\"d1\",\"source\":\"Wire A\",\"published\":\"1987-03-02\",\"title\":\"Japan raises "
    "oil imports\",\"text\":\"TOKYO, March 2 - Japan said on Monday it would raise oil imports "
    "from Saudi Arabia in April 1987.\\n\\nOPEC ministers will meet in Vienna next week, "
    "officials said.\"}",
    "{\"id\":\"d2\",\"source\":\"Wire B\",\"published\":\"1987-03-05\",\"title\":\"OPEC output "
    "talks\",\"text\":\"VIENNA, March 5 - OPEC ministers met in Vienna on Thursday to discuss "
    "output.\\n\\nSaudi Arabia said it would keep oil production steady in March 1987.\"}",
    "{\"id\":\"d3\",\"source\":\"Wire A\",\"published\":\"1987-04-10\",\"title\":\"Japan trade "
    "surplus\",\"text\":\"TOKYO, April 10 - Japan's trade surplus with the United States rose in "
    "March, the Finance Ministry said.\\n\\nJapan's Prime Minister Yasuhiro Nakasone will visit "
    "Washington on April 29, 1987.\"}",
    "{\"id\":\"d4\",\"source\":\"Wire B\",\"published\":\"1987-05-01\",\"title\":\"Grain "
    "harvest\",\"text\":\"CHICAGO, May 1 - Wheat prices rose on the Chicago Board of Trade on "
    "Friday as rain delayed the harvest in Kansas.\"}",
    "{\"id\":\"d5\",\"source\":\"Wire A\",\"published\":\"1987-05-02\",\"title\":\"Oil "
    "prices\",\"text\":\"LONDON, May 2 - Oil prices rose in London on Friday.\\n\\nTraders said "
    "oil supplies were tight after Yasuhiro Nakasone spoke on May 1, 1987. Nakasone said prices "
    "were too high.\"}",
};

static int start(void **state)
{
    (void)state;
    return e2e_start_jsonl(&srv, corpus, "filters", docs, sizeof docs / sizeof *docs);
}

static int stop(void **state)
{
    (void)state;
    return e2e_stop_jsonl(&srv, corpus);
}

static json_t *get_json(const char *path, long status)
{
    return e2e_get_json(&srv, path, status);
}

/* The ids of a list's items, joined by ',' ("d2,d1"). */
static void list_ids(json_t *list, char *out, size_t size)
{
    size_t i;
    json_t *item;
    out[0] = '\0';
    json_array_foreach(json_object_get(list, "data"), i, item)
    {
        const char *id = json_string_value(json_object_get(item, "id"));
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "," : "", id ? id : "?");
    }
}

static long long total_of(json_t *list)
{
    return json_integer_value(json_object_get(json_object_get(list, "meta"), "total"));
}

/* GET path (a list): its item ids are ids, in this order, and meta.total is total. */
static void expect_list(const char *path, const char *ids, long long total)
{
    json_t *j = get_json(path, 200);
    char got[512];
    list_ids(j, got, sizeof got);
    if (strcmp(got, ids) != 0 || total_of(j) != total)
        fail_msg("GET %s: [%s] total %lld, expected [%s] total %lld", path, got, total_of(j), ids,
                 total);
    json_decref(j);
}

/* GET path answers a problem with this status whose detail contains needle. */
static void expect_problem(const char *path, long status, const char *needle)
{
    json_t *j = get_json(path, status);
    const char *detail = json_string_value(json_object_get(j, "detail"));
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    if (!detail || !strstr(detail, needle))
        fail_msg("GET %s: detail \"%s\" does not name \"%s\"", path, detail ? detail : "", needle);
    json_decref(j);
}

/* The fixture is what the comment above docs says (the other tests rely on it). */
static void test_fixture_entities(void **state)
{
    (void)state;
    expect_list("/v1/documents?entity=loc:japan", "d3,d1", 2);
    expect_list("/v1/documents?entity=org:opec", "d2,d1", 2);
    expect_list("/v1/documents?entity=loc:saudi-arabia", "d2,d1", 2);
    expect_list("/v1/documents?entity=person:yasuhiro-nakasone", "d5,d3", 2);
    expect_list("/v1/entities?type=person", "person:yasuhiro-nakasone", 1);
}

/* ---- 1. the same filters on documents, search and the timeline ------------------------------ */

static void test_search_filters(void **state)
{
    (void)state;
    expect_list("/v1/search?q=oil", "d5,d1,d2", 3);
    expect_list("/v1/search?q=oil&source=Wire%20B", "d2", 1);
    expect_list("/v1/search?q=oil&from=1987-05", "d5", 1);
    expect_list("/v1/search?q=oil&to=1987-03-04", "d1", 1);
    expect_list("/v1/search?q=oil&from=1987-03&to=1987-03", "d1,d2", 2);
    expect_list("/v1/search?q=oil&entity=org:opec", "d1,d2", 2);
    expect_list("/v1/search?q=oil&entity=org:opec&entity=loc:japan", "d1", 1);
    expect_list("/v1/search?q=oil&entity=org:opec,loc:japan", "d1", 1);
    expect_list("/v1/search?q=oil&type=person", "d5", 1);
    expect_list("/v1/search?q=oil&type=PERSON&source=Wire%20B", "", 0);
    /* paging a filtered search: the second page holds the rest, in rank order */
    json_t *first = get_json("/v1/search?q=oil&source=Wire%20A&limit=1", 200);
    const char *cursor =
        json_string_value(json_object_get(json_object_get(first, "meta"), "next_cursor"));
    assert_non_null(cursor);
    char path[256];
    snprintf(path, sizeof path, "/v1/search?q=oil&source=Wire%%20A&limit=1&cursor=%s", cursor);
    expect_list(path, "d1", 2);
    json_decref(first);
}

static void test_document_filters(void **state)
{
    (void)state;
    expect_list("/v1/documents?entity=loc:japan&entity=person:yasuhiro-nakasone", "d3", 1);
    expect_list("/v1/documents?entity=loc:japan,person:yasuhiro-nakasone", "d3", 1);
    expect_list("/v1/documents?entity=org:opec,loc:saudi-arabia&sort=published", "d1,d2", 2);
    expect_list("/v1/documents?entity=org:opec&entity=loc:saudi-arabia&from=1987-03-03", "d2", 1);
    expect_list("/v1/documents?type=person", "d5,d3", 2);
    expect_list("/v1/documents?type=Person&sort=title", "d3,d5", 2); /* any case */
    expect_list("/v1/documents?type=org", "d4,d3,d2,d1", 4);
    expect_list("/v1/documents?type=person&source=Wire%20A&from=1987-05", "d5", 1);
    expect_list("/v1/documents?type=person&entity=loc:japan", "d3", 1);
    expect_list("/v1/documents?type=misc", "", 0);
    expect_problem("/v1/documents?type=thing", 400, "type");
    expect_problem("/v1/documents?entity=loc:japan,", 400, "entity");
    expect_problem("/v1/documents?entity=a,b,c,d,e,f,g,h,i", 400, "more than 8");
}

/* A window's lower end: the month that starts on its first day is in it, a later day's window
 * leaves it out (d1:134, d2:136, d3:71 are "March 1987"-precision events). */
static void test_timeline_window_ends(void **state)
{
    (void)state;
    const char *march = "d1:134,d2:136,d3:71,d1:7,d1:31,d2:8,d2:50";
    expect_list("/v1/timeline?from=1987-03-01&to=1987-03-31", march, 7);
    expect_list("/v1/timeline?from=1987-03&to=1987-03", march, 7);
    expect_list("/v1/timeline?from=1987-01-01&to=1987-03-31", march, 7);
    expect_list("/v1/timeline?from=1987-03-02&to=1987-03-31", "d1:7,d1:31,d2:8,d2:50", 4);
    expect_list("/v1/timeline?from=1987-04-01&to=1987-04-30", "d1:86,d3:7,d3:172", 3);
    expect_list("/v1/timeline?from=1987-04-02&limit=3", "d3:7,d3:172,d4:9", 7);
}

static void test_timeline_filters(void **state)
{
    (void)state;
    expect_list("/v1/timeline?entity=loc:japan&entity=person:yasuhiro-nakasone", "d3:172", 1);
    expect_list("/v1/timeline?entity=loc:japan,person:yasuhiro-nakasone", "d3:172", 1);
    expect_list("/v1/timeline?type=person", "d3:172,d5:124", 2);
    expect_list("/v1/timeline?type=person&from=1987-05", "d5:124", 1);
    json_t *h = get_json("/v1/timeline/histogram?type=person&interval=month", 200);
    json_t *data = json_object_get(h, "data");
    assert_int_equal(json_array_size(data), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(data, 0), "period")),
                        "1987-04");
    assert_string_equal(json_string_value(json_object_get(json_array_get(data, 1), "period")),
                        "1987-05");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(h, "meta"), "events")), 2);
    json_decref(h);
}

/* ---- 2. a filter value that names nothing is an error, not an empty list ------------------- */

static void test_unknown_filter_values(void **state)
{
    (void)state;
    expect_problem("/v1/documents?entity=person:nobody", 404, "'person:nobody'");
    expect_problem("/v1/documents?entity=loc:japan,person:nobody", 404, "'person:nobody'");
    expect_problem("/v1/documents?entity=loc:japan&entity=org:nobody", 404, "'org:nobody'");
    expect_problem("/v1/search?q=oil&entity=person:nobody", 404, "'person:nobody'");
    expect_problem("/v1/timeline?entity=person:nobody", 404, "'person:nobody'");
    expect_problem("/v1/timeline/histogram?entity=person:nobody", 404, "'person:nobody'");
    expect_problem("/v1/timeline?document=no-such-doc", 404, "'no-such-doc'");
    expect_problem("/v1/timeline/histogram?document=no-such-doc", 404, "'no-such-doc'");
    expect_problem("/v1/entities?document=no-such-doc", 404, "'no-such-doc'");
    expect_problem("/v1/documents?source=Wire%20C", 404, "'Wire C'");
    expect_problem("/v1/search?q=oil&source=wire%20a", 404, "'wire a'"); /* exact name */
    /* malformed ids are a 400 naming the value */
    expect_problem("/v1/documents?entity=nobody", 400, "'nobody'");
    expect_problem("/v1/documents?entity=person:", 400, "'person:'");
    expect_problem("/v1/search?q=oil&entity=PERSON:yasuhiro-nakasone", 400, "'PERSON:");
    expect_problem("/v1/timeline?entity=loc:new%20york", 400, "'loc:new york'");
    /* an id made from an alias stands for its entity, as its 301 says */
    expect_list("/v1/documents?entity=person:nakasone", "d5,d3", 2);
    expect_list("/v1/timeline?entity=person:nakasone&entity=loc:japan", "d3:172", 1);
    /* what exists still answers */
    expect_list("/v1/timeline?document=d4", "d4:9,d4:68", 2);
    expect_list("/v1/documents?source=Wire%20B", "d4,d2", 2);
}

/* ---- 3. sorts on the timeline and an entity's documents, paged both ways -------------------- */

/* Every item id of a list followed page by page (limit 2) through meta.next, joined by ','. */
static void all_pages(const char *first, char *out, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s", first);
    out[0] = '\0';
    for (int page = 0; page < 50; page++) {
        json_t *j = get_json(path, 200);
        char ids[512];
        list_ids(j, ids, sizeof ids);
        if (*ids)
            snprintf(out + strlen(out), size - strlen(out), "%s%s", *out ? "," : "", ids);
        const char *next = json_string_value(json_object_get(json_object_get(j, "meta"), "next"));
        if (next)
            snprintf(path, sizeof path, "%s", next);
        json_decref(j);
        if (!next)
            return;
    }
    fail_msg("%s: more than 50 pages", first);
}

static void test_timeline_sort(void **state)
{
    (void)state;
    char forward[1024], backward[1024], one_page[1024];
    all_pages("/v1/timeline?limit=2", forward, sizeof forward);
    all_pages("/v1/timeline?sort=-date&limit=2", backward, sizeof backward);
    json_t *j = get_json("/v1/timeline?sort=-DATE&limit=100", 200);
    list_ids(j, one_page, sizeof one_page);
    assert_int_equal(total_of(j), 15);
    json_decref(j);
    assert_string_equal(backward, one_page); /* paging loses and repeats nothing */
    /* newest first: the day of d5's dateline, then the two events of 1 May; the month of March
     * 1987 (d1:134, the coarsest and first of the corpus in date order) comes last */
    assert_memory_equal(backward, "d5:8,", 5);
    assert_string_equal(backward + strlen(backward) - 6, "d1:134");
    assert_memory_equal(forward, "d1:134,", 7);
    /* the exact reverse of the date order */
    char reversed[1024] = "";
    for (char *end = forward + strlen(forward); end > forward;) {
        char *start = end;
        while (start > forward && start[-1] != ',')
            start--;
        snprintf(reversed + strlen(reversed), sizeof reversed - strlen(reversed), "%s%.*s",
                 *reversed ? "," : "", (int)(end - start), start);
        end = start > forward ? start - 1 : forward;
    }
    assert_string_equal(backward, reversed);
    expect_list("/v1/entities/person:yasuhiro-nakasone/timeline?sort=-date", "d5:124,d3:172", 2);
    expect_list("/v1/documents/d1/timeline?sort=-date", "d1:86,d1:31,d1:7,d1:134", 4);
    /* a cursor of one order is not one of the other */
    json_t *page = get_json("/v1/timeline?limit=2", 200);
    char path[256];
    snprintf(path, sizeof path, "/v1/timeline?sort=-date&limit=2&cursor=%s",
             json_string_value(json_object_get(json_object_get(page, "meta"), "next_cursor")));
    json_decref(page);
    expect_problem(path, 400, "cursor");
    expect_problem("/v1/timeline?sort=newest", 400, "sort");
}

static void test_entity_documents_sort(void **state)
{
    (void)state;
    /* d5 mentions him twice ("Yasuhiro Nakasone", "Nakasone"), d3 once */
    json_t *j = get_json("/v1/entities/person:yasuhiro-nakasone/documents", 200);
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(data, 0), "id")), "d5");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(data, 0), "mention_count")),
                     2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(data, 1), "mention_count")),
                     1);
    json_decref(j);
    expect_list("/v1/entities/person:yasuhiro-nakasone/documents?sort=published", "d3,d5", 2);
    expect_list("/v1/entities/person:yasuhiro-nakasone/documents?sort=-published", "d5,d3", 2);
    char ids[256];
    all_pages("/v1/entities/loc:vienna/documents?sort=published&limit=1", ids, sizeof ids);
    assert_string_equal(ids, "d1,d2");
    all_pages("/v1/entities/loc:vienna/documents?sort=-published&limit=1", ids, sizeof ids);
    assert_string_equal(ids, "d2,d1");
    j = get_json("/v1/entities/loc:vienna/documents?sort=-published&limit=1", 200);
    data = json_object_get(j, "data");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(data, 0), "mention_count")),
                     2); /* "VIENNA, March 5 - … in Vienna" */
    char path[256];
    snprintf(path, sizeof path, "/v1/entities/loc:vienna/documents?sort=published&cursor=%s",
             json_string_value(json_object_get(json_object_get(j, "meta"), "next_cursor")));
    json_decref(j);
    expect_problem(path, 400, "cursor");
    expect_problem("/v1/entities/loc:vienna/documents?sort=title", 400, "sort");
}

/* ---- 4. fields= ------------------------------------------------------------------------------ */

/* GET path answers 200 with exactly this body (after the status line and headers). */
static void expect_body(const char *path, const char *body)
{
    struct http_response r = http_get(&srv, path);
    if (r.status != 200 || strcmp(r.body, body) != 0)
        fail_msg("GET %s: %ld\n%s\nexpected\n%s", path, r.status, r.body, body);
    http_free(&r);
}

/* GET path answers 200 with a body that starts with prefix. */
static void expect_body_prefix(const char *path, const char *prefix)
{
    struct http_response r = http_get(&srv, path);
    if (r.status != 200 || strncmp(r.body, prefix, strlen(prefix)) != 0)
        fail_msg("GET %s: %ld\n%.400s\nexpected to start with\n%s", path, r.status, r.body, prefix);
    http_free(&r);
}

static void test_fields(void **state)
{
    (void)state;
    expect_body_prefix("/v1/documents?fields=id,published&sort=published&limit=2",
                       "{\"data\":[{\"id\":\"d1\",\"published\":\"1987-03-02\"},"
                       "{\"id\":\"d2\",\"published\":\"1987-03-05\"}],\"meta\":{\"total\":5,");
    /* the order asked for, each field once */
    expect_body_prefix("/v1/documents?fields=source,id,source&limit=1",
                       "{\"data\":[{\"source\":\"Wire A\",\"id\":\"d5\"}],");
    expect_body_prefix(
        "/v1/search?q=oil&fields=id,snippet&limit=1",
        "{\"data\":[{\"id\":\"d5\",\"snippet\":\"LONDON, May 2 - <mark>Oil</mark> prices");
    expect_body_prefix("/v1/entities/person:yasuhiro-nakasone/documents?fields=mention_count,id",
                       "{\"data\":[{\"mention_count\":2,\"id\":\"d5\"},{\"mention_count\":1,"
                       "\"id\":\"d3\"}],");
    expect_body("/v1/documents/d5?fields=title,place,authors",
                "{\"title\":\"Oil prices\",\"place\":\"London\",\"authors\":[]}");
    /* CSV columns and NDJSON lines follow the selection */
    expect_body("/v1/documents?fields=id,source&format=csv",
                "id,source\r\nd5,Wire A\r\nd4,Wire B\r\nd3,Wire A\r\nd2,Wire B\r\nd1,Wire A\r\n");
    expect_body(
        "/v1/documents?fields=id&format=ndjson&sort=title",
        "{\"id\":\"d4\"}\n{\"id\":\"d1\"}\n{\"id\":\"d3\"}\n{\"id\":\"d2\"}\n{\"id\":\"d5\"}\n");
    expect_body("/v1/search?q=oil&fields=id&format=ndjson",
                "{\"id\":\"d5\"}\n{\"id\":\"d1\"}\n{\"id\":\"d2\"}\n");
    /* a name that is not a field of these items is a 400 naming it */
    expect_problem("/v1/documents?fields=id,bogus", 400, "'bogus'");
    expect_problem("/v1/documents?fields=snippet", 400, "'snippet'");
    expect_problem("/v1/documents/d1?fields=mention_count", 400, "'mention_count'");
    expect_problem("/v1/search?q=oil&fields=id,", 400, "empty");
    expect_problem("/v1/documents?fields=", 400, "empty");
    expect_problem("/v1/search?q=oil&fields=id,nope&format=ndjson", 400, "'nope'");
}

/* ---- 5. exports: the documents' NDJSON holds their text, every CSV is flat ------------------- */

static void test_ndjson_documents_text(void **state)
{
    (void)state;
    struct http_response r = http_get(&srv, "/v1/documents?format=ndjson&sort=title");
    assert_int_equal(r.status, 200);
    json_error_t err;
    size_t lines = 0;
    for (char *line = r.body, *nl; (nl = strchr(line, '\n')); line = nl + 1, lines++) {
        json_t *item = json_loadb(line, (size_t)(nl - line), 0, &err);
        assert_non_null(item);
        const char *id = json_string_value(json_object_get(item, "id"));
        const char *text = json_string_value(json_object_get(item, "text"));
        assert_non_null(text);
        char path[64];
        snprintf(path, sizeof path, "/v1/documents/%s?fields=text", id);
        json_t *one = get_json(path, 200);
        assert_string_equal(text, json_string_value(json_object_get(one, "text")));
        json_decref(one);
        if (lines == 0) /* by title: "Grain harvest" first */
            assert_string_equal(text, "CHICAGO, May 1 - Wheat prices rose on the Chicago Board of "
                                      "Trade on Friday as rain delayed the harvest in Kansas.");
        json_decref(item);
    }
    assert_int_equal(lines, 5);
    http_free(&r);
    /* on request, JSON and CSV lists carry it too */
    expect_body_prefix("/v1/documents?fields=id,text&sort=title&limit=1",
                       "{\"data\":[{\"id\":\"d4\",\"text\":\"CHICAGO, May 1 - Wheat prices");
    expect_body_prefix("/v1/documents?fields=id,text&sort=title&limit=1&format=csv",
                       "id,text\r\nd4,\"CHICAGO, May 1 - Wheat prices");
}

/* The header row of path's CSV, and no cell of it holds JSON. */
static void expect_flat_csv(const char *path, const char *header)
{
    struct http_response r = http_get(&srv, path);
    if (r.status != 200)
        fail_msg("GET %s: %ld", path, r.status);
    if (strstr(r.body, "{\"") || strstr(r.body, "[\"") || strstr(r.body, "\":"))
        fail_msg("GET %s: JSON in a cell:\n%s", path, r.body);
    size_t n = strlen(header);
    if (strncmp(r.body, header, n) != 0 || strncmp(r.body + n, "\r\n", 2) != 0)
        fail_msg("GET %s: header\n%.300s\nexpected\n%s", path, r.body, header);
    http_free(&r);
}

#define DOC_COLUMNS                                                                                \
    "id,title,source,url,published,precision,published_inferred,language,word_count,summary"

static void test_csv_flat_everywhere(void **state)
{
    (void)state;
    expect_flat_csv("/v1/documents?format=csv", DOC_COLUMNS);
    expect_flat_csv("/v1/search?q=oil&format=csv", DOC_COLUMNS ",snippet,score");
    expect_flat_csv("/v1/entities?format=csv",
                    "id,name,type,aliases,roles,mention_count,document_count");
    expect_flat_csv("/v1/entities/loc:japan/documents?format=csv", DOC_COLUMNS ",mention_count");
    expect_flat_csv("/v1/entities/loc:japan/mentions?format=csv",
                    "document_id,start,end,text,sentence");
    expect_flat_csv("/v1/entities/loc:japan/related?format=csv",
                    "entity_id,entity_name,entity_type,sentences,documents");
    static const char events[] = "id,date,precision,timex_text,timex_value,timex_start,timex_end,"
                                 "sentence,document_id,entities_id,entities_name,entities_type";
    expect_flat_csv("/v1/timeline?format=csv", events);
    expect_flat_csv("/v1/entities/loc:japan/timeline?format=csv", events);
    expect_flat_csv("/v1/documents/d3/timeline?format=csv", events);
    expect_flat_csv("/v1/documents/d3/entities?format=csv",
                    "id,name,type,mentions_start,mentions_end,mentions_text");
    expect_flat_csv("/v1/documents/d3/timexes?format=csv",
                    "document_id,start,end,text,type,value,mod,range_end,first_day,last_day");
    expect_flat_csv("/v1/sources?format=csv", "name,document_count");
    /* the values a spreadsheet shows: repeated values joined in one cell */
    expect_body_prefix("/v1/entities?type=person&format=csv",
                       "id,name,type,aliases,roles,mention_count,document_count\r\n"
                       "person:yasuhiro-nakasone,Yasuhiro Nakasone,PERSON,"
                       "Yasuhiro Nakasone; Nakasone,Prime Minister,3,2\r\n");
    struct http_response r = http_get(&srv, "/v1/documents/d3/entities?format=csv");
    assert_non_null(strstr(r.body, "\r\nloc:japan,Japan,LOC,18; 106,23; 111,Japan; Japan\r\n"));
    http_free(&r);
    r = http_get(&srv, "/v1/timeline?document=d3&format=csv");
    assert_non_null(strstr(r.body, ",d3,loc:japan; loc:washington; person:yasuhiro-nakasone,"
                                   "Japan; Washington; Yasuhiro Nakasone,LOC; LOC; PERSON\r\n"));
    http_free(&r);
}

/* ---- 6. q on /v1/documents, and real BM25 scores ----------------------------------------------
 */

/* Tokens as FTS5's unicode61 tokenizer counts them in ASCII text: runs of letters and digits. */
static int tokens(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        n += isalnum((unsigned char)*p) && (p == s || !isalnum((unsigned char)p[-1]));
    return n;
}

/* Occurrences of the word w (lower case) in s, case-insensitive, as whole tokens. */
static int occurrences(const char *s, const char *w)
{
    int n = 0;
    size_t k = strlen(w);
    for (const char *p = s; *p; p++)
        n += strncasecmp(p, w, k) == 0 && (p == s || !isalnum((unsigned char)p[-1])) &&
             !isalnum((unsigned char)p[k]);
    return n;
}

/* The BM25 score a document of the fixture should have for one word, computed here from the
 * fixture's own text: Lucene's IDF log(1 + (N - n + 0.5) / (n + 0.5)), k1 1.2, b 0.75, the title
 * weighted 4, the length of title and text in tokens. */
static double expected_bm25(const char *id, const char *word)
{
    int n_docs = (int)(sizeof docs / sizeof *docs), holding = 0, total = 0;
    double freq = 0, length = 0;
    for (int i = 0; i < n_docs; i++) {
        json_t *d = json_loads(docs[i], 0, NULL);
        const char *title = json_string_value(json_object_get(d, "title"));
        const char *text = json_string_value(json_object_get(d, "text"));
        int in_title = occurrences(title, word), in_text = occurrences(text, word);
        holding += in_title + in_text > 0;
        total += tokens(title) + tokens(text);
        if (strcmp(json_string_value(json_object_get(d, "id")), id) == 0) {
            freq = 4.0 * in_title + in_text;
            length = tokens(title) + tokens(text);
        }
        json_decref(d);
    }
    double idf = log(1.0 + (n_docs - holding + 0.5) / (holding + 0.5));
    double avgdl = (double)total / n_docs;
    return idf * freq * 2.2 / (freq + 1.2 * (0.25 + 0.75 * length / avgdl));
}

static void expect_scores(const char *path, const char *word)
{
    json_t *j = get_json(path, 200);
    size_t i;
    json_t *hit;
    assert_true(json_array_size(json_object_get(j, "data")) > 0);
    json_array_foreach(json_object_get(j, "data"), i, hit)
    {
        const char *id = json_string_value(json_object_get(hit, "id"));
        double score = json_real_value(json_object_get(hit, "score"));
        double want = expected_bm25(id, word);
        if (fabs(score - want) > 1e-9)
            fail_msg("GET %s: %s scores %.12f, BM25 gives %.12f", path, id, score, want);
    }
    json_decref(j);
}

static void test_bm25_scores(void **state)
{
    (void)state;
    /* "oil" is in 3 of the 5 documents: FTS5's bm25 clamped its IDF to 1e-6 (scores ~0.000002) */
    expect_list("/v1/search?q=oil", "d5,d1,d2", 3);
    json_t *j = get_json("/v1/search?q=oil", 200);
    double top =
        json_real_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "score"));
    json_decref(j);
    assert_true(top > 0.9 && top < 1.2); /* idf ln(1 + 2.5/3.5) = 0.539, times at most k1 + 1 */
    expect_scores("/v1/search?q=oil", "oil");                 /* from the stored top hits */
    expect_scores("/v1/search?q=oil&source=Wire%20A", "oil"); /* ranked per request */
    expect_scores("/v1/search?q=ministers", "ministers");
    expect_scores("/v1/documents?q=oil&sort=published", "oil");
}

static void test_documents_q(void **state)
{
    (void)state;
    /* relevance: the search's order and hits; date orders keep theirs, each with snippet and score
     */
    expect_list("/v1/documents?q=oil&sort=relevance", "d5,d1,d2", 3);
    expect_list("/v1/documents?q=oil&sort=relevance&source=Wire%20A&limit=1", "d5", 2);
    expect_list("/v1/documents?q=oil", "d5,d2,d1", 3);
    json_t *a = get_json("/v1/documents?q=oil&sort=relevance&limit=100", 200);
    json_t *b = get_json("/v1/search?q=oil&limit=100", 200);
    assert_true(json_equal(json_object_get(a, "data"), json_object_get(b, "data")));
    json_decref(a);
    json_decref(b);
    expect_body_prefix("/v1/documents?q=oil&sort=published&fields=id,snippet&limit=1",
                       "{\"data\":[{\"id\":\"d1\",\"snippet\":\"TOKYO, March 2 - Japan said on "
                       "Monday it would raise <mark>oil</mark> imports");
    /* paging by relevance, with its own cursors */
    json_t *first = get_json("/v1/documents?q=oil&sort=relevance&limit=2", 200);
    const char *cursor =
        json_string_value(json_object_get(json_object_get(first, "meta"), "next_cursor"));
    char path[256];
    snprintf(path, sizeof path, "/v1/documents?q=oil&sort=relevance&limit=2&cursor=%s", cursor);
    expect_list(path, "d2", 3);
    snprintf(path, sizeof path, "/v1/search?q=oil&limit=2&cursor=%s", cursor);
    expect_problem(path, 400, "cursor"); /* a cursor of another list */
    json_decref(first);
    expect_problem("/v1/documents?sort=relevance", 400, "'q'");
    expect_problem("/v1/documents?sort=RELEVANCE&source=Wire%20A", 400, "'q'");
    /* the relevance export carries the texts too */
    struct http_response r = http_get(&srv, "/v1/documents?q=oil&sort=relevance&format=ndjson");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"text\":\"LONDON, May 2 - Oil prices rose"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_entities),
        cmocka_unit_test(test_search_filters),
        cmocka_unit_test(test_document_filters),
        cmocka_unit_test(test_timeline_window_ends),
        cmocka_unit_test(test_timeline_filters),
        cmocka_unit_test(test_unknown_filter_values),
        cmocka_unit_test(test_timeline_sort),
        cmocka_unit_test(test_entity_documents_sort),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_ndjson_documents_text),
        cmocka_unit_test(test_csv_flat_everywhere),
        cmocka_unit_test(test_bm25_scores),
        cmocka_unit_test(test_documents_q),
    };
    return cmocka_run_group_tests_name("e2e_filters", tests, start, stop);
}
