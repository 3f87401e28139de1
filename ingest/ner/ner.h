/*
 * ner.h — named-entity extraction (PERSON, ORG, LOC, MISC) from a document's clean text.
 *
 * General methods only (capitalisation, titles/honorifics, organisation suffixes, acronym
 * definitions, gazetteers from Debian's iso-codes and general knowledge, common-word lists,
 * document-level consistency, an optional learned re-typer); every list lives in a data
 * file under the data directory. Nothing here may name a person, organisation or place because it
 * occurs in the seed corpus.
 */
#ifndef INGEST_NER_H
#define INGEST_NER_H

#include "ingest/doc.h"

struct ner_model;

/* Loads every list/model the extractor needs from data_dir (ingest/data in the source tree).
 * NULL and *err (malloc'd) on failure. The model is immutable after loading and may be shared by
 * threads. */
struct ner_model *ner_open(const char *data_dir, char **err);
void ner_close(struct ner_model *m);

/* Finds the mentions in text[0..len) (byte offsets, end exclusive, sorted by start), resolving
 * within the document: each mention's `name` is the canonical name of its entity ("Silva" after
 * "Ana Silva" -> "Ana Silva"; "NEA" -> its long form; "U.S." -> "United States";
 * possessives and titles are not part of the name); `role` holds a role stated for a PERSON.
 * sentences (may be NULL) are the document's sentence spans. Returns 0, or -1 on out of memory.
 * *out is malloc'd (free each name/role and the array; doc_free does this for doc->mentions). */
int ner_extract(const struct ner_model *m, const char *text, size_t len,
                const struct span *sentences, size_t n_sentences, struct mention **out,
                size_t *n_out);


#endif
