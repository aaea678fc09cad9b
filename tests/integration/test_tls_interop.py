"""Host-side interop tests for the TLS 1.3 client engine through build/tlsget
(no QEMU): openssl s_server, gnutls-serv and nginx on 127.0.0.1, each
started on a free port by the test and stopped by its pid. Every
certificate is generated at test time with the openssl CLI in a temp dir.

Covered: each cipher suite; the default offer (X25519MLKEM768 with an x25519
share beside it) against servers without ML-KEM, which take x25519, also
when the server reads the ~1.4 KiB ClientHello in small pieces; secp256r1
and secp384r1 (HelloRetryRequest forced by a server that only takes one); ECDSA P-256 / P-384 and RSA-2048 /
RSA-4096 chains with intermediates; a chain bigger than one record; a
server KeyUpdate (s_server stdin 'K') and NewSessionTickets; mTLS (P-256 and
P-384 client keys, PKCS#8 and SEC 1, PEM and DER); and each
trust failure (untrusted CA, expired, not yet valid, wrong host, bad
signature) with its error name and alert."""
import os
import re
import select
import shutil
import socket
import subprocess
import threading
import time

import pytest

from qemu import free_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TLSGET = os.environ.get("TLSGET", os.path.join(ROOT, "build", "host", "tlsget"))


@pytest.fixture(scope="session")
def tlsget():
    if "TLSGET" not in os.environ:
        subprocess.run(["make", "-s", "-j2", "build/host/tlsget"], cwd=ROOT, check=True)
    assert os.access(TLSGET, os.X_OK)
    return TLSGET


def ossl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def newkey(d, name, kind):
    if kind.startswith("rsa"):
        ossl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:" + kind[3:],
             "-out", name + ".key", cwd=d)
    else:
        ossl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + kind,
             "-out", name + ".key", cwd=d)


def mkca(d, name, kind, issuer=None):
    """Root (issuer None) or intermediate CA."""
    newkey(d, name, kind)
    ext = os.path.join(d, name + ".ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                "subjectKeyIdentifier=hash\n")
    if issuer is None:
        ossl("req", "-new", "-x509", "-key", name + ".key", "-out", name + ".pem", "-days", "30",
             "-subj", "/O=TLS interop/CN=" + name,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    else:
        ossl("req", "-new", "-key", name + ".key", "-out", name + ".csr",
             "-subj", "/O=TLS interop/CN=" + name, cwd=d)
        ossl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
             "-CAcreateserial", "-out", name + ".pem", "-days", "30", "-extfile", ext, cwd=d)


LEAF_EXT = ("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth,clientAuth\nsubjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\nsubjectAltName=@alt\n[alt]\n")


def mkleaf(d, name, kind, issuer, dns=("localhost",), ips=("127.0.0.1",), dates=None):
    newkey(d, name, kind)
    ext = os.path.join(d, name + ".ext")
    with open(ext, "w") as f:
        f.write(LEAF_EXT)
        for i, n in enumerate(dns):
            f.write("DNS.%d=%s\n" % (i + 1, n))
        for i, n in enumerate(ips):
            f.write("IP.%d=%s\n" % (i + 1, n))
    ossl("req", "-new", "-key", name + ".key", "-out", name + ".csr",
         "-subj", "/O=TLS interop/CN=" + dns[0], cwd=d)
    if dates is None:
        ossl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
             "-CAcreateserial", "-out", name + ".pem", "-days", "20", "-sha256", "-extfile", ext, cwd=d)
    else:  # explicit validity: `openssl ca` is the CLI path that takes dates
        db = os.path.join(d, name + ".db")
        os.makedirs(db, exist_ok=True)
        open(os.path.join(db, "index.txt"), "w").close()
        with open(os.path.join(db, "serial"), "w") as f:
            f.write("1000\n")
        cnf = os.path.join(d, name + ".cnf")
        with open(cnf, "w") as f:
            f.write("[ca]\ndefault_ca=x\n[x]\ndir=%s\ndatabase=%s/index.txt\nserial=%s/serial\n"
                    "new_certs_dir=%s\ncertificate=%s.pem\nprivate_key=%s.key\ndefault_md=sha256\n"
                    "policy=any\ncopy_extensions=none\nunique_subject=no\n[any]\ncommonName=supplied\n"
                    % (db, db, db, db, issuer, issuer))
        ossl("ca", "-batch", "-config", cnf, "-notext", "-startdate", dates[0], "-enddate", dates[1],
             "-extfile", ext, "-in", name + ".csr", "-out", name + ".pem", cwd=d)


def cat(d, out, *names):
    with open(os.path.join(d, out), "w") as f:
        for n in names:
            with open(os.path.join(d, n)) as g:
                f.write(g.read())


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    d = str(tmp_path_factory.mktemp("tlspki"))
    # ECDSA P-256: root -> intermediate -> leaf
    mkca(d, "ec-root", "P-256")
    mkca(d, "ec-int", "P-256", "ec-root")
    mkleaf(d, "ec-leaf", "P-256", "ec-int")
    cat(d, "ec-chain.pem", "ec-int.pem")
    cat(d, "ec-full.pem", "ec-leaf.pem", "ec-int.pem")
    # ECDSA P-384
    mkca(d, "p384-root", "P-384")
    mkca(d, "p384-int", "P-384", "p384-root")
    mkleaf(d, "p384-leaf", "P-384", "p384-int")
    cat(d, "p384-chain.pem", "p384-int.pem")
    # RSA-2048 and RSA-4096
    mkca(d, "rsa-root", "rsa2048")
    mkca(d, "rsa-int", "rsa2048", "rsa-root")
    mkleaf(d, "rsa2048-leaf", "rsa2048", "rsa-int")
    mkleaf(d, "rsa4096-leaf", "rsa4096", "rsa-int")
    cat(d, "rsa-chain.pem", "rsa-int.pem")
    cat(d, "rsa2048-full.pem", "rsa2048-leaf.pem", "rsa-int.pem")
    # A leaf bigger than one TLS record (2^14): ~900 subjectAltNames.
    mkleaf(d, "big-leaf", "P-256", "ec-int",
           dns=["localhost"] + ["host-%04d.some-long-subdomain.example.test" % i for i in range(420)])
    # Trust failures
    mkca(d, "rogue-root", "P-256")
    mkleaf(d, "untrusted-leaf", "P-256", "rogue-root")
    mkleaf(d, "wronghost-leaf", "P-256", "ec-int", dns=("wrong.invalid",), ips=())
    mkleaf(d, "expired-leaf", "P-256", "ec-int", dates=("20200101000000Z", "20210101000000Z"))
    mkleaf(d, "future-leaf", "P-256", "ec-int", dates=("20990101000000Z", "21000101000000Z"))
    # bad signature: flip a bit in the leaf's signature value
    ossl("x509", "-in", "ec-leaf.pem", "-outform", "DER", "-out", "badsig.der", cwd=d)
    with open(os.path.join(d, "badsig.der"), "rb") as f:
        der = bytearray(f.read())
    der[-5] ^= 0x01
    with open(os.path.join(d, "badsig.der"), "wb") as f:
        f.write(bytes(der))
    ossl("x509", "-inform", "DER", "-in", "badsig.der", "-out", "badsig-leaf.pem", cwd=d)
    shutil.copy(os.path.join(d, "ec-leaf.key"), os.path.join(d, "badsig-leaf.key"))
    # mTLS client: P-256 and P-384, the key in each form tlsget reads
    mkca(d, "client-root", "P-256")
    mkleaf(d, "client", "P-256", "client-root", dns=("client.test",), ips=())
    mkca(d, "client384-root", "P-384")
    mkleaf(d, "client384", "P-384", "client384-root", dns=("client384.test",), ips=())
    cat(d, "client-roots.pem", "client-root.pem", "client384-root.pem")
    for name in ("client", "client384"):   # genpkey wrote PKCS#8 PEM
        ossl("ec", "-in", name + ".key", "-out", name + "-sec1.key", cwd=d)
        ossl("ec", "-in", name + ".key", "-outform", "DER", "-out", name + "-sec1.der", cwd=d)
        ossl("pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-outform", "DER",
             "-out", name + "-pkcs8.der", cwd=d)
    return d


class Server:
    """A server process on a free port; stopped by its pid."""

    def __init__(self, argv, port, cwd, stdin=False):
        self.port = port
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.proc.stdout.read())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def s_server(d, cert, key, chain=None, extra=(), www=True, stdin=False):
    port = free_port()
    argv = ["openssl", "s_server", "-tls1_3", "-accept", "127.0.0.1:%d" % port,
            "-cert", cert, "-key", key, "-naccept", "1000"]
    if chain:
        argv += ["-cert_chain", chain]
    if www:
        argv += ["-www"]
    argv += list(extra)
    return Server(argv, port, d, stdin=stdin)


def run(tlsget, url, *args, cwd=None, timeout=60):
    p = subprocess.run([tlsget, url, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    return p


def get_ok(tlsget, port, d, ca, *args, host="localhost"):
    p = run(tlsget, "https://%s:%d/" % (host, port), "--connect", "127.0.0.1:%d" % port,
            "--ca", ca, *args, cwd=d)
    assert p.returncode == 0, p.stderr
    assert "http_status=200" in p.stderr, p.stderr
    return p


@pytest.mark.parametrize("suite", ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                   "TLS_CHACHA20_POLY1305_SHA256"])
def test_openssl_each_suite(tlsget, pki, suite):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem")
    try:
        p = run(tlsget, "https://localhost:%d/" % s.port, "--suite", suite, cwd=pki)
        if p.returncode == 3:
            pytest.skip(p.stderr.strip())
        p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--suite", suite)
        assert "suite=%s " % suite in p.stderr
        assert "sig=ecdsa_secp256r1_sha256" in p.stderr
        # the -www status page names the cipher the server negotiated
        assert suite in p.stdout
    finally:
        s.stop()


def test_openssl_hrr_p256_only(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem", extra=["-groups", "P-256"])
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem")
        assert "group=secp256r1" in p.stderr
    finally:
        s.stop()


def test_openssl_hrr_p384_only(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem", extra=["-groups", "P-384"])
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem")
        assert "group=secp384r1" in p.stderr
    finally:
        s.stop()


def test_openssl_hybrid_only_offer(tlsget, pki):
    """--groups x25519mlkem768 against OpenSSL 3.0 (no ML-KEM): no group in
    common, the server refuses."""
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem")
    try:
        p = run(tlsget, "https://localhost:%d/" % s.port, "--connect", "127.0.0.1:%d" % s.port,
                "--ca", "ec-root.pem", "--groups", "x25519mlkem768", cwd=pki)
        assert p.returncode == 1
        assert "alert_received:handshake_failure" in p.stderr, p.stderr
    finally:
        s.stop()


class PieceRelay:
    """A relay on a free 127.0.0.1 port to `port`: the client's bytes go on
    in `piece`-byte writes 5 ms apart (TCP_NODELAY), so the server reads the
    ClientHello in pieces; the server's bytes go back as they come. Keeps the
    client's first flight (what it sent before the server's first byte)."""

    def __init__(self, port, piece):
        self.port, self.up, self.piece = free_port(), port, piece
        self.first_flight, self.pieces, self.answered = b"", 0, False
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", self.port))
        self.ls.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        c, _ = self.ls.accept()
        s = socket.create_connection(("127.0.0.1", self.up))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                r, _, _ = select.select([c, s], [], [], 10)
                if not r:
                    return
                if c in r:
                    d = c.recv(65536)
                    if not d:
                        return
                    if not self.answered:
                        self.first_flight += d
                    for i in range(0, len(d), self.piece):
                        s.sendall(d[i:i + self.piece])
                        self.pieces += not self.answered
                        time.sleep(0.005)
                if s in r:
                    d = s.recv(65536)
                    if not d:
                        return
                    self.answered = True
                    c.sendall(d)
        finally:
            c.close()
            s.close()

    def stop(self):
        self.ls.close()
        self.thread.join(5)


def test_openssl_client_hello_in_pieces(tlsget, pki):
    """The default ClientHello is one record of ~1.4 KiB (1447 bytes of
    handshake for this host name); a server that reads it 100 bytes at a
    time still completes the handshake, on our x25519 share."""
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem")
    relay = PieceRelay(s.port, 100)
    try:
        p = get_ok(tlsget, relay.port, pki, "ec-root.pem")
        assert "group=x25519 " in p.stderr
        ff = relay.first_flight
        assert ff[0] == 0x16 and 5 + int.from_bytes(ff[3:5], "big") == len(ff) == 1452, ff[:5]
        assert relay.pieces >= 15
    finally:
        relay.stop()
        s.stop()


def test_openssl_first_share_p256(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem", extra=["-groups", "P-256"])
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--groups", "secp256r1")
        assert "group=secp256r1" in p.stderr
    finally:
        s.stop()


@pytest.mark.parametrize("leaf,chain,root,sig", [
    ("p384-leaf", "p384-chain.pem", "p384-root.pem", "ecdsa_secp384r1_sha384"),
    ("rsa2048-leaf", "rsa-chain.pem", "rsa-root.pem", "rsa_pss_rsae_sha256"),
    ("rsa4096-leaf", "rsa-chain.pem", "rsa-root.pem", "rsa_pss_rsae_sha256"),
])
def test_openssl_key_types(tlsget, pki, leaf, chain, root, sig):
    s = s_server(pki, leaf + ".pem", leaf + ".key", chain)
    try:
        p = get_ok(tlsget, s.port, pki, root)
        assert "sig=%s" % sig in p.stderr
    finally:
        s.stop()


def test_openssl_chain_larger_than_a_record(tlsget, pki):
    assert os.path.getsize(os.path.join(pki, "big-leaf.pem")) > 4 * 16384 // 3
    s = s_server(pki, "big-leaf.pem", "big-leaf.key", "ec-chain.pem")
    try:
        get_ok(tlsget, s.port, pki, "ec-root.pem")
        # and a handshake buffer too small for it fails cleanly
        p = run(tlsget, "https://localhost:%d/" % s.port, "--connect", "127.0.0.1:%d" % s.port,
                "--ca", "ec-root.pem", "--hs-buf", "8192", cwd=pki)
        assert p.returncode == 1
        assert "message_too_large" in p.stderr
        assert "alert sent: internal_error" in p.stderr
    finally:
        s.stop()


def test_openssl_tickets_and_server_keyupdate(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem", www=False, stdin=True)
    try:
        c = subprocess.Popen([tlsget, "https://localhost:%d/" % s.port, "--connect",
                              "127.0.0.1:%d" % s.port, "--ca", "ec-root.pem", "--raw"],
                             cwd=pki, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        seen, t0, fd = b"", time.time(), s.proc.stdout.fileno()
        while b"GET / HTTP/1.0" not in seen and time.time() - t0 < 30:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                seen += os.read(fd, 65536)   # raw fd: no hidden buffering
        assert b"GET / HTTP/1.0" in seen, seen
        for line in ("K\n", "after-update-1\n", "k\n", "after-update-2\n", "Q\n"):
            s.proc.stdin.write(line)
            s.proc.stdin.flush()
            time.sleep(0.2)
        out, err = c.communicate(timeout=20)
        assert c.returncode == 0, err
        assert "after-update-1" in out and "after-update-2" in out
        assert "key_updates_received=2" in err
        assert "tickets=2" in err
    finally:
        s.stop()


def test_openssl_client_keyupdate(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem")
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--keyupdate")
        assert "key_updates_sent=1" in p.stderr   # our update_requested
        assert "key_updates_received=1" in p.stderr   # the server answered it
    finally:
        s.stop()


def test_openssl_mtls(tlsget, pki):
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem",
                 extra=["-Verify", "1", "-CAfile", "client-root.pem"])
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--cert", "client.pem", "--key", "client.key")
        # -www shows the certificate the server verified (-Verify fails the
        # handshake on a bad certificate or CertificateVerify)
        assert "Client certificate" in p.stdout, p.stdout
        assert "CN=client.test" in p.stdout or "CN = client.test" in p.stdout, p.stdout
        # without a client certificate: empty Certificate, the server refuses
        p = run(tlsget, "https://localhost:%d/" % s.port, "--connect", "127.0.0.1:%d" % s.port,
                "--ca", "ec-root.pem", cwd=pki)
        assert p.returncode == 1
        assert "alert_received:certificate_required" in p.stderr
    finally:
        s.stop()


@pytest.mark.parametrize("cert,key", [
    ("client.pem", "client-sec1.key"),        # SEC 1 PEM
    ("client.pem", "client-pkcs8.der"),       # PKCS#8 DER
    ("client384.pem", "client384.key"),       # P-384, PKCS#8 PEM
    ("client384.pem", "client384-sec1.der"),  # P-384, SEC 1 DER
])
def test_openssl_mtls_key_forms(tlsget, pki, cert, key):
    """tlsget signs CertificateVerify with the project's ECDSA signer for each
    key form and curve; s_server -Verify 1 checks the signature."""
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem",
                 extra=["-Verify", "1", "-CAfile", "client-roots.pem"])
    try:
        for _ in range(3):   # fresh hedged nonce each time
            p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--cert", cert, "--key", key)
            assert "Client certificate" in p.stdout, p.stdout
            cn = cert[:-len(".pem")] + ".test"
            assert "CN=" + cn in p.stdout or "CN = " + cn in p.stdout, p.stdout
    finally:
        s.stop()


def test_mtls_key_not_matching_cert(tlsget, pki):
    """A key that is not the certificate's is refused before connecting."""
    p = run(tlsget, "https://localhost:1/", "--ca", "ec-root.pem", "--cert", "client.pem",
            "--key", "ec-leaf.key", cwd=pki)
    assert p.returncode == 2
    assert "key does not match the certificate" in p.stderr, p.stderr
    p = run(tlsget, "https://localhost:1/", "--ca", "ec-root.pem", "--cert", "client.pem",
            "--key", "rsa-root.key", cwd=pki)
    assert p.returncode == 2
    assert "not an EC P-256 or P-384 key" in p.stderr, p.stderr


@pytest.mark.parametrize("leaf,err,alert,extra", [
    ("untrusted-leaf", "cert_untrusted", "unknown_ca", ()),
    ("expired-leaf", "cert_expired", "certificate_expired", ()),
    ("future-leaf", "cert_not_yet_valid", "certificate_expired", ()),
    ("wronghost-leaf", "hostname_mismatch", "bad_certificate", ()),
    ("badsig-leaf", "bad_certificate", "bad_certificate", ()),
])
def test_trust_failures(tlsget, pki, leaf, err, alert, extra):
    chain = None if leaf == "untrusted-leaf" else "ec-chain.pem"
    s = s_server(pki, leaf + ".pem", leaf + ".key", chain)
    try:
        p = run(tlsget, "https://localhost:%d/" % s.port, "--connect", "127.0.0.1:%d" % s.port,
                "--ca", "ec-root.pem", *extra, cwd=pki)
        assert p.returncode == 1, p.stderr
        assert "handshake failed: %s" % err in p.stderr, p.stderr
        assert "alert sent: %s" % alert in p.stderr, p.stderr
    finally:
        s.stop()


def test_time_is_passed_in(tlsget, pki):
    """The same valid chain fails when the validation time given is outside it."""
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem")
    try:
        for now, err in ((str(int(time.time()) + 400 * 86400), "cert_expired"),
                         ("946684800", "cert_not_yet_valid")):
            p = run(tlsget, "https://localhost:%d/" % s.port, "--connect", "127.0.0.1:%d" % s.port,
                    "--ca", "ec-root.pem", "--now", now, cwd=pki)
            assert p.returncode == 1
            assert "handshake failed: %s" % err in p.stderr, p.stderr
    finally:
        s.stop()


def test_gnutls(tlsget, pki):
    if not shutil.which("gnutls-serv"):
        pytest.skip("gnutls-serv not installed")
    for prio, group in (("NORMAL:-VERS-ALL:+VERS-TLS1.3", "x25519"),
                        ("NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP256R1", "secp256r1"),
                        ("NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1", "secp384r1")):
        port = free_port()
        s = Server(["gnutls-serv", "--http", "-p", str(port), "--x509certfile", "ec-full.pem",
                    "--x509keyfile", "ec-leaf.key", "--priority", prio], port, pki)
        try:
            p = get_ok(tlsget, port, pki, "ec-root.pem")
            assert "group=%s" % group in p.stderr
        finally:
            s.stop()


def test_nginx(tlsget, pki, tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(nginx, os.X_OK):
        pytest.skip("nginx not installed")
    port = free_port()
    root = tmp_path / "www"
    root.mkdir()
    (root / "index.html").write_text("hello from nginx over TLS 1.3\n" * 1000)
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text("""
daemon off; master_process off; worker_processes 1;
error_log %(p)s/logs/error.log; pid %(p)s/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %(p)s/tmp; proxy_temp_path %(p)s/tmp; fastcgi_temp_path %(p)s/tmp;
  uwsgi_temp_path %(p)s/tmp; scgi_temp_path %(p)s/tmp;
  server {
    listen 127.0.0.1:%(port)d ssl; server_name localhost;
    ssl_protocols TLSv1.3;
    ssl_certificate %(d)s/rsa2048-full.pem; ssl_certificate_key %(d)s/rsa2048-leaf.key;
    root %(p)s/www;
  }
}
""" % {"p": tmp_path, "port": port, "d": pki})
    s = Server([nginx, "-p", str(tmp_path), "-c", str(conf)], port, str(tmp_path))
    try:
        p = get_ok(tlsget, port, pki, "rsa-root.pem")
        assert p.stdout == "hello from nginx over TLS 1.3\n" * 1000
        assert "alpn=http/1.1" in p.stderr
        assert "sig=rsa_pss_rsae_sha256" in p.stderr
    finally:
        s.stop()


def test_tls12_only_server(tlsget, pki):
    """A TLS 1.2-only server refuses our TLS 1.3-only ClientHello."""
    port = free_port()
    s = Server(["openssl", "s_server", "-tls1_2", "-www", "-accept", "127.0.0.1:%d" % port,
                "-cert", "ec-leaf.pem", "-key", "ec-leaf.key", "-naccept", "1000"], port, pki)
    try:
        p = run(tlsget, "https://localhost:%d/" % port, "--connect", "127.0.0.1:%d" % port,
                "--ca", "ec-root.pem", cwd=pki)
        assert p.returncode == 1
        assert "alert_received:protocol_version" in p.stderr, p.stderr
    finally:
        s.stop()


@pytest.mark.parametrize("extra", [(), ("-groups", "P-256")], ids=["x25519", "hrr"])
def test_openssl_resumption(tlsget, pki, extra):
    """The second and third connections offer the previous ticket (psk_dhe_ke,
    binder recomputed after an HRR) and the server resumes them."""
    s = s_server(pki, "ec-leaf.pem", "ec-leaf.key", "ec-chain.pem", extra=list(extra))
    try:
        p = get_ok(tlsget, s.port, pki, "ec-root.pem", "--repeat", "3", "--resume")
        assert "resumed 2 of 3 connections" in p.stderr, p.stderr
        # s_server's status page says so too
        assert p.stdout.count("Reused, TLSv1.3") == 2
    finally:
        s.stop()


def test_gnutls_resumption(tlsget, pki):
    if not shutil.which("gnutls-serv"):
        pytest.skip("gnutls-serv not installed")
    port = free_port()
    s = Server(["gnutls-serv", "--http", "-p", str(port), "--x509certfile", "ec-full.pem",
                "--x509keyfile", "ec-leaf.key", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3"], port, pki)
    try:
        p = get_ok(tlsget, port, pki, "ec-root.pem", "--repeat", "2", "--resume")
        assert "resumed 1 of 2 connections" in p.stderr, p.stderr
    finally:
        s.stop()


def test_gnutls_record_size_limit(tlsget, pki):
    """RFC 8449 with a server that implements it: we advertise 64 and every
    record the server sends after its EncryptedExtensions fits (enforced:
    record_overflow otherwise); its own limit comes back in
    EncryptedExtensions."""
    if not shutil.which("gnutls-serv"):
        pytest.skip("gnutls-serv not installed")
    port = free_port()
    s = Server(["gnutls-serv", "--http", "-p", str(port), "--x509certfile", "ec-full.pem",
                "--x509keyfile", "ec-leaf.key",
                "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3:%ALLOW_SMALL_RECORDS"], port, pki)
    try:
        p = get_ok(tlsget, port, pki, "ec-root.pem", "--rsl", "64")
        m = re.search(r"body_bytes=(\d+) .* peer_record_size_limit=(\d+)", p.stderr)
        assert m and int(m.group(1)) > 5 * 64, p.stderr
        assert int(m.group(2)) == 16385, p.stderr
    finally:
        s.stop()
