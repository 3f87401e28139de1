/*
 * timex_actions.h — what the normalisation actions share (internal to ingest/timex*.c): reading
 * a match's classes, the tense of its sentence, choosing among candidate dates around the
 * publication date, and writing values. The actions themselves live in timex_actions_date.c
 * (calendar dates, weekdays, holidays, clock times) and timex_actions_span.c (relative
 * expressions, periods, durations, sets, references) and timex_actions_year.c (whether a bare
 * four-digit number is a year); timex_resolve.c dispatches to them.
 */
#ifndef INGEST_TIMEX_ACTIONS_H
#define INGEST_TIMEX_ACTIONS_H

#include "ingest/timex/timex_resolve.h"

/* An action: writes out->value for match m (text is the document); false to decline. */
typedef bool (*timex_action_fn)(const struct timex_ctx *c, const struct timex_match *m,
                                const char *text, struct timex_expr *out);

/* The value of a class slot in the match; false when the match did not capture it. */
bool timex_get(const struct timex_ctx *c, const struct timex_match *m, enum timex_slot slot,
               int32_t *iv, const char **sv);
/* ... as a number, or dflt. */
int timex_get_int(const struct timex_ctx *c, const struct timex_match *m, enum timex_slot slot,
                  int dflt);
/* ... as the string written in the data file, or NULL. */
const char *timex_get_str(const struct timex_ctx *c, const struct timex_match *m,
                          enum timex_slot slot);
/* The count of a duration or shift ("two", "11", "twenty four"), dflt when there is none, 0
 * when its number words are not one number ("two three-year"). */
int timex_get_count(const struct timex_ctx *c, const struct timex_match *m, int dflt);
/* The year a match states, in digits or spoken ("nineteen ninety-four"), or -1. */
int timex_get_year(const struct timex_ctx *c, const struct timex_match *m);
/* Is token k the word w of the lexicon ("ended", "to")? */
bool timex_word_is(const struct timex_ctx *c, size_t k, const char *w);
/* Is token k the one-character punctuation mark ch? */
bool timex_tok_punct(const struct timex_ctx *c, size_t k, char ch);
/* The month a match names (word or number), or -1. */
int timex_get_month(const struct timex_ctx *c, const struct timex_match *m);
/* Tense of the sentence around a match: -1 past, 1 future, 0 unknown. */
int timex_tense_text(const struct timex_ctx *c, const struct timex_match *m, const char *text);
/* The DCT as a day number (the middle of its month or year when it has no day). */
long timex_dct_daynum(const struct timex_ctx *c);
/* Index of the candidate the tense picks among n (see timex_resolve.c); -1 if none. */
int timex_choose(const struct timex_ctx *c, const struct timex_point *cand, int n, int tense);
/* Fills in the missing year of p from DCT year -1, 0, +1; false without a DCT. */
bool timex_choose_year(const struct timex_ctx *c, struct timex_point *p, int tense);
/* A delivery or contract month (or months): no date preposition before it and a word of
 * timex_month_forward.txt after it ("the July shipment", "Aug/Sep delivery"): the next one. */
bool timex_delivery_month(const struct timex_ctx *c, const struct timex_match *m);
/* Months listed in one sentence run forward ("March/April at …, June/July at …, Oct/Dec at
 * …"): a month later in the calendar than the month just mentioned in the same sentence, by
 * at most six months, takes that month's year. false (p untouched) when that does not apply. */
bool timex_year_from_list(const struct timex_ctx *c, const struct timex_match *m, int mo,
                          struct timex_point *p);
/* The year written after a month whose token is k - 1: "September 1986", "September 30,
 * 1986", "September last year", "September of this year"; -1 when none follows in its
 * sentence. */
int timex_year_after_month(const struct timex_ctx *c, size_t k);
/* The last year of a pair of years written at token k ("1986/87" 1987, "1987-1988" 1988: a
 * four-digit year, a slash or hyphen and a year in two or four digits, touching), or -1. */
int timex_year_pair_end(const struct timex_ctx *c, size_t k);
/* A point of granularity g with every field unknown (prints as X). */
struct timex_point timex_unknown(enum timex_gran g);
/* Writes p's TIMEX3 value into out. */
void timex_put(struct timex_expr *out, const struct timex_point *p);
/* Calendar unit code of the data files ("Y", "Q", "M", "W", "D", "E", "C", "WE", "H"). */
bool timex_unit_gran(const char *u, enum timex_gran *g);
/* The point of granularity g containing base, moved by n units (unknown without a base). */
struct timex_point timex_from_base(const struct timex_point *base, bool base_day, enum timex_gran g,
                                   long n);
/* Duration unit code ("10Y", "TH", "W") -> multiplier, letter, time flag. */
bool timex_parse_unit(const char *u, long *mult, char *letter, bool *time_unit);

/* The actions, named in timex_rules.txt by their suffix ("date" = timex_act_date). */
bool timex_act_date(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out);
bool timex_act_month(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                     struct timex_expr *out);
bool timex_act_weekday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_holiday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_partday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_clock(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                     struct timex_expr *out);
bool timex_act_rel(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out);
bool timex_act_relday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out);
bool timex_act_sameago(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_ago(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out);
bool timex_act_anaphor(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_quarter(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_half(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out);
bool timex_act_season(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out);
bool timex_act_decade(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out);
bool timex_act_century(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_spokenyear(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out);
bool timex_act_durhalf(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out);
bool timex_act_dur(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out);
bool timex_act_set(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out);
bool timex_act_year(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out);
/* Is the four-digit number at token k a year (see timex_actions_year.c)? Writes it if so. */
bool timex_year_at(const struct timex_ctx *c, size_t k, struct timex_expr *out);
/* Is the number at token k, after a month or season, a figure of a table rather than a year?
 * ("May 6765  Aug 13126", "WINTER 1639  1635": far from the publication date and followed by
 * another figure or month; "January 1875 and …" stays a year.) */
bool timex_year_in_table(const struct timex_ctx *c, size_t k);
bool timex_act_mrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out);
bool timex_act_yrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out);
bool timex_act_durrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                        struct timex_expr *out);
bool timex_act_ref(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                   struct timex_expr *out);

#endif
