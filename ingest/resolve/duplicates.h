/*
 * duplicates.h — near-duplicate documents: wire reprints, corrections and rewrites of one story.
 *
 * Takes every document of the corpus (its title, cleaned text and publication date) and gives
 * each one the index of its group's representative. Two documents are near-duplicates when the
 * sets of word 3-grams (shingles) of their title and text have a Jaccard similarity of at least
 * DUP_JACCARD_ALONE, or at least DUP_JACCARD with at least DUP_NUMBERS of their numbers in common
 * (Jaccard of the number tokens: recurring reports — the Fed's daily repurchases, weekly prices,
 * dividend notices — share their wording and differ in their figures), and when they were
 * published at most DUP_MAX_DAYS apart (when both dates are known to the day). Groups are the
 * connected components of that relation. Candidates come from MinHash signatures banded for
 * locality-sensitive hashing; every candidate pair is then checked exactly, so a group never rests
 * on an estimate. Thresholds chosen on Reuters-21578 pairs (docs/architecture.md).
 */
#ifndef INGEST_RESOLVE_DUPLICATES_H
#define INGEST_RESOLVE_DUPLICATES_H

#include <stddef.h>

#include "ingest/doc.h"

#define DUP_SHINGLE_WORDS 3
#define DUP_JACCARD_ALONE 0.9
#define DUP_JACCARD 0.7
#define DUP_NUMBERS 0.5
#define DUP_MAX_DAYS 3

/* rep[i] (n entries, caller's) = the index of the representative of docs[i]'s group: its earliest
 * published document (undated ones last), then the least id; i itself for a document without
 * near-duplicates. The same documents in the same order give the same groups. Returns
 * the number of groups of two or more documents, or -1 when out of memory. */
long duplicates_find(struct doc *const *docs, size_t n, size_t *rep);

/* The same in two steps, so that the first runs beside the other corpus passes: link finds the
 * near-duplicate pairs (it reads each document's title, text and publication date known to the
 * day, which no corpus pass changes) and returns their links (malloc'd; NULL when out of
 * memory); mark picks each group's representative by the publication dates as they are then
 * (after the dates inferred from the corpus), sets every grouped document's duplicate_of, and
 * frees links. mark returns the groups, or -1 when out of memory. */
size_t *duplicates_link(struct doc *const *docs, size_t n);
long duplicates_mark(struct doc *const *docs, size_t n, size_t *links);

#endif
