/*
 * test_timex_news.c — the temporal tagger on the shapes of wire copy: four-digit numbers that
 * are years only with evidence, clock times with a zone, the direction a sentence points in
 * (future cues put a bare month or weekday ahead of the publication date), decades and
 * modifiers. Every sentence is written for this test.
 */
#include "test_timex_util.h"

/* A wire story of Wednesday 10 June 1992. */
#define WIRE "1992-06-10"

static void expect_wire(const char *text, const char *expr, enum timex_type type, const char *value)
{
    expect_at(text, WIRE, expr, type, value);
}

static void expect_wire_none(const char *text, const char *word)
{
    struct timex_expr *v;
    size_t n;
    assert_int_equal(timex_tag(tagger, text, strlen(text), NULL, 0, WIRE, &v, &n), 0);
    const char *at = strstr(text, word);
    assert_non_null(at);
    size_t start = (size_t)(at - text), end = start + strlen(word);
    for (size_t i = 0; i < n; i++) {
        bool overlap = v[i].start < end && start < v[i].end && v[i].type == TIMEX_DATE;
        if (overlap)
            fprintf(stderr, "  unexpected [%.*s]=%s in \"%s\"\n", (int)(v[i].end - v[i].start),
                    text + v[i].start, v[i].value, text);
        assert_false(overlap);
    }
    free(v);
}

/* Numbers that are no years: figures, codes, addresses, clock times. */
static void test_numbers_not_years(void **state)
{
    (void)state;
    expect_wire_none("The composite index ended at 2311 versus 2296 on the previous day.", "2311");
    expect_wire_none("The composite index ended at 2311 versus 2296 on the previous day.", "2296");
    expect_wire_none("The mission office is at 1725 Harbor Avenue in the old town.", "1725");
    expect_wire_none("Growers have filed about 1450 claims against the maker.", "1450");
    expect_wire_none("The plant will ship its Series 1990 turbines to Chile.", "1990");
    expect_wire_none("Hauliers moved 1991 tonnes of scrap through the port.", "1991");
    expect_wire_none("The gauge read 1989.5 at the close.", "1989");
    expect_wire_none("Turnout was 1,992 voters in the ward.", "992");
    expect_wire_none("Dockers voted 1840 to 12 to end the strike.", "1840");
}

/* Numbers that are years: date evidence, near the publication date, ranges. */
static void test_numbers_years(void **state)
{
    (void)state;
    expect_wire("The bank was founded in 1858 by two merchants.", "1858", TIMEX_DATE, "1858");
    expect_wire("Its notes are due 2019 and carry a fixed coupon.", "2019", TIMEX_DATE, "2019");
    expect_wire("Profits in 1991 beat forecasts.", "1991", TIMEX_DATE, "1991");
    expect_wire("The 1990 census counted more farms.", "1990", TIMEX_DATE, "1990");
    expect_wire("Exports for the 1991/92 season fell.", "1991", TIMEX_DATE, "1991");
    expect_wire("Growth for 1992-95 is put at three pct.", "1992", TIMEX_DATE, "1992");
    expect_wire("Net income 1991 vs 1990 was flat.", "1990", TIMEX_DATE, "1990");
    expect_wire("Prices peaked in mid-1988 and then slid.", "mid-1988", TIMEX_DATE, "1988");
    expect_wire("Demand grew in the late 1970's, he said.", "the late 1970's", TIMEX_DATE, "197");
    expect_wire("He compared 1991's total with the record.", "1991's", TIMEX_DATE, "1991");
}

/* "1600 GMT": a clock time on the publication day, not a year. */
static void test_clock_times(void **state)
{
    (void)state;
    expect_wire("Ministers meet at 1930 GMT in Brussels.", "1930 GMT", TIMEX_TIME,
                "1992-06-10T19:30");
    expect_wire("Trading resumes at 0900 local time.", "0900 local time", TIMEX_TIME,
                "1992-06-10T09:00");
    expect_wire("The launch slipped to 1815 EDT.", "1815 EDT", TIMEX_TIME, "1992-06-10T18:15");
    expect_wire_none("The window closes at 2000 or 2100 EST tonight.", "2000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_not_years),
        cmocka_unit_test(test_numbers_years),
        cmocka_unit_test(test_clock_times),
    };
    return cmocka_run_group_tests_name("timex_news", tests, setup, teardown);
}
