/*
 * resolve.h — corpus-wide entity resolution: after every document was tagged (and resolved
 * within itself), one pass over all mentions makes one entity per real thing.
 *
 * It splits spans that join two known names ("Paul Volcker and the IMF" tagged as one), groups
 * mentions by their names with case and punctuation folded, merges an acronym with the long form
 * some document defines it as, corporate-suffix variants ("General Motors Corp" = "General
 * Motors") and a surname with the one full name it stands for in the corpus; then gives each
 * entity one type by the votes of its mentions and one canonical name: the most frequent
 * well-formed surface form the texts use (an ALL CAPS headline form or a case typo never wins).
 * Each mention keeps the name its document gave it (local_name) and says why it joined (why).
 * Linear in the number of mentions (hash maps, one sort). A city never merges into its country.
 */
#ifndef INGEST_RESOLVE_H
#define INGEST_RESOLVE_H

#include <stddef.h>

#include "ingest/doc.h"

struct resolve_rules;

/* Loads resolve_corporate_suffixes.txt from data_dir. NULL and *err (malloc'd) on failure. */
struct resolve_rules *resolve_open(const char *data_dir, char **err);
void resolve_close(struct resolve_rules *r);

/* Adds a user's corrections (--entity-overrides): one rule per line, '#' comments,
 *   merge NAME => NAME     the entity of the first name joins the second's (the merged entity
 *                          is named by its most frequent form, like any other)
 *   split NAME             mentions so named form an entity no merge joins
 *   type NAME => TYPE      PERSON, ORG, LOC or MISC, whatever the votes
 * Names are compared with case and punctuation folded, as documents name them. 0, or -1 with
 * *err (malloc'd, "FILE:LINE: why") for an unreadable file or a bad line. */
int resolve_load_overrides(struct resolve_rules *r, const char *path, char **err);

/* Resolves the mentions of docs[0..n_docs) in place (names, types, local_name, why; mention
 * arrays may grow when a span is split). 0, or -1 on out of memory: the documents are then
 * left as they were before the names were rewritten (split spans may stay split). */
int resolve_corpus(const struct resolve_rules *r, struct doc **docs, size_t n_docs);

#endif
