#!/bin/bash
# corpusd-healthcheck — the container image's HEALTHCHECK: GET /healthz from the port corpusd
# listens on (taken from CORPUSD_LISTEN), using bash's /dev/tcp so the image needs no HTTP client.
# Exit status 0 = healthy (status 200), 1 = unhealthy.
listen="${CORPUSD_LISTEN:-0.0.0.0:8080}"
port="${listen##*:}"
host="${listen%:*}"
host="${host#[}"
host="${host%]}"
case "$host" in
"" | 0.0.0.0) host=127.0.0.1 ;;
::) host=::1 ;;
esac
exec 3<>"/dev/tcp/$host/$port" || exit 1
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 4 status <&3 || exit 1
[[ $status == HTTP/1.?" 200 "* ]] || exit 1
