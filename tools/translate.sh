#!/usr/bin/env bash
# Build ./st80-c with the JIT: rpython --batch -Ojit targetst80.py
# Host: pypy (faster) or cpython. Prints the time taken and the binary's size.
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:-pypy}
site=.venv27/lib/python2.7/site-packages
# A build cache keyed by the sources: an identical tree reuses its binary.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/st80
key=$(cat targetst80.py $(find spyvm -name '*.py' | sort) $(find smalltalk -name '*.st' | sort) requirements.txt | sha256sum | cut -c1-16)
if [ -x "$cache/st80-c-$key" ]; then
    cp "$cache/st80-c-$key" st80-c.new && mv -f st80-c.new st80-c
    echo "translate: st80-c for these sources found in $cache (key $key)"
    exit 0
fi
start=$(date +%s)
log=$(mktemp /tmp/st80-translate.XXXXXX.log)
echo "translate: rpython --batch -Ojit targetst80.py (host $host; log $log)"
if [ "$host" = pypy ] && command -v pypy >/dev/null; then
    cmd=(env PYTHONPATH="$site" pypy -m rpython)
else
    cmd=(.venv27/bin/rpython)
fi
if ! "${cmd[@]}" --batch -Ojit --output=st80-c.new targetst80.py >"$log" 2>&1; then
    tail -40 "$log"
    echo "translate: FAILED (full log: $log)" >&2
    exit 1
fi
mv -f st80-c.new st80-c
mkdir -p "$cache" && cp st80-c "$cache/st80-c-$key.tmp" && mv -f "$cache/st80-c-$key.tmp" "$cache/st80-c-$key"
end=$(date +%s)
echo "translate: st80-c built in $((end - start)) s, $(du -h st80-c | cut -f1)"
