"""A DNS server for the tests, on 127.0.0.1 (UDP and TCP on the same port),
built on python3-dnslib; DNSServer(host=..., port=...) binds elsewhere (an
IPv6 host: IPv6, and "::" takes IPv4 too). Run as a program it serves in the
network namespace it is started in (tests/integration/netns.py):
    python3 dnsserver.py HOST PORT [HOLD_FILE]
prints "dns: listening PORT", then "dns: query NAME TRANSPORT SOURCE" for
each query, until killed. Zone (all under .test):
    a.test       A 10.1.2.3 (TTL 300)
    multi.test   A 10.0.0.1, 10.0.0.2, 10.0.0.3
    www.test     CNAME mid.test; mid.test CNAME a.test
    loop.test    CNAME loop.test (a CNAME loop: no answer)
    fail.test    SERVFAIL
    big.test     over UDP: TC=1 with no answers; over TCP: 40 A records
    huge.test    150 A records 10.3.0.1.. over UDP too (about 2.4 KB: more
                 than one frame, so QEMU's slirp fragments it to the guest)
    ttl0.test    A 10.9.9.9 TTL 0 (never cached)
    hold.test    A 10.7.7.7, answered only once the file `hold` names exists
                 (before: no answer, the client retries): keeps a guest
                 busy while the test does something to it
    anything else: NXDOMAIN
The server counts queries per (name, transport) in .queries.
AAAA (RFC 3596): a name answers AAAA queries from ZONE_AAAA (the CNAME
chain as for A); a name with A records but none there answers AAAA with
NOERROR and no records (NODATA), and A queries never see AAAA records:
    dual.test    A 10.77.2.2, AAAA fd77:2::2 (the netns lab's server)
    v6only.test  AAAA fd77:2::2 (A: NODATA)"""
import os, socket, struct, sys, threading
from collections import Counter
from dnslib import DNSRecord, RR, QTYPE, A, AAAA, CNAME, RCODE

ZONE_A = {"a.test.": (["10.1.2.3"], 300), "multi.test.": (["10.0.0.1", "10.0.0.2", "10.0.0.3"], 300),
          "ttl0.test.": (["10.9.9.9"], 0)}
ZONE_CNAME = {"www.test.": "mid.test.", "mid.test.": "a.test.", "loop.test.": "loop.test."}
ZONE_A["dual.test."] = (["10.77.2.2"], 300)
ZONE_AAAA = {"dual.test.": (["fd77:2::2"], 300), "v6only.test.": (["fd77:2::2"], 300)}


def answer(data, transport, queries, hold=None):
    """The reply to data, or None for no reply (hold.test while held)."""
    q = DNSRecord.parse(data)
    name = str(q.q.qname).lower()
    queries[(name, transport)] += 1
    r = q.reply()
    if name == "hold.test.":
        if not hold or not os.path.exists(hold):
            return None
        r.add_answer(RR(name, QTYPE.A, rdata=A("10.7.7.7"), ttl=0))
        return r.pack()
    if name == "fail.test.":
        r.header.rcode = RCODE.SERVFAIL
        return r.pack()
    if name == "big.test.":
        if transport == "udp":
            r.header.tc = 1
            return r.pack()
        for i in range(40):
            r.add_answer(RR(name, QTYPE.A, rdata=A("10.2.0.%d" % (i + 1)), ttl=60))
        return r.pack()
    if name == "huge.test.":
        for i in range(150):
            r.add_answer(RR(name, QTYPE.A, rdata=A("10.3.%d.%d" % (i // 250, i % 250 + 1)), ttl=60))
        return r.pack()
    cur, hops = name, 0
    while cur in ZONE_CNAME and hops < 10:
        r.add_answer(RR(cur, QTYPE.CNAME, rdata=CNAME(ZONE_CNAME[cur]), ttl=300))
        if ZONE_CNAME[cur] == cur:
            return r.pack()
        cur = ZONE_CNAME[cur]
        hops += 1
    if q.q.qtype == QTYPE.AAAA:
        if cur in ZONE_AAAA:
            addrs, ttl = ZONE_AAAA[cur]
            for a in addrs:
                r.add_answer(RR(cur, QTYPE.AAAA, rdata=AAAA(a), ttl=ttl))
        if cur in ZONE_AAAA or cur in ZONE_A:
            return r.pack()                 # the records, or NODATA
    elif cur in ZONE_AAAA and cur not in ZONE_A:
        return r.pack()                     # an IPv6-only name: A NODATA
    if cur in ZONE_A:
        addrs, ttl = ZONE_A[cur]
        for a in addrs:
            r.add_answer(RR(cur, QTYPE.A, rdata=A(a), ttl=ttl))
        return r.pack()
    r.header.rcode = RCODE.NXDOMAIN
    return r.pack()


class DNSServer:
    def __init__(self, host="127.0.0.1", port=0, hold=None, on_query=None):
        self.queries = Counter()
        self.hold, self.on_query = hold, on_query
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.udp = socket.socket(fam, socket.SOCK_DGRAM)
        self.tcp = socket.socket(fam, socket.SOCK_STREAM)
        if fam == socket.AF_INET6:
            for s in (self.udp, self.tcp):
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self.udp.bind((host, port))
        self.port = self.udp.getsockname()[1]
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((host, self.port))
        self.tcp.listen(8)
        self.stop_flag = False
        self.threads = [threading.Thread(target=self._udp_loop, daemon=True),
                        threading.Thread(target=self._tcp_loop, daemon=True)]
        for t in self.threads:
            t.start()

    def _udp_loop(self):
        self.udp.settimeout(0.2)
        while not self.stop_flag:
            try:
                data, addr = self.udp.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                if self.on_query:
                    self.on_query(DNSRecord.parse(data).q.qname, "udp", addr[0])
                out = answer(data, "udp", self.queries, self.hold)
                if out is not None:
                    self.udp.sendto(out, addr)
            except Exception:
                pass

    def _tcp_loop(self):
        self.tcp.settimeout(0.2)
        while not self.stop_flag:
            try:
                c, addr = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                c.settimeout(5)
                hdr = c.recv(2, socket.MSG_WAITALL)
                n = struct.unpack("!H", hdr)[0]
                data = c.recv(n, socket.MSG_WAITALL)
                if self.on_query:
                    self.on_query(DNSRecord.parse(data).q.qname, "tcp", addr[0])
                out = answer(data, "tcp", self.queries, self.hold)
                if out is not None:
                    c.sendall(struct.pack("!H", len(out)) + out)
            except Exception:
                pass
            finally:
                c.close()

    def close(self):
        self.stop_flag = True
        self.udp.close()
        self.tcp.close()
        for t in self.threads:
            t.join(timeout=2)


if __name__ == "__main__":          # python3 dnsserver.py HOST PORT [HOLD_FILE]
    def log(name, transport, src):
        if src.startswith("::ffff:") and "." in src:      # IPv4 on a dual-stack socket
            src = src[7:]
        print("dns: query %s %s %s" % (name, transport, src), flush=True)
    srv = DNSServer(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None,
                    on_query=log)
    print("dns: listening %d" % srv.port, flush=True)
    threading.Event().wait()        # until the test kills it
