#!/bin/sh
# Installs the Debian packages the project needs, only those missing.
# Run as root on Debian 12 (apt-get update first, once, when something is missing).
set -e
PKGS="make gcc libc6-dev binutils nasm grub-pc-bin grub-common xorriso mtools \
qemu-system-x86 qemu-utils libcmocka-dev python3 python3-pytest python3-dnslib \
python3-cryptography python3-cryptography-vectors openssl libssl-dev ca-certificates gnutls-bin nginx-light \
curl valgrind clang llvm libclang-rt-14-dev debootstrap iproute2 nftables ethtool radvd"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "deps: installing:$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "deps: run as root (or install these packages yourself)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing
fi
