#!/bin/sh
# Makes a Debian 13 (trixie) root, once, for the peers Debian 12 lacks:
# OpenSSL 3.5 (ML-KEM, X25519MLKEM768) and its nginx. Programs run with
# `chroot DIR prog ...` and reach 127.0.0.1 without any mount.
#
#   scripts/trixie_root.sh [DIR]        (default build/trixie; root only)
#
# DIR/.trixie-stamp records what the root was made from (suite and package
# list); a root whose stamp matches is reused as it is, another one is made
# again. The root is built in DIR.new and renamed when complete, so an
# interrupted run never leaves a root that looks usable. A lock (DIR.lock)
# keeps parallel callers (make, pytest) from building it twice.
# The mirror is the one apt uses (TRIXIE_MIRROR overrides it).
# Exit status: 0 with DIR usable, 1 otherwise (the reason on stderr, the
# debootstrap log in DIR.log).
set -e
DIR=${1:-build/trixie}
SUITE=trixie
PKGS=openssl,nginx
STAMP="suite=$SUITE include=$PKGS variant=minbase"

if [ -f "$DIR/.trixie-stamp" ] && [ "$(cat "$DIR/.trixie-stamp")" = "$STAMP" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "trixie_root: debootstrap and chroot need root" >&2
    exit 1
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    echo "trixie_root: debootstrap is not installed (make deps)" >&2
    exit 1
fi

# The first non-security URI apt uses (deb822 sources, then sources.list).
mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n'
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f"
    done
}
MIRROR=${TRIXIE_MIRROR:-$(mirror | grep -v -- '-security' | grep -E '^https?://' | head -n 1)}
if [ -z "$MIRROR" ]; then
    echo "trixie_root: no Debian mirror found in apt's sources (set TRIXIE_MIRROR)" >&2
    exit 1
fi

mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9
# Another caller may have made it while this one waited for the lock.
if [ -f "$DIR/.trixie-stamp" ] && [ "$(cat "$DIR/.trixie-stamp")" = "$STAMP" ]; then
    exit 0
fi

echo "trixie_root: debootstrap $SUITE ($PKGS) from $MIRROR into $DIR (about a minute)"
rm -rf "$DIR.new"
if ! debootstrap --variant=minbase --include="$PKGS" "$SUITE" "$DIR.new" "$MIRROR" \
        >"$DIR.log" 2>&1; then
    echo "trixie_root: debootstrap failed, last lines of $DIR.log:" >&2
    tail -n 5 "$DIR.log" >&2
    rm -rf "$DIR.new"
    exit 1
fi
# Check the root does what it is for before declaring it usable.
if ! chroot "$DIR.new" openssl list -kem-algorithms 2>/dev/null | grep -q ML-KEM-768; then
    echo "trixie_root: the new root's openssl has no ML-KEM-768" >&2
    exit 1
fi
printf '%s' "$STAMP" > "$DIR.new/.trixie-stamp"
rm -rf "$DIR"
mv "$DIR.new" "$DIR"
echo "trixie_root: $DIR ready: $(chroot "$DIR" openssl version)"
