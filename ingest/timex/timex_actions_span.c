/*
 * timex_actions_span.c — actions for expressions measured from a reference point or spanning
 * time: "last month", "two years ago", "the next day", quarters, halves, seasons, decades,
 * centuries, durations ("11 years", "the past decade"), sets ("daily") and the PRESENT_REF /
 * PAST_REF / FUTURE_REF references.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/timex/timex_actions.h"

/* "last month", "next week", "this year", "today" (rel:D:0). */
bool timex_act_rel(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out)
{
    enum timex_gran g;
    const char *unit = m->rule->args[0][0] ? m->rule->args[0] : timex_get_str(c, m, TS_CUNIT);
    if (!timex_unit_gran(unit, &g))
        return false;
    long n = m->rule->args[1][0] ? atol(m->rule->args[1]) : timex_get_int(c, m, TS_DIR, 0);
    /* "the weekend" on a weekday is the one just past unless the sentence looks ahead */
    if (g == TIMEX_G_WEEKEND && n == 0 && c->dct_day && timex_weekday(timex_dct_daynum(c)) <= 5 &&
        timex_tense_text(c, m, text) <= 0)
        n = -1;
    struct timex_point p = timex_from_base(&c->dct, c->dct_day, g, n);
    timex_put(out, &p);
    return true;
}

bool timex_act_relday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out)
{
    struct timex_point p =
        timex_from_base(&c->dct, c->dct_day, TIMEX_G_DAY, timex_get_int(c, m, TS_RELDAY, 0));
    (void)text;
    timex_put(out, &p);
    return true;
}

/* Granularity a shift by a duration unit lands on ("two years ago" -> a year). */
static enum timex_gran timex_shift_gran(char letter, bool time_unit)
{
    if (time_unit)
        return TIMEX_G_DAY;
    switch (letter) {
    case 'Y':
        return TIMEX_G_YEAR;
    case 'Q':
        return TIMEX_G_QUARTER;
    case 'M':
        return TIMEX_G_MONTH;
    case 'W':
        return TIMEX_G_WEEK;
    default:
        return TIMEX_G_DAY;
    }
}

/* Is the previously mentioned date recent enough (this or the previous sentence) to anchor? */
static bool timex_ref_near(const struct timex_ctx *c, const struct timex_match *m)
{
    return c->ref.year >= 0 && c->ref_in_block && c->toks[m->first].sent <= c->ref_sent + 1;
}

/* How far (bytes, some six sentences) "a year ago" may stand from the quarter it compares. */
#define TIMEX_QUARTER_REACH 1200

/* Is the quarter last mentioned close enough before m to be the one "a year ago" compares?
 * Earnings stories name their quarter and compare it paragraph by paragraph; a quarter named
 * once, far back, says nothing of "a year ago" in the rest of a general story. */
static bool timex_quarter_near(const struct timex_ctx *c, const struct timex_match *m)
{
    return c->quarter.year >= 0 && c->toks[m->first].start - c->quarter_at <= TIMEX_QUARTER_REACH;
}

/* "the same month last year", "the same quarter a year earlier": the month or quarter of the
 * date in discussion (else of the story's date), a year back. */
bool timex_act_sameago(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    enum timex_gran g;
    const char *unit = timex_get_str(c, m, TS_CUNIT);
    if (!unit || !timex_unit_gran(unit, &g) || g == TIMEX_G_YEAR)
        return false;
    struct timex_point p;
    if (g == TIMEX_G_QUARTER && timex_quarter_near(c, m))
        p = c->quarter;
    else if (timex_ref_near(c, m) && c->ref.gran <= g)
        p = timex_from_base(&c->ref, c->ref.gran == TIMEX_G_DAY, g, 0);
    else
        p = timex_from_base(&c->dct, c->dct_day, g, 0);
    if (p.year < 0)
        return false; /* the week in discussion is unknown: "a year earlier" alone is tagged */
    p = timex_point_shift(&p, TIMEX_G_YEAR, -1);
    (void)text;
    timex_put(out, &p);
    return true;
}

/* "two years ago" (from the DCT), "a year earlier" (from the previous date), "… from now".
 * A year back from a quarter stays a quarter ("the quarter … a year earlier" = 1988-Q3). */
bool timex_act_ago(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out)
{
    const char *mode = m->rule->args[0];
    long mult;
    char letter;
    bool tu;
    const char *unit = timex_get_str(c, m, TS_UNIT);
    if (!unit)
        unit = m->rule->args[1];
    if (!timex_parse_unit(unit, &mult, &letter, &tu))
        return false;
    long n = (long)timex_get_count(c, m, 1) * mult;
    if (n <= 0)
        return false; /* number words that are not one number */
    long sign = strcmp(mode, "fut") == 0 ? 1 : -1;
    if (strcmp(mode, "ref") == 0)
        sign = timex_get_int(c, m, TS_SHIFTREF, -1) > 0 ? 1 : -1;
    enum timex_gran g = timex_shift_gran(letter, tu);
    bool near = timex_ref_near(c, m);
    const struct timex_point *base = &c->dct;
    bool base_day = c->dct_day;
    if (strcmp(mode, "ref") == 0 && near && c->ref.gran <= g) {
        base = &c->ref;
        base_day = c->ref.gran == TIMEX_G_DAY;
    }
    struct timex_point p;
    if (g == TIMEX_G_YEAR && n == 1 && timex_quarter_near(c, m)) /* earnings: the same quarter */
        p = timex_point_shift(&c->quarter, TIMEX_G_YEAR, sign);
    else
        p = timex_from_base(base, base_day, g, sign * n);
    (void)text;
    timex_put(out, &p);
    return true;
}

/* "the next day", "the previous year", "that day": from the previously mentioned date. */
bool timex_act_anaphor(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    enum timex_gran g;
    const char *unit = timex_get_str(c, m, TS_CUNIT);
    if (!timex_unit_gran(unit ? unit : m->rule->args[1], &g)) /* "anaphor:0:E  the decade" */
        return false;
    long n = m->rule->args[0][0] ? atol(m->rule->args[0]) : timex_get_int(c, m, TS_ADIR, 0);
    struct timex_point p;
    if (c->ref.year >= 0 && c->ref.gran <= g)
        p = timex_from_base(&c->ref, c->ref.gran == TIMEX_G_DAY, g, n);
    else
        p = timex_from_base(&c->dct, c->dct_day, g, n);
    (void)text;
    timex_put(out, &p);
    return true;
}

/* How far from a quarter or half a results word counts: after it, "fourth quarter net
 * income"; before it, the clause that leads to it ("expects to report net income of 15 cents a
 * share for the third quarter"). */
#define TIMEX_RESULTS_AFTER 4
#define TIMEX_RESULTS_BEFORE 12

/* Is a results word ("earnings", "loss") within a few words of the match, in its sentence? */
static bool timex_results_near(const struct timex_ctx *c, const struct timex_match *m)
{
    int cls = c->slots->cls[TS_RESULTS];
    uint32_t sent = c->toks[m->first].sent;
    for (size_t d = 1; d <= TIMEX_RESULTS_BEFORE; d++) {
        int32_t iv;
        const char *sv;
        size_t r = m->last + d - 1;
        if (d <= TIMEX_RESULTS_AFTER && r < c->n && c->toks[r].sent == sent &&
            timex_tok_value(c->lx, &c->toks[r], cls, &iv, &sv))
            return true;
        if (m->first >= d && c->toks[m->first - d].sent == sent &&
            timex_tok_value(c->lx, &c->toks[m->first - d], cls, &iv, &sv))
            return true;
    }
    return false;
}

/* The year of a quarter/half/season: stated, "this/last/next", or chosen by tense. false when
 * the "year" is a figure of a table ("WINTER 1639  1635"). */
static bool timex_period_year(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_point *p)
{
    int y = timex_get_year(c, m);
    int32_t dv;
    const char *sv;
    if (timex_get_int(c, m, TS_YEAR, -1) >= 0 &&
        timex_year_in_table(c, (size_t)m->caps.tok[c->slots->cls[TS_YEAR]]))
        return false;
    if (y >= 0) {
        p->year = y;
    } else if (strcmp(m->rule->args[0], "recent") == 0) {
        timex_choose_year(c, p, -1); /* "this past spring": the latest one begun */
    } else if (timex_get(c, m, TS_DIR, &dv, &sv) && c->dct.year >= 0) {
        p->year = c->dct.year + dv; /* news usage: "last spring" is last year's spring */
    } else {
        /* quarters and halves are mostly reported after the fact: a past cue decides, but the
         * future cues of earnings sentences ("expects", "will report") mislead more than they
         * help, so then the nearest one wins; without a results word near it the future cue
         * holds ("the third quarter will be in better balance") */
        int tense = timex_tense_text(c, m, text);
        if (p->gran != TIMEX_G_SEASON && tense > 0 && timex_results_near(c, m))
            tense = 0;
        struct timex_point ahead = *p;
        timex_choose_year(c, p, tense);
        /* ... and not into the next year: in April "the first quarter" with a future cue is
         * the one just ended, still to be reported ("expects first quarter GNP to rise") */
        if (p->gran != TIMEX_G_SEASON && tense > 0 && p->year > c->dct.year) {
            *p = ahead;
            timex_choose_year(c, p, 0);
        }
    }
    return true;
}

/* "the quarter ended Sept. 30": the month its end date names, or -1 when none follows. */
static int timex_quarter_end_month(const struct timex_ctx *c, const struct timex_match *m)
{
    size_t k = m->last;
    int32_t mo;
    const char *sv;
    if (k + 1 >= c->n || (!timex_word_is(c, k, "ended") && !timex_word_is(c, k, "ending")))
        return -1;
    return timex_tok_value(c->lx, &c->toks[k + 1], c->slots->cls[TS_MONTH], &mo, &sv) ? mo : -1;
}

/* The year of a quarter's end month mo, chosen as for a bare month but never ahead on a future
 * cue (earnings sentences: "expects a profit for the quarter ended January 31"). */
static int timex_quarter_end_year(const struct timex_ctx *c, const struct timex_match *m,
                                  const char *text, int mo)
{
    struct timex_point p = {-1, mo, -1, -1, TIMEX_G_MONTH};
    int tense = timex_tense_text(c, m, text);
    timex_choose_year(c, &p, tense > 0 ? 0 : tense);
    return p.year;
}

/* The calendar quarter holding most of the three months that end in month mo: the one of the
 * month before ("the quarter ended July 31" is May-July, 1989-Q2), in its end date's year. */
static struct timex_point timex_quarter_ending(const struct timex_ctx *c,
                                               const struct timex_match *m, const char *text,
                                               int mo)
{
    int year = timex_quarter_end_year(c, m, text, mo);
    int mid = mo == 1 ? 12 : mo - 1;
    return (struct timex_point){year >= 0 && mo == 1 ? year - 1 : year, -1, -1, (mid - 1) / 3 + 1,
                                TIMEX_G_QUARTER};
}

/* "the third quarter", "Q3 2024", "the quarter" (the one just mentioned, else the one its end
 * date places, else the last one completed before the DCT, as earnings reports use it). */
bool timex_act_quarter(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    int q = timex_get_int(c, m, TS_ORDW, -1);
    if (q < 0)
        q = timex_get_int(c, m, TS_ORDN, -1);
    if (q < 0)
        q = timex_get_int(c, m, TS_QTOK, -1);
    struct timex_point p = {-1, -1, -1, q, TIMEX_G_QUARTER};
    int y = timex_get_int(c, m, TS_YEAR, -1);
    /* a quarter the story has just named keeps its own (maybe fiscal) number: "the fiscal
     * first quarter … the quarter ended Sept. 29" is that first quarter */
    int end_mo = q < 0 && !timex_quarter_near(c, m) ? timex_quarter_end_month(c, m) : -1;
    if (end_mo > 0) {
        p = timex_quarter_ending(c, m, text, end_mo);
        timex_put(out, &p);
        return true;
    }
    if (q < 0) {
        if (c->quarter.year >= 0)
            p = c->quarter;
        else
            p = timex_from_base(&c->dct, c->dct_day, TIMEX_G_QUARTER, -1);
        if (y >= 0) /* "the 1988 quarter": the quarter under discussion, in 1988 */
            p.year = y;
        timex_put(out, &p);
        return true;
    }
    if (q > 4)
        return false;
    /* "the second quarter ended January 31": a fiscal quarter keeps its number and takes the
     * year of its end date */
    int32_t dv;
    const char *sv;
    int ord_end_mo =
        y < 0 && !timex_get(c, m, TS_DIR, &dv, &sv) && !timex_get(c, m, TS_ADIR, &dv, &sv)
            ? timex_quarter_end_month(c, m)
            : -1;
    if (ord_end_mo > 0) {
        p.year = timex_year_after_month(c, m->last + 2);
        if (p.year < 0)
            p.year = timex_quarter_end_year(c, m, text, ord_end_mo);
    } else if (!timex_period_year(c, m, text, &p)) {
        return false;
    }
    timex_put(out, &p);
    return true;
}

bool timex_act_half(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out)
{
    int h = m->rule->args[0][0] ? atoi(m->rule->args[0]) : timex_get_int(c, m, TS_ORDW, -1);
    if (h < 0)
        h = timex_get_int(c, m, TS_ORDN, -1);
    if (h < 1 || h > 2)
        return false;
    struct timex_point p = {-1, -1, -1, h, TIMEX_G_HALF};
    int32_t dv;
    const char *sv;
    if (timex_get_int(c, m, TS_YEAR, -1) < 0 && timex_get(c, m, TS_DIR, &dv, &sv) &&
        c->dct.year >= 0)
        p.year = c->dct.year + dv; /* "the first half of next year" */
    else if (!timex_period_year(c, m, text, &p))
        return false;
    timex_put(out, &p);
    return true;
}

bool timex_act_season(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out)
{
    static const char *const codes[] = {"SP", "SU", "FA", "WI"};
    const char *s = timex_get_str(c, m, TS_SEASON);
    struct timex_point p = {-1, -1, -1, -1, TIMEX_G_SEASON};
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, codes[i]) == 0)
            p.sub = i;
    if (p.sub < 0)
        return false;
    if (!timex_period_year(c, m, text, &p))
        return false;
    timex_put(out, &p);
    return true;
}

/* "the 1990s" -> 199, "the '80s" -> 198. */
bool timex_act_decade(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out)
{
    int v = timex_get_int(c, m, TS_DECN, -1);
    if (v < 0)
        v = timex_get_int(c, m, TS_DECW, -1);
    if (v < 0) /* "the 1970's" */
        v = timex_get_int(c, m, TS_YEAR, -1);
    if (v >= 100 && v % 10 != 0) /* "1986's total": a year, not a decade */
        return timex_act_year(c, m, text, out);
    if (v < 0)
        return false;
    int dcls = c->slots->cls[TS_DECN];
    if (v < 100 && dcls >= 0 && m->caps.tok[dcls] >= 0) {
        /* "the '80s" is a decade; without the apostrophe two digits are mostly prices,
         * temperatures, ages or models ("rise to the mid 20s", "highs in the 70s", "DC-10s") */
        size_t k = (size_t)m->caps.tok[dcls];
        const struct timex_tok *q = k > 0 ? &c->toks[k - 1] : NULL;
        if (!q || q->kind != TIMEX_TOK_PUNCT || q->end != c->toks[k].start ||
            (c->text[q->start] != '\'' && (unsigned char)c->text[q->start] != 0xE2))
            return false;
    }
    if (v < 100)
        v += (c->dct.year >= 0 && 2000 + v <= c->dct.year) ? 2000 : 1900;
    /* "the 1800s" is the century 1800-1899 ("18"), not its first decade; "the 2000s" stays
     * the decade it mostly names */
    bool century = v >= 1000 && v % 100 == 0 && v != 2000;
    struct timex_point p = {v, -1, -1, 0, century ? TIMEX_G_CENTURY : TIMEX_G_DECADE};
    (void)text;
    timex_put(out, &p);
    return true;
}

bool timex_act_century(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    int n = timex_get_int(c, m, TS_ORDW, -1);
    if (n < 0)
        n = timex_get_int(c, m, TS_ORDN, -1);
    if (n < 1 || n > 30)
        return false;
    struct timex_point p = {(n - 1) * 100, -1, -1, 0, TIMEX_G_CENTURY};
    (void)text;
    timex_put(out, &p);
    return true;
}

/* "nineteen ninety-six" -> 1996, "two thousand one" -> 2001 (broadcast transcripts). */
bool timex_act_spokenyear(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    int cent = timex_get_int(c, m, TS_CENTW, 20), tens = timex_get_int(c, m, TS_TENSW, 0);
    struct timex_point p = {cent * 100 + tens + timex_get_int(c, m, TS_ONESW, 0), -1, -1, 0,
                            TIMEX_G_YEAR};
    if (timex_get_int(c, m, TS_MONTH, -1) > 0 || timex_get_str(c, m, TS_SEASON))
        return false; /* "January nineteen ninety-seven": the date and season rules read it */
    (void)text;
    timex_put(out, &p);
    return true;
}

/* Writes "P11Y", "PT5H", "PXY" for count n (-1 = X) of unit u. */
static bool timex_put_duration(struct timex_expr *out, long n, const char *u)
{
    long mult;
    char letter;
    bool tu;
    if (!timex_parse_unit(u, &mult, &letter, &tu))
        return false;
    if (n < 0)
        snprintf(out->value, sizeof out->value, "P%sX%c", tu ? "T" : "", letter);
    else
        snprintf(out->value, sizeof out->value, "P%s%ld%c", tu ? "T" : "", n * mult, letter);
    return true;
}

/* "11 years", "the past decade" (P10Y), "several years" (dur:X), "a year" (dur:1). */
bool timex_act_dur(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out)
{
    const char *a = m->rule->args[0];
    const char *u = timex_get_str(c, m, TS_UNIT);
    if (!u)
        u = timex_get_str(c, m, TS_UNITPL);
    if (!u)
        u = timex_get_str(c, m, TS_LONGUNIT);
    long n = a[0] == 'X' ? -1 : a[0] ? atol(a) : timex_get_count(c, m, 1);
    int ucls = c->slots->cls[TS_UNIT], pcls = c->slots->cls[TS_UNITPL];
    if (!a[0] && timex_get_count(c, m, -1) < 0 && ucls >= 0 && pcls >= 0 &&
        m->caps.tok[ucls] >= 0 && ((c->toks[m->caps.tok[ucls]].cls >> pcls) & 1))
        n = -1; /* "the coming years": a plural unit without a count is vague */
    (void)text;
    if (!u && strcmp(m->rule->args[1], "X") == 0) { /* "a while": no unit at all */
        snprintf(out->value, sizeof out->value, "PXX");
        return true;
    }
    return n != 0 && timex_put_duration(out, n, u);
}

/* "2 1/2 years" -> P2Y6M, "an hour and a half" -> PT1H30M, "half an hour" (durhalf:0) ->
 * PT30M: the half goes into the next smaller unit. */
bool timex_act_durhalf(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    static const struct {
        char letter;
        bool time_unit;
        const char *half; /* the half unit, appended to the whole ones */
        char whole;
    } halves[] = {{'Y', false, "6M", 'Y'},
                  {'M', false, "15D", 'M'},
                  {'D', false, "T12H", 'D'},
                  {'H', true, "30M", 'H'},
                  {'M', true, "30S", 'M'}};
    long mult, n = m->rule->args[0][0] ? atol(m->rule->args[0]) : timex_get_count(c, m, 1);
    char letter;
    bool tu;
    (void)text;
    if (!timex_parse_unit(timex_get_str(c, m, TS_UNIT), &mult, &letter, &tu) || mult != 1)
        return false;
    for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++) {
        if (halves[i].letter != letter || halves[i].time_unit != tu)
            continue;
        char whole[24] = "";
        if (n > 0)
            snprintf(whole, sizeof whole, "%ld%c", n, halves[i].whole);
        snprintf(out->value, sizeof out->value, "P%s%s%s", tu ? "T" : "", whole, halves[i].half);
        return true;
    }
    return false;
}

/* "daily" (set:P1D), "every week", "each year". */
bool timex_act_set(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out)
{
    (void)text;
    if (m->rule->args[0][0]) {
        snprintf(out->value, sizeof out->value, "%s", m->rule->args[0]);
        return true;
    }
    /* "every Monday" = XXXX-WXX-1, "each July" = XXXX-07 (TimeML writes a recurring calendar
     * point as that point with the rest unknown) */
    int wd = timex_get_int(c, m, TS_WEEKDAY, -1), mo = timex_get_month(c, m);
    if (wd < 0)
        wd = timex_get_int(c, m, TS_WEEKDAYPL, -1);
    const char *part = timex_get_str(c, m, TS_PARTDAYPL);
    if (wd >= 1 && wd <= 7) { /* "Tuesday nights" = XXXX-WXX-2TNI */
        snprintf(out->value, sizeof out->value, "XXXX-WXX-%d%s%s", wd, part ? "T" : "",
                 part ? part : "");
        return true;
    }
    if (mo >= 1 && mo <= 12) {
        snprintf(out->value, sizeof out->value, "XXXX-%02d", mo);
        return true;
    }
    const char *season = timex_get_str(c, m, TS_SEASON), *pd = timex_get_str(c, m, TS_PARTDAY);
    if (season || pd) { /* "every summer" = XXXX-SU, "each morning" = XXXX-XX-XXTMO */
        snprintf(out->value, sizeof out->value, "XXXX-%s%s", season ? "" : "XX-XXT",
                 season ? season : pd);
        return true;
    }
    return timex_put_duration(out, timex_get_count(c, m, 1), timex_get_str(c, m, TS_UNIT));
}

/* "now" (ref:PRESENT_REF), "recently", "the future". */
bool timex_act_ref(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out)
{
    (void)c;
    (void)text;
    snprintf(out->value, sizeof out->value, "%s", m->rule->args[0]);
    return out->value[0] != '\0';
}
