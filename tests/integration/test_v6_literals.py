"""HTTPS to an IPv6 literal URL end to end (issue 25 part 3), in the netns
lab (tests/integration/netns.py) with a static IPv6 address on the guest:
get=https://[fd77:2::2]:8443/ against a Python TLS server in the server
namespace that reports what it received. Checks the rules of the literal
path together: no SNI (RFC 6066 3), "Host: [fd77:2::2]:8443", the
certificate matched by its 16-byte iPAddress SAN, and, as the negative
control, a certificate for the same server by its name and IPv4 address
(a dNSName and a 4-byte iPAddress) refused as hostname_mismatch before
any request byte. (A dNSName spelling an IPv6 literal is not a valid
DNS name: the parser refuses such a certificate as bad_certificate.) The kernel is test_https.py's (it trusts the test CA).
Needs the IPv6 stack (v6tcp, v6stack)."""
import re
import subprocess
import pytest
from qemu import boot
import netns
from test_https import pki, kernel  # noqa: F401  (session fixtures)

why = netns.available()
pytestmark = pytest.mark.skipif(why is not None, reason=str(why))

PORT = 8443
GUEST = "%s ip6=fd77:1::2/64 gw6=fd77:1::1" % netns.GUEST_NET

# TLS 1.3 server on [::]:PORT: one connection, answers with what it saw,
# prints "srv: sni=... host=..." (sni None: no server_name extension).
SERVER = r'''
import socket, ssl, sys
cert, key, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
seen = []
ctx.sni_callback = lambda s, name, c: seen.append(name)
t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("::", port))
t.listen(1)
print("srv: listening", flush=True)
c, _ = t.accept()
try:
    s = ctx.wrap_socket(c, server_side=True)
except Exception as e:
    print("srv: handshake_failed %s sni=%r" % (type(e).__name__, seen[0] if seen else None),
          flush=True)
    sys.exit(0)
req = b""
while b"\r\n\r\n" not in req:
    b = s.recv(4096)
    if not b:
        break
    req += b
host = None
for line in req.split(b"\r\n"):
    if line.lower().startswith(b"host:"):
        host = line[5:].strip().decode()
body = ("sni=%r host=%s\n" % (seen[0] if seen else None, host)).encode()
s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
          + body)
print("srv: sni=%r host=%s" % (seen[0] if seen else None, host), flush=True)
try:
    s.unwrap()
except Exception:
    pass
s.close()
'''


def leaf(pki, tmp_path, name, san):
    """A leaf from the test CA with the given subjectAltName."""
    ext = tmp_path / (name + ".ext")
    ext.write_text("basicConstraints=critical,CA:FALSE\n"
                   "keyUsage=critical,digitalSignature\n"
                   "extendedKeyUsage=serverAuth\n"
                   "subjectAltName=%s\n" % san)
    key, csr, pem = (str(tmp_path / (name + s)) for s in (".key", ".csr", ".pem"))
    run = lambda *a: subprocess.run(a, check=True, stdout=subprocess.DEVNULL,  # noqa: E731
                                    stderr=subprocess.DEVNULL, timeout=60)
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", key)
    run("openssl", "req", "-new", "-key", key, "-out", csr, "-subj", "/O=OS Demo/CN=" + name)
    run("openssl", "x509", "-req", "-in", csr, "-CA", "%s/ca.pem" % pki, "-CAkey",
        "%s/ca.key" % pki, "-CAcreateserial", "-CAserial", str(tmp_path / "ca.srl"),
        "-out", pem, "-days", "30", "-sha256", "-extfile", str(ext))
    return pem, key


def serve(lab, pem, key):
    p = subprocess.Popen(["ip", "netns", "exec", lab.server, netns.PY, "-c",
                          SERVER, pem, key, str(PORT)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = p.stdout.readline()
    assert "listening" in line, line
    return p


def finish(p):
    try:
        out, _ = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()                          # our own child, by its pid
        out, _ = p.communicate()
    return out


def test_https_to_ipv6_literal(lab, kernel, pki, tmp_path):  # noqa: F811
    pem, key = leaf(pki, tmp_path, "v6leaf", "IP:fd77:2::2")
    srv = serve(lab, pem, key)
    try:
        r = boot(kernel=kernel, cmdline="%s get=https://[fd77:2::2]:%d/ exit=1" % (GUEST, PORT),
                 net=False, tap=lab.tap, timeout=180)
    finally:
        out = finish(srv)
    assert r.status == "ok", r.output
    assert "srv: sni=None host=[fd77:2::2]:%d" % PORT in out, out
    assert "| sni=None host=[fd77:2::2]:%d" % PORT in r.output, r.output
    assert re.search(r"^https: connected \[fd77:2::2\]:%d peer=fd77:2::2 family=6 " % PORT,
                     r.output, re.M), r.output
    assert re.search(r"^https: status=200 .* family=6 resumed=0$", r.output, re.M), r.output


def test_v4_and_name_sans_never_vouch_for_a_v6_literal(lab, kernel, pki, tmp_path):  # noqa: F811
    pem, key = leaf(pki, tmp_path, "v4leaf", "DNS:dual.test,IP:10.77.2.2")
    srv = serve(lab, pem, key)
    try:
        r = boot(kernel=kernel, cmdline="%s get=https://[fd77:2::2]:%d/ exit=1" % (GUEST, PORT),
                 net=False, tap=lab.tap, timeout=180)
    finally:
        out = finish(srv)
    assert "https: error=hostname_mismatch" in r.output, r.output
    assert r.status == "fail"
    assert "srv: sni=" not in out, out        # no request was answered
