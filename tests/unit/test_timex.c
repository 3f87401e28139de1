/*
 * test_timex.c — the temporal tagger: every expression family with its expected TIMEX3 value
 * for a fixed publication date, the edge cases (year roll-over, "the 1st" vs "1st quarter",
 * "May" the month vs "may" the verb, "March" vs "a march"), stated and inferred publication
 * dates, calendar dates of values, and hostile input.
 */
#include "test_util.h"

#include <pthread.h>
#include <time.h>

#include "test_timex_util.h"

/* ---- absolute dates -------------------------------------------------------------------- */

static void test_absolute_dates(void **state)
{
    (void)state;
    expect("The deal was signed on Nov 28, 2024 in Seoul.", "Nov 28, 2024", "2024-11-28");
    expect("It was signed on November 28, 2024.", "November 28, 2024", "2024-11-28");
    expect("It was signed on 28 November 2024.", "28 November 2024", "2024-11-28");
    expect("The 2 nations signed the FTA in December 2015.", "December 2015", "2015-12");
    expect("Seoul deployed the system in 2017.", "2017", "2017");
    expect("Shares fell 5% in 2018, analysts said.", "2018", "2018");
    expect("The filing is dated 2024-11-20.", "2024-11-20", "2024-11-20");
    expect("Sales rose in fiscal 1989.", "fiscal 1989", "1989");
    expect("He was born on Monday, Oct. 26, 1987.", "Monday, Oct. 26, 1987", "1987-10-26");
}

/* "Oct. 31", "Dec. 12": the year comes from the publication date. */
static void test_dates_without_year(void **state)
{
    (void)state;
    expect("They met in Gyeongju on Oct. 31.", "Oct. 31", "2024-10-31");
    expect("The thaw follows a Dec. 12 agreement.", "Dec. 12", "2024-12-12");
    expect("Talks are due to resume on Jan. 14.", "Jan. 14", "2025-01-14");
    expect("The visit ended in late October.", "late October", "2024-10");
    expect("The row has simmered since early November.", "early November", "2024-11");
    expect("Prices peaked in mid-September.", "mid-September", "2024-09");
}

/* "Dec. 12" in a January article is the previous December; "Jan. 3" in a December article
 * the next January. */
static void test_year_rollover(void **state)
{
    (void)state;
    expect_at("The thaw follows a Dec. 12 agreement.", "2025-01-10", "Dec. 12", TIMEX_DATE,
              "2024-12-12");
    expect_at("The talks were held on Dec. 30.", "2025-01-02", "Dec. 30", TIMEX_DATE, "2024-12-30");
    expect_at("The talks will resume on Jan. 3.", "2024-12-20", "Jan. 3", TIMEX_DATE, "2025-01-03");
    expect_at("Exports fell in December, the ministry said.", "2025-01-06", "December", TIMEX_DATE,
              "2024-12");
}

/* A day of the month alone: this month, or the previous one when it lies ahead. */
static void test_day_of_month(void **state)
{
    (void)state;
    expect("Trump said on the 1st that he would meet Xi.", "the 1st", "2024-11-01");
    expect("On the 26th (local time), the ministry released a statement.", "the 26th",
           "2024-11-26");
    expect("He stated on the 23rd, \"we must act.\"", "the 23rd", "2024-11-23");
    expect_at("The ministry said on the 30th that talks failed.", "2024-12-02", "the 30th",
              TIMEX_DATE, "2024-11-30");
}

/* "the 1st" is a day, "1st quarter" / "the first quarter" a quarter, "the 2nd Expo" nothing. */
static void test_ordinal_day_vs_quarter(void **state)
{
    (void)state;
    expect("Profit rose in the 1st quarter.", "the 1st quarter", "2024-Q1");
    expect("Profit rose in the first quarter of 2023.", "the first quarter of 2023", "2023-Q1");
    expect("Third-quarter profit rose 5%.", "Third-quarter", "2024-Q3");
    expect("Revenue in Q2 2025 is expected to rise.", "Q2 2025", "2025-Q2");
    expect("The company expects growth in the second half of next year.",
           "the second half of next year", "2025-H2");
    expect_none("It was held during the 2nd China International Supply Chain Expo.", "2nd");
}

/* "May" the month vs "may" the verb; "March" the month vs a march. */
static void test_month_ambiguity(void **state)
{
    (void)state;
    expect_none("Prices may rise further next spring, he warned.", "may");
    expect_none("May I ask a question?", "May");
    expect("The law took effect in May.", "May", "2024-05");
    expect("The law took effect on May 5, 2023.", "May 5, 2023", "2023-05-05");
    expect_none("Thousands joined a march through Seoul.", "march");
    expect_none("The March organisers said it was peaceful.", "March");
    expect("The talks stalled in March.", "March", "2024-03");
    expect("The plan was approved in March 2023.", "March 2023", "2023-03");
}

/* ---- weekdays and relative expressions ------------------------------------------------- */

static void test_weekdays(void **state)
{
    (void)state;
    expect("The NDRC on Tuesday held its inaugural meeting.", "Tuesday", "2024-11-26");
    expect("Officials gathered on Thursday in Yancheng.", "Thursday", "2024-11-28");
    expect("He will meet Xi on Monday.", "Monday", "2024-12-02");
    expect("They met last Friday.", "last Friday", "2024-11-22");
    expect("They will meet next Friday.", "next Friday", "2024-11-29");
    expect("The vote is this Friday.", "this Friday", "2024-11-29");
    expect("The vote was held this Monday.", "this Monday", "2024-11-25");
}

static void test_relative(void **state)
{
    (void)state;
    expect("The ministry said yesterday that exports rose.", "yesterday", "2024-11-27");
    expect("The index closed higher today.", "today", "2024-11-28");
    expect("Results are due tomorrow.", "tomorrow", "2024-11-29");
    expect("Exports fell last month.", "last month", "2024-10");
    expect("Xi updated the plan this year.", "this year", "2024");
    expect("Talks will resume next week.", "next week", "2024-W49");
    expect("Last year, Hyundai sold 22 per cent less.", "Last year", "2023");
    expect("The factory opened two years ago.", "two years ago", "2022");
    expect("The factory opened 3 months ago.", "3 months ago", "2024-08");
    expect("Earlier this month, Korea drew protests.", "Earlier this month", "2024-11");
    expect("He will attend the summit at the end of this month.", "the end of this month",
           "2024-11");
    expect("Sales rose in the third quarter.", "the third quarter", "2024-Q3");
    expect("The law changed this week.", "this week", "2024-W48");
}

/* The previously mentioned date anchors "the next day" and "a year earlier". */
static void test_anaphoric(void **state)
{
    (void)state;
    expect("The summit opened on Oct. 31. The next day, leaders signed a deal.", "The next day",
           "2024-11-01");
    expect("Profit rose in the third quarter, up from a year earlier.", "a year earlier",
           "2023-Q3");
}

/* ---- durations, sets, seasons, decades, references -------------------------------------- */

static void test_durations(void **state)
{
    (void)state;
    expect_at("his first trip to the country in 11 years.", DCT, "11 years", TIMEX_DURATION,
              "P11Y");
    expect_at("Over the past decade, China reduced its reliance.", DCT, "the past decade",
              TIMEX_DURATION, "P10Y");
    expect_at("The talks lasted two hours.", DCT, "two hours", TIMEX_DURATION, "PT2H");
    expect_at("They signed a two-year contract.", DCT, "two-year", TIMEX_DURATION, "P2Y");
    expect_at("The dispute has lasted several years.", DCT, "several years", TIMEX_DURATION, "PXY");
    expect_at("Prices rose over the past two months.", DCT, "the past two months", TIMEX_DURATION,
              "P2M");
    expect_at("The strike lasted more than two weeks.", DCT, "more than two weeks", TIMEX_DURATION,
              "P2W");
    /* TimeML puts the modifier in the extent (mod LESS_THAN) */
    expect_at("The strike lasted nearly two weeks.", DCT, "nearly two weeks", TIMEX_DURATION,
              "P2W");
    expect_none("A 44-year-old man was arrested.", "44-year-old");
    expect_at("The trial lasted 2 1/2 years.", DCT, "2 1/2 years", TIMEX_DURATION, "P2Y6M");
    expect_at("They talked for an hour and a half.", DCT, "an hour and a half", TIMEX_DURATION,
              "PT1H30M");
    expect_at("They waited half an hour.", DCT, "half an hour", TIMEX_DURATION, "PT30M");
}

static void test_sets(void **state)
{
    (void)state;
    expect_at("The paper is published daily.", DCT, "daily", TIMEX_SET, "P1D");
    expect_at("The meeting is held every year.", DCT, "every year", TIMEX_SET, "P1Y");
    expect_at("Reports are filed weekly.", DCT, "weekly", TIMEX_SET, "P1W");
}

static void test_seasons_decades(void **state)
{
    (void)state;
    expect("Sales slumped last summer.", "last summer", "2023-SU");
    expect("Sales slumped last winter.", "last winter", "2023-WI");
    expect("Sales will recover this spring.", "this spring", "2024-SP");
    expect("The plant opened in the fall of 2019.", "the fall of 2019", "2019-FA");
    expect("Growth was strong in the 1990s.", "the 1990s", "199");
    expect("It was a hit in the '80s.", "the '80s", "198");
    expect("It dates from the 20th century.", "the 20th century", "19");
    expect_none("Prices could fall further, he said.", "fall");
}

static void test_references(void **state)
{
    (void)state;
    expect("The two countries now compete in chips.", "now", "PRESENT_REF");
    expect("Recently, China launched an investigation.", "Recently", "PAST_REF");
    expect("It may change in the future.", "the future", "FUTURE_REF");
    expect("Talks are currently stalled.", "currently", "PRESENT_REF");
}

static void test_times(void **state)
{
    (void)state;
    expect_at("The statement came at 11:38 PM.", DCT, "11:38 PM", TIMEX_TIME, "2024-11-28T23:38");
    /* "closes" schedules: the coming Friday of a Thursday story */
    expect_at("Voting closes at 5 p.m. Friday.", DCT, "5 p.m. Friday", TIMEX_TIME,
              "2024-11-29T17:00");
    expect_at("Voting closed at 5 p.m. Friday.", DCT, "5 p.m. Friday", TIMEX_TIME,
              "2024-11-22T17:00");
    expect_at("Officials met this morning.", DCT, "this morning", TIMEX_TIME, "2024-11-28TMO");
    expect_at("Headlines at 10pm today.", DCT, "10pm", TIMEX_TIME, "2024-11-28T22:00");
    expect_at("Officials met last night.", DCT, "last night", TIMEX_TIME, "2024-11-27TNI");
    expect_at("The blast ripped through the embassy Friday morning.", DCT, "Friday morning",
              TIMEX_TIME, "2024-11-22TMO");
    expect_at("Officials met yesterday afternoon.", DCT, "yesterday afternoon", TIMEX_TIME,
              "2024-11-27TAF");
}

static void test_holidays_and_spoken(void **state)
{
    (void)state;
    expect("Shoppers crowded stores after Thanksgiving Day.", "Thanksgiving Day", "2024-11-28");
    expect("The talks will resume after Christmas.", "Christmas", "2024-12-25");
    expect("The law took effect on New Year's Day 2023.", "New Year's Day 2023", "2023-01-01");
    expect("It happened in nineteen ninety-six.", "nineteen ninety-six", "1996");
    expect("That was the music of the nineties.", "the nineties", "199");
    expect("Stores were crowded over the weekend.", "the weekend", "2024-W47-WE");
    expect_at("Polls close at 5 p.m. EST Nov. 9, officials said.", DCT, "5 p.m. EST Nov. 9",
              TIMEX_TIME, "2024-11-09T17:00");
}

/* One tagger shared by threads (it is immutable after open). */
struct thread_job {
    const char *text;
    char value[48];
};

static void *tag_in_thread(void *arg)
{
    struct thread_job *job = arg;
    for (int k = 0; k < 200; k++) {
        struct timex_expr *v;
        size_t n;
        if (timex_tag(tagger, job->text, strlen(job->text), NULL, 0, DCT, &v, &n) == 0 && n) {
            snprintf(job->value, sizeof job->value, "%s", v[n - 1].value);
            free(v);
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    struct thread_job jobs[4] = {{"They met on Oct. 31.", ""},
                                 {"Exports fell last month.", ""},
                                 {"The deal lasted 11 years.", ""},
                                 {"Officials met on Tuesday.", ""}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, tag_in_thread, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_string_equal(jobs[0].value, "2024-10-31");
    assert_string_equal(jobs[1].value, "2024-10");
    assert_string_equal(jobs[2].value, "P11Y");
    assert_string_equal(jobs[3].value, "2024-11-26");
}

/* Without a publication date, unresolved parts stay X. */
static void test_no_dct(void **state)
{
    (void)state;
    expect_at("They met on Oct. 31.", NULL, "Oct. 31", TIMEX_DATE, "XXXX-10-31");
    expect_at("They met yesterday.", NULL, "yesterday", TIMEX_DATE, "XXXX-XX-XX");
    expect_at("They met last year.", NULL, "last year", TIMEX_DATE, "XXXX");
    expect_at("They met in December 2015.", NULL, "December 2015", TIMEX_DATE, "2015-12");
    expect_at("They met last year.", "2024", "last year", TIMEX_DATE, "2023");
}

/* ---- stated and inferred publication dates, calendar dates of values -------------------- */

static void expect_parse(const char *s, const char *want, enum date_precision prec)
{
    char out[11];
    enum date_precision p;
    bool ok = timex_parse_date(tagger, s, strlen(s), out, &p);
    if (!ok || strcmp(out, want) != 0)
        fprintf(stderr, "  parse \"%s\": %s %s\n", s, ok ? "got" : "failed", ok ? out : "");
    assert_true(ok);
    assert_string_equal(out, want);
    assert_int_equal(p, prec);
}

static void test_parse_date(void **state)
{
    (void)state;
    expect_parse("Nov 28, 2024 11:38 PM", "2024-11-28", PRECISION_DAY);
    expect_parse("2024-11-28", "2024-11-28", PRECISION_DAY);
    expect_parse("1987-02-26", "1987-02-26", PRECISION_DAY);
    expect_parse("28 November 2024", "2024-11-28", PRECISION_DAY);
    expect_parse("Sept 14, 2024", "2024-09-14", PRECISION_DAY);
    expect_parse("December 2015", "2015-12", PRECISION_MONTH);
    expect_parse("2018", "2018", PRECISION_YEAR);
    expect_parse("2024-11-28T23:38:00Z", "2024-11-28", PRECISION_DAY);
    expect_parse("26-FEB-1987 15:01:01.79", "1987-02-26", PRECISION_DAY);
    expect_parse("02/13/1998 14:26:00", "1998-02-13", PRECISION_DAY);
    expect_parse("Published: Nov 28, 2024 11:38 PM", "2024-11-28", PRECISION_DAY);
    char out[11];
    enum date_precision p;
    assert_false(timex_parse_date(tagger, "hello world", 11, out, &p));
    assert_false(timex_parse_date(tagger, "Oct. 31", 7, out, &p));
    assert_false(timex_parse_date(tagger, "", 0, out, &p));
}

static void expect_value_date(const char *value, const char *want, enum date_precision prec)
{
    char out[11];
    enum date_precision p;
    assert_true(timex_value_date(value, out, &p));
    assert_string_equal(out, want);
    assert_int_equal(p, prec);
}

static void test_value_date(void **state)
{
    (void)state;
    expect_value_date("2025-10-31", "2025-10-31", PRECISION_DAY);
    expect_value_date("2025-10-31TMO", "2025-10-31", PRECISION_DAY);
    expect_value_date("2025-10", "2025-10", PRECISION_MONTH);
    expect_value_date("2025", "2025", PRECISION_YEAR);
    expect_value_date("2024-W48", "2024-11", PRECISION_MONTH);
    expect_value_date("2025-Q3", "2025-07", PRECISION_MONTH);
    expect_value_date("2025-SU", "2025-06", PRECISION_MONTH);
    /* A decade is no year: it is not placed on a timeline. */
    assert_false(timex_value_date("199", (char[11]){0}, &(enum date_precision){0}));
    char out[11];
    enum date_precision p;
    assert_false(timex_value_date("PAST_REF", out, &p));
    assert_false(timex_value_date("P11Y", out, &p));
    assert_false(timex_value_date("XXXX-10", out, &p));
    assert_false(timex_value_date("XXXX-10-31", out, &p));
    assert_false(timex_value_date("", out, &p));
    assert_false(timex_value_date("2025-13-01", out, &p));
    assert_false(timex_value_date("2025-02-30", out, &p));
    assert_false(timex_value_date("2025-Q7", out, &p));
}

static void expect_infer(const char *text, const char *want, enum date_precision prec)
{
    char out[11];
    enum date_precision p;
    bool ok = timex_infer_published(tagger, text, strlen(text), out, &p);
    if (!ok || strcmp(out, want) != 0)
        fprintf(stderr, "  infer: %s %s, want %s\n", ok ? "got" : "failed", ok ? out : "", want);
    assert_true(ok);
    assert_string_equal(out, want);
    assert_int_equal(p, prec);
}

static void test_infer_published(void **state)
{
    (void)state;
    expect_infer("Headline\nPublished: Nov 28, 2024 11:38 PM\n\nOfficials met on Thursday.",
                 "2024-11-28", PRECISION_DAY);
    expect_infer("Exports rose.\n\nCopyright 2023. All rights reserved.", "2023", PRECISION_YEAR);
    /* a stale copyright line loses to a later full date on the page */
    expect_infer("Talks resumed.\n\n(c) Copyright 2023.\n\nHeadlines (Sept 14, 2024)", "2024-09",
                 PRECISION_MONTH);
    /* the latest year stated, and the latest month named without a year */
    expect_infer("At the Cooperation 2025 dinner on Oct. 31 leaders met. A Dec. 12 deal "
                 "followed; the FTA was signed in December 2015.",
                 "2025-12", PRECISION_MONTH);
    /* a plan is no evidence: the page is not from 2030 */
    expect_infer("Sales rose 5% in 2023. The company will open a plant by 2030.", "2023",
                 PRECISION_YEAR);
    char out[11];
    enum date_precision p;
    const char *none = "He said on the 1st that he would meet Xi at the end of this month.";
    assert_false(timex_infer_published(tagger, none, strlen(none), out, &p));
}

/* ---- robustness ----------------------------------------------------------------------- */

/* Hostile input: binary bytes, NULs, endless date-like tokens; must be linear and not crash. */
static void test_hostile_input(void **state)
{
    (void)state;
    size_t len = 4u << 20;
    char *s = malloc(len);
    assert_non_null(s);
    const char *pieces[] = {"May ",  "the 1st ", "Dec. ", "12 ", "\xFF\xC3",
                            "2024 ", "- ",       "last ", "\0",  "years ago ",
                            "of ",   "March ",   "\n\n",  ":",   "'80s "};
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        const char *p = pieces[k++ % (sizeof pieces / sizeof pieces[0])];
        size_t pl = p[0] ? strlen(p) : 1;
        for (size_t j = 0; j < pl && i < len; j++)
            s[i++] = p[j];
    }
    struct timex_expr *v;
    size_t n;
    clock_t t0 = clock();
    assert_int_equal(timex_tag(tagger, s, len, NULL, 0, DCT, &v, &n), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(n > 0);
    for (size_t i = 1; i < n; i++)
        assert_true(v[i].start >= v[i - 1].end && v[i].end <= len);
    free(v);
    assert_true(secs < 20.0);
    /* a bad DCT is ignored, empty text finds nothing */
    assert_int_equal(timex_tag(tagger, "Oct. 31", 7, NULL, 0, "garbage", &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].value, "XXXX-10-31");
    free(v);
    assert_int_equal(timex_tag(tagger, "Oct. 31", 7, NULL, 0, "2024-14-45", &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].value, "XXXX-10-31");
    free(v);
    assert_int_equal(timex_tag(tagger, "", 0, NULL, 0, DCT, &v, &n), 0);
    assert_int_equal(n, 0);
    free(v);
    free(s);
}

static void test_open_errors(void **state)
{
    (void)state;
    char *err = NULL;
    assert_null(timex_tagger_open("/nonexistent-dir", &err));
    assert_non_null(err);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_absolute_dates),
        cmocka_unit_test(test_dates_without_year),
        cmocka_unit_test(test_year_rollover),
        cmocka_unit_test(test_day_of_month),
        cmocka_unit_test(test_ordinal_day_vs_quarter),
        cmocka_unit_test(test_month_ambiguity),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_anaphoric),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_seasons_decades),
        cmocka_unit_test(test_references),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_holidays_and_spoken),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_no_dct),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_value_date),
        cmocka_unit_test(test_infer_published),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests_name("timex", tests, setup, teardown);
}
