/*
 * test_keep.c — nothing lost (issue 12): given text kept line for line; scraped pages lose their
 * chrome by evidence but keep short article lines; legacy encodings transcoded; NUL bytes
 * dropped; a 5 MB line split into sentences; datelines, bylines and captions read as metadata.
 * All sentences are our own, shaped like wire copy.
 */
#include "test_util.h"

#include <unistd.h>

#include "ingest/pipeline.h"
#include "ingest/corpus.h"
#include "ingest/text/clean.h"
#include "ingest/text/decode.h"
#include "ingest/text/template.h"

static struct ingest *ing;

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    ing = ingest_open(test_data_dir(), &err);
    return ing ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ingest_close(ing);
    return 0;
}

static struct doc *ingest_given(const char *id, const char *text, const char *published,
                                int context_year, struct ingest_warnings *w)
{
    struct raw_record rec = {.id = id,
                             .raw = text,
                             .raw_len = strlen(text),
                             .published = published,
                             .given_text = true,
                             .context_year = context_year};
    struct doc *d = ingest_record(ing, &rec, w);
    assert_non_null(d);
    return d;
}

static bool has_mention(const struct doc *d, const char *name, enum entity_type type, size_t start)
{
    for (size_t i = 0; i < d->n_mentions; i++)
        if (strcmp(d->mentions[i].name, name) == 0 && d->mentions[i].type == type &&
            d->mentions[i].start == start)
            return true;
    return false;
}

/* ---- given text ------------------------------------------------------------------------ */

static void test_given_text_keeps_every_line(void **state)
{
    (void)state;
    const char *text = "OSLO 2003-05-14\n"
                       "Results of the regional ski relay on Wednesday:\n"
                       "Team North 1:02:11\n"
                       "Team West 1:03:40\n"
                       "Subscribe\n"
                       "Share this article\n"
                       "Group earnings\n"
                       "Net 4.1 mln vs 3.9 mln\n";
    struct ingest_warnings w;
    struct doc *d = ingest_given("g1", text, NULL, 0, &w);
    assert_int_equal(w.n, 0);
    assert_int_equal(d->n_set_aside, 0);
    assert_int_equal(d->n_paragraphs, 8); /* one paragraph per line, none deleted */
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        char buf[128];
        snprintf(buf, sizeof buf, "%.*s", (int)(nl - line), line);
        if (!strstr(d->text, buf))
            fail_msg("line '%s' lost", buf);
        line = nl + 1;
    }
    /* The CoNLL-style dateline is the place and the stated date. */
    assert_string_equal(d->place, "Oslo");
    assert_string_equal(d->published, "2003-05-14");
    assert_false(d->published_inferred);
    assert_true(has_mention(d, "Oslo", ENTITY_LOC, 0));
    doc_free(d);
}

static void test_given_caption_marked(void **state)
{
    (void)state;
    struct ingest_warnings w;
    struct doc *d = ingest_given("cap",
                                 "Fishing boats return to the harbour of a coastal town at dusk, "
                                 "Sept. 4. Harbour Photo Agency\n"
                                 "The fishing fleet had its best season in a decade.\n",
                                 NULL, 0, &w);
    assert_int_equal(d->n_captions, 1);
    assert_non_null(strstr(d->captions[0], "at dusk, Sept. 4."));
    assert_non_null(strstr(d->text, "Harbour Photo Agency")); /* still in the text */
    doc_free(d);
}

static void test_empty_record_kept(void **state)
{
    (void)state;
    struct ingest_warnings w;
    struct raw_record rec = {
        .id = "e", .raw = "", .raw_len = 0, .title = "A Title Only", .given_text = true};
    struct doc *d = ingest_record(ing, &rec, &w);
    assert_non_null(d);
    assert_string_equal(d->title, "A Title Only");
    assert_int_equal(w.n, 1);
    assert_int_equal(w.items[0].kind, WARN_EMPTY_TEXT);
    doc_free(d);
}

/* ---- datelines and bylines ------------------------------------------------------------- */

static void test_dateline_month_day_year_from_file(void **state)
{
    (void)state;
    const char *text = "TOKYO, March 3 - The central bank left its discount rate unchanged on\n"
                       "Tuesday, a spokesman said.\n";
    struct ingest_warnings w;
    struct doc *d = ingest_given("t1", text, NULL, 1991, &w);
    assert_string_equal(d->place, "Tokyo");
    assert_string_equal(d->published, "1991-03-03");
    assert_string_equal(d->dateline_date, "1991-03-03");
    assert_int_equal(d->published_precision, PRECISION_DAY);
    assert_true(d->published_inferred); /* the year came from the file, not the dateline */
    assert_true(has_mention(d, "Tokyo", ENTITY_LOC, 0));
    assert_int_equal(d->dateline.start, 0);
    assert_memory_equal(d->text + d->dateline.end - 1, "-", 1);
    /* A given date wins; the dateline's place still counts. */
    struct doc *g = ingest_given("t2", text, "1990-12-01", 1991, &w);
    assert_string_equal(g->published, "1990-12-01");
    assert_string_equal(g->place, "Tokyo");
    assert_string_equal(g->dateline_date, "1990-03-03"); /* its year from the given date */
    doc_free(g);
    doc_free(d);
}

static void test_dateline_year_from_text_and_agency(void **state)
{
    (void)state;
    struct ingest_warnings w;
    struct doc *d = ingest_given("t3",
                                 "NEW YORK, Oct. 12 (Reuters) - Shares of the 1994 airline "
                                 "merger partners rose in 1994 trading.\n",
                                 NULL, 0, &w);
    assert_string_equal(d->place, "New York");
    assert_string_equal(d->published, "1994-10-12");
    doc_free(d);
    d = ingest_given("t4", "Lisbon (Reuters) - The port reopened after the strike.\n", NULL, 0, &w);
    assert_string_equal(d->place, "Lisbon");
    assert_string_equal(d->published, ""); /* no date stated, none to infer */
    doc_free(d);
    /* Capitals that open a sentence are no dateline without a dash. */
    d = ingest_given("t5", "NATO ministers met in the capital on Friday.\n", NULL, 0, &w);
    assert_null(d->place);
    doc_free(d);
}

static void test_byline_authors(void **state)
{
    (void)state;
    struct ingest_warnings w;
    struct doc *d = ingest_given("b1",
                                 "By Maria de Souza and Tom O'Hara, Reuters\n\n"
                                 "LIMA, June 2 - Copper output rose in May, the ministry said.\n",
                                 NULL, 2001, &w);
    assert_int_equal(d->n_authors, 2);
    assert_string_equal(d->authors[0], "Maria de Souza");
    assert_string_equal(d->authors[1], "Tom O'Hara");
    assert_string_equal(d->place, "Lima");
    assert_string_equal(d->published, "2001-06-02");
    assert_non_null(strstr(d->text, "By Maria de Souza")); /* read, not removed */
    doc_free(d);
}

/* ---- encodings and damage -------------------------------------------------------------- */

static void test_latin1_transcoded(void **state)
{
    (void)state;
    struct decoded dec;
    const char latin1[] = "Caf\xE9 owners in Montr\xE9"
                          "al \x93raised\x94 prices \x81.";
    assert_int_equal(text_decode(latin1, sizeof latin1 - 1, &dec), 0);
    assert_true(dec.transcoded);
    /* 0x93/0x94 are Windows-1252 quotes; 0x81 (undefined there) is read as Latin-1 U+0081. */
    assert_string_equal(dec.text, "Caf\xC3\xA9 owners in Montr\xC3\xA9"
                                  "al \xE2\x80\x9Craised\xE2\x80\x9D prices \xC2\x81.");
    assert_int_equal(dec.replaced, 0);
    assert_string_equal(text_decode_note(&dec), "windows-1252");
    free(dec.text);
    /* Mostly UTF-8 with one broken byte: UTF-8, the byte replaced. */
    const char damaged[] = "Z\xC3\xBCrich and Montr\xC3\xA9"
                           "al \xFF ok";
    assert_int_equal(text_decode(damaged, sizeof damaged - 1, &dec), 0);
    assert_false(dec.transcoded);
    assert_int_equal(dec.replaced, 1);
    assert_non_null(strstr(dec.text, "\xEF\xBF\xBD"));
    free(dec.text);
}

static void test_nul_bytes_dropped_with_warning(void **state)
{
    (void)state;
    char text[] = "The harbour\0 reopened on Monday.\nShips\0 queued outside.\n";
    struct raw_record rec = {.id = "n", .raw = text, .raw_len = sizeof text - 1};
    struct ingest_warnings w;
    struct doc *d = ingest_record(ing, &rec, &w);
    assert_non_null(d);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.items[0].kind, WARN_CONTROL_BYTES);
    assert_non_null(strstr(d->text, "The harbour reopened on Monday."));
    assert_non_null(strstr(d->text, "Ships queued outside."));
    doc_free(d);
}

static void test_five_megabyte_line(void **state)
{
    (void)state;
    size_t size = (size_t)5 << 20, n = 0;
    char *s = malloc(size + 1);
    static const char *const words[] = {"river", "barges", "carried", "grain", "downstream"};
    for (unsigned i = 0; n < size; i++) {
        const char *wd = words[i % 5];
        for (size_t k = 0; wd[k] && n < size; k++)
            s[n++] = wd[k];
        if (n < size)
            s[n++] = ' ';
    }
    s[size] = '\0';
    struct raw_record rec = {.id = "long", .raw = s, .raw_len = size};
    struct ingest_warnings w;
    struct doc *d = ingest_record(ing, &rec, &w);
    assert_non_null(d);
    assert_int_equal(w.n, 0);
    assert_true(d->text_len >= size - 2);
    assert_true(d->n_sentences >= size / 1000);
    for (size_t i = 0; i < d->n_sentences; i++)
        assert_true(d->sentences[i].end - d->sentences[i].start <= 1000);
    doc_free(d);
    free(s);
}

/* ---- scraped pages --------------------------------------------------------------------- */

static const char *page_a = "Home | World | Business | Sport\n"
                            "Evening Ledger\n\n"
                            "Storm Closes Ports Along the Northern Coast\n\n"
                            "By Ana Lima\n\n"
                            "BERGEN, Jan. 9 - A winter storm closed four ports on Thursday.\n\n"
                            "Closures\n\n"
                            "Bergen 14 hours\n"
                            "Alesund 9 hours\n\n"
                            "Harbour United 2 Bay Rovers 1\n\n"
                            "Harbour officials expected ships to sail again by Friday.\n\n"
                            "Ledger Morning Briefing\n"
                            "\xC2\xA9 2024 Evening Ledger. All rights reserved.\n";

static const char *page_b = "Home | World | Business | Sport\n"
                            "Evening Ledger\n\n"
                            "Council Approves a Larger Budget for Schools\n\n"
                            "The council approved the school budget after a long debate.\n\n"
                            "Ledger Morning Briefing\n"
                            "\xC2\xA9 2024 Evening Ledger. All rights reserved.\n";

static bool set_aside_has(const struct doc *d, const char *text, enum set_aside_reason reason)
{
    for (size_t i = 0; i < d->n_set_aside; i++)
        if (d->set_aside[i].reason == reason &&
            memmem(d->original + d->set_aside[i].start, d->set_aside[i].end - d->set_aside[i].start,
                   text, strlen(text)))
            return true;
    return false;
}

static void test_scraped_page_keeps_short_lines(void **state)
{
    (void)state;
    struct template_counts *t = template_counts_new();
    struct raw_record a = {.id = "a", .raw = page_a, .raw_len = strlen(page_a)};
    struct raw_record b = {.id = "b", .raw = page_b, .raw_len = strlen(page_b)};
    assert_int_equal(ingest_count_template(ing, &a, t), 0);
    assert_int_equal(ingest_count_template(ing, &b, t), 0);
    assert_int_equal(template_counts_pages(t, "Evening Ledger"), 2);
    a.templates = t;
    struct ingest_warnings w;
    struct doc *d = ingest_record(ing, &a, &w);
    assert_non_null(d);
    assert_string_equal(d->title, "Storm Closes Ports Along the Northern Coast");
    /* Short article lines stay: byline, dateline, subheading, table rows. */
    static const char *const kept[] = {"By Ana Lima",     "BERGEN, Jan. 9 -",
                                       "Closures",        "Bergen 14 hours",
                                       "Alesund 9 hours", "ships to sail again by Friday."};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (!strstr(d->text, kept[i]))
            fail_msg("'%s' lost", kept[i]);
    /* Chrome is set aside, each with its reason. */
    assert_null(strstr(d->text, "Home |"));
    assert_null(strstr(d->text, "Briefing"));
    assert_null(strstr(d->text, "rights reserved"));
    assert_true(set_aside_has(d, "Home | World", ASIDE_NAVIGATION));
    assert_true(set_aside_has(d, "Ledger Morning Briefing", ASIDE_TEMPLATE));
    assert_true(set_aside_has(d, "All rights reserved", ASIDE_COPYRIGHT));
    assert_true(set_aside_has(d, "Storm Closes Ports", ASIDE_HEADLINE));
    assert_string_equal(d->authors[0], "Ana Lima");
    assert_string_equal(d->place, "Bergen");
    doc_free(d);
    template_counts_free(t);
}

static void test_template_counts_merge(void **state)
{
    (void)state;
    struct template_counts *x = template_counts_new(), *y = template_counts_new();
    const char *l1[] = {"Menu", "Story one."}, *l2[] = {"Menu", "Story two."};
    size_t n1[] = {4, 10}, n2[] = {4, 10};
    assert_int_equal(template_counts_add_page(x, "S", l1, n1, 2), 0);
    assert_int_equal(template_counts_add_page(y, "S", l2, n2, 2), 0);
    assert_int_equal(template_counts_merge(x, y), 0);
    assert_int_equal(template_counts_pages(x, "S"), 2);
    assert_int_equal(template_counts_line(x, "S", "Menu", 4), 2);
    assert_int_equal(template_counts_line(x, "S", "Story one.", 10), 1);
    assert_int_equal(template_counts_line(x, "T", "Menu", 4), 0); /* per source */
    template_counts_free(x);
    template_counts_free(y);
}

/* JSONL records that say "raw": true are cleaned like pages, with repetition counted per source
 * in the first pass; records that do not are kept whole even with the same lines. */
static void test_raw_jsonl_records(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-keep-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/feed.jsonl", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 3; i++)
        fprintf(f,
                "{\"id\":\"raw%d\",\"source\":\"Bay Wire\",\"raw\":true,\"text\":\"Bay Wire "
                "Weekend Edition\\n\\nStory number %d about the tide tables was filed on "
                "Friday.\\n\\nBay Wire Weekend Edition\"}\n",
                i, i);
    fprintf(f, "{\"id\":\"given\",\"source\":\"Bay Wire\",\"text\":\"Bay Wire Weekend "
               "Edition\\n\\nA given story about the harbour was filed on Friday.\"}\n");
    fclose(f);
    struct corpus c;
    char *err = NULL;
    assert_int_equal(corpus_load(ing, dir, &c, NULL, NULL, &err), 0);
    assert_int_equal(c.n_docs, 4);
    for (size_t i = 0; i < c.n_docs; i++) {
        const struct doc *d = c.docs[i];
        if (strcmp(d->id, "given") == 0) {
            assert_non_null(strstr(d->text, "Bay Wire Weekend Edition"));
            assert_int_equal(d->n_set_aside, 0);
        } else {
            assert_null(strstr(d->text, "Weekend Edition"));
            assert_non_null(strstr(d->text, "about the tide tables"));
            assert_int_equal(d->set_aside[0].reason, ASIDE_TEMPLATE);
            assert_int_equal(d->set_aside[0].repeats, 3);
        }
    }
    corpus_free(&c);
    unlink(path);
    rmdir(dir);
}

static void test_page_without_article_kept_whole(void **state)
{
    (void)state;
    const char *page = "Home\nMenu\nSearch\n";
    struct raw_record rec = {.id = "nav", .raw = page, .raw_len = strlen(page)};
    struct ingest_warnings w;
    struct doc *d = ingest_record(ing, &rec, &w);
    assert_non_null(d);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.items[0].kind, WARN_NO_ARTICLE);
    assert_string_equal(d->text, "Home\n\nMenu\n\nSearch");
    doc_free(d);
}

/* Lines in another script stay in the text but are not read by the English extractors. */
static void test_other_script_not_extracted(void **state)
{
    (void)state;
    /* "본문 바로가기 Samsung 뉴스 홈": Korean navigation holding a capitalised Latin word. */
    const char *text = "\xEB\xB3\xB8\xEB\xAC\xB8 \xEB\xB0\x94\xEB\xA1\x9C\xEA\xB0\x80"
                       "\xEA\xB8\xB0 Samsung \xEB\x89\xB4\xEC\x8A\xA4 \xED\x99\x88\n"
                       "Samsung Electronics said on Monday that profits rose.\n";
    struct ingest_warnings w;
    struct doc *d = ingest_given("k", text, NULL, 0, &w);
    const char *second = strstr(d->text, "Samsung Electronics");
    assert_non_null(second);
    for (size_t i = 0; i < d->n_mentions; i++)
        if (d->mentions[i].start < (size_t)(second - d->text))
            fail_msg("mention '%s' at %zu in the Korean line", d->mentions[i].name,
                     d->mentions[i].start);
    assert_non_null(strstr(d->text, "Samsung \xEB\x89\xB4")); /* kept */
    doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_given_text_keeps_every_line),
        cmocka_unit_test(test_given_caption_marked),
        cmocka_unit_test(test_empty_record_kept),
        cmocka_unit_test(test_dateline_month_day_year_from_file),
        cmocka_unit_test(test_dateline_year_from_text_and_agency),
        cmocka_unit_test(test_byline_authors),
        cmocka_unit_test(test_latin1_transcoded),
        cmocka_unit_test(test_nul_bytes_dropped_with_warning),
        cmocka_unit_test(test_five_megabyte_line),
        cmocka_unit_test(test_scraped_page_keeps_short_lines),
        cmocka_unit_test(test_template_counts_merge),
        cmocka_unit_test(test_raw_jsonl_records),
        cmocka_unit_test(test_page_without_article_kept_whole),
        cmocka_unit_test(test_other_script_not_extracted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
