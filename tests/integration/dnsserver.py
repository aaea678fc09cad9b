"""A DNS server for the tests, on 127.0.0.1 (UDP and TCP on the same port),
built on python3-dnslib. Zone (all under .test):
    a.test       A 10.1.2.3 (TTL 300)
    multi.test   A 10.0.0.1, 10.0.0.2, 10.0.0.3
    www.test     CNAME mid.test; mid.test CNAME a.test
    loop.test    CNAME loop.test (a CNAME loop: no answer)
    fail.test    SERVFAIL
    big.test     over UDP: TC=1 with no answers; over TCP: 40 A records
    huge.test    150 A records 10.3.0.1.. over UDP too (about 2.4 KB: more
                 than one frame, so QEMU's slirp fragments it to the guest)
    ttl0.test    A 10.9.9.9 TTL 0 (never cached)
    anything else: NXDOMAIN
The server counts queries per (name, transport) in .queries.
AAAA (RFC 3596): a name answers AAAA queries from ZONE_AAAA (the CNAME
chain as for A); a name with A records but none there answers AAAA with
NOERROR and no records (NODATA), and A queries never see AAAA records:
    dual.test    A 10.77.2.2, AAAA fd77:2::2 (the netns lab's server)
    v6only.test  AAAA fd77:2::2 (A: NODATA)"""
import socket, socketserver, struct, threading
from collections import Counter
from dnslib import DNSRecord, RR, QTYPE, A, AAAA, CNAME, RCODE

ZONE_A = {"a.test.": (["10.1.2.3"], 300), "multi.test.": (["10.0.0.1", "10.0.0.2", "10.0.0.3"], 300),
          "ttl0.test.": (["10.9.9.9"], 0)}
ZONE_CNAME = {"www.test.": "mid.test.", "mid.test.": "a.test.", "loop.test.": "loop.test."}
ZONE_A["dual.test."] = (["10.77.2.2"], 300)
ZONE_AAAA = {"dual.test.": (["fd77:2::2"], 300), "v6only.test.": (["fd77:2::2"], 300)}


def answer(data, transport, queries):
    q = DNSRecord.parse(data)
    name = str(q.q.qname).lower()
    queries[(name, transport)] += 1
    r = q.reply()
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
    def __init__(self):
        self.queries = Counter()
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.port = self.udp.getsockname()[1]
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", self.port))
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
                self.udp.sendto(answer(data, "udp", self.queries), addr)
            except Exception:
                pass

    def _tcp_loop(self):
        self.tcp.settimeout(0.2)
        while not self.stop_flag:
            try:
                c, _ = self.tcp.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                c.settimeout(5)
                hdr = c.recv(2, socket.MSG_WAITALL)
                n = struct.unpack("!H", hdr)[0]
                data = c.recv(n, socket.MSG_WAITALL)
                out = answer(data, "tcp", self.queries)
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
