/*
 * timex.h — temporal tagging: finds temporal expressions (DATE, TIME, DURATION, SET) and
 * normalises them to TIMEX3 values, resolving relative expressions against the document's
 * publication date (news convention: tense and the closest previous date decide direction).
 * Rules live in data files under the data directory, not in chains of if-statements.
 */
#ifndef INGEST_TIMEX_H
#define INGEST_TIMEX_H

#include <stdbool.h>

#include "ingest/doc.h"

struct timex_tagger;

struct timex_tagger *timex_tagger_open(const char *data_dir, char **err);
void timex_tagger_close(struct timex_tagger *t);

/* Tags text[0..len). dct is the document creation/publication date ("YYYY-MM-DD", "YYYY-MM",
 * "YYYY") or NULL when unknown (relative expressions then keep unresolved parts as X, e.g.
 * "XXXX-10-31"). sentences (may be NULL) are the sentence spans. *out is malloc'd, sorted by
 * start. Returns 0, or -1 on out of memory. */
int timex_tag(const struct timex_tagger *t, const char *text, size_t len,
              const struct span *sentences, size_t n_sentences, const char *dct,
              struct timex_expr **out, size_t *n_out);

/* Parses a stated date such as "Nov 28, 2024 11:38 PM", "2024-11-28", "28 November 2024",
 * "Sept 14, 2024" (used for "Published: …" lines and JSONL `published`). Writes "YYYY-MM-DD" /
 * "YYYY-MM" / "YYYY" into out and its precision; false if s is not a date. */
bool timex_parse_date(const struct timex_tagger *t, const char *s, size_t len, char out[11],
                      enum date_precision *precision);

/* Infers a publication date from the text when the page states none (copyright year, the most
 * recent explicit dates, "this year" …). false when nothing usable is found. */
bool timex_infer_published(const struct timex_tagger *t, const char *text, size_t len, char out[11],
                           enum date_precision *precision);

/* The calendar date a DATE value denotes, for timelines: "2025-10-31" -> day, "2025-10" ->
 * month, "2025" -> year (weeks, seasons, quarters map to their first day/month at the coarser
 * precision). false for values that are no point on the calendar (PAST_REF, P11Y, XXXX-10). */
bool timex_value_date(const char *value, char out[11], enum date_precision *precision);

/* The calendar days an expression covers, for finding it by date range: from the first day of
 * `value` to the last day of `range_end` (or of `value` when there is no range), as
 * "YYYY-MM-DD". "1987-03" -> 1987-03-01 … 1987-03-31, "197" (the 1970s) -> 1970-01-01 …
 * 1979-12-31, "1987-06" to "1987-07" -> 1987-06-01 … 1987-07-31, "1987-03-04T16:00" -> that
 * day. false for values that cover no known stretch of the calendar (P11Y, PAST_REF,
 * XXXX-10). */
bool timex_value_interval(const char *value, const char *range_end, char first[11], char last[11]);

#endif
