#!/usr/bin/python3
"""Full TLS 1.3 handshakes per second: build/tlsget (our engine, --hs-only:
handshake + close_notify, full chain and CertificateVerify checks) against
OpenSSL clients doing the same: build/hostrel/bench_tls_osslclient (libssl,
chain + host name verified, new session each time) and, for reference,
`openssl s_time -new`; all against the same local `openssl s_server`
(ECDSA P-256 leaf, x25519, TLS_AES_128_GCM_SHA256), in the same run.
Prints the rates and the ratio against the libssl client (wall clock), and
writes the row to BENCH_ROWS_DIR/tls_handshake.tsv (bench_rows.py) for the
table `make bench` prints."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import bench_rows

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TLSGET = os.path.join(ROOT, "build", "tlsget")
SECS = float(os.environ.get("BENCH_SECS", "5"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def sh(*a, cwd):
    subprocess.run(a, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    d = tempfile.mkdtemp(prefix="bench-tls-")
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=bench CA",
       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", cwd=d)
    sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost", cwd=d)
    with open(os.path.join(d, "ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    sh("openssl", "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
       "-CAcreateserial", "-out", "leaf.pem", "-days", "1", "-extfile", "ext", cwd=d)
    port = free_port()
    srv = subprocess.Popen(["openssl", "s_server", "-tls1_3", "-quiet", "-naccept", "1000000",
                            "-accept", "127.0.0.1:%d" % port, "-cert", "leaf.pem", "-key", "leaf.key",
                            "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-groups", "X25519",
                            "-num_tickets", "0"],
                           cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        # ours: as many handshakes as fit in SECS (probe 20 first)
        def ours(n):
            p = subprocess.run([TLSGET, "https://localhost:%d/" % port, "--ca", "ca.pem",
                                "--hs-only", "--repeat", str(n)], cwd=d, capture_output=True,
                               text=True)
            m = re.search(r"= ([0-9.]+) handshakes/s", p.stderr)
            if p.returncode or not m:
                sys.exit("bench-tls: tlsget failed: " + p.stderr)
            return float(m.group(1))
        probe = ours(20)
        rate_ours = ours(max(20, int(probe * SECS)))
        # s_time reports user CPU seconds; rate by wall clock like ours
        t0 = time.time()
        p = subprocess.run(["openssl", "s_time", "-connect", "127.0.0.1:%d" % port, "-new",
                            "-time", str(int(SECS))], cwd=d, capture_output=True, text=True)
        wall = time.time() - t0
        m = re.search(r"(\d+) connections in ([0-9.]+)s", p.stdout)
        if not m:
            sys.exit("bench-tls: s_time failed: " + p.stdout + p.stderr)
        rate_ossl = int(m.group(1)) / wall
        n = max(20, int(rate_ours * SECS))
        p = subprocess.run([os.path.join(ROOT, "build", "hostrel", "bench_tls_osslclient"), "127.0.0.1",
                            str(port), "ca.pem", "localhost", str(n)], cwd=d, capture_output=True,
                           text=True)
        m = re.search(r"= ([0-9.]+) handshakes/s", p.stdout)
        if p.returncode or not m:
            sys.exit("bench-tls: libssl client failed: " + p.stdout + p.stderr)
        rate_lib = float(m.group(1))
        print("bench-tls handshakes/s (P-256 ECDSA leaf, x25519, AES-128-GCM, local s_server): "
              "tlsget %.1f  libssl client %.1f  ratio %.2f  (openssl s_time -new %.1f)"
              % (rate_ours, rate_lib, rate_ours / rate_lib, rate_ossl))
        bench_rows.write("tls_handshake", [("tls-handshakes", rate_ours, rate_lib, "handshakes/s")])
    finally:
        srv.kill()
        srv.wait()


if __name__ == "__main__":
    main()
