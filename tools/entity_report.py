#!/usr/bin/env python3
"""entity_report.py — the figures of docs/entity-resolution-report.md from a built store.

usage: tools/entity_report.py STORE.db [--top N] [--sample N] [--seed S]

Prints (Markdown) the N entities with most mentions per type with their aliases (count, why),
the number of names listed under more than one type, and a seeded random sample of entities
with a context, for checking by hand: the N ids with the smallest SHA-1 of "SEED:id", so a
rebuild that changes a few entities changes only those rows of the sample.
Build the store with: build/corpusd --corpus DIR_WITH_REUTERS_JSONL --build-db STORE.db
"""
import argparse
import hashlib
import sqlite3


def aliases(db, rowid, limit=6):
    rows = db.execute("SELECT alias, count, why FROM entity_aliases WHERE entity = ?"
                      " ORDER BY count DESC, alias LIMIT ?", (rowid, limit)).fetchall()
    return "; ".join(f"{a} ×{c}" + (f" ({w})" if w else "") for a, c, w in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    db = sqlite3.connect(a.db)
    multi = db.execute("SELECT count(*) FROM (SELECT name FROM entities GROUP BY name"
                       " HAVING count(DISTINCT type) > 1)").fetchone()[0]
    total = db.execute("SELECT count(*) FROM entities").fetchone()[0]
    print(f"entities: {total}; names under more than one type: {multi}\n")
    for t in ("PERSON", "ORG", "LOC", "MISC"):
        print(f"### {t}: the {a.top} entities with most mentions\n")
        print("| # | name | mentions | docs | aliases (count, why) |\n|---|---|---|---|---|")
        rows = db.execute("SELECT rowid, name, mention_count, document_count FROM entities"
                          " WHERE type = ? ORDER BY mention_count DESC, id LIMIT ?",
                          (t, a.top)).fetchall()
        for i, (rowid, name, m, d) in enumerate(rows, 1):
            print(f"| {i} | {name} | {m} | {d} | {aliases(db, rowid).replace('|', '/')} |")
        print()
    ids = [r[0] for r in db.execute("SELECT id FROM entities ORDER BY id")]
    ids.sort(key=lambda i: hashlib.sha1(f"{a.seed}:{i}".encode()).hexdigest())
    print(f"### Random sample (seed {a.seed}, {a.sample} of {len(ids)} entities)\n")
    for i, eid in enumerate(ids[:a.sample], 1):
        rowid, name, typ, m = db.execute("SELECT rowid, name, type, mention_count FROM entities"
                                         " WHERE id = ?", (eid,)).fetchone()
        ctx = db.execute("SELECT s.text, m.text FROM mentions m JOIN sentences s ON s.doc = m.doc"
                         " AND s.seq = m.sentence WHERE m.entity = ? LIMIT 1", (rowid,)).fetchone()
        sent = ctx[0].replace("\n", " ")
        k = sent.find(ctx[1])
        print(f"{i}. `{eid}` {name} ({typ}, {m} mentions; {aliases(db, rowid, 4)}) — "
              f"…{sent[max(0, k - 60):k + len(ctx[1]) + 40]}…")


if __name__ == "__main__":
    main()
