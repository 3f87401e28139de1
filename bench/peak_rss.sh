#!/usr/bin/env bash
# peak_rss.sh — the peak resident memory of corpusd from start to ready: starts it on a free port
# with the given arguments, waits for /readyz and prints VmHWM (the kernel's high-water
# mark of the resident set) once the store is served, the wall time from start to ready (its log's
# "ready in" line, then one 200 from /readyz) and the
# stage times of its "loaded" log line, then stops it.
#
# usage: bench/peak_rss.sh --corpus DIR [more corpusd arguments]     env: CORPUSD_BIN
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${CORPUSD_BIN:-$ROOT/build/corpusd}
PORT=$(free_port)
START=$(now_ms)
"$BIN" "$@" --listen "127.0.0.1:$PORT" --log-level info >"$T/log" 2>&1 &
PID=$!
PIDS+=($PID)
# the log's "ready in" line, then /readyz once (a poll loop of curls would slow what it times)
wait_log "$T/log" "ready in" "$PID" 900 && curl -sf -o /dev/null "http://127.0.0.1:$PORT/readyz" ||
    die "corpusd did not get ready"
READY=$(now_ms)
echo "peak RSS $(awk '/VmHWM/ {print $2}' /proc/$PID/status) kB; RSS when ready $(awk '/VmRSS/ {print $2}' /proc/$PID/status) kB; ready in $(((READY - START) / 1000)).$(printf '%03d' $(((READY - START) % 1000))) s; $(grep -o 'ingest [0-9.]* ms ([^)]*), store [0-9.]* ms' "$T/log" | head -1)"
