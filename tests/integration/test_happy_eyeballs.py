"""Happy Eyeballs v2 (RFC 8305, issue 25 part 4) end to end: the guest on
the netns lab's tap (tests/integration/netns.py), a dual-stack name served
by a DNS server this test runs in the server namespace, and a dual-stack
TCP source there. Needs the IPv6 stack (TCP and UDP over IPv6): the guest
gets a static IPv6 address (ip6=/gw6=) so no router advertisement is
needed.
  - IPv6 works: the guest connects over IPv6 (family=6).
  - IPv6 is silently dropped (an nftables drop in the router, no ICMP):
    the guest falls back to IPv4 once the 250 ms Connection Attempt Delay
    has passed (family=4), measured by the guest's own connect_ms."""
import os
import re
import subprocess
import time
import pytest
from qemu import boot
import netns

why = netns.available()
pytestmark = pytest.mark.skipif(why is not None, reason=str(why))

HERE = os.path.dirname(os.path.abspath(__file__))
DNS_PORT = 5353
TCP_PORT = 5001
SIZE = 4096
GUEST = "%s ip6=fd77:1::2/64 gw6=fd77:1::1 dns=10.77.2.2:%d" % (netns.GUEST_NET, DNS_PORT)

# In the server namespace: the test zone (dnsserver.answer) over UDP on
# 10.77.2.2, and a TCP source on [::] (IPv4 too) that sends SIZE bytes to
# each connection and prints "srv: family=N" per accepted connection.
SERVERS = r'''
import socket, sys, threading
sys.path.insert(0, sys.argv[1])
from collections import Counter
from dnsserver import answer
dport, tport, size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.77.2.2", dport))
def dns():
    q = Counter()
    while True:
        data, addr = u.recvfrom(4096)
        out = answer(data, "udp", q)
        if out:
            u.sendto(out, addr)
threading.Thread(target=dns, daemon=True).start()
t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("::", tport))
t.listen(8)
print("srv: listening", flush=True)
while True:
    c, addr = t.accept()
    fam = 4 if addr[0].startswith("::ffff:") else 6
    print("srv: family=%d" % fam, flush=True)
    c.sendall(bytes(i & 0xff for i in range(size)))
    c.close()
'''


@pytest.fixture
def lab():
    lab = netns.NetLab()
    srv = subprocess.Popen(["ip", "netns", "exec", lab.server, netns.PY, "-c", SERVERS, HERE,
                            str(DNS_PORT), str(TCP_PORT), str(SIZE)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = srv.stdout.readline()
        assert "listening" in line, line
        lab.srv = srv
        yield lab
    finally:
        if srv.poll() is None:
            srv.kill()                    # our own child, by its pid
        srv.wait()
        lab.close()


def server_families(lab):
    lab.srv.kill()
    out, _ = lab.srv.communicate(timeout=10)
    return [int(m) for m in re.findall(r"^srv: family=(\d)$", out, re.M)]


def connected(r):
    m = re.search(r"^tcp: connected peer=(\S+) family=(\d) connect_ms=(\d+)$", r.output, re.M)
    assert m, r.output
    return m.group(1), int(m.group(2)), int(m.group(3))


def test_dual_stack_name_connects_over_ipv6(lab):
    r = boot(cmdline="%s tcpget=dual.test:%d tcptimeout=10000 exit=1" % (GUEST, TCP_PORT),
             net=False, tap=lab.tap, timeout=120)
    assert r.status == "ok", r.output
    peer, family, ms = connected(r)
    assert (peer, family) == ("fd77:2::2", 6), r.output
    assert re.search(r"^tcp: bytes=%d sha256=[0-9a-f]{64} ms=\d+ family=6$" % SIZE,
                     r.output, re.M), r.output
    assert server_families(lab) == [6]
    print("he ipv6: connect_ms=%d" % ms)


def test_silent_ipv6_falls_back_to_ipv4(lab):
    # drop every IPv6 TCP segment to the server in the router: no RST, no ICMP
    rules = ("table inet he {\n  chain drop6 { type filter hook forward priority 0; "
             "ip6 daddr fd77:2::2 tcp dport %d drop; }\n}\n" % TCP_PORT)
    subprocess.run(["ip", "netns", "exec", lab.router, "nft", "-f", "-"], input=rules,
                   text=True, check=True, timeout=30)
    t0 = time.monotonic()
    r = boot(cmdline="%s tcpget=dual.test:%d tcptimeout=10000 exit=1" % (GUEST, TCP_PORT),
             net=False, tap=lab.tap, timeout=120)
    assert r.status == "ok", r.output
    peer, family, ms = connected(r)
    assert (peer, family) == ("10.77.2.2", 4), r.output
    # IPv4 starts 250 ms after IPv6 (RFC 8305 5), plus DNS and one lab RTT
    # under TCG: not at once, and not after a connect timeout
    assert 250 <= ms <= 450, (ms, r.output)
    assert re.search(r"^tcp: bytes=%d sha256=[0-9a-f]{64} ms=\d+ family=4$" % SIZE,
                     r.output, re.M), r.output
    assert server_families(lab) == [4]
    print("he fallback: connect_ms=%d (boot %.1fs)" % (ms, time.monotonic() - t0))


def test_tcpget_ipv6_literal_in_brackets(lab):
    # a literal connects directly (no lookup); without brackets it is refused
    r = boot(cmdline="%s tcpget=[fd77:2::2]:%d tcptimeout=10000 tcpput=fd77:2::2:%d bytes=1 "
             "exit=1" % (GUEST, TCP_PORT, TCP_PORT), net=False, tap=lab.tap, timeout=120)
    peer, family, ms = connected(r)
    assert (peer, family) == ("fd77:2::2", 6), r.output
    assert re.search(r"^tcp: bytes=%d sha256=[0-9a-f]{64} ms=\d+ family=6$" % SIZE,
                     r.output, re.M), r.output
    assert "tcp: error=bad_target detail=IPv6 needs [ADDR]:PORT" in r.output, r.output
    assert re.search(r"dns_queries=0\b", r.output), r.output
    assert server_families(lab) == [6]
