/*
 * timex_rules.h — the pattern rules of ingest/data/timex_rules.txt: parsing, and matching them
 * against tokens (internal to ingest/timex*.c). See the data file's header for the syntax.
 */
#ifndef INGEST_TIMEX_RULES_H
#define INGEST_TIMEX_RULES_H

#include "ingest/doc.h"
#include "ingest/timex/timex_lex.h"

#define TIMEX_MAX_ALTS 24
#define TIMEX_MAX_ELEMS 16

enum timex_alt_kind { TIMEX_ALT_WORD = 0, TIMEX_ALT_CLASS, TIMEX_ALT_END };

struct timex_alt {
    uint8_t kind;
    int32_t id; /* word id or class id */
};

enum {
    TIMEX_EL_OPT = 1,     /* X? */
    TIMEX_EL_NOTNEXT = 2, /* !X: zero width, the token here is not X */
    TIMEX_EL_NOTPREV = 4  /* <X: zero width, the token before is not X */
};

struct timex_elem {
    struct timex_alt alts[TIMEX_MAX_ALTS];
    uint8_t n_alts;
    uint8_t flags;
};

struct timex_rule {
    enum timex_type type;
    bool prefix;       /* a PREFIX rule: extends matches of the types in type_mask leftwards */
    bool ignore;       /* an IGNORE rule: a look-alike, consumed but not tagged */
    uint8_t type_mask; /* PREFIX: 1 << enum timex_type */
    char action[16];
    char mod[16]; /* TIMEX3 mod the rule gives its expression ("START", "MID", "END", "APPROX") */
    char args[2][16];
    struct timex_elem elems[TIMEX_MAX_ELEMS];
    int n_elems;
    int span_open, span_close; /* element index where the extent starts / after which it ends */
    int line;
    /* what the first consumed token can be: a quick test before the full match */
    uint64_t first_cls;
    int32_t first_words[TIMEX_MAX_ELEMS * 2];
    uint8_t n_first_words;
    bool first_any; /* the first-token set is too large to list: always try */
};

#define TIMEX_MAX_RULES 1024 /* main rules: the start sets' bound */

struct timex_rules {
    struct timex_rule *rules; /* main rules in file order */
    size_t n_rules;
    struct timex_rule *prefixes;
    size_t n_prefixes;
    uint64_t start_classes; /* classes that can begin some rule */
    uint8_t *start_words;   /* word id -> can begin some rule */
    size_t n_start_words;
    /* The rules a token may begin, as bit sets over the main rules (set_words uint64_t each):
     * set 0 the rules that may begin anywhere, 1 + c those class c may begin, 65 + w those word
     * id w may begin. A token's candidates are the union of its sets, tried in file order. */
    uint64_t *start_sets;
    size_t set_words;
    int32_t period; /* word id of "." (an extent may end with it) */
};

/* Captured tokens per class for one match: index of the token, -1 when absent. */
struct timex_caps {
    int32_t tok[TIMEX_MAX_CLASSES];
};

struct timex_match {
    const struct timex_rule *rule;
    const char *mod;    /* the rule's mod, or the one of the PREFIX that extended it ("" = none) */
    size_t first, last; /* extent: tokens [first, last) */
    struct timex_caps caps;
};

/* Parses the rules file dir/timex_rules.txt, declaring its classes in lx. 0 or -1 with *err. */
int timex_rules_load(struct timex_rules *rs, struct timex_lex *lx, const char *dir, char **err);
void timex_rules_free(struct timex_rules *rs);

/* The longest match of any rule whose extent starts at or after token i and whose pattern
 * starts at i. false if none. */
bool timex_rules_match_at(const struct timex_rules *rs, const struct timex_tok *toks, size_t n,
                          size_t i, struct timex_match *m);
/* Extends m's extent leftwards over PREFIX rules, never before token floor. */
void timex_rules_extend(const struct timex_rules *rs, const struct timex_tok *toks, size_t floor,
                        struct timex_match *m);

#endif
