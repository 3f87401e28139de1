/*
 * lines.h — a page as logical lines, and the shape of one line: word counts, sentence ends,
 * headline case, script. Shared by the scraped-page cleaner and the given-text normaliser.
 */
#ifndef INGEST_TEXT_LINES_H
#define INGEST_TEXT_LINES_H

#include <stdbool.h>
#include <stddef.h>

/* One trimmed line of a page; s points into the page buffer, so s - page is its offset. */
struct line {
    const char *s;
    size_t len;
    size_t words;
};

/* True when most lines are of wire length (~40-90 bytes): the text is hard-wrapped. */
bool lines_hard_wrapped(const char *s, size_t len);
/* Joins the wrapped lines of each paragraph with a space; a blank or indented line starts a new
 * paragraph. Offsets are preserved: every byte stays where it was (a joining '\n' becomes ' '),
 * so out has len + 1 bytes and the same length. */
void lines_reflow(const char *s, size_t len, char *out);
/* Splits s into trimmed lines (blank lines have len 0). NULL on out of memory. */
struct line *lines_split(const char *s, size_t len, size_t *n_out);

/* Words as the cleaning rules count them ("a line of more than four words"): runs of letters and
 * digits (any non-ASCII byte counts as a letter), an apostrophe or hyphen inside a run keeping it
 * one word ("don't", "Seo-yeon"), so "A | B | C" or "—" add nothing. Not the document's
 * word_count (whitespace-separated, ingest/pipeline.c) nor the search query's FTS5 terms. */
size_t lines_count_letter_words(const char *s, size_t len);
bool lines_has_letter(const char *s, size_t len);
/* Ends like a sentence ('.', '!', '?', '…' before closing quotes and brackets). */
bool lines_ends_like_sentence(const char *s, size_t len);
/* A headline in sentence case: starts with a capital, most later words start lowercase, no
 * digits, no sentence end ("How tariffs could reshape the market"). */
bool lines_sentence_case_headline(const char *s, size_t len);

/* Scripts, coarsely: what a reader would call the writing system of a line. */
enum script {
    SCRIPT_NONE = 0,
    SCRIPT_LATIN,
    SCRIPT_HANGUL,
    SCRIPT_HAN,
    SCRIPT_KANA,
    SCRIPT_CYRILLIC,
    SCRIPT_GREEK,
    SCRIPT_ARABIC,
    SCRIPT_HEBREW,
    SCRIPT_OTHER,
    SCRIPT_COUNT
};
/* The script most letters of s[0..len) are written in (SCRIPT_NONE: no letters). */
enum script lines_script(const char *s, size_t len);

#endif
