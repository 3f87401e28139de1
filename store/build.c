/*
 * build.c — loads ingested documents into a new database. Raw rows are inserted with prepared
 * statements; entities, aliases, roles, co-occurrences and event entities are then derived with
 * set-based SQL (GROUP BY) rather than hand-written hash tables.
 */
#include "build.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/timex/timex.h"
#include "base/utf8.h"
#include "conn.h"
#include "lookup_build.h"
#include "schema_sql.h"

enum insert_id {
    INS_DOC,
    INS_PARA,
    INS_SENT,
    INS_MENTION,
    INS_TIMEX,
    INS_EVIDENCE,
    INS_AUTHOR,
    INS_CAPTION,
    INS_SOURCE,
    INS_ASIDE,
    INS_REDIRECT,
    INS_EVENT_ENTITY,
    INS_COUNT
};

static const char *const insert_sql[INS_COUNT] = {
    /* item: the list representation of the document (handlers/documents.c, docs/openapi.yaml) */
    "INSERT INTO documents(id,title,source,url,published,precision,published_inferred,language,"
    "word_count,summary,text,place,dateline_start,dateline_end,dateline_date,encoding,item)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
    " json_object('id',?1,'title',nullif(?2,''),'source',nullif(?3,''),'url',nullif(?4,''),"
    " 'published',nullif(?5,''),'precision',nullif(?6,''),"
    " 'published_inferred',json(CASE WHEN ?7 THEN 'true' ELSE 'false' END),"
    " 'language',coalesce(nullif(?8,''),'en'),'word_count',?9,'summary',nullif(?10,'')))",
    "INSERT INTO paragraphs(doc,seq,start,end) VALUES(?,?,?,?)",
    "INSERT INTO sentences(doc,seq,start,end) VALUES(?,?,?,?)",
    "INSERT OR IGNORE INTO mentions(entity,doc,start,end,text,sentence) VALUES(?,?,?,?,?,?)",
    "INSERT OR IGNORE INTO timexes(doc,start,end,text,type,value,mod,range_end,first_day,"
    "last_day) VALUES(?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO published_evidence(doc,document_id,phrase,source_text,date) VALUES(?,?,?,?,?)",
    "INSERT INTO document_authors(doc,seq,name) VALUES(?,?,?)",
    "INSERT INTO document_captions(doc,seq,text) VALUES(?,?,?)",
    "INSERT INTO document_sources(doc,original) VALUES(?,?)",
    "INSERT INTO set_aside(doc,seq,start,end,reason,repeats) VALUES(?,?,?,?,?,?)",
    "INSERT INTO raw_redirects(old,eid) VALUES(?,?)",
    "INSERT INTO event_entities(event,entity) VALUES(?,?)",
};

/* Derivations run after all rows are in and the entity tables written (entity_tables.c). */
static const char derive_sql[] =
    /* an old id goes to the entity most of its mentions now belong to */
    "INSERT INTO entity_redirects(id,entity)"
    " SELECT x.old, e.rowid FROM (SELECT old, eid, max(n) FROM (SELECT old, eid, count(*) n"
    "  FROM raw_redirects GROUP BY old, eid) GROUP BY old) x JOIN entities e ON e.id = x.eid"
    " WHERE x.old NOT IN (SELECT id FROM entities);";

/* After the related entities (lookup_build_related) are under way. */
static const char derive_more_sql[] =
    /* list order: the entity lists' rank, kept with the name prefixes (summaries.c) */
    "UPDATE entities SET rank = r.rank FROM (SELECT rowid AS entity,"
    " row_number() OVER (ORDER BY mention_count DESC, id) AS rank FROM entities) r"
    " WHERE r.entity = entities.rowid;"
    "DROP TABLE raw_redirects;"
    "INSERT INTO meta(key,value) VALUES('schema_version','" STORE_FORMAT "');";

/* After the summaries: sampled statistics take a fifteenth of the time of a full ANALYZE. */
static const char analyze_sql[] = "PRAGMA analysis_limit=1000; ANALYZE;";

struct builder {
    sqlite3 *db;
    sqlite3_stmt *ins[INS_COUNT];
    char **err;
    struct doc **consume; /* the documents to free once written (store_build_consume), or NULL */
    sqlite3_int64 events; /* events written: the next one's number (the table has no rowid) */
    struct lookup_build *lookup; /* the full-text index and name keys (lookup_build.c) */
    size_t freed_text; /* text bytes of the documents freed since memory was last given back */
    struct entity_tables *tables;  /* gathered while the mentions are written */
    struct entity_pairs *pairs;    /* likewise, for the events' entities and the related ones */
    struct event_rows *event_rows; /* the events staged, inserted late (write_events) */
    sqlite3_int64 event_doc, event_start; /* the last event staged: an id repeats only there */
};

/* Converts ascending byte offsets of one text to code-point offsets in a single forward walk. */
struct cp_cursor {
    const char *text;
    size_t byte, cp;
};

static sqlite3_int64 cp_at(struct cp_cursor *c, size_t byte)
{
    if (byte < c->byte)
        c->byte = c->cp = 0;
    c->cp += utf8_count(c->text + c->byte, byte - c->byte);
    c->byte = byte;
    return (sqlite3_int64)c->cp;
}

static int fail(struct builder *b, const char *what)
{
    if (!*b->err && asprintf(b->err, "%s: %s", what, sqlite3_errmsg(b->db)) < 0)
        *b->err = NULL;
    return -1;
}

static int step_done(struct builder *b, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(b, "store build");
}

static int insert_document(struct builder *b, const struct doc *d, sqlite3_int64 *rowid)
{
    sqlite3_stmt *st = b->ins[INS_DOC];
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->title ? d->title : "", -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 3, d->source);
    store_bind_text_or_null(st, 4, d->url);
    sqlite3_bind_text(st, 5, d->published, -1, SQLITE_STATIC);
    store_bind_text_or_null(st, 6, date_precision_name(d->published_precision));
    sqlite3_bind_int(st, 7, d->published_inferred);
    sqlite3_bind_text(st, 8, d->language, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)d->word_count);
    store_bind_text_or_null(st, 10, d->summary);
    sqlite3_bind_text(st, 11, d->text, (int)d->text_len, SQLITE_STATIC);
    store_bind_text_or_null(st, 12, d->place);
    if (d->dateline.end > d->dateline.start && d->dateline.end <= d->text_len) {
        struct cp_cursor cur = {d->text, 0, 0};
        sqlite3_bind_int64(st, 13, cp_at(&cur, d->dateline.start));
        sqlite3_bind_int64(st, 14, cp_at(&cur, d->dateline.end));
    } else {
        sqlite3_bind_null(st, 13);
        sqlite3_bind_null(st, 14);
    }
    store_bind_text_or_null(st, 15, d->dateline_date[0] ? d->dateline_date : NULL);
    store_bind_text_or_null(st, 16, d->encoding);
    if (step_done(b, st) < 0)
        return -1;
    *rowid = sqlite3_last_insert_rowid(b->db);
    return 0;
}

static int insert_spans(struct builder *b, sqlite3_int64 doc, const struct doc *d)
{
    struct cp_cursor cur = {d->text, 0, 0};
    for (size_t i = 0; i < d->n_paragraphs; i++) {
        sqlite3_stmt *st = b->ins[INS_PARA];
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, cp_at(&cur, d->paragraphs[i].start));
        sqlite3_bind_int64(st, 4, cp_at(&cur, d->paragraphs[i].end));
        if (step_done(b, st) < 0)
            return -1;
    }
    cur = (struct cp_cursor){d->text, 0, 0};
    for (size_t i = 0; i < d->n_sentences; i++) {
        const struct span *s = &d->sentences[i];
        sqlite3_stmt *st = b->ins[INS_SENT];
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, cp_at(&cur, s->start));
        sqlite3_bind_int64(st, 4, cp_at(&cur, s->end));
        if (step_done(b, st) < 0)
            return -1;
    }
    return 0;
}

/* Index of the sentence holding byte offset pos (sentences sorted); hint speeds sorted lookups. */
static size_t sentence_of(const struct doc *d, size_t pos, size_t *hint)
{
    size_t i = *hint < d->n_sentences ? *hint : 0;
    if (i > 0 && d->sentences[i].start > pos)
        i = 0;
    while (i + 1 < d->n_sentences && d->sentences[i + 1].start <= pos)
        i++;
    *hint = i;
    return i;
}

/* The mention's text with white-space runs made one space ("General\nMotors"): its alias. */
static void collapse_space(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len && n + 2 < size; i++) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
            space = true;
            continue;
        }
        if (space && n)
            out[n++] = ' ';
        space = false;
        out[n++] = s[i];
    }
    out[n] = '\0';
}

/* Ids a user may hold for this mention's entity: made from its alias and from the name its
 * document alone gave it, under the tagger's type and the entity's. */
static int insert_redirects(struct builder *b, const struct mention *m, const char *eid,
                            const char *alias)
{
    char ids[4][512];
    size_t n = 0;
    store_entity_id(m->type, alias, ids[n++], sizeof ids[0]);
    if (m->local_name) { /* set by corpus resolution when the name or the type changed */
        if (m->local_type != m->type)
            store_entity_id(m->local_type, alias, ids[n++], sizeof ids[0]);
        store_entity_id(m->local_type, m->local_name, ids[n++], sizeof ids[0]);
        if (m->local_type != m->type)
            store_entity_id(m->type, m->local_name, ids[n++], sizeof ids[0]);
    }
    for (size_t i = 0; i < n; i++) {
        bool seen = strcmp(ids[i], eid) == 0 || strchr(ids[i], ':')[1] == '\0';
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(ids[i], ids[k]) == 0;
        if (seen)
            continue;
        sqlite3_stmt *st = b->ins[INS_REDIRECT];
        sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, eid, -1, SQLITE_STATIC);
        if (step_done(b, st) < 0)
            return -1;
    }
    return 0;
}

static int insert_mentions(struct builder *b, sqlite3_int64 doc, const struct doc *d)
{
    struct cp_cursor cur = {d->text, 0, 0};
    size_t hint = 0;
    char eid[STORE_ENTITY_ID_MAX], alias[512];
    for (size_t i = 0; i < d->n_mentions; i++) {
        const struct mention *m = &d->mentions[i];
        if (!store_mention_written(d, m))
            continue;
        store_entity_id(m->type, m->name, eid, sizeof eid);
        uint32_t entity = entity_tables_rowid(b->tables, eid);
        size_t sentence = sentence_of(d, m->start, &hint);
        collapse_space(d->text + m->start, m->end - m->start, alias, sizeof alias);
        if (entity_tables_add(b->tables, entity, m, alias, doc) < 0 ||
            entity_pairs_add(b->pairs, entity, doc, sentence) < 0) {
            *b->err = store_errdup("store build: entities", "out of memory");
            return -1;
        }
        sqlite3_stmt *st = b->ins[INS_MENTION];
        sqlite3_bind_int64(st, 1, entity);
        sqlite3_bind_int64(st, 2, doc);
        sqlite3_bind_int64(st, 3, cp_at(&cur, m->start));
        sqlite3_bind_int64(st, 4, cp_at(&cur, m->end));
        sqlite3_bind_text(st, 5, d->text + m->start, (int)(m->end - m->start), SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)sentence);
        if (step_done(b, st) < 0 || insert_redirects(b, m, eid, alias) < 0)
            return -1;
    }
    entity_pairs_end_doc(b->pairs);
    return 0;
}

/* The entities named in the event's sentence (the document's pairs, sorted by sentence, then
 * entity) into event_entities; *first and *n their pairs. */
static int insert_event_entities(struct builder *b, sqlite3_int64 event, size_t sentence,
                                 const struct entity_sentence **first, size_t *n_first)
{
    const struct entity_sentence *pairs;
    size_t n = entity_pairs_of_doc(b->pairs, &pairs), lo = 0, hi = n;
    while (lo < hi) { /* the first pair of the sentence */
        size_t mid = lo + (hi - lo) / 2;
        if (pairs[mid].sentence < (sqlite3_int64)sentence)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = n ? pairs + lo : NULL; /* no pairs: pairs may be NULL */
    *n_first = 0;
    for (size_t i = lo; i < n && pairs[i].sentence == (sqlite3_int64)sentence; i++) {
        sqlite3_stmt *st = b->ins[INS_EVENT_ENTITY];
        sqlite3_bind_int64(st, 1, event);
        sqlite3_bind_int64(st, 2, pairs[i].entity);
        if (step_done(b, st) < 0)
            return -1;
        (*n_first)++;
    }
    return 0;
}

/* Stages the event of timex t (a date): its numbers, where its expression and sentence lie in
 * the text, its sentence's entities (event_rows.c); its row goes in late (write_events). */
static int insert_event(struct builder *b, sqlite3_int64 doc, const struct doc *d,
                        const struct timex_expr *t, sqlite3_int64 start, sqlite3_int64 end,
                        size_t sentence)
{
    /* the days of the date as the timeline places it (a quarter at its first month, as the
     * histogram counts it), and the last day the expression reaches (its range included) */
    struct event_row row = {
        .doc = doc, .sentence = (sqlite3_int64)sentence, .timex_start = start, .timex_end = end};
    char span_first[11], span_last[11];
    enum date_precision prec;
    if (t->type != TIMEX_DATE || !timex_value_date(t->value, row.date, &prec) ||
        !timex_value_interval(row.date, NULL, row.first_day, row.last_day))
        return 0;
    memcpy(row.range_last_day, row.last_day, sizeof row.last_day);
    if (timex_value_interval(t->value, t->range_end, span_first, span_last) &&
        strcmp(span_last, row.last_day) > 0)
        memcpy(row.range_last_day, span_last, sizeof span_last);
    /* its id is <document id>:<start>, and the documents' ids are unique: it repeats only as
     * the document's last event did, at the same place */
    if (b->events && b->event_doc == doc && b->event_start == start)
        return 0;
    row.precision = date_precision_name(prec);
    row.value = t->value;
    row.timex_bytes[0] = t->start;
    row.timex_bytes[1] = t->end;
    if ((row.has_sentence = sentence < d->n_sentences)) {
        row.sentence_bytes[0] = d->sentences[sentence].start;
        row.sentence_bytes[1] = d->sentences[sentence].end;
    }
    row.rowid = ++b->events;
    b->event_doc = doc;
    b->event_start = start;
    const struct entity_sentence *pairs;
    size_t n_pairs;
    if (insert_event_entities(b, row.rowid, sentence, &pairs, &n_pairs) < 0)
        return -1;
    if (event_rows_add(b->event_rows, &row, pairs, n_pairs) < 0) {
        *b->err = store_errdup("store build: events", "out of memory");
        return -1;
    }
    return 0;
}

static int insert_timexes(struct builder *b, sqlite3_int64 doc, const struct doc *d)
{
    struct cp_cursor cur = {d->text, 0, 0};
    size_t hint = 0;
    for (size_t i = 0; i < d->n_timexes; i++) {
        const struct timex_expr *t = &d->timexes[i];
        if (t->end <= t->start || t->end > d->text_len)
            continue;
        sqlite3_int64 start = cp_at(&cur, t->start), end = cp_at(&cur, t->end);
        sqlite3_stmt *st = b->ins[INS_TIMEX];
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, start);
        sqlite3_bind_int64(st, 3, end);
        sqlite3_bind_text(st, 4, d->text + t->start, (int)(t->end - t->start), SQLITE_STATIC);
        sqlite3_bind_text(st, 5, timex_type_name(t->type), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, t->value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, t->mod, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, t->range_end, -1, SQLITE_STATIC);
        char first[11] = "", last[11] = "";
        if (t->type == TIMEX_DATE || t->type == TIMEX_TIME)
            (void)timex_value_interval(t->value, t->range_end, first, last);
        sqlite3_bind_text(st, 9, first, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 10, last, -1, SQLITE_TRANSIENT);
        if (step_done(b, st) < 0 ||
            insert_event(b, doc, d, t, start, end, sentence_of(d, t->start, &hint)) < 0)
            return -1;
    }
    return 0;
}

static int insert_evidence(struct builder *b, sqlite3_int64 doc, const struct doc *d)
{
    const struct date_evidence *ev = d->published_evidence;
    if (!ev)
        return 0;
    sqlite3_stmt *st = b->ins[INS_EVIDENCE];
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_text(st, 2, ev->document_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ev->phrase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->source_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, ev->date, -1, SQLITE_STATIC);
    return step_done(b, st);
}

/* Authors, captions, and the original with its set-aside spans (code points of original). */
static int insert_provenance(struct builder *b, sqlite3_int64 doc, const struct doc *d)
{
    for (size_t i = 0; i < d->n_authors + d->n_captions; i++) {
        bool author = i < d->n_authors;
        sqlite3_stmt *st = b->ins[author ? INS_AUTHOR : INS_CAPTION];
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(author ? i : i - d->n_authors));
        sqlite3_bind_text(st, 3, author ? d->authors[i] : d->captions[i - d->n_authors], -1,
                          SQLITE_STATIC);
        if (step_done(b, st) < 0)
            return -1;
    }
    if (!d->original)
        return 0;
    sqlite3_stmt *st = b->ins[INS_SOURCE];
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_text(st, 2, d->original, (int)d->original_len, SQLITE_STATIC);
    if (step_done(b, st) < 0)
        return -1;
    struct cp_cursor cur = {d->original, 0, 0};
    for (size_t i = 0; i < d->n_set_aside; i++) {
        const struct set_aside *a = &d->set_aside[i];
        if (a->end <= a->start || a->end > d->original_len)
            continue;
        st = b->ins[INS_ASIDE];
        sqlite3_bind_int64(st, 1, doc);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, cp_at(&cur, a->start));
        sqlite3_bind_int64(st, 4, cp_at(&cur, a->end));
        sqlite3_bind_text(st, 5, set_aside_reason_name(a->reason), -1, SQLITE_STATIC);
        if (a->reason == ASIDE_TEMPLATE)
            sqlite3_bind_int64(st, 6, a->repeats);
        else
            sqlite3_bind_null(st, 6);
        if (step_done(b, st) < 0)
            return -1;
    }
    return 0;
}

/* The steps free their sorts' and ingest's memory, but glibc keeps it in the heap: handed back
 * between steps, the pages are free for the store's buffer and the peak stays lower. */
static int give_back_freed(void)
{
    malloc_trim(0);
    return 0;
}

/* Text bytes of freed documents after which their memory goes back to the system: a
 * document's memory grows with its text. Giving it back costs a walk of every arena and the
 * page faults of reusing the pages: every 1,024 Reuters documents (~1 MB of text) it took a
 * fifth of the rows' time; every ~8 MB the peak is the same (bench/RESULTS.md §7l). */
#define BUILD_TRIM_TEXT_BYTES ((size_t)8 << 20)

/* Frees a written document. Its memory goes back to the system every BUILD_TRIM_TEXT_BYTES of
 * text: the ingest threads' malloc arenas would otherwise keep it, and the store's pages,
 * which grow meanwhile, could not reuse it (peak RSS on Reuters in memory: 501 MB before, see
 * bench/RESULTS.md). */
static void release_doc(struct builder *b, size_t i)
{
    b->freed_text += b->consume[i]->text_len;
    doc_free(b->consume[i]);
    b->consume[i] = NULL;
    if (b->freed_text >= BUILD_TRIM_TEXT_BYTES) {
        give_back_freed();
        b->freed_text = 0;
    }
}

/* The entity tables and the entity-sentence pairs, gathered while the mentions are written. */
static int gather_entities(struct builder *b, struct doc *const *docs, size_t n_docs)
{
    if (!(b->tables = entity_tables_new(docs, n_docs)) || !(b->pairs = entity_pairs_new()) ||
        !(b->event_rows = event_rows_new())) {
        *b->err = store_errdup("store build: entities", "out of memory");
        return -1;
    }
    return 0;
}

/* The entity tables into the store; the pairs to the related entities (with two threads, the
 * side thread builds them while the store derives: entity_pairs.c). */
static int write_entities(struct builder *b)
{
    int rc = entity_tables_write(b->tables, b->db, b->err);
    entity_tables_free(b->tables);
    b->tables = NULL;
    if (rc == 0) {
        struct entity_sentence *pairs;
        size_t n;
        entity_pairs_take(b->pairs, &pairs, &n);
        lookup_build_pairs(b->lookup, pairs, n);
    }
    entity_pairs_free(b->pairs);
    b->pairs = NULL;
    return rc;
}

static int load_docs(struct builder *b, struct doc *const *docs, size_t n_docs)
{
    for (int i = 0; i < INS_COUNT; i++)
        if (sqlite3_prepare_v2(b->db, insert_sql[i], -1, &b->ins[i], NULL) != SQLITE_OK)
            return fail(b, "store build: prepare");
    if (gather_entities(b, docs, n_docs) < 0)
        return -1;
    for (size_t i = 0; i < n_docs; i++) {
        sqlite3_int64 rowid;
        const struct doc *d = docs[i];
        if (insert_document(b, d, &rowid) < 0 || insert_spans(b, rowid, d) < 0 ||
            insert_mentions(b, rowid, d) < 0 || insert_timexes(b, rowid, d) < 0 ||
            insert_evidence(b, rowid, d) < 0 || insert_provenance(b, rowid, d) < 0)
            return -1;
        if (lookup_build_add(b->lookup, rowid, d->title ? d->title : "", d->text, d->text_len) <
            0) {
            *b->err = store_errdup("store build: full-text index", "out of memory");
            return -1;
        }
        if (b->consume)
            release_doc(b, i);
    }
    lookup_build_close(b->lookup);
    if (write_entities(b) < 0)
        return -1;
    if (b->consume)
        give_back_freed();
    return 0;
}

/* The events' rows with their items (event_rows.c), their indexes, their counts per date. Late
 * in the build, where their items were rendered before (an UPDATE): the store then no longer
 * holds the side database's copies nor the documents, so its peak stays where it was (written
 * with the rows, the items raised it 273 -> 276-306 MB on Reuters, bench/RESULTS.md §7q). */
static int write_events(struct builder *b, const char *indexes)
{
    int rc = event_rows_write(b->event_rows, b->db, b->err);
    event_rows_free(b->event_rows);
    b->event_rows = NULL;
    if (rc == 0 && sqlite3_exec(b->db, indexes, NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(b, "store build: events");
    return rc == 0 ? store_build_event_counts(b->db, b->err) : -1;
}

static int exec(struct builder *b, const char *sql)
{
    return sqlite3_exec(b->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(b, "store build");
}

/* Creates the schema's tables and keeps its CREATE INDEX statements in *indexes (malloc'd) for
 * after the rows are loaded: one sort per index instead of an insert per row into each; those of
 * the events, whose rows come last (write_events), in *event_indexes. */
static int exec_schema(struct builder *b, char **indexes, char **event_indexes)
{
    const char *p = store_schema_sql;
    sqlite3_str *later = sqlite3_str_new(b->db), *events_later = sqlite3_str_new(b->db);
    int rc = SQLITE_OK;
    while (rc == SQLITE_OK && *p) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if ((rc = sqlite3_prepare_v2(b->db, p, -1, &st, &tail)) != SQLITE_OK)
            break;
        if (st) {
            const char *sql = sqlite3_sql(st);
            while (*sql == '-' || *sql == ' ' || *sql == '\n') /* leading comments */
                sql = *sql == '-' ? sql + strcspn(sql, "\n") : sql + 1;
            bool index = strncmp(sql, "CREATE INDEX", 12) == 0;
            /* the events' unique index too: their rows come in at once, numbered in order */
            bool of_events = (index || strncmp(sql, "CREATE UNIQUE INDEX", 19) == 0) &&
                             strstr(sql, " ON events(");
            if (index || of_events)
                sqlite3_str_appendf(of_events ? events_later : later, "%s;", sql);
            else if ((rc = sqlite3_step(st)) == SQLITE_DONE)
                rc = SQLITE_OK;
            sqlite3_finalize(st);
        }
        p = tail;
    }
    *indexes = sqlite3_str_finish(later);
    *event_indexes = sqlite3_str_finish(events_later);
    return rc == SQLITE_OK && *indexes && *event_indexes ? 0 : fail(b, "store build: schema");
}

/* The full-text index, its top-k hits, the name keys and the related entities, complete
 * (lookup_build_finish frees b->lookup, whatever the outcome); outside a transaction. */
static int finish_lookup(struct builder *b)
{
    struct lookup_build *lookup = b->lookup;
    b->lookup = NULL;
    return lookup_build_finish(lookup, b->db, b->err);
}

static int record_fingerprint(struct builder *b, const char *fingerprint)
{
    sqlite3_stmt *st;
    if (!fingerprint)
        return 0;
    if (sqlite3_prepare_v2(b->db, "INSERT INTO meta(key,value) VALUES('fingerprint',?)", -1, &st,
                           NULL) != SQLITE_OK)
        return fail(b, "store build");
    sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
    int rc = step_done(b, st);
    sqlite3_finalize(st);
    return rc;
}

/* The most an in-memory store may grow to: memdb's own default limit is 1 GiB. */
#define BUILD_MEMORY_LIMIT ((sqlite3_int64)1 << 40)

void store_build_buffer_release(struct build_buffer *buf)
{
    if (buf->map)
        munmap(buf->map, buf->size);
    buf->map = NULL;
    buf->size = 0;
}

/* Gives the empty memdb database of db a reserved range of BUILD_MEMORY_LIMIT bytes to write
 * into (struct build_buffer); without one it keeps growing its own buffer. */
static void reserve_buffer(sqlite3 *db, struct build_buffer *buf)
{
    void *map = mmap(NULL, (size_t)BUILD_MEMORY_LIMIT, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED)
        return;
    /* 2 MB pages where the kernel allows them (THP "madvise"): a page fault per 4 KB of a
     * ~200 MB store was a tenth of the build's time on this VM; advice only, failure is fine */
    madvise(map, (size_t)BUILD_MEMORY_LIMIT, MADV_HUGEPAGE);
    /* neither resizeable nor freed by SQLite: the range is ours to unmap */
    if (sqlite3_deserialize(db, "main", map, 0, BUILD_MEMORY_LIMIT, 0) != SQLITE_OK) {
        munmap(map, (size_t)BUILD_MEMORY_LIMIT);
        return;
    }
    buf->map = map;
    buf->size = (size_t)BUILD_MEMORY_LIMIT;
}

int store_build_db(struct doc *const *docs, size_t n_docs, struct doc **consume,
                   const char *db_path, const char *fingerprint, unsigned threads, sqlite3 **db,
                   struct build_buffer *buf, char **err)
{
    struct builder b = {.err = err, .consume = consume};
    char *indexes = NULL, *event_indexes = NULL;
    *err = NULL;
    *buf = (struct build_buffer){NULL, 0};
    if (db_path)
        unlink(db_path); /* a stale temporary file of an earlier crash */
    /* In memory: SQLite's memdb VFS keeps the database in one buffer, which the store then
     * shares with its readers as it is (store.c), instead of a page cache plus a copy. */
    /* URIs on: the full-text side database is attached by its URI (lookup_build.c); a file path
     * that would read as one is made relative to the current directory instead. */
    char path[4200];
    snprintf(path, sizeof path, "%s%s", db_path && strncmp(db_path, "file:", 5) == 0 ? "./" : "",
             db_path ? db_path : "file:corpusd-store?vfs=memdb");
    int rc = sqlite3_open_v2(
        path, &b.db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
    if (rc == SQLITE_OK && !db_path) {
        sqlite3_int64 limit = BUILD_MEMORY_LIMIT;
        sqlite3_file_control(b.db, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
        reserve_buffer(b.db, buf);
        /* Pages are read in place from the buffer; a page cache would only duplicate it. */
        sqlite3_exec(b.db, "PRAGMA mmap_size=1099511627776;", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = store_register_fts_functions(b.db);
    if (rc != SQLITE_OK) {
        fail(&b, "cannot create the store");
    } else if (exec(&b,
                    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;") ==
                   0 &&
               exec(&b, db_path ? "PRAGMA cache_size=-65536;" : "PRAGMA main.cache_size=-8192;") ==
                   0 &&
               exec_schema(&b, &indexes, &event_indexes) == 0 &&
               /* The build's working tables go to a database of their own, detached once the
                * derived tables are in: TEMP tables of a memdb connection would live in a
                * memory buffer as long as the connection, i.e. as long as the store (Reuters:
                * 29 MB resident of 50 MB). */
               exec(&b, "ATTACH '' AS scratch; PRAGMA scratch.journal_mode=OFF;") == 0 &&
               exec(&b, "CREATE TABLE scratch.raw_redirects(old TEXT, eid TEXT); BEGIN;") == 0 &&
               store_build_duplicates(b.db, docs, n_docs, err) == 0 &&
               (b.lookup = lookup_build_start(b.db, threads > 1, err)) != NULL &&
               load_docs(&b, docs, n_docs) == 0 && store_link_duplicates(b.db, err) == 0 &&
               exec(&b, indexes) == 0 && exec(&b, derive_sql) == 0 &&
               lookup_build_related(b.lookup, b.db, err) == 0 && exec(&b, derive_more_sql) == 0 &&
               exec(&b, "COMMIT; DETACH scratch;") == 0 &&
               lookup_build_entities(b.lookup, b.db, err) == 0 && exec(&b, "BEGIN;") == 0 &&
               give_back_freed() == 0 && store_build_lists(b.db, err) == 0 &&
               store_build_facets(b.db, err) == 0 &&
               /* the entities' fragments while the side thread ends its share (one thread:
                * after the name keys, which read the entities faster without them) */
               (threads < 2 || store_build_entity_fragments(b.db, err) == 0) &&
               exec(&b, "COMMIT;") == 0 &&
               /* the documents' fragments after the side's tables are in and gone: the largest
                * of the build's own tables is not in memory beside the side database */
               finish_lookup(&b) == 0 && exec(&b, "BEGIN;") == 0 && give_back_freed() == 0 &&
               write_events(&b, event_indexes) == 0 && give_back_freed() == 0 &&
               (threads >= 2 || store_build_entity_fragments(b.db, err) == 0) &&
               store_build_fragments(b.db, err) == 0 && give_back_freed() == 0 &&
               exec(&b, analyze_sql) == 0 && record_fingerprint(&b, fingerprint) == 0) {
        exec(&b, "COMMIT;");
    }
    entity_tables_free(b.tables); /* a failure before they were written */
    entity_pairs_free(b.pairs);
    event_rows_free(b.event_rows);
    lookup_build_abort(b.lookup); /* a failure before the index was copied */
    for (int i = 0; i < INS_COUNT; i++)
        sqlite3_finalize(b.ins[i]);
    sqlite3_free(indexes);
    sqlite3_free(event_indexes);
    if (*err) {
        sqlite3_close(b.db);
        store_build_buffer_release(buf);
        *db = NULL;
        return -1;
    }
    *db = b.db;
    return 0;
}
