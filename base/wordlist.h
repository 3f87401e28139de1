/*
 * wordlist.h — a set of strings loaded from a data file (one entry per line, '#' comments,
 * blank lines ignored, surrounding white space trimmed). Lookups are exact or ASCII
 * case-insensitive. Every general-knowledge list the extractors use (abbreviations, honorifics,
 * organisation suffixes, common words, month names …) lives in ingest/data/ and is read with this.
 */
#ifndef BASE_WORDLIST_H
#define BASE_WORDLIST_H

#include <stdbool.h>
#include <stddef.h>

struct wordlist;

/* Loads `dir`/`name`. Returns NULL and sets *err (malloc'd message, caller frees) on failure.
 * With fold_case, entries and lookups are compared ASCII-lowercased. */
struct wordlist *wordlist_load(const char *dir, const char *name, bool fold_case, char **err);
/* Builds a list from memory (same syntax as a file); for tests and embedded defaults. */
struct wordlist *wordlist_from_string(const char *text, bool fold_case);
void wordlist_free(struct wordlist *w);

bool wordlist_has(const struct wordlist *w, const char *s, size_t len);
size_t wordlist_count(const struct wordlist *w);
/* The i-th entry in file order (0 <= i < count), NUL-terminated. */
const char *wordlist_at(const struct wordlist *w, size_t i);

#endif
