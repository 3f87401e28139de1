/*
 * clean.h — turns a scraped page (or a wire story) into clean article text: reflows hard-wrapped
 * lines, drops web-page boilerplate by general rules (navigation and UI lines, promotion and
 * sharing blocks, "Next In …" link lists, copyright lines, photo credits, inline headline links),
 * finds the title and the paragraphs, and keeps the metadata those lines carried (publisher,
 * stated publication date, copyright year) before they are dropped.
 */
#ifndef INGEST_CLEAN_H
#define INGEST_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/doc.h"

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
                            joined by "\n": not text, but dated evidence for the publication date */
    size_t dropped_lines;
};

/* s: sanitized UTF-8 (LF line ends). find_title: look for a headline line (false when the record
 * brings its own title). Returns 0, or -1 on out of memory. */
int clean_page(const struct clean_rules *r, const char *s, size_t len, bool find_title,
               struct clean_result *out);
void clean_result_free(struct clean_result *res);

#endif
