/*
 * bm25.c — the ranking function of documents_fts: BM25 as Lucene scores it. FTS5's built-in
 * bm25() takes the IDF of a term as log((N - n + 0.5) / (n + 0.5)), which is negative once a
 * term is in more than half of the documents; it then clamps it to 1e-6, so on a small or
 * focused corpus (five articles about chips, "semiconductor" in four) every score is ~0.000002
 * and the ranking is decided by noise. Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), is
 * positive for every n and keeps the order of the rarer terms. The rest is FTS5's bm25 (k1 1.2,
 * b 0.75, a weight per column, the document length in tokens of every column), and the result
 * keeps its sign convention: negative, lower is better, so `ORDER BY rank` is best first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

#define BM25_K1 1.2
#define BM25_B 0.75

/* Per query (FTS5 auxiliary data): the phrases' IDF and the average document length. */
struct bm25_query {
    int n_phrases;
    double avgdl;
    double idf[]; /* n_phrases */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    (void)api, (void)fts;
    ++*(sqlite3_int64 *)ctx;
    return SQLITE_OK;
}

/* Computes what every row of the query shares: once per statement, then cached. */
static struct bm25_query *query_data(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc)
{
    struct bm25_query *q = api->xGetAuxdata(fts, 0);
    if (q)
        return q;
    int n = api->xPhraseCount(fts);
    sqlite3_int64 rows = 0, tokens = 0;
    if ((*rc = api->xRowCount(fts, &rows)) != SQLITE_OK ||
        (*rc = api->xColumnTotalSize(fts, -1, &tokens)) != SQLITE_OK)
        return NULL;
    if (!(q = sqlite3_malloc64(sizeof *q + (size_t)n * sizeof q->idf[0]))) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    q->n_phrases = n;
    q->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
    for (int i = 0; i < n; i++) {
        sqlite3_int64 hits = 0; /* the documents that hold the phrase */
        if ((*rc = api->xQueryPhrase(fts, i, &hits, count_row)) != SQLITE_OK) {
            sqlite3_free(q);
            return NULL;
        }
        q->idf[i] = log(1.0 + ((double)rows - (double)hits + 0.5) / ((double)hits + 0.5));
    }
    if ((*rc = api->xSetAuxdata(fts, q, sqlite3_free)) != SQLITE_OK)
        return NULL; /* xSetAuxdata freed it */
    return q;
}

/* The phrases' frequencies in the current row, each hit weighted by its column's weight. */
static int phrase_frequencies(const Fts5ExtensionApi *api, Fts5Context *fts, int n_values,
                              sqlite3_value **values, double *freq, int n_phrases)
{
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, column, offset;
        if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) != SQLITE_OK)
            break;
        double weight = column < n_values ? sqlite3_value_double(values[column]) : 1.0;
        if (phrase >= 0 && phrase < n_phrases)
            freq[phrase] += weight;
    }
    return rc;
}

/* corpusd_bm25(documents_fts, weight of column 0, weight of column 1, …) */
static void bm25_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int n_values, sqlite3_value **values)
{
    int rc = SQLITE_OK;
    struct bm25_query *q = query_data(api, fts, &rc);
    double *freq =
        q ? sqlite3_malloc64((size_t)(q->n_phrases ? q->n_phrases : 1) * sizeof *freq) : NULL;
    if (q && !freq)
        rc = SQLITE_NOMEM;
    int length = 0; /* tokens of the row, every column */
    if (freq) {
        memset(freq, 0, (size_t)(q->n_phrases ? q->n_phrases : 1) * sizeof *freq);
        rc = phrase_frequencies(api, fts, n_values, values, freq, q->n_phrases);
        if (rc == SQLITE_OK)
            rc = api->xColumnSize(fts, -1, &length);
    }
    if (rc != SQLITE_OK) {
        sqlite3_free(freq);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0.0, norm = BM25_K1 * (1.0 - BM25_B + BM25_B * (double)length / q->avgdl);
    for (int i = 0; i < q->n_phrases; i++)
        score += q->idf[i] * freq[i] * (BM25_K1 + 1.0) / (freq[i] + norm);
    sqlite3_free(freq);
    sqlite3_result_double(ctx, -score);
}

int store_register_fts_functions(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
        sqlite3_step(st);
        rc = sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK || !api)
        return rc != SQLITE_OK ? rc : SQLITE_ERROR;
    rc = api->xCreateFunction(api, STORE_BM25_FUNCTION, NULL, bm25_function, NULL);
    return rc == SQLITE_OK ? store_register_snippet(api) : rc;
}
