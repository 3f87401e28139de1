/*
 * timex_lex.h — the temporal tagger's vocabulary and tokens (internal to ingest/timex*.c).
 *
 * A lexicon maps every word the rules mention (literal words and the words of class files such
 * as timex_months.txt) to a word id and to its class memberships with their values. Tokens are
 * the words, numbers and punctuation marks of a text block, each carrying a bitmask of the
 * classes it belongs to, so that rule matching is a few integer tests per element.
 * The lexicon is built once at open and read-only afterwards (shared by threads).
 */
#ifndef INGEST_TIMEX_LEX_H
#define INGEST_TIMEX_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMEX_MAX_CLASSES 64
#define TIMEX_MAX_WORD 32

/* How a class recognises its tokens: from a word file, or from the token's form. */
enum timex_class_kind {
    TIMEX_CLASS_WORDS = 0,
    TIMEX_CLASS_DIGITS,  /* all digits, length and value in range */
    TIMEX_CLASS_ORDINAL, /* "1st", "22nd", value in range */
    TIMEX_CLASS_DECADE,  /* "1990s", "80s" */
    TIMEX_CLASS_QTOKEN,  /* "Q3" */
    TIMEX_CLASS_CAPITAL, /* any word starting with an ASCII capital */
    TIMEX_CLASS_FIGURE   /* "7,500,000", "1.76": digits with thousands groups or decimals */
};

struct timex_class {
    char name[24];
    enum timex_class_kind kind;
    bool cap; /* words must start with a capital letter */
    int minlen, maxlen;
    long minv, maxv;
};

/* One class membership of a word, with its value from the data file ("december 12"). */
struct timex_lexent {
    uint32_t next; /* index+1 of the word's next membership, 0 = none */
    uint8_t cls;
    int32_t ival;  /* numeric value (0 when the value is not a number) */
    char sval[12]; /* value as written ("10Y", "SU", "PRESENT_REF" truncated) */
};

struct timex_lex {
    struct timex_class classes[TIMEX_MAX_CLASSES];
    int n_classes;
    char **words;        /* word id -> lowercased word */
    uint32_t *first_ent; /* word id -> index+1 into ents, 0 = none */
    size_t n_words, cap_words;
    uint32_t *slots; /* hash slots: word id + 1, 0 = empty */
    size_t n_slots;
    struct timex_lexent *ents;
    size_t n_ents, cap_ents;
};

enum timex_tok_kind { TIMEX_TOK_WORD = 0, TIMEX_TOK_NUM, TIMEX_TOK_PUNCT };

struct timex_tok {
    size_t start, end; /* byte offsets into the document text */
    uint64_t cls;      /* class bitmask */
    int32_t word;      /* word id, -1 when the lexicon does not know it */
    int32_t num;       /* value of a leading digit run, -1 if none */
    uint32_t sent;     /* sentence number (for tense cues) */
    uint8_t kind;
    bool cap;
};

void timex_lex_init(struct timex_lex *lx);
void timex_lex_free(struct timex_lex *lx);
/* Word id of s[0..len) (ASCII case-folded), or -1. */
int32_t timex_lex_find(const struct timex_lex *lx, const char *s, size_t len);
/* Word id, adding the word if new; -1 on out of memory or a word longer than TIMEX_MAX_WORD. */
int32_t timex_lex_intern(struct timex_lex *lx, const char *s, size_t len);
/* Class id by name, or -1. */
int timex_lex_class(const struct timex_lex *lx, const char *name);
/* Declares a class from a "class …" line of the rules file (fields after "class"); loads its
 * word file from dir. 0, or -1 with *err set (malloc'd). */
int timex_lex_add_class(struct timex_lex *lx, const char *dir, char **fields, int n_fields,
                        char **err);

/* Calls fn(arg, line) for each line of dir/file with comments ('#' first) and blank lines
 * skipped and white space trimmed; stops at the first non-zero return. 0, or -1 with *err set
 * when the file cannot be read or fn fails. */
int timex_read_lines(const char *dir, const char *file, int (*fn)(void *arg, const char *line),
                     void *arg, char **err);

/* Splits text[from..len) into tokens (offsets into text). Returns how many were written to out
 * (at most cap) and sets *next to where the next block starts; near capacity a block ends at a
 * paragraph break so that no expression is cut in two. */
size_t timex_tokenize(const struct timex_lex *lx, const char *text, size_t len, size_t from,
                      struct timex_tok *out, size_t cap, size_t *next);
/* The membership of a token in a class: its value, or false if it is not a member. */
bool timex_tok_value(const struct timex_lex *lx, const struct timex_tok *t, int cls, int32_t *ival,
                     const char **sval);

#endif
