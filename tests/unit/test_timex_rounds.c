/*
 * test_timex_rounds.c — rules of the third round of TempEval-3 work (issue 16): which quarter
 * "a year ago" compares, months after "for", … Every sentence is written for this test; the
 * publication date is Wednesday 10 June 1992 unless said otherwise.
 */
#include "test_timex_util.h"

#define WIRE "1992-06-10"

/* The expression at `expr` (its first occurrence) has this value and mod. */
static void expect_full_at(const char *text, const char *dct, const char *expr, const char *value,
                           const char *mod)
{
    struct timex_expr t = timex_at(text, dct, expr);
    if (strcmp(t.value, value) || strcmp(t.mod, mod))
        fprintf(stderr, "  \"%s\": got %s mod \"%s\", want %s \"%s\"\n", expr, t.value, t.mod,
                value, mod);
    assert_string_equal(t.value, value);
    assert_string_equal(t.mod, mod);
}

/* Sentences of filler (about 70 bytes each) between a quarter and a later "a year ago". */
static char *with_filler(const char *head, int n, const char *tail)
{
    static const char filler[] = "The harbour board met to discuss the dredging of the channel. ";
    size_t len = strlen(head) + (size_t)n * strlen(filler) + strlen(tail) + 1;
    char *s = malloc(len);
    assert_non_null(s);
    strcpy(s, head);
    for (int i = 0; i < n; i++)
        strcat(s, filler);
    strcat(s, tail);
    return s;
}

/* An earnings comparison next to its quarter is that quarter a year back; a quarter named once,
 * far back in a general story, leaves "a year ago" the year. */
static void test_year_ago_quarter(void **state)
{
    (void)state;
    expect_at("Profit rose in the first quarter. It was $3 million a year earlier.", WIRE,
              "a year earlier", TIMEX_DATE, "1991-Q1");
    char *far = with_filler("Profit rose in the first quarter. ", 30,
                            "Unemployment stood at 6 percent a year ago.");
    expect_at(far, WIRE, "a year ago", TIMEX_DATE, "1991");
    free(far);
    char *near = with_filler("Profit rose in the first quarter. ", 3,
                             "Net income was $2 million a year ago.");
    expect_at(near, WIRE, "a year ago", TIMEX_DATE, "1991-Q1");
    free(near);
}

/* The quarter an earnings story reports is the one "a year ago" compares: not a quarter named
 * as a contrast, not a forecast of one that has not ended; a fiscal quarter reported in the
 * past tense still counts. */
static void test_reported_quarter(void **state)
{
    (void)state;
    /* 10 June 1992 is in the second quarter: the first has ended */
    expect_at("Acme posted a 12% gain in first-quarter profit. After a weak fourth quarter, the "
              "company credited its bakeries. Net was $4 million a year ago.",
              WIRE, "a year ago", TIMEX_DATE, "1991-Q1");
    expect_at("Acme posted a 12% gain in first-quarter profit. Analysts expect the slump to last "
              "through the third quarter of 1993. Acme earned $8 million in the year-ago period.",
              WIRE, "the year-ago period", TIMEX_DATE, "1991-Q1");
    expect_at("Acme posted a 12% gain in first-quarter profit. Analysts see weakness into the "
              "second quarter. Acme earned $8 million in the year-ago period.",
              WIRE, "the year-ago period", TIMEX_DATE, "1991-Q1");
    /* a fiscal second quarter, reported on 10 June, before the calendar one has ended */
    expect_at("Acme reported a drop in second-quarter earnings. Sales were $9 million a year "
              "earlier.",
              WIRE, "a year earlier", TIMEX_DATE, "1991-Q2");
}

/* A day, quarter or season followed by the year it is in: "March 3 last year" is one
 * expression in that year, not this year's March 3 beside "last year". */
static void test_period_of_named_year(void **state)
{
    (void)state;
    expect_full_at("He arrived on March 3 last year.", WIRE, "March 3 last year", "1991-03-03", "");
    expect_full_at("The vote is on Nov. 3 of next year.", WIRE, "Nov. 3 of next year", "1993-11-03",
                   "");
    expect_full_at("Sales in the first quarter this year rose.", WIRE,
                   "the first quarter this year", "1992-Q1", "");
    expect_full_at("The plant opened in the spring of last year.", WIRE, "the spring of last year",
                   "1991-SP", "");
    /* "last year's" belongs to the noun after it */
    expect_full_at("On Feb. 2 last year's champion won.", WIRE, "Feb. 2", "1992-02-02", "");
}

/* Fiscal years named by direction or with their number around "fiscal year". */
static void test_fiscal_years(void **state)
{
    (void)state;
    expect_at("Profit rose last fiscal year.", WIRE, "last fiscal year", TIMEX_DATE, "1991");
    expect_at("Sales will grow next fiscal year.", WIRE, "next fiscal year", TIMEX_DATE, "1993");
    expect_at("Sales fell in the 1991 fiscal year.", WIRE, "the 1991 fiscal year", TIMEX_DATE,
              "1991");
    expect_at("Sales fell in the fiscal year 1990.", WIRE, "the fiscal year 1990", TIMEX_DATE,
              "1990");
    expect_at("Capital spending for FY 1993 is set.", WIRE, "FY 1993", TIMEX_DATE, "1993");
}

/* Frequencies and recurring seasons or parts of the day are SETs (TimeML). */
static void test_more_sets(void **state)
{
    (void)state;
    expect_at("The board meets twice a year.", WIRE, "twice a year", TIMEX_SET, "P1Y");
    expect_at("Trains run three times a day.", WIRE, "three times a day", TIMEX_SET, "P1D");
    expect_at("The fair is held every other year.", WIRE, "every other year", TIMEX_SET, "P2Y");
    expect_at("Fishermen sail each morning.", WIRE, "each morning", TIMEX_SET, "XXXX-XX-XXTMO");
    expect_at("The lake floods every summer.", WIRE, "every summer", TIMEX_SET, "XXXX-SU");
    /* a multiple of a past figure is no frequency */
    expect_none_at("Output is five times a year ago.", WIRE, "times");
}

/* "could", "might", "should", "can" look ahead like "would": a month after one is the next
 * (story of 10 June 1992; the reporting verb before them is further away). */
static void test_modals_look_ahead(void **state)
{
    (void)state;
    expect_at("He said the premier could hang on until as late as September.", WIRE, "September",
              TIMEX_DATE, "1992-09");
    expect_at("Officials said the drought might last until February.", WIRE, "February", TIMEX_DATE,
              "1993-02");
    expect_at("Traders said the change should take place by April.", WIRE, "April", TIMEX_DATE,
              "1993-04");
    /* a past form nearer to the month still decides */
    expect_at("He said output could have doubled, as it did in May.", WIRE, "May", TIMEX_DATE,
              "1992-05");
}

/* A past verb of intention followed by "to" looks ahead to the intended act; after the
 * expression it is another clause and stays past. */
static void test_intent_to(void **state)
{
    (void)state;
    expect_at("The ministry planned to present its choice to parliament in February.", WIRE,
              "February", TIMEX_DATE, "1993-02");
    expect_at("The bank agreed to become a member in September, officials said.", WIRE, "September",
              TIMEX_DATE, "1992-09");
    expect_at("It sought to defer interest payments until January at the earliest.", WIRE,
              "January", TIMEX_DATE, "1993-01");
    expect_at("It has announced measures since November intended to stimulate exports.", WIRE,
              "November", TIMEX_DATE, "1991-11");
    expect_at("The plan was agreed in November.", WIRE, "November", TIMEX_DATE, "1991-11");
}

/* "May" and "March" need a preposition to be months; "for" is one ("scheduled for May"). */
static void test_month_after_for(void **state)
{
    (void)state;
    expect_at("The referendum is scheduled for May, the council said.", "1992-09-10", "May",
              TIMEX_DATE, "1993-05");
    expect_at("Talks were planned for March but fell through.", WIRE, "March", TIMEX_DATE,
              "1992-03");
}

/* A date before a reporting verb is when it was said; the reported clause after the verb
 * ("would", "will") is another time. Wednesday 10 June: the last Thursday is the 4th. */
static void test_reported_speech(void **state)
{
    (void)state;
    expect_at("In an interview Thursday, the mayor said he would seek a third term.", WIRE,
              "Thursday", TIMEX_DATE, "1992-06-04");
    expect_at("At a briefing Thursday, officials said fares will rise.", WIRE, "Thursday",
              TIMEX_DATE, "1992-06-04");
    /* a future cue before the date still wins */
    expect_at("The council will vote Thursday on the budget, the mayor said.", WIRE, "Thursday",
              TIMEX_DATE, "1992-06-11");
    /* an attribution closing the sentence after the date says nothing of when: the reported
     * clause's own verb does, however far back */
    expect_at("The treasury will sell between two and four billion of new stock at its monthly "
              "auction on Thursday, the central bank said.",
              WIRE, "Thursday", TIMEX_DATE, "1992-06-11");
    expect_at("The minister is expected to outline spending cuts in a speech to parliament on "
              "Monday, diplomats told Reuters.",
              WIRE, "Monday", TIMEX_DATE, "1992-06-15");
    expect_at("The plant shut down after a fire in its boiler room on Monday, the owners said.",
              WIRE, "Monday", TIMEX_DATE, "1992-06-08");
}

/* Recurring weekdays and months are sets: the point with the rest unknown. */
static void test_recurring_days(void **state)
{
    (void)state;
    expect_at("The ferry sails every Thursday in summer.", WIRE, "every Thursday", TIMEX_SET,
              "XXXX-WXX-4");
    expect_at("Each October the guild elects a warden.", WIRE, "Each October", TIMEX_SET,
              "XXXX-10");
    expect_at("The museum is closed on Mondays.", WIRE, "Mondays", TIMEX_SET, "XXXX-WXX-1");
    expect_at("The choir rehearses Wednesday evenings.", WIRE, "Wednesday evenings", TIMEX_SET,
              "XXXX-WXX-3TEV");
    /* one weekday is still a date */
    expect_at("The ferry sailed on Thursday.", WIRE, "Thursday", TIMEX_DATE, "1992-06-04");
}

/* "The quarter ended <date>": the calendar quarter holding most of its months, unless the story
 * has just named its (fiscal) quarter. Story of 10 November 1992. */
static void test_quarter_ended(void **state)
{
    (void)state;
    expect_at("The chain earned $4 million in the quarter ended July 31.", "1992-11-10",
              "the quarter", TIMEX_DATE, "1992-Q2");
    expect_at("Profit for the quarter ending Sept. 30 doubled.", "1992-11-10", "the quarter",
              TIMEX_DATE, "1992-Q3");
    /* a quarter of a year named relatively is one expression */
    expect_at("Exports grew in the second quarter of this year.", WIRE,
              "the second quarter of this year", TIMEX_DATE, "1992-Q2");
    expect_at("A recovery is forecast for the first quarter of next year.", WIRE,
              "the first quarter of next year", TIMEX_DATE, "1993-Q1");
    expect_at("Sales rose in its fiscal first quarter. Net income for the quarter ended Sept. 27 "
              "was $8 million.",
              "1992-11-10", "the quarter", TIMEX_DATE, "1992-Q1");
}

/* "plan" after a determiner is a noun, no future cue; "plans to" still looks ahead. Story of
 * 27 October 1992. */
static void test_plan_noun(void **state)
{
    (void)state;
    expect_at("The bank announced the plan Aug. 21.", "1992-10-27", "Aug. 21", TIMEX_DATE,
              "1992-08-21");
    expect_at("The bank plans to close the branch in August.", "1992-10-27", "August", TIMEX_DATE,
              "1993-08");
}

/* "the last day of 1991" is no "last day" (yesterday); "could last months" is the verb. */
static void test_last_of(void **state)
{
    (void)state;
    expect_none_at("The mill closed on the last day of 1991.", WIRE, "last day");
    expect_at("The mill closed on the last day of 1991.", WIRE, "1991", TIMEX_DATE, "1991");
    expect_none_at("The inquiry could last months, lawyers said.", WIRE, "last months");
    expect_at("Output fell over the last two years.", WIRE, "the last two years", TIMEX_DURATION,
              "P2Y");
}

/* "a while" is a duration of no known unit. */
static void test_a_while(void **state)
{
    (void)state;
    expect_at("The plant will stay shut for a while.", WIRE, "a while", TIMEX_DURATION, "PXX");
}

/* Holidays: Easter and the days counted from it, days named with a possessive. Story of
 * Monday 20 April 1992 (Easter was 19 April 1992). */
static void test_holidays(void **state)
{
    (void)state;
    expect_at("Shops were shut over Easter.", "1992-04-20", "Easter", TIMEX_DATE, "1992-04-19");
    expect_at("The accord was signed on Good Friday.", "1992-04-20", "Good Friday", TIMEX_DATE,
              "1992-04-17");
    expect_at("Easter 2000 falls on April 23.", "1992-04-20", "Easter 2000", TIMEX_DATE,
              "2000-04-23");
    expect_at("Florists prepare for Mother's Day.", "1992-04-20", "Mother's Day", TIMEX_DATE,
              "1992-05-10");
}

/* "the 1800s" is a century; "years to come" the future. */
static void test_centuries_and_future(void **state)
{
    (void)state;
    expect_at("The mill dates from the 1800s.", WIRE, "the 1800s", TIMEX_DATE, "18");
    expect_at("Wages rose in the 1980s.", WIRE, "the 1980s", TIMEX_DATE, "198");
    expect_at("The debt will weigh on us for years to come.", WIRE, "years to come", TIMEX_DATE,
              "FUTURE_REF");
    expect_at("Orders should pick up in coming months.", WIRE, "coming months", TIMEX_DATE,
              "FUTURE_REF");
    expect_at("Talks resume in the coming week.", WIRE, "the coming week", TIMEX_DATE, "1992-W25");
    expect_at("The mill has stood empty for years.", WIRE, "years", TIMEX_DURATION, "PXY");
}

/* Present forms that announce a scheduled event look ahead, even with a past verb later in the
 * sentence. */
static void test_scheduled_present(void **state)
{
    (void)state;
    expect_at("The governor, who leaves office in January, spoke at the dinner.", WIRE, "January",
              TIMEX_DATE, "1993-01");
    expect_at("The captain faces a court martial in May.", "1992-09-10", "May", TIMEX_DATE,
              "1993-05");
    expect_at("The champion plays Saturday in Rome.", WIRE, "Saturday", TIMEX_DATE, "1992-06-13");
}

/* "the month", "in the morning": the month or day in discussion, else the story's. */
static void test_month_and_morning(void **state)
{
    (void)state;
    expect_full_at("Orders rose at the beginning of the month.", WIRE, "the beginning of the month",
                   "1992-06", "START");
    expect_full_at("The rally began in March but faded by the end of the month.", WIRE,
                   "the end of the month", "1992-03", "END");
    /* after a week, the month of that week (it was left XXXX-XX) */
    expect_full_at("Envoys met this week. Troops are due by the end of the month.", WIRE,
                   "the end of the month", "1992-06", "END");
    expect_at("Shares slumped Friday. Dealers sold heavily in the morning.", WIRE, "the morning",
              TIMEX_TIME, "1992-06-05TMO");
    expect_at("Trading was thin in the afternoon.", WIRE, "the afternoon", TIMEX_TIME,
              "1992-06-10TAF");
}

/* "tonight" is a part of the story's day, a TIME like "this morning". */
static void test_tonight(void **state)
{
    (void)state;
    expect_at("The council votes tonight on the plan.", WIRE, "tonight", TIMEX_TIME,
              "1992-06-10TNI");
}

/* "the decade", "the century": the one of the date in discussion, else of the story's date. */
static void test_the_decade(void **state)
{
    (void)state;
    expect_full_at("Output will double by the end of the decade.", WIRE, "the end of the decade",
                   "199", "END");
    expect_full_at("Imports rose in the 1970s; by the end of the decade they had tripled.", WIRE,
                   "the end of the decade", "197", "END");
    expect_at("Three wars were fought during the century.", WIRE, "the century", TIMEX_DATE, "19");
    expect_none_at("The century-old mill burned down.", WIRE, "century");
}

/* A figure with thousands groups is one number, never a day or a count: "in late April
 * 7,500,000 shares" has no April 7, and the tail of "107,207 a year before" is no duration. */
static void test_figures_are_no_dates(void **state)
{
    (void)state;
    expect_full_at("The fund plans to sell in late April 7,500,000 shares of stock.", WIRE,
                   "late April", "1993-04", "END");
    expect_none_at("The fund plans to sell in late April 7,500,000 shares of stock.", WIRE,
                   "7,500,000");
    expect_none_at("Sales fell to 21,480 from 107,207 a year before.", WIRE, "107,207");
    expect_none_at("Net 2,463,000 vs 3,718,544\n\nYear\n\nNet 9,310,000", WIRE, "3,718,544");
    expect_at("The plant was shut on May 7, 1991.", WIRE, "May 7, 1991", TIMEX_DATE, "1991-05-07");
    /* decimals: no "85 years" in "13.85 years", no "a year" after a price */
    expect_none_at("The notes have an average life of 13.85 years.", WIRE, "13.85 years");
    expect_none_at("The preferred pays a dividend of $2.35 a year.", WIRE, "a year");
    expect_at("The notes mature in 20 years.", WIRE, "20 years", TIMEX_DURATION, "P20Y");
}

/* "than expected" compares: it says nothing about when. A 20 March story: January is this
 * year's, not the next. */
static void test_than_expected(void **state)
{
    (void)state;
    expect_at("Profits were lower than expected because of snowstorms in January.", "1992-03-20",
              "January", TIMEX_DATE, "1992-01");
}

/* A delivery period is the next one whatever the tense, months or days ("for Aug/Sep
 * shipment", "for May 10/June 10 shipment"); a market verb after a day is no delivery. */
static void test_delivery_periods(void **state)
{
    (void)state;
    expect_at("The mill bought 30,000 tonnes for Aug/Sep shipment, traders said.", "1992-03-10",
              "Aug/Sep", TIMEX_DATE, "1992-08");
    expect_at("The oil was bought for May 10/June 10 shipment, dealers said.", "1992-03-20",
              "June 10", TIMEX_DATE, "1992-06-10");
    expect_at("Exporters sold wheat for April through November shipment, dealers said.",
              "1992-04-07", "April through November", TIMEX_DATE, "1992-04");
    expect_at("Regulators probed trading before the Dec 18 expiration, brokers said.", "1992-03-20",
              "Dec 18", TIMEX_DATE, "1992-12-18");
    expect_at("Sales from January 1 fell to 3,380 units.", "1992-03-20", "January 1", TIMEX_DATE,
              "1992-01-01");
    /* a period quoted with a market verb after it, whatever the clause's tense; "selling" after a
     * month is the selling done in it */
    expect_at("Cotton sales were thin, with Oct/Nov going at 62 cents a pound.", "1992-03-10",
              "Oct/Nov", TIMEX_DATE, "1992-10");
    expect_at("Rubber traders were cautious and June sold at 61 cents.", "1992-03-10", "June",
              TIMEX_DATE, "1992-06");
    expect_at("Dealers were back after the usual January selling.", "1992-03-10", "January",
              TIMEX_DATE, "1992-01");
}

/* A quarter or half with a future cue is ahead of the story, unless results are reported for it
 * ("expects to report a loss for the fourth quarter") or it would be next year's (in April,
 * the first quarter is the one just ended). */
static void test_future_quarters(void **state)
{
    (void)state;
    expect_at("If output stays low, the third quarter will be in better balance.", "1992-03-05",
              "the third quarter", TIMEX_DATE, "1992-Q3");
    expect_at("The minister said growth would pick up in the second half.", "1992-03-05",
              "the second half", TIMEX_DATE, "1992-H2");
    expect_at("The company expects to report a loss for the fourth quarter.", "1992-02-10",
              "the fourth quarter", TIMEX_DATE, "1991-Q4");
    expect_at("Economists expect output to rise in the first quarter.", "1992-04-07",
              "the first quarter", TIMEX_DATE, "1992-Q1");
}

/* "last November 25", "next January 1": the day is part of the date; within the story's own
 * month the day decides the year. */
static void test_last_month_day(void **state)
{
    (void)state;
    expect_at("The adviser resigned from his post last November 25, the paper said.", "1992-03-13",
              "last November 25", TIMEX_DATE, "1991-11-25");
    expect_at("The index reached 68 points in the week ended last March 5.", "1992-03-15",
              "last March 5", TIMEX_DATE, "1992-03-05");
    expect_at("The index reached 68 points in the week ended last March 20.", "1992-03-15",
              "last March 20", TIMEX_DATE, "1991-03-20");
    expect_at("Several taxes go when the new levy comes in next January 1.", "1992-03-24",
              "next January 1", TIMEX_DATE, "1993-01-01");
}

/* "the same month last year": the month in discussion a year back, one expression; the month
 * after it is still the story's ("for the month"). */
static void test_same_month_last_year(void **state)
{
    (void)state;
    const char *text = "Traffic rose 12 pct in February from the same month last year. Seat "
                       "miles for the month rose 4 pct.";
    expect_at(text, "1992-03-04", "the same month last year", TIMEX_DATE, "1991-02");
    expect_at(text, "1992-03-04", "the month", TIMEX_DATE, "1992-02");
    expect_at("Sales in the first quarter of 1992 beat the same quarter a year earlier.",
              "1992-04-20", "the same quarter a year earlier", TIMEX_DATE, "1991-Q1");
}

/* "the 1992/93 crop year ending August": the month that ends a split year is in its second
 * year; "the current financial year ending June" is the next June. */
static void test_period_ending_month(void **state)
{
    (void)state;
    expect_at("Output in the 1992/93 crop year ending August was set at 1.6 mln tonnes.",
              "1992-03-27", "August", TIMEX_DATE, "1993-08");
    expect_at("Mills used 3.1 mln bales in the current financial year ending June, he said.",
              "1992-03-02", "June", TIMEX_DATE, "1992-06");
    expect_at("Money supply grew 9 pct in the year ended December, the bank said.", "1992-02-26",
              "December", TIMEX_DATE, "1991-12");
}

/* "rose in January after falling in December": the December before, not the one after (a list
 * of months runs forward only a few months at a time: "in November, December, February"). */
static void test_month_compared_back(void **state)
{
    (void)state;
    expect_at("Prices rose 0.4 pct in January after a 0.2 pct fall in December, the office said.",
              "1992-03-05", "December", TIMEX_DATE, "1991-12");
    expect_at("Forecasts will be dropped for lemons in November, December and January.",
              "1992-03-03", "December", TIMEX_DATE, "1992-12");
}

/* A participle of intention or of a scheduled end looks ahead in a past-tense sentence; a
 * gerund after a preposition or "considering that" is no such participle (not listed). */
static void test_participles_look_ahead(void **state)
{
    (void)state;
    expect_at("The bank said it was proposing a rights issue in July to fund the purchase.",
              "1992-04-10", "July", TIMEX_DATE, "1992-07");
    expect_at("The utility sold notes to repay a credit line maturing in June, a spokesman said.",
              "1992-03-02", "June", TIMEX_DATE, "1992-06");
    expect_at("After considering the bid at a meeting in September, the board rejected it.",
              "1992-04-10", "September", TIMEX_DATE, "1991-09");
}

/* "since January" runs up to the story: past, whatever the verbs of the sentence. */
static void test_since_month(void **state)
{
    (void)state;
    expect_at("The mill has been idle since January and will restart in May.", "1992-04-10",
              "January", TIMEX_DATE, "1992-01");
    expect_at("The mill has been idle since January and will restart in May.", "1992-04-10", "May",
              TIMEX_DATE, "1992-05");
    expect_at("The union, which is planning a new strike, has been talking to the firm since "
              "September.",
              "1992-04-10", "September", TIMEX_DATE, "1991-09");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_ago_quarter),
        cmocka_unit_test(test_month_after_for),
        cmocka_unit_test(test_reported_speech),
        cmocka_unit_test(test_recurring_days),
        cmocka_unit_test(test_quarter_ended),
        cmocka_unit_test(test_tonight),
        cmocka_unit_test(test_the_decade),
        cmocka_unit_test(test_figures_are_no_dates),
        cmocka_unit_test(test_delivery_periods),
        cmocka_unit_test(test_than_expected),
        cmocka_unit_test(test_future_quarters),
        cmocka_unit_test(test_last_month_day),
        cmocka_unit_test(test_same_month_last_year),
        cmocka_unit_test(test_period_ending_month),
        cmocka_unit_test(test_month_compared_back),
        cmocka_unit_test(test_participles_look_ahead),
        cmocka_unit_test(test_since_month),
        cmocka_unit_test(test_plan_noun),
        cmocka_unit_test(test_last_of),
        cmocka_unit_test(test_a_while),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_centuries_and_future),
        cmocka_unit_test(test_scheduled_present),
        cmocka_unit_test(test_month_and_morning),
        cmocka_unit_test(test_reported_quarter),
        cmocka_unit_test(test_period_of_named_year),
        cmocka_unit_test(test_fiscal_years),
        cmocka_unit_test(test_more_sets),
        cmocka_unit_test(test_modals_look_ahead),
        cmocka_unit_test(test_intent_to),
    };
    return cmocka_run_group_tests_name("timex_rounds", tests, setup, teardown);
}
