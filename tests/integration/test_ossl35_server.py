"""The OpenSSL 3.5 s_server fixture (tests/integration/trixie.py) that the
X25519MLKEM768 TLS tests use, checked with clients we already trust, no
QEMU:
  - Debian 12's openssl s_client (3.0, no ML-KEM) and the host's Python ssl
    complete a verified TLS 1.3 handshake with X25519 and get the -www page;
  - OpenSSL 3.5's own s_client with its default groups negotiates
    X25519MLKEM768 with the default server, and X25519 when the server only
    takes X25519 (so the check is not vacuous);
  - a server limited to groups="X25519MLKEM768" completes a handshake with
    OpenSSL 3.5 and refuses Debian 12's client, which cannot offer it: a
    kernel test against that server fails unless the kernel negotiates the
    hybrid group."""
import socket
import ssl
import subprocess

from trixie import offered_groups, ossl35, ossl35_server

GET = b"GET / HTTP/1.0\r\n\r\n"


def host_s_client(port, ca, *extra):
    """Debian 12's openssl s_client: (exit status, output)."""
    p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", "localhost",
                        "-CAfile", ca, "-verify_return_error", "-ign_eof", *extra],
                       input=GET, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    return p.returncode, p.stdout.decode(errors="replace")


def ossl35_s_client(root, port, pki, *extra):
    """OpenSSL 3.5's s_client in the root, its default groups unless extra says."""
    p = ossl35(root, "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", "localhost",
               "-CAfile", pki.i("ca.pem"), "-verify_return_error", "-ign_eof", *extra,
               input=GET, check=False, timeout=30)
    return p.returncode, (p.stdout + p.stderr).decode(errors="replace")


def test_debian12_s_client_x25519(trixie, ossl35_pki):
    with ossl35_server(trixie, ossl35_pki) as s:
        rc, out = host_s_client(s.port, ossl35_pki.h("ca.pem"), "-groups", "X25519")
    assert rc == 0, out
    assert "Server Temp Key: X25519" in out, out
    assert "Protocol: TLSv1.3" in out or "Protocol  : TLSv1.3" in out, out
    assert "Verify return code: 0 (ok)" in out, out
    assert "HTTP/1.0 200 ok" in out, out
    assert offered_groups(out) == ["x25519"], out


def test_python_ssl(trixie, ossl35_pki):
    ctx = ssl.create_default_context(cafile=ossl35_pki.h("ca.pem"))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    with ossl35_server(trixie, ossl35_pki) as s:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as t:
                assert t.version() == "TLSv1.3"
                assert t.getpeercert()["subject"][-1] == (("commonName", "localhost"),)
                t.sendall(GET)
                page = b""
                while True:
                    b = t.recv(65536)
                    if not b:
                        break
                    page += b
    page = page.decode(errors="replace")
    assert page.startswith("HTTP/1.0 200 ok"), page[:200]
    assert "x25519" in offered_groups(page), page


def test_ossl35_default_groups_prefer_x25519mlkem768(trixie, ossl35_pki):
    with ossl35_server(trixie, ossl35_pki) as s:
        rc, out = ossl35_s_client(trixie, s.port, ossl35_pki)
    assert rc == 0, out
    assert "Negotiated TLS1.3 group: X25519MLKEM768" in out, out
    assert "Verify return code: 0 (ok)" in out, out
    assert "HTTP/1.0 200 ok" in out, out
    assert offered_groups(out)[0] == "X25519MLKEM768", out
    # control: the same client against a server that only takes X25519
    with ossl35_server(trixie, ossl35_pki, groups="X25519") as s:
        rc, out = ossl35_s_client(trixie, s.port, ossl35_pki)
    assert rc == 0, out
    # (s_client 3.5 names a classical group as "Peer Temp Key")
    assert "Peer Temp Key: X25519" in out, out
    assert "Negotiated TLS1.3 group: X25519MLKEM768" not in out, out
    assert "Shared groups: x25519\n" in out, out


def test_server_limited_to_x25519mlkem768(trixie, ossl35_pki):
    with ossl35_server(trixie, ossl35_pki, groups="X25519MLKEM768") as s:
        rc, out = ossl35_s_client(trixie, s.port, ossl35_pki)
        assert rc == 0, out
        assert "Negotiated TLS1.3 group: X25519MLKEM768" in out, out
        assert offered_groups(out)[0] == "X25519MLKEM768", out
        assert "Shared groups: X25519MLKEM768\n" in out, out
        rc, out = host_s_client(s.port, ossl35_pki.h("ca.pem"))
    assert rc != 0, out
    assert "HTTP/1.0 200 ok" not in out, out
    assert "handshake failure" in out, out
