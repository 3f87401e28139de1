#!/usr/bin/env python3
"""make_urls.py — realistic request targets for the mixed-workload benchmark, drawn from a built
store file (corpusd --build-db), so every URL asks for something that exists in that corpus.

usage: make_urls.py STORE_DB OUT_DIR [PER_ROUTE]

Writes OUT_DIR/ROUTE.txt (one request target a line, shuffled, distinct) for each route and
OUT_DIR/mixed.txt (all routes interleaved, as a dashboard's users would mix them):

  document      /v1/documents/{id}                      random documents
  list          /v1/documents?from=…&to=…[&sort=…]      date windows of 1–30 days, both sorts,
                                                        some with ?source= or ?entity=
  search_rare   /v1/search?q=WORD                       words found in 2 … 1% of the documents
  search_top    /v1/search?q=WORD[&limit=…]             the 50 most frequent words, limits 1–20
  entities      /v1/entities?q=PREFIX                   3–6 letter prefixes of entity name words
  timeline      /v1/timeline?from=…&to=…                event date windows, some by precision
  entity        /v1/entities/{id}                       random entities (weighted to frequent ones)
  related       /v1/entities/{id}/related               the same, their co-occurring entities
"""
import random
import sqlite3
import sys
import urllib.parse
from datetime import date, timedelta

q = urllib.parse.quote


def distinct(items, n):
    seen, out = set(), []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
        if len(out) == n:
            break
    return out


def day_windows(rng, first, last, n):
    span = (last - first).days
    for _ in range(n * 4):
        start = first + timedelta(days=rng.randrange(max(span, 1)))
        end = start + timedelta(days=rng.choice([0, 1, 2, 6, 13, 29]))
        yield start.isoformat(), end.isoformat()


def main():
    db, out = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    rng = random.Random(17)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    routes = {}

    ids = [r[0] for r in con.execute("SELECT id FROM documents")]
    rng.shuffle(ids)
    routes["document"] = [f"/v1/documents/{q(i, safe='')}" for i in ids[:per]]

    pub = [r[0] for r in con.execute("SELECT DISTINCT published FROM documents WHERE length(published) = 10")]
    first, last = date.fromisoformat(min(pub)), date.fromisoformat(max(pub))
    sources = [r[0] for r in con.execute("SELECT DISTINCT source FROM documents WHERE source IS NOT NULL")]
    top_entities = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY mention_count DESC LIMIT 300")]
    lists = []
    for a, b in day_windows(rng, first, last, per):
        u = f"/v1/documents?from={a}&to={b}&limit=20"
        r = rng.random()
        if r < 0.3:
            u += "&sort=published"
        elif r < 0.4 and sources:
            u += "&source=" + q(rng.choice(sources))
        elif r < 0.5:
            u = f"/v1/documents?entity={q(rng.choice(top_entities), safe='')}&limit=20"
            if rng.random() < 0.5:
                u += f"&from={a}"
        lists.append(u)
    routes["list"] = distinct(lists, per)

    ndocs = len(ids)
    con.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'documents_fts', 'row')")
    words = [(t, d) for t, d in con.execute("SELECT term, doc FROM temp.vocab") if t.isalpha()]
    rare = [t for t, d in words if 2 <= d <= ndocs // 100]
    rng.shuffle(rare)
    routes["search_rare"] = [f"/v1/search?q={q(t)}" for t in rare[:per]]
    top = [t for t, _ in sorted(words, key=lambda x: -x[1])[:50]]
    tops = [f"/v1/search?q={q(t)}" + ("" if lim == 20 else f"&limit={lim}")
            for t in top for lim in range(1, 21)]
    rng.shuffle(tops)
    routes["search_top"] = tops[:per]

    names = [r[0] for r in con.execute("SELECT name FROM entities ORDER BY mention_count DESC LIMIT 5000")]
    prefixes = []
    for name in names:
        words_ = [w for w in name.split() if w[:1].isalpha()]
        for w in words_:
            for k in (3, 4, 5, 6):
                if len(w) >= k:
                    prefixes.append(w[:k].lower() if rng.random() < 0.5 else w[:k])
    rng.shuffle(prefixes)
    routes["entities"] = distinct((f"/v1/entities?q={q(p)}&limit=20" for p in prefixes), per)

    ev = [r[0] for r in con.execute("SELECT DISTINCT date FROM events WHERE length(date) = 10 AND date BETWEEN ? AND ?",
                                    (first.isoformat(), last.isoformat()))]
    tl = []
    for a, b in day_windows(rng, first, last, per):
        u = f"/v1/timeline?from={a}&to={b}&limit=50"
        if rng.random() < 0.3:
            u += "&precision=day"
        tl.append(u)
    routes["timeline"] = distinct(tl, per)
    del ev

    ents = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY mention_count DESC LIMIT ?", (per * 3,))]
    rng.shuffle(ents)
    routes["entity"] = [f"/v1/entities/{q(e, safe='')}" for e in ents[:per]]
    routes["related"] = [f"/v1/entities/{q(e, safe='')}/related?limit=10" for e in ents[per:2 * per]]

    mixed = [u for urls in routes.values() for u in urls]
    rng.shuffle(mixed)
    routes["mixed"] = mixed
    for name, urls in routes.items():
        with open(f"{out}/{name}.txt", "w") as f:
            f.write("\n".join(urls) + "\n")
        print(f"{name}\t{len(urls)}", file=sys.stderr)


if __name__ == "__main__":
    main()
