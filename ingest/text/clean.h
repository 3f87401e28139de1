/*
 * clean.h — article text from a record, without losing any of it silently.
 *
 * Two modes. A given text (a JSONL record's `text`) is normalised only: hard-wrapped lines are
 * reflowed and every non-blank line becomes a paragraph; nothing is deleted. A scraped page
 * (a `*.txt` file, or a record that asks for it) also has its chrome set aside — by evidence,
 * never by length: the form of a line (interface labels, promotion and legal lines, copyright,
 * credits, link lists under a "Related" heading, a headline between paragraphs, another
 * script), its place (above the headline), or its repetition across pages of the same source
 * (template_counts). Every set-aside line is reported with its reason, so nothing is lost.
 */
#ifndef INGEST_CLEAN_H
#define INGEST_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/doc.h"
#include "ingest/text/template.h"

struct clean_rules;

struct clean_rules *clean_rules_open(const char *data_dir, char **err);
void clean_rules_close(struct clean_rules *r);

struct clean_result {
    char *title; /* the page's headline, or NULL */
    char *text;  /* paragraphs joined by "\n\n" */
    size_t text_len;
    struct span *paragraphs;
    size_t n_paragraphs;
    char *published_raw; /* the text after a "Published:" label, or NULL */
    char *source;        /* publisher named on the page, or NULL */
    int copyright_year;  /* 0 when none */
    char *head;          /* the short lines above the article (headline, deck, photo caption),
                            joined by "\n": dated evidence for the publication date */
    size_t dropped_lines;
    struct set_aside *set_aside; /* byte offsets into the input s, sorted */
    size_t n_set_aside;
    char **captions; /* photo captions (set aside from a page; kept in a given text) */
    size_t n_captions;
};

/* s: sanitized UTF-8 (LF line ends). find_title: look for a headline line (false when the record
 * brings its own title). counts (may be NULL): per-source line counts of the corpus's scraped
 * pages; given_source (may be NULL): the record's own publisher, the key it was counted under.
 * Returns 0, or -1 on out of memory. */
int clean_page_counted(const struct clean_rules *r, const char *s, size_t len, bool find_title,
                       const struct template_counts *counts, const char *given_source,
                       struct clean_result *out);
/* clean_page_counted without cross-page evidence. */
int clean_page(const struct clean_rules *r, const char *s, size_t len, bool find_title,
               struct clean_result *out);
/* A given text: reflowed, every non-blank line a paragraph, nothing set aside; photo captions
 * above the story (a sentence ending in a bare credit) are also listed in captions. */
int clean_given(const char *s, size_t len, struct clean_result *out);
void clean_result_free(struct clean_result *res);

/* First pass: counts the lines of one scraped page under its source (given_source, else the
 * publisher the page names, else ""). 0 or -1 (out of memory). */
int clean_count_page(const struct clean_rules *r, const char *s, size_t len,
                     const char *given_source, struct template_counts *counts);

#endif
