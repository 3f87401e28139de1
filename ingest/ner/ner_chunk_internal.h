/*
 * ner_chunk_internal.h — what the files of the rule extractor share (ner_chunk.c finds runs,
 * ner_chunk_type.c types them, ner_chunk_headline.c reads ALL-CAPS headlines); internal to them.
 * Token accessors are inline (out-of-range indices read as an empty token); the rest are the
 * cross-file helpers, each documented where it is defined.
 */
#ifndef INGEST_NER_CHUNK_INTERNAL_H
#define INGEST_NER_CHUNK_INTERNAL_H

#include "base/wordlist.h"
#include "ingest/ner/ner_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline const struct ner_tok *tk(const struct ner_doc *d, size_t i)
{
    static const struct ner_tok none = {0};
    return i < d->n ? &d->t[i] : &none;
}

static inline bool ner_is(const struct ner_doc *d, size_t i, uint32_t flags)
{
    return (tk(d, i)->flags & flags) != 0;
}

static inline bool ner_lex(const struct ner_doc *d, size_t i, uint32_t bits)
{
    return (tk(d, i)->lex & bits) != 0;
}

/* Whether the word at i is an entry of w (exact case). */
static inline bool ner_word_in(const struct ner_doc *d, size_t i, const struct wordlist *w)
{
    const struct ner_tok *t = tk(d, i);
    return t->end > t->start && wordlist_has(w, d->text + t->start, t->end - t->start);
}

int ner_gaz_kind(const struct ner_doc *d, int g);
int ner_gaz_type(const struct ner_doc *d, int g);
size_t ner_gaz_prefix(const struct ner_doc *d, size_t i, size_t lim, int *g);
bool ner_capword(const struct ner_doc *d, size_t i);
bool ner_heads_of(const struct ner_doc *d, size_t a, size_t c);
bool ner_ends_typed(const struct ner_doc *d, size_t b);
uint32_t ner_seen(const struct ner_doc *d, size_t i);
bool ner_club(const struct ner_doc *d, size_t a, size_t b);
int ner_type_run(struct ner_doc *d, size_t a, size_t b, bool person_hint);
bool ner_caps_headline(const struct ner_doc *d, size_t i);
int ner_headline_pass(struct ner_doc *d, size_t nbody);

#endif
