"""Differential test of crypto/mlkem.c against OpenSSL 3.5's ML-KEM-768
(Debian 13 root, `chroot build/trixie openssl ...`), no QEMU. Our side is
build/host/mlkem_tool (sanitized build/host/libos.a).

For MLKEM_OSSL_N (default 12) random seeds d || z:
  - key generation: our ek and dk from (d, z) equal those in OpenSSL's key
    made with `genpkey -pkeyopt hexseed:` from the same seed;
  - OpenSSL encapsulates to the key with a chosen m (`-pkeyopt hexikme:`):
    our ciphertext and secret from the same m are identical, and we
    decapsulate OpenSSL's ciphertext to its secret;
  - we encapsulate with another m and OpenSSL decapsulates to our secret;
  - malformed ciphertexts of the right length (one bit flipped in u, in v,
    in the last byte, all zero, all 0xff) take the implicit-rejection path:
    both sides give the same secret, which differs from the real one and
    equals J(z || ct) = SHAKE256(z || ct, 32) computed here (FIPS 203).
Once: ciphertexts one byte short or long are refused by both, and an
encapsulation key with a coefficient >= q (FIPS 203 7.2) is refused by both.
A failing assertion prints the seed, so a failure can be replayed."""
import hashlib
import os
import subprocess

import pytest

from trixie import ROOT, ossl35

N = int(os.environ.get("MLKEM_OSSL_N", "12"))
TOOL = os.path.join(ROOT, "build", "host", "mlkem_tool")
EK, DK, CT = 1184, 2400, 1088
OID_MLKEM768 = bytes.fromhex("0609608648016503040402")   # 2.16.840.1.101.3.4.4.2


@pytest.fixture(scope="module")
def tool():
    subprocess.run(["make", "-s", "-j2", "build/host/mlkem_tool"], cwd=ROOT, check=True)
    assert os.access(TOOL, os.X_OK)
    return TOOL


def ours(tool, *args):
    """(exit status, {name: bytes}) of mlkem_tool; errors come back as {"error": name}."""
    p = subprocess.run([tool, args[0], *[a.hex() for a in args[1:]]],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    assert p.returncode in (0, 2), p.stderr
    out = {}
    for line in p.stdout.splitlines():
        k, v = line.split(" ", 1)
        out[k] = v if k == "error" else bytes.fromhex(v)
    return p.returncode, out


def der(buf):
    """The elements of a DER SEQUENCE (or any constructed value): [(tag, value)]."""
    items, i = [], 0
    while i < len(buf):
        tag, n = buf[i], buf[i + 1]
        i += 2
        if n & 0x80:
            k = n & 0x7f
            n = int.from_bytes(buf[i:i + k], "big")
            i += k
        items.append((tag, buf[i:i + n]))
        i += n
    assert i == len(buf), "DER overrun"
    return items


def ossl_private(pkcs8):
    """(seed, dk) from OpenSSL's PKCS#8 ML-KEM-768 key (the seed-and-dk form)."""
    [(t, top)] = der(pkcs8)
    assert t == 0x30
    (tv, _), (ta, alg), (to, inner) = der(top)
    assert (tv, ta, to) == (0x02, 0x30, 0x04) and alg == OID_MLKEM768
    [(ts, both)] = der(inner)
    assert ts == 0x30
    (t1, seed), (t2, dk) = der(both)
    assert (t1, t2, len(seed), len(dk)) == (0x04, 0x04, 64, DK)
    return seed, dk


def ossl_public(spki):
    [(t, top)] = der(spki)
    (ta, alg), (tb, bits) = der(top)
    assert (t, ta, tb) == (0x30, 0x30, 0x03) and alg == OID_MLKEM768
    assert bits[0] == 0 and len(bits) == 1 + EK
    return bits[1:]


def spki_for(ek):
    """A SubjectPublicKeyInfo carrying ek as it is."""
    alg = b"\x30\x0b" + OID_MLKEM768
    bits = b"\x03\x82" + (len(ek) + 1).to_bytes(2, "big") + b"\x00" + ek
    body = alg + bits
    return b"\x30\x82" + len(body).to_bytes(2, "big") + body


def corruptions(ct, rnd):
    """Ciphertexts of the right length that fail re-encryption. Flipping the
    lowest bit of a coefficient (first byte of u, last byte of v) changes it
    too little to change the decrypted m: re-encryption then differs from
    the ciphertext in that one byte only, which only a comparison of every
    byte notices."""
    bit = int.from_bytes(rnd[:2], "big") % (960 * 8)         # inside u (960 bytes for k=3, du=10)
    bit_v = 960 * 8 + int.from_bytes(rnd[2:4], "big") % (128 * 8)   # inside v (128 bytes)
    flip = lambda b: ct[:b // 8] + bytes([ct[b // 8] ^ (1 << (b % 8))]) + ct[b // 8 + 1:]  # noqa: E731
    return {"bit in u": flip(bit), "bit in v": flip(bit_v), "low bit of u[0]": flip(0),
            "low bit of the last v": ct[:-1] + bytes([ct[-1] ^ 0x01]),
            "high bit of the last v": ct[:-1] + bytes([ct[-1] ^ 0x80]),
            "all zero": bytes(CT), "all 0xff": b"\xff" * CT}


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def ossl_decap(trixie, d, key, ct, name):
    write(d.h(name + ".ct"), ct)
    ossl35(trixie, "pkeyutl", "-decap", "-inkey", d.i(key), "-in", d.i(name + ".ct"),
           "-secret", d.i(name + ".ss"))
    return read(d.h(name + ".ss"))


@pytest.mark.parametrize("i", range(N))
def test_mlkem768_against_openssl35(i, tool, trixie, trixie_tmp):
    d = trixie_tmp
    seed, m1, m2, rnd = os.urandom(64), os.urandom(32), os.urandom(32), os.urandom(8)
    why = "seed=%s m1=%s m2=%s" % (seed.hex(), m1.hex(), m2.hex())
    z = seed[32:]

    # key generation from the same seed
    rc, k = ours(tool, "keygen", seed)
    assert rc == 0, (k, why)
    ossl35(trixie, "genpkey", "-algorithm", "ML-KEM-768", "-pkeyopt", "hexseed:" + seed.hex(),
           "-out", d.i("key.pem"))
    ossl35(trixie, "pkey", "-in", d.i("key.pem"), "-outform", "DER", "-out", d.i("key.der"))
    ossl35(trixie, "pkey", "-in", d.i("key.pem"), "-pubout", "-out", d.i("pub.pem"))
    ossl35(trixie, "pkey", "-in", d.i("key.pem"), "-pubout", "-outform", "DER", "-out", d.i("pub.der"))
    oseed, odk = ossl_private(read(d.h("key.der")))
    oek = ossl_public(read(d.h("pub.der")))
    assert oseed == seed, why
    assert k["ek"] == oek, "ek differs: " + why
    assert k["dk"] == odk, "dk differs: " + why

    # OpenSSL encapsulates to the key with m1; we do the same and decapsulate its ct
    ossl35(trixie, "pkeyutl", "-encap", "-pubin", "-inkey", d.i("pub.pem"), "-pkeyopt",
           "hexikme:" + m1.hex(), "-out", d.i("o.ct"), "-secret", d.i("o.ss"))
    oct_, oss = read(d.h("o.ct")), read(d.h("o.ss"))
    assert len(oct_) == CT and len(oss) == 32
    rc, e = ours(tool, "encaps", oek, m1)
    assert rc == 0, (e, why)
    assert e["ct"] == oct_ and e["ss"] == oss, "encaps(m1) differs: " + why
    rc, dec = ours(tool, "decaps", k["dk"], oct_)
    assert rc == 0 and dec["ss"] == oss, "decaps of OpenSSL's ct: " + why

    # we encapsulate with m2; OpenSSL decapsulates to our secret
    rc, e2 = ours(tool, "encaps", k["ek"], m2)
    assert rc == 0, (e2, why)
    assert ossl_decap(trixie, d, "key.pem", e2["ct"], "ours") == e2["ss"], "OpenSSL decaps ours: " + why

    # malformed ciphertexts: the same implicit-rejection secret on both sides
    for name, bad in corruptions(e2["ct"], rnd).items():
        rej = hashlib.shake_256(z + bad).digest(32)
        rc, r = ours(tool, "decaps", k["dk"], bad)
        assert rc == 0, (name, r, why)
        o = ossl_decap(trixie, d, "key.pem", bad, "bad")
        assert r["ss"] != e2["ss"], "%s: real secret returned: %s" % (name, why)
        assert r["ss"] == rej, "%s: ours is not J(z || ct): %s" % (name, why)
        assert o == r["ss"], "%s: OpenSSL's rejection secret differs: %s" % (name, why)


def test_mlkem768_malformed_lengths_and_keys(tool, trixie, trixie_tmp):
    """Inputs both sides must refuse rather than decapsulate: ciphertexts
    one byte short or long, and an ek whose first coefficient is 4095 >= q."""
    d = trixie_tmp
    seed = os.urandom(64)
    rc, k = ours(tool, "keygen", seed)
    assert rc == 0
    ossl35(trixie, "genpkey", "-algorithm", "ML-KEM-768", "-pkeyopt", "hexseed:" + seed.hex(),
           "-out", d.i("key.pem"))
    rc, e = ours(tool, "encaps", k["ek"], os.urandom(32))
    assert rc == 0
    for ct in (e["ct"][:-1], e["ct"] + b"\x00"):
        rc, r = ours(tool, "decaps", k["dk"], ct)
        assert rc == 2 and r["error"], (len(ct), r)
        write(d.h("len.ct"), ct)
        p = ossl35(trixie, "pkeyutl", "-decap", "-inkey", d.i("key.pem"), "-in", d.i("len.ct"),
                   "-secret", d.i("len.ss"), check=False)
        assert p.returncode != 0, "OpenSSL decapsulated a %d-byte ciphertext" % len(ct)

    # control: the well-formed ek, wrapped the same way, is taken by OpenSSL
    write(d.h("good.der"), spki_for(k["ek"]))
    ossl35(trixie, "pkeyutl", "-encap", "-pubin", "-keyform", "DER", "-inkey", d.i("good.der"),
           "-out", d.i("good.ct"), "-secret", d.i("good.ss"))
    bad_ek = b"\xff" + bytes([k["ek"][1] | 0x0f]) + k["ek"][2:]
    rc, r = ours(tool, "encaps", bad_ek, os.urandom(32))
    assert rc == 2 and "error" in r, r
    write(d.h("bad.der"), spki_for(bad_ek))
    p = ossl35(trixie, "pkeyutl", "-encap", "-pubin", "-keyform", "DER", "-inkey", d.i("bad.der"),
               "-out", d.i("bad.ct"), "-secret", d.i("bad.ss"), check=False)
    assert p.returncode != 0, "OpenSSL encapsulated to an ek with a coefficient >= q"
