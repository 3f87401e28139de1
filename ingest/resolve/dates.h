/*
 * dates.h — corpus-wide publication dates for undated pages.
 *
 * A page with no date anywhere still talks about events ("the summit in Gyeongju at the end of
 * this month", "the talks in Detroit on the 26th"). When another document of the corpus dates
 * the same event — a sentence sharing at least two of its names, one of them specific to few
 * documents, with a DATE of month or day precision — the page gets that month as its
 * publication date (precision month, published_inferred, with the evidence), and its temporal
 * expressions are resolved again against it.
 */
#ifndef INGEST_RESOLVE_DATES_H
#define INGEST_RESOLVE_DATES_H

#include <stddef.h>

#include "ingest/doc.h"
#include "ingest/timex/timex.h"

/* Dates the undated documents of docs[0..n) from the others. Documents it cannot date stay
 * undated. 0, or -1 when out of memory (the documents are then left as they were). */
int dates_infer_corpus(const struct timex_tagger *t, struct doc **docs, size_t n);

#endif
