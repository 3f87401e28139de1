/*
 * test_store_entities.c — entity and timeline queries over a store built from hand-made
 * documents (mentions and temporal expressions given, so the queries are tested apart from the
 * extractors): aggregation, aliases, roles, co-occurrence, mentions, events, histogram.
 */
#define TEST_UTIL_STORE_FIXTURE
#include "test_util.h"

#include "store/entities.h"
#include "store/timeline.h"

static struct doc *make_doc(const char *id, const char *published, const char *text)
{
    struct doc *d = calloc(1, sizeof *d);
    d->id = strdup(id);
    d->title = strdup(id);
    d->language = strdup("en");
    d->text = strdup(text);
    d->text_len = strlen(text);
    snprintf(d->published, sizeof d->published, "%s", published);
    d->published_precision = PRECISION_DAY;
    d->paragraphs = malloc(sizeof *d->paragraphs);
    d->paragraphs[0] = (struct span){0, d->text_len};
    d->n_paragraphs = 1;
    return d;
}

static void add_sentence(struct doc *d, const char *sentence)
{
    const char *at = strstr(d->text, sentence);
    d->sentences = realloc(d->sentences, (d->n_sentences + 1) * sizeof *d->sentences);
    size_t start = (size_t)(at - d->text);
    d->sentences[d->n_sentences++] = (struct span){start, start + strlen(sentence)};
}

/* Adds a mention of the nth occurrence of surface in the text. */
static void add_mention(struct doc *d, const char *surface, int nth, enum entity_type type,
                        const char *name, const char *role)
{
    const char *at = d->text;
    for (int i = 0; i <= nth; i++)
        at = strstr(i ? at + 1 : at, surface);
    d->mentions = realloc(d->mentions, (d->n_mentions + 1) * sizeof *d->mentions);
    size_t start = (size_t)(at - d->text);
    d->mentions[d->n_mentions++] = (struct mention){.start = start,
                                                    .end = start + strlen(surface),
                                                    .type = type,
                                                    .name = strdup(name),
                                                    .role = role ? strdup(role) : NULL,
                                                    .confidence = 1.0f};
}

static void add_timex(struct doc *d, const char *surface, const char *value)
{
    const char *at = strstr(d->text, surface);
    d->timexes = realloc(d->timexes, (d->n_timexes + 1) * sizeof *d->timexes);
    struct timex_expr *t = &d->timexes[d->n_timexes++];
    memset(t, 0, sizeof *t); /* no mod, no range */
    t->start = (size_t)(at - d->text);
    t->end = t->start + strlen(surface);
    t->type = TIMEX_DATE;
    snprintf(t->value, sizeof t->value, "%s", value);
}

static int setup(void **state)
{
    /* "é" is two bytes: offsets after it differ in code points. */
    struct doc *a = make_doc("a", "2024-05-02",
                             "Chief executive Alice Smith met Bob Jones in Paris on May 1. "
                             "Smith said the café deal closed in 2023. Alice Smith left.");
    add_sentence(a, "Chief executive Alice Smith met Bob Jones in Paris on May 1.");
    add_sentence(a, "Smith said the café deal closed in 2023.");
    add_sentence(a, "Alice Smith left.");
    add_mention(a, "Alice Smith", 0, ENTITY_PERSON, "Alice Smith", "chief executive");
    add_mention(a, "Bob Jones", 0, ENTITY_PERSON, "Bob Jones", NULL);
    add_mention(a, "Paris", 0, ENTITY_LOC, "Paris", NULL);
    add_mention(a, "Smith", 1, ENTITY_PERSON, "Alice Smith", NULL);
    add_mention(a, "Alice Smith", 1, ENTITY_PERSON, "Alice Smith", NULL);
    add_timex(a, "May 1", "2024-05-01");
    add_timex(a, "2023", "2023");
    struct doc *b = make_doc("b", "2024-06-01", "Bob Jones flew to Paris in June 2024.");
    add_sentence(b, "Bob Jones flew to Paris in June 2024.");
    add_mention(b, "Bob Jones", 0, ENTITY_PERSON, "Bob Jones", NULL);
    add_mention(b, "Paris", 0, ENTITY_LOC, "Paris", NULL);
    add_timex(b, "June 2024", "2024-06");
    /* a decade is no event, but the document's expressions find it by range */
    struct doc *c = make_doc("c", "2024-06-03", "Output fell in the late 1990s.");
    add_sentence(c, "Output fell in the late 1990s.");
    add_timex(c, "the late 1990s", "199");
    struct doc *docs[] = {a, b, c};
    char *err = NULL;
    struct store *st = store_build(docs, 3, NULL, NULL, &err);
    doc_free(a);
    doc_free(b);
    doc_free(c);
    free(err);
    return test_fixture_open(state, st);
}

struct seen {
    char ids[8][64];
    char extra[8][1024];
    long long n1[8], n2[8];
    size_t n;
};

static int see_entity(void *ctx, const struct store_entity *e)
{
    struct seen *s = ctx;
    snprintf(s->ids[s->n], 64, "%s", e->id);
    snprintf(s->extra[s->n], sizeof s->extra[0], "%s", e->item);
    s->n1[s->n] = e->mention_count;
    s->n2[s->n++] = e->document_count;
    return 0;
}

static void test_entities_by_mentions(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long long total;
    struct store_entity_filter filter = {.limit = 10};
    /* (prefix lookups: test_entity_name_prefixes) */
    assert_int_equal(store_entities_list(f->conn, &filter, see_entity, &s, &total), STORE_OK);
    assert_int_equal(total, 3);
    assert_string_equal(s.ids[0], "person:alice-smith");
    assert_int_equal(s.n1[0], 3);
    assert_int_equal(s.n2[0], 1);
    /* The representation rendered at build time: aliases and roles by count, then name. */
    assert_string_equal(s.extra[0], "{\"id\":\"person:alice-smith\",\"name\":\"Alice Smith\","
                                    "\"type\":\"PERSON\",\"aliases\":[\"Alice Smith\",\"Smith\"],"
                                    "\"roles\":[\"chief executive\"],\"mention_count\":3,"
                                    "\"document_count\":1}");
    assert_string_equal(s.ids[1], "loc:paris"); /* 2 mentions; ties by id */
    assert_string_equal(s.ids[2], "person:bob-jones");
    memset(&s, 0, sizeof s);
    struct store_entity_filter persons = {.type = "PERSON", .q = "smi", .limit = 10};
    assert_int_equal(store_entities_list(f->conn, &persons, see_entity, &s, &total), STORE_OK);
    assert_int_equal(total, 1);
    memset(&s, 0, sizeof s);
    struct store_entity_filter literal = {.q = "%", .limit = 10};
    assert_int_equal(store_entities_list(f->conn, &literal, see_entity, &s, &total), STORE_OK);
    assert_int_equal(total, 0); /* % is a character to find, not a wildcard */
    memset(&s, 0, sizeof s);
    struct store_entity_filter in_b = {.document = "b", .sort = ENTITY_SORT_NAME, .limit = 1};
    assert_int_equal(store_entities_list(f->conn, &in_b, see_entity, &s, &total), STORE_OK);
    assert_int_equal(total, 2);
    assert_string_equal(s.ids[0], "person:bob-jones"); /* "Bob Jones" < "Paris" */
}

/* q finds entities by the start of any word of their name or aliases, case-folded, through the
 * entity_keys index (never a scan of every name). */
static void test_entity_name_prefixes(void **state)
{
    struct fixture *f = *state;
    struct {
        const char *q, *type;
        long long total;
        const char *first;
    } cases[] = {
        {"SMI", NULL, 1, "person:alice-smith"},     /* a later word, any case */
        {"alice s", NULL, 1, "person:alice-smith"}, /* across words */
        {"mith", NULL, 0, NULL},                    /* not the start of a word */
        {"par", "LOC", 1, "loc:paris"},             /* with the type filter */
        {"par", "PERSON", 0, NULL},
        {"j", NULL, 1, "person:bob-jones"},
        {"", NULL, 3, "person:alice-smith"}, /* empty: every entity */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct seen s = {0};
        long long total = -1;
        struct store_entity_filter q = {.q = cases[i].q, .type = cases[i].type, .limit = 10};
        assert_int_equal(store_entities_list(f->conn, &q, see_entity, &s, &total), STORE_OK);
        if (total != cases[i].total)
            fail_msg("q=%s: total %lld, expected %lld", cases[i].q, total, cases[i].total);
        assert_int_equal((long long)s.n, cases[i].total);
        if (cases[i].first)
            assert_string_equal(s.ids[0], cases[i].first);
        /* Short q in mention order reads entity_prefixes; by name it sorts the key range:
         * the same entities either way. */
        struct seen by_name = {0};
        long long total_by_name = -1;
        q.sort = ENTITY_SORT_NAME;
        assert_int_equal(store_entities_list(f->conn, &q, see_entity, &by_name, &total_by_name),
                         STORE_OK);
        assert_int_equal(total_by_name, total);
        for (size_t k = 0; k < s.n; k++) {
            bool found = false;
            for (size_t m = 0; m < by_name.n; m++)
                found |= strcmp(s.ids[k], by_name.ids[m]) == 0;
            assert_true(found);
        }
    }
    /* Paging a prefix one row at a time with keyset cursors gives the rows of one full page. */
    struct seen all = {0}, page = {0};
    long long n_all = 0, n_page = 0;
    struct store_entity_filter every = {.q = "", .limit = 10};
    assert_int_equal(store_entities_list(f->conn, &every, see_entity, &all, &n_all), STORE_OK);
    char key[32] = "", id[64] = "";
    for (size_t k = 0; k < all.n; k++) {
        struct seen one = {0};
        struct store_entity_filter next = {.q = "a", .limit = 1};
        if (k) {
            next.after_key = key;
            next.after_id = id;
        }
        next.q = k % 2 ? "a" : "A"; /* any case */
        assert_int_equal(store_entities_list(f->conn, &next, see_entity, &one, &n_page), STORE_OK);
        if (one.n == 0)
            break;
        snprintf(key, sizeof key, "%lld", one.n1[0]);
        snprintf(id, sizeof id, "%s", one.ids[0]);
        snprintf(page.ids[page.n++], sizeof page.ids[0], "%s", one.ids[0]);
    }
    /* "a": Alice Smith only (no other word starts with a) */
    assert_int_equal(n_page, 1);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.ids[0], "person:alice-smith");
    /* A type alone is answered from the counts of the build; it must agree with the rows. */
    struct seen s = {0};
    long long total = -1;
    struct store_entity_filter persons = {.type = "PERSON", .limit = 10};
    assert_int_equal(store_entities_list(f->conn, &persons, see_entity, &s, &total), STORE_OK);
    assert_int_equal(total, 2);
    assert_int_equal(s.n, 2);
}

static int see_mention(void *ctx, const struct store_mention *m)
{
    struct seen *s = ctx;
    s->n1[s->n] = m->start;
    snprintf(s->extra[s->n++], 256, "%s|%s", m->text, m->sentence);
    return 0;
}

static void test_mentions_in_code_points(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long long total;
    assert_int_equal(
        store_entity_mentions(f->conn, "person:alice-smith", -1, -1, 10, see_mention, &s, &total),
        STORE_OK);
    assert_int_equal(total, 3);
    assert_int_equal(s.n1[0], 16);
    assert_string_equal(s.extra[1], "Smith|Smith said the café deal closed in 2023.");
    /* "Alice Smith left." follows "café": its byte offset is one more than its code point. */
    const char *text = "Chief executive Alice Smith met Bob Jones in Paris on May 1. Smith said "
                       "the café deal closed in 2023. ";
    assert_int_equal(s.n1[2], (long long)strlen(text) - 1);
}

static int see_related(void *ctx, const struct store_related *r)
{
    struct seen *s = ctx;
    snprintf(s->ids[s->n], 64, "%s", r->id);
    s->n1[s->n] = r->sentences;
    s->n2[s->n++] = r->documents;
    return 0;
}

static void test_related(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long long total;
    assert_int_equal(
        store_entity_related(f->conn, "person:bob-jones", 10, 0, see_related, &s, &total),
        STORE_OK);
    assert_int_equal(total, 2);
    assert_string_equal(s.ids[0], "loc:paris"); /* two sentences, two documents */
    assert_int_equal(s.n1[0], 2);
    assert_int_equal(s.n2[0], 2);
    assert_string_equal(s.ids[1], "person:alice-smith");
    assert_int_equal(s.n1[1], 1);
    assert_int_equal(s.n2[1], 1);
}

static int see_event(void *ctx, const struct store_event *e)
{
    struct seen *s = ctx;
    snprintf(s->ids[s->n], 64, "%s", e->date);
    snprintf(s->extra[s->n++], sizeof s->extra[0], "%s", e->item);
    return 0;
}

static void test_events(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    long long total;
    struct store_event_filter all = {.limit = 10};
    assert_int_equal(store_events_list(f->conn, &all, see_event, &s, &total), STORE_OK);
    assert_int_equal(total, 3);
    assert_string_equal(s.ids[0], "2023");
    assert_string_equal(s.ids[1], "2024-05-01");
    assert_string_equal(s.ids[2], "2024-06");
    assert_non_null(strstr(s.extra[1], "\"id\":\"person:bob-jones\""));
    assert_non_null(strstr(s.extra[1], "\"precision\":\"day\""));
    memset(&s, 0, sizeof s);
    struct store_event_filter bob_2024 = {
        .entity = "person:bob-jones", .from = "2024", .limit = 10};
    assert_int_equal(store_events_list(f->conn, &bob_2024, see_event, &s, &total), STORE_OK);
    assert_int_equal(total, 2);
    memset(&s, 0, sizeof s);
    struct store_event_filter to_may = {.to = "2024-05", .limit = 10};
    assert_int_equal(store_events_list(f->conn, &to_may, see_event, &s, &total), STORE_OK);
    assert_int_equal(total, 2); /* 2023 and 2024-05-01 */
}

static long long count_events(struct store_conn *c, const char *from, const char *to, bool overlap)
{
    struct seen s = {0};
    long long total = -1;
    struct store_event_filter f = {.from = from, .to = to, .overlap = overlap, .limit = 8};
    assert_int_equal(store_events_list(c, &f, see_event, &s, &total), STORE_OK);
    assert_int_equal((long long)s.n, total);
    return total;
}

/* A window keeps the events whose date lies within it, whatever the precision of its bounds:
 * "June 2024" (a month) is within June 1-30 (dates compared as strings put "2024-06" before
 * "2024-06-01"). With overlap, every event that meets the window: the month for one of its
 * days, the year-only 2023 for a day of 2023. */
static void test_events_window(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(count_events(f->conn, "2024-06-01", "2024-06-30", false), 1);
    assert_int_equal(count_events(f->conn, "2024-06", "2024-06", false), 1);
    assert_int_equal(count_events(f->conn, "2024-06-15", "2024-06-15", false), 0);
    assert_int_equal(count_events(f->conn, "2024-06-15", "2024-06-15", true), 1);
    assert_int_equal(count_events(f->conn, "2024-05-02", "2024-05-31", true), 0);
    assert_int_equal(count_events(f->conn, "2023-08-09", "2023-08-09", false), 0);
    assert_int_equal(count_events(f->conn, "2023-08-09", "2023-08-09", true), 1);
    assert_int_equal(count_events(f->conn, "2023", "2024-05-01", false), 2);
    assert_int_equal(count_events(f->conn, NULL, "2024-05-31", false), 2);
    assert_int_equal(count_events(f->conn, "2024-05-02", NULL, false), 1);
    assert_int_equal(count_events(f->conn, "2024-05-02", NULL, true), 1);
}

/* A quarter is placed at its first month (as the histogram counts it) and a range "June/July"
 * at June: a window of that month holds them; overlap reaches the rest of the quarter or the
 * range. */
static void test_events_quarter_and_range(void **state)
{
    (void)state;
    struct doc *d = make_doc("q", "2022-09-01",
                             "Sales fell in the second quarter. Shipments for June/July lag.");
    add_sentence(d, "Sales fell in the second quarter.");
    add_sentence(d, "Shipments for June/July lag.");
    add_timex(d, "the second quarter", "2022-Q2");
    add_timex(d, "June/July", "2022-06");
    snprintf(d->timexes[1].range_end, sizeof d->timexes[1].range_end, "2022-07");
    struct doc *docs[] = {d};
    char *err = NULL;
    struct store *st = store_build(docs, 1, NULL, NULL, &err);
    doc_free(d);
    free(err);
    void *fs = NULL;
    assert_int_equal(test_fixture_open(&fs, st), 0);
    struct fixture *f = fs;
    assert_int_equal(count_events(f->conn, "2022-04", "2022-04", false), 1); /* the quarter */
    assert_int_equal(count_events(f->conn, "2022-05", "2022-05", false), 0);
    assert_int_equal(count_events(f->conn, "2022-05", "2022-05", true), 1);
    assert_int_equal(count_events(f->conn, "2022-06", "2022-06", false), 1); /* June/July */
    assert_int_equal(count_events(f->conn, "2022-07-15", "2022-07-15", false), 0);
    assert_int_equal(count_events(f->conn, "2022-07-15", "2022-07-15", true), 1);
    assert_int_equal(count_events(f->conn, "2022", "2022", false), 2);
    test_fixture_close(&fs);
}

struct timexes_seen {
    char texts[4][64], days[4][32];
    size_t n;
};

static int see_timex(void *ctx, const struct store_timex *t)
{
    struct timexes_seen *s = ctx;
    if (s->n < 4) {
        snprintf(s->texts[s->n], 64, "%s", t->text);
        snprintf(s->days[s->n++], 32, "%s/%s", t->first_day, t->last_day);
    }
    return 0;
}

/* "the late 1990s" covers 1990-01-01 … 1999-12-31: within a window of the decade, met by a
 * window of one of its years (overlap), not by a window after it. */
static void test_timexes_by_range(void **state)
{
    struct fixture *f = *state;
    struct timexes_seen s = {0};
    assert_int_equal(store_document_timexes(f->conn, "c", NULL, NULL, false, see_timex, &s),
                     STORE_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.days[0], "1990-01-01/1999-12-31");
    static const struct {
        const char *from, *to;
        bool overlap;
        size_t n;
    } windows[] = {
        {"1997", "1997", true, 1},     {"1997", "1997", false, 0},
        {"1990", "1999", false, 1},    {"1985", "2003-06", false, 1},
        {"2000-01", NULL, true, 0},    {NULL, "1989-12-31", true, 0},
        {NULL, "1990-01-01", true, 1}, {NULL, "1990-01-01", false, 0},
    };
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        memset(&s, 0, sizeof s);
        assert_int_equal(store_document_timexes(f->conn, "c", windows[i].from, windows[i].to,
                                                windows[i].overlap, see_timex, &s),
                         STORE_OK);
        if (s.n != windows[i].n)
            fprintf(stderr, "  window %zu: %zu expressions\n", i, s.n);
        assert_int_equal(s.n, windows[i].n);
    }
}

static int see_bucket(void *ctx, const char *period, long long count)
{
    struct seen *s = ctx;
    snprintf(s->ids[s->n], 64, "%s", period);
    s->n1[s->n++] = count;
    return 0;
}

static void test_histogram(void **state)
{
    struct fixture *f = *state;
    struct seen s = {0};
    struct store_event_filter all = {0};
    assert_int_equal(store_events_histogram(f->conn, &all, INTERVAL_MONTH, see_bucket, &s),
                     STORE_OK);
    assert_int_equal(s.n, 2); /* the year-only event has no month */
    assert_string_equal(s.ids[0], "2024-05");
    assert_string_equal(s.ids[1], "2024-06");
    memset(&s, 0, sizeof s);
    assert_int_equal(store_events_histogram(f->conn, &all, INTERVAL_YEAR, see_bucket, &s),
                     STORE_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.n1[1], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entities_by_mentions),
        cmocka_unit_test(test_entity_name_prefixes),
        cmocka_unit_test(test_mentions_in_code_points),
        cmocka_unit_test(test_related),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_events_window),
        cmocka_unit_test(test_events_quarter_and_range),
        cmocka_unit_test(test_timexes_by_range),
        cmocka_unit_test(test_histogram),
    };
    return cmocka_run_group_tests_name("store_entities", tests, setup, test_fixture_close);
}
