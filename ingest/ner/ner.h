/*
 * ner.h — named-entity extraction (PERSON, ORG, LOC, MISC) from a document's clean text.
 *
 * A statistical sequence tagger decides (ner_tagger.h: averaged perceptron over BILOU labels,
 * trained on CoNLL-2003 + wikigold, weights in data_dir/ner_model.bin); the word lists, the
 * gazetteer (Debian's iso-codes and general knowledge), word clusters and the rule extractor are
 * its features, and rules keep their job for roles and titles. Without the weights file the rules
 * alone decide. Every list lives in a data file under the data directory. Nothing here may name a
 * person, organisation or place because it occurs in the seed corpus.
 */
#ifndef INGEST_NER_H
#define INGEST_NER_H

#include "ingest/doc.h"

struct ner_model;

/* Loads every list/model the extractor needs from data_dir (ingest/data in the source tree); the
 * tagger's weights are mapped read-only. NULL and *err (malloc'd) on failure (also for a weights
 * file of another format). The model is immutable after loading and may be shared by threads. */
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
