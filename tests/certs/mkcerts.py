#!/usr/bin/python3
"""Craft the X.509 test certificates for tests/unit/test_x509.c at test time.

Usage: mkcerts.py OUTDIR

Writes DER certificates (NAME.der), a few private keys (NAME.key, PEM) and
TLS-style signatures (NAME.sig over tls_content.bin) into OUTDIR. Keys and
certificates are made with python3-cryptography (OpenSSL underneath); the
RSA-PSS-signed certificates are made with the openssl command line, which
python3-cryptography 38 cannot do. Nothing here is checked in: every run of a
fresh build directory makes new keys. A marker file holding this script's
SHA-256 skips the work when the directory is already complete; a new set is
built in a temporary directory and renamed into place, so concurrent runs
never see a half-written set.

Validity: ordinary certificates run 2024-01-01 .. 2045-01-01 (the tests use
the current time); "expired" ones end 2024-06-01 and "not yet valid" ones
start 2044-01-01.
"""
import datetime
import hashlib
import os
import shutil
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

FINAL = sys.argv[1].rstrip("/")
OUT = "%s.tmp%d" % (FINAL, os.getpid())  # built aside, renamed into place when complete
T0 = datetime.datetime(2024, 1, 1)
T_END = datetime.datetime(2045, 1, 1)
SERIAL = [1000]


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key(curve=ec.SECP256R1):
    return ec.generate_private_key(curve())


def save(nm, cert, key=None):
    with open(os.path.join(OUT, nm + ".der"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.DER))
    with open(os.path.join(OUT, nm + ".pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        with open(os.path.join(OUT, nm + ".key"), "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))


def make(nm, subject_cn, key, issuer_cn=None, issuer_key=None, ca=None, pathlen=None,
         ku=None, eku=(ExtendedKeyUsageOID.SERVER_AUTH,), dns=(), ips=(), start=T0, end=T_END,
         alg=hashes.SHA256(), extra=(), bc=True, write=True, subject=None):
    """ca=None: leaf; ca=True/False: basicConstraints cA value (bc=False omits it)."""
    issuer_cn = issuer_cn or subject_cn
    issuer_key = issuer_key or key
    SERIAL[0] += 1
    b = (x509.CertificateBuilder()
         .subject_name(subject or name(subject_cn)).issuer_name(name(issuer_cn))
         .public_key(key.public_key()).serial_number(SERIAL[0])
         .not_valid_before(start).not_valid_after(end))
    if ca is not None and bc:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen if ca else None),
                            critical=True)
    if ca:
        b = b.add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False,
                                          key_cert_sign=ku is None or "certsign" in ku,
                                          crl_sign=True, encipher_only=False,
                                          decipher_only=False), critical=True)
    else:
        if ku is not False:
            b = b.add_extension(x509.KeyUsage(digital_signature=ku is None or "digsig" in ku,
                                              content_commitment=False,
                                              key_encipherment=ku is None or "encipher" in ku,
                                              data_encipherment=False, key_agreement=False,
                                              key_cert_sign=ku is not None and "certsign" in ku,
                                              crl_sign=False, encipher_only=False,
                                              decipher_only=False), critical=True)
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
        sans = [x509.DNSName(d) for d in dns]
        import ipaddress
        sans += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        if sans:
            b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    for ext, crit in extra:
        b = b.add_extension(ext, critical=crit)
    cert = b.sign(issuer_key, alg)
    if write:
        save(nm, cert, key)
    return cert


def openssl_pss(nm, subject_cn, issuer, hashname, dns):
    """Leaf with a fresh RSA-2048 key, signed by issuer with RSASSA-PSS."""
    key = rsa_key()
    kp = os.path.join(OUT, nm + ".key")
    with open(kp, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    csr = (x509.CertificateSigningRequestBuilder().subject_name(name(subject_cn))
           .sign(key, hashes.SHA256()))
    csrp = os.path.join(OUT, nm + ".csr")
    with open(csrp, "wb") as f:
        f.write(csr.public_bytes(serialization.Encoding.PEM))
    extp = os.path.join(OUT, nm + ".ext")
    with open(extp, "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectAltName=" + ",".join("DNS:" + d for d in dns) + "\n")
    SERIAL[0] += 1
    subprocess.run(["openssl", "x509", "-req", "-in", csrp, "-CA", os.path.join(OUT, issuer + ".pem"),
                    "-CAkey", os.path.join(OUT, issuer + ".key"), "-set_serial", str(SERIAL[0]),
                    "-days", "3650", "-" + hashname, "-sigopt", "rsa_padding_mode:pss",
                    "-sigopt", "rsa_pss_saltlen:digest", "-sigopt", "rsa_mgf1_md:" + hashname,
                    "-extfile", extp, "-outform", "DER", "-out", os.path.join(OUT, nm + ".der")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tls_sig(nm, key, content):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        h = hashes.SHA256() if key.curve.key_size == 256 else hashes.SHA384()
        sig = key.sign(content, ec.ECDSA(h))
    else:
        sig = key.sign(content, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                       hashes.SHA256())
    with open(os.path.join(OUT, nm + ".sig"), "wb") as f:
        f.write(sig)


def main():
    me = hashlib.sha256(open(__file__, "rb").read()).hexdigest()
    try:
        if open(os.path.join(FINAL, "DONE")).read().strip() == me:
            return 0
    except OSError:
        pass
    os.makedirs(OUT)
    try:
        build(me)
    except BaseException:
        shutil.rmtree(OUT, ignore_errors=True)
        raise
    shutil.rmtree(FINAL, ignore_errors=True)  # a stale set from an older script
    try:
        os.rename(OUT, FINAL)
    except OSError:
        shutil.rmtree(OUT, ignore_errors=True)  # a concurrent run got there first
    return 0


def build(me):

    # Roots and intermediates
    root_rsa_k = rsa_key()
    make("root_rsa", "Test Root RSA", root_rsa_k, ca=True)
    root_ec_k = ec_key(ec.SECP384R1)
    make("root_ec", "Test Root EC", root_ec_k, ca=True, alg=hashes.SHA384())
    inter_rsa_k = rsa_key()
    make("inter_rsa", "Test Inter RSA", inter_rsa_k, "Test Root RSA", root_rsa_k, ca=True, pathlen=0)
    inter_ec_k = ec_key()
    make("inter_ec", "Test Inter EC", inter_ec_k, "Test Root EC", root_ec_k, ca=True,
         alg=hashes.SHA384())

    # Leaves
    leaf_rsa_k = rsa_key()
    make("leaf_rsa", "www.example.test", leaf_rsa_k, "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test", "*.wild.example.test"), ips=("127.0.0.1", "::1"))
    leaf_ec_k = ec_key()
    make("leaf_ec256", "ec.example.test", leaf_ec_k, "Test Inter EC", inter_ec_k,
         dns=("ec.example.test",))
    leaf_ec384_k = ec_key(ec.SECP384R1)
    make("leaf_ec384", "ec384.example.test", leaf_ec384_k, "Test Inter EC", inter_ec_k,
         dns=("ec384.example.test",), alg=hashes.SHA512())
    make("leaf_rsa4096", "big.example.test", rsa_key(4096), "Test Inter RSA", inter_rsa_k,
         dns=("big.example.test",), alg=hashes.SHA384())
    make("leaf_rsa_sha512", "sha512.example.test", rsa_key(), "Test Root RSA", root_rsa_k,
         dns=("sha512.example.test",), alg=hashes.SHA512())
    make("leaf_rsa1024", "small.example.test", rsa_key(1024), "Test Inter RSA", inter_rsa_k,
         dns=("small.example.test",))
    make("leaf_expired", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), end=datetime.datetime(2024, 6, 1))
    make("leaf_notyet", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), start=datetime.datetime(2044, 1, 1))
    make("leaf_clientauth", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
    make("leaf_anyeku", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), eku=(ExtendedKeyUsageOID.CLIENT_AUTH,
                                         ObjectIdentifier("2.5.29.37.0")))
    make("leaf_noeku", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), eku=())
    make("leaf_ku_encipher", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",), ku=("encipher",))
    make("leaf_nosan", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k)
    make("leaf_critext", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",),
         extra=[(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"),
                 True)])
    make("leaf_noncritext", "www.example.test", ec_key(), "Test Inter RSA", inter_rsa_k,
         dns=("www.example.test",),
         extra=[(x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"),
                 False)])

    # Expired intermediate with a valid leaf
    ie_k = ec_key()
    make("inter_expired", "Test Inter Expired", ie_k, "Test Root RSA", root_rsa_k, ca=True,
         end=datetime.datetime(2024, 6, 1))
    make("leaf_under_expired", "www.example.test", ec_key(), "Test Inter Expired", ie_k,
         dns=("www.example.test",))
    # CA:FALSE issuer, issuer without basicConstraints, issuer without keyCertSign
    nca_k = ec_key()
    make("inter_noca", "Test Inter NoCA", nca_k, "Test Root RSA", root_rsa_k, ca=False)
    make("leaf_under_noca", "www.example.test", ec_key(), "Test Inter NoCA", nca_k,
         dns=("www.example.test",))
    nbc_k = ec_key()
    make("inter_nobc", "Test Inter NoBC", nbc_k, "Test Root RSA", root_rsa_k, ca=True, bc=False)
    make("leaf_under_nobc", "www.example.test", ec_key(), "Test Inter NoBC", nbc_k,
         dns=("www.example.test",))
    nks_k = ec_key()
    make("inter_nokcs", "Test Inter NoKCS", nks_k, "Test Root RSA", root_rsa_k, ca=True,
         ku=("crl",))
    make("leaf_under_nokcs", "www.example.test", ec_key(), "Test Inter NoKCS", nks_k,
         dns=("www.example.test",))
    # pathLen: inter_rsa has pathLen 0, so a CA below it cannot issue
    sub_k = ec_key()
    make("sub_of_pathlen0", "Test Sub Inter", sub_k, "Test Inter RSA", inter_rsa_k, ca=True)
    make("leaf_under_sub", "www.example.test", ec_key(), "Test Sub Inter", sub_k,
         dns=("www.example.test",))
    # pathLen 1 allows one CA below
    pl1_k = ec_key()
    make("inter_pathlen1", "Test Inter PL1", pl1_k, "Test Root EC", root_ec_k, ca=True, pathlen=1,
         alg=hashes.SHA384())
    pl1s_k = ec_key()
    make("sub_of_pathlen1", "Test Sub PL1", pl1s_k, "Test Inter PL1", pl1_k, ca=True, pathlen=0)
    make("leaf_under_pl1", "www.example.test", ec_key(), "Test Sub PL1", pl1s_k,
         dns=("www.example.test",))
    # Forged: same issuer name as inter_rsa, another key
    make("leaf_forged", "www.example.test", ec_key(), "Test Inter RSA", rsa_key(),
         dns=("www.example.test",))
    # Self-signed server certificate, to be trusted directly as an anchor
    make("selfsigned_leaf", "self.example.test", ec_key(), dns=("self.example.test",))
    # Untrusted root
    evil_k = ec_key()
    make("root_other", "Other Root", evil_k, ca=True)
    make("leaf_other", "www.example.test", ec_key(), "Other Root", evil_k,
         dns=("www.example.test",))
    # Long chain: root_ec -> d1 -> ... -> d8 -> leaf_deep8 (leaf + 8 = 9 certs),
    # and leaf_deep7 under d7 (leaf + 7 = 8 certs, the limit).
    prev_cn, prev_k = "Test Root EC", root_ec_k
    for i in range(1, 9):
        k = ec_key()
        make(f"deep{i}", f"Test Deep {i}", k, prev_cn, prev_k, ca=True,
             alg=hashes.SHA384() if i == 1 else hashes.SHA256())
        if i == 7:
            make("leaf_deep7", "www.example.test", ec_key(), f"Test Deep {i}", k,
                 dns=("www.example.test",))
        prev_cn, prev_k = f"Test Deep {i}", k
    make("leaf_deep8", "www.example.test", ec_key(), prev_cn, prev_k, dns=("www.example.test",))
    # nameConstraints: permitted permitted.test, 10.0.0.0/8 and C=XX,O=Test PKI;
    # excluded bad.permitted.test and 10.9.0.0/16
    import ipaddress
    nc = x509.NameConstraints(
        permitted_subtrees=[x509.DNSName("permitted.test"),
                            x509.IPAddress(ipaddress.ip_network("10.0.0.0/8")),
                            x509.DirectoryName(x509.Name([
                                x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
                                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test PKI")]))],
        excluded_subtrees=[x509.DNSName("bad.permitted.test"),
                           x509.IPAddress(ipaddress.ip_network("10.9.0.0/16"))])
    nc_k = ec_key()
    make("inter_nc", "Test Inter NC", nc_k, "Test Root EC", root_ec_k, ca=True, alg=hashes.SHA384(),
         extra=[(nc, True)])
    for nm, dns, ips in (("leaf_nc_ok", ("www.permitted.test", "permitted.test"), ("10.1.2.3",)),
                         ("leaf_nc_outside", ("www.permitted.test", "www.other.test"), ()),
                         ("leaf_nc_excluded", ("x.bad.permitted.test",), ()),
                         ("leaf_nc_suffix", ("notpermitted.test",), ()),
                         ("leaf_nc_ip_excluded", ("www.permitted.test",), ("10.9.1.1",)),
                         ("leaf_nc_ip_outside", ("www.permitted.test",), ("192.168.1.1",))):
        make(nm, "www.permitted.test", ec_key(), "Test Inter NC", nc_k, dns=dns, ips=ips)
    make("leaf_nc_dn", "www.permitted.test", ec_key(), "Test Inter NC", nc_k, dns=("www.permitted.test",),
         subject=x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "XX"),
                            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Elsewhere"),
                            x509.NameAttribute(NameOID.COMMON_NAME, "www.permitted.test")]))

    # ---- trust hardening (tests/unit/test_x509.c test_hardening) ----
    E = ExtendedKeyUsageOID
    # 1. EKU chaining: an S/MIME-only sub-CA cannot issue a server certificate;
    #    a serverAuth sub-CA can (control)
    for nm, ekus in (("inter_smime", [E.EMAIL_PROTECTION]), ("inter_ekuserver", [E.SERVER_AUTH])):
        k = ec_key()
        make(nm, "Test " + nm, k, "Test Root RSA", root_rsa_k, ca=True,
             extra=[(x509.ExtendedKeyUsage(ekus), False)])
        make("leaf_under_" + nm[6:], "www.example.test", ec_key(), "Test " + nm, k,
             dns=("www.example.test",))
    # 2. Anchors keep their constraints: an expired root, a root with
    #    nameConstraints, one with pathLen 0, one with an S/MIME-only EKU
    old_k = ec_key()
    make("root_old", "Test Root Old", old_k, ca=True, end=datetime.datetime(2024, 6, 1))
    make("leaf_under_old", "www.example.test", ec_key(), "Test Root Old", old_k,
         dns=("www.example.test",))  # outlives its root
    rnc_k = ec_key()
    make("root_nc", "Test Root NC", rnc_k, ca=True,
         extra=[(x509.NameConstraints(permitted_subtrees=[x509.DNSName("permitted.test")],
                                      excluded_subtrees=None), True)])
    for nm, dns in (("leaf_rootnc_ok", "www.permitted.test"), ("leaf_rootnc_bad", "www.other.test")):
        make(nm, dns, ec_key(), "Test Root NC", rnc_k, dns=(dns,))
    rpl_k = ec_key()
    make("root_pl0", "Test Root PL0", rpl_k, ca=True, pathlen=0)
    rpli_k = ec_key()
    make("inter_under_pl0", "Test Inter PL0", rpli_k, "Test Root PL0", rpl_k, ca=True)
    make("leaf_under_ipl0", "pl0.example.test", ec_key(), "Test Inter PL0", rpli_k,
         dns=("pl0.example.test",))
    make("leaf_under_pl0", "pl0.example.test", ec_key(), "Test Root PL0", rpl_k,
         dns=("pl0.example.test",))
    rsm_k = ec_key()
    make("root_smime", "Test Root SMIME", rsm_k, ca=True,
         extra=[(x509.ExtendedKeyUsage([E.EMAIL_PROTECTION]), False)])
    make("leaf_under_rsmime", "www.example.test", ec_key(), "Test Root SMIME", rsm_k,
         dns=("www.example.test",))
    # 3. Wildcards under name constraints: permitted example.test, excluded
    #    bar.example.test and the single label "local"
    ncw_k = ec_key()
    make("inter_ncw", "Test Inter NCW", ncw_k, "Test Root RSA", root_rsa_k, ca=True,
         extra=[(x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.test")],
                                      excluded_subtrees=[x509.DNSName("bar.example.test"),
                                                         x509.DNSName("local")]), True)])
    for nm, dns in (("leaf_ncw_star", "*.example.test"),        # can match bar.example.test
                    ("leaf_ncw_deep", "*.foo.example.test")):   # control
        make(nm, "wild", ec_key(), "Test Inter NCW", ncw_k, dns=(dns,))
    ncp_k = ec_key()
    make("inter_ncp", "Test Inter NCP", ncp_k, "Test Root RSA", root_rsa_k, ca=True,
         extra=[(x509.NameConstraints(permitted_subtrees=[x509.DNSName("www.example.test")],
                                      excluded_subtrees=None), True)])
    for nm, dns in (("leaf_ncp_star", "*.example.test"),        # reaches outside www.example.test
                    ("leaf_ncp_ok", "www.example.test")):       # control
        make(nm, "wild", ec_key(), "Test Inter NCP", ncp_k, dns=(dns,))
    # malformed SANs (raw DER: a leading dot, an empty label, a 5-byte iPAddress),
    # and a well-formed raw SAN as control
    def raw_san(entries):
        body = b"".join(bytes([tag, len(v)]) + v for tag, v in entries)
        return x509.UnrecognizedExtension(x509.OID_SUBJECT_ALTERNATIVE_NAME,
                                          bytes([0x30, len(body)]) + body)
    for nm, entries in (("bad_san_dot", [(0x82, b".example.test")]),
                        ("bad_san_empty", [(0x82, b"www..example.test")]),
                        ("bad_san_ip5", [(0x82, b"www.example.test"), (0x87, b"\x0a\x00\x00\x01\x02")]),
                        ("leaf_rawsan_ok", [(0x82, b"www.example.test"), (0x87, b"\x0a\x00\x00\x01")])):
        make(nm, "www.example.test", ec_key(), "Test Inter NCW", ncw_k, extra=[(raw_san(entries), False)])
    # critical nameConstraints of a type we do not process (rfc822Name, URI);
    # the same constraints non-critical are ignored (control)
    for nm, crit in (("inter_ncmail", True), ("inter_ncmail_nc", False)):
        k = ec_key()
        make(nm, "Test " + nm, k, "Test Root RSA", root_rsa_k, ca=True,
             extra=[(x509.NameConstraints(
                 permitted_subtrees=[x509.RFC822Name("example.test"),
                                     x509.UniformResourceIdentifier(".example.test")],
                 excluded_subtrees=None), crit)])
        make("leaf_under_" + nm[6:], "www.example.test", ec_key(), "Test " + nm, k,
             dns=("www.example.test",))
    # 4. Leaf profile: cA=TRUE, keyCertSign, nameConstraints in a leaf
    make("leaf_is_ca", "www.example.test", ec_key(), "Test Inter NCW", ncw_k,
         extra=[(x509.BasicConstraints(ca=True, path_length=None), True),
                (x509.SubjectAlternativeName([x509.DNSName("www.example.test")]), False)], ca=None)
    make("leaf_kcs", "www.example.test", ec_key(), "Test Inter NCW", ncw_k,
         dns=("www.example.test",), ku=("digsig", "certsign"))
    make("leaf_with_nc", "www.example.test", ec_key(), "Test Inter NCW", ncw_k,
         dns=("www.example.test",),
         extra=[(x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.test")],
                                      excluded_subtrees=None), True)])

    # RSA-PSS signed leaves (openssl command line)
    openssl_pss("leaf_pss256", "pss.example.test", "inter_rsa", "sha256", ("pss.example.test",))
    openssl_pss("leaf_pss384", "pss.example.test", "inter_rsa", "sha384", ("pss.example.test",))

    # TLS CertificateVerify-style signatures
    content = b" " * 64 + b"TLS 1.3, server CertificateVerify\x00" + bytes(range(32))
    with open(os.path.join(OUT, "tls_content.bin"), "wb") as f:
        f.write(content)
    tls_sig("leaf_ec256", leaf_ec_k, content)
    tls_sig("leaf_ec384", leaf_ec384_k, content)
    tls_sig("leaf_rsa", leaf_rsa_k, content)

    with open(os.path.join(OUT, "DONE"), "w") as f:
        f.write(me + "\n")


if __name__ == "__main__":
    sys.exit(main())
