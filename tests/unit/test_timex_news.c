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

    expect_wire("Net income 1991 vs 1990 was flat.", "1990", TIMEX_DATE, "1990");
    expect_wire("He compared 1991's total with the record.", "1991's", TIMEX_DATE, "1991");
}

/* Cues that point ahead from a past-tense sentence, in a Wednesday 10 June 1992 story: a verb
 * of putting off with "until"/"to" before the date, "between now and", an intention ("prepared
 * to", "promising"), "next"; without them the past tense would put each date a year back. */
static void test_looking_ahead_from_the_past(void **state)
{
    (void)state;
    expect_wire("The council postponed its vote until March.", "March", TIMEX_DATE, "1993-03");
    expect_wire("The court adjourned the trial to Monday.", "Monday", TIMEX_DATE, "1992-06-15");
    expect_wire("The group extended its offer until Friday.", "Friday", TIMEX_DATE, "1992-06-12");
    /* a verb of putting off with the date of the act itself is past */
    expect_wire("The firm delayed the launch in March, it said.", "March", TIMEX_DATE, "1992-03");
    expect_wire("Growers said rain between now and Friday mattered most.", "Friday", TIMEX_DATE,
                "1992-06-12");
    expect_wire("Growers said rainfall between now and April mattered most.", "April", TIMEX_DATE,
                "1993-04");
    expect_wire("Members were prepared to wait for the council session in March.", "March",
                TIMEX_DATE, "1993-03");
    expect_wire("The envoy ended the row by promising more talks in March.", "March", TIMEX_DATE,
                "1993-03");
    expect_wire("Delegates looked ahead to the next council session in March.", "March", TIMEX_DATE,
                "1993-03");
    /* "by" before the date sets a deadline, ahead … */
    expect_wire("The board asked for a final answer by March.", "March", TIMEX_DATE, "1993-03");
    expect_wire("The agency told lenders to repay the loans by April.", "April", TIMEX_DATE,
                "1993-04");
    expect_wire("Negotiators hoped for a deal by Friday.", "Friday", TIMEX_DATE, "1992-06-12");
    /* … but not as an agent, where it opens the clause, beside "had" or before a possessive */
    expect_wire("The firm reported losses, hit by April storms.", "April", TIMEX_DATE, "1992-04");
    expect_wire("Margins were squeezed by April price cuts.", "April", TIMEX_DATE, "1992-04");
    expect_wire("By March the stock had fallen by half.", "March", TIMEX_DATE, "1992-03");
    expect_wire("Shares fell all week, but by Friday they recovered.", "Friday", TIMEX_DATE,
                "1992-06-05");
    expect_wire("The firm had asked for payment by Friday.", "Friday", TIMEX_DATE, "1992-06-05");
    expect_wire("The slump deepened, driven by Monday's sell-off.", "Monday", TIMEX_DATE,
                "1992-06-08");
    /* "until" + a date is where something runs to, ahead … */
    expect_wire("The bank granted the firm a waiver until March 31.", "March 31", TIMEX_DATE,
                "1993-03-31");
    expect_wire("The law, passed last week, remains in force until January 15.", "January 15",
                TIMEX_DATE, "1993-01-15");
    expect_wire("The ministry ordered schools closed until Monday.", "Monday", TIMEX_DATE,
                "1992-06-15");
    /* … but not in a narrative of what did not happen before it, before "when" or a past form */
    expect_wire("The loan was not signed until March 5.", "March 5", TIMEX_DATE, "1992-03-05");
    expect_wire("The deal didn't close until March 5.", "March 5", TIMEX_DATE, "1992-03-05");
    expect_wire("Few investors bought until January, when prices fell.", "January", TIMEX_DATE,
                "1992-01");
    expect_wire("Smith, who until March 2 was its chairman, left.", "March 2", TIMEX_DATE,
                "1992-03-02");
}

/* The direction a sentence points in, for bare months and weekdays of a Wednesday 10 June 1992
 * story: future cues forward, past tense back, no cue the nearest. */
static void test_direction(void **state)
{
    (void)state;
    /* months */
    expect_wire("His term expires in April, the board said.", "April", TIMEX_DATE, "1993-04");
    expect_wire("The chain is launching the range in March.", "March", TIMEX_DATE, "1993-03");
    expect_wire("The minister is to visit Lagos in September.", "September", TIMEX_DATE, "1992-09");
    expect_wire("A meeting to be held in January will decide.", "January", TIMEX_DATE, "1993-01");
    expect_wire("The union will vote in February on the offer.", "February", TIMEX_DATE, "1993-02");
    expect_wire("The plant closed in August after a fire.", "August", TIMEX_DATE, "1991-08");
    expect_wire("Profits rose in April, the company said.", "April", TIMEX_DATE, "1992-04");
    expect_wire("The chairman is expected to be replaced at a board meeting in October, it added.",
                "October", TIMEX_DATE, "1992-10");
    expect_wire("The bank will consider an increased dividend at its August meeting.", "August",
                TIMEX_DATE, "1992-08");
    /* no cue: the nearest, the future counting one and a half (four months ahead beats eight
     * months back; ten months ahead loses to two months back) */
    expect_wire("The new crop becomes available in October.", "October", TIMEX_DATE, "1992-10");
    expect_wire("Prices for the crop in April are firm.", "April", TIMEX_DATE, "1992-04");
    /* weekdays */
    expect_wire("Many offices were shut on Friday of last week.", "Friday of last week", TIMEX_DATE,
                "1992-06-05");
    expect_wire("The talks resume on Monday of next week.", "Monday of next week", TIMEX_DATE,
                "1992-06-15");
    /* a modal right after the expression: it is the subject ("October would be"), unless a past
     * form just before makes it the end of a clause of its own ("the year ended March 31") */
    expect_wire("Dealers thought that October would be the likeliest date.", "October", TIMEX_DATE,
                "1992-10");
    expect_wire("Revenue for the year ended March 31 will be about 1.2 billion dlrs.", "March 31",
                TIMEX_DATE, "1992-03-31");
    /* "May" the month is no modal: "in May fell" is past */
    expect_wire("Receipts in May fell to 521 mln stg from 727 mln in April.", "April", TIMEX_DATE,
                "1992-04");
    /* a modal, an adverb and a past-looking form look ahead; so does an intention */
    expect_wire("Stocks may not last as the new crop becomes available in August.", "August",
                TIMEX_DATE, "1992-08");
    expect_wire("The union has threatened to strike on Thursday.", "Thursday", TIMEX_DATE,
                "1992-06-11");
    /* "starting"/"beginning" point ahead, but not as nouns ("the beginning of December") */
    expect_wire("Miners called a strike starting on Monday, union sources said.", "Monday",
                TIMEX_DATE, "1992-06-15");
    expect_wire("The bank held rates from the beginning of December until the cut in late January.",
                "late January", TIMEX_DATE, "1992-01");
    /* an -ed form right after a preposition is an adjective, no past tense */
    expect_wire("The system, set for trials in August in selected cities, is expected to work.",
                "August", TIMEX_DATE, "1992-08");
    expect_wire("Delegates will reconvene on Monday in Geneva.", "Monday", TIMEX_DATE,
                "1992-06-15");
    expect_wire("The offer expires Friday at midnight.", "Friday", TIMEX_DATE, "1992-06-12");
    expect_wire("The offer had been due to expire Friday.", "Friday", TIMEX_DATE, "1992-06-05");
    expect_wire("The talks collapsed on Monday.", "Monday", TIMEX_DATE, "1992-06-08");
    expect_wire("A spokesman said on Friday that talks would go on.", "Friday", TIMEX_DATE,
                "1992-06-05");
    expect_wire("Trading opens Thursday with the new rules in force.", "Thursday", TIMEX_DATE,
                "1992-06-11");
    /* irregular past forms (and "died", too short for the -ed test): the last Saturday, not
     * the nearest (three days ahead); after "to" a form like "hit" is the base form */
    expect_wire("The poet died on Saturday in his home town.", "Saturday", TIMEX_DATE,
                "1992-06-06");
    expect_wire("The minister flew to Oslo on Saturday.", "Saturday", TIMEX_DATE, "1992-06-06");
    expect_wire("A hailstorm hit the vineyards on Saturday.", "Saturday", TIMEX_DATE, "1992-06-06");
    expect_wire("Forecasters expect the storm to hit the coast on Saturday.", "Saturday",
                TIMEX_DATE, "1992-06-13");
    expect_wire("The storm will hit the coast on Saturday.", "Saturday", TIMEX_DATE, "1992-06-13");
    /* delivery and contract months look ahead whatever the tense */
    expect_wire("Trading was thin. February was up 1.20 cents at 88.10.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("Buyers took two cargoes for February delivery.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("Output fell in February, the ministry said.", "February", TIMEX_DATE, "1992-02");
    /* … also with a few words before the contract noun, not across a function word */
    expect_wire("Dealers sold February share price index futures.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("The key February copper delivery settled at 1,210 dlrs.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("February sales of gold futures rose.", "February", TIMEX_DATE, "1992-02");
    /* a currency right after a month, or a few content words on, is its futures contract */
    expect_wire("Dealers said the December Canadian dollar closed at 0.7656.", "December",
                TIMEX_DATE, "1992-12");
    expect_wire("December yen eased to 0.0069 in thin trade.", "December", TIMEX_DATE, "1992-12");
    expect_wire("The dollar fell in December, dealers said.", "December", TIMEX_DATE, "1991-12");
    expect_wire("Egypt bought wheat for January to March shipment.", "January", TIMEX_DATE,
                "1993-01");
    /* market talk: a contract month before a price verb, after "near", in a range of them */
    expect_wire("Trade was thin with near February trading at 1,210 stg.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("Dealers said February rose to 88.25 from 88.10.", "February", TIMEX_DATE,
                "1993-02");
    expect_wire("February and April closed seven ringgit firmer.", "April", TIMEX_DATE, "1993-04");
    expect_wire("Options featured 465 February calls at 125.", "February", TIMEX_DATE, "1993-02");
    /* payment dates follow the announcement; a day may be a cardinal word */
    expect_wire("Directors voted a split, payable February one, record January 18.", "February one",
                TIMEX_DATE, "1993-02-01");
    expect_wire("The court will hear the case on February four.", "February four", TIMEX_DATE,
                "1993-02-04");
    expect_wire("In February two companies merged.", "February", TIMEX_DATE, "1992-02");
    expect_wire("Corn was off 14 cents with December off 19-1/2 cents at 2.43 dlrs.", "December",
                TIMEX_DATE, "1992-12");
    /* the first month of a range takes the year written after the last */
    expect_wire("Growth was 4.8 pct in January to September 1990.", "January", TIMEX_DATE,
                "1990-01");
    expect_wire("Shares were split in April and July, 1989.", "April", TIMEX_DATE, "1989-04");
    expect_wire("Exports rose from November to February 1990.", "November", TIMEX_DATE, "1989-11");
    /* "may" the verb looks ahead; "May" the month is no cue */
    expect_wire("Analysts said the cartel may hold a meeting in September.", "September",
                TIMEX_DATE, "1992-09");
    /* "compared with" compares and says nothing of the tense */
    expect_wire("It would push inflation to 9 pct in December compared with 11 pct.", "December",
                TIMEX_DATE, "1992-12");
    /* months listed in one sentence run forward from the first */
    expect_wire("Sales were thin with March/April at 310 dlrs, June/July at 305 and Oct/Dec at "
                "300 dlrs.",
                "Oct/Dec", TIMEX_DATE, "1992-10");
    /* an adverb between an auxiliary or determiner and a past form: still no past tense */
    expect_wire("The dividend would be paid on a still unspecified date in January.", "January",
                TIMEX_DATE, "1993-01");
    expect_wire("The rules are expected to be formally adopted on Friday.", "Friday", TIMEX_DATE,
                "1992-06-12");
    /* "starts" (the noun) before a past form does not make it look ahead; a modal does */
    expect_wire("Housing starts rose to 1.6 mln units from 1.5 mln in February.", "February",
                TIMEX_DATE, "1992-02");
    expect_wire("The freeze will last until February.", "February", TIMEX_DATE, "1993-02");
    /* a cue before "than" compares and says nothing of the tense */
    expect_wire("The budget will be ready no earlier than February, officials said.", "February",
                TIMEX_DATE, "1993-02");
    /* anaphoric weekdays count from the day the story is about */
    expect_wire("Shares fell on Friday. The index closed 3% below the previous Friday.",
                "the previous Friday", TIMEX_DATE, "1992-05-29");
    expect_wire("The vote was on Monday. Counting ended the following Thursday.",
                "the following Thursday", TIMEX_DATE, "1992-06-11");
    /* anaphoric months likewise: a year before the January under discussion, not this one */
    expect_wire("Output in January edged up from the previous January's level.",
                "the previous January", TIMEX_DATE, "1991-01");
    expect_wire("Exports fell in May from the preceding May.", "the preceding May", TIMEX_DATE,
                "1991-05");
    expect_wire("The mill shut in November and reopened the following March.",
                "the following March", TIMEX_DATE, "1992-03");
    expect_wire("Talks began in April and resumed the following April.", "the following April",
                TIMEX_DATE, "1993-04");
    /* "following" without "the" is "after": April's rise came before May's */
    expect_wire("Reserves rose in May, following April's record increase.", "April", TIMEX_DATE,
                "1992-04");
    /* no month under discussion: as "last March" */
    expect_wire("Prices have not recovered since the previous March.", "the previous March",
                TIMEX_DATE, "1992-03");
    expect_wire("Planting ended this past spring.", "this past spring", TIMEX_DATE, "1992-SP");
    /* no cue at all: the nearest Thursday is tomorrow, the nearest Monday two days back */
    expect_wire("Thursday: a ceremony at the port.", "Thursday", TIMEX_DATE, "1992-06-11");
    expect_wire("Monday: a ceremony at the port.", "Monday", TIMEX_DATE, "1992-06-08");
}

/* The expression at `expr` has this value, mod and range end. */
static void expect_full(const char *text, const char *expr, const char *value, const char *mod,
                        const char *range_end)
{
    struct timex_expr t = timex_at(text, WIRE, expr);
    if (strcmp(t.value, value) || strcmp(t.mod, mod) || strcmp(t.range_end, range_end))
        fprintf(stderr, "  \"%s\": got %s mod \"%s\" end \"%s\", want %s \"%s\" \"%s\"\n", expr,
                t.value, t.mod, t.range_end, value, mod, range_end);
    assert_string_equal(t.value, value);
    assert_string_equal(t.mod, mod);
    assert_string_equal(t.range_end, range_end);
}

/* Ranges as begin and end, modifiers as TIMEX3 mod; a decade is a decade, not its first year. */
static void test_ranges_and_modifiers(void **state)
{
    (void)state;
    expect_full("Exports for the 1991/92 season fell.", "1991/92", "1991", "", "1992");
    expect_full("Growth for 1992-95 is put at three pct.", "1992-95", "1992", "", "1995");
    expect_full("The 1984-1988 plan was scrapped.", "1984-1988", "1984", "", "1988");
    expect_full("Cargoes loaded in June/July arrive in Rotterdam.", "June/July", "1992-06", "",
                "1992-07");
    expect_full("Sowing ran between March and May, growers said.", "March and May", "1992-03", "",
                "1992-05");
    expect_full("Shipments for December/January will be cut.", "December/January", "1992-12", "",
                "1993-01");
    /* the year of a range after a comma, the year of a month in brackets */
    expect_full("Gold output in Jan-Dec, 1990, totaled 2.9 mln ounces.", "Jan-Dec, 1990", "1990-01",
                "", "1990-12");
    expect_wire("Dollars sold in October (1990) have been bought back.", "October", TIMEX_DATE,
                "1990-10");
    expect_wire("We expect a profit in the first quarter (1993), he said.", "the first quarter",
                TIMEX_DATE, "1993-Q1");
    /* a month range glossing a split year starts in its first year, whatever the tense */
    expect_full("Figures for 1990/91 (Oct-Sept) will be revised.", "Oct-Sept", "1990-10", "",
                "1991-09");
    expect_full("The 1989/90 season (July/June) output will be revised.", "July/June", "1989-07",
                "", "1990-06");
    /* the first month of a range takes the year written after the second, also a relative one */
    expect_wire("From March to October last year the mill ran at a loss.", "March", TIMEX_DATE,
                "1991-03");
    expect_wire("From November to February next year the canal stays shut.", "November", TIMEX_DATE,
                "1992-11");
    expect_wire("From Jan. 5 to Sept. 30, 1990, the mill ran at a loss.", "Jan. 5", TIMEX_DATE,
                "1990-01-05");
    expect_wire("Rainfall in September and October of last year was low.", "September", TIMEX_DATE,
                "1991-09");
    expect_full("Demand grew in the late 1970's, he said.", "the late 1970's", "197", "END", "");
    expect_full("Demand grew in the early 1980s, he said.", "the early 1980s", "198", "START", "");
    expect_full("Prices peaked in mid-1988 and then slid.", "mid-1988", "1988", "MID", "");
    expect_full("Sales slowed in early May.", "early May", "1992-05", "START", "");
    expect_full("The plant has run at half capacity since end-September.", "end-September",
                "1991-09", "END", "");
    expect_full("The fund closed at the end of 1990.", "the end of 1990", "1990", "END", "");
    expect_full("The strike lasted more than two weeks.", "more than two weeks", "P2W", "MORE_THAN",
                "");
    /* a decade has no day or month: it is no point of a timeline */
    char date[11];
    enum date_precision pr;
    assert_false(timex_value_date("197", date, &pr));
}

/* Modifiers and numbers of several words inside the extent; prepositions outside it. */
static void test_extents(void **state)
{
    (void)state;
    expect_full("The ferry leaves around 6:40 p.m. each day.", "around 6:40 p.m.",
                "1992-06-10T18:40", "APPROX", "");
    expect_full("Repairs should end around Aug. 3, the yard said.", "around Aug. 3", "1992-08-03",
                "APPROX", "");
    expect_full("The lease ran for about three years.", "about three years", "P3Y", "APPROX", "");
    expect_full("The mill closed about a decade ago.", "about a decade ago", "1982", "APPROX", "");
    expect_full("The order book has been empty for almost a hundred days.", "almost a hundred days",
                "P100D", "LESS_THAN", "");
    /* "around"/"about" as prepositions stay outside */
    expect_wire("Investors worried about the future, the yard said.", "the future", TIMEX_DATE,
                "FUTURE_REF");
    expect_wire("The carrier turned around last year after two losses.", "last year", TIMEX_DATE,
                "1991");
    expect_wire("Prices are firm right now, dealers said.", "right now", TIMEX_DATE, "PRESENT_REF");
    expect_wire("Output fell in the last twenty four hours.", "the last twenty four hours",
                TIMEX_DURATION, "PT24H");
    expect_wire("The strike lasted twenty-one days.", "twenty-one days", TIMEX_DURATION, "P21D");
    /* "last" as a verb stays outside the stretch it lasts */
    expect_full("The hearing is expected to last three weeks.", "three weeks", "P3W", "", "");
    expect_full("The drought could last several years.", "several years", "PXY", "", "");
    expect_full("The truce did not last a month.", "a month", "P1M", "", "");
    expect_wire("Exports rose to last year's level.", "last year", TIMEX_DATE, "1991");
    expect_wire("The abbey stood for two thousand years.", "two thousand years", TIMEX_DURATION,
                "P2000Y");
    expect_wire("Loading took two dozen days.", "two dozen days", TIMEX_DURATION, "P24D");
    expect_full("Repairs take two to three weeks.", "two to three weeks", "P2W", "", "P3W");
    expect_full("Rates should ease over the next 12 to 18 months.", "the next 12 to 18 months",
                "P12M", "", "P18M");
    expect_full("A ruling may take a year or two.", "a year or two", "P1Y", "", "P2Y");
    expect_full("The plant could reopen within weeks or months.", "weeks or months", "PXW", "",
                "PXM");
    expect_wire("Rates will stay low for the next year or so.", "the next year or so", TIMEX_DATE,
                "1993");
    expect_wire("The flood of January nineteen eighty-two closed the port.",
                "January nineteen eighty-two", TIMEX_DATE, "1982-01");
    expect_wire("It happened in the spring of nineteen seventy-one.",
                "the spring of nineteen seventy-one", TIMEX_DATE, "1971-SP");
    expect_full("The plant will run until 1996 or later.", "1996 or later", "1996", "ON_OR_AFTER",
                "");
    expect_wire("Loans fall due in the near term, the bank said.", "the near term", TIMEX_DATE,
                "FUTURE_REF");
    expect_wire("Payment is due within ten business days.", "ten business days", TIMEX_DURATION,
                "P10D");
    expect_wire("Prices may firm in the weeks ahead.", "the weeks ahead", TIMEX_DURATION, "PXW");
    expect_wire("For the week, the index rose 2.1 pct.", "the week", TIMEX_DATE, "1992-W24");
    expect_wire("Orders recovered from the lows of the early summer.", "the early summer",
                TIMEX_DATE, "1992-SU");
    /* broadcast style: days as ordinal words, "this coming" */
    expect_wire("Voters go to the polls this coming Sunday, June fourteenth.",
                "this coming Sunday, June fourteenth", TIMEX_DATE, "1992-06-14");
    expect_wire("The talks will resume on June twenty-first.", "June twenty-first", TIMEX_DATE,
                "1992-06-21");
    /* a day as a cardinal word with its year: one date, in that year */
    expect_wire("Results reflect a split effective January one, 1986.", "January one, 1986",
                TIMEX_DATE, "1986-01-01");
    expect_wire("The warrants run until September one 1995 at 5.50 dlrs.", "September one 1995",
                TIMEX_DATE, "1995-09-01");
    expect_wire_none("Fans packed the ground for the March final.", "final");
    expect_wire("Earnings for the March second quarter fell.", "second quarter", TIMEX_DATE,
                "1992-Q2");
    /* two numbers that are not one: "two three-year loans" are loans of three years */
    expect_wire("The bank granted two three-year loans.", "three-year", TIMEX_DURATION, "P3Y");
    expect_wire("It has one five-year option left.", "five-year", TIMEX_DURATION, "P5Y");
    /* "the same year-ago period" is the year-ago period, not "the same year" */
    expect_wire("Output fell 9 pct from the same year-ago period.", "the same year-ago period",
                TIMEX_DATE, "1991");
    /* a fiscal quarter with its end date keeps its number and takes the end date's year */
    expect_wire("Sales for the third quarter ended January 31 rose 12 pct.", "the third quarter",
                TIMEX_DATE, "1992-Q3");
    expect_wire("For the fourth quarter ended March 30, 1990 it earned 5 mln dlrs.",
                "the fourth quarter", TIMEX_DATE, "1990-Q4");
    /* "a year earlier" is one whatever word follows it */
    expect_wire("Sales rose in the second quarter. A year earlier Alder Mills lost money.",
                "A year earlier", TIMEX_DATE, "1991-Q2");
}

/* Columns of figures under month names are no dates: "Mar 4418  May 13270" (a table of
 * volumes), while a month with a year far away in running text is kept; nor are prices and
 * temperatures "in the 70s". */
static void test_tables_not_dates(void **state)
{
    (void)state;
    expect_wire_none("Open interest:  Mar 4418  May 13270  Jly 5127  Total 22815", "4418");
    expect_wire_none("Open interest:  Mar 4418  May 13270  Jly 5127  Total 22815", "5127");
    expect_wire_none("Stocks:  SPRING WHEAT  7731  7702  WINTER  3410  3388", "3410");
    expect_wire("The charter was granted in March 1853 and renewed twice.", "March 1853",
                TIMEX_DATE, "1853-03");
    expect_wire("Deliveries:  Jan 1992  Feb 1992  Mar 1992", "Feb 1992", TIMEX_DATE, "1992-02");
    /* two digits and an "s" are a decade only with the apostrophe */
    expect_wire_none("Crude may rise to the mid 20s a barrel next year.", "20s");
    expect_wire_none("Highs will be in the 70s on Sunday.", "70s");
    expect_wire_none("The carrier grounded its DC-10s.", "10s");
    expect_full("Growth slowed in the '80s.", "the '80s", "198", "", "");
    expect_full("Growth slowed in the mid-'70s.", "the mid-'70s", "197", "MID", "");
}

/* Figures that look like years in price tables and references (issue 16, Reuters survivors of
 * the first rounds): a high/low mark glued to a price, a column after such a price or after a
 * decimal, a year of another calendar glossed by ours, a wire page code, a table heading. */
static void test_figures_not_years(void **state)
{
    (void)state;
    const char *grain = "CANOLA    OPEN    HIGH    SETT\n JUL2  1948H 1945L   1937\n"
                        " OCT2  1962B         1951";
    expect_wire_none(grain, "1948");
    expect_wire_none(grain, "1945");
    expect_wire_none(grain, "1937");
    expect_wire_none(grain, "1962");
    expect_wire_none(grain, "1951");
    expect_wire_none("Cocoa  Jul  1003.50 1001.25 1004.00  1950", "1950");
    expect_wire_none("Lending rose during 1412 (August 1991-92), the fund said.", "1412");
    expect_wire("Lending rose during 1412 (August 1991-92), the fund said.", "August 1991",
                TIMEX_DATE, "1991-08");
    expect_wire_none("Silver fell to 4.02 dlrs from 4.05 at the close (SVMK 1974).", "1974");
    expect_none_at("Weekly crush   6/03/92   5/27/92  YEAR-AGO", WIRE, "YEAR-AGO");
    /* what stays a year: a comparison in parentheses, a year in parentheses after a word, a
     * hyphenated "years-ago", an ISO time, a quarter glued to its year */
    expect_wire("Sales in 1991 (1990) rose 5 pct.", "1990", TIMEX_DATE, "1990");
    expect_wire("Records were first kept (in 1948).", "1948", TIMEX_DATE, "1948");
    expect_wire("Output fell two years-ago.", "two years-ago", TIMEX_DATE, "1990");
    expect_wire("Output rose in 1991Q4.", "1991Q4", TIMEX_DATE, "1991-Q4");
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
        cmocka_unit_test(test_ranges_and_modifiers),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_looking_ahead_from_the_past),
        cmocka_unit_test(test_extents),
        cmocka_unit_test(test_tables_not_dates),
        cmocka_unit_test(test_figures_not_years),
    };
    return cmocka_run_group_tests_name("timex_news", tests, setup, teardown);
}
