/*
 * resolve_internal.h — the state of one corpus-wide resolution run (the files of ingest/resolve
 * only).
 */
#ifndef INGEST_RESOLVE_INTERNAL_H
#define INGEST_RESOLVE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strmap.h"
#include "ingest/resolve/resolve.h"

#define RS_NONE UINT32_MAX

enum ov_kind { OV_MERGE, OV_SPLIT, OV_TYPE };

/* One rule of the user's overrides file (resolve_overrides.c); names as rn_key keys. */
struct ov_rule {
    enum ov_kind kind;
    char *from, *to; /* to: NULL unless a merge */
    int type;        /* a type rule's enum entity_type */
};

struct resolve_rules {
    struct wordlist *suffixes;
    struct wordlist *institutions; /* names always typed ORG, as rn_key keys */
    struct wordlist *generic;      /* head nouns that name nothing alone (ner_generic_heads.txt) */
    struct wordlist *national;     /* "Finance Ministry": named with their country in a document
                                      ("Finance Ministry (Japan)", ner_national_bodies.txt) */
    struct ov_rule *ov;
    size_t n_ov, cap_ov;
};

/* One mention of the corpus. */
struct rs_mention {
    struct mention *m; /* in its document's array */
    uint32_t doc;
    uint32_t cluster;
    char *surface;                /* the text as written, white space collapsed (in the arena) */
    char *skey;                   /* rn_key(surface) (in the arena) */
    char *lkey;                   /* rn_key(local name) (in the arena, or skey itself) */
    uint32_t skey_id, surface_id; /* interned: equal strings, equal ids (first-seen order) */
};

/* Mentions whose document-level names share a key; merged clusters form an entity (union-find). */
struct rs_cluster {
    char *key;        /* owned */
    const char *name; /* the local name of its first mention (borrowed) */
    uint32_t votes[4];
    double weight[4];     /* the votes weighed by the extractor's confidence in each type */
    uint32_t docs[4];     /* documents that give the name each type */
    uint32_t last_doc[4]; /* 1 + the last such document, for counting them */
    uint32_t n;
    uint32_t person_roles; /* PERSON mentions that state a role */
    uint32_t parent;
    uint32_t twin[4]; /* per type: the cluster of that well-attested second reading, or RS_NONE */
    uint8_t fixed;    /* bit t: a mention of type t whose text fixes its type (a dateline) */
    uint8_t twin_all; /* bit t: twin[t] takes every mention of type t, not only the fixed ones */
    bool has_twins, is_twin;
    bool legal_form;    /* the corpus also writes it with a legal form ("Halden Ltd") */
    bool locked;        /* "split" by the overrides file: no merge joins it */
    int8_t forced_type; /* "type" by the overrides file, or -1 */
    char *why;          /* why it joined its parent (owned), NULL for a root */
};

/* Strings that live as long as one run, allocated in large blocks (no malloc per mention). */
struct rs_block {
    struct rs_block *next;
    size_t used, size;
    char data[];
};

struct rs_state {
    const struct resolve_rules *r;
    struct rs_block *arena;
    struct doc **docs;
    size_t n_docs;
    struct rs_mention *ms;
    size_t nm;
    struct rs_cluster *cs;
    size_t nc, capc;
    struct strmap by_key;   /* cluster key -> cluster */
    struct strmap skeys;    /* surface key -> skey_id */
    struct strmap surfaces; /* surface -> surface_id */
};

/* Splits mention spans "A and B" whose two parts are names the corpus uses on their own (each
 * at least twice, each more often than the joined span). 0 or -1 (OOM). */
int rs_split_conjunctions(const struct resolve_rules *r, struct doc **docs, size_t n_docs);

/* Union-find over clusters. */
uint32_t rs_find(struct rs_state *s, uint32_t c);
/* Joins cluster `from`'s entity into `to`'s with a reason (copied), unless either is locked by
 * the overrides file. 0 or -1 (OOM). rs_union_forced ignores the locks (the file's merges). */
int rs_union(struct rs_state *s, uint32_t from, uint32_t to, const char *why);
int rs_union_forced(struct rs_state *s, uint32_t from, uint32_t to, const char *why);

/* The overrides file (resolve_overrides.c): locks before the merges, merges and types after. */
void rs_apply_splits(struct rs_state *s);
int rs_apply_merges_and_types(struct rs_state *s);
void rs_overrides_free(struct resolve_rules *r);
/* The type most votes are for (ties: ORG, LOC, PERSON, MISC). */
enum entity_type rs_vote(const uint32_t *votes);
/* Cluster c's type: the overrides file's, else its mentions' votes. */
enum entity_type rs_majority(const struct rs_cluster *c);

/* Gives the clusters of resolve_institutions.txt's names the type ORG (before the merges, so
 * that the entities they join take it). */
void rs_type_institutions(struct rs_state *s);

/* The merges (resolve_merge.c). Each 0 or -1 (OOM). */
int rs_merge_acronyms(struct rs_state *s);
int rs_merge_suffixes(struct rs_state *s);
/* Surnames into full names, one-word organisations into the longer name they start. */
int rs_merge_surnames(struct rs_state *s);

/* Types, canonical names and reasons, written back into the mentions (resolve_name.c). */
int rs_write_back(struct rs_state *s);

#endif
