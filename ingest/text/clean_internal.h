/*
 * clean_internal.h — shared by clean.c (the page: evidence and assembly) and clean_form.c (the
 * rules and the form of one line). Not for use outside ingest/text/.
 */
#ifndef INGEST_TEXT_CLEAN_INTERNAL_H
#define INGEST_TEXT_CLEAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/wordlist.h"
#include "ingest/text/clean.h"
#include "ingest/text/lines.h"

struct clean_rules {
    struct wordlist *promo;     /* substrings of promotion/legal lines */
    struct wordlist *headings;  /* openers of link lists */
    struct wordlist *credits;   /* photo/illustration credit labels */
    struct wordlist *published; /* publication date labels */
    struct wordlist *sources;   /* publisher templates */
    struct wordlist *ui;        /* whole-line interface labels */
    char **promo_low;           /* promo entries lowercased */
    size_t n_promo;
};

enum line_kind { LINE_BLANK, LINE_PROSE, LINE_SHORT };
#define KEPT (-1)

struct cline {
    struct line l;
    enum line_kind kind;
    int reason; /* enum set_aside_reason, or KEPT */
    unsigned repeats;
    bool heading;
};

/* Classifies one line by its form: kind, and a reason to set it aside (or KEPT). */
void clean_classify(const struct clean_rules *r, struct cline *c, enum script page_script);
/* "Published: Nov 28, 2024" -> "Nov 28, 2024" (malloc'd), or NULL. */
char *clean_published_value(const struct clean_rules *r, const struct line *l);
/* A photo caption ends with a bare credit after its last sentence: "… Oct. 31. Yonhap". */
bool clean_ends_with_credit(const char *s, size_t len);
/* The publisher the page names (best-ranked template over all lines), or NULL; *at: its line. */
char *clean_find_source(const struct clean_rules *r, const struct line *lines, size_t n,
                        size_t *at);

#endif
