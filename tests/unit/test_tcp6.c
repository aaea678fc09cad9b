/* net/tcp*.c over IPv6 on the host: the checksum over the IPv6
   pseudo-header; a scripted peer through the real IPv6 layer (ip6_output,
   neighbour discovery and ip6_input on the fake link of ip6_fake.h) for the
   handshake, data both ways, dropped checksum errors, SACK recovery, RSTs
   and a Packet Too Big lowering the MSS; loopback transfers over the
   in-memory link of tcp_link.h (clean, lossy, behind a router with a
   smaller MTU); IPv4 and IPv6 connections at once, with segments of one
   family never taken by a socket of the other. */
#include "unit.h"
#include "tcp_link.h"
#include "ip6_fake.h"
#include "net/checksum.h"
#include "net/eth.h"
#include "net/icmpv6.h"
#include <string.h>
#include "lib/bytes.h"

#define PPORT  80
#define P_ISS  7000u                 /* the scripted peer's ISN */
#define MSS6   1440u                 /* 1500 - 60 */

static uint8_t pat(uint32_t seq) { return (uint8_t)(seq * 131u + (seq >> 8) * 7u + 1u); }

static struct tcp_sock *sk(int s) { return &tcp_socks[s]; }

static const uint8_t G6_ME[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0f};

/* ================= 1. checksum, arguments ================= */

static void test6_checksum(void **st)
{
    (void)st;
    struct ip_addr me = ip_addr_v6(f6_ll), peer = ip_addr_v6(f6_peer);
    uint8_t b[TCP_HDR_MAX + 8];
    const uint8_t pl[5] = {'h', 'e', 'l', 'l', 'o'};
    struct tcp_opts o = { 1440, 7, true, 0, NULL, true, 11, 22 };
    size_t hl = tcp_build_ip(b, &me, &peer, 49200, 443, 1, 2, TCP_ACK | TCP_PSH, 100, &o, pl, 5);
    memcpy(b + hl, pl, 5);
    size_t n = hl + 5;
    /* RFC 8200 8.1 written out: source, destination, 32-bit upper-layer
       length, three zero bytes, next header 6; then the segment */
    uint8_t ph[40 + sizeof b];
    memcpy(ph, f6_ll, 16);
    memcpy(ph + 16, f6_peer, 16);
    be32_put(ph + 32, (uint32_t)n);
    ph[36] = ph[37] = ph[38] = 0;
    ph[39] = 6;
    memcpy(ph + 40, b, n);
    assert_int_equal(inet_checksum(ph, 40 + n), 0);
    struct tcp_seg s;
    assert_int_equal(tcp_parse_ip(b, n, true, &me, &peer, &s), TCP_PARSE_OK);
    assert_int_equal(s.dlen, 5);
    assert_int_equal(s.mss, 1440);
    assert_true(s.has_ts && s.sack_perm);
    /* another address, the IPv4 pseudo-header, mixed families: refused */
    struct ip_addr other = peer;
    other.bytes[15] ^= 1;
    assert_int_equal(tcp_parse_ip(b, n, true, &me, &other, &s), TCP_PARSE_BAD_CHECKSUM);
    struct ip_addr v4a = ip_addr_v4(be32_get(f6_ll)), v4b = ip_addr_v4(be32_get(f6_peer));
    assert_int_equal(tcp_parse_ip(b, n, true, &v4a, &v4b, &s), TCP_PARSE_BAD_CHECKSUM);
    assert_int_equal(tcp_parse_ip(b, n, true, &me, &v4b, &s), TCP_PARSE_BAD_CHECKSUM);
    struct ip_addr none;
    memset(&none, 0, sizeof none);
    assert_int_equal(tcp_parse_ip(b, n, true, &none, &none, &s), TCP_PARSE_BAD_CHECKSUM);
    /* every single bit flip is caught (the data offset's as a bad offset) */
    for (size_t bit = 0; bit < n * 8; bit++) {
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_not_equal(tcp_parse_ip(b, n, true, &me, &peer, &s), TCP_PARSE_OK);
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
}

/* IPv6 destinations tcp_connect refuses, before a slot is taken or a
   segment leaves. */
static void test6_connect_args(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr6(G6_ME);
    static const uint8_t unspec[16], mcast[16] = {0xff, 0x02, [15] = 1};
    static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, 10, 0, 2, 2};
    static const uint8_t loop[16] = {[15] = 1};
    const struct { const uint8_t *a; enum net_err e; } bad[] = {
        { unspec, NET_ERR_INVALID_ARG }, { mcast, NET_ERR_INVALID_ARG },
        { mapped, NET_ERR_INVALID_ARG }, { loop, NET_ERR_NO_ROUTE },
    };
    enum net_err e;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ip_addr d = ip_addr_v6(bad[i].a);
        e = NET_OK;
        assert_int_equal(tcp_connect(&d, PPORT, 1000, &e), -1);
        assert_int_equal(e, bad[i].e);
    }
    struct ip_addr d = ip_addr_v6(f6_peer);
    assert_int_equal(tcp_connect(&d, 0, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_INVALID_ARG);
    net_set_random(no_random);
    assert_int_equal(tcp_connect(&d, PPORT, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_ENTROPY);
    assert_int_equal(cap_n, 0);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        assert_false(tcp_socks[i].used);
    /* a link-local destination with a caller's source */
    net_set_random(test_random);
    int s = tcp_connect(&d, PPORT, 1000, &e);
    assert_true(s >= 0);
    assert_int_equal(cap_n, 1);
    assert_memory_equal(cap[0].src6.bytes, G6_ME, 16);
    assert_true(ip_addr_eq(&cap[0].dst6, &d));
    tcp_abort(s);
}

/* ================= 2. through the IPv6 layer ================= */

/* TCP with its own output (ip6_output) on the fake IPv6 link, our
   link-local address past DAD. tcp_reset_all (in tcp_test_reset) registers
   tcp_input6 before ip6_init, as net_init does: ip6_init keeps it. */
static void layer_start(void)
{
    tcp_test_reset();
    tcp_set_output(NULL);
    f6_start_ready(NULL);
}

/* Frame i as a TCP segment (false when it is not TCP): IPv6 header in *h,
   checksum verified over the IPv6 pseudo-header. */
static bool f6_tcp(int i, struct ip6_hdr *h, struct tcp_seg *s)
{
    size_t n;
    const uint8_t *p = f6_sent(i, h, &n);
    if (h->nh != IP6_NH_TCP)
        return false;
    struct ip_addr a = ip_addr_v6(h->src), b = ip_addr_v6(h->dst);
    assert_int_equal(tcp_parse_ip(p, n, true, &a, &b, s), TCP_PARSE_OK);
    return true;
}

static int next_tcp(int from, struct ip6_hdr *h, struct tcp_seg *s)
{
    for (int i = from; i < f6_ntx; i++)
        if (f6_tcp(i, h, s))
            return i;
    return -1;
}

static int count_tcp(void)
{
    struct ip6_hdr h;
    struct tcp_seg s;
    int n = 0;
    for (int i = next_tcp(0, &h, &s); i >= 0; i = next_tcp(i + 1, &h, &s))
        n++;
    return n;
}

/* A segment src -> dst into ip6_input; corrupt flips one bit of it after
   the checksum. */
static void seg_in(const uint8_t src[16], const uint8_t dst[16], uint16_t sport, uint16_t dport,
                   uint32_t seq, uint32_t ack, uint8_t flags, const struct tcp_opts *o,
                   const uint8_t *d, size_t n, bool corrupt)
{
    static uint8_t seg[TCP_HDR_MAX + 1500], pkt[1600];
    struct ip_addr a = ip_addr_v6(src), b = ip_addr_v6(dst);
    size_t hl = tcp_build_ip(seg, &a, &b, sport, dport, seq, ack, flags, 65535, o, d, n);
    if (n)
        memcpy(seg + hl, d, n);
    if (corrupt)
        seg[hl + n - 1] ^= 0x10;
    size_t len = f6_packet(pkt, src, dst, IP6_NH_TCP, 64, seg, hl + n, 0);
    ip6_input(pkt, len, f6_now);
}

/* The peer f6_peer:PPORT, connected to by the stack (handshake through
   neighbour discovery); SYN-ACK with SACK, window scale 7, no timestamps
   (so the MSS is the option's value). */
struct peer6 { int s; uint16_t lport; uint32_t iss, nxt; };

static void pin(const struct peer6 *p, uint8_t flags, uint32_t seq, uint32_t ack,
                const struct tcp_opts *o, const uint8_t *d, size_t n)
{
    seg_in(f6_peer, f6_ll, PPORT, p->lport, seq, ack, flags, o, d, n, false);
}

static struct peer6 layer_open(void)
{
    layer_start();
    struct ip_addr dst = ip_addr_v6(f6_peer);
    enum net_err e;
    struct peer6 p;
    p.s = tcp_connect(&dst, PPORT, 10000, &e);
    assert_true(p.s >= 0);
    assert_int_equal(e, NET_OK);
    /* the SYN waits behind a neighbour solicitation */
    struct ip6_hdr h;
    struct tcp_seg syn;
    assert_int_equal(f6_count(ICMP6_NEIGHBOR_SOLICIT), 1);
    assert_int_equal(next_tcp(0, &h, &syn), -1);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x60, f6_peer_mac);
    int i = next_tcp(0, &h, &syn);
    assert_true(i >= 0);
    assert_memory_equal(f6_tx[i].b, f6_peer_mac, 6);
    assert_memory_equal(h.src, f6_ll, 16);           /* slaac_source: link-local */
    assert_memory_equal(h.dst, f6_peer, 16);
    assert_int_equal(h.hlim, IP6_HOP_LIMIT);
    assert_int_equal(syn.flags, TCP_SYN);
    assert_true(syn.has_mss);
    assert_int_equal(syn.mss, MSS6);                 /* link MTU - 60 */
    p.lport = syn.sport;
    p.iss = syn.seq;
    p.nxt = P_ISS + 1;
    for (int k = 0; k < 10; k++)
        tcp_timers(++now_ms);
    f6_ntx = 0;
    struct tcp_opts o = { MSS6, 7, true, 0, NULL, false, 0, 0 };
    pin(&p, TCP_SYN | TCP_ACK, P_ISS, p.iss + 1, &o, NULL, 0);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    struct tcp_seg a;
    assert_true(next_tcp(0, &h, &a) >= 0);
    assert_int_equal(a.flags, TCP_ACK);
    assert_int_equal(a.ack, P_ISS + 1);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.mss, MSS6);
    /* a window update: the SYN's window is never scaled */
    pin(&p, TCP_ACK, p.nxt, p.iss + 1, NULL, NULL, 0);
    f6_ntx = 0;
    return p;
}

static void test6_layer_handshake_data(void **st)
{
    (void)st;
    struct peer6 p = layer_open();
    struct ip6_hdr h;
    struct tcp_seg s;
    /* data in, acknowledged */
    const uint8_t ping[4] = {'p', 'i', 'n', 'g'};
    pin(&p, TCP_ACK | TCP_PSH, p.nxt, p.iss + 1, NULL, ping, 4);
    p.nxt += 4;
    uint8_t got[8];
    assert_int_equal(tcp_recv(p.s, got, sizeof got), 4);
    assert_memory_equal(got, ping, 4);
    for (int k = 0; k < 2 * TCP_DELACK_MS; k++)
        tcp_timers(++now_ms);
    assert_int_equal(count_tcp(), 1);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.ack, p.nxt);
    /* a checksum error: dropped, not acknowledged, nothing read */
    uint64_t bad = net_stats.rx_malformed;
    f6_ntx = 0;
    seg_in(f6_peer, f6_ll, PPORT, p.lport, p.nxt, p.iss + 1, TCP_ACK | TCP_PSH, NULL, ping, 4,
           true);
    assert_int_equal(net_stats.rx_malformed, bad + 1);
    assert_int_equal(tcp_readable(p.s), 0);
    assert_int_equal(sk(p.s)->rcv_nxt, p.nxt);
    for (int k = 0; k < 2 * TCP_DELACK_MS; k++)
        tcp_timers(++now_ms);
    assert_int_equal(count_tcp(), 0);
    /* data out, acknowledged */
    f6_ntx = 0;
    static uint8_t data[3000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(p.iss + 1 + (uint32_t)i);
    assert_int_equal(tcp_send(p.s, data, sizeof data), (long)sizeof data);
    assert_int_equal(count_tcp(), 3);                 /* 1440 + 1440 + 120 */
    uint32_t seq = p.iss + 1;
    for (int i = next_tcp(0, &h, &s); i >= 0; i = next_tcp(i + 1, &h, &s)) {
        assert_int_equal(s.seq, seq);
        assert_true(s.dlen <= MSS6);
        assert_true(h.plen + IP6_HDR_LEN <= 1500);
        for (size_t k = 0; k < s.dlen; k++)
            assert_int_equal(s.data[k], pat(s.seq + (uint32_t)k));
        seq += (uint32_t)s.dlen;
    }
    assert_int_equal(seq, p.iss + 1 + sizeof data);
    pin(&p, TCP_ACK, p.nxt, seq, NULL, NULL, 0);
    assert_true(tcp_send_idle(p.s));
    /* abort: a RST over IPv6 */
    f6_ntx = 0;
    tcp_abort(p.s);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.flags, TCP_RST | TCP_ACK);
    assert_int_equal(s.seq, seq);
    assert_memory_equal(h.dst, f6_peer, 16);
}

/* Segments for no socket: a RST back over IPv6 (RFC 9293 3.10.7.1); none
   for an IPv4-mapped source, a multicast destination or a bad checksum. */
static void test6_layer_rst(void **st)
{
    (void)st;
    layer_start();
    struct ip6_hdr h;
    struct tcp_seg s;
    /* a SYN to a closed port: RST|ACK for seq + 1 (after the NS/NA) */
    seg_in(f6_peer, f6_ll, 40000, 9, 1234, 0, TCP_SYN, NULL, NULL, 0, false);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x60, f6_peer_mac);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.flags, TCP_RST | TCP_ACK);
    assert_int_equal(s.ack, 1235);
    assert_int_equal(s.sport, 9);
    assert_int_equal(s.dport, 40000);
    assert_memory_equal(h.src, f6_ll, 16);
    assert_memory_equal(h.dst, f6_peer, 16);
    /* an ACK for no socket: RST with its ack as seq */
    f6_ntx = 0;
    seg_in(f6_peer, f6_ll, 40000, 9, 1234, 99999, TCP_ACK, NULL, NULL, 0, false);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.flags, TCP_RST);
    assert_int_equal(s.seq, 99999);
    /* no answer to these */
    f6_ntx = 0;
    uint64_t dropped = net_stats.rx_dropped, bad = net_stats.rx_malformed;
    static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, 10, 0, 2, 2};
    seg_in(mapped, f6_ll, 40000, 9, 1234, 0, TCP_SYN, NULL, NULL, 0, false);
    seg_in(f6_peer, ip6_all_nodes, 40000, 9, 1234, 0, TCP_SYN, NULL, NULL, 0, false);
    assert_int_equal(net_stats.rx_dropped, dropped + 2);
    seg_in(f6_peer, f6_ll, 40000, 9, 1234, 0, TCP_SYN, NULL, (const uint8_t *)"x", 1, true);
    assert_int_equal(net_stats.rx_malformed, bad + 1);
    assert_int_equal(f6_ntx, 0);
    /* a listener takes an IPv6 SYN: SYN-ACK with the IPv6 MSS */
    enum net_err e;
    int l = tcp_listen(8080, &e);
    assert_true(l >= 0);
    seg_in(f6_peer, f6_ll, 40001, 8080, 500, 0, TCP_SYN, NULL, NULL, 0, false);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(s.mss, MSS6);
    assert_int_equal(s.ack, 501);
    assert_true(ip_addr_is_v6(&sk(l)->rip));
    seg_in(f6_peer, f6_ll, 40001, 8080, 501, s.seq + 1, TCP_ACK, NULL, NULL, 0, false);
    assert_int_equal(tcp_state(l), TCP_ESTABLISHED);
    struct tcp_sock_stats ss;
    tcp_get_stats(l, &ss);
    assert_int_equal(ss.mss, TCP_DEFAULT_MSS);        /* the SYN had no MSS option */
    tcp_abort(l);
}

/* Five full segments in flight (the window grown by one ACK); returns the
   first one's sequence number. */
static uint32_t five_in_flight(struct peer6 *p)
{
    static uint8_t data[64 * 1024];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(p->iss + 1 + (uint32_t)i);
    assert_int_equal(tcp_send(p->s, data, sizeof data), (long)sizeof data);
    assert_int_equal(count_tcp(), 3);                 /* initial window 4380 = 3 MSS */
    uint32_t U = p->iss + 1 + 3 * MSS6;
    f6_ntx = 0;
    pin(p, TCP_ACK, p->nxt, U, NULL, NULL, 0);        /* slow start: +2 MSS */
    assert_int_equal(count_tcp(), 5);
    f6_ntx = 0;
    assert_int_equal(sk(p->s)->snd_max - U, 5 * MSS6);
    return U;
}

static void test6_layer_sack(void **st)
{
    (void)st;
    struct peer6 p = layer_open();
    uint32_t U = five_in_flight(&p);
    /* the first of the five is lost: the peer SACKs the other four */
    struct tcp_range b[1] = { { U + MSS6, U + 2 * MSS6 } };
    struct tcp_opts o = { 0, -1, false, 1, b, false, 0, 0 };
    for (int k = 2; k <= 4; k++) {
        b[0].r = U + (uint32_t)k * MSS6 + MSS6;
        pin(&p, TCP_ACK, p.nxt, U, &o, NULL, 0);
    }
    struct ip6_hdr h;
    struct tcp_seg s;
    int i = next_tcp(0, &h, &s);
    assert_true(i >= 0);
    assert_int_equal(s.seq, U);                       /* the hole, at once */
    assert_int_equal(s.dlen, MSS6);
    assert_int_equal(s.data[100], pat(U + 100));
    assert_memory_equal(h.dst, f6_peer, 16);
    for (i = next_tcp(i + 1, &h, &s); i >= 0; i = next_tcp(i + 1, &h, &s))
        assert_false(SEQ_GT(s.seq + (uint32_t)s.dlen, U + MSS6) &&
                     SEQ_LT(s.seq, U + 5 * MSS6));     /* SACKed data never again */
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.fast_retransmits, 1);
    assert_true(ss.sack_retransmits >= 1);
    assert_true(sk(p.s)->in_recovery);
    pin(&p, TCP_ACK, p.nxt, sk(p.s)->snd_max, NULL, NULL, 0);
    assert_false(sk(p.s)->in_recovery);
    tcp_abort(p.s);
}

/* A router's Packet Too Big of 1280 for the peer: the MSS drops to
   1280 - 60, what was in flight goes again at once in that size (not a
   congestion signal), and every later segment fits. */
static void test6_layer_ptb(void **st)
{
    (void)st;
    struct peer6 p = layer_open();
    uint32_t U = five_in_flight(&p);
    uint32_t top = sk(p.s)->snd_max;
    uint32_t cwnd = sk(p.s)->cwnd;
    assert_int_equal(top, U + 5 * MSS6);
    /* the router quotes the first segment of the five (as much as fits) */
    uint8_t msg[8 + IP6_MIN_MTU - 48] = {ICMP6_PACKET_TOO_BIG, 0};
    be32_put(msg + 4, IP6_MIN_MTU);
    static uint8_t quoted[1500];
    struct ip6_hdr qh = {.plen = 1460, .nh = IP6_NH_TCP, .hlim = 64};
    memcpy(qh.src, f6_ll, 16);
    memcpy(qh.dst, f6_peer, 16);
    ip6_build(quoted, &qh);
    memcpy(msg + 8, quoted, sizeof msg - 8);
    f6_icmp_in(f6_router, f6_ll, 64, msg, sizeof msg);
    assert_int_equal(ip6_path_mtu(f6_peer), IP6_MIN_MTU);
    assert_int_equal(f6_ntx, 0);
    tcp_timers(++now_ms);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.mss, IP6_MIN_MTU - 60);
    assert_int_equal(ss.cwnd, cwnd);
    assert_int_equal(ss.rto_expiries, 0);
    struct ip6_hdr h;
    struct tcp_seg s;
    uint32_t seq = U;
    int n = 0;
    for (int i = next_tcp(0, &h, &s); i >= 0; i = next_tcp(i + 1, &h, &s), n++) {
        assert_true(IP6_HDR_LEN + h.plen <= IP6_MIN_MTU);
        assert_int_equal(s.seq, seq);                 /* from the oldest, in order */
        assert_true(s.dlen <= IP6_MIN_MTU - 60);
        for (size_t k = 0; k < s.dlen; k += 97)
            assert_int_equal(s.data[k], pat(s.seq + (uint32_t)k));
        seq += (uint32_t)s.dlen;
    }
    /* as much as the (unchanged) congestion window allows, in 1220s */
    uint32_t m = IP6_MIN_MTU - 60;
    assert_int_equal(n, cwnd / m);
    assert_int_equal(seq, U + cwnd / m * m);
    assert_true(SEQ_LT(seq, top));
    assert_int_equal(ss.retransmits, (uint64_t)n);
    /* acknowledged: the rest of the five, then new data, in the smaller
       size only */
    for (int round = 0; round < 3; round++) {
        f6_ntx = 0;
        pin(&p, TCP_ACK, p.nxt, seq, NULL, NULL, 0);
        assert_true(count_tcp() > 0);
        for (int i = next_tcp(0, &h, &s); i >= 0; i = next_tcp(i + 1, &h, &s)) {
            assert_true(IP6_HDR_LEN + h.plen <= IP6_MIN_MTU);
            assert_int_equal(s.seq, seq);
            seq += (uint32_t)s.dlen;
        }
    }
    assert_true(SEQ_GT(seq, top));
    /* never below 1280 - 60: a PTB of 1000 is taken as 1280 */
    be32_put(msg + 4, 1000);
    f6_icmp_in(f6_router, f6_ll, 64, msg, sizeof msg);
    tcp_timers(++now_ms);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.mss, IP6_MIN_MTU - 60);
    /* the entry ages out (RFC 8201 4): the MSS grows back */
    f6_advance(ICMP6_PMTU_AGE_MS);
    assert_int_equal(ip6_path_mtu(f6_peer), 1500);
    tcp_timers(++now_ms);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.mss, MSS6);
    tcp_abort(p.s);
}

/* Through the stack as the kernel runs it: net_set_ipv6, net_init (which
   calls tcp_reset_all before ip6_init), frames from the device, net_poll.
   A SYN to a listener is answered with a SYN-ACK over IPv6 once the
   peer's link address is known; the ACK completes the handshake. */
static struct f6_frame dev_rx[8];
static int dev_nrx, dev_pos;
static size_t dev_rx_fn(void *ctx, uint8_t *buf, size_t room)
{
    (void)ctx;
    if (dev_pos >= dev_nrx || dev_rx[dev_pos].len > room)
        return 0;
    memcpy(buf, dev_rx[dev_pos].b, dev_rx[dev_pos].len);
    return dev_rx[dev_pos++].len;
}

static void dev_queue_tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                          uint8_t flags)
{
    struct f6_frame *f = &dev_rx[dev_nrx++];
    uint8_t seg[TCP_HDR_MAX];
    struct ip_addr a = ip_addr_v6(f6_peer), b = ip_addr_v6(f6_ll);
    size_t hl = tcp_build_ip(seg, &a, &b, sport, dport, seq, ack, flags, 65535, NULL, NULL, 0);
    eth_build(f->b, f6_mac, f6_peer_mac, ETH_TYPE_IPV6);
    f->len = ETH_HDR_LEN + f6_packet(f->b + ETH_HDR_LEN, f6_peer, f6_ll, IP6_NH_TCP, 64, seg,
                                     hl, 0);
}

static void test6_stack(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_output(NULL);
    struct netdev dev = {.tx = f6_tx_fn, .rx = dev_rx_fn, .name = "fake6"};
    memcpy(dev.mac, f6_mac, 6);
    struct net_config c;
    assert_int_equal(net_config_parse(&c, "10.0.2.15/24", NULL, NULL), NET_OK);
    struct ip6_config v6;
    assert_int_equal(ip6_config_parse(&v6, "1", NULL, NULL), NET_OK);
    net_set_ipv6(&v6);
    net_init(&dev, &c, 0);
    dev_nrx = dev_pos = 0;
    for (uint64_t t = 0; t <= 1500; t += 100)
        net_poll(t);
    assert_true(slaac_is_mine(f6_ll));
    enum net_err e;
    int l = tcp_listen(8080, &e);
    assert_true(l >= 0);
    f6_ntx = 0;
    dev_queue_tcp(40000, 8080, 900, 0, TCP_SYN);
    net_poll(1600);
    assert_int_equal(tcp_state(l), TCP_SYN_RECEIVED);
    assert_int_equal(f6_count(ICMP6_NEIGHBOR_SOLICIT), 1);
    f6_na_in(f6_peer, f6_ll, f6_peer, 0x60, f6_peer_mac);
    struct ip6_hdr h;
    struct tcp_seg s;
    int i = next_tcp(0, &h, &s);
    assert_true(i >= 0);
    assert_int_equal(s.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(s.ack, 901);
    assert_int_equal(s.mss, MSS6);
    assert_memory_equal(f6_tx[i].b, f6_peer_mac, 6);
    dev_queue_tcp(40000, 8080, 901, s.seq + 1, TCP_ACK);
    net_poll(1700);
    assert_int_equal(tcp_state(l), TCP_ESTABLISHED);
    assert_true(ip_addr_is_v6(&sk(l)->rip));
    /* a closed port: RST over IPv6 */
    f6_ntx = 0;
    dev_queue_tcp(40001, 9, 5, 0, TCP_SYN);
    net_poll(1800);
    assert_true(next_tcp(0, &h, &s) >= 0);
    assert_int_equal(s.flags, TCP_RST | TCP_ACK);
    tcp_abort(l);
    net_set_ipv6(NULL);
    net_init(NULL, &c, 0);
}

/* ================= 3. loopback over the in-memory link ================= */

struct side {
    int s;
    uint8_t *out, *in;
    size_t sent, got;
    bool eof, closed;
};

static void side_io(struct side *x, size_t total)
{
    if (x->sent < total) {
        long n = tcp_send(x->s, x->out + x->sent, total - x->sent);
        assert_true(n >= 0);
        x->sent += (size_t)n;
    }
    while (!x->eof) {
        long n = tcp_recv(x->s, x->in + x->got, total + 1 - x->got);
        if (n == -(long)NET_ERR_AGAIN)
            break;
        assert_true(n >= 0);
        if (n == 0)
            x->eof = true;
        x->got += (size_t)n;
        assert_true(x->got <= total);
    }
}

/* Two sockets of one connection: a connected, b accepted. */
struct pair { struct side a, b; };

#define XFER (512u * 1024u)
static uint8_t bufs[2][4][XFER + 1];

static void pair_open(struct pair *p, int idx, const struct ip_addr *dst, uint16_t port)
{
    memset(p, 0, sizeof *p);
    p->a.out = bufs[idx][0];
    p->b.out = bufs[idx][1];
    p->a.in = bufs[idx][2];
    p->b.in = bufs[idx][3];
    uint64_t r = 99u + (uint64_t)idx;
    for (size_t i = 0; i < XFER; i++) {
        p->a.out[i] = (uint8_t)rng_next(&r);
        p->b.out[i] = (uint8_t)(i * 7 + (i >> 12) + (size_t)idx);
    }
    enum net_err e;
    p->b.s = tcp_listen(port, &e);
    assert_true(p->b.s >= 0);
    p->a.s = tcp_connect(dst, port, 60000, &e);
    assert_true(p->a.s >= 0);
}

/* Runs n pairs until each side has all total bytes of the other. */
static void pairs_run(struct pair *ps, int n, size_t total)
{
    uint64_t t0 = now_ms;
    for (;;) {
        bool done = true;
        for (int i = 0; i < n; i++) {
            struct pair *p = &ps[i];
            assert_int_equal(tcp_error(p->a.s), NET_OK);
            assert_int_equal(tcp_error(p->b.s), NET_OK);
            if (tcp_state(p->a.s) == TCP_ESTABLISHED)
                side_io(&p->a, total);
            if (tcp_state(p->b.s) == TCP_ESTABLISHED)
                side_io(&p->b, total);
            done = done && p->a.got == total && p->b.got == total;
        }
        if (done)
            break;
        assert_true(now_ms - t0 < 600000);
        link_step(1);
    }
    for (int i = 0; i < n; i++) {
        assert_memory_equal(ps[i].a.in, ps[i].b.out, total);
        assert_memory_equal(ps[i].b.in, ps[i].a.out, total);
    }
}

/* Orderly close of every pair: a first, b after its EOF; a ends in
   TIME_WAIT, b's slot is freed. */
static void pairs_close(struct pair *ps, int n, size_t total)
{
    for (int i = 0; i < n; i++)
        tcp_close(ps[i].a.s);
    uint64_t t0 = now_ms;
    for (;;) {
        bool done = true;
        for (int i = 0; i < n; i++) {
            struct pair *p = &ps[i];
            if (!p->b.closed) {
                side_io(&p->b, total);
                if (p->b.eof) {
                    assert_int_equal(tcp_state(p->b.s), TCP_CLOSE_WAIT);
                    tcp_close(p->b.s);
                    p->b.closed = true;
                }
            }
            done = done && p->b.closed && !sk(p->b.s)->used &&
                   (sk(p->a.s)->state == TCP_TIME_WAIT || !sk(p->a.s)->used);
        }
        if (done)
            break;
        assert_true(now_ms - t0 < 600000);
        link_step(1);
    }
}

static const uint8_t G6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};   /* the loopback address */

static void loop6_start(const struct link_cfg *c)
{
    tcp_test_reset();
    icmp6_reset();                       /* no path MTU entries from earlier tests */
    link_start(IP4_ADDR(127, 0, 0, 1), c);
    tcp_set_local_addr6(G6);
}

static void test6_loopback_clean(void **st)
{
    (void)st;
    struct link_cfg c = { 5, 0, 0, 0, 0, 1 };
    loop6_start(&c);
    struct ip_addr dst = ip_addr_v6(G6);
    struct pair p;
    pair_open(&p, 0, &dst, 443);
    pairs_run(&p, 1, XFER);
    struct tcp_sock_stats cs, ss;
    tcp_get_stats(p.a.s, &cs);
    tcp_get_stats(p.b.s, &ss);
    assert_int_equal(cs.mss, MSS6 - TCP_TS_LEN);      /* 1500 - 60, timestamps */
    assert_int_equal(ss.mss, MSS6 - TCP_TS_LEN);
    assert_int_equal(cs.retransmits + ss.retransmits, 0);
    assert_true(ip_addr_eq(&sk(p.b.s)->rip, &dst));
    assert_true(ip_addr_eq(&sk(p.b.s)->lip, &dst));
    assert_int_equal(net_stats.rx_malformed, 0);
    pairs_close(&p, 1, XFER);
    assert_int_equal(sk(p.a.s)->state, TCP_TIME_WAIT);
}

/* Drops, duplicates, reordering and bit flips: SACK recovery over IPv6,
   the corrupted segments caught by the IPv6 pseudo-header checksum. */
static void test6_loopback_lossy(void **st)
{
    (void)st;
    static const uint64_t seeds[] = { 1, 2 };
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        struct link_cfg c = { 5, 50, 20, 50, 10, seeds[k] };
        loop6_start(&c);
        struct ip_addr dst = ip_addr_v6(G6);
        struct pair p;
        pair_open(&p, 0, &dst, 443);
        pairs_run(&p, 1, XFER);
        struct tcp_sock_stats cs, ss;
        tcp_get_stats(p.a.s, &cs);
        tcp_get_stats(p.b.s, &ss);
        assert_true(lstat.dropped > 0 && lstat.corrupted > 0 && lstat.reordered > 0);
        assert_true(cs.sack_retransmits + ss.sack_retransmits > 0);
        assert_true(cs.out_of_order + ss.out_of_order > 0);
        assert_true(net_stats.rx_malformed > 0);
        assert_int_equal(lstat.too_big, 0);
        pairs_close(&p, 1, XFER);
    }
}

/* A router with a 1280-byte MTU between the two ends: the first full
   segments are dropped, its Packet Too Big (through ip6_input and ICMPv6)
   lowers the path MTU, TCP sends them again in the smaller size, without
   waiting for a timeout, and nothing after that is too big. */
static void ptb_from_router(const struct ip_addr *src, const struct ip_addr *dst,
                            const uint8_t *seg, size_t len)
{
    static uint8_t msg[8 + IP6_MIN_MTU - 48];
    static uint8_t pkt[1600];
    memset(msg, 0, sizeof msg);
    msg[0] = ICMP6_PACKET_TOO_BIG;
    be32_put(msg + 4, IP6_MIN_MTU);
    size_t n = f6_packet(pkt, src->bytes, dst->bytes, IP6_NH_TCP, 64, seg, len, 0);
    size_t q = n < sizeof msg - 8 ? n : sizeof msg - 8;
    memcpy(msg + 8, pkt, q);
    f6_icmp_in(f6_router, f6_ll, 64, msg, 8 + q);
}

static void test6_loopback_ptb(void **st)
{
    (void)st;
    struct link_cfg c = { 5, 0, 0, 0, 0, 3 };
    tcp_test_reset();
    f6_start_ready(NULL);                /* f6_ll ours: ICMPv6 takes the PTB */
    link_start(IP4_ADDR(127, 0, 0, 1), &c);
    link_path_mtu6 = IP6_MIN_MTU;
    link_ptb = ptb_from_router;
    struct ip_addr dst = ip_addr_v6(f6_ll);          /* source by slaac_source */
    struct pair p;
    pair_open(&p, 0, &dst, 443);
    pairs_run(&p, 1, XFER);
    struct tcp_sock_stats cs, ss;
    tcp_get_stats(p.a.s, &cs);
    tcp_get_stats(p.b.s, &ss);
    assert_true(lstat.too_big > 0);
    assert_true(lstat.too_big <= 16);                 /* only what left before the PTB */
    assert_int_equal(ip6_stats.ptb_rx, lstat.too_big);
    assert_int_equal(ip6_path_mtu(f6_ll), IP6_MIN_MTU);
    assert_int_equal(cs.mss, IP6_MIN_MTU - 60 - TCP_TS_LEN);
    assert_int_equal(ss.mss, IP6_MIN_MTU - 60 - TCP_TS_LEN);
    assert_int_equal(cs.rto_expiries + ss.rto_expiries, 0);
    uint64_t tb = lstat.too_big;
    pairs_close(&p, 1, XFER);
    assert_int_equal(lstat.too_big, tb);
}

/* IPv4 and IPv6 connections at once over a lossy link, the IPv6 addresses
   holding the same bytes as the IPv4 one (7f00:1:: and 127.0.0.1): the
   demultiplexing goes by family. One listener takes each family. Then
   segments that match the other family's connection in everything but the
   family find no socket: a RST of their own family, the connections
   untouched; an IPv4-mapped one is dropped without an answer. */
static void test6_mixed_families(void **st)
{
    (void)st;
    struct link_cfg c = { 5, 30, 10, 30, 5, 9 };
    tcp_test_reset();
    icmp6_reset();
    const ip4_addr lo4 = IP4_ADDR(127, 0, 0, 1);
    link_start(lo4, &c);
    static const uint8_t same[16] = {127, 0, 0, 1};
    tcp_set_local_addr6(same);
    struct ip_addr d4 = ip_addr_v4(lo4), d6 = ip_addr_v6(same);
    assert_memory_equal(d4.bytes, d6.bytes, 16);
    struct pair ps[2];
    pair_open(&ps[0], 0, &d4, 443);
    pair_open(&ps[1], 1, &d6, 444);
    pairs_run(ps, 2, XFER / 2);
    struct tcp_sock *b4 = sk(ps[0].b.s), *b6 = sk(ps[1].b.s);
    assert_true(ip_addr_eq(&b4->rip, &d4));
    assert_true(ip_addr_eq(&b6->rip, &d6));
    assert_true(lstat.dropped > 0);
    while (lq_n)
        link_step(1);
    /* a copy of a segment to the IPv4 server socket, sent over IPv6 */
    link_on = false;
    cap_n = 0;
    uint8_t b[TCP_HDR_MAX + 8];
    struct tcp_seg s;
    uint32_t rnxt4 = b4->rcv_nxt;
    size_t hl = tcp_build_ip(b, &d6, &d6, b4->rport, b4->lport, rnxt4, b4->snd_nxt,
                             TCP_ACK | TCP_PSH, 1000, NULL, (const uint8_t *)"evil", 4);
    memcpy(b + hl, "evil", 4);
    struct ip6_hdr h = {.plen = (uint16_t)(hl + 4), .nh = IP6_NH_TCP, .hlim = 64};
    memcpy(h.src, same, 16);
    memcpy(h.dst, same, 16);
    tcp_input6(&h, b, hl + 4);
    assert_int_equal(b4->rcv_nxt, rnxt4);
    assert_int_equal(tcp_readable(ps[0].b.s), 0);
    assert_int_equal(cap_n, 1);                        /* RST, over IPv6 */
    assert_true(ip_addr_eq(&cap[0].dst6, &d6));
    assert_int_equal(tcp_parse_ip(cap[0].b, cap[0].len, true, &d6, &d6, &s), TCP_PARSE_OK);
    assert_true(s.flags & TCP_RST);
    assert_int_equal(tcp_state(ps[0].b.s), TCP_ESTABLISHED);
    /* the IPv4-mapped form of the IPv4 peer: dropped, no answer */
    cap_n = 0;
    static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, 127, 0, 0, 1};
    struct ip_addr m6 = ip_addr_v6(mapped);
    hl = tcp_build_ip(b, &m6, &m6, b4->rport, b4->lport, rnxt4, b4->snd_nxt, TCP_ACK | TCP_PSH,
                      1000, NULL, (const uint8_t *)"evil", 4);
    memcpy(b + hl, "evil", 4);
    memcpy(h.src, mapped, 16);
    memcpy(h.dst, mapped, 16);
    tcp_input6(&h, b, hl + 4);
    assert_int_equal(b4->rcv_nxt, rnxt4);
    assert_int_equal(cap_n, 0);
    /* and over IPv4 to the IPv6 server socket */
    uint32_t rnxt6 = b6->rcv_nxt;
    hl = tcp_build(b, lo4, lo4, b6->rport, b6->lport, rnxt6, b6->snd_nxt, TCP_ACK | TCP_PSH,
                   1000, NULL, (const uint8_t *)"evil", 4);
    memcpy(b + hl, "evil", 4);
    tcp_input(lo4, lo4, b, hl + 4);
    assert_int_equal(b6->rcv_nxt, rnxt6);
    assert_int_equal(tcp_readable(ps[1].b.s), 0);
    assert_int_equal(cap_n, 1);                        /* RST, over IPv4 */
    assert_true(ip_addr_is_v4(&cap[0].dst6));
    assert_int_equal(cap[0].dst, lo4);
    assert_int_equal(tcp_state(ps[1].b.s), TCP_ESTABLISHED);
    link_on = true;
    pairs_close(ps, 2, XFER / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test6_checksum),
        cmocka_unit_test(test6_connect_args),
        cmocka_unit_test(test6_layer_handshake_data),
        cmocka_unit_test(test6_layer_rst),
        cmocka_unit_test(test6_layer_sack),
        cmocka_unit_test(test6_layer_ptb),
        cmocka_unit_test(test6_stack),
        cmocka_unit_test(test6_loopback_clean),
        cmocka_unit_test(test6_loopback_lossy),
        cmocka_unit_test(test6_loopback_ptb),
        cmocka_unit_test(test6_mixed_families),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
