#!/usr/bin/env bash
# run_callgrind.sh — user-space instructions per request for each hot route, counted by valgrind's
# callgrind (repeatable on a noisy shared machine, unlike time). For each route: a few warm-up
# requests, counters zeroed, N requests on one keep-alive connection (curl), counters dumped;
# instructions / N. Three servers: corpusd as it runs (response cache on: the steady state of a
# hot route), corpusd with the cache off (CORPUSD_RESPONSE_CACHE_MB=0: the full handler, SQLite
# and JSON on every request), and bench/mhd_fixed (the library alone, fixed 1 KB body).
#
# usage: bench/run_callgrind.sh [CORPUS_DIR] [LABEL]    env: N (200), SEARCH_Q (soybean), OUT,
#        DB (serve this prebuilt store file with --db DB --read-only instead of loading the corpus:
#        how a large corpus is counted without ingesting it under valgrind),
#        URLS (a directory of ROUTE.txt target lists from bench/make_urls.py: also counts each
#        route over its first N DISTINCT targets on the uncached server — what a never-seen
#        question costs; the single-URL counts above repeat one target)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CORPUS=$(cd "${1:-$ROOT/corpus}" && pwd)
SERVE=(--corpus "$CORPUS")
[ -n "${DB:-}" ] && SERVE=(--db "$DB" --read-only)
LABEL=${2:-seed}
N=${N:-200}
SEARCH_Q=${SEARCH_Q:-soybean}
OUT=${OUT:-$ROOT/$BUILD/bench}
mkdir -p "$OUT"
TSV=$OUT/callgrind-$LABEL.tsv
command -v valgrind >/dev/null || die "valgrind is missing (make bench-deps)"
# The per-connection memset of libmicrohttpd's pool would dominate the count (NOTES.md).
export GLIBC_TUNABLES=glibc.cpu.x86_rep_stosb_threshold=0x10000000

# start_cg NAME PORT CMD...: runs CMD under callgrind; sets CG_PID.
start_cg() {
    local name=$1 port=$2
    shift 2
    valgrind --tool=callgrind --callgrind-out-file="$T/$name.cg" "$@" >/dev/null 2>"$T/$name.err" &
    CG_PID=$!
    PIDS+=($CG_PID)
    wait_http "http://127.0.0.1:$port/readyz" "$CG_PID" 300 ||
        wait_http "http://127.0.0.1:$port/" "$CG_PID" 5 || { cat "$T/$name.err"; die "$name did not start"; }
}

# count_file NAME PID BASE FILE: instructions per request over the first N targets of FILE.
count_file() {
    local name=$1 pid=$2 base=$3 file=$4 cfg=$T/curl.cfg
    head -5 "$file" | awk -v b="$base" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $0 }' >"$cfg"
    curl -s -K "$cfg"
    sed -n "6,$((N + 5))p" "$file" | awk -v b="$base" '{ printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $0 }' >"$cfg"
    local n
    n=$(grep -c '^url' "$cfg")
    rm -f "$T/$name.cg."*
    callgrind_control -z "$pid" >/dev/null 2>&1
    curl -s -K "$cfg"
    sleep 0.3
    callgrind_control -d "$pid" >/dev/null 2>&1
    local f ir
    f=$(ls -t "$T/$name.cg."* | head -1)
    ir=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo $((ir / n))
}

# count NAME PID URL [HEADER]: instructions per request over N requests on one connection.
count() {
    local name=$1 pid=$2 url=$3 hdr=${4:-} cfg=$T/curl.cfg
    : >"$cfg"
    [ -n "$hdr" ] && echo "header = \"$hdr\"" >>"$cfg"
    for _ in $(seq 5); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >>"$cfg"; done
    curl -s -K "$cfg" # warm-up: statements prepared, connection and caches filled
    : >"$cfg"
    [ -n "$hdr" ] && echo "header = \"$hdr\"" >>"$cfg"
    for _ in $(seq "$N"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >>"$cfg"; done
    rm -f "$T/$name.cg."*
    callgrind_control -z "$pid" >/dev/null 2>&1
    curl -s -K "$cfg"
    sleep 0.3 # the completion callback of the last request
    callgrind_control -d "$pid" >/dev/null 2>&1
    local f ir
    f=$(ls -t "$T/$name.cg."* | head -1)
    ir=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo $((ir / N))
}

P1=$(free_port) P2=$(free_port) P3=$(free_port)
start_cg cached "$P1" "$CORPUSD_BIN" "${SERVE[@]}" --listen "127.0.0.1:$P1"
CACHED=$CG_PID
CORPUSD_RESPONSE_CACHE_MB=0 start_cg uncached "$P2" "$CORPUSD_BIN" "${SERVE[@]}" --listen "127.0.0.1:$P2"
UNCACHED=$CG_PID
start_cg mhd "$P3" "$MHD_BIN" "$P3"
MHD=$CG_PID

DOC_ID=$(curl -sf "http://127.0.0.1:$P1/v1/documents?limit=1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
declare -A ROUTE=(
    [document]="/v1/documents/$DOC_ID" [entities]="/v1/entities?limit=20"
    [timeline]="/v1/timeline?limit=50" [search]="/v1/search?q=$SEARCH_Q"
    [revalidate]="/v1/documents/$DOC_ID"
)
ETAG=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$P1${ROUTE[revalidate]}" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')

: >"$TSV"
mhd=$(count mhd "$MHD" "http://127.0.0.1:$P3/")
for r in document entities timeline search revalidate; do
    hdr=""
    [ "$r" = revalidate ] && hdr="If-None-Match: $ETAG"
    c=$(count cached "$CACHED" "http://127.0.0.1:$P1${ROUTE[$r]}" "$hdr")
    u=$(count uncached "$UNCACHED" "http://127.0.0.1:$P2${ROUTE[$r]}" "$hdr")
    bytes=$(curl -s -o /dev/null -w '%{size_download}' ${hdr:+-H "$hdr"} "http://127.0.0.1:$P1${ROUTE[$r]}")
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$bytes" "$c" "$u" "$mhd" | tee -a "$TSV" >&2
done

echo
echo "### Instructions per request (callgrind, user space, all threads; $N keep-alive requests, $LABEL corpus)"
echo
echo "| route | body bytes | corpusd (response cache on) | corpusd (cache off: handler, SQLite, JSON) | MHD fixed 1 KB | cached / MHD |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{ printf "| %s | %d | %\047d | %\047d | %\047d | %.2f |\n", $1, $2, $3, $4, $5, $3 / $5 }' "$TSV"

if [ -n "${URLS:-}" ]; then
    echo
    echo "### Instructions per request over $N distinct targets per route (cache off, $LABEL corpus)"
    echo
    echo "| route | corpusd (cache off) | MHD fixed 1 KB | / MHD |"
    echo "|---|---:|---:|---:|"
    for f in "$URLS"/*.txt; do
        r=$(basename "$f" .txt)
        [ "$r" = mixed ] && continue
        u=$(count_file uncached "$UNCACHED" "http://127.0.0.1:$P2" "$f")
        printf '%s\t%s\t%s\n' "$r" "$u" "$mhd" >>"$TSV.routes"
        printf "| %s | %'d | %'d | %.1f |\n" "$r" "$u" "$mhd" "$(echo "$u / $mhd" | bc -l)"
    done
fi
