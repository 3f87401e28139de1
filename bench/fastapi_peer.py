"""fastapi_peer.py — what a user would write instead of corpusd: the benchmarked endpoints in
FastAPI + uvicorn + sqlite3 (Debian packages), over the SQLite file corpusd writes with
--build-db, with the same JSON shapes, ETag / If-None-Match and the same SQL.

    CORPUS_DB=/path/store.db python3 -m uvicorn fastapi_peer:app --app-dir bench \
        --host 127.0.0.1 --port PORT --workers 2 --no-access-log
"""
import base64
import hashlib
import html
import json
import os
import sqlite3
import threading

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

DB = os.environ.get("CORPUS_DB", "corpusd.db")
app = FastAPI()
_local = threading.local()


def db():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{DB}?immutable=1", uri=True, check_same_thread=False)
        _local.conn = conn
    return conn


def reply(request: Request, body, status=200):
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"%s"' % hashlib.blake2b(data, digest_size=8).hexdigest()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60", "Vary": "Accept-Encoding"}
    inm = request.headers.get("if-none-match")
    if status == 200 and inm and etag in inm:
        return Response(status_code=304, headers=headers)
    return Response(data, status_code=status, media_type="application/json", headers=headers)


def problem(status, detail):
    return JSONResponse({"type": "about:blank", "title": "Error", "status": status,
                         "detail": detail}, status_code=status,
                        media_type="application/problem+json")


def b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def cursor(kind, key, id_):
    return b64(f"{kind}\x1f{key}\x1f{id_}")


def unb64(s):
    raw = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)).decode()
    kind, key, id_ = raw.split("\x1f")
    return kind, key, id_


def envelope(request: Request, data, total, limit, next_cursor):
    link = None
    if next_cursor:
        q = "&".join(f"{k}={v}" for k, v in request.query_params.items() if k != "cursor")
        link = f"{request.url.path}?{q}{'&' if q else ''}cursor={next_cursor}"
    return {"data": data, "meta": {"total": total, "limit": limit, "next_cursor": next_cursor,
                                   "next": link}}


def nn(s):
    return s if s else None


DOC_COLUMNS = ("d.id, d.title, d.source, d.url, d.published, d.precision, d.language, d.summary,"
               " d.published_inferred, d.word_count")


def doc_json(r):
    return {"id": r[0], "title": nn(r[1]), "source": nn(r[2]), "url": nn(r[3]),
            "published": nn(r[4]), "precision": nn(r[5]), "published_inferred": bool(r[8]),
            "language": r[6] or "en", "word_count": r[9], "summary": nn(r[7])}


def get_limit(request: Request):
    v = request.query_params.get("limit", "20")
    n = int(v) if v.isdigit() else 0
    return n if 1 <= n <= 100 else None


@app.get("/v1/documents/{doc_id}")
def document(doc_id: str, request: Request):
    c = db()
    r = c.execute(f"SELECT {DOC_COLUMNS}, d.text FROM documents d WHERE d.id = ?",
                  (doc_id,)).fetchone()
    if r is None:
        return problem(404, f"no document with id '{doc_id}'")
    d = doc_json(r)
    d["text"] = r[10]
    d["paragraphs"] = [{"start": s, "end": e} for s, e in c.execute(
        "SELECT p.start, p.end FROM paragraphs p JOIN documents d ON d.rowid = p.doc"
        " WHERE d.id = ? ORDER BY p.seq", (doc_id,))]
    return reply(request, d)


@app.get("/v1/entities")
def entities(request: Request):
    limit = get_limit(request)
    if limit is None:
        return problem(400, "parameter 'limit' must be an integer from 1 to 100")
    etype = request.query_params.get("type")
    where, args = " WHERE 1", {}
    if etype:
        where += " AND e.type = :type"
        args["type"] = etype
    c = db()
    total = c.execute(f"SELECT count(*) FROM entities e{where}", args).fetchone()[0]
    cur = request.query_params.get("cursor")
    if cur:
        _, key, id_ = unb64(cur)
        where += (" AND (e.mention_count < :ac OR (e.mention_count = :ac AND e.id > :aid))")
        args.update(ac=int(key), aid=id_)
    rows = c.execute(
        "SELECT e.id, e.name, e.type, e.mention_count, e.document_count,"
        " (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases"
        "   WHERE entity = e.rowid ORDER BY count DESC, alias)),"
        " (SELECT json_group_array(role) FROM (SELECT role FROM entity_roles"
        "   WHERE entity = e.rowid ORDER BY count DESC, role))"
        f" FROM entities e{where} ORDER BY e.mention_count DESC, e.id LIMIT :limit",
        dict(args, limit=limit + 1)).fetchall()
    data = [{"id": r[0], "name": r[1], "type": r[2], "aliases": json.loads(r[5]),
             "roles": json.loads(r[6]), "mention_count": r[3], "document_count": r[4]}
            for r in rows[:limit]]
    nxt = cursor("m", data[-1]["mention_count"], data[-1]["id"]) if len(rows) > limit else None
    return reply(request, envelope(request, data, total, limit, nxt))


@app.get("/v1/timeline")
def timeline(request: Request):
    limit = get_limit(request)
    if limit is None:
        return problem(400, "parameter 'limit' must be an integer from 1 to 100")
    c = db()
    total = c.execute("SELECT count(*) FROM events ev").fetchone()[0]
    where, args = " WHERE 1", {"limit": limit + 1}
    cur = request.query_params.get("cursor")
    if cur:
        _, key, id_ = unb64(cur)
        where += " AND (ev.date, ev.rowid) > (:ad, :ar)"
        args.update(ad=key, ar=int(id_))
    rows = c.execute(
        "SELECT ev.id, ev.date, ev.precision, d.id, s.text, ev.timex_text, ev.timex_value,"
        " ev.timex_start, ev.timex_end, ev.rowid,"
        " (SELECT json_group_array(json_object('id', en.id, 'name', en.name, 'type', en.type))"
        "  FROM event_entities ee JOIN entities en ON en.rowid = ee.entity"
        "  WHERE ee.event = ev.rowid)"
        " FROM events ev JOIN documents d ON d.rowid = ev.doc"
        f" JOIN sentences s ON s.doc = ev.doc AND s.seq = ev.sentence{where}"
        " ORDER BY ev.date, ev.rowid LIMIT :limit", args).fetchall()
    data = [{"id": r[0], "date": r[1], "precision": r[2],
             "timex": {"text": r[5], "value": r[6], "start": r[7], "end": r[8]},
             "sentence": r[4], "document_id": r[3], "entities": json.loads(r[10])}
            for r in rows[:limit]]
    nxt = cursor("T", rows[limit - 1][1], rows[limit - 1][9]) if len(rows) > limit else None
    return reply(request, envelope(request, data, total, limit, nxt))


def fts_query(q):
    return " ".join('"%s"' % t.replace('"', '""') for t in q.split())


def snippet_html(s):
    return html.escape(s or "").replace("\x01", "<mark>").replace("\x02", "</mark>")


@app.get("/v1/search")
def search(request: Request):
    q = request.query_params.get("q")
    if not q:
        return problem(400, "parameter 'q' is required")
    limit = get_limit(request)
    if limit is None:
        return problem(400, "parameter 'limit' must be an integer from 1 to 100")
    offset = 0
    cur = request.query_params.get("cursor")
    if cur:
        offset = int(unb64(cur)[1])
    fts = fts_query(q)
    c = db()
    total = c.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?",
                      (fts,)).fetchone()[0]
    rows = c.execute(
        f"SELECT {DOC_COLUMNS}, f.snip, f.rank FROM"
        " (SELECT rowid, rank, snippet(documents_fts, -1, char(1), char(2), '…', 24) AS snip"
        "  FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3) f"
        " JOIN documents d ON d.rowid = f.rowid ORDER BY f.rank", (fts, limit, offset)).fetchall()
    data = []
    for r in rows:
        d = doc_json(r)
        d["snippet"] = snippet_html(r[10])
        d["score"] = -r[11]
        data.append(d)
    nxt = cursor("s", offset + limit, "") if offset + limit < total else None
    return reply(request, envelope(request, data, total, limit, nxt))
