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

struct resolve_rules {
    struct wordlist *suffixes;
};

/* One mention of the corpus. */
struct rs_mention {
    struct mention *m; /* in its document's array */
    uint32_t doc;
    uint32_t cluster;
    char *surface; /* the text as written, white space collapsed (owned) */
    char *skey;    /* rn_key(surface) (owned) */
    char *lkey;    /* rn_key(local name) (owned) */
};

/* Mentions whose document-level names share a key; merged clusters form an entity (union-find). */
struct rs_cluster {
    char *key;        /* owned */
    const char *name; /* the local name of its first mention (borrowed) */
    uint32_t votes[4];
    uint32_t n;
    uint32_t parent;
    uint32_t twin; /* the PERSON half of a name the text also uses for a non-person, or RS_NONE */
    char *why;     /* why it joined its parent (owned), NULL for a root */
};

struct rs_state {
    const struct resolve_rules *r;
    struct doc **docs;
    size_t n_docs;
    struct rs_mention *ms;
    size_t nm;
    struct rs_cluster *cs;
    size_t nc, capc;
    struct strmap by_key; /* cluster key -> cluster */
};

/* Splits mention spans "A and B" whose two parts are names the corpus uses on their own (each
 * at least twice, each more often than the joined span). 0 or -1 (OOM). */
int rs_split_conjunctions(struct doc **docs, size_t n_docs);

/* Union-find over clusters. */
uint32_t rs_find(struct rs_state *s, uint32_t c);
/* Joins cluster `from`'s entity into `to`'s with a reason (copied). 0 or -1 (OOM). */
int rs_union(struct rs_state *s, uint32_t from, uint32_t to, const char *why);
/* The type most mentions of cluster c vote for. */
enum entity_type rs_majority(const struct rs_cluster *c);

/* The merges (resolve_merge.c). Each 0 or -1 (OOM). */
int rs_merge_acronyms(struct rs_state *s);
int rs_merge_suffixes(struct rs_state *s);
/* Surnames into full names, one-word organisations into the longer name they start. */
int rs_merge_surnames(struct rs_state *s);

/* Types, canonical names and reasons, written back into the mentions (resolve_name.c). */
int rs_write_back(struct rs_state *s);

#endif
