#!/usr/bin/env bash
# peak_rss.sh — the peak resident memory of corpusd from start to ready: starts it on a free port
# with the given arguments, waits for /readyz and prints VmHWM (the kernel's high-water
# mark of the resident set) once the store is served, then stops it.
#
# usage: bench/peak_rss.sh --corpus DIR [more corpusd arguments]     env: CORPUSD_BIN
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BIN=${CORPUSD_BIN:-$ROOT/build/corpusd}
PORT=$(free_port)
"$BIN" "$@" --listen "127.0.0.1:$PORT" --log-level warn >/dev/null 2>&1 &
PID=$!
PIDS+=($PID)
wait_http "http://127.0.0.1:$PORT/readyz" "$PID" 900 || die "corpusd did not get ready"
echo "peak RSS $(awk '/VmHWM/ {print $2}' /proc/$PID/status) kB; RSS when ready $(awk '/VmRSS/ {print $2}' /proc/$PID/status) kB"
