/*
 * test_ner_model.c — the entity tagger's weights file (a bad, truncated or other-version file is
 * refused with a reason; without the file the rules alone still find names) and the type
 * confidence every mention carries. Needs CORPUSD_DATA_DIR (ingest/data) and Debian's iso-codes.
 */
#include "test_ner_util.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tagger_weights_errors),
        cmocka_unit_test(test_tagger_rows_in_bucket_order),
        cmocka_unit_test(test_rules_without_weights),
        cmocka_unit_test(test_type_confidence),
    };
    return cmocka_run_group_tests_name("ner_model", tests, setup, teardown);
}
