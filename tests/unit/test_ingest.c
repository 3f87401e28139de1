/*
 * test_ingest.c — cleaning (boilerplate, title, paragraphs, publisher), sentence splitting and
 * UTF-8 repair: the seed pages and hand-made edge cases.
 */
#include "test_util.h"

#include "ingest/text/clean.h"
#include "ingest/pipeline.h"
#include "ingest/text/sentences.h"
#include "ingest/text/source.h"
#include "base/utf8.h"

/* ---- UTF-8 ------------------------------------------------------------------------------ */

static void test_utf8_sanitize(void **state)
{
    (void)state;
    size_t len, repairs;
    /* BOM dropped, CRLF and CR -> LF, NUL dropped, invalid byte -> U+FFFD, NBSP -> space. */
    const char raw[] = "\xEF\xBB\xBFgood\r\nline\rnext\0x\xFFy\xC2\xA0z";
    char *s = utf8_sanitize(raw, sizeof raw - 1, &len, &repairs);
    assert_string_equal(s, "good\nline\nnextx\xEF\xBF\xBDy z");
    assert_int_equal(repairs, 2);
    assert_true(utf8_valid(s, len));
    free(s);
    /* Decomposed "é" (e + U+0301) is composed to U+00E9 (NFC). */
    const char *decomposed = "Caf"
                             "e\xCC\x81 au lait";
    s = utf8_sanitize(decomposed, strlen(decomposed), &len, &repairs);
    assert_string_equal(s, "Caf\xC3\xA9 au lait");
    assert_int_equal(len, 13);
    assert_int_equal(repairs, 0);
    free(s);
    /* Overlong encodings and surrogates are invalid. */
    assert_false(utf8_valid("\xC0\xAF", 2));
    assert_false(utf8_valid("\xED\xA0\x80", 3));
    assert_true(utf8_valid("\xE2\x80\x9C", 3));
    assert_int_equal(utf8_count("a\xE2\x80\x9C"
                                "b",
                                5),
                     3);
    assert_int_equal(utf8_byte_offset("a\xE2\x80\x9C"
                                      "b",
                                      5, 2),
                     4);
}

/* ---- sentences -------------------------------------------------------------------------- */

static struct wordlist *abbreviations(void)
{
    char *err = NULL;
    struct wordlist *w = wordlist_load(test_data_dir(), "abbreviations.txt", false, &err);
    assert_non_null(w);
    return w;
}

static void assert_sentences(const char *text, const char *const *expected, size_t n)
{
    struct wordlist *abbr = abbreviations();
    struct span *spans;
    size_t count;
    assert_int_equal(sentences_split(abbr, text, strlen(text), &spans, &count), 0);
    if (count != n) {
        for (size_t i = 0; i < count; i++)
            print_message("  got [%zu] %.*s\n", i, (int)(spans[i].end - spans[i].start),
                          text + spans[i].start);
    }
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        size_t len = spans[i].end - spans[i].start;
        assert_int_equal(len, strlen(expected[i]));
        assert_memory_equal(text + spans[i].start, expected[i], len);
    }
    free(spans);
    wordlist_free(abbr);
}

static void test_sentences_abbreviations(void **state)
{
    (void)state;
    const char *text = "The deal was signed on Dec. 12 in Seoul. Mr. Kim met the U.S. House of "
                       "Representatives. Growth was 3.5 percent! Was it? J. Smith agreed.";
    const char *const expected[] = {
        "The deal was signed on Dec. 12 in Seoul.",
        "Mr. Kim met the U.S. House of Representatives.",
        "Growth was 3.5 percent!",
        "Was it?",
        "J. Smith agreed.",
    };
    assert_sentences(text, expected, 5);
}

/* A company suffix with its period ends a sentence before a capitalised word, unless another
 * suffix follows; a lowercase word continues the sentence. */
static void test_sentences_company_suffix_ends(void **state)
{
    (void)state;
    const char *text = "The bonds are rated A-1 by Northfield Ratings Corp. Blue Harbor Securities "
                       "Inc sold them. Pellworth Trading Co. Ltd. said so. Mr. Ames of Kestrel "
                       "Co. L.P. agreed. Orvane Inc. shares fell.";
    const char *const expected[] = {
        "The bonds are rated A-1 by Northfield Ratings Corp.",
        "Blue Harbor Securities Inc sold them.",
        "Pellworth Trading Co. Ltd. said so.",
        "Mr. Ames of Kestrel Co. L.P. agreed.",
        "Orvane Inc. shares fell.",
    };
    assert_sentences(text, expected, 5);
}

/* Initials written together and listed abbreviations in capitals (headlines, datelines) do not
 * end a sentence. */
static void test_sentences_initials_and_capitals(void **state)
{
    (void)state;
    const char *text = "Analyst Ruth Vale of R.J. Marden and Co said so. MILLS OF ST. ALBANS "
                       "CLOSE. The plant shut. It is rated BB by K and T. Dealers agreed.";
    const char *const expected[] = {
        "Analyst Ruth Vale of R.J. Marden and Co said so.",
        "MILLS OF ST. ALBANS CLOSE.",
        "The plant shut.",
        "It is rated BB by K and T.",
        "Dealers agreed.",
    };
    assert_sentences(text, expected, 5);
}

static void test_sentences_quotes_and_paragraphs(void **state)
{
    (void)state;
    const char *text = "He said, \xE2\x80\x9CIt is over.\xE2\x80\x9D Then he left\n\nA new "
                       "paragraph starts. (It ends here.) The U.S. is next.";
    const char *const expected[] = {
        "He said, \xE2\x80\x9CIt is over.\xE2\x80\x9D",
        "Then he left",
        "A new paragraph starts.",
        "(It ends here.)",
        "The U.S. is next.",
    };
    assert_sentences(text, expected, 5);
}

static void test_sentences_lowercase_continuation(void **state)
{
    (void)state;
    const char *text = "Prices rose, e.g. for rice. Exports fell etc. and imports rose.";
    const char *const expected[] = {"Prices rose, e.g. for rice.",
                                    "Exports fell etc. and imports rose."};
    assert_sentences(text, expected, 2);
}

/* ---- cleaning --------------------------------------------------------------------------- */

static struct clean_rules *rules(void)
{
    char *err = NULL;
    struct clean_rules *r = clean_rules_open(test_data_dir(), &err);
    if (!r)
        fail_msg("%s", err);
    return r;
}

static void clean_text(const char *page, struct clean_result *res)
{
    struct clean_rules *r = rules();
    assert_int_equal(clean_page(r, page, strlen(page), true, res), 0);
    clean_rules_close(r);
}

static void test_clean_web_page(void **state)
{
    (void)state;
    const char *page =
        "Skip to content\nMenu\n\nWorld Leaders Agree on a New Climate Finance Plan\n"
        "Published: Mar 3, 2021 10:00 AM\n\nPhoto: Jane Roe/Agency\n\n"
        "Leaders from forty countries agreed on Monday to a new plan for climate finance.\n\n"
        "Sign up for our daily newsletter and get the news first.\n\n"
        "The plan doubles the money for adaptation by 2025, officials said.\n\n"
        "Why markets fell sharply last week\n\n"
        "Critics said the plan did not go far enough to help the poorest nations.\n\n"
        "\xC2\xA9 2021 The Daily Planet. All rights reserved.\n\nRelated Stories\n"
        "Storm hits the coast as thousands flee\nMarkets rally on rate hopes\n";
    struct clean_result res;
    clean_text(page, &res);
    assert_string_equal(res.title, "World Leaders Agree on a New Climate Finance Plan");
    assert_string_equal(res.published_raw, "Mar 3, 2021 10:00 AM");
    assert_string_equal(res.source, "Daily Planet");
    assert_int_equal(res.copyright_year, 2021);
    assert_int_equal(res.n_paragraphs, 3);
    assert_string_equal(res.text,
                        "Leaders from forty countries agreed on Monday to a new plan for climate "
                        "finance.\n\nThe plan doubles the money for adaptation by 2025, officials "
                        "said.\n\nCritics said the plan did not go far enough to help the poorest "
                        "nations.");
    assert_int_equal(res.paragraphs[1].start, res.paragraphs[0].end + 2);
    assert_int_equal(res.paragraphs[0].end, 80);
    clean_result_free(&res);
}

static void test_clean_hard_wrapped_wire(void **state)
{
    (void)state;
    const char *wire = "Showers continued throughout the week in\n"
                       "the cocoa zone, alleviating the drought since early\n"
                       "January, the company said in its weekly review.\n"
                       "    The dry period means the crop will be late this year\n"
                       "and prices may rise further, traders said on Monday.\n";
    struct clean_rules *r = rules();
    struct clean_result res;
    assert_int_equal(clean_page(r, wire, strlen(wire), false, &res), 0);
    assert_null(res.title);
    assert_int_equal(res.n_paragraphs, 2);
    assert_string_equal(res.text,
                        "Showers continued throughout the week in the cocoa zone, alleviating the "
                        "drought since early January, the company said in its weekly review.\n\n"
                        "The dry period means the crop will be late this year and prices may rise "
                        "further, traders said on Monday.");
    clean_result_free(&res);
    clean_rules_close(r);
}

static void test_clean_nothing_left(void **state)
{
    (void)state;
    struct clean_result res;
    clean_text("Home\nMenu\nSearch\n\nClose\n", &res);
    assert_int_equal(res.text_len, 0);
    assert_int_equal(res.n_paragraphs, 0);
    clean_result_free(&res);
    clean_text("", &res);
    assert_int_equal(res.text_len, 0);
    clean_result_free(&res);
}

static void test_source_patterns(void **state)
{
    (void)state;
    char *err = NULL;
    struct wordlist *p = wordlist_load(test_data_dir(), "source_patterns.txt", false, &err);
    assert_non_null(p);
    const char *const cases[][2] = {
        {"\xC2\xA9 The Asia Business Daily(www.asiae.co.kr). All rights reserved.",
         "Asia Business Daily"},
        {"The author is a reporter with the Global Times. someone@example.com", "Global Times"},
        {"More from South China Morning Post:", "South China Morning Post"},
        {"Copyright 2019 Reuters Ltd.", "Reuters Ltd"},
        {"Copyright 2023.", NULL},
        {"He said the copyright law was weak.", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = source_match_line(p, cases[i][0], strlen(cases[i][0]), NULL);
        if (cases[i][1])
            assert_string_equal(s, cases[i][1]);
        else
            assert_null(s);
        free(s);
    }
    assert_int_equal(source_copyright_year("For more. Copyright 2023.", 25), 2023);
    assert_int_equal(source_copyright_year("In 2023 it grew.", 16), 0);
    wordlist_free(p);
}

/* ---- the seed pages through the whole pipeline ------------------------------------------- */

struct seed_expectation {
    const char *file;
    const char *title_prefix;
    const char *source; /* NULL: the page names none */
    size_t min_paragraphs;
};

static void test_seed_pages(void **state)
{
    (void)state;
    static const struct seed_expectation seeds[] = {
        {"000_158f2d61013df6fa.txt", "Chinese Expert: \"China Will Choose", "Asia Business Daily",
         25},
        {"001_10279bbec851fb53.txt", "China Expresses Willingness to Cooperate",
         "Asia Business Daily", 10},
        {"002_25efbdb467520aec.txt", "China, South Korea boast new economic exchanges",
         "South China Morning Post", 15},
        {"003_3ba0d2caf4d53d76.txt", "HONG KONG", NULL, 15},
        {"004_d7a86e59e83000be.txt", "Despite protectionism, room remains", "Global Times", 9},
    };
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    assert_non_null(ing);
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", test_corpus_dir(), seeds[i].file);
        size_t len;
        char *raw = test_read_file(path, &len);
        struct raw_record rec = {.id = seeds[i].file, .path = path, .raw = raw, .raw_len = len};
        char *warning = NULL;
        struct doc *d = ingest_document(ing, &rec, &warning);
        assert_non_null(d);
        assert_null(warning);
        assert_non_null(d->title);
        assert_memory_equal(d->title, seeds[i].title_prefix, strlen(seeds[i].title_prefix));
        if (seeds[i].source)
            assert_string_equal(d->source, seeds[i].source);
        else
            assert_null(d->source);
        assert_true(d->n_paragraphs >= seeds[i].min_paragraphs);
        assert_true(d->n_sentences > d->n_paragraphs);
        assert_null(strstr(d->text, "Text Size"));
        assert_null(strstr(d->text, "All rights reserved"));
        assert_null(strstr(d->text, "Illustration:"));
        assert_null(strstr(d->text, "Next In"));
        doc_free(d);
        free(raw);
    }
    ingest_close(ing);
}

static void test_stated_publication_date(void **state)
{
    (void)state;
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    char path[1024];
    snprintf(path, sizeof path, "%s/004_d7a86e59e83000be.txt", test_corpus_dir());
    size_t len;
    char *raw = test_read_file(path, &len);
    struct raw_record rec = {.id = "004", .path = path, .raw = raw, .raw_len = len};
    char *warning = NULL;
    struct doc *d = ingest_document(ing, &rec, &warning);
    assert_non_null(d);
    assert_string_equal(d->published, "2024-11-28");
    assert_int_equal(d->published_precision, PRECISION_DAY);
    assert_false(d->published_inferred);
    doc_free(d);
    free(raw);
    ingest_close(ing);
}

/* Pages without a stated date: the copyright notice (002) and the dated photo caption above the
 * article plus "this month" in it (003) decide; pages with no year anywhere stay undated. */
static void test_inferred_publication_dates(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"002_25efbdb467520aec.txt", "2023", "year"},
        {"003_3ba0d2caf4d53d76.txt", "2025-12", "month"},
        {"000_158f2d61013df6fa.txt", "", NULL},
    };
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    assert_non_null(ing);
    for (size_t i = 0; i < 3; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", test_corpus_dir(), cases[i][0]);
        size_t len;
        char *raw = test_read_file(path, &len);
        struct raw_record rec = {.id = cases[i][0], .path = path, .raw = raw, .raw_len = len};
        char *warning = NULL;
        struct doc *d = ingest_document(ing, &rec, &warning);
        assert_non_null(d);
        assert_string_equal(d->published, cases[i][1]);
        assert_int_equal(d->published_inferred, cases[i][2] != NULL); /* unknown is not inferred */
        if (cases[i][2])
            assert_string_equal(date_precision_name(d->published_precision), cases[i][2]);
        else
            assert_null(date_precision_name(d->published_precision));
        doc_free(d);
        free(raw);
    }
    ingest_close(ing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_sanitize),
        cmocka_unit_test(test_sentences_abbreviations),
        cmocka_unit_test(test_sentences_company_suffix_ends),
        cmocka_unit_test(test_sentences_initials_and_capitals),
        cmocka_unit_test(test_sentences_quotes_and_paragraphs),
        cmocka_unit_test(test_sentences_lowercase_continuation),
        cmocka_unit_test(test_clean_web_page),
        cmocka_unit_test(test_clean_hard_wrapped_wire),
        cmocka_unit_test(test_clean_nothing_left),
        cmocka_unit_test(test_source_patterns),
        cmocka_unit_test(test_seed_pages),
        cmocka_unit_test(test_stated_publication_date),
        cmocka_unit_test(test_inferred_publication_dates),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
