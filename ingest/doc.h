/*
 * doc.h — the records that flow through the whole pipeline.
 *
 * ingest/ fills a `struct doc` per article; store/ writes it to SQLite; nothing else creates one.
 * All offsets inside ingest are BYTE offsets into doc->text (UTF-8), end exclusive. The store
 * converts them to Unicode code-point offsets (what the API promises) in one pass per document.
 * Every pointer in a struct doc is owned by the doc and released by doc_free().
 */
#ifndef INGEST_DOC_H
#define INGEST_DOC_H

#include <stdbool.h>
#include <stddef.h>

/* A half-open byte range [start, end) of a document's clean text. */
struct span {
    size_t start;
    size_t end;
};

enum date_precision { PRECISION_NONE = 0, PRECISION_YEAR, PRECISION_MONTH, PRECISION_DAY };

enum entity_type { ENTITY_PERSON = 0, ENTITY_ORG, ENTITY_LOC, ENTITY_MISC };

/* One occurrence of a named entity. `name` is the canonical name of the entity this mention
 * refers to after within-document resolution ("Smith" -> "Anna Smith", "WHO" -> "World Health
 * Organization", "U.S." -> "United States"); `role` is a role stated for a PERSON at this
 * mention ("Minister of Finance of Ruritania") or NULL. Both owned. */
struct mention {
    size_t start;
    size_t end;
    enum entity_type type;
    char *name;
    char *role;
    float confidence; /* how sure the extractor is of the type, in (0, 1]: from the tagger's
                         margin over the next-best label (0.5 at a margin of 10), or the rules'
                         evidence; for weighing mentions in corpus-wide resolution */
};

enum timex_type { TIMEX_DATE = 0, TIMEX_TIME, TIMEX_DURATION, TIMEX_SET };

/* (Not "struct timex": glibc declares that in <bits/timex.h> under _GNU_SOURCE.)
 * One temporal expression with its TIMEX3 value ("2025-10-31", "2025-W48", "P11Y", "PAST_REF"). */
struct timex_expr {
    size_t start;
    size_t end;
    enum timex_type type;
    char value[48];
};

struct doc {
    char *id;           /* file stem or JSONL "id" */
    char *path;         /* source file the doc came from (for warnings) */
    char *title;        /* may be NULL when none could be found */
    char *source;       /* publisher, or NULL */
    char *url;          /* or NULL */
    char *language;     /* BCP 47, "en" */
    char published[11]; /* "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" */
    enum date_precision published_precision;
    bool published_inferred;

    char *text; /* clean text: paragraphs joined by "\n\n", NUL-terminated */
    size_t text_len;

    struct span *paragraphs;
    size_t n_paragraphs;
    struct span *sentences;
    size_t n_sentences;
    struct mention *mentions; /* sorted by start */
    size_t n_mentions;
    struct timex_expr *timexes; /* sorted by start */
    size_t n_timexes;

    char *summary; /* the lead: first sentences, at most ~300 bytes */
    size_t word_count;
};

void doc_free(struct doc *d);
const char *entity_type_name(enum entity_type t);       /* "PERSON", "ORG", "LOC", "MISC" */
const char *timex_type_name(enum timex_type t);         /* "DATE", "TIME", "DURATION", "SET" */
const char *date_precision_name(enum date_precision p); /* "day", "month", "year", NULL */

#endif
