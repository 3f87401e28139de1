#!/usr/bin/env bash
# check_layers.sh — enforces the one-way flow of the source tree:
#   base < ingest/doc < ingest/text < {ingest/ner, ingest/timex} < ingest/resolve < ingest (driver)
#   < store < handlers < server
# A file may include a project header only from its own folder or from a lower layer; two folders
# of the same rank (ner, timex) may not include each other. libmicrohttpd is the server's alone
# (handlers get a request and return data), SQLite belongs to store/ (and the server, which owns the
# process). tests/, bench/, tools/ may include anything.
#
# Usage: tests/check_layers.sh [ROOT]     (default: the repository)
#        tests/check_layers.sh --self-test (proves the check fails on a wrong include)
set -euo pipefail

# Rank of a project path (file or header), or empty when the path is not in a layered folder.
rank_of() {
    case "$1" in
    base/*) echo 0 ;;
    ingest/doc.[ch]) echo 1 ;;
    ingest/text/*) echo 2 ;;
    ingest/ner/* | ingest/timex/*) echo 3 ;;
    ingest/resolve/*) echo 4 ;;
    ingest/*/*) echo 4 ;; # any further ingest subsystem sits with the corpus-wide passes
    ingest/*) echo 5 ;;
    store/*) echo 6 ;;
    handlers/*) echo 7 ;;
    server/*) echo 8 ;;
    *) echo "" ;;
    esac
}

check_tree() {
    local root=$1 bad=0 file inc fr ir
    while IFS= read -r file; do
        fr=$(rank_of "$file")
        [ -n "$fr" ] || continue
        while IFS= read -r inc; do
            ir=$(rank_of "$inc")
            [ -n "$ir" ] || continue
            [ "$(dirname "$inc")" = "$(dirname "$file")" ] && continue
            if [ "$ir" -ge "$fr" ] && ! [ "$ir" = 1 ] && ! [ "$fr" = 1 ]; then
                echo "check-layers: $file includes \"$inc\" from a layer at or above its own" >&2
                bad=1
            elif [ "$fr" = 1 ] && [ "$ir" -ge 1 ] && [ "$inc" != "ingest/doc.h" ]; then
                echo "check-layers: $file includes \"$inc\" from a layer above it" >&2
                bad=1
            fi
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$root/$file")
        case "$file" in
        server/*) ;;
        *) if grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*<microhttpd.h>' "$root/$file"; then
            echo "check-layers: $file includes <microhttpd.h>: only server/ talks HTTP" >&2
            bad=1
        fi ;;
        esac
        case "$file" in
        store/* | server/*) ;;
        *) if grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*<sqlite3.h>' "$root/$file"; then
            echo "check-layers: $file includes <sqlite3.h>: only store/ knows SQL" >&2
            bad=1
        fi ;;
        esac
    done < <(cd "$root" && find base ingest store handlers server -name '*.[ch]' 2>/dev/null | sort)
    return $bad
}

self_test() {
    local t
    t=$(mktemp -d)
    trap 'rm -rf "$t"' RETURN
    mkdir -p "$t/base" "$t/ingest/ner" "$t/ingest/timex" "$t/store" "$t/handlers" "$t/server"
    echo '#include "base/util.h"' >"$t/ingest/ner/ner.c"
    echo '#include "ingest/ner/ner.h"' >"$t/store/build.c"
    echo '#include "store/build.h"' >"$t/handlers/documents.c"
    echo '#include <microhttpd.h>' >"$t/server/http.c"
    touch "$t/base/util.h" "$t/ingest/ner/ner.h" "$t/store/build.h"
    if ! check_tree "$t" 2>/dev/null; then
        echo "check-layers self-test: a correct tree was rejected" >&2
        return 1
    fi
    local wrong
    for wrong in 'ingest/ner/ner.c:#include "store/build.h"' 'ingest/ner/ner.c:#include "ingest/timex/timex.h"' \
        'handlers/documents.c:#include <microhttpd.h>' 'base/util.h:#include "ingest/ner/ner.h"' \
        'handlers/documents.c:#include "server/http.h"' 'ingest/ner/ner.c:#include <sqlite3.h>'; do
        cp "$t/${wrong%%:*}" "$t/saved"
        echo "${wrong#*:}" >>"$t/${wrong%%:*}"
        if check_tree "$t" 2>/dev/null; then
            echo "check-layers self-test: the wrong include ${wrong} was not caught" >&2
            return 1
        fi
        mv "$t/saved" "$t/${wrong%%:*}"
    done
    echo "check-layers self-test: 7 passed, 0 failed"
}

if [ "${1:-}" = "--self-test" ]; then
    self_test
else
    root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
    if check_tree "$root"; then
        echo "check-layers: every include points down the pipeline"
    else
        exit 1
    fi
fi
