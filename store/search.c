/*
 * search.c — full-text search over documents_fts: a safe translation of the user's query into
 * FTS5 syntax (every term quoted, so no client text is ever parsed as FTS5 operators or column
 * filters by accident), and bm25-ranked results with highlighted snippets.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "documents.h"
#include "base/grow.h"

enum token_kind { TOK_TERM, TOK_PREFIX, TOK_PHRASE, TOK_OP, TOK_OPEN, TOK_CLOSE };

struct token {
    enum token_kind kind;
    const char *s;
    size_t len;
};

#define MAX_TOKENS 64
#define MAX_WORDS 64 /* words FTS5 must match, a phrase's each counted: they set the cost */

static bool is_term_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '_';
}

static bool has_term_char(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_term_char((unsigned char)s[i]))
            return true;
    return false;
}

/* The words of s[0..len), as FTS5's unicode61 tokenizer would split them (runs of term
 * characters), for the query's word limit: "U.S." is two terms here, one word in ingest. */
static int count_fts_terms(const char *s, size_t len)
{
    int n = 0;
    for (size_t i = 0; i < len; i++)
        if (is_term_char((unsigned char)s[i]) && (i == 0 || !is_term_char((unsigned char)s[i - 1])))
            n++;
    return n;
}

static bool is_operator(const char *s, size_t len)
{
    return (len == 3 && (memcmp(s, "AND", 3) == 0 || memcmp(s, "NOT", 3) == 0)) ||
           (len == 2 && memcmp(s, "OR", 2) == 0);
}

/* Splits q into tokens. Returns the count, or -1 with *err set. */
static int tokenize(const char *q, struct token *toks, const char **err)
{
    int n = 0, depth = 0, words = 0;
    const char *p = q;
    while (*p) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        if (n == MAX_TOKENS) {
            *err = "the query has too many terms (at most 64)";
            return -1;
        }
        struct token *t = &toks[n];
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end) {
                *err = "the query has an unbalanced double quote";
                return -1;
            }
            *t = (struct token){TOK_PHRASE, p + 1, (size_t)(end - p - 1)};
            p = end + 1;
        } else if (*p == '(' || *p == ')') {
            depth += *p == '(' ? 1 : -1;
            if (depth < 0) {
                *err = "the query has an unbalanced parenthesis";
                return -1;
            }
            *t = (struct token){*p == '(' ? TOK_OPEN : TOK_CLOSE, p, 1};
            p++;
        } else {
            const char *s = p;
            while (*p && !isspace((unsigned char)*p) && *p != '"' && *p != '(' && *p != ')')
                p++;
            size_t len = (size_t)(p - s);
            bool prefix = len > 1 && s[len - 1] == '*';
            *t = (struct token){is_operator(s, len) ? TOK_OP
                                : prefix            ? TOK_PREFIX
                                                    : TOK_TERM,
                                s, prefix ? len - 1 : len};
        }
        if (t->kind == TOK_OPEN || t->kind == TOK_CLOSE || t->kind == TOK_OP ||
            has_term_char(t->s, t->len))
            n++;
        if (t->kind == TOK_PHRASE || t->kind == TOK_TERM || t->kind == TOK_PREFIX)
            words += count_fts_terms(t->s, t->len);
        if (words > MAX_WORDS) {
            *err = "the query has too many words (at most 64, each word of a \"phrase\" counted)";
            return -1;
        }
    }
    if (depth != 0) {
        *err = "the query has an unbalanced parenthesis";
        return -1;
    }
    return n;
}

static bool is_operand_end(const struct token *t)
{
    return t->kind == TOK_TERM || t->kind == TOK_PREFIX || t->kind == TOK_PHRASE ||
           t->kind == TOK_CLOSE;
}

static bool is_operand_start(const struct token *t)
{
    return t->kind == TOK_TERM || t->kind == TOK_PREFIX || t->kind == TOK_PHRASE ||
           t->kind == TOK_OPEN;
}

/* Appends "text" with every double quote doubled (FTS5 string syntax). */
static char *append_quoted(char *o, const char *s, size_t len)
{
    *o++ = '"';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            *o++ = '"';
        *o++ = s[i];
    }
    *o++ = '"';
    return o;
}

char *store_search_compile(const char *q, const char **err)
{
    struct token toks[MAX_TOKENS];
    *err = NULL;
    int n = tokenize(q, toks, err);
    if (n < 0)
        return NULL;
    int kept = 0; /* empty groups "( )" are dropped: FTS5 rejects them */
    for (int i = 0; i < n; i++) {
        if (toks[i].kind == TOK_CLOSE && kept > 0 && toks[kept - 1].kind == TOK_OPEN)
            kept--;
        else
            toks[kept++] = toks[i];
    }
    n = kept;
    char *out = malloc(strlen(q) * 2 + 8 * MAX_TOKENS + 1), *o = out;
    if (!out) {
        *err = "out of memory";
        return NULL;
    }
    int terms = 0;
    enum token_kind last = TOK_OP; /* the kind written last; TOK_OP: an operator or nothing */
    for (int i = 0; i < n; i++) {
        const struct token *t = &toks[i];
        if (o != out)
            *o++ = ' ';
        /* An operator between two operands stays one; anywhere else it is a word. */
        bool binary = t->kind == TOK_OP && i > 0 && i + 1 < n && is_operand_end(&toks[i - 1]) &&
                      is_operand_start(&toks[i + 1]);
        /* FTS5 has no implicit AND next to a parenthesis ("a (b)", "(a) b"): write it. */
        bool after_operand =
            last == TOK_TERM || last == TOK_PREFIX || last == TOK_PHRASE || last == TOK_CLOSE;
        if (!binary && t->kind != TOK_CLOSE && after_operand &&
            (last == TOK_CLOSE || t->kind == TOK_OPEN))
            o = (memcpy(o, "AND ", 4), o + 4);
        last = binary ? TOK_OP : t->kind == TOK_OP ? TOK_TERM : t->kind;
        if (t->kind == TOK_OP) {
            o = binary ? (memcpy(o, t->s, t->len), o + t->len) : append_quoted(o, t->s, t->len);
            terms += !binary;
        } else if (t->kind == TOK_OPEN || t->kind == TOK_CLOSE) {
            *o++ = *t->s;
        } else {
            o = append_quoted(o, t->s, t->len);
            if (t->kind == TOK_PREFIX)
                *o++ = '*';
            terms++;
        }
    }
    *o = '\0';
    if (terms == 0) {
        free(out);
        *err = "the query has no searchable words";
        return NULL;
    }
    return out;
}

/* The folded term when fts is one plain word as store_search_compile quotes it ("Said" ->
 * said): the key of search_terms. Only ASCII letters and digits, which the unicode61 tokenizer
 * keeps as one token and folds to lower case. */
static bool single_term(const char *fts, char *term, size_t size)
{
    size_t n = strlen(fts);
    if (n < 3 || n - 2 >= size || fts[0] != '"' || fts[n - 1] != '"')
        return false;
    for (size_t i = 1; i + 1 < n; i++) {
        if (!isalnum((unsigned char)fts[i]))
            return false;
        term[i - 1] = (char)tolower((unsigned char)fts[i]);
    }
    term[n - 2] = '\0';
    return true;
}

enum store_status store_emit_ranked(sqlite3_stmt *st, store_doc_fn fn, void *ctx)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        d.snippet = (const char *)sqlite3_column_text(st, DOC_COLUMNS_COUNT);
        d.score = sqlite3_column_double(st, DOC_COLUMNS_COUNT + 1);
        if (fn(ctx, &d))
            break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
           : rc == SQLITE_ERROR                  ? STORE_BAD_QUERY
                                                 : STORE_ERROR;
}

/* A frequent term's page from the hits ranked at build time (summaries.c): *done false when the
 * term was not kept or the page reaches past its kept hits; *total is set whenever it is known. */
static enum store_status search_top(struct store_conn *c, const char *term, int limit,
                                    long long offset, store_doc_fn fn, void *ctx, long long *total,
                                    bool *done)
{
    *done = false;
    sqlite3_stmt *st = store_stmt(c, STMT_SEARCH_TERM,
                                  "SELECT documents, ranked FROM search_terms WHERE term = ?");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return STORE_OK;
    }
    *total = sqlite3_column_int64(st, 0);
    long long ranked = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (offset + limit > ranked && ranked < *total)
        return STORE_OK;
    *done = true;
    st = store_stmt(c, STMT_SEARCH_TOP,
                    "SELECT " DOC_COLUMNS ", t.snippet, t.score FROM search_top t"
                    " JOIN documents d ON d.rowid = t.doc WHERE t.term = ?1 AND t.rank >= ?3"
                    " ORDER BY t.rank LIMIT ?2");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, term, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    return store_emit_ranked(st, fn, ctx);
}

static enum store_status count_matches(struct store_conn *c, const char *fts, long long *total)
{
    sqlite3_stmt *st = store_stmt(c, STMT_SEARCH_COUNT,
                                  "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
    *total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return STORE_OK;
}

enum store_status store_search_ranking(struct store_conn *c, const char *fts, long long offset,
                                       long long **rowids, double **scores, size_t *n)
{
    *rowids = NULL;
    *scores = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(c, STMT_SEARCH_RANKING,
                                  "SELECT rowid, rank FROM documents_fts WHERE documents_fts"
                                  " MATCH ?1 ORDER BY rank LIMIT -1 OFFSET ?2");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, offset);
    return store_collect_ranking(st, rowids, scores, n);
}

enum store_status store_collect_ranking(sqlite3_stmt *st, long long **rowids, double **scores,
                                        size_t *n)
{
    *rowids = NULL;
    *scores = NULL;
    *n = 0;
    size_t cap_rowids = 0, cap_scores = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (BASE_GROW(*rowids, cap_rowids, *n, 256) < 0 ||
            BASE_GROW(*scores, cap_scores, *n, 256) < 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        (*rowids)[*n] = sqlite3_column_int64(st, 0);
        (*scores)[(*n)++] = sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return STORE_OK;
    free(*rowids);
    free(*scores);
    *rowids = NULL;
    *scores = NULL;
    *n = 0;
    return rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
}

enum store_status store_search_rows(struct store_conn *c, const char *fts, const long long *rowids,
                                    const double *scores, size_t n, store_doc_fn fn, void *ctx)
{
    /* The snippet needs the match: the same query, pinned to one document (a rowid lookup). */
    sqlite3_stmt *st = store_stmt(c, STMT_SEARCH_ROW,
                                  "SELECT " DOC_COLUMNS ", " STORE_SNIPPET_SQL
                                  " FROM documents_fts f JOIN documents d ON d.rowid = f.rowid"
                                  " WHERE documents_fts MATCH ?1 AND f.rowid = ?2");
    if (!st)
        return STORE_ERROR;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, rowids[i]);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            continue;
        if (rc != SQLITE_ROW) {
            sqlite3_reset(st);
            return STORE_ERROR;
        }
        struct store_doc d;
        store_read_doc_row(st, &d);
        d.snippet = (const char *)sqlite3_column_text(st, DOC_COLUMNS_COUNT);
        d.score = scores[i];
        if (fn(ctx, &d))
            break;
    }
    sqlite3_reset(st);
    return STORE_OK;
}

enum store_status store_search(struct store_conn *c, const char *fts, int limit, long long offset,
                               store_doc_fn fn, void *ctx, long long *total)
{
    char term[64];
    bool done = false;
    *total = -1;
    enum store_status s = STORE_OK;
    if (single_term(fts, term, sizeof term))
        s = search_top(c, term, limit, offset, fn, ctx, total, &done);
    if (s != STORE_OK || done)
        return s;
    if (*total < 0 && (s = count_matches(c, fts, total)) != STORE_OK)
        return s;
    sqlite3_stmt *st = store_stmt(
        c, STMT_SEARCH,
        "SELECT " DOC_COLUMNS ", f.snip, f.rank FROM"
        " (SELECT rowid, rank, " STORE_SNIPPET_SQL " AS snip"
        "  FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3) f"
        " JOIN documents d ON d.rowid = f.rowid ORDER BY f.rank");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    return store_emit_ranked(st, fn, ctx);
}
