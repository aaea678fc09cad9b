"""IPv6 against real Linux peers (issue 25): the guest on a QEMU tap device
in a private network namespace, a Linux router running radvd (a /64 with
an RDNSS option) in another, a server namespace behind it
(tests/integration/netns.py). The server pings the guest over IPv6 (ICMPv6
echo, from a raw socket) and serves DNS over IPv6 (dnsserver.py), the
guest's UDP exchange; static ip6=/gw6= works without radvd; ipv6=0 turns
all of it off.

Each boot resolves hold.test, which the server answers only once the test
has pinged the guest (the hold file): the guest keeps polling, so it can
answer, and the answer proves the UDP exchange both ways."""
import re
import pytest
from qemu import boot
import netns

why = netns.available() or netns.radvd_available()
pytestmark = pytest.mark.skipif(why is not None, reason=str(why))

LL = "fe80::5054:ff:fe12:3456"      # the guest's link-local address (its MAC's EUI-64)


def boot_and_ping(lab, cmdline, hold, target, count=3):
    """Boots the guest with cmdline; when its `net: up` line appears, the
    server pings target (count requests) and then lets hold.test be
    answered. Returns (Result, replies)."""
    got = {}

    def on_line(line, proc):
        if line.startswith("net: up") and "replies" not in got:
            got["replies"] = lab.ping6(lab.server, target, count)
            open(hold, "w").close()
    r = boot(cmdline="%s %s exit=1" % (netns.GUEST_NET, cmdline), net=False, tap=lab.tap,
             timeout=120, on_line=on_line)
    return r, got.get("replies")


def up_line(r):
    m = re.search(r"^net: up .*$", r.output, re.M)
    assert m, r.output
    return m.group(0)


def counters(r):
    m = re.search(r"^net: counters (.*)$", r.output, re.M)
    assert m, r.output
    return {k: int(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def test_slaac_rdnss_ping_and_dns_over_ipv6(lab):
    """radvd's prefix gives the guest a SLAAC address (EUI-64) shown on the
    boot line, its RDNSS option the DNS server (no dns=, no DHCP); the
    server's pings are answered and the guest's DNS query goes over UDP
    from its SLAAC address to [fd77:2::2]:53 and back."""
    lab.start_radvd()
    dns, hold = lab.dns_server("::", 53)
    r, replies = boot_and_ping(lab, "resolve=hold.test", hold, netns.GUEST6_SLAAC)
    queries = lab.stop_dns(dns)
    assert up_line(r) == ("net: up ip=10.77.1.2/24 gw=10.77.1.1 dns=[%s]:53 via=static "
                          "ip6=%s/64 (slaac) ip6_ll=%s" % (netns.SERVER6, netns.GUEST6_SLAAC, LL)), \
        r.output
    assert replies == 3, r.output
    assert "dns: hold.test 10.7.7.7" in r.lines, (r.output, queries)
    assert r.status == "ok", r.output
    assert queries and all(q == "dns: query hold.test. udp %s" % netns.GUEST6_SLAAC
                           for q in queries), queries
    c = counters(r)
    assert c["echo6_rx"] >= 3 and c["echo6_reply_tx"] >= 3, c
    assert c["udp6_rx"] >= 1 and c["udp6_tx"] == len(queries), (c, queries)
    assert c["ra_rx"] >= 1 and c["checksum_errors"] == 0, c


def test_static_ip6_without_radvd(lab):
    """No router advertisement: ip6= and gw6= alone carry the pings and a
    DNS exchange with dns=[V6]:PORT through the router."""
    dns, hold = lab.dns_server("::", 5353)
    r, replies = boot_and_ping(lab, "ip6=fd77:1::99/64 gw6=%s dns=[%s]:5353 resolve=hold.test"
                               % (netns.ROUTER6, netns.SERVER6), hold, "fd77:1::99")
    queries = lab.stop_dns(dns)
    assert up_line(r) == ("net: up ip=10.77.1.2/24 gw=10.77.1.1 dns=[%s]:5353 via=static "
                          "ip6=fd77:1::99/64 (static) ip6_ll=%s" % (netns.SERVER6, LL)), r.output
    assert replies == 3, r.output
    assert "dns: hold.test 10.7.7.7" in r.lines, (r.output, queries)
    assert r.status == "ok", r.output
    assert queries and all(q == "dns: query hold.test. udp fd77:1::99" for q in queries), queries
    assert counters(r)["ra_rx"] == 0


def test_ipv6_off(lab):
    """ipv6=0 with radvd advertising: no IPv6 on the boot line or the
    counters, the SLAAC address is not answered, DNS still works over
    IPv4."""
    lab.start_radvd()
    dns, hold = lab.dns_server("::", 5353)
    r, replies = boot_and_ping(lab, "ipv6=0 dns=%s:5353 resolve=hold.test" % netns.SERVER, hold,
                               netns.GUEST6_SLAAC, count=1)
    queries = lab.stop_dns(dns)
    assert up_line(r) == ("net: up ip=10.77.1.2/24 gw=10.77.1.1 dns=%s:5353 via=static"
                          % netns.SERVER), r.output
    assert replies == 0, r.output
    assert "dns: hold.test 10.7.7.7" in r.lines, (r.output, queries)
    assert r.status == "ok", r.output
    assert queries and all(q.endswith(" udp 10.77.1.2") for q in queries), queries
    assert "ip6_rx=" not in r.output


def test_bad_ipv6_settings_named(lab):
    """ip6= with ipv6=0, and an IPv6 value that is not one: named errors
    before any network work, never a silent default."""
    r = boot(cmdline="%s ipv6=0 ip6=fd77:1::99/64 netup=1 exit=1" % netns.GUEST_NET, net=False,
             tap=lab.tap, timeout=60)
    assert "cmdline: error key=ipv6 detail=conflict" in r.lines, r.output
    assert "net: up" not in r.output and r.status == "fail", r.output
    r = boot(cmdline="%s gw6=fd77:1::1/64 netup=1 exit=1" % netns.GUEST_NET, net=False,
             tap=lab.tap, timeout=60)
    assert "cmdline: error key=gw6 detail=bad_value" in r.lines, r.output
    assert "net: up" not in r.output and r.status == "fail", r.output


def test_dns_tcp_fallback_over_ipv6(lab):
    """TCP over IPv6 against Linux (branch v6tcp's sockets, merged here):
    big.test's UDP answer is truncated, so the resolver asks again over TCP
    to the same IPv6 server, from the SLAAC address."""
    lab.start_radvd()
    dns, hold = lab.dns_server("::", 5353)
    open(hold, "w").close()
    r = boot(cmdline="%s dns=[%s]:5353 resolve=big.test exit=1" % (netns.GUEST_NET, netns.SERVER6),
             net=False, tap=lab.tap, timeout=120)
    queries = lab.stop_dns(dns)
    assert "ip6=%s/64 (slaac)" % netns.GUEST6_SLAAC in up_line(r), r.output
    got = [l for l in r.lines if l.startswith("dns: big.test ")]
    # the first DNS_MAX_ADDRS (8) of the 40 records, which only TCP carried
    assert got == ["dns: big.test 10.2.0.%d" % (i + 1) for i in range(8)], (r.output, queries)
    assert r.status == "ok", r.output
    # resolve= asks A and AAAA: both truncated over UDP, both asked again
    # over TCP. A UDP query may be retried: the first ones go from the
    # optimistic SLAAC address, whose NS carries no SLLA option (RFC 4429
    # 3.3), so Linux resolves us before it answers.
    c = counters(r)
    udp = ["dns: query big.test. udp %s" % netns.GUEST6_SLAAC] * (2 + c["dns_retries"])
    tcp = ["dns: query big.test. tcp %s" % netns.GUEST6_SLAAC] * 2
    assert queries == udp + tcp, (queries, c)
    assert c["dns_tcp"] == 2, r.output
