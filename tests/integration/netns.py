"""A private network for kernel tests against real Linux TCP peers, made of
network namespaces this process creates and deletes (needs root, iproute2,
nftables, ethtool):

    guest (QEMU, tap "tap0") --- router ns --- veth --- server ns
                                    |
                                    +--------- veth --- client ns (Linux peer
                                                         for Linux-to-Linux runs)

    guest   10.77.1.2/24  fd77:1::2/64   gateway 10.77.1.1 (router's tap0)
    server  10.77.2.2/24  fd77:2::2/64   via 10.77.2.1
    client  10.77.3.2/24  fd77:3::2/64   via 10.77.3.1

The router drops frames at random, `loss` percent in each direction, with
nftables netdev ingress hooks on its own links (a drop on the sending host
would only make that host's TCP retry locally). Segmentation offloads are
off on the server's and client's links (and GRO on the router) so one drop
loses one segment. Names carry the pid; every address lives inside the
namespaces. close() removes everything (namespaces take their links, taps
and nft tables with them).

QEMU runs inside the router namespace (scripts/qemu_run.py tap=(ns, "tap0")).
Peers are small Python programs run with `ip netns exec` (PEER below).

IPv6: the router forwards, and start_radvd() runs radvd in the router
namespace advertising fd77:1::/64 on tap0 (on-link, autonomous) with an
RDNSS option naming the server (fd77:2::2), so the guest configures
GUEST6_SLAAC, the address from its MAC's EUI-64 identifier. dns_server()
runs tests/integration/dnsserver.py in the server namespace. Both are
stopped, and their files removed, by close()."""
import os
import shutil
import subprocess
import sys
import time

PY = "/usr/bin/python3"
GUEST_NET = "ip=10.77.1.2/24 gw=10.77.1.1"
SERVER = "10.77.2.2"
PORT = 5001
# IPv6 (start_radvd): the guest's SLAAC address is the prefix and the
# modified EUI-64 of QEMU's default MAC 52:54:00:12:34:56
ROUTER6 = "fd77:1::1"
ROUTER6_LL = "fe80::1"          # the router's link-local address on tap0
SERVER6 = "fd77:2::2"
GUEST6_SLAAC = "fd77:1::5054:ff:fe12:3456"
HERE = os.path.dirname(os.path.abspath(__file__))
RADVD_CONF = """interface tap0 {
    AdvSendAdvert on;
    MinRtrAdvInterval 3;
    MaxRtrAdvInterval 4;
    AdvDefaultLifetime 60;
    prefix fd77:1::/64 {
        AdvOnLink on;
        AdvAutonomous on;
        AdvValidLifetime 600;
        AdvPreferredLifetime 300;
    };
    RDNSS %s {
        AdvRDNSSLifetime 8;
    };
};
"""

# source N: sends N bytes of byte i = (7i + 3) & 0xff, then closes.
# sink: reads to EOF, prints "peer: bytes=N sha256=H ms=T", closes.
# put HOST N: connects, sends N bytes of byte i = i & 0xff, shuts down
#   writing, waits for the peer's close, prints "peer: sent=N ms=T".
PEER = r'''
import hashlib, socket, sys, time
mode = sys.argv[1]
def pat(block, n):
    return (block * (n // 256 + 1))[:n]
if mode == "put":
    host, port, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    data = pat(bytes(range(256)), n)
    c = socket.create_connection((host, port), timeout=120)
    t0 = time.monotonic()
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass
    print("peer: sent=%d ms=%d" % (n, (time.monotonic() - t0) * 1000), flush=True)
    sys.exit(0)
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[2])))
s.listen(1)
print("peer: listening", flush=True)
s.settimeout(600)
c, _ = s.accept()
c.settimeout(600)
t0 = time.monotonic()
if mode == "source":
    n = int(sys.argv[3])
    c.sendall(pat(bytes((i * 7 + 3) & 0xFF for i in range(256)), n))
    c.close()
    print("peer: sent=%d ms=%d" % (n, (time.monotonic() - t0) * 1000), flush=True)
else:
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(262144)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    print("peer: bytes=%d sha256=%s ms=%d" % (n, h.hexdigest(),
          (time.monotonic() - t0) * 1000), flush=True)
'''

# ping6 ADDR N: N ICMPv6 echo requests (a raw socket: the kernel fills the
# ICMPv6 checksum), each answered within 1 s or not; prints
# "ping6: replies=K". (No ping binary needed.)
PING6 = r'''
import os, select, socket, struct, sys, time
addr, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
ident, got = os.getpid() & 0xFFFF, 0
for seq in range(n):
    s.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + b"ping6-test", (addr, 0))
    end = time.monotonic() + 1
    while time.monotonic() < end:
        if not select.select([s], [], [], end - time.monotonic())[0]:
            break
        data, src = s.recvfrom(2048)
        if (len(data) >= 8 and data[0] == 129 and src[0] == addr and
                struct.unpack("!HH", data[4:8]) == (ident, seq) and data[8:] == b"ping6-test"):
            got += 1
            break
print("ping6: replies=%d" % got, flush=True)
'''


def _run(*args, check=True):
    r = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=30)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), r.stdout.strip()))
    return r.stdout


def available():
    """None when namespaces can be made here, else the reason why not."""
    if os.geteuid() != 0:
        return "needs root"
    for tool in ("ip", "nft", "ethtool"):
        if not any(os.access(os.path.join(d, tool), os.X_OK)
                   for d in ("/usr/sbin", "/sbin", "/usr/bin", "/bin")):
            return "%s not installed (scripts/deps.sh)" % tool
    return None


def radvd_available():
    """None when radvd is installed, else why not."""
    return None if shutil.which("radvd") else "radvd not installed (scripts/deps.sh)"


class Peer:
    """One peer program in a namespace; wait() returns its 'peer:' line."""

    def __init__(self, ns, *args):
        self.proc = subprocess.Popen(["ip", "netns", "exec", ns, PY, "-c", PEER, *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        if args[0] != "put":
            line = self.proc.stdout.readline()
            if "listening" not in line:
                self.stop()
                raise RuntimeError("peer did not start: " + line)

    def wait(self, timeout=60):
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return None
        for line in out.splitlines():
            if line.startswith("peer: "):
                return dict(kv.split("=") for kv in line[6:].split())
        return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()          # our own child, by its pid
            self.proc.wait()


class NetLab:
    def __init__(self, loss=0):
        tag = "tl%d" % os.getpid()
        self.router, self.server, self.client = tag + "r", tag + "s", tag + "c"
        self.tap = (self.router, "tap0")
        self.made = []
        self.procs, self.files = [], []
        try:
            self._build()
            self.set_loss(loss)
        except BaseException:
            self.close()
            raise

    def ns(self, name, *cmd, check=True):
        return _run("ip", "netns", "exec", name, *cmd, check=check)

    def _build(self):
        R, S, C = self.router, self.server, self.client
        for n in (R, S, C):
            _run("ip", "netns", "add", n)
            self.made.append(n)
            self.ns(n, "ip", "link", "set", "lo", "up")
        self.ns(R, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        self.ns(R, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
        self.ns(R, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
        self.ns(R, "ip", "addr", "add", "10.77.1.1/24", "dev", "tap0")
        self.ns(R, "ip", "addr", "add", "fd77:1::1/64", "dev", "tap0", "nodad")
        # a link-local address usable at once (no DAD), so radvd can answer
        # the guest's first router solicitation as soon as QEMU opens the tap
        self.ns(R, "sysctl", "-qw", "net.ipv6.conf.tap0.accept_dad=0")
        self.ns(R, "ip", "addr", "add", ROUTER6_LL + "/64", "dev", "tap0", "nodad")
        self.ns(R, "ip", "link", "set", "tap0", "up")
        for peer, net, dev in ((S, 2, "vs"), (C, 3, "vc")):
            _run("ip", "link", "add", dev, "netns", R, "type", "veth", "peer", "name",
                 "eth0", "netns", peer)
            self.ns(R, "ip", "addr", "add", "10.77.%d.1/24" % net, "dev", dev)
            self.ns(R, "ip", "addr", "add", "fd77:%d::1/64" % net, "dev", dev, "nodad")
            self.ns(R, "ip", "link", "set", dev, "up")
            self.ns(peer, "ip", "addr", "add", "10.77.%d.2/24" % net, "dev", "eth0")
            self.ns(peer, "ip", "addr", "add", "fd77:%d::2/64" % net, "dev", "eth0", "nodad")
            self.ns(peer, "ip", "link", "set", "eth0", "up")
            self.ns(peer, "ip", "route", "add", "default", "via", "10.77.%d.1" % net)
            self.ns(peer, "ip", "-6", "route", "add", "default", "via", "fd77:%d::1" % net)
            self.ns(peer, "ethtool", "-K", "eth0", "tso", "off", "gso", "off")
            self.ns(R, "ethtool", "-K", dev, "gro", "off", check=False)
        self.ns(R, "ethtool", "-K", "tap0", "gro", "off", check=False)

    def set_loss(self, pct):
        """Random drop of pct % of the frames entering the router on each link
        (so each direction of every path loses pct %)."""
        self.loss = pct
        self.ns(self.router, "nft", "delete", "table", "netdev", "loss", check=False)
        if not pct:
            return
        rules = "table netdev loss {\n"
        for dev in ("tap0", "vs", "vc"):
            rules += ('  chain in_%s { type filter hook ingress device "%s" priority 0; '
                      'numgen random mod 100 < %d counter drop; }\n' % (dev, dev, pct))
        rules += "}\n"
        r = subprocess.run(["ip", "netns", "exec", self.router, "nft", "-f", "-"],
                           input=rules, text=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        if r.returncode != 0:
            raise RuntimeError("nft: " + r.stdout)

    def drops(self):
        """Frames the router has dropped so far, by the link they came in on
        ("tap0": from the guest, "vs": from the server, "vc": from the
        client); zeros without loss. Counters restart with set_loss."""
        out = self.ns(self.router, "nft", "list", "table", "netdev", "loss", check=False)
        got = {"tap0": 0, "vs": 0, "vc": 0}
        dev = None
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("chain in_"):
                dev = line.split()[1][3:]
            elif "counter packets" in line and dev in got:
                got[dev] = int(line.split("counter packets")[1].split()[0])
        return got

    def server_peer(self, mode, size=0):
        return Peer(self.server, mode, str(PORT), str(size))

    def linux_upload(self, size, timeout=120):
        """Linux (client ns) uploads size bytes to a sink in the server ns
        through the router; returns (ms, sink's line)."""
        sink = self.server_peer("sink")
        put = Peer(self.client, "put", SERVER, str(PORT), str(size))
        p = put.wait(timeout)
        s = sink.wait(30)
        if not p or not s:
            raise RuntimeError("linux upload failed: %r %r" % (p, s))
        return int(p["ms"]), s

    def start_radvd(self, rdnss=SERVER6):
        """radvd in the router namespace on tap0 (RADVD_CONF); it answers the
        guest's router solicitations once QEMU has the tap open."""
        base = "/tmp/%s-radvd" % self.router
        with open(base + ".conf", "w") as f:
            f.write(RADVD_CONF % rdnss)
        os.chmod(base + ".conf", 0o644)
        self.files += [base + ".conf", base + ".pid"]
        p = subprocess.Popen(["ip", "netns", "exec", self.router, "radvd", "-n", "-C",
                              base + ".conf", "-p", base + ".pid", "-m", "stderr"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(p)
        time.sleep(0.5)
        if p.poll() is not None:
            raise RuntimeError("radvd: " + p.stdout.read())
        return p

    def dns_server(self, host="::", port=53):
        """tests/integration/dnsserver.py in the server namespace on
        host:port (\"::\": IPv4 and IPv6); returns (process, hold file).
        hold.test is answered once the hold file exists; stop_dns()
        returns its query lines."""
        hold = "/tmp/%s-dns.hold" % self.server
        self.files.append(hold)
        p = subprocess.Popen(["ip", "netns", "exec", self.server, PY,
                              os.path.join(HERE, "dnsserver.py"), host, str(port), hold],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(p)
        line = p.stdout.readline()
        if "listening" not in line:
            raise RuntimeError("dns server did not start: " + line + p.stdout.read())
        return p, hold

    @staticmethod
    def stop_dns(p):
        """Stops a dns_server() process; its 'dns: query NAME TRANSPORT SRC' lines."""
        if p.poll() is None:
            p.kill()              # our own child, by its pid
        out, _ = p.communicate(timeout=10)
        return [l for l in out.splitlines() if l.startswith("dns: query ")]

    def ping6(self, ns, addr, count=3):
        """ICMPv6 echo from namespace ns to addr (PING6: count requests, each
        waiting up to 1 s); the number of matching replies."""
        r = subprocess.run(["ip", "netns", "exec", ns, PY, "-c", PING6, addr, str(count)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=30)
        m = [l for l in r.stdout.splitlines() if l.startswith("ping6: replies=")]
        if not m:
            raise RuntimeError("ping6: " + r.stdout)
        return int(m[0].split("=")[1])

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()          # our own children, by their pids
            try:
                p.communicate(timeout=10)
            except (subprocess.TimeoutExpired, ValueError):
                pass
        self.procs = []
        for f in self.files:
            if os.path.exists(f):
                os.unlink(f)
        self.files = []
        for n in reversed(self.made):
            _run("ip", "netns", "del", n, check=False)
        self.made = []


if __name__ == "__main__":          # smoke test: python3 netns.py [loss]
    lab = NetLab(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    try:
        t0 = time.monotonic()
        print(lab.linux_upload(8 << 20), "%.1fs" % (time.monotonic() - t0))
    finally:
        lab.close()
