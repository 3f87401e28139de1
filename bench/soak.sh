#!/usr/bin/env bash
# soak.sh — a bounded soak of corpusd: DURATION seconds of wrk at CONNS connections over a mix of
# API routes, a SIGHUP (corpus reload + store swap) every RELOAD_EVERY seconds, and the server's
# RSS sampled from /proc every second. 127.0.0.1 only. Prints requests, non-2xx/3xx answers,
# socket errors and RSS (idle, warm start, end, peak); exits non-zero when any answer was not
# 2xx/3xx, a socket error or crash happened, the server did not exit 0 on SIGTERM, or RSS grew
# more than RSS_GROWTH_PCT percent from the warm start (RSS after WARMUP seconds of load) to the
# end. Run with `make soak` (not part of `make test`: it takes a minute of both cores).
#
# Knobs: DURATION=60 CONNS=256 THREADS=2 RELOAD_EVERY=5 WARMUP=5 RSS_GROWTH_PCT=20
#        CORPUSD_BIN=build/corpusd CORPUSD_TEST_CORPUS=corpus
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${CORPUSD_BIN:-$root/build/corpusd}
corpus=${CORPUSD_TEST_CORPUS:-$root/corpus}
duration=${DURATION:-60} conns=${CONNS:-256} threads=${THREADS:-2}
reload_every=${RELOAD_EVERY:-5} warmup=${WARMUP:-5} growth_pct=${RSS_GROWTH_PCT:-20}
command -v wrk >/dev/null || { echo "soak: wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x "$bin" ] || { echo "soak: no server binary at $bin"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corpusd-soak.XXXXXX")
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --listen "127.0.0.1:$port" --corpus "$corpus" --access-log off --log-level info \
    --timeout 30 2>"$tmp/server.log" &
pid=$!
for _ in $(seq 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    kill -0 "$pid" 2>/dev/null || { echo "soak: the server died at start"; cat "$tmp/server.log"; exit 1; }
    sleep 0.1
done
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null; }
rss_idle=$(rss)

# A mix of the API: lists, one document, search, entities, timelines, stats.
doc=$(curl -s "http://127.0.0.1:$port/v1/documents?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
ent=$(curl -s "http://127.0.0.1:$port/v1/entities?limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["id"] if d else "none")')
cat >"$tmp/mix.lua" <<LUA
local paths = {
  "/v1/documents", "/v1/documents?limit=2&sort=title", "/v1/documents/$doc",
  "/v1/search?q=china", "/v1/search?q=%22trade%22%20OR%20korea*", "/v1/entities?limit=5",
  "/v1/entities/$ent", "/v1/entities/$ent/documents", "/v1/timeline?limit=5",
  "/v1/timeline/histogram?interval=month", "/v1/stats", "/healthz",
  "/v1/documents/$doc/entities", "/v1/search?q=%27%3B%20DROP%20TABLE%20documents%3B%20--",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

: >"$tmp/rss"
( while kill -0 "$pid" 2>/dev/null; do rss >>"$tmp/rss"; sleep 1; done ) &
sampler=$!
reloads=0
( sleep "$reload_every"; n=0
  while [ "$n" -lt $((duration / reload_every - 1)) ]; do
      kill -HUP "$pid" 2>/dev/null || break
      n=$((n + 1)); sleep "$reload_every"
  done; echo "$n" >"$tmp/reloads" ) &
hupper=$!
( sleep "$warmup"; rss >"$tmp/rss_warm" ) &

wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s -s "$tmp/mix.lua" \
    "http://127.0.0.1:$port" >"$tmp/wrk.out" 2>&1
wait "$hupper" 2>/dev/null
reloads=$(cat "$tmp/reloads" 2>/dev/null || echo 0)
rss_after=$(rss)
alive=yes; kill -0 "$pid" 2>/dev/null || alive=no
health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
kill "$sampler" 2>/dev/null
kill -TERM "$pid"; wait "$pid"; exit_code=$?; pid=

requests=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
non2xx=$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /,"",$2); print $2}' "$tmp/wrk.out")
sockerr=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$tmp/wrk.out")
read -r e_conn e_read e_write e_timeout <<<"${sockerr:-0 0 0 0}"
rss_warm=$(cat "$tmp/rss_warm" 2>/dev/null || echo "$rss_idle")
rss_peak=$(sort -n "$tmp/rss" | tail -1)
# the end of the load: the last samples taken while wrk was running
rss_end=$(head -n "$duration" "$tmp/rss" | tail -3 | sort -n | tail -1)
rps=$(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out")
reloaded=$(grep -c 'SIGHUP' "$tmp/server.log" 2>/dev/null || true)
reload_ok=$(grep -c 'loaded ' "$tmp/server.log" 2>/dev/null || true)

echo "soak: ${duration}s, $conns connections, $threads wrk threads, SIGHUP every ${reload_every}s ($reloads sent, $reloaded received, $((reload_ok - 1)) reloads done)"
sed -n '/Latency/,/Req\/Sec/p' "$tmp/wrk.out"
echo "  requests:            ${requests:-0} (${rps:-0} req/s)"
echo "  non-2xx/3xx answers: ${non2xx:-0}"
echo "  socket errors:       connect $e_conn, read $e_read, write $e_write, timeout $e_timeout"
echo "  RSS (KiB):           idle $rss_idle, warm start $rss_warm, end of load $rss_end, peak $rss_peak, after load $rss_after"
echo "  server:              alive=$alive, /healthz $health, exit $exit_code on SIGTERM"
fail=0
[ "${requests:-0}" -gt 0 ] || { echo "soak: FAIL: no requests were made"; cat "$tmp/wrk.out"; fail=1; }
[ "${non2xx:-0}" -eq 0 ] || { echo "soak: FAIL: answers that were not 2xx/3xx"; fail=1; }
[ $((e_conn + e_read + e_write + e_timeout)) -eq 0 ] || { echo "soak: FAIL: socket errors"; fail=1; }
[ "$alive" = yes ] && [ "$health" = 200 ] || { echo "soak: FAIL: the server died"; fail=1; }
[ "$exit_code" -eq 0 ] || { echo "soak: FAIL: exit $exit_code on SIGTERM"; fail=1; }
if [ -n "$rss_end" ] && [ "$rss_end" -gt $((rss_warm * (100 + growth_pct) / 100)) ]; then
    echo "soak: FAIL: RSS grew more than ${growth_pct}% ($rss_warm -> $rss_end KiB)"; fail=1
fi
[ "$reloaded" -eq "$reloads" ] && [ "$reload_ok" -eq $((reloads + 1)) ] ||
    { echo "soak: FAIL: not every SIGHUP reloaded the corpus"; fail=1; }
if grep -qv 'SIGHUP\|reloading\|loaded \|listening\|ready in\|shutting down\|drain' "$tmp/server.log"; then
    echo "  server messages:"
    grep -v 'SIGHUP\|reloading\|loaded \|listening\|ready in\|shutting down\|drain' "$tmp/server.log" | head -20 | sed 's/^/    /'
fi
[ $fail -eq 0 ] && echo "soak: ok"
exit $fail
