/*
 * source.h — the publisher a page names for itself ("© The Asia Business Daily", "The author is
 * a reporter with the Global Times", "More from South China Morning Post:"), matched against the
 * templates in data/source_patterns.txt.
 */
#ifndef INGEST_SOURCE_H
#define INGEST_SOURCE_H

#include <stddef.h>

#include "base/wordlist.h"

/* Tries each template on one line. Returns the publisher (malloc'd; a leading "The" and trailing
 * punctuation removed) and the index of the template that matched in *rank, or NULL. */
char *source_match_line(const struct wordlist *patterns, const char *line, size_t len,
                        size_t *rank);

/* The year of a copyright notice on this line ("Copyright 2023", "© 2024 …"), or 0. */
int source_copyright_year(const char *line, size_t len);

#endif
