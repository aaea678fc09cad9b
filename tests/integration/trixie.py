"""The Debian 13 root (build/trixie: OpenSSL 3.5 with ML-KEM and
X25519MLKEM768, its nginx) for host tests, and an OpenSSL 3.5 s_server on
127.0.0.1.

Fixtures (conftest.py exposes them to every test file):
  trixie       the root, made once by scripts/trixie_root.sh (debootstrap,
               about two minutes the first time, then reused); a test using
               it is skipped, with the reason, when the root cannot be made
               (not root, no debootstrap, no mirror).
  trixie_tmp   a fresh directory inside the root (Dir: .host and .inside
               paths), removed after the test; chroot'ed programs see only
               the root, so their files go there.
  ossl35_pki   a P-256 CA and a leaf for localhost / 127.0.0.1 inside the
               root (Dir with ca.pem, leaf.pem, leaf.key), made once.

Helpers:
  ossl35(root, *args)   runs `chroot ROOT openssl ARGS` (CompletedProcess)
  Ossl35Server          `openssl s_server -tls1_3 -www` on a free port,
                        optional -groups; stop() kills it by its pid.

For the kernel's X25519MLKEM768 tests: a server started with
groups="X25519MLKEM768" accepts only that group, so a completed handshake
means it was negotiated; the -www status page also lists the groups the
client offered ("Supported groups: ..."), see offered_groups()."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from qemu import free_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TRIXIE = os.path.abspath(os.environ.get("TRIXIE_ROOT") or os.path.join(ROOT, "build", "trixie"))

_made = {}


def make_root(path=TRIXIE):
    """(path, None) when the root is usable, else (None, reason). Runs the
    script at most once per session."""
    if path not in _made:
        p = subprocess.run(["sh", os.path.join(ROOT, "scripts", "trixie_root.sh"), path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode == 0:
            _made[path] = (path, None)
        else:
            last = (p.stdout.strip().splitlines() or ["no output"])[-1]
            _made[path] = (None, "Debian 13 root (scripts/trixie_root.sh) unavailable: " + last)
    return _made[path]


@pytest.fixture(scope="session")
def trixie():
    path, why = make_root()
    if path is None:
        pytest.skip(why)
    return path


class Dir:
    """A directory inside the root: .host is its path here, .inside in the root."""

    def __init__(self, root, prefix):
        os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
        self.host = tempfile.mkdtemp(prefix=prefix, dir=os.path.join(root, "tmp"))
        self.inside = "/tmp/" + os.path.basename(self.host)

    def h(self, name):
        return os.path.join(self.host, name)

    def i(self, name):
        return self.inside + "/" + name

    def remove(self):
        shutil.rmtree(self.host, ignore_errors=True)


@pytest.fixture
def trixie_tmp(trixie):
    d = Dir(trixie, "test-")
    yield d
    d.remove()


def ossl35(root, *args, check=True, input=None, timeout=60):
    """`chroot ROOT openssl ARGS`: file arguments are paths inside the root."""
    p = subprocess.run(["chroot", root, "openssl", *args], input=input, timeout=timeout,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and p.returncode != 0:
        raise AssertionError("openssl %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                           p.stderr.decode(errors="replace")))
    return p


def _host_openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def ossl35_pki(trixie):
    """P-256 CA and leaf (localhost, 127.0.0.1), made with the host's openssl
    into a directory inside the root, so both sides can read them."""
    d = Dir(trixie, "pki-")
    c = d.host
    _host_openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/O=ossl35 test/CN=root",
                  "-addext", "basicConstraints=critical,CA:TRUE",
                  "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=c)
    _host_openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/O=ossl35 test/CN=localhost", cwd=c)
    with open(d.h("leaf.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    _host_openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                  "-CAcreateserial", "-out", "leaf.pem", "-days", "30", "-extfile", "leaf.ext", cwd=c)
    yield d
    d.remove()


class Ossl35Server:
    """`chroot ROOT openssl s_server -tls1_3 -www` on 127.0.0.1 on a free
    port (chroot execs openssl, so the pid is the server's). cert and key
    are paths inside the root; groups is passed as -groups when given
    (e.g. "X25519MLKEM768", "X25519"). Its output goes to a log file in
    the root's /tmp (read with log()). Usable as a context manager."""

    def __init__(self, root, cert, key, groups=None, extra=()):
        self.root = root
        self.port = free_port()
        self.logdir = Dir(root, "s_server-")
        argv = ["chroot", root, "openssl", "s_server", "-tls1_3", "-www",
                "-accept", "127.0.0.1:%d" % self.port, "-cert", cert, "-key", key]
        if groups:
            argv += ["-groups", groups]
        argv += list(extra)
        self._log = open(self.logdir.h("s_server.log"), "w+")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                out = self.log()
                self.stop()
                raise RuntimeError("OpenSSL 3.5 s_server exited: " + out)
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("OpenSSL 3.5 s_server did not start")

    def log(self):
        self._log.flush()
        with open(self._log.name) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._log.close()
        self.logdir.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def ossl35_server(root, pki, groups=None, extra=()):
    """An Ossl35Server with ossl35_pki's leaf certificate and key."""
    return Ossl35Server(root, pki.i("leaf.pem"), pki.i("leaf.key"), groups=groups, extra=extra)


def offered_groups(page):
    """The groups a client offered, from s_server -www's status page."""
    for line in page.splitlines():
        if line.startswith("Supported groups: "):
            return line[len("Supported groups: "):].strip().split(":")
    return []
