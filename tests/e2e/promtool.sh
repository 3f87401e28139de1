#!/usr/bin/env bash
# /metrics checked by Prometheus's own parser and linter (promtool, Debian package prometheus)
# after traffic on several routes and statuses.
set -u
bin=${CORPUSD_BIN:-build/corpusd}
corpus=${CORPUSD_TEST_CORPUS:-corpus}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --listen "127.0.0.1:$port" --corpus "$corpus" --log-level warn &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else echo "FAIL: $*"; failed=$((failed + 1)); fi; }
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
for path in /v1/documents /v1/entities /v1/nope '/v1/documents?limit=0' /v1/timeline /healthz; do
  curl -s -o /dev/null "http://127.0.0.1:$port$path"
done
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
check promtool check metrics <<<"$metrics"
check grep -q 'corpusd_http_requests_total{route="/v1/documents",status="400"} 1' <<<"$metrics"
check grep -q 'corpusd_http_requests_total{route="unmatched",status="404"} 1' <<<"$metrics"
check grep -q '^corpusd_store_ready 1$' <<<"$metrics"
echo "promtool: $passed passed, $failed failed"
[ "$failed" = 0 ]
