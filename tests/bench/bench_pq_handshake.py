#!/usr/bin/python3
"""Full TLS 1.3 handshakes per second of build/tlsget (--hs-only: handshake,
chain and CertificateVerify checks, close_notify) with X25519MLKEM768
against x25519, both against the same OpenSSL 3.5 `s_server` from the
Debian 13 root (ECDSA P-256 leaf, TLS_AES_128_GCM_SHA256), in the same run,
alternating the two offers over ROUNDS rounds. Prints each round's rates,
the group each offer negotiated, and the ratio hybrid / x25519.
Usage: bench_pq_handshake.py TLSGET TRIXIE_ROOT"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
N = int(os.environ.get("BENCH_HANDSHAKES", "300"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def sh(*a, cwd):
    subprocess.run(a, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tlsget(binary, port, ca, groups, n):
    p = subprocess.run([binary, "https://localhost:%d/" % port, "--connect", "127.0.0.1:%d" % port,
                        "--ca", ca, "--hs-only", "--repeat", str(n), "--groups", groups],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    rate = re.search(r"= ([0-9.]+) handshakes/s", p.stderr)
    group = re.search(r" group=(\S+)", p.stderr)
    if p.returncode != 0 or not rate or not group:
        sys.exit("bench-pq-handshake: tlsget failed: " + p.stderr[-2000:])
    return float(rate.group(1)), group.group(1)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    made = subprocess.run(["sh", "scripts/trixie_root.sh", root], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if made.returncode != 0:
        print("bench-pq-handshake: skipped: no Debian 13 root (%s)" % made.stdout.strip()[-300:])
        return
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    d = tempfile.mkdtemp(prefix="bench-pq-", dir=os.path.join(root, "tmp"))
    inside = "/tmp/" + os.path.basename(d)
    try:
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=bench CA",
           "-addext", "basicConstraints=critical,CA:TRUE",
           "-addext", "keyUsage=critical,keyCertSign", cwd=d)
        sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost", cwd=d)
        with open(os.path.join(d, "leaf.ext"), "w") as f:
            f.write("subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n")
        sh("openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
           "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "leaf.ext", cwd=d)
        port = free_port()
        srv = subprocess.Popen(["chroot", root, "openssl", "s_server", "-tls1_3", "-quiet",
                                "-accept", "127.0.0.1:%d" % port, "-cert", inside + "/leaf.pem",
                                "-key", inside + "/leaf.key", "-ciphersuites",
                                "TLS_AES_128_GCM_SHA256", "-naccept", str(2 * ROUNDS * N + 10)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            ca = os.path.join(d, "ca.pem")
            ratios = []
            for r in range(ROUNDS):
                hy, hg = tlsget(binary, port, ca, "x25519mlkem768,x25519", N)
                x, xg = tlsget(binary, port, ca, "x25519", N)
                ratios.append(hy / x)
                print("bench-pq-handshake round %d: %s %.1f handshakes/s, %s %.1f handshakes/s, "
                      "ratio %.2f" % (r + 1, hg, hy, xg, x, hy / x), flush=True)
                if hg != "X25519MLKEM768" or xg != "x25519":
                    sys.exit("bench-pq-handshake: unexpected groups %s / %s" % (hg, xg))
            ratios.sort()
            print("bench-pq-handshake: tlsget with X25519MLKEM768 / with x25519 against OpenSSL 3.5 "
                  "s_server, median ratio %.2f over %d rounds of %d handshakes"
                  % (ratios[len(ratios) // 2], ROUNDS, N))
        finally:
            srv.kill()
            srv.wait()
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
