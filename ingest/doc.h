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
 * refers to ("Smith" -> "Anna Smith", "WHO" -> "World Health Organization", "U.S." -> "United
 * States"): the tagger's within-document resolution sets it, the corpus-wide pass
 * (ingest/resolve) rewrites it to the entity's corpus-wide name and type; `role` is a role stated
 * for a PERSON at this mention ("Minister of Finance of Ruritania") or NULL. The corpus pass keeps
 * what the document alone said in `local_name` / `local_type` (an earlier canonical name: the
 * store answers its id with a redirect) and says in `why` how this surface form joined its entity
 * ("acronym defined in doc-7", "suffix variant"), both NULL when nothing changed. Strings owned. */
struct mention {
    size_t start;
    size_t end;
    enum entity_type type;
    char *name;
    char *role;
    enum entity_type local_type;
    char *local_name;
    char *why;
    float confidence; /* how sure the extractor is of the type, in (0, 1]: from the tagger's
                         margin over the next-best label (0.5 at a margin of 10), or the rules'
                         evidence; for weighing mentions in corpus-wide resolution */
    bool fixed_type;  /* the text itself fixes the type: the place of a wire dateline ("WIGAN,
                         England 1996-08-31") is a place whatever other documents make of the
                         name (a team); corpus-wide resolution keeps the type */
};

enum timex_type { TIMEX_DATE = 0, TIMEX_TIME, TIMEX_DURATION, TIMEX_SET };

/* (Not "struct timex": glibc declares that in <bits/timex.h> under _GNU_SOURCE.)
 * One temporal expression with its TIMEX3 value ("2025-10-31", "2025-W48", "P11Y", "PAST_REF"),
 * its TIMEX3 mod ("START" early, "MID", "END" late, "APPROX", "LESS_THAN" …; "" = none) and, for
 * a range ("June/July", "between March and May", "1986/87"), the value of its last point in
 * range_end (value then holds the first; "" when no range). */
struct timex_expr {
    size_t start;
    size_t end;
    enum timex_type type;
    char value[48];
    char mod[16];
    char range_end[24];
};

/* Why an undated page got its month from the corpus (ingest/resolve/dates.c): an event it
 * mentions ("phrase", its sentence) is dated in another document (document_id, whose sentence
 * is source_text) to `date`. Every string owned. */
struct date_evidence {
    char *document_id;
    char *phrase;
    char *source_text;
    char date[11];
};

/* Why cleaning set a span of the original aside (see ingest/text/clean.c). */
enum set_aside_reason {
    ASIDE_NAVIGATION = 0, /* above the headline: menus, section labels, UI words */
    ASIDE_TEMPLATE,       /* repeated in many pages of the same source (count in `repeats`) */
    ASIDE_PROMOTION,      /* share/subscribe/cookie/newsletter/legal lines */
    ASIDE_COPYRIGHT,      /* copyright footer */
    ASIDE_LINK_LIST,      /* "Related articles" and the links under it */
    ASIDE_INLINE_LINK,    /* a headline between two paragraphs: a link to another story */
    ASIDE_CREDIT,         /* "Photo: …", "Illustration: …" */
    ASIDE_CAPTION,        /* a photo caption (kept in doc->captions) */
    ASIDE_HEADLINE,       /* the headline (kept as the title) or a line repeating it */
    ASIDE_METADATA,       /* "Published: …", a publisher byline (kept as metadata) */
    ASIDE_DUPLICATE,      /* a paragraph repeated on the same page */
    ASIDE_OTHER_SCRIPT,   /* a line in another script than the article */
    ASIDE_NO_TEXT,        /* no letters: separators, stray symbols */
    ASIDE_REASON_COUNT
};

/* A half-open byte range of doc->original that is not in doc->text, and why. */
struct set_aside {
    size_t start;
    size_t end;
    enum set_aside_reason reason;
    unsigned repeats; /* ASIDE_TEMPLATE: pages of the source holding the line */
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
    struct date_evidence *published_evidence; /* set when the month came from the corpus */

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
    /* Its near-duplicate group's representative's id (its own when it is the representative),
     * or NULL when it has no near-duplicate: set by the corpus passes (ingest/pipeline.c). */
    char *duplicate_of;
    size_t word_count;

    /* Metadata the text states about itself (ingest/text/dateline.c). */
    char *place;            /* dateline place ("Tokyo"), or NULL */
    struct span dateline;   /* the dateline in text (empty when none) */
    char dateline_date[11]; /* the dateline's date at its precision, or "" */
    char **authors;         /* from a byline; n_authors entries */
    size_t n_authors;
    char **captions; /* photo captions (set aside from scraped pages) */
    size_t n_captions;
    const char *encoding; /* static: "windows-1252", …; NULL for clean UTF-8 */

    /* Provenance: the input as decoded to UTF-8, and what cleaning set aside from it. NULL
     * original when nothing was set aside and the text is the original reflowed. */
    char *original;
    size_t original_len;
    struct set_aside *set_aside; /* sorted by start */
    size_t n_set_aside;
};

void doc_free(struct doc *d);
/* The one spelling of the entity types, by enum entity_type: the API's type names and the
 * prefixes of entity ids ("person:anna-roe"). Every layer reads these tables. */
#define ENTITY_TYPE_COUNT 4
/* "PERSON", "ORG", "LOC", "MISC", then NULL (the list parameter parsers take) */
extern const char *const entity_type_names[ENTITY_TYPE_COUNT + 1];
extern const char *const entity_type_slugs[ENTITY_TYPE_COUNT]; /* "person", "org", "loc", "misc" */
/* The type whose name is s ("PERSON" …, exact case), or -1. */
int entity_type_parse(const char *s);
const char *entity_type_name(enum entity_type t); /* its name; "MISC" for an out-of-range value */
const char *timex_type_name(enum timex_type t);   /* "DATE", "TIME", "DURATION", "SET" */
const char *date_precision_name(enum date_precision p);     /* "day", "month", "year", NULL */
const char *set_aside_reason_name(enum set_aside_reason r); /* "navigation", "template", … */

#endif
