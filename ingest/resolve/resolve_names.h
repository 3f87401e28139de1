/*
 * resolve_names.h — the shape of entity names, for corpus-wide resolution: a comparison key
 * (case, dots and punctuation folded), acronyms and their initials, corporate suffixes, and how
 * well-formed a surface form is to be shown as a canonical name. Pure functions on UTF-8 strings.
 */
#ifndef INGEST_RESOLVE_NAMES_H
#define INGEST_RESOLVE_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct wordlist;

/* The comparison key of a name, malloc'd: ASCII letters lowercased, dots and apostrophes
 * dropped, other ASCII punctuation and white space runs made one space, trimmed ("U.S." -> "us",
 * "NEW  YORK" -> "new york", "O'Neill" -> "oneill", "Macy's" -> "macy"); spaced initials are one
 * word ("E. F. Hutton"
 * -> "ef hutton", as "E.F. Hutton"). Non-ASCII bytes are kept. NULL on OOM. */
char *rn_key(const char *s, size_t len);
/* The same into out (room for len + 1 bytes); returns the key's length. */
size_t rn_key_into(const char *s, size_t len, char *out);

/* One token of upper-case letters (dots and '&' allowed), 2 to 8 letters: "EC", "U.S.", "AT&T";
 * or capitals joined by " and ", as wire copy spells a firm's initials ("S and P", "AT and T");
 * a possessive may follow ("IBM's"). */
bool rn_is_acronym(const char *s);

/* Whether the letters of acronym acr are the initials of long's capitalised words, in order
 * ("CFTC" <- "Commodity Futures Trading Commission"); at least two words. Initials spelled with
 * "and" may leave out the legal-form words of legal (NULL: none) that end the long form ("S and
 * P" <- "Standard and Poor's Corp"); a plain acronym spells them all: "BP" of both "British
 * Petroleum" and "British Petroleum Co Plc" would split the votes of rs_merge_acronyms between
 * the two before their suffix variants are merged, and "GM" would make "General Motors Corp"
 * the preferred name over "General Motors". */
bool rn_initials_match(const char *acr, const char *longform, const struct wordlist *legal);

/* Strips corporate-suffix words (suffixes, ASCII case-insensitive) from the end of key, in
 * place, with an "and"/"&" they leave dangling, while one word stays; returns how many. */
int rn_strip_suffixes(const struct wordlist *suffixes, char *key);

/* Whether each word of form_key starts a word of long_key, in order: a short form of it
 * ("nakasone" of "yasuhiro nakasone", "fed" of "federal reserve", not "britain" of "united
 * kingdom"). Keys as rn_key makes them. */
bool rn_is_short_of(const char *form_key, const char *long_key);

/* How fit a surface form is to be printed as the entity's name: 0 a case typo ("FRance",
 * "New YOrk"), 1 shouting (ALL CAPS, other than a short acronym-like token), 2 well-formed. */
int rn_quality(const char *s);

/* A printable version of a form of quality < 2, malloc'd: typo words and ALL CAPS words get
 * ordinary capitalisation ("FRance" -> "France", "NEW YORK" -> "New York"). NULL on OOM. */
char *rn_recase(const char *s);

/* Number of space-separated words. */
size_t rn_words(const char *s);

#endif
