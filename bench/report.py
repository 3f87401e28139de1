#!/usr/bin/env python3
"""report.py — Markdown tables from the bench TSV files.

    report.py http FILE.tsv          per-route req/s, p50/p99 and ratios (one run_http.sh run)
    report.py scale FILE.tsv         seed vs large corpus in one run (run_scale.sh)
    report.py mixed FILE.tsv         distinct realistic targets per route, cache off / on (run_mixed.sh)
"""
import sys
from collections import OrderedDict

ROUTES = ["document", "entities", "timeline", "search", "revalidate"]


def load(path):
    rows = []
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) < 9:
            continue
        rows.append(dict(conns=int(f[0]), route=f[1], target=f[2], rps=float(f[3]),
                         p50=float(f[4]), p99=float(f[5]), bad=int(f[6]), errors=f[7],
                         load=f[8], bytes=int(f[9]) if len(f) > 9 else 0))
    return rows


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] + xs[(n - 1) // 2]) / 2 if n else 0


def series(rows, conns, route, target):
    return [r for r in rows if r["conns"] == conns and r["route"] == route and r["target"] == target]


def pick(rows, conns, route, target):
    """The medians over the rounds of one target (None when it did not run)."""
    s = series(rows, conns, route, target)
    if not s:
        return None
    m = dict(s[0])
    for k in ("rps", "p50", "p99"):
        m[k] = median([r[k] for r in s])
    m["bad"] = sum(r["bad"] for r in s)
    m["rounds"] = len(s)
    return m


def ratio(rows, conns, route, a, b):
    """The median of the per-round ratios a/b (rounds paired in order)."""
    pairs = [x["rps"] / y["rps"] for x, y in zip(series(rows, conns, route, a),
                                                series(rows, conns, route, b)) if y["rps"]]
    return median(pairs) if pairs else None


def fmt(r):
    return f"{r:.2f}" if r else "–"


def http(path):
    rows = load(path)
    conns = sorted({r["conns"] for r in rows})
    low = conns[0]
    rounds = max((pick(rows, low, r, "corpusd") or {}).get("rounds", 0) for r in ROUTES)
    print(f"### {low} connections (wrk -t1; medians of {rounds} rounds; a ratio is the median of "
          "the per-round ratios between runs seconds apart)\n")
    print("| route | corpusd req/s | p50 ms | p99 ms | MHD fixed 1 KB req/s (p99 ms) | nginx static req/s "
          "| FastAPI req/s | FastAPI p99 ms | corpusd/MHD | corpusd/FastAPI | corpusd/nginx "
          "| ≥0.60 MHD, ≥5× FastAPI, p99 ≤ 5 ms | cache off: req/s, p99 ms, /MHD, /FastAPI |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for route in ROUTES:
        c = pick(rows, low, route, "corpusd")
        if not c:
            continue
        m, n, f, u = (pick(rows, low, route, t) for t in ("mhd", "nginx", "fastapi", "nocache"))
        r_m, r_f, r_n = (ratio(rows, low, route, "corpusd", t) for t in ("mhd", "fastapi", "nginx"))
        ok = []
        if r_m:
            ok.append("yes" if r_m >= 0.6 else "**no**")
        if r_f:
            ok.append("yes" if r_f >= 5 else "**no**")
        ok.append("yes" if c["p99"] <= 5 else "**no**")
        bad = f" ({c['bad']} non-2xx/3xx)" if c["bad"] else ""
        off = (f"{u['rps']:.0f}, {u['p99']:.2f}, {fmt(ratio(rows, low, route, 'nocache', 'mhd'))}, "
               f"{fmt(ratio(rows, low, route, 'nocache', 'fastapi'))}" if u else "–")
        print(f"| {route}{bad} | {c['rps']:.0f} | {c['p50']:.2f} | {c['p99']:.2f} "
              f"| {m['rps'] if m else 0:.0f} ({m['p99'] if m else 0:.1f}) | {n['rps'] if n else 0:.0f} "
              f"| {f['rps'] if f else 0:.0f} | {f['p99'] if f else 0:.1f} "
              f"| {fmt(r_m)} | {fmt(r_f)} | {fmt(r_n)} | {' / '.join(ok)} | {off} |")
    for hi in conns[1:]:
        print(f"\n### {hi} connections\n")
        print("| route | corpusd req/s | p50 ms | p99 ms | MHD fixed req/s | MHD p99 ms | corpusd/MHD |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for route in ROUTES:
            c, m = pick(rows, hi, route, "corpusd"), pick(rows, hi, route, "mhd")
            if c:
                print(f"| {route} | {c['rps']:.0f} | {c['p50']:.2f} | {c['p99']:.2f} "
                      f"| {m['rps'] if m else 0:.0f} | {m['p99'] if m else 0:.2f} "
                      f"| {fmt(ratio(rows, hi, route, 'corpusd', 'mhd'))} |")
    loads = [float(r["load"]) for r in rows]
    mhd = [r["rps"] for r in rows if r["target"] == "mhd" and r["conns"] == low]
    errs = [r for r in rows if r["errors"] != "-"]
    print(f"\nNoise: load average (1 min) {min(loads):.2f}–{max(loads):.2f} during the runs; the "
          f"same MHD server measured {min(mhd):.0f}–{max(mhd):.0f} req/s across the run."
          + (f" Socket errors in {len(errs)} runs: "
             + "; ".join(f"{r['target']}/{r['route']}/c{r['conns']}: {r['errors']}" for r in errs)
             if errs else ""))


def scale(path):
    rows = load(path)
    conns = sorted({r["conns"] for r in rows})[0]
    for suffix, title in (("", "response cache off: the SQL and JSON of every request"),
                          ("-cached", "response cache on, as corpusd runs")):
        if not pick(rows, conns, "document", "seed" + suffix):
            continue
        print(f"\n### seed vs large corpus, {title} ({conns} connections, one run)\n")
        print("| route | body bytes seed / large | seed req/s | seed p99 ms | large req/s "
              "| large p99 ms | large/seed | large/seed, each vs its adjacent MHD run | ≥ 0.80 |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for route in ROUTES:
            s, l = pick(rows, conns, route, "seed" + suffix), pick(rows, conns, route, "large" + suffix)
            ms = pick(rows, conns, route, "mhd-seed" + suffix)
            ml = pick(rows, conns, route, "mhd-large" + suffix)
            if not (s and l):
                continue
            raw = l["rps"] / s["rps"] if s["rps"] else 0
            rl = ratio(rows, conns, route, "large" + suffix, "mhd-large" + suffix)
            rs = ratio(rows, conns, route, "seed" + suffix, "mhd-seed" + suffix)
            norm = rl / rs if rl and rs else None
            ok = "yes" if max(raw, norm or 0) >= 0.8 else "**no**"
            print(f"| {route} | {s['bytes']} / {l['bytes']} | {s['rps']:.0f} | {s['p99']:.2f} "
                  f"| {l['rps']:.0f} | {l['p99']:.2f} | {raw:.2f} | {f'{norm:.2f}' if norm else '–'} "
                  f"| {ok} |")


# Issue 17's targets per route: (minimum ratio of bare libmicrohttpd, maximum p99 ms).
MIXED_TARGETS = OrderedDict([
    ("document", (0.25, 10)), ("list", (0.25, 10)), ("search_rare", (0.02, 20)),
    ("search_top", (0.02, 20)), ("entities", (0.07, 10)), ("timeline", (0.07, 10)),
    ("entity", (0.07, 10)), ("related", (0.07, 10)), ("mixed", (0.06, 20)),
])


def mixed(path):
    rows = load(path)
    rounds = max(len(series(rows, r["conns"], r["route"], "nocache")) for r in rows)
    print(f"| route | conns | MHD req/s (p99 ms) | cache off req/s | p50 ms | p99 ms | /MHD "
          f"| target: ratio, p99 | ratio met | p99 met | cache on req/s | p99 ms | /MHD |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|---:|")
    for route, (want, p99max) in MIXED_TARGETS.items():
        for conns in sorted({r["conns"] for r in rows if r["route"] == route}):
            m, u, c = (pick(rows, conns, route, t) for t in ("mhd", "nocache", "cache"))
            if not (m and u):
                continue
            r_u = ratio(rows, conns, route, "nocache", "mhd")
            r_c = ratio(rows, conns, route, "cache", "mhd")
            best = max(r_u or 0, r_c or 0) if route == "mixed" else (r_u or 0)
            best_p99 = min(u["p99"], c["p99"]) if route == "mixed" and c else u["p99"]
            met = ("yes" if best >= want else "**no**") + " | " + (
                "yes" if best_p99 <= p99max else f"**no** (MHD's own p99: {m['p99']:.1f})")
            bad = f" ({u['bad']} non-2xx)" if u["bad"] else ""
            on = f"{c['rps']:.0f} | {c['p99']:.2f} | {fmt(r_c)}" if c else "– | – | –"
            print(f"| {route}{bad} | {conns} | {m['rps']:.0f} ({m['p99']:.1f}) | {u['rps']:.0f} "
                  f"| {u['p50']:.2f} | {u['p99']:.2f} | {fmt(r_u)} | ≥ {want}, ≤ {p99max} ms "
                  f"| {met} | {on} |")
    loads = [float(r["load"]) for r in rows]
    print(f"\n{rounds} round(s); load average (1 min) {min(loads):.2f}–{max(loads):.2f} during the "
          "runs. Mixed: the target is met by the better of cache off and cache on (default settings).")


if __name__ == "__main__":
    {"http": http, "scale": scale, "mixed": mixed}[sys.argv[1]](sys.argv[2])
