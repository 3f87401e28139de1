/*
 * test_timex_years.c — the year decision on real wire text: 200 four-digit numbers drawn at
 * random (fixed seed) from Reuters-21578, each labelled by hand as a year or not
 * (tests/fixtures/year_numbers.tsv, see its header). The tagger reads each snippet with the
 * story's publication date; a number counts as taken for a year when a DATE or TIME expression
 * covers it and its value starts with the number ("1986", "1986-03") or, for a decade
 * ("the 1950s"), with its first three digits, or it ends a range ("1985-1987": range_end 1987).
 * Precision and recall of that decision must both reach 0.95; the misjudged numbers are printed.
 */
#include "test_util.h"

#include "ingest/timex/timex.h"

static const char *fixture_path(void)
{
    const char *d = getenv("CORPUSD_TEST_FIXTURES");
    static char path[4096];
    snprintf(path, sizeof path, "%s/year_numbers.tsv", d ? d : "tests/fixtures");
    return path;
}

/* Does the tagger read the four digits at snippet[off..off+4) as a year? */
static bool tagged_as_year(const struct timex_tagger *t, const char *snippet, size_t off,
                           const char *dct)
{
    struct timex_expr *v;
    size_t n;
    assert_int_equal(timex_tag(t, snippet, strlen(snippet), NULL, 0, dct, &v, &n), 0);
    bool year = false;
    for (size_t i = 0; i < n && !year; i++) {
        if (v[i].start > off || v[i].end < off + 4)
            continue;
        if (v[i].type != TIMEX_DATE && v[i].type != TIMEX_TIME)
            continue;
        size_t vl = strlen(v[i].value);
        year = (strncmp(v[i].value, snippet + off, vl == 3 ? 3 : 4) == 0 && vl >= 3) ||
               strncmp(v[i].range_end, snippet + off, 4) == 0;
    }
    free(v);
    return year;
}

static void test_year_numbers_precision_recall(void **state)
{
    (void)state;
    char *err = NULL;
    struct timex_tagger *t = timex_tagger_open(test_data_dir(), &err);
    assert_non_null(t);
    size_t len;
    char *buf = test_read_file(fixture_path(), &len);
    size_t tp = 0, fp = 0, fn = 0, tn = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *f[5];
        int k = 0;
        for (char *p = line; k < 5; k++) {
            f[k] = p;
            char *tab = k < 4 ? strchr(p, '\t') : NULL;
            if (k < 4 && !tab)
                break;
            if (tab) {
                *tab = '\0';
                p = tab + 1;
            }
        }
        assert_int_equal(k, 5);
        size_t off = strtoul(f[3], NULL, 10);
        assert_true(off + 4 <= strlen(f[4]));
        bool gold = f[0][0] == 'Y', sys = tagged_as_year(t, f[4], off, f[2]);
        tp += gold && sys;
        fp += !gold && sys;
        fn += gold && !sys;
        tn += !gold && !sys;
        if (gold != sys)
            fprintf(stderr, "  %s %s: %s \"…%.60s[%.4s]%.40s…\"\n",
                    gold ? "missed year" : "not a year", f[1], f[2],
                    off > 60 ? f[4] + off - 60 : f[4], f[4] + off, f[4] + off + 4);
    }
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0,
           r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    fprintf(stderr, "  year decision on %zu numbers: tp %zu fp %zu fn %zu tn %zu, P %.3f R %.3f\n",
            tp + fp + fn + tn, tp, fp, fn, tn, p, r);
    assert_int_equal(tp + fp + fn + tn, 200);
    assert_true(p >= 0.95);
    assert_true(r >= 0.95);
    free(buf);
    timex_tagger_close(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_numbers_precision_recall),
    };
    return cmocka_run_group_tests_name("timex_years", tests, NULL, NULL);
}
