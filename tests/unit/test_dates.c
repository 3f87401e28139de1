/*
 * test_dates.c — publication months for undated pages from the corpus
 * (ingest/resolve/dates.c): an event the page mentions that another document dates gives the
 * page its month, with the evidence; names every document shares date nothing. The articles
 * are written for this test.
 */
#include "test_util.h"

#include "ingest/pipeline.h"

static struct ingest *ing;

static int setup(void **state)
{
    (void)state;
    char *err = NULL;
    ing = ingest_open(test_data_dir(), &err);
    free(err);
    return ing ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ingest_close(ing);
    return 0;
}

static struct doc *load(const char *id, const char *published, const char *text)
{
    struct raw_record rec = {.id = id,
                             .path = id,
                             .raw = text,
                             .raw_len = strlen(text),
                             .title = id,
                             .published = published};
    char *warning = NULL;
    struct doc *d = ingest_document(ing, &rec, &warning);
    free(warning);
    assert_non_null(d);
    return d;
}

/* The value of the first expression whose text is `expr`, or NULL. */
static const char *value_of(const struct doc *d, const char *expr)
{
    for (size_t i = 0; i < d->n_timexes; i++)
        if (d->timexes[i].end - d->timexes[i].start == strlen(expr) &&
            memcmp(d->text + d->timexes[i].start, expr, strlen(expr)) == 0)
            return d->timexes[i].value;
    return NULL;
}

static void test_undated_page_gets_month(void **state)
{
    (void)state;
    struct doc *docs[4];
    docs[0] = load("dated-summit", "2031-04-02",
                   "The Nordic Council will meet in Reykjavik on April 20 to settle "
                   "the fishing quotas, officials said on Wednesday.\n\nThe talks follow a "
                   "breakdown in March.");
    docs[1] = load("dated-other", "2031-01-15",
                   "China and Brazil signed a soybean accord in Beijing on Jan. 12, the ministry "
                   "said.");
    docs[2] = load("undated-summit", NULL,
                   "The Nordic Council gathers in Reykjavik on the 20th for the quota talks. "
                   "Fishermen expect a deal, their union said.");
    docs[3] = load("undated-common", NULL,
                   "China and Brazil are expected to keep trading soybeans on the 12th, traders "
                   "said.");
    assert_string_equal(docs[2]->published, "");
    ingest_finish_corpus(ing, docs, 4);

    /* the summit page: dated by the event the other document dates */
    assert_string_equal(docs[2]->published, "2031-04");
    assert_int_equal(docs[2]->published_precision, PRECISION_MONTH);
    assert_true(docs[2]->published_inferred);
    assert_non_null(docs[2]->published_evidence);
    assert_string_equal(docs[2]->published_evidence->document_id, "dated-summit");
    assert_string_equal(docs[2]->published_evidence->date, "2031-04-20");
    assert_non_null(strstr(docs[2]->published_evidence->phrase, "Reykjavik on the 20th"));
    assert_non_null(strstr(docs[2]->published_evidence->source_text, "April 20"));
    /* and its relative dates are resolved against the new month */
    assert_non_null(value_of(docs[2], "the 20th"));
    assert_string_equal(value_of(docs[2], "the 20th"), "2031-04-20");

    /* "China" and "Brazil" are in half the corpus: no evidence of one event */
    assert_string_equal(docs[3]->published, "");
    assert_null(docs[3]->published_evidence);
    /* dated documents are left as they were */
    assert_string_equal(docs[0]->published, "2031-04-02");
    assert_null(docs[0]->published_evidence);
    for (int i = 0; i < 4; i++)
        doc_free(docs[i]);
}

/* Does a two-document corpus (a dated summit story and `undated`) date the undated page? */
static bool dates_undated(const char *undated)
{
    struct doc *docs[2];
    docs[0] = load("dated", "2031-04-02",
                   "The Nordic Council will meet in Reykjavik on April 20 to settle the fishing "
                   "quotas, officials said.");
    docs[1] = load("undated", NULL, undated);
    ingest_finish_corpus(ing, docs, 2);
    bool dated = docs[1]->published[0] != '\0';
    assert_true(dated == (docs[1]->published_evidence != NULL));
    doc_free(docs[0]);
    doc_free(docs[1]);
    return dated;
}

/* The other date must agree with what the page states, and only an expression the missing
 * date left open ties the page to an event. */
static void test_evidence_must_agree(void **state)
{
    (void)state;
    assert_true(dates_undated("The Nordic Council meets in Reykjavik on the 20th."));
    assert_true(dates_undated("The Nordic Council meets in Reykjavik later this month."));
    assert_false(dates_undated("The Nordic Council meets in Reykjavik on the 3rd."));
    assert_false(dates_undated("The Nordic Council met in Reykjavik recently."));
    assert_false(dates_undated("The Nordic Council meets in Reykjavik in June."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_undated_page_gets_month),
        cmocka_unit_test(test_evidence_must_agree),
    };
    return cmocka_run_group_tests_name("dates", tests, setup, teardown);
}
