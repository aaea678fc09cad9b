#!/usr/bin/python3
"""ML-KEM-768 keygen / encaps / decaps per second, ours beside OpenSSL 3.5's
in the same run (make bench-mlkem).

Ours: `bench_pq mlkem` (crypto/mlkem.c at -O2, fixed seeds, CPU time of the
thread). OpenSSL 3.5: `openssl speed -mr -seconds N ML-KEM-768` run inside
the Debian 13 root (scripts/trixie_root.sh; user CPU time, fresh random
seeds for each keygen and encaps). Both single-threaded on the same machine.
When the root cannot be made, the OpenSSL column says why and the run still
prints our figures. The rows also go to BENCH_ROWS_DIR/mlkem.tsv
(bench_rows.py) for the table `make bench` prints, the OpenSSL figure "-"
(not measured) without the root.

usage: bench_mlkem.py BENCH_PQ_BIN TRIXIE_DIR [SECONDS]"""
import os
import re
import subprocess
import sys

import bench_rows

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OPS = ("keygen", "encaps", "decaps")


def ours(bench_pq):
    out = subprocess.run([bench_pq, "mlkem"], check=True, stdout=subprocess.PIPE, text=True).stdout
    rates = {}
    for op in OPS:
        m = re.search(r"^\s+%s\s+([0-9.]+)\s*$" % op, out, re.M)
        if not m:
            raise SystemExit("bench-mlkem: no %s row in bench_pq's output:\n%s" % (op, out))
        rates[op] = float(m.group(1))
    return rates


def parse_speed(out):
    """`openssl speed -mr` for a KEM ends with `+F9:INDEX:keygen/s:encaps/s:decaps/s`."""
    m = re.search(r"^\+F9:\d+:([0-9.]+):([0-9.]+):([0-9.]+)\s*$", out, re.M)
    if not m:
        return None
    return dict(zip(OPS, (float(x) for x in m.groups())))


def openssl35(trixie, seconds):
    """(rates, version) or (None, reason)."""
    mk = subprocess.run(["sh", os.path.join(ROOT, "scripts", "trixie_root.sh"), trixie],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if mk.returncode != 0:
        return None, "Debian 13 root unavailable: " + mk.stdout.strip().splitlines()[-1]
    version = subprocess.run(["chroot", trixie, "openssl", "version"], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    p = subprocess.run(["chroot", trixie, "openssl", "speed", "-mr", "-seconds", str(seconds),
                        "ML-KEM-768"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rates = parse_speed(p.stdout)
    if p.returncode != 0 or rates is None:
        return None, "openssl speed failed: " + p.stdout.strip()[-200:]
    return rates, version


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    bench_pq, trixie = sys.argv[1], sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) == 4 else 2
    mine = ours(bench_pq)
    theirs, note = openssl35(trixie, seconds)
    print("ML-KEM-768 ops/s (single thread, CPU time): ours vs %s" %
          (note if theirs else "OpenSSL 3.5 (skipped)"))
    print("%-10s %12s %14s %7s" % ("operation", "ours ops/s", "OpenSSL ops/s", "ratio"))
    for op in OPS:
        if theirs:
            print("%-10s %12.0f %14.0f %7.2f" % (op, mine[op], theirs[op], mine[op] / theirs[op]))
        else:
            print("%-10s %12.0f %14s %7s" % (op, mine[op], "-", "-"))
    if not theirs:
        print("bench-mlkem: OpenSSL 3.5 rows skipped (%s)" % note)
    bench_rows.write("mlkem", [("mlkem768-" + op, mine[op], theirs[op] if theirs else None, "ops/s",
                                note) for op in OPS])


if __name__ == "__main__":
    main()
