"""HTTPS from inside the kernel (get=): downloads from openssl s_server -WWW,
nginx and scripts/llm_server.py (Content-Length, chunked, close-delimited,
keep-alive reuse), the summary line and the body hash, the trust failures
(untrusted CA, wrong host name, expired certificate) ending before any
request byte, and a heap leak check over many sequential connections.

The kernel under test is a separate image that trusts the demo CA:
    make BUILD=build/test-https CA_EXTRA=build/test-pki/ca.pem kernel
(build/kernel32.elf is left alone)."""
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from qemu import boot, free_port, ROOT

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import llm_server  # noqa: E402  (answer_for, file_bytes)

PKI = "build/test-pki"
KBUILD = "build/test-https"
SUMMARY = re.compile(
    r"^https: status=(\d+) bytes=(\d+) sha256=([0-9a-f]{64}) suite=(\S+) group=(\S+) "
    r"sig=(\S+) handshake_ms=(\d+)", re.M)


@pytest.fixture(scope="session")
def pki():
    subprocess.run(["sh", "scripts/demo_ca.sh", PKI], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, PKI)


@pytest.fixture(scope="session")
def kernel(pki):
    extra = [a for a in os.environ.get("HTTPS_MAKE_ARGS", "").split() if a]
    # the kernel also carries the test PKI's client identity (mTLS): it is
    # only used when a server sends a CertificateRequest
    r = subprocess.run(["make", "-s", "-j2", "BUILD=" + KBUILD, "CA_EXTRA=%s/ca.pem" % PKI,
                        "CLIENT_CERT=%s/client.pem" % PKI, "CLIENT_KEY=%s/client.key" % PKI,
                        *extra, "kernel"], cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    assert r.returncode == 0, r.stdout[-4000:]
    elf = os.path.join(ROOT, KBUILD, "kernel.elf")
    syms = subprocess.run(["nm", elf], stdout=subprocess.PIPE, text=True).stdout
    assert " app_jobs_run" in syms, "app/ is not linked into the kernel"
    return os.path.join(ROOT, KBUILD, "kernel32.elf")


def wait_port(port, timeout=10):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("port %d never opened" % port)


class Proc:
    """A server process we started; stopped by its own pid."""

    def __init__(self, argv, cwd=None, port=None, read_port=False):
        self.p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE if read_port else subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, text=True)
        if read_port:
            line = self.p.stdout.readline()
            m = re.match(r"PORT (\d+)", line)
            assert m, "server did not print its port: %r" % line
            port = int(m.group(1))
        self.port = port
        wait_port(port)

    def stop(self):
        if self.p.poll() is None:
            os.kill(self.p.pid, signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                os.kill(self.p.pid, signal.SIGKILL)
                self.p.wait()


class LlmServer(Proc):
    def __init__(self, pki, leaf="server", api_key=None, tmp=None):
        self.log = os.path.join(str(tmp), "llm_server.%s.log" % leaf)
        argv = [sys.executable, os.path.join(ROOT, "scripts/llm_server.py"), "0",
                "--cert", "%s/%s.pem" % (pki, leaf), "--key", "%s/%s.key" % (pki, leaf),
                "--log", self.log]
        if api_key:
            argv += ["--api-key", api_key]
        super().__init__(argv, read_port=True)

    def events(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()


@pytest.fixture
def llm(pki, tmp_path):
    s = LlmServer(pki, tmp=tmp_path)
    yield s
    s.stop()


def summaries(out):
    return [m.groups() for m in SUMMARY.finditer(out)]


def check_summary(g, size, data_hash):
    status, nbytes, sha, suite, group, sig, hs = g
    assert status == "200"
    assert int(nbytes) == size
    assert sha == data_hash
    assert suite.startswith("TLS_")
    assert group in ("x25519", "secp256r1", "secp384r1")
    assert sig == "ecdsa_secp256r1_sha256"
    assert int(hs) > 0


def test_get_content_length_keep_alive(kernel, llm):
    n = 3000
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/file/%d repeat=2 exit=1" % (llm.port, n),
             timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 2, r.output
    want = hashlib.sha256(llm_server.file_bytes(n)).hexdigest()
    for g in s:
        check_summary(g, n, want)
    assert re.search(r"request=2 reused=1", r.output), r.output
    # the server saw both requests on one connection
    ev = [e for e in llm.events() if " req " in e]
    assert len(ev) == 2, ev
    assert ev[0].split()[1] == ev[1].split()[1], ev
    assert ev[1].split()[3] == "2", ev


def test_get_chunked_large_not_printed(kernel, llm):
    n = 40000
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/chunked/%d exit=1" % (llm.port, n),
             timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], n, hashlib.sha256(llm_server.file_bytes(n)).hexdigest())
    assert "https: body not printed (40000 bytes > 4096" in r.output


def test_get_close_delimited(kernel, llm):
    n = 2000
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/close/%d exit=1" % (llm.port, n),
             timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], n, hashlib.sha256(llm_server.file_bytes(n)).hexdigest())


def test_get_cut_without_close_notify(kernel, llm):
    # the same close-delimited body, but the server ends the connection with
    # a bare TCP FIN after the last whole TLS record, no close_notify: the
    # body is not complete (RFC 9112 9.8, RFC 8446 6.1)
    n = 2000
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/cut/%d exit=1" % (llm.port, n),
             timeout=180)
    assert r.status == "fail", r.output
    assert re.search(r"^https: error=truncated detail=no_close_notify request=1$", r.output,
                     re.M), r.output
    assert not summaries(r.output), r.output
    assert any("cut without close_notify" in e for e in llm.events()), llm.events()


# llm_server.HOSTILE as the kernel shows it (lib/text_filter.h): controls
# escaped, UTF-8 intact, each further line after "| " (test_llm.py too)
HOSTILE_FIRST = r"ok \x1b[2J\x1b[H\x1b]0;pwned\x07 caf\u00e9 \xc2\x9b31m\x0d".replace(
    r"\u00e9", "\u00e9")
HOSTILE_REST = ["| " + l for l in llm_server.HOSTILE.split("\n")[1:]]


def no_raw_controls(out):
    """None of HOSTILE's controls reached the console unescaped (QEMU's own
    output may hold other escape sequences)."""
    return not any(c in out for c in ("\x1b[2J", "\x1b[H", "\x1b]0;", "\x07", "\x9b", "\r"))


def line_count(out, start):
    return sum(1 for l in out.split("\n") if l.startswith(start))


def test_get_hostile_body(kernel, llm):
    # a body with terminal controls and lines that read like the kernel's
    # summary lines: no control reaches the console, every body line is
    # prefixed, and the only summary lines are the kernel's
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/hostile exit=1" % llm.port,
             timeout=180)
    assert r.status == "ok", r.output
    want = "\n".join(["| " + HOSTILE_FIRST] + HOSTILE_REST) + r" \xff\xfe" + "\nhttps: status=200 "
    assert want in r.output, r.output
    assert no_raw_controls(r.output), r.output
    assert line_count(r.output, "kernel: done") == 1, r.output
    assert "| kernel: done status=ok\n" in r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], len(llm_server.HOSTILE_BODY),
                  hashlib.sha256(llm_server.HOSTILE_BODY).hexdigest())


@pytest.mark.parametrize("offer,want", [("aes128,aes256", "TLS_AES_128_GCM_SHA256"),
                                         ("chacha20,aes256", "TLS_CHACHA20_POLY1305_SHA256")])
def test_llm_server_follows_client_order(kernel, llm, offer, want):
    # make bench-https measures the suite the kernel prefers: the server must
    # not override it (Python's ssl alone would answer AES-256-GCM to both)
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/file/100 tls_suites=%s exit=1" %
             (llm.port, offer), timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], 100, hashlib.sha256(llm_server.file_bytes(100)).hexdigest())
    assert s[0][3] == want, r.output


@pytest.mark.parametrize("groups,want", [("", "x25519"), ("secp384r1,x25519", "secp384r1")],
                         ids=["default", "p384"])
def test_tls_groups(kernel, llm, groups, want):
    # the server (Python's ssl on OpenSSL 3.0) has no ML-KEM: the default
    # offer ends on the x25519 share sent beside X25519MLKEM768; tls_groups=
    # puts the P-384 share first and the server takes it
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/file/100 %sexit=1" %
             (llm.port, "tls_groups=%s " % groups if groups else ""), timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], 100, hashlib.sha256(llm_server.file_bytes(100)).hexdigest())
    assert s[0][4] == want, r.output


def s_server(pki, args, cwd=None):
    """openssl s_server (TLS 1.3) with the test server certificate on a free
    loopback port; returns (port, Proc)."""
    port = free_port()
    srv = Proc(["openssl", "s_server", "-accept", "127.0.0.1:%d" % port, "-tls1_3", "-quiet",
                "-cert", "%s/server.pem" % pki, "-key", "%s/server.key" % pki, *args],
               cwd=cwd, port=port)
    return port, srv


def test_get_openssl_s_server_www(kernel, pki, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    text = "".join("line %03d: hello from openssl s_server\n" % i for i in range(40)).encode()
    (www / "hello.txt").write_bytes(text)
    port, srv = s_server(pki, ["-WWW"], cwd=str(www))
    try:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/hello.txt exit=1" % port,
                 timeout=180)
    finally:
        srv.stop()
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], len(text), hashlib.sha256(text).hexdigest())
    assert "line 039: hello from openssl s_server" in r.output   # small body is printed
    # s_server follows the client's order: ChaCha20-Poly1305 when the
    # kernel's AES is emulated (TCG) or bitsliced, else AES-128-GCM first
    slow_aes = re.search(r"^crypto: .*(emulated-cpu policy|aes=bitsliced)", r.output, re.M)
    want = "TLS_CHACHA20_POLY1305_SHA256" if slow_aes else "TLS_AES_128_GCM_SHA256"
    assert s[0][3] == want, r.output


def s_server_mtls(pki, client_ca):
    """openssl s_server -www that requires a client certificate from
    client_ca; its status page prints the certificate it received."""
    return s_server(pki, ["-www", "-Verify", "1", "-verify_return_error", "-CAfile", client_ca])


def test_mtls_client_certificate(kernel, pki):
    port, srv = s_server_mtls(pki, "%s/ca.pem" % pki)
    try:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/ print=1 exit=1" % port,
                 timeout=180)
    finally:
        srv.stop()
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1 and s[0][0] == "200", r.output
    # the server saw and verified our certificate (ECDSA P-256 CertificateVerify)
    assert "Client certificate" in r.output, r.output
    assert "CN=os-demo-kernel-client" in r.output.replace(" = ", "="), r.output


def test_mtls_client_certificate_refused(kernel, pki):
    # the server trusts only the rogue CA for clients: our certificate is
    # refused with an alert, and the kernel names it
    port, srv = s_server_mtls(pki, "%s/rogue-ca.pem" % pki)
    try:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/ exit=1" % port, timeout=180)
    finally:
        srv.stop()
    assert r.status == "fail", r.output
    m = re.search(r"^https: error=(\S+) detail=(.*)$", r.output, re.M)
    assert m, r.output
    assert m.group(1) == "alert_received", m.group(0)
    assert "unknown_ca" in m.group(2), m.group(0)


def test_get_nginx_keep_alive(kernel, pki, tmp_path):
    if not shutil.which("nginx"):
        pytest.skip("nginx not installed")
    www = tmp_path / "www"
    www.mkdir()
    data = bytes((i * 7 + 3) & 0xFF for i in range(100000))
    (www / "blob.bin").write_bytes(data)
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text("""
user root;
daemon off;
worker_processes 1;
pid %(d)s/nginx.pid;
error_log %(d)s/error.log;
events { worker_connections 64; }
http {
  log_format c '$connection $connection_requests $request $status';
  access_log %(d)s/access.log c;
  client_body_temp_path %(d)s/tmp;
  proxy_temp_path %(d)s/tmp; fastcgi_temp_path %(d)s/tmp;
  uwsgi_temp_path %(d)s/tmp; scgi_temp_path %(d)s/tmp;
  server {
    listen 127.0.0.1:%(port)d ssl;
    ssl_certificate %(pki)s/server.pem;
    ssl_certificate_key %(pki)s/server.key;
    ssl_protocols TLSv1.3;
    root %(d)s/www;
  }
}
""" % {"d": tmp_path, "port": port, "pki": pki})
    srv = Proc(["nginx", "-c", str(conf), "-p", str(tmp_path)], port=port)
    try:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/blob.bin repeat=2 exit=1" % port,
                 timeout=240)
    finally:
        srv.stop()
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 2, r.output
    for g in s:
        check_summary(g, len(data), hashlib.sha256(data).hexdigest())
    log = (tmp_path / "access.log").read_text().split("\n")
    reqs = [l.split() for l in log if "GET /blob.bin" in l]
    assert len(reqs) == 2, log
    assert reqs[0][0] == reqs[1][0] and reqs[1][1] == "2", log   # same connection


@pytest.mark.parametrize("leaf,err", [
    ("untrusted", "cert_untrusted"),
    ("wronghost", "hostname_mismatch"),
    ("expired", "cert_expired"),
])
def test_trust_failures_send_nothing(kernel, pki, tmp_path, leaf, err):
    srv = LlmServer(pki, leaf=leaf, tmp=tmp_path)
    try:
        r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/file/10 exit=1" % srv.port,
                 timeout=180)
    finally:
        srv.stop()
    assert r.status == "fail", r.output
    assert re.search(r"^https: error=%s detail=" % err, r.output, re.M), r.output
    assert not summaries(r.output)
    ev = srv.events()
    assert not [e for e in ev if " req " in e], ev    # no request reached the server


def test_bad_url_and_refused_port(kernel):
    port = free_port()        # nothing listens there
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:%d/ exit=1" % port, timeout=120)
    assert r.status == "fail", r.output
    assert re.search(r"^https: error=(tcp_refused|tcp_reset|timeout)", r.output, re.M), r.output
    r = boot(kernel=kernel, cmdline="get=https://10.0.2.2:99999/ exit=1", timeout=60)
    assert r.status == "fail", r.output
    assert "https: error=url_bad_port" in r.output


def pipeline_counts(out):
    """(offloaded, inline) of the last receive-pipeline line, or None."""
    m = re.findall(r"^tls: rx_pipeline records_offloaded=(\d+) records_inline=(\d+)$", out, re.M)
    return tuple(map(int, m[-1])) if m else None


def test_many_connections_leave_heap_unchanged(kernel, llm):
    # 200 sequential requests, each on its own connection (TCP + TLS set up
    # and torn down 200 times), then 2 x 100 on keep-alive connections; with
    # two CPUs, so each connection also takes and gives back its receive
    # pipeline's slots (about 260 KiB)
    r = boot(kernel=kernel,
             cmdline="get=https://10.0.2.2:%d/file/1500 loops=200 exit=1" % llm.port,
             timeout=600, smp=2)
    assert r.status == "ok", r.output
    assert "smp: 2 cpus" in r.output, r.output
    assert len(summaries(r.output)) == 200, r.output
    assert pipeline_counts(r.output), r.output
    # each connection resumes with the ticket the one before it received
    # (no certificate exchange: sig=psk), the first cannot
    res = re.findall(r"^https: status=200 .* sig=(\S+) handshake_ms=\d+ .* resumed=([01])$",
                     r.output, re.M)
    assert len(res) == 200 and res[0] == ("ecdsa_secp256r1_sha256", "0"), r.output
    assert all((sig == "psk") == (resumed == "1") for sig, resumed in res), res
    assert sum(resumed == "1" for _, resumed in res) == 199, res
    m = re.search(r"^https: heap before=(\d+) after_first=(\d+) after=(\d+) connections=200$",
                  r.output, re.M)
    assert m, r.output
    before, first, after = map(int, m.groups())
    assert after == before, r.output
    assert first == before, r.output


@pytest.mark.parametrize("faults,cpus", [("", 1), ("", 2),
                                         ("netfault=drop:3,dup:1,reorder:3,corrupt:1", 2)],
                         ids=["clean", "clean-2cpus", "netfault-2cpus"])
def test_get_32mib(kernel, llm, faults, cpus):
    n = 32 * 1024 * 1024
    # under faults the peer is slirp recovering by its backed-off timer (see
    # SLOW_PEER in test_tcp.py): allow 120 s without progress
    slow = " timeout=120000" if faults else ""
    r = boot(kernel=kernel, cmdline="%s get=https://10.0.2.2:%d/file/%d%s exit=1"
             % (faults, llm.port, n, slow), timeout=900, smp=cpus)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], n, hashlib.sha256(llm_server.file_bytes(n)).hexdigest())
    if faults:
        assert re.search(r"fault_drop=[1-9]", r.output), r.output
    counts = pipeline_counts(r.output)
    if cpus == 1:
        assert counts is None, r.output           # one CPU: records opened in line
    else:
        # 2048 records of 16 KiB: each opened once, most on the second CPU
        assert "smp: 2 cpus" in r.output, r.output
        offloaded, in_line = counts
        assert offloaded + in_line >= n // 16384, r.output
        assert offloaded >= n // 16384 // 2, r.output
        assert re.search(r"^smp: ap_jobs=[1-9]\d* ipis=[1-9]", r.output, re.M), r.output


class _Zone:
    """dnslib resolver: demo.local -> 10.0.2.2 (the host), anything else NXDOMAIN."""

    def resolve(self, request, handler):
        from dnslib import A, QTYPE, RCODE, RR
        reply = request.reply()
        q = request.q
        if str(q.qname).rstrip(".").lower() == "demo.local":
            if q.qtype in (QTYPE.A, QTYPE.ANY):
                reply.add_answer(RR(q.qname, QTYPE.A, rdata=A("10.0.2.2"), ttl=60))
        else:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


@pytest.fixture
def dns_server():
    dnsserver = pytest.importorskip("dnslib.server")
    port = free_port(socket.SOCK_DGRAM)
    srv = dnsserver.DNSServer(_Zone(), port=port, address="127.0.0.1",
                              logger=dnsserver.DNSLogger("-request,-reply,-truncated,-error,-recv,-send,-data"))
    srv.start_thread()
    yield port
    srv.stop()


def test_get_by_name_and_nxdomain(kernel, llm, dns_server):
    r = boot(kernel=kernel, cmdline="dns=10.0.2.2:%d get=https://demo.local:%d/file/100 exit=1"
             % (dns_server, llm.port), timeout=180)
    assert r.status == "ok", r.output
    s = summaries(r.output)
    assert len(s) == 1, r.output
    check_summary(s[0], 100, hashlib.sha256(llm_server.file_bytes(100)).hexdigest())
    r = boot(kernel=kernel, cmdline="dns=10.0.2.2:%d get=https://nope.demo.local:%d/ exit=1"
             % (dns_server, llm.port), timeout=180)
    assert r.status == "fail", r.output
    assert re.search(r"^https: error=dns_nxdomain", r.output, re.M), r.output
