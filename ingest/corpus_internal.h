/*
 * corpus_internal.h — what the files of the corpus loader share (corpus.c: the second pass and
 * loading; corpus_files.c: reading, listing and fingerprinting files; corpus_survey.c: the first
 * pass); internal to them. Each function is documented where it is defined.
 */
#ifndef INGEST_CORPUS_INTERNAL_H
#define INGEST_CORPUS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/hash.h"
#include "ingest/corpus.h"

/* Two FNV-1a streams with different offsets: a 128-bit fingerprint, not a security hash. */
struct fingerprint {
    unsigned long long a, b;
};
#define FINGERPRINT_START                                                                          \
    {                                                                                              \
        BASE_HASH_SEED, 7809847782465536322ULL                                                     \
    }

void corpus_fp_add(struct fingerprint *fp, const void *data, size_t n);
bool corpus_has_suffix(const char *s, const char *suffix);
char *corpus_read_file(const char *path, size_t *len, const char **why);
bool corpus_looks_binary(const char *s, size_t len);
const char *corpus_json_str(json_t *obj, const char *key);
char **corpus_list_names(const char *dir, bool corpus_only, size_t *n_out, char **err);
int corpus_survey_file(const struct ingest *ing, const char *dir, const char *name,
                       struct template_counts *counts, int *year, size_t *pages);

#endif
