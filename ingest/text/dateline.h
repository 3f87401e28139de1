/*
 * dateline.h — what a story says about itself in its first lines: the dateline ("TOKYO, March
 * 3 -", "SANTIAGO 1996-12-05", "LONDON (Reuters) -") gives the place it was filed from and its
 * date; a byline ("By Anna Roe and Ben Lee") its authors. Both stay in the text; they are read,
 * not removed.
 */
#ifndef INGEST_TEXT_DATELINE_H
#define INGEST_TEXT_DATELINE_H

#include <stdbool.h>
#include <stddef.h>

struct dateline_rules;

/* Loads the month names (timex_months.txt) and name particles (ner_name_particles.txt). NULL with
 * *err on failure. */
struct dateline_rules *dateline_rules_open(const char *data_dir, char **err);
void dateline_rules_close(struct dateline_rules *r);

struct dateline {
    size_t start, end;             /* the dateline in the text (bytes) */
    size_t place_start, place_end; /* its place */
    char place[96];                /* normalised: "TOKYO" -> "Tokyo", "NEW YORK" -> "New York" */
    int year, month, day;          /* 0 when the dateline does not say */
};

/* Looks for a dateline at the start of one of the first paragraphs of text (paragraphs
 * separated by "\n\n"). */
bool dateline_find(const struct dateline_rules *r, const char *text, size_t len,
                   struct dateline *out);

/* Authors named by a byline among the first paragraphs: malloc'd names in *authors
 * (*n_authors of them). 0, or -1 on out of memory. */
int byline_authors(const struct dateline_rules *r, const char *text, size_t len, char ***authors,
                   size_t *n_authors);

/* The year a text is most likely from when nothing else says: the year it mentions most
 * (the later one on a tie), or 0. */
int text_likely_year(const char *text, size_t len);

#endif
