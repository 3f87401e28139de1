/*
 * sentences.h — sentence boundaries in clean text. A period ends a sentence unless the token
 * before it is a known abbreviation ("Dec.", "Mr.", "U.S." followed by a lowercase word), an
 * initial ("J. Smith"), or a number ("3.5"); quotes and brackets after the terminator stay with
 * the sentence. Paragraph breaks ("\n\n") always end a sentence.
 */
#ifndef INGEST_SENTENCES_H
#define INGEST_SENTENCES_H

#include "ingest/doc.h"
#include "base/wordlist.h"

/* abbreviations: entries like "Dec", "Mr", "U.S" (without the final period), case-sensitive;
 * entries with it ("Corp.") may also end a sentence (ingest/data/abbreviations.txt).
 * Returns 0 or -1 on out of memory; *out malloc'd, trimmed spans (no leading/trailing space). */
/* Whether w[0, n) is a name's initials: one to three capital letters, each followed by a period
 * (the last one optional): "J", "A.G", "E.F.". */
bool text_is_initials(const char *w, size_t n);
/* Whether the words x and j are one capital letter and "and" or "&": the first two words of a
 * firm's letter pair ("S and P", "S & P"), whose second letter is no person's initial. */
bool text_letter_pair_head(const char *x, size_t x_len, const char *j, size_t j_len);

int sentences_split(const struct wordlist *abbreviations, const char *text, size_t len,
                    struct span **out, size_t *n_out);

#endif
