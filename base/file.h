/*
 * file.h — reading a whole file into memory, once for every reader (corpus files, data files,
 * the evaluators' inputs).
 *
 * Takes a path and a size limit; gives a NUL-terminated buffer the caller frees, or NULL with a
 * reason (a static string) when the path cannot be opened, is not a regular file (directories,
 * FIFOs and devices are refused, so a read never blocks), is over the limit, or memory runs out.
 */
#ifndef BASE_FILE_H
#define BASE_FILE_H

#include <stddef.h>

/* The reason given for a file over the limit (callers may name their limit instead). */
extern const char base_file_too_large[];

/* Reads the regular file at path (at most max bytes) into a NUL-terminated buffer; its length in
 * *len. NULL with the reason in *why (when why is not NULL) on failure. */
char *base_read_file(const char *path, size_t max, size_t *len, const char **why);

#endif
