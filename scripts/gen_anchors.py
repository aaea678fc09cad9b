#!/usr/bin/python3
"""Turn PEM certificate bundles and a pin list into a C trust-anchor table.

Usage: gen_anchors.py --bundle A.pem [--bundle B.pem ...] [--pins 'host=sha256/B64 ...'] -o out.c

For every certificate the table keeps what path validation needs from a trust
anchor (RFC 5280 6.1.1 d): the subject Name DER and the SubjectPublicKeyInfo
DER, both copied byte for byte from the certificate, plus the SHA-256 of the
SPKI (the RFC 7469 pin value), and the constraints the anchor's certificate
carries, which the verifier applies to every path through it: notAfter,
nameConstraints (content bytes and criticality), pathLenConstraint and
extendedKeyUsage. Duplicates (same subject and key) are dropped. It prints
how many anchors are already past notAfter and how many are constrained.
Only the Python standard library is used: a small DER walker finds the fields.
"""
import argparse
import base64
import calendar
import hashlib
import time
import re
import sys


class DerError(Exception):
    pass


def read_tlv(buf, pos, end):
    """Return (tag, header_start, value_start, value_end) of the element at pos."""
    if pos + 2 > end:
        raise DerError("truncated header")
    tag = buf[pos]
    if tag & 0x1F == 0x1F:
        raise DerError("high tag number")
    l0 = buf[pos + 1]
    hdr = 2
    if l0 < 0x80:
        length = l0
    elif l0 == 0x80:
        raise DerError("indefinite length")
    else:
        nb = l0 & 0x7F
        if nb > 4 or pos + 2 + nb > end:
            raise DerError("bad length")
        length = int.from_bytes(buf[pos + 2:pos + 2 + nb], "big")
        hdr = 2 + nb
    vstart = pos + hdr
    if vstart + length > end:
        raise DerError("truncated value")
    return tag, pos, vstart, vstart + length


OID_BC = b"\x55\x1d\x13"
OID_NC = b"\x55\x1d\x1e"
OID_EKU = b"\x55\x1d\x25"
OID_EKU_ANY = b"\x55\x1d\x25\x00"
OID_KP_SERVER_AUTH = b"\x2b\x06\x01\x05\x05\x07\x03\x01"


def children(der, start, end):
    out = []
    pos = start
    while pos < end:
        t = read_tlv(der, pos, end)
        out.append(t)
        pos = t[3]
    return out


def der_time(der, tlv):
    """UTCTime / GeneralizedTime (RFC 5280 4.1.2.5) to Unix seconds."""
    tag, _, v, e = tlv
    s = der[v:e].decode("ascii")
    if tag == 0x17 and len(s) == 13 and s.endswith("Z"):
        yy = int(s[0:2])
        s = ("19" if yy >= 50 else "20") + s
    elif not (tag == 0x18 and len(s) == 15 and s.endswith("Z")):
        raise DerError("bad time")
    return calendar.timegm((int(s[0:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]),
                            int(s[10:12]), int(s[12:14]), 0, 0, 0))


def constraints(der, ext_tlv):
    """{nc, nc_critical, path_len, eku} from the [3] Extensions of a certificate."""
    out = {"nc": None, "nc_critical": 0, "path_len": None, "eku": None}
    _, _, v, e = ext_tlv
    (t, _, sv, se), = children(der, v, e)
    if t != 0x30:
        raise DerError("bad extensions")
    for t, _, xv, xe in children(der, sv, se):
        parts = children(der, xv, xe)
        oid = der[parts[0][2]:parts[0][3]]
        crit = len(parts) == 3 and parts[1][0] == 0x01 and der[parts[1][2]] != 0
        _, _, ov, oe = parts[-1]
        (vt, _, vv, ve), = children(der, ov, oe)
        if oid == OID_BC:
            for it, _, iv, ie in children(der, vv, ve):
                if it == 0x02:
                    out["path_len"] = min(int.from_bytes(der[iv:ie], "big"), 255)
        elif oid == OID_NC:
            out["nc"] = der[vv:ve]
            out["nc_critical"] = 1 if crit else 0
        elif oid == OID_EKU:
            oids = [der[ov2:oe2] for _, _, ov2, oe2 in children(der, vv, ve)]
            out["eku"] = OID_KP_SERVER_AUTH in oids or OID_EKU_ANY in oids
    return out


def anchor_fields(der):
    """(subject DER, SPKI DER, common name or '', notAfter, constraints) from a certificate."""
    tag, _, cv, ce = read_tlv(der, 0, len(der))
    if tag != 0x30:
        raise DerError("not a SEQUENCE")
    tag, _, tv, te = read_tlv(der, cv, ce)
    if tag != 0x30:
        raise DerError("no tbsCertificate")
    fields = children(der, tv, te)
    if fields and fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    # serial, signature, issuer, validity, subject, spki
    if len(fields) < 6:
        raise DerError("short tbsCertificate")
    _, sh, _, se = fields[4]
    _, kh, _, ke = fields[5]
    subject = der[sh:se]
    _, _, vv, ve = fields[3]
    times = children(der, vv, ve)
    if len(times) != 2:
        raise DerError("bad validity")
    not_after = der_time(der, times[1])
    cons = {"nc": None, "nc_critical": 0, "path_len": None, "eku": None}
    for f in fields[6:]:
        if f[0] == 0xA3:
            cons = constraints(der, f)
    return subject, der[kh:ke], common_name(der, fields[4]), not_after, cons


def common_name(der, subj):
    """Last CN value in a Name, as printable ASCII for a comment."""
    cn = ""
    _, _, pos, end = subj
    try:
        while pos < end:
            _, _, sv, se = read_tlv(der, pos, end)
            p = sv
            while p < se:
                _, _, av, ae = read_tlv(der, p, se)
                _, _, ov, oe = read_tlv(der, av, ae)
                _, _, vv, ve = read_tlv(der, oe, ae)
                if der[ov:oe] == b"\x55\x04\x03":
                    cn = der[vv:ve].decode("utf-8", "replace")
                p = ae
            pos = se
    except DerError:
        pass
    return "".join(c if 32 <= ord(c) < 127 and c not in "*/\\" else "?" for c in cn)


PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.S)


def load_bundle(path):
    with open(path, "rb") as f:
        data = f.read()
    certs = [base64.b64decode(b"".join(m.group(1).split())) for m in PEM_RE.finditer(data)]
    if not certs:
        raise SystemExit(f"gen_anchors: no certificates in {path}")
    return certs


HOST_RE = re.compile(r"^[A-Za-z0-9_.:\-\[\]]{1,253}$")


def parse_pins(text):
    pins = []
    for item in (text or "").split():
        host, sep, val = item.partition("=")
        if not sep or not HOST_RE.match(host) or not val.startswith("sha256/"):
            raise SystemExit(f"gen_anchors: bad pin {item!r} (want host=sha256/BASE64)")
        try:
            raw = base64.b64decode(val[len("sha256/"):], validate=True)
        except ValueError:
            raise SystemExit(f"gen_anchors: bad base64 in pin {item!r}")
        if len(raw) != 32:
            raise SystemExit(f"gen_anchors: pin {item!r} is not 32 bytes")
        host = host.lower().rstrip(".")
        pins.append((host, raw))
    return pins


def c_bytes(b, indent="    "):
    out = []
    for i in range(0, len(b), 16):
        out.append(indent + ", ".join(f"0x{x:02x}" for x in b[i:i + 16]) + ",")
    return "\n".join(out)


def generate(bundles, pins, now=None):
    """(C text, summary line)."""
    now = int(time.time()) if now is None else now
    seen = set()
    anchors = []
    skipped = 0
    for path in bundles:
        for der in load_bundle(path):
            try:
                subject, spki, cn, not_after, cons = anchor_fields(der)
            except (DerError, ValueError, IndexError):
                skipped += 1
                continue
            key = (subject, spki)
            if key in seen:
                continue
            seen.add(key)
            anchors.append((subject, spki, cn, not_after, cons))
    expired = [a[2] for a in anchors if a[3] < now]
    constrained = [a[2] for a in anchors
                   if a[4]["nc"] is not None or a[4]["path_len"] is not None or a[4]["eku"] is not None]
    summary = (f"gen_anchors: {len(anchors)} anchors, {len(expired)} past notAfter (not used), "
               f"{len(constrained)} constrained (nameConstraints, pathLen or EKU), "
               f"{len(pins)} pins, {skipped} unparsable certificates skipped")
    lines = [
        "/* Generated by scripts/gen_anchors.py; do not edit. */",
        f"/* Sources: {', '.join(bundles)}; {len(anchors)} anchors ({len(expired)} past notAfter "
        f"at generation, {len(constrained)} constrained), {len(pins)} pins, "
        f"{skipped} unparsable certificates skipped. */",
        '#include "tls/anchors.h"',
        "",
    ]
    for i, (subject, spki, cn, _, cons) in enumerate(anchors):
        lines.append(f"/* {cn} */")
        lines.append(f"static const uint8_t ta{i}_subject[{len(subject)}] = {{\n{c_bytes(subject)}\n}};")
        lines.append(f"static const uint8_t ta{i}_spki[{len(spki)}] = {{\n{c_bytes(spki)}\n}};")
        if cons["nc"] is not None:
            lines.append(f"static const uint8_t ta{i}_nc[{len(cons['nc'])}] = {{\n{c_bytes(cons['nc'])}\n}};")
    if anchors:
        lines.append("static const struct x509_anchor anchors[] = {")
        for i, (subject, spki, cn, not_after, cons) in enumerate(anchors):
            h = hashlib.sha256(spki).digest()
            nc = cons["nc"] is not None
            pl = cons["path_len"]
            eku = cons["eku"]
            lines.append(f"    {{.subject = ta{i}_subject, .subject_len = sizeof ta{i}_subject,")
            lines.append(f"     .spki = ta{i}_spki, .spki_len = sizeof ta{i}_spki,")
            lines.append(f"     .spki_sha256 = {{{', '.join(f'0x{x:02x}' for x in h)}}},")
            lines.append(f"     .not_after = {not_after}LL,{' /* past notAfter */' if not_after < now else ''}")
            lines.append(f"     .nc = {f'ta{i}_nc' if nc else '0'}, .nc_len = {f'sizeof ta{i}_nc' if nc else '0'}, "
                         f".nc_critical = {cons['nc_critical']},")
            lines.append(f"     .has_path_len = {0 if pl is None else 1}, .path_len = {pl or 0},")
            lines.append(f"     .has_eku = {0 if eku is None else 1}, .eku_server_auth = {1 if eku else 0}}},")
        lines.append("};")
    if pins:
        lines.append("static const struct x509_pin pins[] = {")
        for host, raw in pins:
            lines.append(f'    {{"{host}", {{{", ".join(f"0x{x:02x}" for x in raw)}}}}},')
        lines.append("};")
    lines.append("const struct x509_trust x509_builtin_trust = {")
    lines.append(f"    {'anchors' if anchors else '0'}, {len(anchors)},")
    lines.append(f"    {'pins' if pins else '0'}, {len(pins)},")
    lines.append("};")
    return "\n".join(lines) + "\n", summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", action="append", default=[], help="PEM bundle (repeatable)")
    ap.add_argument("--pins", default="", help="'host=sha256/BASE64 ...'")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    bundles = [b for b in a.bundle if b]
    if not bundles:
        raise SystemExit("gen_anchors: no bundle given")
    text, summary = generate(bundles, parse_pins(a.pins))
    with open(a.output, "w") as f:
        f.write(text)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
