# tests/deploy/lib.sh — helpers shared by test_nginx.sh and test_container.sh (sourced, bash).
# Needs: $T (the test's temporary directory), $ROOT (the repository), ok/bad/note/check.

# Ports are picked below the kernel's ephemeral range, so no outgoing connection can hold one;
# PORT_RANGE=LO-HI narrows the choice (e.g. to the ports a shared machine gives this run).
read -r EPHEMERAL_LO _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
PORT_LO=10000 PORT_HI=$((EPHEMERAL_LO > 12000 ? EPHEMERAL_LO : 32768))
if [[ ${PORT_RANGE:-} =~ ^([0-9]+)-([0-9]+)$ ]]; then
    PORT_LO=${BASH_REMATCH[1]} PORT_HI=$((BASH_REMATCH[2] + 1))
fi
# free_port: a TCP port nothing uses and not handed out before in this test (the ports handed
# out are kept in $T/ports, as $(free_port) runs in a subshell).
free_port() {
    local p
    touch "$T/ports"
    for _ in $(seq 500); do
        p=$((PORT_LO + RANDOM % (PORT_HI - PORT_LO)))
        grep -qx "$p" "$T/ports" && continue
        if ! ss -Htan "sport = :$p" | grep -q .; then
            echo "$p" >>"$T/ports"
            echo "$p"
            return 0
        fi
    done
    return 1
}

# nginx_config NGINX ADDR1 ADDR2 PORT: writes $T/nginx.conf from deploy/nginx.conf with only the
# replica addresses, the listen address and the file paths replaced (under $T/nginx), and sets
# NGINX_ARGS for running it. Fails (with a message) if a system path is left or `nginx -t` fails.
nginx_config() {
    local nginx=$1 addr1=$2 addr2=$3 port=$4 temp_paths m
    mkdir -p "$T/nginx/logs" "$T/nginx/tmp"
    chmod 755 "$T" # nginx workers (nobody when run as root) use the temp dirs below
    temp_paths="client_body_temp_path $T/nginx/tmp/body; proxy_temp_path $T/nginx/tmp/proxy;"
    for m in fastcgi uwsgi scgi; do # only the modules this nginx has
        "$nginx" -V 2>&1 | grep -q -- "--without-http_${m}_module" ||
            temp_paths="$temp_paths ${m}_temp_path $T/nginx/tmp/$m;"
    done
    sed -e '/^user /d' \
        -e "s|^pid .*|pid $T/nginx/nginx.pid;|" \
        -e "s|^error_log [^ ;]*|error_log $T/nginx/logs/error.log|" \
        -e "s|access_log /var/log/nginx/corpusd.access.log|access_log $T/nginx/logs/access.log|" \
        -e "s|127\.0\.0\.1:8081|$addr1|; s|127\.0\.0\.1:8082|$addr2|" \
        -e "s|listen 80;|listen 127.0.0.1:$port;|" \
        -e "s|^http {|http {\n    $temp_paths|" \
        "$ROOT/deploy/nginx.conf" >"$T/nginx.conf"
    NGINX_ARGS=(-p "$T/nginx/" -c "$T/nginx.conf" -e "$T/nginx/logs/error.log")
    if sed "s|$T/|TMP/|g" "$T/nginx.conf" | grep -nE '^[^#]*/(etc|var|run)/'; then
        echo "the generated nginx configuration still names system paths (see above)"
        return 1
    fi
    "$nginx" -t "${NGINX_ARGS[@]}" >"$T/nginx-t.log" 2>&1 || {
        cat "$T/nginx-t.log"
        return 1
    }
}

# loop_during NAME URL_BASE ACTION...: LOOP_REQUESTS requests (default 500), PARALLEL (8) at a
# time, to URL_BASE over five API routes, each with the request id NAME-i; ACTION runs once a third
# of them have answered. Sets LOOP_TOTAL, LOOP_OK (status 200), LOOP_AT (answers when ACTION ran),
# LOOP_P50/LOOP_P99/LOOP_MAX (ms) and LOOP_ACTION_RC; the statuses are in $T/loop-NAME.txt.
loop_during() {
    local name=$1 base=$2 out=$T/loop-$1.txt loop
    shift 2
    local n=${LOOP_REQUESTS:-500}
    local urls=("/v1/documents?limit=5" "/v1/search?q=the" "/v1/stats" "/v1/entities?limit=10" "/v1/timeline?limit=10")
    : >"$out"
    for i in $(seq "$n"); do echo "$name-$i ${urls[i % ${#urls[@]}]}"; done |
        BASE=$base xargs -P "${PARALLEL:-8}" -n 2 sh -c 'curl -s -o /dev/null --max-time 20 \
            -H "X-Request-Id: $0" -w "%{http_code} %{time_total}\n" "$BASE$1"' >>"$out" 2>&1 &
    loop=$!
    for _ in $(seq 3000); do
        [ "$(wc -l <"$out")" -ge $((n / 3)) ] && break
        sleep 0.01
    done
    LOOP_AT=$(wc -l <"$out")
    "$@"
    LOOP_ACTION_RC=$?
    wait "$loop"
    LOOP_TOTAL=$(wc -l <"$out")
    LOOP_OK=$(grep -c '^200 ' "$out")
    read -r LOOP_P50 LOOP_P99 LOOP_MAX < <(sort -n -k2 "$out" | awk '{ t[NR] = $2 } END {
        printf "%.1f %.1f %.1f\n", t[int(NR * 0.5)] * 1000, t[int(NR * 0.99)] * 1000, t[NR] * 1000 }')
    grep -v '^200 ' "$out" | sort | uniq -c | head -n 5 | sed 's/^/#      not 200: /'
}
