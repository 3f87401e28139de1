/*
 * ner_internal.h — the named-entity extractor's model, tokens and candidates (internal to
 * ingest/ner*.c).
 *
 * The model is a lexicon (word -> bitmask of the word lists it belongs to: common words, titles,
 * organisation suffixes, given names …) and a gazetteer (phrase -> place, demonym, well-known
 * organisation or event, with its canonical name), both built once by ner_open from data files and
 * Debian's iso-codes, read-only afterwards, plus word clusters and the tagger's mapped weights.
 * Extraction tokenises the text once (each token carries its lexicon bits), tags it with the
 * statistical tagger (ner_tagger.c, which runs the rules of ner_chunk.c as features and keeps a
 * few rule jobs in ner_tagger_rules.c) — or, without weights, with the rules alone — then resolves
 * names, acronyms and roles within the document (ner_resolve.c).
 */
#ifndef INGEST_NER_INTERNAL_H
#define INGEST_NER_INTERNAL_H

#include "ingest/ner/ner.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- string -> uint32 hash map (open addressing; keys owned) ---- */
struct ner_map_slot {
    char *key;
    uint64_t hash; /* of the key: a probe compares it before reading the key (another line) */
    uint32_t len;
    uint32_t val;
};

struct ner_map {
    struct ner_map_slot *slots;
    size_t cap; /* power of two, 0 when empty */
    size_t count;
};

/* Sets key -> val; with or_bits the value is OR-ed into an existing one, otherwise an existing key
 * keeps its value (first insertion wins). 0 or -1 on out of memory. */
int ner_map_put(struct ner_map *m, const char *key, size_t len, uint32_t val, bool or_bits);
/* Sets key -> val, replacing an existing value. 0 or -1 on out of memory. */
int ner_map_set(struct ner_map *m, const char *key, size_t len, uint32_t val);
bool ner_map_get(const struct ner_map *m, const char *key, size_t len, uint32_t *val);
void ner_map_free(struct ner_map *m);

/* ---- lexicon classes (bits of a token's `lex`) ---- */
enum {
    NL_COMMON = 1u << 0,     /* frequent lowercase English word (case-insensitive) */
    NL_FUNC = 1u << 1,       /* closed-class word */
    NL_TITLE = 1u << 2,      /* head of a personal title or role */
    NL_TITLEMOD = 1u << 3,   /* qualifies a title ("Prime", "Vice") */
    NL_HONOR = 1u << 4,      /* "Mr.", "Dr." */
    NL_ORGSUF = 1u << 5,     /* last word of an organisation */
    NL_ORGHEAD = 1u << 6,    /* "Ministry" (of …) */
    NL_LOCSUF = 1u << 7,     /* "Province", "River" */
    NL_LOCHEAD = 1u << 8,    /* "Gulf" (of …) */
    NL_MISCSUF = 1u << 9,    /* "Act", "Expo" */
    NL_MISCHEAD = 1u << 10,  /* "Treaty" (of …) */
    NL_GIVEN = 1u << 11,     /* common given name */
    NL_SURNAME = 1u << 12,   /* common family name */
    NL_ORGCUE = 1u << 13,    /* "company", "carmaker" before a name */
    NL_LOCCUE = 1u << 14,    /* "province" after a name */
    NL_LOCPREP = 1u << 15,   /* "in", "near" */
    NL_NOTNAME = 1u << 16,   /* weekdays, months, "CEO" */
    NL_SUBDIVSUF = 1u << 17, /* iso-codes administrative suffix */
    NL_PERIOD = 1u << 18,    /* the word followed by "." is an abbreviation ("Inc", "Mr") */
    NL_CONNECT = 1u << 19,   /* "of", "for", "and", "&" inside a name */
    NL_PARTICLE = 1u << 20,  /* "de", "van", "bin" inside a name */
    NL_LOCPRE = 1u << 21,    /* "East", "Northern" before a place */
    NL_DICT = 1u << 22,      /* a lowercase word of the system dictionary (any frequency) */
    NL_PROPER = 1u << 23,    /* a capitalised word of the system dictionary (a proper noun) */
    NL_SUBJVERB = 1u << 24,  /* "said", "announced" after a company or person */
    NL_ORGPRE = 1u << 25,    /* "FC", "Real", "Dynamo" before a club's place name */
    NL_SPORTVERB = 1u << 26, /* "beat", "drew" before a team */
    NL_TEAMCUE = 1u << 27,   /* "manager", "striker" after a team */
    NL_ORGAFTER = 1u << 28,  /* "shares", "subsidiary" after a company */
    NL_ORGPREV = 1u << 29,   /* "acquire", "shares (of)", "economists (at)" before a company */
    NL_GENERIC = 1u << 30    /* "Bank", "Commission": an institution's head noun (resolution
                                only: outside the tagger's features, FE_LEX_SELF) */
};
/* A company's legal form ("Corp", "Plc"; resolve_corporate_suffixes.txt), for the initials of
 * its name (resolution only, outside the tagger's features). A define: an enumerator must fit
 * an int. */
#define NL_LEGAL (1u << 31)

/* ---- gazetteer ---- */
enum ner_gaz_kind {
    NER_GAZ_COUNTRY = 0,
    NER_GAZ_SUBDIV,
    NER_GAZ_CITY,
    NER_GAZ_CAPITAL,
    NER_GAZ_REGION,
    NER_GAZ_DEMONYM,
    NER_GAZ_ORG, /* a well-known organisation (ner_orgs.txt) */
    NER_GAZ_MISC /* a well-known event, league or product family (ner_misc.txt) */
};

struct ner_gaz {
    char *canon;   /* display name ("United States"); for a demonym, the demonym itself */
    char *country; /* capital or demonym: the country's canonical name, or NULL */
    uint8_t kind;  /* enum ner_gaz_kind */
};

#define NER_GAZ_MAX_TOKENS 6
#define NER_GAZ_MAX_KEY 96

struct ner_tagger;
struct ner_cluster_path;

/* Word clusters (ner_clusters.txt: "bitpath<TAB>word<TAB>count" lines, Liang's format). The
 * path of a word is kept as its bits (at most 32) and length. */
struct ner_cluster_path {
    uint32_t bits;
    uint8_t len;
    uint32_t count; /* the word's count in the clustered text (0 when the file gives none) */
    uint32_t lex;   /* the word's NL_* bits (ner_paths_lex) */
};

struct ner_model {
    struct ner_tagger *tagger; /* the statistical tagger (ner_tagger.c), or NULL: rules only */
    struct ner_map clusters;   /* word -> index into paths (ner_clusters.txt) */
    struct ner_cluster_path *paths;
    size_t n_paths;
    int32_t *sum_slot; /* per path: its word's slot in the tagger's sums, or -1 (ner_sums.c) */
    struct ner_map lex_fold;  /* lowercased word -> NL_* bits of case-insensitive lists */
    struct ner_map lex_exact; /* word -> NL_* bits of case-sensitive lists */
    struct ner_map gaz_exact; /* normalised phrase -> index into gaz */
    struct ner_map gaz_fold;  /* lowercased phrase -> index (for ALL-CAPS text) */
    /* the beginnings of those phrases that end where a token may end ("Bank of", "Bank"): a
     * span that is none of them can grow into no phrase (ner_gaz_span_longer) */
    struct ner_map gaz_exact_starts;
    struct ner_map gaz_fold_starts;
    struct ner_map endings; /* word ending -> entity_type + 1 (ner_name_endings.txt) */
    struct ner_gaz *gaz;
    size_t n_gaz;
    size_t cap_gaz;
    /* Word lists the rules test a word against, exact case (not lexicon bits: the tagger's
     * features read every bit of those). */
    struct wordlist *speech_verbs;  /* "said": ends a role phrase (ner_speech_verbs.txt) */
    struct wordlist *sport_linked;  /* "drew", "lost": need "with"/"to" before a team */
    struct wordlist *sport_versus;  /* "v", "vs": not a verb after a team */
    struct wordlist *national;      /* "Finance Ministry": named with their country */
    struct wordlist *place_abbrev;  /* "Calif.=California" (ner_place_abbreviations.txt) */
    struct ner_map place_abbrev_at; /* "Calif." -> its line in place_abbrev */
};

/* The full name of a place written as a state's or province's abbreviation ("Calif." ->
 * "California", ner_place_abbreviations.txt), or NULL. */
const char *ner_place_full_name(const struct ner_model *m, const char *s, size_t len);

/* The system word list (Debian's wamerican, a declared dependency). */
#define NER_DICT_PATH "/usr/share/dict/words"

/* Loads the word lists and the gazetteer into m (zeroed). 0, or -1 with *err set. */
int ner_lex_load(struct ner_model *m, const char *data_dir, const char *iso_dir, char **err);
void ner_lex_free(struct ner_model *m);
/* NL_* bits of the word text[0..len) (both lists; the case-insensitive ones ASCII-folded). */
uint32_t ner_lex_lookup(const struct ner_model *m, const char *w, size_t len);
/* The type a word's ending suggests ("Williamsburg" -> LOC), or -1. */
int ner_ending_type(const struct ner_model *m, const char *w, size_t len);
/* Gazetteer index of a phrase (runs of white space count as one space), or -1. */
int ner_gaz_lookup(const struct ner_model *m, const char *s, size_t len, bool fold);
/* The same, and *longer (when not NULL): whether a longer phrase begins with this one. */
int ner_gaz_lookup_longer(const struct ner_model *m, const char *s, size_t len, bool fold,
                          bool *longer);

/* ---- tokens ---- */
enum {
    NT_WORD = 1u << 0,      /* letters/digits (may hold inner "." or "'") */
    NT_CAP = 1u << 1,       /* starts with an upper-case letter */
    NT_UPPER = 1u << 2,     /* all letters upper case, at least two of them */
    NT_LOWER = 1u << 3,     /* starts with a lower-case letter */
    NT_DIGIT = 1u << 4,     /* contains a digit */
    NT_SSTART = 1u << 5,    /* first word of a sentence or line */
    NT_SPACE = 1u << 6,     /* white space before the token */
    NT_NL = 1u << 7,        /* a line break before the token */
    NT_POSS = 1u << 8,      /* possessive "'s" or trailing apostrophe */
    NT_HYPHEN = 1u << 9,    /* "-" */
    NT_HEADLINE = 1u << 10, /* in a Title Case or ALL CAPS sentence */
    NT_OPEN = 1u << 11,     /* "(" or "[" */
    NT_CLOSE = 1u << 12,    /* ")" or "]" */
    NT_COMMA = 1u << 13,
    NT_QUOTE = 1u << 14,   /* a quotation mark */
    NT_STOP = 1u << 15,    /* ".", "!", "?", ";", ":" or a dash: ends a phrase */
    NT_DATELINE = 1u << 16 /* the place of a wire dateline ("LONDON 1996-08-30") */
};

struct ner_tok {
    size_t start;
    size_t end;
    uint32_t flags; /* NT_* */
    uint32_t lex;   /* NL_* (words only) */
    uint32_t sent;  /* sentence index */
    int32_t path;   /* a word of the clusters' vocabulary as written: its path there, else -1 */
};

/* The NL_* bits of every word of the clusters' vocabulary, kept with its path: a token found
 * there (one lookup, which the tagger's cluster feature needs anyway) reads them instead of
 * looking the word up in each list. Call once the lists and the clusters are loaded. */
void ner_paths_lex(struct ner_model *m);

/* Tokenises text[0..len) into *out (malloc'd). 0 or -1 on out of memory. */
int ner_tokenize(const struct ner_model *m, const char *text, size_t len,
                 const struct span *sentences, size_t n_sentences, struct ner_tok **out,
                 size_t *n_out);

/* ---- candidates ---- */
/* How sure the type is. NER_EV_SUPPORT: kept only if the document names a longer entity it is
 * part of ("King" after "Sean King"). */
enum ner_evidence { NER_EV_SUPPORT = 0, NER_EV_WEAK, NER_EV_CONTEXT, NER_EV_STRONG };

struct ner_cand {
    size_t a, b; /* token range [a, b) */
    enum entity_type type;
    enum ner_evidence ev;
    int gaz;       /* gazetteer entry of the whole span, or -1 */
    size_t role_a; /* title tokens before the name [role_a, role_b), or role_a == role_b */
    size_t role_b;
    bool drop;     /* removed by a later pass */
    bool doubtful; /* only ordinary words: dropped by the rules, a weak feature for the tagger */
    int link;      /* acronym: the candidate holding its long form, or -1 */
    float conf;    /* type confidence in (0, 1] (struct mention's confidence) */
    char *canon;   /* canonical name (owned), set by resolution */
    char *role;    /* owned */
};

struct ner_doc {
    const struct ner_model *m;
    const char *text;
    size_t len;
    struct ner_tok *t;
    size_t n;
    struct ner_cand *c;
    size_t nc;
    size_t capc;
    struct ner_map seen; /* word -> seen capitalised mid-sentence (1) / lowercase (2) */
    bool model_typed;    /* types come from the tagger, already document-consistent (its stage 2):
                            resolution names and links mentions but does not retype them */
};

/* The first token of the organisation or person name [a, b) of the given type when a is a
 * sentence's "The" ("The Bank's assessment", "The Treasury said"), or an organisation's "A"/"An"
 * ("A Bank of Japan official"): the capital letter there says
 * nothing, and news writes the article outside such names ("the Treasury"; CoNLL-2003 too),
 * unless inside a sentence of the document the tagger's labels y put a capitalised "The" into
 * the same name ("at The Advocate Corp"). Places and titles keep theirs ("The Hague", "The
 * Netherlands", "The Knot"). Else a. (ner_tagger.c) */
size_t ner_name_start(const struct ner_doc *d, const uint8_t *y, size_t a, size_t b,
                      enum entity_type type);

/* Whether token i of d is the word w, exactly (case included); false past the last token. */
static inline bool ner_word_eq(const struct ner_doc *d, size_t i, const char *w)
{
    size_t n = strlen(w);
    return i < d->n && d->t[i].end - d->t[i].start == n &&
           memcmp(d->text + d->t[i].start, w, n) == 0;
}

/* "Robert Gordon of Benning Lyle Inc", "Analyst Dora Quist of ...": whether the words [a, c)
 * before an "of" hold a person's given name, or a name after a title, and no organisation head,
 * so that the "of" ends a name (ner_chunk.c). */
bool ner_person_before_of(const struct ner_doc *d, size_t a, size_t c);

/* ner_open without the tagger's weights (the lexicon, gazetteer and clusters only): for the
 * offline tools that train or build them, so old or missing weights never stop a rebuild. */
struct ner_model *ner_open_with(const char *data_dir, bool tagger, char **err);

/* ner_extract with the statistical tagger (when loaded) or the rules alone (benchmarks compare
 * the two in one run). */
int ner_extract_with(const struct ner_model *m, bool tagger, const char *text, size_t len,
                     const struct span *sentences, size_t n_sentences, struct mention **out,
                     size_t *n_out);

/* Finds and types the capitalised runs of d->t into d->c. 0 or -1 (OOM). */
int ner_chunk(struct ner_doc *d);
/* Cuts candidates at markup ("<", ">" ...), drops a ticker alone in angle brackets and what a
 * cut leaves of one letter; sorts the candidates by start (ner_refs.c). */
void ner_refs_markup(struct ner_doc *d);
/* Sorts the candidates by start, the shorter first at equal starts (ner_refs.c). */
void ner_cands_sort(struct ner_doc *d);
/* A capitalised generic head alone ("the Bank") becomes an alias of the organisation the
 * document names with that head, or is dropped (ner_refs.c; after canonical names). 0/-1. */
int ner_refs_heads(struct ner_doc *d);
/* Within-document resolution: acronyms, short names, metonyms, roles, canonical names. 0/-1. */
int ner_resolve_doc(struct ner_doc *d);
/* Adds a candidate; -1 on OOM. */
int ner_cand_add(struct ner_doc *d, size_t a, size_t b, enum entity_type type,
                 enum ner_evidence ev);

/* The text of tokens [a, b) with white-space runs collapsed, malloc'd (NULL on OOM). */
char *ner_span_text(const struct ner_doc *d, size_t a, size_t b);
/* Names the national institutions of ner_national_bodies.txt with their country ("Finance
 * Ministry (Japan)"), ner_national.c; 0, or -1 when out of memory. */
int ner_qualify_national(struct ner_doc *d);
/* Gazetteer entry matching tokens [a, b) exactly, or -1. */
int ner_gaz_span(const struct ner_doc *d, size_t a, size_t b);
/* The same, and *longer (when not NULL): whether some phrase begins with the span and is longer
 * (false: no span [a, c) with c > b is a phrase). */
int ner_gaz_span_longer(const struct ner_doc *d, size_t a, size_t b, bool *longer);

#endif
