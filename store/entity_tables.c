/*
 * entity_tables.c — the entity tables (entities, entity_aliases, entity_roles) gathered in
 * memory while the build writes the mentions, and written at once after the last document (see
 * build.h). They were GROUP BYs over a raw copy of every mention once all were written: on
 * Reuters 0.8 s of the store's main thread, the longest step after the rows (bench/RESULTS.md).
 *
 * The rowid of an entity is known before any row is written: the entities are inserted in id
 * order into an empty table, so an id's rowid is its rank among the distinct ids of the written
 * mentions (BINARY collation: byte order). The values are those the SQL gave: the entity's
 * least name and type, its mentions and distinct documents; per alias its mentions and least
 * reason; per role, its case-folded form (SQLite's lower(): ASCII) grouped, the least spelling.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/strmap.h"
#include "conn.h"
#include "build.h"

struct entity_row {
    const char *id; /* the key in rowids */
    char *name;     /* the least name of its mentions */
    const char *type;
    sqlite3_int64 mentions, documents, last_doc;
};

/* An alias or a role of one entity: text is the alias, or the least spelling of the role; note
 * the least reason (alias) or NULL. */
struct entity_form {
    uint32_t entity;
    char *text, *note;
    sqlite3_int64 count;
};

struct form_set {
    struct strmap index; /* "<entity>\x1f<form key>" -> position in forms, from 1 */
    struct entity_form *forms;
    size_t n, cap;
};

struct entity_tables {
    struct strmap rowids;    /* entity id -> rowid */
    struct entity_row *rows; /* by rowid - 1 */
    size_t n_rows;
    struct form_set aliases, roles;
};

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Numbers the distinct ids in t->rowids by their byte order, each row pointing at its id. */
static int number_ids(struct entity_tables *t)
{
    size_t n = 0;
    const char **keys = malloc((t->rowids.count ? t->rowids.count : 1) * sizeof *keys);
    t->rows = calloc(t->rowids.count ? t->rowids.count : 1, sizeof *t->rows);
    if (!keys || !t->rows) {
        free(keys);
        return -1;
    }
    for (size_t i = 0; i < t->rowids.cap; i++)
        if (t->rowids.slots[i].key)
            keys[n++] = t->rowids.slots[i].key;
    qsort(keys, n, sizeof *keys, cmp_key);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t *v;
        rc = strmap_upsert(&t->rowids, keys[i], strlen(keys[i]), &v) < 0 ? -1 : 0;
        if (rc == 0) {
            *v = (uint32_t)(i + 1);
            t->rows[i].id = keys[i];
        }
    }
    t->n_rows = n;
    free(keys);
    return rc;
}

struct entity_tables *entity_tables_new(struct doc *const *docs, size_t n_docs)
{
    struct entity_tables *t = calloc(1, sizeof *t);
    char eid[STORE_ENTITY_ID_MAX];
    int rc = t ? 0 : -1;
    for (size_t i = 0; i < n_docs && rc == 0; i++)
        for (size_t k = 0; k < docs[i]->n_mentions && rc == 0; k++) {
            const struct mention *m = &docs[i]->mentions[k];
            if (!store_mention_written(docs[i], m))
                continue;
            store_entity_id(m->type, m->name, eid, sizeof eid);
            uint32_t *v;
            rc = strmap_upsert(&t->rowids, eid, strlen(eid), &v) < 0 ? -1 : 0;
        }
    if (rc == 0)
        rc = number_ids(t);
    if (rc < 0) {
        entity_tables_free(t);
        return NULL;
    }
    return t;
}

uint32_t entity_tables_rowid(const struct entity_tables *t, const char *eid)
{
    uint32_t rowid = 0;
    return strmap_get(&t->rowids, eid, strlen(eid), &rowid) ? rowid : 0;
}

/* Replaces *have by a copy of s when s is less (or *have is NULL); -1 out of memory. */
static int keep_least(char **have, const char *s)
{
    if (!s || (*have && strcmp(s, *have) >= 0))
        return 0;
    char *copy = strdup(s);
    if (!copy)
        return -1;
    free(*have);
    *have = copy;
    return 0;
}

/* The form of entity keyed key (len bytes), created empty when new; NULL out of memory. */
static struct entity_form *form_of(struct form_set *set, uint32_t entity, const char *key,
                                   size_t len)
{
    char buf[STORE_ENTITY_ID_MAX + 16];
    int head = snprintf(buf, sizeof buf, "%u\x1f", entity);
    if (len > sizeof buf - (size_t)head)
        len = sizeof buf - (size_t)head;
    memcpy(buf + head, key, len);
    uint32_t *pos;
    int fresh = strmap_upsert(&set->index, buf, (size_t)head + len, &pos);
    if (fresh < 0)
        return NULL;
    if (fresh) {
        if (BASE_GROW(set->forms, set->cap, set->n, 4096) < 0)
            return NULL;
        set->forms[set->n++] = (struct entity_form){entity, NULL, NULL, 0};
        *pos = (uint32_t)set->n;
    }
    return &set->forms[*pos - 1];
}

static int add_alias(struct entity_tables *t, uint32_t entity, const char *alias, const char *why)
{
    struct entity_form *f = form_of(&t->aliases, entity, alias, strlen(alias));
    if (!f || (!f->text && !(f->text = strdup(alias))))
        return -1;
    f->count++;
    return keep_least(&f->note, why);
}

static int add_role(struct entity_tables *t, uint32_t entity, const char *role)
{
    char folded[STORE_ENTITY_ID_MAX];
    size_t n = strlen(role);
    if (n >= sizeof folded)
        n = sizeof folded - 1;
    for (size_t i = 0; i < n; i++) /* as SQLite's lower() without ICU: ASCII letters only */
        folded[i] = role[i] >= 'A' && role[i] <= 'Z' ? (char)(role[i] + 32) : role[i];
    struct entity_form *f = form_of(&t->roles, entity, folded, n);
    if (!f)
        return -1;
    f->count++;
    return keep_least(&f->text, role);
}

int entity_tables_add(struct entity_tables *t, uint32_t rowid, const struct mention *m,
                      const char *alias, sqlite3_int64 doc)
{
    if (rowid == 0 || rowid > t->n_rows)
        return -1;
    struct entity_row *r = &t->rows[rowid - 1];
    const char *type = entity_type_name(m->type);
    if (keep_least(&r->name, m->name) < 0)
        return -1;
    if (!r->type || strcmp(type, r->type) < 0)
        r->type = type;
    r->mentions++;
    if (r->last_doc != doc) { /* documents are written in rowid order */
        r->documents++;
        r->last_doc = doc;
    }
    if (add_alias(t, rowid, alias, m->why) < 0)
        return -1;
    return m->role ? add_role(t, rowid, m->role) : 0;
}

static int cmp_form(const void *a, const void *b)
{
    const struct entity_form *x = a, *y = b;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    return strcmp(x->text, y->text);
}

/* Writes the forms of set (sorted: the tables' key order) with sql(entity, text, count, note). */
static int write_forms(sqlite3 *db, struct form_set *set, const char *sql)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (set->n)
        qsort(set->forms, set->n, sizeof *set->forms, cmp_form);
    for (size_t i = 0; rc == SQLITE_OK && i < set->n; i++) {
        const struct entity_form *f = &set->forms[i];
        sqlite3_bind_int64(st, 1, f->entity);
        sqlite3_bind_text(st, 2, f->text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, f->count);
        if (sqlite3_bind_parameter_count(st) >= 4)
            store_bind_text_or_null(st, 4, f->note);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : sqlite3_errcode(db);
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_entities(sqlite3 *db, const struct entity_tables *t)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db,
                                "INSERT INTO entities(rowid,id,name,type,mention_count,"
                                "document_count) VALUES(?,?,?,?,?,?)",
                                -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < t->n_rows; i++) {
        const struct entity_row *r = &t->rows[i];
        if (!r->mentions)
            continue; /* numbered but never written: cannot happen while both walk alike */
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(i + 1));
        sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, r->mentions);
        sqlite3_bind_int64(st, 6, r->documents);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : sqlite3_errcode(db);
    }
    sqlite3_finalize(st);
    return rc;
}

int entity_tables_write(struct entity_tables *t, sqlite3 *db, char **err)
{
    int rc = write_entities(db, t);
    if (rc == SQLITE_OK)
        rc = write_forms(db, &t->aliases,
                         "INSERT INTO entity_aliases(entity,alias,count,why) VALUES(?,?,?,?)");
    if (rc == SQLITE_OK)
        rc =
            write_forms(db, &t->roles, "INSERT INTO entity_roles(entity,role,count) VALUES(?,?,?)");
    if (rc != SQLITE_OK) {
        *err = store_errdup("store build: entities", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

static void free_forms(struct form_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->forms[i].text);
        free(set->forms[i].note);
    }
    free(set->forms);
    strmap_free(&set->index);
}

void entity_tables_free(struct entity_tables *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free(t->rows[i].name);
    free(t->rows);
    free_forms(&t->aliases);
    free_forms(&t->roles);
    strmap_free(&t->rowids);
    free(t);
}
