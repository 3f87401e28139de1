/*
 * timex_resolve.c — normalisation of rule matches to TIMEX3 values, following the news
 * convention: underspecified and relative expressions count from the publication date (DCT);
 * where a date could lie on either side of it ("Friday", "Dec. 12", "the 26th"), the tense of
 * the sentence decides (past: the latest one not after the DCT; future: the first one not
 * before it; unknown: the nearest). Anaphoric expressions ("the next day", "a year earlier")
 * count from the previously mentioned date.
 */
#include "ingest/timex/timex_resolve.h"

#include "ingest/timex/timex_actions.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* clang-format off */
static const char *const timex_slot_names[] = {
    "MONTH", "MONTHBARE", "MONN", "DAYN", "ORDN", "ORDW",
    "YEAR", "WEEKDAY", "NUMW", "INT", "UNIT", "UNITPL",
    "CUNIT", "SEASON", "PARTDAY", "DIR", "ADIR", "VAGUE",
    "AMPM", "AMPMLETTER", "HOURN", "MIN2", "DECN", "QTOK",
    "RELDAY", "CLOCKWORD", "SHIFTREF", "TENSE", "DECW", "CENTW",
    "TENSW", "ONESW", "LONGUNIT", "HOLIDAY", "YEARPRE", "YEARPOST",
    "YEARLINK", "HHMM", "TZ", "REPORT", "PROGAUX", "INFTO",
    "DET", "PERFECT", "YR2", "FWDMONTH", "FWDAUX", "FWDQUOTE", "COMP",
    "NUMMULT", "ADV", "MODAL", "WEEKDAYPL", "PARTDAYPL", "NOUNCUE",
    "INTENT", "FWDFAR", "FWDPRE", "CONTRAST", "FIG",
    "RESULTS", "DEFER",
};
/* clang-format on */

_Static_assert(sizeof timex_slot_names / sizeof timex_slot_names[0] == TS_COUNT,
               "a name for every slot");

void timex_slots_init(struct timex_slots *s, const struct timex_lex *lx)
{
    for (int i = 0; i < TS_COUNT; i++)
        s->cls[i] = timex_lex_class(lx, timex_slot_names[i]);
}

/* ---- reading a match ---- */

/* The value of slot `slot` in the match; false when the match did not capture it. */
bool timex_get(const struct timex_ctx *c, const struct timex_match *m, enum timex_slot slot,
               int32_t *iv, const char **sv)
{
    int cls = c->slots->cls[slot];
    if (cls < 0 || m->caps.tok[cls] < 0)
        return false;
    return timex_tok_value(c->lx, &c->toks[m->caps.tok[cls]], cls, iv, sv);
}

int timex_get_int(const struct timex_ctx *c, const struct timex_match *m, enum timex_slot slot,
                  int dflt)
{
    int32_t iv;
    const char *sv;
    return timex_get(c, m, slot, &iv, &sv) ? iv : dflt;
}

const char *timex_get_str(const struct timex_ctx *c, const struct timex_match *m,
                          enum timex_slot slot)
{
    int32_t iv;
    const char *sv = NULL;
    return timex_get(c, m, slot, &iv, &sv) ? sv : NULL;
}

/* The count of a duration or shift: a number word or digits; dflt when neither is there. */
/* Can number word b follow number word a inside one number? "twenty four", "two hundred",
 * "a hundred twenty" yes; "two three-year (loans)", "nineteen ninety" no. */
static bool timex_number_follows(long a, bool a_mult, long b, bool b_mult)
{
    if (b_mult)
        return !a_mult || a < b; /* "two hundred", "hundred thousand" */
    if (a_mult)
        return b < a; /* "a hundred twenty" */
    return a >= 20 && a < 100 && a % 10 == 0 && b >= 1 && b <= 9;
}

/* The value of the number words that end at token k of the match, read leftwards over hyphens
 * ("twenty four" = 24, "twenty-four" = 24, "a hundred" = 100, "two thousand" = 2000, "two
 * dozen" = 24): multipliers (NUMMULT) scale what stands before them. 0 when the words are not
 * one number ("two three-year"). */
static int timex_number_words(const struct timex_ctx *c, const struct timex_match *m, size_t k)
{
    int cls = c->slots->cls[TS_NUMW], mcls = c->slots->cls[TS_NUMMULT];
    size_t j = k;
    while (j > m->first) {
        size_t p = j - 1;
        if (c->toks[p].kind == TIMEX_TOK_PUNCT && c->toks[p].end - c->toks[p].start == 1 &&
            c->text[c->toks[p].start] == '-' && p > m->first)
            p--;
        if (!((c->toks[p].cls >> cls) & 1))
            break;
        j = p;
    }
    long total = 0, cur = 0, prev = -1;
    bool prev_mult = false;
    for (size_t i = j; i <= k; i++) {
        int32_t v;
        const char *sv;
        if (!timex_tok_value(c->lx, &c->toks[i], cls, &v, &sv))
            continue;
        bool mult = mcls >= 0 && ((c->toks[i].cls >> mcls) & 1);
        if (prev >= 0 && !timex_number_follows(prev, prev_mult, v, mult))
            return 0;
        if (mult && v >= 100) {
            total += (cur ? cur : 1) * v;
            cur = 0;
        } else if (mult) {
            cur = (cur ? cur : 1) * v;
        } else {
            cur += v;
        }
        prev = v;
        prev_mult = mult;
        if (total + cur > 1000000)
            return 0;
    }
    return (int)(total + cur);
}

int timex_get_count(const struct timex_ctx *c, const struct timex_match *m, int dflt)
{
    int v = timex_get_int(c, m, TS_INT, -1);
    if (v >= 0)
        return v;
    int cls = c->slots->cls[TS_NUMW], mcls = c->slots->cls[TS_NUMMULT];
    int32_t k = cls >= 0 ? m->caps.tok[cls] : -1;
    if (mcls >= 0 && m->caps.tok[mcls] > k) /* "a hundred years": captured as a multiplier */
        k = m->caps.tok[mcls];
    if (k < 0)
        return dflt;
    return timex_number_words(c, m, (size_t)k);
}

int timex_get_year(const struct timex_ctx *c, const struct timex_match *m)
{
    int y = timex_get_int(c, m, TS_YEAR, -1);
    int cent = timex_get_int(c, m, TS_CENTW, -1), tens = timex_get_int(c, m, TS_TENSW, -1);
    if (y < 0 && cent > 0 && tens >= 0) /* "nineteen ninety-four" */
        y = cent * 100 + tens + timex_get_int(c, m, TS_ONESW, 0);
    return y;
}

int timex_get_month(const struct timex_ctx *c, const struct timex_match *m)
{
    int mo = timex_get_int(c, m, TS_MONTH, -1);
    if (mo < 0)
        mo = timex_get_int(c, m, TS_MONTHBARE, -1);
    return mo < 0 ? timex_get_int(c, m, TS_MONN, -1) : mo;
}

/* ---- tense ---- */

bool timex_word_is(const struct timex_ctx *c, size_t k, const char *w)
{
    return k < c->n && c->toks[k].word >= 0 &&
           c->toks[k].word == timex_lex_find(c->lx, w, strlen(w));
}

bool timex_tok_punct(const struct timex_ctx *c, size_t k, char ch)
{
    return k < c->n && c->toks[k].kind == TIMEX_TOK_PUNCT &&
           c->toks[k].end - c->toks[k].start == 1 && c->text[c->toks[k].start] == ch;
}

static bool timex_tok_in(const struct timex_ctx *c, size_t k, enum timex_slot s)
{
    int cls = c->slots->cls[s];
    return k < c->n && cls >= 0 && (c->toks[k].cls >> cls & 1);
}

/* A lower-case word ending in "ing" ("launching"). */
static bool timex_tok_ing(const struct timex_ctx *c, size_t k, const char *text)
{
    const struct timex_tok *t = &c->toks[k];
    size_t n = t->end - t->start;
    return text && t->kind == TIMEX_TOK_WORD && !t->cap && n >= 5 &&
           memcmp(text + t->end - 3, "ing", 3) == 0;
}

/* An auxiliary listed with value 0 ("be", "is", "been"; also "to"). */
static bool timex_tok_aux(const struct timex_ctx *c, size_t k)
{
    int32_t iv;
    const char *sv;
    return k < c->n && timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_TENSE], &iv, &sv) &&
           iv == 0 && !timex_tok_in(c, k, TS_ADV);
}

/* A modal auxiliary ("will", "may"), not the month "May". */
static bool timex_tok_modal(const struct timex_ctx *c, size_t k)
{
    return timex_tok_in(c, k, TS_MODAL) && !(c->toks[k].cap && timex_tok_in(c, k, TS_MONTH));
}

/* An adverb: a lower-case word ending in "ly", or one listed with the flag "adv" ("still"). */
static bool timex_tok_adverb(const struct timex_ctx *c, size_t k)
{
    const struct timex_tok *t = &c->toks[k];
    size_t n = t->end - t->start;
    return timex_tok_in(c, k, TS_ADV) || (t->kind == TIMEX_TOK_WORD && !t->cap && n >= 4 &&
                                          memcmp(c->text + t->end - 2, "ly", 2) == 0);
}

/* Is token k a past form made passive or adjectival by the auxiliary or determiner before it
 * ("will be held", "an increased dividend"), an adverb between them or not ("will be formally
 * named", "a still unspecified date", "the previously announced plan")? */
static bool timex_tok_passive(const struct timex_ctx *c, size_t k)
{
    if (k > 1 && timex_tok_adverb(c, k - 1))
        k--;
    return k > 0 && timex_tok_aux(c, k - 1) && !timex_tok_in(c, k - 1, TS_INFTO);
}

/* "is launching", "is to meet", "to be held": forms that look ahead. */
static bool timex_tok_ahead(const struct timex_ctx *c, size_t k, const char *text)
{
    if (k + 1 >= c->n)
        return false;
    if (timex_tok_in(c, k, TS_PROGAUX))
        return timex_tok_ing(c, k + 1, text) || timex_tok_in(c, k + 1, TS_INFTO);
    return timex_tok_in(c, k, TS_INFTO) && timex_tok_aux(c, k + 1) &&
           !timex_tok_in(c, k + 1, TS_INFTO) && !timex_tok_in(c, k + 1, TS_PROGAUX) &&
           !timex_tok_in(c, k + 1, TS_DET);
}

/* Tense cue of token k, at distance dist from the expression: the TENSE class, else a regular
 * past form ("-ed", not "-eed") unless an auxiliary listed with value 0 makes it passive ("will
 * be named"); "is launching", "is to", "to be" look ahead; a reporting verb after the
 * expression (`after`) counts only right next to it. */
static int timex_tok_tense(const struct timex_ctx *c, size_t k, size_t dist, bool after,
                           const char *text)
{
    int32_t iv;
    const char *sv;
    const struct timex_tok *t = &c->toks[k];
    int cls = c->slots->cls[TS_TENSE];
    if (t->cap && timex_tok_in(c, k, TS_MONTH))
        return 0; /* "May", the month, is not "may" */
    if (timex_tok_value(c->lx, t, cls, &iv, &sv)) {
        /* "planned to present it in May": the intended act is ahead of the intention (after
         * the expression the intention is another clause: "measures since May intended to") */
        if (timex_tok_in(c, k, TS_INTENT) && timex_tok_in(c, k + 1, TS_INFTO))
            return after ? -1 : 1;
        if (timex_tok_in(c, k, TS_REPORT) && after && dist > 2)
            return 0;
        if (timex_tok_ahead(c, k, text))
            return 1;
        /* "no earlier than August", "lower than expected in January": a cue next to "than"
         * compares and says nothing about the date */
        if (timex_tok_in(c, k + 1, TS_COMP) || (k > 0 && timex_tok_in(c, k - 1, TS_COMP)))
            return 0;
        if (iv < 0 && timex_tok_passive(c, k))
            return 0;
        /* "the plan", "its forecast": such a future cue after a determiner is a noun */
        if (iv > 0 && k > 0 && timex_tok_in(c, k, TS_NOUNCUE) && timex_tok_in(c, k - 1, TS_DET))
            return 0;
        /* "to hit", "to put": a past form the same as the base form is none after "to" */
        if (iv < 0 && k > 0 && timex_tok_in(c, k - 1, TS_INFTO))
            return 0;
        /* "will last", "must sell": a past-looking form after a modal ("housing starts rose":
         * not after other future cues) */
        if (iv < 0 && k > 0 &&
            (timex_tok_modal(c, k - 1) ||
             (k > 1 && timex_tok_adverb(c, k - 1) && timex_tok_modal(c, k - 2))))
            return 1; /* "may not last", "will still run" */
        return iv < 0 ? -1 : iv > 0 ? 1 : 0;
    }
    if (!text || t->kind != TIMEX_TOK_WORD || t->cap || timex_tok_passive(c, k))
        return 0;
    size_t n = t->end - t->start;
    const char *w = text + t->start;
    if (n >= 5 && w[n - 2] == 'e' && w[n - 1] == 'd' && w[n - 3] != 'e')
        return -1;
    return 0;
}

/* "had" among the four tokens before token k ("had been due to expire"). */
static bool timex_perfect_before(const struct timex_ctx *c, size_t k)
{
    for (size_t j = 1; j <= 4 && j <= k; j++)
        if (timex_tok_in(c, k - j, TS_PERFECT))
            return true;
    return false;
}

/* Is token r, a reporting verb, the tail of a sentence whose expression m a comma closes
 * ("… present it to the group at 1130 GMT Tuesday, they said.", "… told Reuters.")? Then the
 * weekday belongs to what was reported, and its own verbs tell its tense. */
static bool timex_trailing_report(const struct timex_ctx *c, const struct timex_match *m, size_t r)
{
    if (m->last >= c->n || c->text[c->toks[m->last].start] != ',')
        return false;
    size_t words = 0;
    for (size_t k = r + 1; k < c->n && c->toks[k].sent == c->toks[r].sent; k++)
        if (c->toks[k].kind != TIMEX_TOK_PUNCT && ++words > 2)
            return false;
    return true;
}

/* Is token k "until" or "till" (or, with to_too, "to"): the words a date runs up to? */
static bool timex_tok_until(const struct timex_ctx *c, size_t k, bool to_too)
{
    return timex_word_is(c, k, "until") || timex_word_is(c, k, "till") ||
           (to_too && timex_word_is(c, k, "to"));
}

/* Is the word right before match m "until", "till" or "to", which a verb of putting off points
 * ahead with ("postponed the vote until June")? */
static bool timex_until_before(const struct timex_ctx *c, const struct timex_match *m)
{
    return m->first > 0 && timex_tok_until(c, m->first - 1, true);
}

/* "between now and June", "from now until Friday": the date is ahead, whatever the verbs say. */
static bool timex_from_now(const struct timex_ctx *c, const struct timex_match *m)
{
    size_t k = m->first;
    return k >= 2 && timex_word_is(c, k - 2, "now") &&
           (timex_word_is(c, k - 1, "and") || timex_tok_until(c, k - 1, true));
}

/* Is token k the word w, in any case? */
static bool timex_tok_word(const struct timex_ctx *c, size_t k, const char *text, const char *w)
{
    const struct timex_tok *t = &c->toks[k];
    size_t n = strlen(w);
    return t->kind == TIMEX_TOK_WORD && t->end - t->start == n &&
           strncasecmp(text + t->start, w, n) == 0;
}

/* "had" within six tokens of token k, either side, in its sentence ("had asked for the data by
 * Monday", "by Monday 17 had been fired"): a past seen from further back. */
static bool timex_perfect_near(const struct timex_ctx *c, size_t k)
{
    for (size_t j = k > 6 ? k - 6 : 0; j < c->n && j <= k + 6; j++)
        if (c->toks[j].sent == c->toks[k].sent && timex_tok_in(c, j, TS_PERFECT))
            return true;
    return false;
}

/* "report by July", "completion by the end of June": "by" before the date sets a deadline, which
 * lies ahead. Not as the agent of a passive or past form ("hit by", "boosted by"), nor where "by"
 * opens the sentence or its clause ("By January the estimate had fallen", "but by Wednesday the
 * dollar climbed"), nor beside a past perfect, nor before a possessive ("by December's rush"). */
static bool timex_by_deadline(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text)
{
    if (!text || m->first < 2 || !timex_word_is(c, m->first - 1, "by"))
        return false;
    size_t k = m->first - 2;
    const struct timex_tok *t = &c->toks[k];
    int32_t iv;
    const char *sv;
    if (t->sent != c->toks[m->first].sent || t->kind != TIMEX_TOK_WORD ||
        timex_tok_word(c, k, text, "and") || timex_tok_word(c, k, text, "but") ||
        (timex_tok_value(c->lx, t, c->slots->cls[TS_TENSE], &iv, &sv) && iv < 0) ||
        timex_perfect_near(c, m->first - 1))
        return false;
    size_t n = t->end - t->start;
    if (n >= 3 && memcmp(text + t->end - 2, "ed", 2) == 0)
        return false;
    /* a possessive: the token right after the date, with no space, is an apostrophe */
    const struct timex_tok *next = m->last < c->n ? &c->toks[m->last] : NULL;
    return !next || next->start != c->toks[m->last - 1].end ||
           (text[next->start] != '\'' &&
            !(next->end - next->start >= 3 && memcmp(text + next->start, "\xE2\x80\x99", 3) == 0));
}

/* "a waiver until May 26", "in force until July 1", "companies have until October 15": a date
 * after "until" or "till" is where something runs to, ahead of the story. Not in a narrative of
 * what did not happen before it ("was not signed until November 5"), beside "had", nor before
 * "when" or a past form ("few buyers until December, when purchases grew", "who until May 4
 * was its chairman"). */
static bool timex_until_ahead(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text)
{
    if (!text || m->first < 1 || !timex_tok_until(c, m->first - 1, false))
        return false;
    size_t u = m->first - 1;
    uint32_t sent = c->toks[u].sent;
    for (size_t j = u > 6 ? u - 6 : 0; j < u; j++)
        if (c->toks[j].sent == sent &&
            (timex_tok_word(c, j, text, "not") || timex_tok_word(c, j, text, "never") ||
             timex_tok_word(c, j, text, "t"))) /* "didn't": the tokenizer splits the "t" off */
            return false;
    size_t after = m->last < c->n && c->text[c->toks[m->last].start] == ',' ? m->last + 1 : m->last;
    if (after < c->n && c->toks[after].sent == sent && timex_tok_word(c, after, text, "when"))
        return false;
    if (m->last < c->n && c->toks[m->last].sent == sent &&
        timex_tok_tense(c, m->last, 1, true, text) < 0)
        return false; /* "who until January 29 was a director" (not after a comma: "in force
                       * until July 1, reimposed wage levels" is another clause) */
    return !timex_perfect_near(c, u);
}

/* How far before an expression a past form makes it part of a clause of its own ("the year
 * ended March 31 would", "the fiscal year that began on April 1 might"). */
#define TIMEX_MODAL_CLAUSE_REACH 3

/* Is the expression the subject of a modal right after it ("June would be the likeliest
 * time", "thought that June would"), not of a past one ("May would have been"), nor the end of
 * a clause with a past form just before it? */
static bool timex_modal_after(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text)
{
    size_t k = m->last;
    uint32_t sent = c->toks[m->first].sent;
    if (k + 1 >= c->n || c->toks[k].sent != sent || !timex_tok_modal(c, k) ||
        timex_word_is(c, k + 1, "have"))
        return false;
    if (m->first > 0 && timex_word_is(c, m->first - 1, "that"))
        return true;
    for (size_t d = 1; d <= TIMEX_MODAL_CLAUSE_REACH && d <= m->first; d++)
        if (c->toks[m->first - d].sent == sent &&
            timex_tok_tense(c, m->first - d, d, false, text) < 0)
            return false;
    return true;
}

/* Tense of the sentence around a match: -1 past, 1 future, 0 unknown. The nearest cue in the
 * same sentence wins, the left one at equal distance. */
int timex_tense_text(const struct timex_ctx *c, const struct timex_match *m, const char *text)
{
    uint32_t sent = c->toks[m->first].sent;
    if (timex_from_now(c, m) || timex_by_deadline(c, m, text) || timex_until_ahead(c, m, text) ||
        timex_modal_after(c, m, text))
        return 1;
    /* "In a statement Tuesday, the ministry said the talks would continue": a weekday before a
     * reporting verb is when it was said (what follows is reported speech). A month there is
     * mostly part of what was said ("a poll in May, he said"), so it is left to other cues. */
    int wcls = c->slots->cls[TS_WEEKDAY];
    bool weekday = wcls >= 0 && m->caps.tok[wcls] >= 0;
    for (size_t d = 1; d <= 40; d++) {
        if (m->first >= d && c->toks[m->first - d].sent == sent) {
            int t = timex_tok_tense(c, m->first - d, d, false, text);
            if (t > 0 && d <= 4 && timex_perfect_before(c, m->first - d))
                return -1;
            if (t < 0 && timex_tok_in(c, m->first - d, TS_DEFER) && timex_until_before(c, m))
                return 1;
            if (t)
                return t;
        }
        /* the right side counts triple distance: the verb a date belongs to mostly precedes it,
         * while the words after it often start the next clause ("… in May, it added") */
        size_t r = m->last + d / 3 - 1;
        if (d % 3 == 0 && r < c->n && c->toks[r].sent == sent && weekday && d / 3 > 2 &&
            timex_tok_in(c, r, TS_REPORT) && !timex_trailing_report(c, m, r))
            return -1;
        if (d % 3 == 0 && r < c->n && c->toks[r].sent == sent) {
            int t = timex_tok_tense(c, r, d / 3, true, text);
            if (t)
                return t;
        }
    }
    return 0;
}

/* ---- choosing among candidates ---- */

long timex_dct_daynum(const struct timex_ctx *c)
{
    long f, l;
    if (!timex_point_interval(&c->dct, &f, &l))
        return 0;
    return c->dct_day ? f : (f + l) / 2;
}

/* Index of the candidate that the tense picks (see the file comment); -1 if none is valid. */
static int timex_choose_tense(const struct timex_ctx *c, const struct timex_point *cand, int n,
                              int tense)
{
    long dct = timex_dct_daynum(c), best_key = 0;
    int best = -1;
    for (int i = 0; i < n; i++) {
        long f, l, key;
        if (!timex_point_interval(&cand[i], &f, &l))
            continue;
        if (tense < 0) {
            if (f > dct)
                continue;
            key = dct - f; /* latest start not after the DCT */
        } else if (tense > 0) {
            if (l < dct)
                continue;
            key = l - dct; /* earliest end not before the DCT */
        } else {
            key = dct < f ? f - dct : dct > l ? dct - l : 0;
            /* the nearest, the future counting one and a half: news mostly reports the past,
             * but a bare month four months ahead is nearer than one eight months back ("the
             * new crop becomes available in October", in June; Reuters: docs/timelines.md) */
            key = f > dct ? key * 3 / 2 : key;
        }
        if (best < 0 || key < best_key) {
            best = i;
            best_key = key;
        }
    }
    return best;
}

/* Distance in days between a point and the DCT (0 when it contains it). */
static long timex_distance(const struct timex_ctx *c, const struct timex_point *p)
{
    long f, l, dct = timex_dct_daynum(c);
    if (!timex_point_interval(p, &f, &l))
        return 1L << 30;
    return dct < f ? f - dct : dct > l ? dct - l : 0;
}

/* The tense decides only between candidates at comparable distances: a cue that would put
 * "Feb. 10" eleven months back in a January article is more likely misread than right. */
int timex_choose(const struct timex_ctx *c, const struct timex_point *cand, int n, int tense)
{
    int near = timex_choose_tense(c, cand, n, 0);
    if (!tense || near < 0)
        return near;
    int t = timex_choose_tense(c, cand, n, tense);
    if (t < 0 || timex_distance(c, &cand[t]) > 300)
        return near;
    return t;
}

/* Picks the year for a point whose year is missing, from DCT year -1, 0, +1. */
bool timex_choose_year(const struct timex_ctx *c, struct timex_point *p, int tense)
{
    if (c->dct.year < 0)
        return false;
    struct timex_point cand[3];
    for (int k = 0; k < 3; k++) {
        cand[k] = *p;
        cand[k].year = c->dct.year - 1 + k;
    }
    int i = timex_choose(c, cand, 3, tense);
    if (i < 0)
        return false;
    *p = cand[i];
    return true;
}

struct timex_point timex_unknown(enum timex_gran g)
{
    struct timex_point p = {-1, -1, -1, -1, g};
    return p;
}

void timex_put(struct timex_expr *out, const struct timex_point *p)
{
    timex_point_format(p, out->value, sizeof out->value);
}

/* Calendar unit code ("Y", "Q", "M", "W", "D", "E", "C", "WE") -> granularity. */
bool timex_unit_gran(const char *u, enum timex_gran *g)
{
    static const struct {
        const char *code;
        enum timex_gran g;
    } map[] = {{"Y", TIMEX_G_YEAR},    {"Q", TIMEX_G_QUARTER},  {"M", TIMEX_G_MONTH},
               {"W", TIMEX_G_WEEK},    {"D", TIMEX_G_DAY},      {"E", TIMEX_G_DECADE},
               {"C", TIMEX_G_CENTURY}, {"WE", TIMEX_G_WEEKEND}, {"H", TIMEX_G_HALF}};
    for (size_t i = 0; u && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(u, map[i].code) == 0) {
            *g = map[i].g;
            return true;
        }
    return false;
}

/* The point of granularity g that contains the base point, moved by n units. */
struct timex_point timex_from_base(const struct timex_point *base, bool base_day, enum timex_gran g,
                                   long n)
{
    long f, l;
    if (base->year < 0 || !timex_point_interval(base, &f, &l))
        return timex_unknown(g);
    if (!base_day && g <= TIMEX_G_WEEKEND)
        return timex_unknown(g);
    /* a year has no month to move from; a week has one (the month of its middle day) */
    if (!base_day && g == TIMEX_G_MONTH && base->month < 0 && base->gran != TIMEX_G_WEEK &&
        base->gran != TIMEX_G_WEEKEND)
        return timex_unknown(g);
    struct timex_point p = timex_point_at(base_day ? f : (f + l) / 2, g);
    if (g == TIMEX_G_WEEKEND)
        return timex_point_shift(&p, TIMEX_G_WEEK, n);
    return timex_point_shift(&p, g, n);
}

/* Duration unit "10Y", "TH", "W" -> multiplier, letter(s), time flag. */
bool timex_parse_unit(const char *u, long *mult, char *letter, bool *time_unit)
{
    if (!u || !*u)
        return false;
    *mult = isdigit((unsigned char)*u) ? strtol(u, (char **)&u, 10) : 1;
    *time_unit = *u == 'T';
    if (*time_unit)
        u++;
    *letter = *u;
    return *letter != '\0';
}

static const struct {
    const char *name;
    timex_action_fn fn;
} timex_actions[] = {
    {"date", timex_act_date},       {"month", timex_act_month},
    {"weekday", timex_act_weekday}, {"partday", timex_act_partday},
    {"clock", timex_act_clock},     {"rel", timex_act_rel},
    {"relday", timex_act_relday},   {"ago", timex_act_ago},
    {"anaphor", timex_act_anaphor}, {"quarter", timex_act_quarter},
    {"half", timex_act_half},       {"season", timex_act_season},
    {"decade", timex_act_decade},   {"century", timex_act_century},
    {"dur", timex_act_dur},         {"set", timex_act_set},
    {"ref", timex_act_ref},         {"spokenyear", timex_act_spokenyear},
    {"holiday", timex_act_holiday}, {"durhalf", timex_act_durhalf},
    {"year", timex_act_year},       {"mrange", timex_act_mrange},
    {"yrange", timex_act_yrange},   {"durrange", timex_act_durrange},
    {"sameago", timex_act_sameago},
};

static timex_action_fn timex_find_action(const char *name)
{
    for (size_t i = 0; i < sizeof timex_actions / sizeof timex_actions[0]; i++)
        if (strcmp(timex_actions[i].name, name) == 0)
            return timex_actions[i].fn;
    return NULL;
}

const char *timex_unknown_action(const struct timex_rules *rs)
{
    for (size_t i = 0; i < rs->n_rules; i++)
        if (!rs->rules[i].ignore && !timex_find_action(rs->rules[i].action))
            return rs->rules[i].action;
    return NULL;
}

bool timex_resolve(const struct timex_ctx *c, const struct timex_match *m, struct timex_expr *out)
{
    timex_action_fn fn = timex_find_action(m->rule->action);
    out->type = m->rule->type;
    out->value[0] = '\0';
    return fn && fn(c, m, c->text, out) && out->value[0];
}
