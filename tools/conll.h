/*
 * conll.h — CoNLL-2003-style files for the entity tools (tools/ner_train, tests/eval/eval_ner):
 * one token per line with its tag in the last column (IOB1 or IOB2: I-PER, B-ORG, O …), blank
 * lines between sentences, -DOCSTART- lines between documents. Each document is detokenised into
 * running text with every token's byte span, so the real tokenizer and sentence splitter see text
 * as ingest does, and gold entities can be compared with extracted mentions by offsets.
 */
#ifndef TOOLS_CONLL_H
#define TOOLS_CONLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { T_PER = 0, T_ORG, T_LOC, T_MISC, T_N };

struct ent {
    size_t a, b; /* token range */
    int type;    /* T_* */
};

struct ents {
    struct ent *v;
    size_t n, cap;
};

struct tokens {
    char **tok;
    int *tag; /* -1 = O; else type, +T_N when it begins an entity (B-) */
    size_t n, cap;
    size_t *sent_end; /* token index after each sentence */
    size_t n_sent, cap_sent;
};

/* One document of a CoNLL file, detokenised. */
struct edoc {
    struct tokens t;
    struct ents gold;
    char *text; /* running text (owned) */
    size_t len;
    size_t *starts, *ends; /* byte span of each token in text */
};

struct edocs {
    struct edoc *v;
    size_t n, cap;
};

/* Reads every document of f into ds (appending). Exits with status 2 on out of memory. */
void conll_read(FILE *f, struct edocs *ds);
void conll_docs_free(struct edocs *ds);
void conll_ents_push(struct ents *e, size_t a, size_t b, int type);
/* realloc that exits with status 2 on out of memory (these are offline tools). */
/* Prints "out of memory" and exits with status 2: the tools stop on allocation failure. */
void conll_oom(void);
void *conll_xrealloc(void *p, size_t n);

#endif
