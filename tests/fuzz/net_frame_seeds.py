#!/usr/bin/python3
"""Seed inputs for fuzz_net_frame (format in tests/fuzz/fuzz_net_frame.c):
fragmented datagrams the fuzzer would take long to build by itself.

Usage: net_frame_seeds.py CORPUS_DIR

Every seed starts with 0x06: static address 10.0.2.15, IPv4 header checksums
rewritten by the harness, frames of 58 bytes (Ethernet 14 + IPv4 20 + 24).
"""
import os
import struct
import sys

OUR_MAC = bytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
GW_MAC = bytes([0x52, 0x55, 0x0a, 0x00, 0x02, 0x02])
GW = bytes([10, 0, 2, 2])
ME = bytes([10, 0, 2, 15])
MF = 0x2000


def inet_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fragment(proto, ident, frag, data):
    """One 58-byte frame: bytes of a datagram at offset (frag & 0x1fff) * 8."""
    assert len(data) == 24
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, frag, 64, proto, 0,
                     GW, ME)                      # checksum: the harness fills it
    return OUR_MAC + GW_MAC + b"\x08\x00" + ip + data


def dns_answer_udp():
    """The answer to the harness's query for a.test (id and port come from its
    constant 0x5A random bytes), A 10.1.2.3, from 10.0.2.2:53; 48 bytes."""
    msg = struct.pack("!HHHHHH", 0x5A5A, 0x8180, 1, 1, 0, 0)
    msg += b"\x01a\x04test\x00" + struct.pack("!HH", 1, 1)
    msg += bytes([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3])
    port = 49152 + 0x5A5A % 16384                 # udp_open(0) with those bytes
    return struct.pack("!HHHH", 53, port, 8 + len(msg), 0) + msg


def echo_request():
    icmp = bytearray(b"\x08\x00\x00\x00\x12\x34\x00\x01" + bytes(range(40)))
    struct.pack_into("!H", icmp, 2, inet_checksum(bytes(icmp)))
    return bytes(icmp)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    udp, icmp = dns_answer_udp(), echo_request()
    seeds = {
        # the DNS answer in two fragments, last one first
        "seed-frag-dns": [fragment(17, 0x100, 3, udp[24:]), fragment(17, 0x100, MF, udp[:24])],
        # an echo request: first fragment twice, then the last
        "seed-frag-echo": [fragment(1, 0x101, MF, icmp[:24]), fragment(1, 0x101, MF, icmp[:24]),
                           fragment(1, 0x101, 3, icmp[24:])],
    }
    for name, frames in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"\x06" + b"".join(frames))


if __name__ == "__main__":
    main()
