/*
 * test_ner_model.c — the entity tagger's weights file (a bad, truncated or other-version file is
 * refused with a reason; without the file the rules alone still find names), the type
 * confidence every mention carries, the sums of frequent words changing no score, and the
 * tokens of plain prose passed over without changing a name, the gazetteer's phrase beginnings.
 * Needs
 * CORPUSD_DATA_DIR (ingest/data) and Debian's iso-codes.
 */
#include "test_ner_util.h"
#include "ingest/ner/ner_tagger.h"

/* ---- the tagger's weights file ---- */

/* A scratch data directory: links to every file of the real one except the tagger's weights;
 * weights (when not NULL, len bytes) are written in their place. */
static void scratch_data(char *dir, const void *weights, size_t len)
{
    char cmd[1024], *real = realpath(data_dir(), NULL); /* links must not be relative */
    assert_non_null(real);
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "for f in %s/*; do ln -s \"$f\" %s/; done; rm -f %s/ner_model.bin",
             real, dir, dir);
    free(real);
    assert_int_equal(system(cmd), 0);
    if (!weights)
        return;
    snprintf(cmd, sizeof cmd, "%s/ner_model.bin", dir);
    FILE *f = fopen(cmd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(weights, 1, len, f), len);
    fclose(f);
}

static void remove_dir(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void expect_open_error(const void *weights, size_t len, const char *why)
{
    char dir[] = "/tmp/corpusd-ner-XXXXXX", *err = NULL;
    scratch_data(dir, weights, len);
    struct ner_model *m = ner_open(dir, &err);
    assert_null(m);
    assert_non_null(err);
    if (!strstr(err, why))
        fail_msg("error \"%s\" does not say \"%s\"", err, why);
    free(err);
    remove_dir(dir);
}

static void test_tagger_weights_errors(void **state)
{
    (void)state;
    expect_open_error("not weights at all", 18, "bad magic");
    /* a valid header whose stage is cut short */
    unsigned char head[8 + 16 + 8] = "CNERTAG2";
    const uint32_t hdr[4] = {17, 18, 2, 0};
    memcpy(head + 8, hdr, sizeof hdr);
    expect_open_error(head, sizeof head, "truncated");
    /* another label set: a weights file of another format version */
    const uint32_t other[4] = {9, 18, 2, 0};
    memcpy(head + 8, other, sizeof other);
    expect_open_error(head, sizeof head, "format version");
}

/* A weights file of 2^8 buckets per stage whose two rows sit in buckets 3 and 5, numbered
 * row_of_3 and row_of_5 in the index (the trainer numbers them in bucket order: 1, 2). */
static size_t small_weights(unsigned char *buf, uint32_t row_of_3, uint32_t row_of_5)
{
    const uint32_t hdr[4] = {17, 8, 2, 0};
    size_t off = 8;
    memcpy(buf, "CNERTAG2", 8);
    memcpy(buf + off, hdr, sizeof hdr);
    off += sizeof hdr;
    for (int stage = 0; stage < 2; stage++) {
        uint32_t rows = 2, index[256] = {0};
        float scale = 0.5f;
        index[3] = row_of_3;
        index[5] = row_of_5;
        memcpy(buf + off, &rows, 4);
        memcpy(buf + off + 4, &scale, 4);
        memcpy(buf + off + 8, index, sizeof index);
        off += 8 + sizeof index;
        memset(buf + off, 0, 2 * 17 * sizeof(int16_t));
        off += 2 * 17 * sizeof(int16_t);
    }
    return off;
}

static void test_tagger_rows_in_bucket_order(void **state)
{
    (void)state;
    unsigned char buf[2 * (8 + 1024 + 68) + 24];
    char dir[] = "/tmp/corpusd-ner-XXXXXX", *err = NULL;
    scratch_data(dir, buf, small_weights(buf, 1, 2));
    struct ner_model *m = ner_open(dir, &err);
    assert_non_null(m);
    assert_null(err);
    ner_close(m);
    remove_dir(dir);
    /* rows numbered against bucket order, or a row counted twice, are refused */
    expect_open_error(buf, small_weights(buf, 2, 1), "index out of order");
    expect_open_error(buf, small_weights(buf, 1, 1), "index out of order");
}

/* Without weights the rules alone decide, and still find names. */
static void test_rules_without_weights(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-ner-XXXXXX", *err = NULL;
    scratch_data(dir, NULL, 0);
    struct ner_model *m = ner_open(dir, &err);
    assert_non_null(m);
    const char *text = "Dr. Ana Silva flew to Lisbon on Monday.";
    struct mention *ms = NULL;
    size_t n = 0;
    assert_int_equal(ner_extract(m, text, strlen(text), NULL, 0, &ms, &n), 0);
    bool person = false, place = false;
    for (size_t i = 0; i < n; i++) {
        person |= ms[i].type == ENTITY_PERSON && strcmp(ms[i].name, "Ana Silva") == 0;
        place |= ms[i].type == ENTITY_LOC && strncmp(text + ms[i].start, "Lisbon", 6) == 0;
        free(ms[i].name);
        free(ms[i].role);
    }
    free(ms);
    assert_true(person && place);
    ner_close(m);
    remove_dir(dir);
}

/* Every mention says how sure its type is, in (0, 1]; a name with an explicit cue is surer than
 * an unknown word the tagger barely took for a name. */
static void test_type_confidence(void **state)
{
    (void)state;
    struct result r;
    run(&r, "Prime Minister Tomas Varga of Norland met executives of Kestrel Mining Corp in "
            "Oslo on Tuesday.");
    for (size_t i = 0; i < r.n; i++) {
        assert_true(r.m[i].confidence > 0.0f);
        assert_true(r.m[i].confidence <= 1.0f);
    }
    const struct mention *p = find(&r, "Tomas Varga");
    assert_non_null(p);
    assert_true(p->confidence >= 0.5f);
    done(&r);
}

/* ---- the sums of frequent words ---- */

/* Both stages over the text, with the stage weights as loaded or with their sums left out, with
 * or without the quiet tokens passed over: labels into y, stage 2 margins into margin (n
 * tokens). */
static size_t tag_both(const char *text, bool sums, bool quiet, uint8_t *y, float *margin,
                       size_t cap)
{
    const struct ner_tagger *t = model->tagger;
    struct ner_weights w[NER_NSTAGES] = {t->stage[0], t->stage[1]};
    for (int s = 0; s < NER_NSTAGES && !sums; s++)
        w[s].sums = NULL;
    struct ner_doc d = {.m = model, .text = text, .len = strlen(text)};
    assert_int_equal(ner_tokenize(model, text, d.len, NULL, 0, &d.t, &d.n), 0);
    assert_true(d.n <= cap);
    struct ner_tctx c;
    assert_int_equal(ner_tctx_init(&c, &d), 0);
    if (quiet)
        ner_tag_quiet(&c);
    ner_tag_stage(&c, &w[0], 0, NULL);
    ner_tctx_nonlocal(&c);
    ner_tag_stage(&c, &w[1], 1, margin);
    memcpy(y, c.y, d.n);
    ner_tctx_free(&c);
    free(d.t);
    return d.n;
}

/* A frequent word's summed rows stand for its own rows: every label and every margin is the
 * same with the sums as without them, the second time (the sums filled) as the first. */
static void test_sums_change_no_score(void **state)
{
    (void)state;
    assert_non_null(model->tagger);
    assert_non_null(model->tagger->stage[0].sums); /* the clusters give word counts */
    const char *texts[] = {
        "The company said on Tuesday that its chairman, Tomas Varga, would resign after the "
        "board of Kestrel Mining Corp met in Oslo.",
        "SHARES OF NORLAND BANK FELL IN LONDON. The bank said it expected a loss in the first "
        "quarter, and the Finance Ministry of Norland said it would not comment.",
        "He said the U.S. Department of Justice and the Federal Reserve would meet next week."};
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            uint8_t y0[256], y1[256];
            float m0[256], m1[256];
            size_t n = tag_both(texts[k], false, false, y0, m0, 256);
            assert_int_equal(tag_both(texts[k], true, false, y1, m1, 256), n);
            assert_true(n > 10);
            assert_memory_equal(y0, y1, n);
            assert_memory_equal(m0, m1, n * sizeof *m0);
        }
}

/* ---- the tokens of plain prose ---- */

/* The quiet flags of the text's tokens as a string of '0'/'1' (NULL: no flags at all). */
static char *quiet_flags(const char *text)
{
    struct ner_doc d = {.m = model, .text = text, .len = strlen(text)};
    assert_int_equal(ner_tokenize(model, text, d.len, NULL, 0, &d.t, &d.n), 0);
    struct ner_tctx c;
    assert_int_equal(ner_tctx_init(&c, &d), 0);
    ner_tag_quiet(&c);
    char *flags = NULL;
    if (c.quiet) {
        flags = calloc(d.n + 1, 1);
        assert_non_null(flags);
        for (size_t i = 0; i < d.n; i++)
            flags[i] = c.quiet[i] ? '1' : '0';
    }
    ner_tctx_free(&c);
    free(d.t);
    return flags;
}

/* A token is quiet with two plain tokens (dictionary words in lower case, numbers, punctuation)
 * on each side; a capitalised word, a lower-case word no dictionary has ("venezuela" in a
 * lower-case passage) or a name particle keeps the tokens around it scored; a document in lower
 * case throughout has no quiet token. */
static void test_quiet_tokens(void **state)
{
    (void)state;
    /* the rise in prices was slower than expected , said Tomas Varga of Kestrel Mining . */
    char *f = quiet_flags("the rise in prices was slower than expected, said Tomas Varga of "
                          "Kestrel Mining.");
    assert_non_null(f);
    assert_string_equal(f, "1111111100000000");
    free(f);
    /* The talks in venezuela ended on Monday , officials said 1 , 250 times . */
    f = quiet_flags("The talks in venezuela ended on Monday, officials said 1,250 times.");
    assert_non_null(f);
    assert_string_equal(f, "000000000111111");
    free(f);
    /* a particle ("van", a dictionary word too) may open a name: "shot" is scored */
    f = quiet_flags("Then the goal came from the left when a shot by van den Berg went wide.");
    assert_non_null(f);
    assert_int_equal(f[8], '1'); /* "a" */
    assert_int_equal(f[9], '0'); /* "shot" */
    free(f);
    assert_null(quiet_flags("the talks in venezuela ended on monday, officials said."));
}

/* In prose with names, passing over the quiet tokens changes no label: every name is found as
 * when every token is scored. */
static void test_quiet_changes_no_name(void **state)
{
    (void)state;
    const char *texts[] = {
        "The company said on Tuesday that its chairman, Tomas Varga, would resign after the "
        "board of Kestrel Mining Corp met in Oslo.",
        "Shares of the bank fell sharply in early trading after it said the loan would be "
        "repaid by the end of the year, according to Ingrid Solberg of Norland Securities.",
        "He said the U.S. Department of Justice and the Federal Reserve would meet next week "
        "to discuss how the rules were to be applied in practice."};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        uint8_t y0[256], y1[256];
        float m0[256], m1[256];
        size_t n = tag_both(texts[k], true, false, y0, m0, 256);
        assert_int_equal(tag_both(texts[k], true, true, y1, m1, 256), n);
        char *f = quiet_flags(texts[k]);
        assert_non_null(f);
        assert_non_null(strchr(f, '1')); /* the text has quiet tokens */
        free(f);
        assert_memory_equal(y0, y1, n);
    }
}

/* ---- gazetteer phrases by their beginnings ---- */

/* A span whose text begins no longer phrase ends the search for phrases from its first token:
 * "United" begins "United States", "United States" is one, "United States and" begins none;
 * and over a text of phrases every span said to begin none is indeed followed by none. */
static void test_gazetteer_phrase_starts(void **state)
{
    (void)state;
    const char *text = "The United States, the United Kingdom and the United Arab Emirates met in "
                       "New York and Sao Paulo with BOSNIA AND HERZEGOVINA's envoy, Guinea-Bissau "
                       "and the People's Republic of China on Tuesday.";
    struct ner_doc d = {.m = model, .text = text, .len = strlen(text)};
    assert_int_equal(ner_tokenize(model, text, d.len, NULL, 0, &d.t, &d.n), 0);
    size_t united = 1; /* The United States , */
    assert_true(ner_word_eq(&d, united, "United"));
    bool longer;
    (void)ner_gaz_span_longer(&d, united, united + 1, &longer);
    assert_true(longer);
    assert_true(ner_gaz_span_longer(&d, united, united + 2, &longer) >= 0);
    assert_true(ner_gaz_span_longer(&d, united, united + 4, &longer) < 0); /* ... States , the */
    assert_false(longer);
    size_t phrases = 0;
    for (size_t a = 0; a < d.n; a++)
        for (size_t b = a + 1; b <= d.n && b - a <= NER_GAZ_MAX_TOKENS; b++) {
            phrases += ner_gaz_span_longer(&d, a, b, &longer) >= 0;
            for (size_t c = b + 1; !longer && c <= d.n && c - a <= 2 * NER_GAZ_MAX_TOKENS; c++)
                if (ner_gaz_span(&d, a, c) >= 0)
                    fail_msg("[%zu, %zu) begins no phrase, but [%zu, %zu) is one", a, b, a, c);
        }
    assert_true(phrases >= 8);
    free(d.t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tagger_weights_errors),
        cmocka_unit_test(test_tagger_rows_in_bucket_order),
        cmocka_unit_test(test_rules_without_weights),
        cmocka_unit_test(test_type_confidence),
        cmocka_unit_test(test_sums_change_no_score),
        cmocka_unit_test(test_quiet_tokens),
        cmocka_unit_test(test_quiet_changes_no_name),
        cmocka_unit_test(test_gazetteer_phrase_starts),
    };
    return cmocka_run_group_tests_name("ner_model", tests, setup, teardown);
}
