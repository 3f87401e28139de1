#!/bin/bash
# corpusd-healthcheck [PATH] — GET PATH (default /healthz; /readyz for readiness) from the port
# corpusd listens on (taken from CORPUSD_LISTEN), using bash's /dev/tcp so the image needs no HTTP
# client. The image's HEALTHCHECK and the Kubernetes exec probes (deploy/kubernetes/) run it.
# Exit status 0 = the answer was 200, 1 = anything else (refused, timeout, 503 while loading).
path="${1:-/healthz}"
case "$path" in
/healthz | /readyz) ;;
*)
    echo "usage: corpusd-healthcheck [/healthz|/readyz]" >&2
    exit 2
    ;;
esac
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
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 4 status <&3 || exit 1
[[ $status == HTTP/1.?" 200 "* ]] || exit 1
