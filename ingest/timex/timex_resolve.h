/*
 * timex_resolve.h — turns a rule match into a TIMEX3 value (internal to ingest/timex*.c).
 * Each rule names an action ("date", "rel", "ago", "dur" …); the action reads the classes it
 * needs from the match and resolves against the publication date, the tense of the sentence,
 * and the previously mentioned date.
 */
#ifndef INGEST_TIMEX_RESOLVE_H
#define INGEST_TIMEX_RESOLVE_H

#include "ingest/timex/timex_calendar.h"
#include "ingest/timex/timex_rules.h"

/* The classes the actions read, by the names the rules file gives them. */
enum timex_slot {
    TS_MONTH = 0,
    TS_MONTHBARE,
    TS_MONN,
    TS_DAYN,
    TS_ORDN,
    TS_ORDW,
    TS_YEAR,
    TS_WEEKDAY,
    TS_NUMW,
    TS_INT,
    TS_UNIT,
    TS_UNITPL,
    TS_CUNIT,
    TS_SEASON,
    TS_PARTDAY,
    TS_DIR,
    TS_ADIR,
    TS_VAGUE,
    TS_AMPM,
    TS_AMPMLETTER,
    TS_HOURN,
    TS_MIN2,
    TS_DECN,
    TS_QTOK,
    TS_RELDAY,
    TS_CLOCKWORD,
    TS_SHIFTREF,
    TS_TENSE,
    TS_DECW,
    TS_CENTW,
    TS_TENSW,
    TS_ONESW,
    TS_LONGUNIT,
    TS_HOLIDAY,
    TS_YEARPRE,  /* words before a bare four-digit number (timex_year_before.txt) */
    TS_YEARPOST, /* words after it (timex_year_after.txt) */
    TS_YEARLINK, /* words joining two numbers ("1986/87", "1986 vs 1985") */
    TS_HHMM,     /* a four-digit clock time ("1600 GMT") */
    TS_TZ,
    TS_REPORT,    /* reporting verbs among the tense cues */
    TS_PROGAUX,   /* "is", "are": with an -ing form or "to" a future cue */
    TS_INFTO,     /* "to": with "be" a future cue */
    TS_DET,       /* determiners: an -ed form after one is an adjective */
    TS_PERFECT,   /* "had": a future cue right after it looks ahead from the past */
    TS_YR2,       /* two digits ending a range of years ("1986/87") */
    TS_FWDMONTH,  /* words after a month that make it a delivery month ("June delivery") */
    TS_FWDAUX,    /* "was", "were" … */
    TS_FWDQUOTE,  /* … followed by a quote word ("July was up 2.60 cents") */
    TS_COMP,      /* "than": a tense cue before it compares ("no earlier than August") */
    TS_NUMMULT,   /* number words that multiply ("hundred", "thousand", "dozen") */
    TS_ADV,       /* adverbs between an auxiliary and a past form ("a still unspecified date") */
    TS_MODAL,     /* "will", "must": a past-looking form after one looks ahead ("will last") */
    TS_WEEKDAYPL, /* "Mondays": a recurring weekday */
    TS_PARTDAYPL, /* "nights" in "Tuesday nights" */
    TS_NOUNCUE,   /* "plan": a future cue that is a noun after a determiner ("the plan") */
    TS_INTENT,    /* "planned", "agreed": followed by "to" a verb of intention looks ahead */
    TS_FWDFAR,
    TS_FWDPRE,
    /* "near", "nearby": a contract month after it ("near July") */ /* "futures", "delivery": a
                                                                     * contract month a few words
                                                                     * before ("June gold futures")
                                                                     */
    TS_CONTRAST, /* "after", "unlike": a quarter after one is a contrast, not the story's own */
    TS_FIG,      /* "1,004", "1003.50": a figure, one token */
    TS_RESULTS,  /* "earnings", "loss": a quarter near one is mostly one reported */
    TS_DEFER,    /* "postponed", "extended": with "until" before the date a verb of putting off
                  * looks ahead */
    TS_COUNT
};

/* Class id per slot (-1 when the rules file does not declare it). */
struct timex_slots {
    int cls[TS_COUNT];
};

void timex_slots_init(struct timex_slots *s, const struct timex_lex *lx);
/* The name of an action the resolver does not know, or NULL when all rules are valid. */
const char *timex_unknown_action(const struct timex_rules *rs);

/* Per-document state while tagging. */
struct timex_ctx {
    const struct timex_lex *lx;
    const struct timex_slots *slots;
    const char *text;             /* the whole document text (token offsets point into it) */
    const struct timex_tok *toks; /* the current block */
    size_t n;
    struct timex_point dct;     /* year -1 when unknown */
    bool dct_day;               /* dct is a full date */
    struct timex_point ref;     /* the previously mentioned date (year -1 = none) */
    uint32_t ref_sent;          /* its sentence, counted in the current block */
    struct timex_point quarter; /* the quarter last mentioned (year -1 = none): earnings
                                   stories compare it with "a year earlier" */
    size_t quarter_at;          /* where it ends in text */
    bool ref_in_block;
    bool ref_bare_month; /* ref is a month named without its year ("June", "March/April") */
};

/* Resolves match m into out->type / out->value. false when the match yields no expression. */
bool timex_resolve(const struct timex_ctx *c, const struct timex_match *m, struct timex_expr *out);

#endif
