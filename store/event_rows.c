/*
 * event_rows.c — the events' rows (see build.h). An event's item names the entities of its
 * sentence, known only once the entity tables are written, after all the documents; and the
 * documents are freed as they are written. So each event is staged small (its numbers, its
 * value, its entities, where its expression and sentence lie in the text), and at the end the
 * texts are read back from the documents table in one pass, each item is rendered here as
 * SQLite's json_object() renders it, and the rows are inserted sorted by the table's key (date,
 * rowid). Before, the rows went in as the documents came (each a search of the date-ordered
 * table) and an UPDATE rendered every item in SQL, reading its document's whole text for the
 * sentence: 0.6-0.9 s of the store build on Reuters (bench/RESULTS.md §7q).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/grow.h"
#include "base/json.h"
#include "build.h"
#include "lookup_build.h"

struct staged_event {
    struct event_row row;               /* value points into this allocation */
    const char *id, *timex_text, *item; /* rendered at the end, in a chunk */
    size_t item_len;
    size_t n_entities;
    uint32_t entities[]; /* then the value */
};

/* The staged events live in chunks mapped outside malloc's heaps: allocated among the
 * documents' memory while that is freed, they kept its pages from going back to the system
 * (peak RSS on Reuters 273 -> 320-340 MB with one malloc per event). */
#define EVENT_CHUNK_BYTES ((size_t)4 << 20)

struct chunk {
    struct chunk *next;
    size_t used, size; /* bytes of the mapping, this header included */
};

struct event_rows {
    struct staged_event **events;
    size_t n, cap;
    struct chunk *chunks; /* the newest first */
};

struct event_rows *event_rows_new(void)
{
    return calloc(1, sizeof(struct event_rows));
}

static void free_chunks(struct event_rows *r)
{
    while (r->chunks) {
        struct chunk *next = r->chunks->next;
        munmap(r->chunks, r->chunks->size);
        r->chunks = next;
    }
}

void event_rows_free(struct event_rows *r)
{
    if (!r)
        return;
    free_chunks(r);
    free(r->events);
    free(r);
}

/* size bytes (8-aligned) from the newest chunk, or from a new one; NULL when none can be had. */
static void *chunk_alloc(struct event_rows *r, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    struct chunk *c = r->chunks;
    if (!c || c->size - c->used < size) {
        size_t header = (sizeof *c + 7) & ~(size_t)7;
        size_t bytes = header + size > EVENT_CHUNK_BYTES ? header + size : EVENT_CHUNK_BYTES;
        c = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (c == MAP_FAILED)
            return NULL;
        *c = (struct chunk){r->chunks, header, bytes};
        r->chunks = c;
    }
    void *p = (char *)c + c->used;
    c->used += size;
    return p;
}

/* A copy of s[0..n), NUL-terminated, in a chunk. */
static const char *chunk_text(struct event_rows *r, const char *s, size_t n)
{
    char *out = chunk_alloc(r, n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

int event_rows_add(struct event_rows *r, const struct event_row *row,
                   const struct entity_sentence *pairs, size_t n_entities)
{
    size_t value_len = strlen(row->value);
    if (BASE_GROW(r->events, r->cap, r->n, 4096) < 0)
        return -1;
    struct staged_event *e =
        chunk_alloc(r, sizeof *e + n_entities * sizeof *e->entities + value_len + 1);
    if (!e)
        return -1;
    *e = (struct staged_event){.row = *row, .n_entities = n_entities};
    for (size_t k = 0; k < n_entities; k++)
        e->entities[k] = (uint32_t)pairs[k].entity;
    char *value = (char *)(e->entities + n_entities);
    memcpy(value, row->value, value_len + 1);
    e->row.value = value;
    r->events[r->n++] = e;
    return 0;
}

static void put_str(void *ctx, const char *s, size_t n)
{
    sqlite3_str_append(ctx, s, (int)n);
}

/* lead (the separator and key, as written), then s[0..n) as a JSON string, or null for NULL. */
static void put_member(sqlite3_str *out, const char *lead, const char *s, size_t n)
{
    sqlite3_str_appendall(out, lead);
    if (s)
        base_json_string(s, n, false, put_str, out);
    else
        sqlite3_str_appendall(out, "null");
}

static void put_text(sqlite3_str *out, const char *lead, const char *s)
{
    put_member(out, lead, s, s ? strlen(s) : 0);
}

/* The Event representation (docs/openapi.yaml), keys in the order the handlers wrote them, of
 * staged event e of the document doc_id whose text is text; entity[k] is the rendered
 * {"id","name","type"} of entity rowid k. */
static void render_item(sqlite3_str *out, const struct staged_event *e, const char *doc_id,
                        const char *text, char *const *entity, size_t n_entity)
{
    const struct event_row *w = &e->row;
    put_text(out, "{\"id\":", e->id);
    put_text(out, ",\"date\":", w->date);
    put_text(out, ",\"precision\":", w->precision);
    put_text(out, ",\"timex\":{\"text\":", e->timex_text);
    put_text(out, ",\"value\":", w->value);
    sqlite3_str_appendf(out, ",\"start\":%lld,\"end\":%lld}", (long long)w->timex_start,
                        (long long)w->timex_end);
    put_member(out, ",\"sentence\":", w->has_sentence ? text + w->sentence_bytes[0] : NULL,
               w->sentence_bytes[1] - w->sentence_bytes[0]);
    put_text(out, ",\"document_id\":", doc_id);
    sqlite3_str_appendall(out, ",\"entities\":[");
    for (size_t k = 0, written = 0; k < e->n_entities; k++) {
        if (e->entities[k] >= n_entity || !entity[e->entities[k]])
            continue; /* not an entity of the table: the SQL join left it out too */
        sqlite3_str_appendall(out, written++ ? "," : "");
        sqlite3_str_appendall(out, entity[e->entities[k]]);
    }
    sqlite3_str_appendall(out, "]}");
}

/* Every entity's {"id","name","type"}, rendered by SQLite, by rowid (malloc'd; NULL on failure). */
static char **read_entities(sqlite3 *db, size_t *n_out)
{
    sqlite3_stmt *st;
    sqlite3_int64 max = 0;
    if (sqlite3_prepare_v2(db, "SELECT max(rowid) FROM entities", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        max = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    char **entity = calloc((size_t)max + 1, sizeof *entity);
    if (!entity || sqlite3_prepare_v2(db,
                                      "SELECT rowid, json_object('id', id, 'name', name, 'type',"
                                      " type) FROM entities",
                                      -1, &st, NULL) != SQLITE_OK) {
        free(entity);
        return NULL;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *json = (const char *)sqlite3_column_text(st, 1);
        if (id < 0 || id > max || !json || !(entity[id] = strdup(json))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    *n_out = (size_t)max + 1;
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i <= (size_t)max; i++)
            free(entity[i]);
        free(entity);
        return NULL;
    }
    return entity;
}

static void free_entities(char **entity, size_t n)
{
    for (size_t i = 0; entity && i < n; i++)
        free(entity[i]);
    free(entity);
}

/* The id, expression text and item of staged event e of document doc_id (text, text_len),
 * into chunks. SQLITE_OK or an error code. */
static int render_event(struct event_rows *r, struct staged_event *e, const char *doc_id,
                        const char *text, size_t text_len, char *const *entity, size_t n_entity,
                        sqlite3_str *item)
{
    const struct event_row *w = &e->row;
    if (w->timex_bytes[1] > text_len || w->timex_bytes[0] > w->timex_bytes[1] ||
        (w->has_sentence &&
         (w->sentence_bytes[1] > text_len || w->sentence_bytes[0] > w->sentence_bytes[1])))
        return SQLITE_CORRUPT; /* not the text it was staged from */
    int id_len = snprintf(NULL, 0, "%s:%lld", doc_id, (long long)w->timex_start);
    char *id = id_len >= 0 ? chunk_alloc(r, (size_t)id_len + 1) : NULL;
    if (id)
        snprintf(id, (size_t)id_len + 1, "%s:%lld", doc_id, (long long)w->timex_start);
    e->id = id;
    e->timex_text = chunk_text(r, text + w->timex_bytes[0], w->timex_bytes[1] - w->timex_bytes[0]);
    if (!e->id || !e->timex_text)
        return SQLITE_NOMEM;
    sqlite3_str_reset(item);
    render_item(item, e, doc_id, text, entity, n_entity);
    int rc = sqlite3_str_errcode(item);
    if (rc == SQLITE_OK &&
        !(e->item = chunk_text(r, sqlite3_str_value(item), (size_t)sqlite3_str_length(item))))
        rc = SQLITE_NOMEM;
    e->item_len = (size_t)sqlite3_str_length(item);
    return rc;
}

/* Renders every staged event (staged in document order) from one pass over the documents. */
static int render_all(struct event_rows *r, sqlite3 *db)
{
    size_t n_entity = 0;
    char **entity = read_entities(db, &n_entity);
    sqlite3_stmt *docs = NULL;
    sqlite3_str *item = sqlite3_str_new(db);
    int rc = entity ? sqlite3_prepare_v2(db, "SELECT rowid, id, text FROM documents ORDER BY rowid",
                                         -1, &docs, NULL)
                    : SQLITE_NOMEM;
    int step = rc == SQLITE_OK ? sqlite3_step(docs) : rc;
    for (size_t i = 0; i < r->n && rc == SQLITE_OK; i++) {
        struct staged_event *e = r->events[i];
        while (step == SQLITE_ROW && sqlite3_column_int64(docs, 0) < e->row.doc)
            step = sqlite3_step(docs);
        if (step != SQLITE_ROW || sqlite3_column_int64(docs, 0) != e->row.doc) {
            rc = step == SQLITE_ROW || step == SQLITE_DONE ? SQLITE_CORRUPT : step;
            break;
        }
        rc = render_event(r, e, (const char *)sqlite3_column_text(docs, 1),
                          (const char *)sqlite3_column_text(docs, 2),
                          (size_t)sqlite3_column_bytes(docs, 2), entity, n_entity, item);
    }
    sqlite3_finalize(docs);
    sqlite3_free(sqlite3_str_finish(item));
    free_entities(entity, n_entity);
    return rc;
}

/* The table's key order: date, then rowid. */
static int cmp_key(const void *a, const void *b)
{
    const struct event_row *x = &(*(struct staged_event *const *)a)->row;
    const struct event_row *y = &(*(struct staged_event *const *)b)->row;
    int c = strcmp(x->date, y->date);
    return c ? c : (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

static const char insert_sql[] =
    "INSERT INTO events(id,date,precision,doc,sentence,timex_start,timex_end,timex_text,"
    "timex_value,first_day,last_day,range_last_day,rowid,item)"
    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static int insert_row(sqlite3_stmt *st, const struct staged_event *e)
{
    const struct event_row *w = &e->row;
    sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, w->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w->precision, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, w->doc);
    sqlite3_bind_int64(st, 5, w->sentence);
    sqlite3_bind_int64(st, 6, w->timex_start);
    sqlite3_bind_int64(st, 7, w->timex_end);
    sqlite3_bind_text(st, 8, e->timex_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, w->value, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, w->first_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, w->last_day, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, w->range_last_day, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 13, w->rowid);
    sqlite3_bind_text(st, 14, e->item, (int)e->item_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int event_rows_write(struct event_rows *r, sqlite3 *db, char **err)
{
    int rc = render_all(r, db);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL);
    if (rc == SQLITE_OK && r->n)
        qsort(r->events, r->n, sizeof *r->events, cmp_key);
    for (size_t i = 0; i < r->n && rc == SQLITE_OK; i++)
        rc = insert_row(st, r->events[i]);
    sqlite3_finalize(st);
    free_chunks(r);
    r->n = 0;
    if (rc != SQLITE_OK) {
        if (asprintf(err, "store build: events: %s",
                     rc == SQLITE_NOMEM || rc == SQLITE_CORRUPT ? sqlite3_errstr(rc)
                                                                : sqlite3_errmsg(db)) < 0)
            *err = NULL;
        return -1;
    }
    return 0;
}
