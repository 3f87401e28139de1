#!/usr/bin/env bash
# run_ingest.sh — ingest throughput of the full pipeline (cleaning, entities, timexes, store) on a
# large JSONL corpus, peak RSS, and the time to ready with the seed corpus and the large one.
#   1. corpusd --corpus DIR --build-db PATH, RUNS times (the file is symlinked into a temp dir):
#      the log line's ingest ms and store ms, and /usr/bin/time -v's CPU time and peak RSS.
#   2. corpusd serving the seed corpus, RUNS times: its "ready in" log line and the time from
#      exec to the first 200 from /readyz; then once with the large corpus.
#   3. where ingest time goes, stage by stage (bench/ingest_stages, when built).
#
# usage: bench/run_ingest.sh [LARGE.jsonl] [SEED_DIR]     env: RUNS (3), OUT
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LARGE=${1:-$ROOT/../shared/data/news/reuters21578.jsonl}
SEED=$(cd "${2:-$ROOT/corpus}" && pwd)
RUNS=${RUNS:-3}
OUT=${OUT:-$ROOT/$BUILD/bench}
STAGES=${STAGES_BIN:-$ROOT/$BUILD/bench/ingest_stages}
mkdir -p "$OUT" "$T/large"
[ -r "$LARGE" ] || die "no large corpus at $LARGE"
ln -s "$(cd "$(dirname "$LARGE")" && pwd)/$(basename "$LARGE")" "$T/large/"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time)"

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "### Ingest: $(basename "$LARGE") ($(du -k "$LARGE" | cut -f1) KB), $RUNS runs, one core"
echo
echo "| run | documents | MB read | ingest ms | store ms | wall total ms | MB/s (wall) | docs/s (wall) | CPU s (user+sys) | MB/s (CPU) | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in $(seq "$RUNS"); do
    rm -f "$T/large.db"
    rc=0
    /usr/bin/time -v -o "$T/time.txt" "$CORPUSD_BIN" --corpus "$T/large" --build-db "$T/large.db" \
        --log-format text >"$T/ingest.out" 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
        echo "| $i | **corpusd failed (exit $rc$(grep -o 'signal [0-9]*' "$T/time.txt" | sed 's/^/, /'))** | | | | | | | | | |"
        tail -3 "$T/ingest.out" >&2
        continue
    fi
    line=$(grep -E ' loaded .*; ingest [0-9.]+ ms, store [0-9.]+ ms' "$T/ingest.out" | tail -1)
    docs=$(sed -E 's/.* ([0-9]+) documents.*/\1/' <<<"$line")
    mb=$(sed -E 's/.* ([0-9.]+) MB; ingest.*/\1/' <<<"$line")
    ing=$(sed -E 's/.*; ingest ([0-9.]+) ms.*/\1/' <<<"$line")
    sto=$(sed -E 's/.*, store ([0-9.]+) ms.*/\1/' <<<"$line")
    cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$T/time.txt")
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$T/time.txt")
    awk -v i="$i" -v d="$docs" -v mb="$mb" -v a="$ing" -v b="$sto" -v c="$cpu" -v r="$rss" 'BEGIN {
        w = a + b; printf "| %d | %d | %.2f | %.0f | %.0f | %.0f | %.2f | %.0f | %.2f | %.2f | %d |\n",
        i, d, mb, a, b, w, mb / (w / 1000), d / (w / 1000), c, mb / c, r }'
done

# Time to ready: the "ready in" log line, and exec to the first 200 from /readyz.
ready() { # ready CORPUS_DIR -> "log_ms external_ms"
    local port pid t0 t1
    port=$(free_port)
    t0=$(date +%s%N)
    "$CORPUSD_BIN" --corpus "$1" --listen "127.0.0.1:$port" --log-format text >/dev/null 2>"$T/ready.err" &
    pid=$!
    PIDS+=($pid)
    # the log's "ready in" line, then one 200 from /readyz: a poll loop of curls every few
    # milliseconds took most of a core from the ingest it timed (lib.sh, wait_log)
    wait_log "$T/ready.err" "ready in" "$pid" 900 &&
        curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" || echo "bench: $1 did not get ready" >&2
    t1=$(date +%s%N)
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
    echo "$(sed -nE 's/.*ready in ([0-9.]+) ms.*/\1/p' "$T/ready.err") $(((t1 - t0) / 1000000))"
}
echo
echo "### Startup to ready"
echo
echo "| corpus | runs | \"ready in\" (log), median ms | exec → first 200 on /readyz, median ms | min ms |"
echo "|---|---:|---:|---:|---:|"
: >"$T/seed.txt"
for _ in $(seq $((RUNS * 3))); do ready "$SEED" >>"$T/seed.txt"; done
echo "| seed ($(ls "$SEED" | wc -l) files) | $((RUNS * 3)) | $(cut -d' ' -f1 "$T/seed.txt" | median) | $(cut -d' ' -f2 "$T/seed.txt" | median) | $(cut -d' ' -f2 "$T/seed.txt" | sort -n | head -1) |"
r=$(ready "$T/large")
echo "| $(basename "$LARGE") | 1 | ${r% *} | ${r#* } | ${r#* } |"

if [ -x "$STAGES" ]; then
    echo
    echo "### Where ingest time goes (bench/ingest_stages, one thread)"
    echo
    echo '```'
    "$STAGES" "$LARGE" 2>/dev/null || echo "ingest_stages failed (exit $?)"
    echo '```'
fi
