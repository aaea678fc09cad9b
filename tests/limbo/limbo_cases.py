#!/usr/bin/python3
"""Convert x509-limbo's JSON (decompressed) into the line format limbo_run reads.

Usage: limbo_cases.py limbo.json out.txt

One line per testcase, tab-separated:
  id  expected  time  kind  peer_name  max_depth  features  trusted  untrusted  peer
expected is SUCCESS or FAILURE; time is Unix seconds (-1: no validation_time,
use the current time); kind is DNS, IP or '-' (no expected peer name) and
prefixed CLIENT: for client validations; max_depth is -1 when absent; features
is a comma list or '-'; trusted and untrusted are comma lists of hex DER
certificates ('-' when empty), peer one hex DER certificate. Certificates
that are not valid PEM/base64 are written as 'x' (an unparsable certificate).
Run at test time (tls/x509.mk, make test-limbo): nothing here is committed
output, and the suite itself stays in ../shared/limbo.
"""
import base64
import binascii
import datetime
import json
import re
import sys

PEM_RE = re.compile(r"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


def der_hex(pem):
    m = PEM_RE.search(pem or "")
    if not m:
        return "x"
    try:
        return base64.b64decode("".join(m.group(1).split()), validate=True).hex()
    except (binascii.Error, ValueError):
        return "x"


def hexlist(pems):
    return ",".join(der_hex(p) for p in pems) if pems else "-"


def field(s):
    s = str(s)
    if not s or any(c in s for c in "\t\n\r"):
        return "-"
    return s


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        suite = json.load(f)
    out = []
    for tc in suite["testcases"]:
        t = tc.get("validation_time")
        when = -1
        if t:
            when = int(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp())
        peer = tc.get("expected_peer_name") or {}
        kind = peer.get("kind") or "-"
        if tc["validation_kind"] != "SERVER":
            kind = "CLIENT:" + kind
        depth = tc.get("max_chain_depth")
        out.append("\t".join([
            field(tc["id"]), field(tc["expected_result"]), str(when), kind,
            field(peer.get("value") or "-"), str(-1 if depth is None else depth),
            ",".join(tc.get("features") or []) or "-",
            hexlist(tc.get("trusted_certs")), hexlist(tc.get("untrusted_intermediates")),
            der_hex(tc.get("peer_certificate")),
        ]))
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
