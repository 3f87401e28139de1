#!/usr/bin/env python3
"""report.py — Markdown tables from the bench TSV files.

    report.py http FILE.tsv          per-route req/s, p50/p99 and ratios (one run_http.sh run)
    report.py scale FILE.tsv         seed vs large corpus in one run (run_scale.sh)
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
                         load=f[8]))
    return rows


def pick(rows, conns, route, target):
    for r in rows:
        if r["conns"] == conns and r["route"] == route and r["target"] == target:
            return r
    return None


def fmt_ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def http(path):
    rows = load(path)
    conns = sorted({r["conns"] for r in rows})
    low = conns[0]
    print(f"### {low} connections (wrk -t1; ratios against the runs seconds before/after)\n")
    print("| route | corpusd req/s | p50 ms | p99 ms | MHD fixed 1 KB req/s | nginx static req/s "
          "| FastAPI req/s | FastAPI p99 ms | corpusd/MHD | corpusd/FastAPI | corpusd/nginx "
          "| ≥0.60 MHD, ≥5× FastAPI, p99 ≤ 5 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for route in ROUTES:
        c = pick(rows, low, route, "corpusd")
        if not c:
            continue
        m, n, f = (pick(rows, low, route, t) for t in ("mhd", "nginx", "fastapi"))
        ok = []
        if m:
            ok.append("yes" if c["rps"] >= 0.6 * m["rps"] else "**no**")
        if f:
            ok.append("yes" if c["rps"] >= 5 * f["rps"] else "**no**")
        ok.append("yes" if c["p99"] <= 5 else "**no**")
        bad = f" ({c['bad']} non-2xx/3xx)" if c["bad"] else ""
        print(f"| {route}{bad} | {c['rps']:.0f} | {c['p50']:.2f} | {c['p99']:.2f} "
              f"| {m['rps'] if m else 0:.0f} | {n['rps'] if n else 0:.0f} "
              f"| {f['rps'] if f else 0:.0f} | {f['p99'] if f else 0:.1f} "
              f"| {fmt_ratio(c['rps'], m and m['rps'])} | {fmt_ratio(c['rps'], f and f['rps'])} "
              f"| {fmt_ratio(c['rps'], n and n['rps'])} | {' / '.join(ok)} |")
    for hi in conns[1:]:
        print(f"\n### {hi} connections\n")
        print("| route | corpusd req/s | p50 ms | p99 ms | MHD fixed req/s | MHD p99 ms | corpusd/MHD |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for route in ROUTES:
            c, m = pick(rows, hi, route, "corpusd"), pick(rows, hi, route, "mhd")
            if c:
                print(f"| {route} | {c['rps']:.0f} | {c['p50']:.2f} | {c['p99']:.2f} "
                      f"| {m['rps'] if m else 0:.0f} | {m['p99'] if m else 0:.2f} "
                      f"| {fmt_ratio(c['rps'], m and m['rps'])} |")
    loads = [float(r["load"]) for r in rows]
    errs = [r for r in rows if r["errors"] != "-"]
    print(f"\nLoad average (1 min) during the runs: {min(loads):.2f}–{max(loads):.2f}."
          + (f" Socket errors in {len(errs)} runs: "
             + "; ".join(f"{r['target']}/{r['route']}/c{r['conns']}: {r['errors']}" for r in errs)
             if errs else ""))


def scale(path):
    rows = load(path)
    conns = sorted({r["conns"] for r in rows})[0]
    print(f"### seed vs large corpus, {conns} connections, one run (each route: mhd, seed, large)\n")
    print("| route | seed req/s | seed p99 ms | large req/s | large p99 ms | large/seed "
          "| large/seed, each vs its MHD run | ≥ 0.80 |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for route in ROUTES:
        s, l = pick(rows, conns, route, "seed"), pick(rows, conns, route, "large")
        ms, ml = pick(rows, conns, route, "mhd-seed"), pick(rows, conns, route, "mhd-large")
        if not (s and l):
            continue
        raw = l["rps"] / s["rps"]
        norm = (l["rps"] / ml["rps"]) / (s["rps"] / ms["rps"]) if ms and ml else None
        print(f"| {route} | {s['rps']:.0f} | {s['p99']:.2f} | {l['rps']:.0f} | {l['p99']:.2f} "
              f"| {raw:.2f} | {f'{norm:.2f}' if norm else '–'} | {'yes' if raw >= 0.8 else '**no**'} |")


if __name__ == "__main__":
    {"http": http, "scale": scale}[sys.argv[1]](sys.argv[2])
