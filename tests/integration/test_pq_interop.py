"""X25519MLKEM768 against real peers: OpenSSL 3.5's s_server and its nginx
from the Debian 13 root (tests/integration/trixie.py; skipped by name when
the root cannot be made), reached by tools/tlsget on the host and by the
kernel's get= under QEMU:
  - the default offer (X25519MLKEM768 first, x25519 beside it) negotiates
    the hybrid group with a default OpenSSL 3.5 server and with nginx;
  - a server that takes only x25519 picks our x25519 share (no
    HelloRetryRequest: the kernel's summary shows the group, the server's
    page shows what we offered);
  - a server that takes only X25519MLKEM768 uses the hybrid share we sent,
    and an offer that starts with x25519 reaches it by HelloRetryRequest.
A server whose ML-KEM ciphertext has the wrong length is refused with
illegal_parameter: tests/unit/test_tls_pq.c (an in-memory server; OpenSSL
cannot be made to send one)."""
import os
import re
import shutil
import subprocess
import time

import pytest
from qemu import boot, free_port, ROOT
from trixie import Dir, Ossl35Server, offered_groups, ossl35_server

PKI = "build/test-pki"           # the HTTPS tests' demo CA (its leaf names 10.0.2.2)
KBUILD = "build/test-https"
TLSGET = os.path.join(ROOT, "build", "host", "tlsget")
SUMMARY = re.compile(r"^https: status=(\d+) bytes=(\d+) sha256=([0-9a-f]{64}) suite=(\S+) "
                     r"group=(\S+) ", re.M)


@pytest.fixture(scope="module")
def tlsget():
    subprocess.run(["make", "-s", "-j2", "build/host/tlsget"], cwd=ROOT, check=True)
    return TLSGET


@pytest.fixture(scope="module")
def pki():
    subprocess.run(["sh", "scripts/demo_ca.sh", PKI], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, PKI)


@pytest.fixture(scope="module")
def kernel(pki):
    # the same image as test_https.py's (make does nothing when it is built)
    r = subprocess.run(["make", "-s", "-j2", "BUILD=" + KBUILD, "CA_EXTRA=%s/ca.pem" % PKI,
                        "CLIENT_CERT=%s/client.pem" % PKI, "CLIENT_KEY=%s/client.key" % PKI,
                        "kernel"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    assert r.returncode == 0, r.stdout[-4000:]
    return os.path.join(ROOT, KBUILD, "kernel32.elf")


@pytest.fixture
def leaf(trixie, pki):
    """The demo PKI's server certificate and key, copied into the root."""
    d = Dir(trixie, "leaf-")
    for name in ("server.pem", "server.key", "ca.pem"):
        shutil.copy(os.path.join(pki, name), d.h(name))
    yield d
    d.remove()


def tlsget_run(tlsget, port, ca, *args, host="localhost"):
    p = subprocess.run([tlsget, "https://%s:%d/" % (host, port), "--connect", "127.0.0.1:%d" % port,
                        "--ca", ca, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "http_status=200" in p.stderr, p.stderr
    return p


def group_of(stderr):
    m = re.search(r"^tlsget: connected TLSv1.3 suite=\S+ group=(\S+) ", stderr, re.M)
    assert m, stderr
    return m.group(1)


def test_tlsget_default_offer_gets_the_hybrid(trixie, ossl35_pki, tlsget):
    with ossl35_server(trixie, ossl35_pki) as s:
        p = tlsget_run(tlsget, s.port, ossl35_pki.h("ca.pem"))
    assert group_of(p.stderr) == "X25519MLKEM768", p.stderr
    # what we offered, as the server saw it: the hybrid first, then the rest
    assert offered_groups(p.stdout)[:2] == ["X25519MLKEM768", "x25519"], p.stdout


def test_tlsget_x25519_only_server(trixie, ossl35_pki, tlsget):
    with ossl35_server(trixie, ossl35_pki, groups="X25519") as s:
        p = tlsget_run(tlsget, s.port, ossl35_pki.h("ca.pem"))
    assert group_of(p.stderr) == "x25519", p.stderr


def test_tlsget_hybrid_only_server(trixie, ossl35_pki, tlsget):
    with ossl35_server(trixie, ossl35_pki, groups="X25519MLKEM768") as s:
        p = tlsget_run(tlsget, s.port, ossl35_pki.h("ca.pem"))
        # an offer that starts with x25519 alone reaches it by HelloRetryRequest
        q = tlsget_run(tlsget, s.port, ossl35_pki.h("ca.pem"), "--groups", "x25519,x25519mlkem768")
    assert group_of(p.stderr) == "X25519MLKEM768", p.stderr
    assert group_of(q.stderr) == "X25519MLKEM768", q.stderr


def nginx_conf(d, port):
    return """
daemon off; master_process off; worker_processes 1;
error_log %(i)s/error.log; pid %(i)s/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path %(i)s; proxy_temp_path %(i)s; fastcgi_temp_path %(i)s;
  uwsgi_temp_path %(i)s; scgi_temp_path %(i)s;
  server {
    listen 127.0.0.1:%(port)d ssl; server_name localhost;
    ssl_protocols TLSv1.3;
    ssl_certificate %(i)s/server.pem; ssl_certificate_key %(i)s/server.key;
    root %(i)s/www;
  }
}
""" % {"i": d.inside, "port": port}


def wait_port(port, proc, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, "nginx exited"
        try:
            import socket
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start")


def test_nginx_from_debian13_gets_the_hybrid(trixie, leaf, tlsget, kernel):
    """Debian 13's nginx (OpenSSL 3.5, its default groups) against tlsget and
    the kernel: both negotiate X25519MLKEM768 and get the file intact."""
    os.makedirs(leaf.h("www"))
    body = "post-quantum nginx\n" * 500
    with open(leaf.h("www/index.html"), "w") as f:
        f.write(body)
    port = free_port()
    with open(leaf.h("nginx.conf"), "w") as f:
        f.write(nginx_conf(leaf, port))
    proc = subprocess.Popen(["chroot", trixie, "nginx", "-c", leaf.i("nginx.conf")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        p = tlsget_run(tlsget, port, leaf.h("ca.pem"), host="127.0.0.1")   # the leaf's IP name
        assert group_of(p.stderr) == "X25519MLKEM768", p.stderr
        assert p.stdout == body
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/index.html exit=1" % port,
                 timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert r.status == "ok", r.output
    m = SUMMARY.search(r.output)
    assert m and m.group(1) == "200" and m.group(5) == "X25519MLKEM768", r.output
    assert int(m.group(2)) == len(body), r.output


@pytest.mark.parametrize("groups,want", [(None, "X25519MLKEM768"), ("X25519", "x25519"),
                                         ("X25519MLKEM768", "X25519MLKEM768")],
                         ids=["default", "x25519-only", "hybrid-only"])
def test_kernel_get_against_openssl35(trixie, leaf, kernel, groups, want):
    with Ossl35Server(trixie, leaf.i("server.pem"), leaf.i("server.key"), groups=groups) as s:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/ print=1 exit=1" % s.port,
                 timeout=120)
    assert r.status == "ok", r.output
    m = SUMMARY.search(r.output)
    assert m and m.group(1) == "200", r.output
    assert m.group(5) == want, r.output
    # the -www page (printed by print=1, each line after "| ") names what the
    # kernel offered: the hybrid first, x25519 beside it
    page = "\n".join(l[2:] if l.startswith("| ") else l for l in r.output.splitlines())
    assert offered_groups(page)[:2] == ["X25519MLKEM768", "x25519"], r.output
