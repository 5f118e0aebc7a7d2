#!/usr/bin/env bash
# Set up everything st80 needs on a fresh Debian bookworm machine (idempotent).
#  - CPython 2.7 and PyPy 2.7 from Debian bullseye, pinned low so nothing else moves
#  - libsdl2-dev (the translated binary's window), zlib1g-dev (screenshots), xvfb + xdotool + xclip (desktop tests)
#  - pip 20.3.4 for 2.7 from its wheel, virtualenv, and .venv27 with pinned requirements
# A second run only checks and takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv27
STAMP=$VENV/.st80-setup-stamp
REQ=$ROOT/requirements.txt

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

say() { echo "setup: $*"; }

need_apt=""
for pkg in python2.7 python2.7-dev pypy libsdl2-dev zlib1g-dev xvfb xdotool xclip; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt="$need_apt $pkg"
done

if [ -n "$need_apt" ]; then
    if ! grep -rqs "bullseye" /etc/apt/sources.list /etc/apt/sources.list.d/; then
        uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
        [ -n "$uri" ] || uri=http://deb.debian.org/debian
        say "adding Debian bullseye ($uri) with a low pin"
        $SUDO tee /etc/apt/sources.list.d/st80-bullseye.list >/dev/null <<EOT
deb $uri bullseye main
EOT
        $SUDO tee /etc/apt/preferences.d/st80-bullseye >/dev/null <<EOT
Package: *
Pin: release n=bullseye
Pin-Priority: 100
EOT
    fi
    say "installing$need_apt"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq -t bullseye python2.7 python2.7-dev pypy >/dev/null
    $SUDO apt-get install -y -qq libsdl2-dev zlib1g-dev xvfb xdotool xclip >/dev/null
fi

PY27=/usr/bin/python2.7
if [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP" && [ -x "$VENV/bin/python" ]; then
    say "up to date ($VENV)"
    exit 0
fi

if ! $PY27 -m virtualenv --version >/dev/null 2>&1; then
    say "bootstrapping pip and virtualenv for Python 2.7"
    tmp=$(mktemp -d)
    python3 -m pip download -q --no-deps -d "$tmp" pip==20.3.4 2>/dev/null
    whl=$(ls "$tmp"/pip-20.3.4-*.whl)
    pipq() { $PY27 "$whl/pip" install -q --user --disable-pip-version-check --no-warn-script-location "$@" 2>&1 \
                 | { grep -v -i -e warning -e deprecation || true; }; }
    pipq setuptools==44.1.1 wheel==0.37.1
    pipq virtualenv==20.15.1
    rm -rf "$tmp"
fi

if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    $PY27 -m virtualenv -q "$VENV"
fi
say "installing pinned requirements"
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REQ" 2>&1 \
    | { grep -v -i -e warning -e deprecation || true; }
"$VENV/bin/python" -c "import rpython, pytest, pygame" >/dev/null
cp "$REQ" "$STAMP"
say "done"
