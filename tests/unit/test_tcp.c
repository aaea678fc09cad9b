/* net/tcp*.c on the host: the segment wire format; a scripted peer (segments
   built by hand with tcp_build, fed to tcp_input, the stack's answers
   captured) for the handshake, receiver, sender, RFC 5961 and API edge
   cases; and loopback transfers between two sockets of the same table over
   an in-memory link (clean and lossy) on a fake clock. */
#include "unit.h"
#include "tcp_link.h"
#include "net/checksum.h"
#include "net/slaac.h"
#include <string.h>
#include "lib/bytes.h"

#define ME     IP4_ADDR(10, 0, 2, 15)
#define PEER   IP4_ADDR(10, 0, 2, 2)
#define PPORT  80
#define P_ISS  5000u                 /* the scripted peer's ISN */
#define MSS    1460u

/* Payload byte at a sequence number: data checks need no buffers. */
static uint8_t pat(uint32_t seq) { return (uint8_t)(seq * 131u + (seq >> 8) * 7u + 1u); }

/* ---- captured segments ---- */
static struct tcp_seg capseg(int i)
{
    struct tcp_seg s;
    assert_true(i >= 0 && i < cap_n);
    assert_int_equal(tcp_parse(cap[i].b, cap[i].len, true, ME, cap[i].dst, &s), TCP_PARSE_OK);
    return s;
}
static struct tcp_seg last_seg(void) { return capseg(cap_n - 1); }

/* ---- the scripted peer ---- */
struct peer {
    int s;
    uint16_t lport;
    uint32_t iss;       /* the stack's ISN */
    uint32_t nxt;       /* peer's next sequence number */
};

static void peer_seg(const struct peer *p, uint8_t flags, uint32_t seq, uint32_t ack,
                     uint16_t wnd, const struct tcp_opts *o, const uint8_t *d, size_t n)
{
    static uint8_t b[TCP_HDR_MAX + 65536];
    size_t hl = tcp_build(b, PEER, ME, PPORT, p->lport, seq, ack, flags, wnd, o, d, n);
    if (n)
        memcpy(b + hl, d, n);
    tcp_input(PEER, ME, b, hl + n);
}

/* Data [seq, seq + n) of the pattern, with an ACK of ack. */
static void peer_data(const struct peer *p, uint32_t seq, size_t n, uint32_t ack, uint16_t wnd,
                      uint8_t extra)
{
    static uint8_t d[65536];
    for (size_t i = 0; i < n; i++)
        d[i] = pat(seq + (uint32_t)i);
    peer_seg(p, TCP_ACK | extra, seq, ack, wnd, NULL, d, n);
}

static void advance(uint64_t ms)
{
    for (uint64_t i = 0; i < ms; i++)
        tcp_timers(++now_ms);
}

/* Active open to PEER:80 answered by a SYN-ACK after rtt ms; ws < 0 leaves
   window scaling out. Returns the peer with the connection ESTABLISHED. */
static struct peer peer_open(int ws, bool sack, uint16_t wnd, uint32_t rtt)
{
    tcp_test_reset();
    tcp_set_local_addr(ME);
    struct peer p;
    enum net_err e;
    p.s = tcp_connect(ADDR(PEER), PPORT, 10000, &e);
    assert_true(p.s >= 0);
    assert_int_equal(e, NET_OK);
    assert_int_equal(cap_n, 1);
    struct tcp_seg syn = capseg(0);
    p.lport = syn.sport;
    p.iss = syn.seq;
    p.nxt = P_ISS + 1;
    advance(rtt);
    struct tcp_opts o = { MSS, ws, sack, 0, NULL, false, 0, 0 };
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, p.iss + 1, wnd, &o, NULL, 0);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    assert_int_equal(cap_n, 2);
    /* a window update: a SYN's window is never scaled, this one is */
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 1, wnd, NULL, NULL, 0);
    assert_int_equal(cap_n, 2);
    cap_n = 0;
    return p;
}

/* A fresh stack with one connect in SYN_SENT; *syn is the SYN it sent. */
static struct peer peer_syn_sent(struct tcp_seg *syn)
{
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int s = tcp_connect(ADDR(PEER), PPORT, 10000, &e);
    assert_true(s >= 0);
    *syn = capseg(0);
    return (struct peer){ s, syn->sport, syn->seq, 0 };
}

static struct tcp_sock *sk(int s) { return &tcp_socks[s]; }

/* ================= 1. wire format ================= */

static void test_wire_errors(void **st)
{
    (void)st;
    uint8_t b[80];
    struct tcp_seg s;
    size_t hl = tcp_build(b, PEER, ME, 1, 2, 3, 4, TCP_ACK, 5, NULL, NULL, 0);
    assert_int_equal(hl, 20);
    assert_int_equal(tcp_parse(b, hl, true, PEER, ME, &s), TCP_PARSE_OK);
    for (size_t n = 0; n < 20; n++)
        assert_int_equal(tcp_parse(b, n, false, 0, 0, &s), TCP_PARSE_SHORT);
    b[12] = 4 << 4;                                  /* offset 16 < 20 */
    assert_int_equal(tcp_parse(b, 20, false, 0, 0, &s), TCP_PARSE_BAD_OFFSET);
    b[12] = 6 << 4;                                  /* 24 > 20 bytes present */
    assert_int_equal(tcp_parse(b, 20, false, 0, 0, &s), TCP_PARSE_BAD_OFFSET);
    b[12] = 15 << 4;
    assert_int_equal(tcp_parse(b, 59, false, 0, 0, &s), TCP_PARSE_BAD_OFFSET);

    /* option lengths: 0, 1, past the header, a kind with no length byte */
    static const uint8_t bad[][4] = {
        { 2, 0, 0, 0 }, { 2, 1, 0, 0 }, { 2, 8, 5, 180 }, { 1, 1, 1, 3 }, { 5, 10, 0, 0 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(b, 0, sizeof b);
        b[12] = 6 << 4;
        memcpy(b + 20, bad[i], 4);
        assert_int_equal(tcp_parse(b, 24, false, 0, 0, &s), TCP_PARSE_BAD_OPTION);
    }
    /* a good MSS option, then end-of-list: parsing stops there */
    memset(b, 0, sizeof b);
    b[12] = 7 << 4;
    memcpy(b + 20, (const uint8_t[]){ 2, 4, 2, 0, 0, 0xFF, 0xFF, 0xFF }, 8);
    assert_int_equal(tcp_parse(b, 28, false, 0, 0, &s), TCP_PARSE_OK);
    assert_true(s.has_mss);
    assert_int_equal(s.mss, 512);

    /* checksum: any flipped bit in header or payload is caught */
    const uint8_t pl[] = "payload!";
    hl = tcp_build(b, PEER, ME, 1000, 2000, 7, 9, TCP_ACK | TCP_PSH, 100, NULL, pl, 8);
    memcpy(b + hl, pl, 8);
    assert_int_equal(tcp_parse(b, hl + 8, true, PEER, ME, &s), TCP_PARSE_OK);
    for (size_t bit = 0; bit < (hl + 8) * 8; bit += 7) {
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        enum tcp_parse_err e = tcp_parse(b, hl + 8, true, PEER, ME, &s);
        assert_true(e == TCP_PARSE_BAD_CHECKSUM || e == TCP_PARSE_BAD_OFFSET);
        b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    b[hl + 3] ^= 0x40;
    assert_int_equal(tcp_parse(b, hl + 8, true, PEER, ME, &s), TCP_PARSE_BAD_CHECKSUM);
    assert_int_equal(tcp_parse(b, hl + 8, false, 0, 0, &s), TCP_PARSE_OK);
    b[hl + 3] ^= 0x40;
    /* the pseudo-header counts: another destination fails */
    assert_int_equal(tcp_parse(b, hl + 8, true, PEER, ME + 1, &s), TCP_PARSE_BAD_CHECKSUM);
    assert_string_equal(tcp_parse_err_str(TCP_PARSE_BAD_OPTION), "bad_option");
}

static void test_wire_options_roundtrip(void **st)
{
    (void)st;
    uint8_t b[TCP_HDR_MAX + 100];
    struct tcp_seg s;
    /* hand-made options: MSS, WS 20 (clamped to 14), SACK-permitted, 2 SACK blocks */
    memset(b, 0, sizeof b);
    const uint8_t opts[] = { 2, 4, 0x05, 0xB4, 1, 3, 3, 20, 4, 2, 1, 1,
                             5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 5,
                             0, 0 };
    memcpy(b + 20, opts, sizeof opts);
    b[12] = (uint8_t)(((20 + sizeof opts) / 4) << 4);
    assert_int_equal(tcp_parse(b, 20 + sizeof opts, false, 0, 0, &s), TCP_PARSE_OK);
    assert_true(s.has_mss && s.has_ws && s.sack_perm);
    assert_int_equal(s.mss, 1460);
    assert_int_equal(s.ws, 14);
    assert_int_equal(s.nsack, 2);
    assert_int_equal(s.sack[0].l, 10);
    assert_int_equal(s.sack[0].r, 20);
    assert_int_equal(s.sack[1].l, 0xFFFFFFF0u);
    assert_int_equal(s.sack[1].r, 5);
    assert_int_equal(s.dlen, 0);

    /* tcp_build -> tcp_parse, every field and option back, checksum valid */
    struct tcp_range blocks[4] = { { 100, 200 }, { 300, 400 }, { 500, 600 }, { 700, 800 } };
    const uint8_t pl[] = { 1, 2, 3, 4, 5 };
    struct tcp_opts o = { 1400, 7, true, 4, blocks, false, 0, 0 };
    size_t hl = tcp_build(b, ME, PEER, 49200, 443, 0xFFFFFFFEu, 0x12345678u,
                          TCP_ACK | TCP_PSH | TCP_FIN, 0xABCD, &o, pl, 5);
    assert_int_equal(hl, TCP_HDR_MAX);          /* 4 blocks do not fit: 3 are sent */
    memcpy(b + hl, pl, 5);
    assert_int_equal(tcp_parse(b, hl + 5, true, ME, PEER, &s), TCP_PARSE_OK);
    assert_int_equal(s.sport, 49200);
    assert_int_equal(s.dport, 443);
    assert_int_equal(s.seq, 0xFFFFFFFEu);
    assert_int_equal(s.ack, 0x12345678u);
    assert_int_equal(s.flags, TCP_ACK | TCP_PSH | TCP_FIN);
    assert_int_equal(s.wnd, 0xABCD);
    assert_true(s.has_mss && s.has_ws && s.sack_perm);
    assert_int_equal(s.mss, 1400);
    assert_int_equal(s.ws, 7);
    assert_int_equal(s.nsack, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s.sack[i].l, blocks[i].l);
        assert_int_equal(s.sack[i].r, blocks[i].r);
    }
    assert_int_equal(s.dlen, 5);
    assert_memory_equal(s.data, pl, 5);
    /* without SYN options all 4 blocks fit */
    struct tcp_opts o2 = { 0, -1, false, 4, blocks, false, 0, 0 };
    hl = tcp_build(b, ME, PEER, 1, 2, 3, 4, TCP_ACK, 5, &o2, NULL, 0);
    assert_int_equal(hl, 20 + 4 + 32);
    assert_int_equal(tcp_parse(b, hl, true, ME, PEER, &s), TCP_PARSE_OK);
    assert_int_equal(s.nsack, 4);
    assert_false(s.has_mss || s.has_ws || s.sack_perm);
    assert_int_equal(s.sack[3].r, 800);
}

/* ================= 2. handshake ================= */

static void test_handshake_active(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int s = tcp_connect(ADDR(PEER), PPORT, 10000, &e);
    assert_true(s >= 0);
    assert_int_equal(tcp_state(s), TCP_SYN_SENT);
    assert_int_equal(cap_n, 1);
    assert_int_equal(cap[0].dst, PEER);
    struct tcp_seg syn = capseg(0);
    assert_int_equal(syn.flags, TCP_SYN);
    assert_int_equal(syn.dport, PPORT);
    assert_true(syn.sport >= 49152);
    assert_true(syn.has_mss && syn.has_ws && syn.sack_perm);
    assert_int_equal(syn.mss, 1460);
    assert_int_equal(syn.ws, 3);
    assert_int_equal(syn.wnd, 65535);
    assert_int_equal(syn.dlen, 0);
    /* data queued before the handshake ends waits for it */
    assert_int_equal(tcp_send(s, "early", 5), 5);
    assert_int_equal(cap_n, 1);

    advance(30);
    struct peer p = { s, syn.sport, syn.seq, P_ISS + 1 };
    struct tcp_opts o = { 1200, 2, true, 0, NULL, false, 0, 0 };
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, syn.seq + 1, 1000, &o, NULL, 0);
    assert_int_equal(tcp_state(s), TCP_ESTABLISHED);
    assert_int_equal(tcp_error(s), NET_OK);
    struct tcp_sock_stats ss;
    tcp_get_stats(s, &ss);
    assert_int_equal(ss.mss, 1200);                 /* the smaller MSS */
    assert_int_equal(ss.snd_wnd, 1000);             /* a SYN's window is not scaled */
    assert_int_equal(ss.srtt_ms, 30);               /* the SYN's round trip */
    assert_true(cap_n >= 2);
    /* the ACK of the SYN-ACK goes out (here with the early data) */
    struct tcp_seg a = capseg(1);
    assert_true(a.flags & TCP_ACK);
    assert_false(a.flags & TCP_SYN);
    assert_int_equal(a.seq, syn.seq + 1);
    assert_int_equal(a.ack, P_ISS + 1);
    assert_int_equal(a.wnd, TCP_RX_BUF >> 3);       /* scaled by our shift 3 */
    assert_int_equal(a.dlen, 5);
    assert_memory_equal(a.data, "early", 5);
    /* the peer's later window is scaled by its shift 2 */
    peer_seg(&p, TCP_ACK, P_ISS + 1, syn.seq + 6, 1000, NULL, NULL, 0);
    tcp_get_stats(s, &ss);
    assert_int_equal(ss.snd_wnd, 4000);
    assert_true(tcp_send_idle(s));
    tcp_abort(s);
}

static void test_handshake_refused(void **st)
{
    (void)st;
    struct tcp_seg syn;
    struct peer p = peer_syn_sent(&syn);
    int s = p.s;
    /* a RST without ACK, or with an unacceptable ACK, is ignored */
    peer_seg(&p, TCP_RST, 0, 0, 0, NULL, NULL, 0);
    assert_int_equal(tcp_state(s), TCP_SYN_SENT);
    peer_seg(&p, TCP_RST | TCP_ACK, 0, syn.seq + 7, 0, NULL, NULL, 0);
    assert_int_equal(tcp_state(s), TCP_SYN_SENT);
    assert_int_equal(cap_n, 1);                      /* never a RST for a RST */
    peer_seg(&p, TCP_RST | TCP_ACK, 0, syn.seq + 1, 0, NULL, NULL, 0);
    assert_int_equal(tcp_state(s), TCP_CLOSED);
    assert_int_equal(tcp_error(s), NET_ERR_REFUSED);
    assert_int_equal(tcp_recv(s, (uint8_t[4]){ 0 }, 4), -(long)NET_ERR_REFUSED);
    assert_int_equal(tcp_send(s, "x", 1), -(long)NET_ERR_REFUSED);
    assert_int_equal(cap_n, 1);
    advance(20000);                                  /* no more SYNs */
    assert_int_equal(cap_n, 1);
    tcp_close(s);
    assert_false(tcp_socks[s].used);
}

static void test_handshake_timeout(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    uint64_t t0 = now_ms;
    int s = tcp_connect(ADDR(PEER), PPORT, 10000, &e);
    uint64_t when[8];
    int n = 0;
    while (tcp_state(s) == TCP_SYN_SENT) {
        assert_true(now_ms < t0 + 20000);
        int before = cap_n;
        tcp_timers(++now_ms);
        if (cap_n > before) {
            assert_true(n < 8);
            struct tcp_seg x = last_seg();
            assert_int_equal(x.flags, TCP_SYN);
            assert_int_equal(x.seq, capseg(0).seq);
            when[n++] = now_ms - t0;
        }
    }
    /* RTO 1 s doubling: SYNs at 0, 1, 3, 7 s; gives up at the 10 s deadline */
    assert_int_equal(n, 3);
    assert_int_equal(when[0], 1000);
    assert_int_equal(when[1], 3000);
    assert_int_equal(when[2], 7000);
    assert_int_equal(now_ms - t0, 10000);
    assert_int_equal(tcp_state(s), TCP_CLOSED);
    assert_int_equal(tcp_error(s), NET_ERR_CONNECT_TIMEOUT);
    struct tcp_sock_stats ss;
    tcp_get_stats(s, &ss);
    assert_int_equal(ss.retransmits, 3);
    tcp_close(s);

    /* without a deadline in reach, the SYN retries run out instead */
    tcp_test_reset();
    tcp_set_local_addr(ME);
    s = tcp_connect(ADDR(PEER), PPORT, 100000000, &e);
    while (tcp_state(s) == TCP_SYN_SENT)
        tcp_timers(now_ms += 100);
    assert_int_equal(tcp_error(s), NET_ERR_CONNECT_TIMEOUT);
    assert_int_equal(cap_n, 1 + TCP_MAX_RETRIES);
    tcp_close(s);
}

static void test_handshake_bad_synack(void **st)
{
    (void)st;
    struct tcp_seg syn;
    struct peer p = peer_syn_sent(&syn);
    int s = p.s;
    struct tcp_opts o = { MSS, 7, true, 0, NULL, false, 0, 0 };
    /* acks something we never sent: RST with seq = its ack, state unchanged */
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, syn.seq + 100, 1000, &o, NULL, 0);
    assert_int_equal(cap_n, 2);
    struct tcp_seg r = capseg(1);
    assert_int_equal(r.flags, TCP_RST);
    assert_int_equal(r.seq, syn.seq + 100);
    assert_int_equal(r.dport, PPORT);
    assert_int_equal(tcp_state(s), TCP_SYN_SENT);
    /* acks our ISN itself (not the SYN): also unacceptable */
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, syn.seq, 1000, &o, NULL, 0);
    assert_int_equal(cap_n, 3);
    assert_int_equal(capseg(2).flags, TCP_RST);
    assert_int_equal(tcp_state(s), TCP_SYN_SENT);
    /* the right one still completes the handshake */
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, syn.seq + 1, 1000, &o, NULL, 0);
    assert_int_equal(tcp_state(s), TCP_ESTABLISHED);
    tcp_abort(s);
}

static void test_handshake_passive(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int l = tcp_listen(8080, &e);
    assert_true(l >= 0);
    assert_int_equal(tcp_state(l), TCP_LISTEN);
    assert_int_equal(tcp_listen(8080, &e), -1);      /* port taken */
    assert_int_equal(e, NET_ERR_INVALID_ARG);
    uint8_t b[TCP_HDR_MAX];
    /* an ACK to a listener gets a RST */
    size_t hl = tcp_build(b, PEER, ME, 40000, 8080, 77, 1234, TCP_ACK, 100, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(cap_n, 1);
    assert_int_equal(capseg(0).flags, TCP_RST);
    assert_int_equal(capseg(0).seq, 1234);
    assert_int_equal(tcp_state(l), TCP_LISTEN);
    /* a SYN with only MSS: the SYN-ACK offers neither WS nor SACK */
    struct tcp_opts o = { 1000, -1, false, 0, NULL, false, 0, 0 };
    hl = tcp_build(b, PEER, ME, 40000, 8080, 900, 0, TCP_SYN, 8000, &o, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(tcp_state(l), TCP_SYN_RECEIVED);
    assert_int_equal(cap_n, 2);
    struct tcp_seg sa = capseg(1);
    assert_int_equal(sa.flags, TCP_SYN | TCP_ACK);
    assert_int_equal(sa.ack, 901);
    assert_true(sa.has_mss);
    assert_int_equal(sa.mss, 1460);
    assert_false(sa.has_ws || sa.sack_perm);
    /* the SYN-ACK is retransmitted on its RTO */
    advance(1000);
    assert_int_equal(cap_n, 3);
    assert_int_equal(capseg(2).flags, TCP_SYN | TCP_ACK);
    assert_int_equal(capseg(2).seq, sa.seq);
    /* the final ACK, carrying data */
    hl = tcp_build(b, PEER, ME, 40000, 8080, 901, sa.seq + 1, TCP_ACK, 8000, NULL,
                   (const uint8_t *)"hi", 2);
    uint8_t seg[TCP_HDR_MAX + 2];
    memcpy(seg, b, hl);
    memcpy(seg + hl, "hi", 2);
    tcp_input(PEER, ME, seg, hl + 2);
    assert_int_equal(tcp_state(l), TCP_ESTABLISHED);
    char rb[8];
    assert_int_equal(tcp_recv(l, rb, sizeof rb), 2);
    assert_memory_equal(rb, "hi", 2);
    struct tcp_sock_stats ss;
    tcp_get_stats(l, &ss);
    assert_int_equal(ss.mss, 1000);
    assert_int_equal(ss.snd_wnd, 8000);              /* unscaled without WS */
    /* no WS from the peer: our window field is not scaled either */
    assert_int_equal(tcp_send(l, "yo", 2), 2);
    struct tcp_seg d = last_seg();
    assert_int_equal(d.wnd, 65535);
    assert_int_equal(d.ack, 903);
    tcp_abort(l);
}

/* Data queued and the socket closed while SYN_RECEIVED: both wait for the
   handshake's end (found by fuzz_tcp: the SYN was taken for a data byte). */
static void test_close_in_syn_received(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int l = tcp_listen(8080, &e);
    uint8_t b[TCP_HDR_MAX];
    struct tcp_opts o = { 1460, 7, true, 0, NULL, false, 0, 0 };
    size_t hl = tcp_build(b, PEER, ME, 40000, 8080, 900, 0, TCP_SYN, 8000, &o, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(tcp_state(l), TCP_SYN_RECEIVED);
    struct tcp_seg sa = capseg(0);
    assert_int_equal(tcp_send(l, "hello", 5), 5);
    tcp_close(l);
    assert_int_equal(cap_n, 1);                        /* nothing before the ACK */
    assert_int_equal(sk(l)->state, TCP_SYN_RECEIVED);
    hl = tcp_build(b, PEER, ME, 40000, 8080, 901, sa.seq + 1, TCP_ACK, 8000, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(sk(l)->state, TCP_FIN_WAIT_1);
    struct tcp_seg d = last_seg();
    assert_int_equal(d.seq, sa.seq + 1);
    assert_int_equal(d.dlen, 5);
    assert_memory_equal(d.data, "hello", 5);
    assert_true(d.flags & TCP_FIN);
    hl = tcp_build(b, PEER, ME, 40000, 8080, 901, sa.seq + 7, TCP_ACK | TCP_FIN, 8000, NULL,
                   NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(sk(l)->state, TCP_TIME_WAIT);
    assert_int_equal(last_seg().ack, 902);
}

/* ================= 3. loopback transfers ================= */

struct side {
    int s;
    uint8_t *out, *in;
    size_t sent, got;
    bool eof;
};

/* App work for one side: queue, read, notice EOF. */
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

struct xfer_result { struct tcp_sock_stats cs, ss; uint64_t ms; bool tw_expired; };

#define LOOP_IP IP4_ADDR(127, 0, 0, 1)
#define XFER_MAX (1u << 20)
static uint8_t xfer_buf[4][XFER_MAX + 1];   /* static: a failed assert must not leak */

static struct xfer_result loopback(const struct link_cfg *c, size_t total)
{
    struct xfer_result res;
    tcp_test_reset();
    link_start(LOOP_IP, c);
    struct side a = { 0 }, b = { 0 };
    assert_true(total <= XFER_MAX);
    a.out = xfer_buf[0];
    b.out = xfer_buf[1];
    a.in = xfer_buf[2];
    b.in = xfer_buf[3];
    uint64_t r = c->seed + 99;
    for (size_t i = 0; i < total; i++) {
        a.out[i] = (uint8_t)rng_next(&r);
        b.out[i] = (uint8_t)(i * 7 + (i >> 12));
    }
    enum net_err e;
    b.s = tcp_listen(443, &e);
    assert_true(b.s >= 0);
    a.s = tcp_connect(ADDR(LOOP_IP), 443, 60000, &e);
    assert_true(a.s >= 0);
    uint64_t t0 = now_ms;
    while (a.got < total || b.got < total) {
        assert_true(now_ms - t0 < 600000);
        assert_int_equal(tcp_error(a.s), NET_OK);
        assert_int_equal(tcp_error(b.s), NET_OK);
        if (tcp_state(a.s) == TCP_ESTABLISHED)
            side_io(&a, total);
        if (tcp_state(b.s) == TCP_ESTABLISHED)
            side_io(&b, total);
        link_step(1);
    }
    res.ms = now_ms - t0;
    assert_memory_equal(a.in, b.out, total);
    assert_memory_equal(b.in, a.out, total);
    assert_true(tcp_send_space(a.s) > 0);
    tcp_get_stats(a.s, &res.cs);
    tcp_get_stats(b.s, &res.ss);
    /* both ends offer timestamps (RFC 7323): 12 option bytes in every
       segment, so 1460 - 12 bytes of data */
    assert_int_equal(res.cs.mss, 1460 - TCP_TS_LEN);
    assert_int_equal(res.ss.mss, 1460 - TCP_TS_LEN);
    assert_int_equal(res.cs.timestamps, 1);
    assert_int_equal(res.ss.timestamps, 1);

    /* orderly close: a first (active close), b after reading EOF */
    struct tcp_sock *ta = sk(a.s), *tb = sk(b.s);
    tcp_close(a.s);
    assert_int_equal(tcp_send(a.s, "x", 1), -(long)NET_ERR_CLOSED);
    bool b_closed = false;
    while (tb->used || ta->state != TCP_TIME_WAIT) {
        assert_true(now_ms - t0 < 1200000);
        assert_true(ta->used);
        if (!b_closed) {
            side_io(&b, total);
            if (b.eof) {
                assert_int_equal(tcp_state(b.s), TCP_CLOSE_WAIT);
                assert_int_equal(tcp_recv(b.s, b.in, 1), 0);   /* EOF stays EOF */
                tcp_close(b.s);
                b_closed = true;
            }
        }
        link_step(1);
    }
    assert_true(b_closed);
    assert_int_equal(tb->state, TCP_CLOSED);        /* LAST_ACK -> CLOSED, slot freed */
    /* TIME_WAIT lasts 2 MSL (restarted only by a retransmitted FIN). On a
       duplicating link a late copy of a's last ACK can reach b's freed port:
       its RST ends TIME_WAIT early (RFC 9293 3.10.7.4), freeing the slot. */
    while (lq_n)
        link_step(1);
    res.tw_expired = ta->used;
    if (ta->used) {
        assert_int_equal(ta->state, TCP_TIME_WAIT);
        uint64_t end = ta->tw_at;
        assert_true(end >= now_ms && end <= now_ms + 2u * TCP_MSL_MS);
        while (now_ms < end - 1)
            link_step(1);
        tcp_timers(end - 1);
        assert_true(ta->used);
        assert_int_equal(ta->state, TCP_TIME_WAIT);
        tcp_timers(end);
    }
    assert_false(ta->used);
    assert_int_equal(tcp_state(a.s), TCP_CLOSED);
    return res;
}

static void test_loopback_clean(void **st)
{
    (void)st;
    struct link_cfg c = { 5, 0, 0, 0, 0, 1 };
    struct xfer_result r = loopback(&c, 1u << 20);
    assert_int_equal(r.cs.retransmits + r.ss.retransmits, 0);
    assert_int_equal(r.cs.out_of_order + r.ss.out_of_order, 0);
    assert_int_equal(lstat.dropped, 0);
    assert_true(r.cs.snd_wnd > 65535);              /* window scaling in use */
    assert_true(r.ms < 2000);                        /* 10 ms RTT, large windows */
    assert_int_equal(net_stats.rx_malformed, 0);
    assert_true(r.tw_expired);
}

static void test_loopback_lossy(void **st)
{
    (void)st;
    static const uint64_t seeds[] = { 1, 2, 3, 4 };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        struct link_cfg c = { 5, 50, 20, 50, 10, seeds[i] };
        struct xfer_result r = loopback(&c, 1u << 20);
        assert_true(lstat.dropped > 0 && lstat.duped > 0 && lstat.reordered > 0 &&
                    lstat.corrupted > 0);
        assert_true(r.cs.retransmits > 0 && r.ss.retransmits > 0);
        assert_true(r.cs.out_of_order + r.ss.out_of_order > 0);
        assert_true(r.cs.fast_retransmits + r.ss.fast_retransmits > 0);
        assert_true(net_stats.rx_malformed > 0);     /* corrupted segments were dropped */
        assert_true(net_stats.tcp_retransmits > 0);
    }
}

/* Heavier loss: the transfer still completes, on RTOs as much as SACK
   (whether one run needs an RTO depends on the seed: two runs, at least
   one RTO between them). */
static void test_loopback_heavy_loss(void **st)
{
    (void)st;
    static const uint64_t seeds[] = { 77, 1 };
    uint64_t rtos = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        struct link_cfg c = { 20, 200, 50, 100, 20, seeds[i] };
        struct xfer_result r = loopback(&c, 128u * 1024u);
        rtos += r.cs.rto_expiries + r.ss.rto_expiries;
    }
    assert_true(rtos > 0);
}

/* ================= 4. receiver ================= */

static void test_rx_sack_and_reassembly(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    peer_data(&p, D + 1000, 500, A, 512, 0);          /* hole [D, D+1000) */
    assert_int_equal(cap_n, 1);                       /* immediate dup ACK */
    struct tcp_seg s = last_seg();
    assert_int_equal(s.ack, D);
    assert_int_equal(s.nsack, 1);
    assert_int_equal(s.sack[0].l, D + 1000);
    assert_int_equal(s.sack[0].r, D + 1500);
    peer_data(&p, D + 2000, 500, A, 512, 0);
    s = last_seg();
    assert_int_equal(s.ack, D);
    assert_int_equal(s.nsack, 2);
    assert_int_equal(s.sack[0].l, D + 2000);          /* the latest block first */
    assert_int_equal(s.sack[0].r, D + 2500);
    assert_int_equal(s.sack[1].l, D + 1000);
    assert_int_equal(s.sack[1].r, D + 1500);
    peer_data(&p, D + 3000, 100, A, 512, 0);
    peer_data(&p, D + 1500, 200, A, 512, 0);          /* extends the first range */
    s = last_seg();
    assert_int_equal(s.nsack, 3);
    assert_int_equal(s.sack[0].l, D + 1000);
    assert_int_equal(s.sack[0].r, D + 1700);
    assert_int_equal(tcp_readable(p.s), 0);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.out_of_order, 4);
    /* the hole fills: the cumulative ACK jumps over the held range */
    int before = cap_n;
    peer_data(&p, D, 1000, A, 512, 0);
    assert_int_equal(cap_n, before + 1);              /* at once, not delayed */
    s = last_seg();
    assert_int_equal(s.ack, D + 1700);
    assert_int_equal(s.nsack, 2);
    assert_true(s.sack[0].l == D + 2000 || s.sack[0].l == D + 3000);
    peer_data(&p, D + 1700, 300, A, 512, 0);
    s = last_seg();
    assert_int_equal(s.ack, D + 2500);
    assert_int_equal(s.nsack, 1);
    assert_int_equal(s.sack[0].l, D + 3000);
    peer_data(&p, D + 2500, 500, A, 512, 0);
    s = last_seg();
    assert_int_equal(s.ack, D + 3100);
    assert_int_equal(s.nsack, 0);
    assert_int_equal(tcp_readable(p.s), 3100);
    uint8_t buf[4000];
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 3100);
    for (uint32_t i = 0; i < 3100; i++)
        assert_int_equal(buf[i], pat(D + i));
    /* a duplicate is re-ACKed at once and not delivered again */
    before = cap_n;
    peer_data(&p, D + 1000, 1000, A, 512, 0);
    assert_int_equal(cap_n, before + 1);
    assert_int_equal(last_seg().ack, D + 3100);
    assert_int_equal(tcp_readable(p.s), 0);
    /* partly old: only the new part is taken */
    peer_data(&p, D + 3000, 200, A, 512, 0);
    assert_int_equal(tcp_readable(p.s), 100);
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 100);
    assert_int_equal(buf[0], pat(D + 3100));
    advance(TCP_DELACK_MS);                           /* its delayed ACK */
    assert_int_equal(last_seg().ack, D + 3200);
    /* after a loss every segment may be ACKed for a while ("quick ACK");
       once that ends, a lone in-order segment's ACK is delayed (RFC 5681
       4.2) by TCP_DELACK_MS */
    uint32_t q = D + 3200;
    for (int i = 0;; i++) {
        assert_true(i < 1000);
        before = cap_n;
        peer_data(&p, q, 10, A, 512, 0);
        q += 10;
        if (cap_n == before)
            break;
        assert_int_equal(last_seg().ack, q);
    }
    advance(TCP_DELACK_MS - 1);
    assert_int_equal(cap_n, before);
    advance(1);
    assert_int_equal(cap_n, before + 1);
    assert_int_equal(last_seg().ack, q);
    /* two in-order segments: ACKed at the second */
    peer_data(&p, q, 100, A, 512, 0);
    assert_int_equal(cap_n, before + 1);
    peer_data(&p, q + 100, 100, A, 512, 0);
    assert_int_equal(cap_n, before + 2);
    assert_int_equal(last_seg().ack, q + 200);
    tcp_abort(p.s);
}

static void test_rx_window(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    /* the reader does not read: fill the ring */
    uint32_t off = 0;
    while (off + MSS <= TCP_RX_BUF) {
        peer_data(&p, D + off, MSS, A, 512, 0);
        off += MSS;
    }
    uint32_t rest = TCP_RX_BUF - off;
    advance(TCP_DELACK_MS);
    struct tcp_seg s = last_seg();
    assert_int_equal(s.ack, D + off);
    assert_int_equal(s.wnd, rest >> 3);
    /* a segment straddling the right edge: the part beyond is trimmed */
    peer_data(&p, D + off, MSS, A, 512, 0);
    advance(TCP_DELACK_MS);
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF);
    s = last_seg();
    assert_int_equal(s.ack, D + TCP_RX_BUF);
    assert_int_equal(s.wnd, 0);                        /* zero window */
    /* a zero-window probe (1 byte at rcv_nxt) is answered, the byte not taken */
    int before = cap_n;
    peer_data(&p, D + TCP_RX_BUF, 1, A, 512, 0);
    assert_int_equal(cap_n, before + 1);
    s = last_seg();
    assert_int_equal(s.ack, D + TCP_RX_BUF);
    assert_int_equal(s.wnd, 0);
    /* data beyond the window: ACKed, dropped */
    peer_data(&p, D + TCP_RX_BUF + 100, 100, A, 512, 0);
    assert_int_equal(cap_n, before + 2);
    assert_int_equal(last_seg().ack, D + TCP_RX_BUF);
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF);
    /* reading a little (< 2 MSS) sends nothing (SWS avoidance) */
    static uint8_t buf[TCP_RX_BUF];
    assert_int_equal(tcp_recv(p.s, buf, 1000), 1000);
    assert_int_equal(cap_n, before + 2);
    /* reading more: a window update */
    assert_int_equal(tcp_recv(p.s, buf + 1000, 19000), 19000);
    assert_int_equal(cap_n, before + 3);
    s = last_seg();
    assert_int_equal(s.ack, D + TCP_RX_BUF);
    assert_int_equal(s.wnd, 20000 >> 3);
    for (uint32_t i = 0; i < 20000; i++)
        assert_int_equal(buf[i], pat(D + i));
    /* the peer's data is taken again */
    peer_data(&p, D + TCP_RX_BUF, MSS, A, 512, 0);
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF - 20000 + MSS);
    size_t n = (size_t)tcp_recv(p.s, buf, sizeof buf);
    assert_int_equal(n, TCP_RX_BUF - 20000 + MSS);
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(buf[i], pat(D + 20000 + i));
    tcp_abort(p.s);
}

/* Reads all that is there in 300-byte pieces, as the TLS layer does,
   checking the pattern (stream offset *got from D); returns the reads. */
static int read_pieces(int s, uint32_t D, uint32_t *got)
{
    uint8_t buf[300];
    int reads = 0;
    for (;;) {
        long n = tcp_recv(s, buf, sizeof buf);
        if (n <= 0)
            return reads;
        for (long i = 0; i < n; i++)
            assert_int_equal(buf[i], pat(D + *got + (uint32_t)i));
        *got += (uint32_t)n;
        reads++;
    }
}

/* A peer without window scaling (QEMU's slirp): the field caps the window
   at 64 KiB while the ring is larger. Reading then does not move the edge
   we can advertise, so it must send nothing: every such ACK would be a
   duplicate (same ack, same window, no data), and three of them are a
   loss signal to the peer (RFC 5681 3.2). Only while a hole is open does
   a read repeat the ACK. */
static void test_rx_window_unscaled(void **st)
{
    (void)st;
    struct peer p = peer_open(-1, true, 65535, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    assert_true(TCP_RX_BUF > 65535u + 4u * MSS);
    static uint8_t buf[8 * MSS];
    uint32_t sent = 0, got = 0;
    for (int round = 0; round < 20; round++) {
        int before = cap_n;
        peer_data(&p, D + sent, MSS, A, 65535, 0);
        peer_data(&p, D + sent + MSS, MSS, A, 65535, 0);
        sent += 2 * MSS;
        advance(TCP_DELACK_MS);
        assert_true(cap_n > before);                  /* ACKed (quick ACKs at first) */
        struct tcp_seg s = last_seg();
        assert_int_equal(s.ack, D + sent);
        assert_int_equal(s.wnd, 65535);               /* capped, never scaled */
        /* the application reads in small pieces, as the TLS layer does */
        before = cap_n;
        read_pieces(p.s, D, &got);
        assert_int_equal(got, sent);
        assert_int_equal(cap_n, before);              /* no duplicate ACK from reading */
    }
    /* a hole: two in-order segments, then one past a missing segment. The
       out-of-order arrival is ACKed at once (SACK block); each read of the
       in-order data then repeats ack = the missing byte, so that a sender
       without SACK gets its three duplicates; once the hole is filled,
       reading is silent again */
    {
        peer_data(&p, D + sent, MSS, A, 65535, 0);
        peer_data(&p, D + sent + MSS, MSS, A, 65535, 0);
        int before = cap_n;
        peer_data(&p, D + sent + 3 * MSS, MSS, A, 65535, 0);
        assert_true(cap_n > before);
        struct tcp_seg s = last_seg();
        assert_int_equal(s.ack, D + sent + 2 * MSS);
        assert_int_equal(s.nsack, 1);
        assert_int_equal(s.sack[0].l, D + sent + 3 * MSS);
        before = cap_n;
        int reads = read_pieces(p.s, D, &got);
        assert_int_equal(got, sent + 2 * MSS);
        assert_true(reads >= 3);
        assert_int_equal(cap_n - before, reads);        /* one duplicate per read */
        for (int i = before; i < cap_n; i++) {
            assert_int_equal(capseg(i).ack, D + sent + 2 * MSS);
            assert_int_equal(capseg(i).dlen, 0);
        }
        before = cap_n;
        peer_data(&p, D + sent + 2 * MSS, MSS, A, 65535, 0);   /* fills the hole */
        assert_true(cap_n > before);
        assert_int_equal(last_seg().ack, D + sent + 4 * MSS);
        sent += 4 * MSS;
        before = cap_n;
        while (got < sent) {
            long n = tcp_recv(p.s, buf, 300);
            assert_true(n > 0);
            got += (uint32_t)n;
        }
        assert_int_equal(cap_n, before);                /* silent again */
    }
    /* a reader that stops until the free space is below the cap: then the
       advertised window shrinks, reading moves the edge again, and a window
       update goes out */
    for (;;) {
        advance(TCP_DELACK_MS);
        struct tcp_seg s = last_seg();
        assert_int_equal(s.ack, D + sent);
        if (s.wnd < MSS)
            break;
        for (uint32_t off = 0; off + MSS <= s.wnd; off += MSS) {
            peer_data(&p, D + sent, MSS, A, 65535, 0);
            sent += MSS;
        }
    }
    assert_true(sent - got > TCP_RX_BUF - MSS);
    int before = cap_n;
    size_t left = sent - got;
    while (left) {
        long n = tcp_recv(p.s, buf, left < sizeof buf ? left : sizeof buf);
        assert_true(n > 0);
        got += (uint32_t)n;
        left -= (size_t)n;
    }
    assert_true(cap_n > before);
    assert_int_equal(last_seg().wnd, 65535);
    tcp_abort(p.s);
}

/* RFC 9293 3.10.7.4: data is taken up to the right edge we advertised,
   not up to the free ring space behind it. With an unscaled peer the field
   caps the window at 64 KiB while the ring holds 256 KiB: a segment that
   straddles the edge is trimmed to it, one wholly beyond is ACKed and
   dropped. */
static void test_rx_window_edge_unscaled(void **st)
{
    (void)st;
    struct peer p = peer_open(-1, true, 65535, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    uint32_t E = D + 65535;                            /* the edge we advertised */
    assert_true(TCP_RX_BUF > 2u * 65536u);
    /* out of order, straddling the edge: held only up to it */
    peer_data(&p, E - 1000, 2000, A, 65535, 0);
    struct tcp_seg s = last_seg();
    assert_int_equal(s.ack, D);
    assert_int_equal(s.wnd, 65535);
    assert_int_equal(s.nsack, 1);
    assert_int_equal(s.sack[0].l, E - 1000);
    assert_int_equal(s.sack[0].r, E);                  /* not E + 1000 */
    /* wholly beyond the edge: ACKed, dropped, the SACK block unchanged */
    int before = cap_n;
    peer_data(&p, E, 100, A, 65535, 0);
    assert_int_equal(cap_n, before + 1);
    s = last_seg();
    assert_int_equal(s.ack, D);
    assert_int_equal(s.sack[0].r, E);
    /* the hole filled: exactly the advertised window is readable */
    for (uint32_t off = 0; off < 65535 - 1000; off += MSS) {
        uint32_t n = 65535 - 1000 - off < MSS ? 65535 - 1000 - off : MSS;
        peer_data(&p, D + off, n, A, 65535, 0);
    }
    advance(TCP_DELACK_MS);
    assert_int_equal(tcp_readable(p.s), 65535);
    s = last_seg();
    assert_int_equal(s.ack, E);
    assert_int_equal(s.nsack, 0);
    assert_int_equal(s.wnd, 65535);                    /* the new edge: E + 65535 */
    static uint8_t buf[65535];
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), (long)sizeof buf);
    for (uint32_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], pat(D + i));
    tcp_abort(p.s);
}

/* The same with window scaling (we advertise shift 3): the edge is
   rcv_nxt + (field << 3), and free space the peer has not been told about
   (a small read sends no window update) is not taken either; a FIN after
   data cut at the edge is beyond the window and not taken. */
static void test_rx_window_edge_scaled(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    for (uint32_t off = 0; off < TCP_RX_BUF; off += 32768)   /* 16-bit TCP length */
        peer_data(&p, D + off, 32768, A, 512, 0);
    advance(TCP_DELACK_MS);
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF);
    assert_int_equal(last_seg().ack, D + TCP_RX_BUF);
    assert_int_equal(last_seg().wnd, 0);
    /* read 20 bytes: the ring has room for 20, the field could say 16, but
       nothing was sent (SWS avoidance), so the advertised edge stays */
    static uint8_t buf[TCP_RX_BUF];
    int before = cap_n;
    assert_int_equal(tcp_recv(p.s, buf, 20), 20);
    assert_int_equal(cap_n, before);
    peer_data(&p, D + TCP_RX_BUF, 20, A, 512, 0);
    assert_int_equal(cap_n, before + 1);               /* ACKed at once */
    struct tcp_seg s = last_seg();
    assert_int_equal(s.ack, D + TCP_RX_BUF);           /* nothing taken */
    assert_int_equal(s.wnd, 2);                        /* 2 << 3 = 16 bytes */
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF - 20);
    /* sent again with a FIN: the 16 bytes the scaled field announced are
       taken, the other 4 and the FIN after them are not */
    peer_data(&p, D + TCP_RX_BUF, 20, A, 512, TCP_FIN);
    s = last_seg();
    assert_int_equal(s.ack, D + TCP_RX_BUF + 16);
    assert_int_equal(tcp_readable(p.s), TCP_RX_BUF - 4);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    assert_false(tcp_eof(p.s));
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), TCP_RX_BUF - 4);
    for (uint32_t i = 0; i < TCP_RX_BUF - 4; i++)
        assert_int_equal(buf[i], pat(D + 20 + i));
    tcp_abort(p.s);
}

static void test_rx_fin_held(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint32_t D = p.nxt, A = p.iss + 1;
    peer_data(&p, D + 500, 500, A, 512, TCP_FIN);      /* data + FIN, ahead of a hole */
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    assert_false(tcp_eof(p.s));
    struct tcp_seg s = last_seg();
    assert_int_equal(s.ack, D);
    assert_int_equal(s.nsack, 1);
    uint8_t buf[2000];
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), -(long)NET_ERR_AGAIN);
    peer_data(&p, D, 500, A, 512, 0);
    assert_int_equal(tcp_state(p.s), TCP_CLOSE_WAIT);
    assert_true(tcp_eof(p.s));
    s = last_seg();
    assert_int_equal(s.ack, D + 1001);                 /* data and FIN */
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 1000);
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(buf[i], pat(D + i));
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 0);
    /* a retransmitted FIN is re-ACKed */
    int before = cap_n;
    peer_data(&p, D + 1000, 0, A, 512, TCP_FIN);
    assert_int_equal(cap_n, before + 1);
    assert_int_equal(last_seg().ack, D + 1001);
    /* our side closes: FIN, LAST_ACK, then CLOSED and the slot freed */
    int s_ = p.s;
    tcp_close(s_);
    s = last_seg();
    assert_true(s.flags & TCP_FIN);
    assert_int_equal(s.seq, A);
    assert_int_equal(sk(s_)->state, TCP_LAST_ACK);
    peer_seg(&p, TCP_ACK, D + 1001, A + 1, 512, NULL, NULL, 0);
    assert_false(sk(s_)->used);
}

/* ================= 5. sender ================= */

/* Established with cwnd grown to 5 segments, all 5 in flight; returns their start. */
static uint32_t five_in_flight(struct peer *p, bool sack)
{
    *p = peer_open(7, sack, 2048, 10);
    static uint8_t data[64 * 1024];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(p->iss + 1 + (uint32_t)i);
    assert_int_equal(tcp_send(p->s, data, sizeof data), (long)sizeof data);
    assert_int_equal(cap_n, 3);                        /* initial window 4380 = 3 MSS */
    for (int i = 0; i < 3; i++) {
        struct tcp_seg s = capseg(i);
        assert_int_equal(s.seq, p->iss + 1 + (uint32_t)i * MSS);
        assert_int_equal(s.dlen, MSS);
        assert_int_equal(s.data[7], pat(s.seq + 7));
    }
    uint32_t U = p->iss + 1 + 3 * MSS;
    cap_n = 0;
    peer_seg(p, TCP_ACK, p->nxt, U, 2048, NULL, NULL, 0);
    assert_int_equal(cap_n, 5);                        /* slow start: +2 MSS */
    assert_int_equal(last_seg().seq, U + 4 * MSS);
    cap_n = 0;
    return U;
}

static void test_tx_fast_retransmit(void **st)
{
    (void)st;
    struct peer p;
    uint32_t U = five_in_flight(&p, false);
    for (int i = 0; i < 2; i++)
        peer_seg(&p, TCP_ACK, p.nxt, U, 2048, NULL, NULL, 0);
    assert_int_equal(cap_n, 0);
    assert_int_equal(sk(p.s)->dupacks, 2);
    /* a window update is not a duplicate ACK */
    peer_seg(&p, TCP_ACK, p.nxt, U, 2047, NULL, NULL, 0);
    assert_int_equal(cap_n, 0);
    assert_int_equal(sk(p.s)->dupacks, 2);
    /* neither is one carrying data */
    peer_data(&p, p.nxt, 10, U, 2047, 0);
    p.nxt += 10;
    assert_int_equal(sk(p.s)->dupacks, 2);
    advance(TCP_DELACK_MS);
    cap_n = 0;
    peer_seg(&p, TCP_ACK, p.nxt, U, 2047, NULL, NULL, 0);
    assert_true(cap_n >= 1);
    struct tcp_seg s = capseg(0);
    assert_int_equal(s.seq, U);                        /* snd_una again */
    assert_int_equal(s.dlen, MSS);
    assert_int_equal(s.data[0], pat(U));
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.fast_retransmits, 1);
    assert_int_equal(ss.retransmits, 1);
    assert_int_equal(ss.ssthresh, 5 * MSS / 2);        /* FlightSize / 2 */
    assert_int_equal(ss.cwnd, 5 * MSS / 2 + 3 * MSS);
    assert_true(sk(p.s)->in_recovery);
    /* more duplicates inflate cwnd: new data may go out, no more retransmits */
    peer_seg(&p, TCP_ACK, p.nxt, U, 2047, NULL, NULL, 0);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.cwnd, 5 * MSS / 2 + 4 * MSS);
    assert_int_equal(ss.fast_retransmits, 1);
    /* a partial ACK (RFC 6582): the next hole goes at once */
    cap_n = 0;
    peer_seg(&p, TCP_ACK, p.nxt, U + MSS, 2047, NULL, NULL, 0);
    assert_true(cap_n >= 1);
    assert_int_equal(capseg(0).seq, U + MSS);
    assert_true(sk(p.s)->in_recovery);
    /* the full ACK ends recovery; cwnd deflates to at most ssthresh */
    uint32_t top = sk(p.s)->snd_max;
    peer_seg(&p, TCP_ACK, p.nxt, top, 2047, NULL, NULL, 0);
    assert_false(sk(p.s)->in_recovery);
    assert_true(sk(p.s)->cwnd <= 5 * MSS / 2 + MSS);
    tcp_abort(p.s);
}

static void test_tx_sack_retransmit(void **st)
{
    (void)st;
    struct peer p;
    uint32_t U = five_in_flight(&p, true);
    /* segments 0 and 2 lost: the peer SACKs 1, then 3, then 3-4 */
    struct tcp_range b1[2] = { { U + MSS, U + 2 * MSS } };
    struct tcp_opts o = { 0, -1, false, 1, b1, false, 0, 0 };
    peer_seg(&p, TCP_ACK, p.nxt, U, 2048, &o, NULL, 0);
    struct tcp_range b2[2] = { { U + 3 * MSS, U + 4 * MSS }, { U + MSS, U + 2 * MSS } };
    o.sack = b2;
    o.nsack = 2;
    peer_seg(&p, TCP_ACK, p.nxt, U, 2048, &o, NULL, 0);
    assert_int_equal(cap_n, 0);
    struct tcp_range b3[2] = { { U + 3 * MSS, U + 5 * MSS }, { U + MSS, U + 2 * MSS } };
    o.sack = b3;
    peer_seg(&p, TCP_ACK, p.nxt, U, 2048, &o, NULL, 0);
    assert_true(cap_n >= 1);
    assert_int_equal(capseg(0).seq, U);                /* fast retransmit of snd_una */
    /* RFC 6675: segment 2 has only 2 SMSS SACKed above it, not lost yet;
       RACK (RFC 8985 6.2) marks it lost a reordering window (SRTT / 4)
       after the SACK of later data: then it goes, segments 1 and 3 (SACKed)
       never do */
    int before = cap_n;
    peer_seg(&p, TCP_ACK, p.nxt, U, 2048, &o, NULL, 0);
    assert_int_equal(cap_n, before);
    assert_true(sk(p.s)->reo_at > now_ms);
    /* the timer armed at the first SACK covers the SACKed data known then
       (segment 1: hole 0, lost already); it fires after SRTT / 4 = 2 ms and
       re-arms for the SACKs that came after, which make hole 2 lost */
    advance(10 / 4);
    assert_int_equal(cap_n, before);
    advance(10 / 4);
    assert_true(cap_n > before);
    bool hole = false;
    for (int i = 0; i < cap_n; i++) {
        struct tcp_seg s = capseg(i);
        assert_int_not_equal(s.seq, U + MSS);
        assert_int_not_equal(s.seq, U + 3 * MSS);
        if (s.seq == U + 2 * MSS) {
            hole = true;
            assert_int_equal(s.dlen, MSS);
            assert_int_equal(s.data[100], pat(U + 2 * MSS + 100));
        }
    }
    assert_true(hole);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.fast_retransmits, 1);
    assert_int_equal(ss.sack_retransmits, 2);          /* both holes, from the scoreboard */
    /* everything acknowledged: recovery ends, the scoreboard is empty */
    peer_seg(&p, TCP_ACK, p.nxt, sk(p.s)->snd_max, 2048, NULL, NULL, 0);
    assert_false(sk(p.s)->in_recovery);
    assert_int_equal(sk(p.s)->nscore, 0);
    tcp_abort(p.s);
}

/* ---- timestamps (RFC 7323), RACK-TLP (RFC 8985), F-RTO (RFC 5682) ---- */

/* The peer's TSval: its own clock, 1000 ahead of ours. */
#define P_TS(ms) ((uint32_t)(ms) + 1000u)

/* An ACK from the peer with timestamps (tsecr echoed) and SACK blocks. */
static void ts_ack(const struct peer *p, uint32_t ack, uint32_t tsecr, int nsack,
                   const struct tcp_range *b)
{
    struct tcp_opts o = { 0, -1, false, nsack, b, true, P_TS(now_ms), tsecr };
    peer_seg(p, TCP_ACK, p->nxt, ack, 2048, &o, NULL, 0);
}

/* Active open answered after rtt ms by a SYN-ACK with window scaling,
   SACK-permitted and timestamps. */
static struct peer peer_open_ts(uint32_t rtt)
{
    tcp_test_reset();
    tcp_set_local_addr(ME);
    struct peer p;
    enum net_err e;
    p.s = tcp_connect(ADDR(PEER), PPORT, 10000, &e);
    assert_true(p.s >= 0);
    struct tcp_seg syn = capseg(0);
    assert_true(syn.has_ts);                           /* offered in our SYN */
    assert_int_equal(syn.tsval, (uint32_t)now_ms);
    p.lport = syn.sport;
    p.iss = syn.seq;
    p.nxt = P_ISS + 1;
    advance(rtt);
    struct tcp_opts o = { MSS, 7, true, 0, NULL, true, P_TS(now_ms), syn.tsval };
    peer_seg(&p, TCP_SYN | TCP_ACK, P_ISS, p.iss + 1, 2048, &o, NULL, 0);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    ts_ack(&p, p.iss + 1, (uint32_t)now_ms, 0, NULL);   /* scaled window update */
    cap_n = 0;
    return p;
}

/* Sends n bytes of the pattern from the stack's first data byte on. */
static void send_pat(const struct peer *p, size_t n)
{
    static uint8_t data[64 * 1024];
    for (size_t i = 0; i < n && i < sizeof data; i++)
        data[i] = pat(p->iss + 1 + (uint32_t)i);
    assert_int_equal(tcp_send(p->s, data, n), (long)n);
}

static void test_ts_rtt_every_ack(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(40);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.timestamps, 1);
    assert_int_equal(ss.mss, MSS - TCP_TS_LEN);        /* 12 option bytes per segment */
    assert_int_equal(ss.srtt_ms, 40);                  /* the SYN's echo */
    send_pat(&p, 2 * ss.mss);
    assert_int_equal(cap_n, 2);
    struct tcp_seg s = capseg(0);
    assert_true(s.has_ts);
    assert_int_equal(s.tsval, (uint32_t)now_ms);
    assert_int_equal(s.tsecr, P_TS(now_ms));          /* TS.Recent echoed */
    uint32_t sent = s.tsval;
    /* two ACKs, 20 and 30 ms later: two samples (RFC 7323 4.1), where
       timing one segment per round trip (RFC 6298) would take one */
    advance(20);
    ts_ack(&p, p.iss + 1 + ss.mss, sent, 0, NULL);
    tcp_get_stats(p.s, &ss);
    /* RTTVAR = 3/4 * 20 + 1/4 * 20 = 20, SRTT = 7/8 * 40 + 20/8 = 37 */
    assert_int_equal(ss.srtt_ms, 37);
    advance(10);
    ts_ack(&p, p.iss + 1 + 2 * ss.mss, sent, 0, NULL);
    tcp_get_stats(p.s, &ss);
    /* d = |37 - 30| = 7: RTTVAR = (60 + 7) / 4 = 16, SRTT = (259 + 30) / 8 = 36 */
    assert_int_equal(ss.srtt_ms, 36);
    assert_int_equal(ss.rto_ms, TCP_RTO_MIN_MS);
    tcp_abort(p.s);
}

static void test_ts_paws(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(10);
    static uint8_t d[100];
    for (size_t i = 0; i < sizeof d; i++)
        d[i] = pat(p.nxt + (uint32_t)i);
    /* in order, newer TSval: taken; TS.Recent moves to it */
    struct tcp_opts o = { 0, -1, false, 0, NULL, true, P_TS(now_ms) + 50, (uint32_t)now_ms };
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 1, 2048, &o, d, 50);
    assert_int_equal(tcp_readable(p.s), 50);
    p.nxt += 50;
    advance(TCP_DELACK_MS);
    assert_int_equal(last_seg().tsecr, P_TS(now_ms - TCP_DELACK_MS) + 50);
    /* an old duplicate from a previous wrap of the sequence space: an
       in-window sequence number with an older TSval is dropped, ACKed */
    int before = cap_n;
    o.tsval = P_TS(now_ms) - 100000;
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 1, 2048, &o, d + 50, 50);
    assert_int_equal(tcp_readable(p.s), 50);
    assert_int_equal(cap_n, before + 1);
    assert_int_equal(last_seg().ack, p.nxt);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.paws_drops, 1);
    /* the same bytes with a current TSval are taken */
    o.tsval = P_TS(now_ms) + 60;
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 1, 2048, &o, d + 50, 50);
    assert_int_equal(tcp_readable(p.s), 100);
    /* a RST is never dropped by PAWS (RFC 7323 5.3 R1) */
    o.tsval = 1;
    peer_seg(&p, TCP_RST, p.nxt + 50, 0, 0, &o, NULL, 0);
    assert_int_equal(tcp_state(p.s), TCP_CLOSED);
    tcp_abort(p.s);
}

/* Segments captured since cap_n was `from` that start at seq. */
static int sent_at(int from, uint32_t seq)
{
    int n = 0;
    for (int i = from; i < cap_n; i++)
        if (capseg(i).seq == seq && capseg(i).dlen)
            n++;
    return n;
}

/* Tail loss: the last three segments of a transfer are out, no ACK comes.
   The probe (the last segment again) goes after 2 SRTT, long before the
   RTO; its SACK shows the two before it missing, and RACK repairs them
   without a timeout. */
static void test_tlp_tail_loss(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(20);
    uint32_t A = p.iss + 1, m = MSS - TCP_TS_LEN;
    send_pat(&p, 3 * m);
    assert_int_equal(cap_n, 3);
    uint64_t t0 = now_ms;
    uint32_t echo = (uint32_t)now_ms;
    assert_true(sk(p.s)->tlp_at == t0 + 2 * 20);
    advance(2 * 20 - 1);
    assert_int_equal(cap_n, 3);
    advance(1);
    assert_int_equal(cap_n, 4);
    struct tcp_seg pr = last_seg();
    assert_int_equal(pr.seq, A + 2 * m);               /* no new data: the last segment */
    assert_int_equal(pr.dlen, m);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.tlp_probes, 1);
    assert_int_equal(ss.rto_expiries, 0);
    /* the peer got only the probe: SACK of segment 2, ACK still A */
    advance(20);
    struct tcp_range b[1] = { { A + 2 * m, A + 3 * m } };
    ts_ack(&p, A, echo, 1, b);
    advance(20 / 4 + 1);                              /* RACK's reordering window */
    assert_int_equal(sent_at(4, A), 1);
    assert_int_equal(sent_at(4, A + m), 1);
    assert_int_equal(sent_at(4, A + 2 * m), 0);        /* SACKed: never again */
    assert_true(sk(p.s)->in_recovery);
    ts_ack(&p, A + 3 * m, (uint32_t)now_ms, 0, NULL);
    assert_false(sk(p.s)->in_recovery);
    assert_true(tcp_send_idle(p.s));
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.rto_expiries, 0);
    assert_true(now_ms - t0 < TCP_RTO_MIN_MS);
    tcp_abort(p.s);
}

/* SACK scoreboard and pipe (RFC 6675 3): with segments 0-4 out and 1, 3-4
   SACKed, hole 0 is lost (3 SMSS SACKed above it: DupThresh), hole 2 is
   not yet (2 SMSS above); the pipe counts hole 2, the retransmission of 0
   and what is sent new. RACK marks hole 2 lost after its reordering
   window; it goes once, and the SACKed segments never. */
static void test_sack_pipe(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(20);
    uint32_t A = p.iss + 1, m = MSS - TCP_TS_LEN;
    send_pat(&p, 20 * m);
    ts_ack(&p, A + m, (uint32_t)now_ms, 0, NULL);     /* slow start */
    ts_ack(&p, A + 2 * m, (uint32_t)now_ms, 0, NULL);
    uint32_t U = A + 2 * m;                            /* snd_una */
    struct tcp_sock *t = sk(p.s);
    assert_int_equal(t->snd_max - U, 5 * m);           /* segments U+0 .. U+4 */
    assert_int_equal(tcp_sack_pipe(t), 5 * m);         /* no SACK: all in flight */
    int from = cap_n;
    struct tcp_range b[2] = { { U + 3 * m, U + 5 * m }, { U + m, U + 2 * m } };
    ts_ack(&p, U, (uint32_t)now_ms, 2, b);
    assert_int_equal(t->nscore, 2);
    assert_int_equal(tcp_sack_high(t), U + 5 * m);
    assert_true(t->in_recovery);                       /* IsLost(U) */
    assert_int_equal(t->ssthresh, 5 * m / 2);
    assert_int_equal(t->cwnd, 5 * m / 2);
    /* pipe: hole 2 (1) + the retransmission of 0 (1); 2.5 SMSS leave half
       a segment: no new data (sender SWS avoidance) */
    assert_int_equal(sent_at(from, U), 1);
    assert_int_equal(sent_at(from, U + 2 * m), 0);
    assert_int_equal(sent_at(from, U + m), 0);
    assert_int_equal(sent_at(from, U + 5 * m), 0);
    assert_int_equal(tcp_sack_pipe(t), 2 * m);
    /* the same ACK again sends nothing: the pipe is full */
    int before = cap_n;
    ts_ack(&p, U, (uint32_t)now_ms, 2, b);
    assert_int_equal(cap_n, before);
    /* SRTT / 4 later hole 2 is lost: out of the pipe, retransmitted */
    advance(20 / 4);
    assert_int_equal(sent_at(from, U + 2 * m), 1);
    assert_int_equal(sent_at(from, U + m) + sent_at(from, U + 3 * m) +
                     sent_at(from, U + 4 * m), 0);
    assert_int_equal(tcp_sack_pipe(t), 2 * m);         /* the two retransmissions */
    /* the ACK of the first retransmission: a partial ACK opens the pipe */
    from = cap_n;
    ts_ack(&p, U + 2 * m, (uint32_t)now_ms, 1, b);
    assert_int_equal(tcp_sack_pipe(t) <= t->cwnd, 1);
    assert_int_equal(sent_at(from, U + 5 * m), 1);     /* new data now */
    tcp_abort(p.s);
}

/* A lost retransmission (RFC 8985 6.2 in sequence space): new data sent
   after the retransmission of hole 0 is SACKed, the retransmission is not;
   it is sent once more with no RTO. */
static void test_rack_lost_retransmission(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(20);
    uint32_t A = p.iss + 1, m = MSS - TCP_TS_LEN;
    send_pat(&p, 40 * m);
    ts_ack(&p, A + m, (uint32_t)now_ms, 0, NULL);
    ts_ack(&p, A + 2 * m, (uint32_t)now_ms, 0, NULL);
    uint32_t U = A + 2 * m;
    struct tcp_sock *t = sk(p.s);
    int from = cap_n;
    uint32_t top = t->snd_max;
    struct tcp_range b[1] = { { U + m, top } };
    ts_ack(&p, U, (uint32_t)now_ms, 1, b);             /* hole 0 only */
    assert_true(t->in_recovery);
    assert_int_equal(sent_at(from, U), 1);
    uint32_t mark = t->rec[0].mark;
    assert_int_equal(mark, top);                       /* snd_max before new data */
    /* the peer SACKs what was sent after the retransmission, one ACK per
       segment, and never the retransmission itself */
    for (int k = 0; k < 6 && sent_at(from, U) == 1; k++) {
        b[0].r = t->snd_max;
        ts_ack(&p, U, (uint32_t)now_ms, 1, b);
        advance(1);
    }
    assert_int_equal(sent_at(from, U), 2);             /* sent again */
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.rto_expiries, 0);
    assert_true(SEQ_GT(tcp_sack_high(t), mark + 2 * m));
    tcp_abort(p.s);
}

/* After an RTO with SACK (RFC 6675 5.1): the scoreboard is kept, the
   oldest segment goes at once, then the unSACKed segments below the
   recovery point, in slow start, never the SACKed ones; no go-back-N.
   Here segments 0, 2 and 4 and every retransmission of them are lost. */
static void test_rto_sack_recovery(void **st)
{
    (void)st;
    struct peer p = peer_open_ts(20);
    uint32_t A = p.iss + 1, m = MSS - TCP_TS_LEN;
    send_pat(&p, 40 * m);
    ts_ack(&p, A + m, (uint32_t)now_ms, 0, NULL);
    ts_ack(&p, A + 2 * m, (uint32_t)now_ms, 0, NULL);
    uint32_t U = A + 2 * m;
    struct tcp_sock *t = sk(p.s);
    uint32_t top = t->snd_max;
    assert_int_equal(top - U, 5 * m);
    /* segments 1 and 3 SACKed: too little for IsLost, RACK marks holes 0
       and 2 lost after the reordering window; a probe resends segment 4 */
    struct tcp_range b[2] = { { U + 3 * m, U + 4 * m }, { U + m, U + 2 * m } };
    int from = cap_n;
    ts_ack(&p, U, (uint32_t)now_ms, 2, b);
    assert_false(t->in_recovery);
    advance(20 / 4);
    assert_true(t->in_recovery);
    assert_int_equal(sent_at(from, U) + sent_at(from, U + 2 * m), 2);
    advance(t->tlp_at - now_ms);
    assert_int_equal(sent_at(from, U + 4 * m), 1);
    /* nothing more arrives: the RTO */
    advance(t->rto_at - now_ms);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.rto_expiries, 1);
    assert_true(t->rto_loss && t->in_recovery);
    assert_int_equal(t->frto, 0);                      /* not F-RTO: it came in recovery */
    assert_int_equal(t->nscore, 2);                    /* the scoreboard is kept */
    assert_int_equal(last_seg().seq, U);
    assert_int_equal(t->cwnd, m);
    assert_int_equal(t->snd_nxt, top);                 /* no go-back */
    /* the first segment's ACK: slow start (+2 SMSS), holes 2 and 4 go
       again, the SACKed segments 1 and 3 do not */
    from = cap_n;
    ts_ack(&p, U + 2 * m, (uint32_t)now_ms, 1, b);
    assert_int_equal(sent_at(from, U + 2 * m), 1);
    assert_int_equal(sent_at(from, U + 4 * m), 1);
    assert_int_equal(sent_at(from, U + m) + sent_at(from, U + 3 * m), 0);
    /* all acknowledged: the RTO recovery ends, slow start goes on */
    uint32_t cw = t->cwnd;
    from = cap_n;
    ts_ack(&p, t->snd_max, (uint32_t)now_ms, 0, NULL);
    assert_false(t->in_recovery || t->rto_loss);
    assert_true(t->cwnd >= cw);
    assert_true(cap_n > from);                         /* new data */
    tcp_abort(p.s);
}

/* F-RTO: after an RTO, the first ACK advancing the window sends new data
   instead of going back; a second advancing ACK (for data not
   retransmitted) shows the timeout was spurious: cwnd and ssthresh come
   back. A duplicate ACK instead means the timeout was real. */
static void frto_setup(struct peer *p, uint32_t *cwnd, uint32_t *ssthresh)
{
    *p = peer_open_ts(20);
    uint32_t m = MSS - TCP_TS_LEN;
    send_pat(p, 40 * m);
    assert_int_equal(cap_n, 3);
    struct tcp_sock *t = sk(p->s);
    *cwnd = t->cwnd;
    *ssthresh = t->ssthresh;
    cap_n = 0;
    struct tcp_sock_stats ss;
    advance(t->tlp_at - now_ms);                      /* the probe: the last segment */
    tcp_get_stats(p->s, &ss);
    assert_int_equal(ss.tlp_probes, 1);
    assert_int_equal(last_seg().seq, p->iss + 1 + 2 * m);
    assert_int_equal(t->snd_max, p->iss + 1 + 3 * m);  /* no new data */
    advance(t->rto_at - now_ms);                      /* no answer: the RTO */
    tcp_get_stats(p->s, &ss);
    assert_int_equal(ss.rto_expiries, 1);
    assert_int_equal(t->frto, 1);
    assert_int_equal(last_seg().seq, p->iss + 1);       /* the first segment again */
    assert_int_equal(t->cwnd, m);
    cap_n = 0;
}

static void test_frto_spurious(void **st)
{
    (void)st;
    struct peer p;
    uint32_t cwnd, ssthresh, m = MSS - TCP_TS_LEN;
    frto_setup(&p, &cwnd, &ssthresh);
    struct tcp_sock *t = sk(p.s);
    uint32_t A = p.iss + 1, top = t->snd_max;
    ts_ack(&p, A + m, 0, 0, NULL);                     /* the original's ACK, late */
    assert_int_equal(t->frto, 2);
    assert_int_equal(cap_n, 2);                        /* two new segments, not go-back */
    assert_int_equal(capseg(0).seq, top);
    assert_int_equal(capseg(1).seq, top + m);
    ts_ack(&p, A + 2 * m, 0, 0, NULL);                 /* never retransmitted: spurious */
    assert_int_equal(t->frto, 0);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.spurious_rtos, 1);
    assert_int_equal(t->ssthresh, ssthresh);
    assert_true(t->cwnd >= cwnd);
    assert_int_equal(sent_at(0, A + 2 * m), 0);        /* no go-back */
    tcp_abort(p.s);
}

static void test_frto_real(void **st)
{
    (void)st;
    struct peer p;
    uint32_t cwnd, ssthresh, m = MSS - TCP_TS_LEN;
    frto_setup(&p, &cwnd, &ssthresh);
    struct tcp_sock *t = sk(p.s);
    uint32_t A = p.iss + 1;
    ts_ack(&p, A + m, (uint32_t)now_ms, 0, NULL);
    assert_int_equal(t->frto, 2);
    int before = cap_n;
    struct tcp_range b[1] = { { t->snd_max - m, t->snd_max } };
    ts_ack(&p, A + m, (uint32_t)now_ms, 1, b);         /* duplicate: the loss was real */
    assert_int_equal(t->frto, 0);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.spurious_rtos, 0);
    assert_true(t->ssthresh < ssthresh);
    assert_true(sent_at(before, A + m) == 1);          /* go-back resends the rest */
    tcp_abort(p.s);
}

static void test_tx_rto(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 2048, 10);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.rto_ms, TCP_RTO_MIN_MS);      /* 10 + 4*5 -> clamped to 200 */
    assert_int_equal(tcp_send(p.s, "0123456789", 10), 10);
    assert_int_equal(cap_n, 1);
    uint64_t sent = now_ms;
    uint32_t rto = TCP_RTO_MIN_MS;
    for (int k = 1; k <= TCP_MAX_RETRIES; k++) {
        uint64_t at = sk(p.s)->rto_at;
        assert_int_equal(at, sent + rto);
        tcp_timers(at - 1);
        assert_int_equal(cap_n, k);
        tcp_timers(at);
        now_ms = at;
        assert_int_equal(cap_n, k + 1);               /* retransmitted */
        struct tcp_seg s = last_seg();
        assert_int_equal(s.seq, p.iss + 1);
        assert_int_equal(s.dlen, 10);
        assert_memory_equal(s.data, "0123456789", 10);
        tcp_get_stats(p.s, &ss);
        assert_int_equal(ss.rto_expiries, (uint64_t)k);
        assert_int_equal(ss.cwnd, ss.mss);            /* loss window: 1 MSS */
        assert_int_equal(ss.ssthresh, 2 * ss.mss);
        rto = rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto * 2;
        assert_int_equal(ss.rto_ms, rto);             /* backoff */
        sent = at;
    }
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    tcp_timers(sk(p.s)->rto_at);
    assert_int_equal(cap_n, TCP_MAX_RETRIES + 1);     /* gives up without sending */
    assert_int_equal(tcp_state(p.s), TCP_CLOSED);
    assert_int_equal(tcp_error(p.s), NET_ERR_TIMEOUT);
    assert_int_equal(tcp_send(p.s, "x", 1), -(long)NET_ERR_TIMEOUT);
    assert_int_equal(tcp_recv(p.s, (uint8_t[4]){ 0 }, 4), -(long)NET_ERR_TIMEOUT);
    tcp_close(p.s);
    assert_false(sk(p.s)->used);
}

/* An ACK after an RTO restarts the backoff count; Karn: no RTT sample
   from a retransmitted segment. */
static void test_tx_rto_recovers(void **st)
{
    (void)st;
    /* without SACK: no F-RTO (its SACK variant is test_tx_frto_*) */
    struct peer p = peer_open(7, false, 2048, 100);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.srtt_ms, 100);
    assert_int_equal(ss.rto_ms, 300);                  /* 100 + 4 * 50 */
    static uint8_t data[10000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(p.iss + 1 + (uint32_t)i);
    tcp_send(p.s, data, sizeof data);
    assert_int_equal(cap_n, 3);
    advance(300);
    assert_int_equal(cap_n, 4);                        /* one segment: cwnd = 1 MSS */
    assert_int_equal(last_seg().seq, p.iss + 1);
    advance(50);
    cap_n = 0;
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 1 + MSS, 2048, NULL, NULL, 0);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.srtt_ms, 100);                 /* not sampled */
    assert_int_equal(sk(p.s)->retries, 0);
    /* go-back: the rest is sent again in order, slow start from 1 MSS */
    assert_int_equal(cap_n, 2);
    assert_int_equal(capseg(0).seq, p.iss + 1 + MSS);
    assert_int_equal(capseg(1).seq, p.iss + 1 + 2 * MSS);
    tcp_abort(p.s);
}

/* Found by the lossy loopback: after an RTO snd_nxt is back at snd_una, yet
   a pure ACK must carry snd_max (else the peer, which has the data, finds
   it below rcv_nxt and ignores it), and a FIN still waiting behind the
   window is not "acknowledged" when all the data is. */
static void test_tx_after_rto(void **st)
{
    (void)st;
    /* without SACK: no tail loss probe before the RTO, no F-RTO */
    struct peer p = peer_open(7, false, 2048, 10);
    uint32_t A = p.iss + 1;
    static uint8_t data[3000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(A + (uint32_t)i);
    assert_int_equal(tcp_send(p.s, data, sizeof data), 3000);
    assert_int_equal(cap_n, 3);
    advance(sk(p.s)->rto);
    assert_int_equal(cap_n, 4);
    assert_int_equal(last_seg().seq, A);               /* go-back: snd_nxt = A + MSS */
    assert_int_equal(sk(p.s)->snd_nxt, A + MSS);
    peer_data(&p, p.nxt, 10, A, 2048, 0);
    p.nxt += 10;
    advance(TCP_DELACK_MS);
    struct tcp_seg s = last_seg();
    assert_int_equal(s.dlen, 0);
    assert_int_equal(s.ack, p.nxt);
    assert_int_equal(s.seq, A + 3000);                 /* snd_max */
    int before = cap_n;
    tcp_close(p.s);
    assert_int_equal(sk(p.s)->state, TCP_FIN_WAIT_1);
    assert_int_equal(cap_n, before);                   /* cwnd is full: no FIN yet */
    peer_seg(&p, TCP_ACK, p.nxt, A + 3000, 2048, NULL, NULL, 0);
    assert_int_equal(sk(p.s)->state, TCP_FIN_WAIT_1);
    s = last_seg();
    assert_true(s.flags & TCP_FIN);                    /* now it goes */
    assert_int_equal(s.seq, A + 3000);
    peer_seg(&p, TCP_ACK, p.nxt, A + 3001, 2048, NULL, NULL, 0);
    assert_int_equal(sk(p.s)->state, TCP_FIN_WAIT_2);
}

static void test_tx_rtt(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 2048, 100);
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.srtt_ms, 100);                 /* RFC 6298 2.2: R */
    assert_int_equal(ss.rto_ms, 300);                  /* SRTT + 4 * R/2 */
    tcp_send(p.s, "abc", 3);
    advance(60);
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 4, 2048, NULL, NULL, 0);
    tcp_get_stats(p.s, &ss);
    /* 2.3: RTTVAR = 3/4 * 50 + 1/4 * |100 - 60| = 47, SRTT = 7/8 * 100 + 60/8 = 95 */
    assert_int_equal(ss.srtt_ms, 95);
    assert_int_equal(ss.rto_ms, 95 + 4 * 47);
    tcp_send(p.s, "def", 3);
    advance(2000);
    peer_seg(&p, TCP_ACK, p.nxt, p.iss + 7, 2048, NULL, NULL, 0);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.srtt_ms, 95);                  /* retransmitted: no sample */
    /* a long RTT is capped at 60 s */
    for (int i = 0; i < 2; i++) {
        tcp_send(p.s, "g", 1);
        advance(100000);
        sk(p.s)->timing = true;                        /* as if never retransmitted */
        sk(p.s)->rtt_start = now_ms - 100000;
        peer_seg(&p, TCP_ACK, p.nxt, sk(p.s)->snd_max, 2048, NULL, NULL, 0);
    }
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.rto_ms, TCP_RTO_MAX_MS);
    tcp_abort(p.s);
}

static void test_tx_persist(void **st)
{
    (void)st;
    struct peer p = peer_open(-1, false, 65535, 10);
    uint32_t A = p.iss + 1;
    peer_seg(&p, TCP_ACK, p.nxt, A, 0, NULL, NULL, 0); /* the peer closes its window */
    static uint8_t data[5000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = pat(A + (uint32_t)i);
    assert_int_equal(tcp_send(p.s, data, sizeof data), (long)sizeof data);
    assert_int_equal(cap_n, 0);                        /* nothing may go */
    uint32_t rto = sk(p.s)->rto;
    uint64_t t = now_ms;
    advance(rto - 1);
    assert_int_equal(cap_n, 0);
    advance(1);
    assert_int_equal(cap_n, 1);                        /* a 1-byte probe */
    struct tcp_seg s = last_seg();
    assert_int_equal(s.seq, A);
    assert_int_equal(s.dlen, 1);
    assert_int_equal(s.data[0], pat(A));
    struct tcp_sock_stats ss;
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.zero_window_probes, 1);
    peer_seg(&p, TCP_ACK, p.nxt, A, 0, NULL, NULL, 0); /* still closed */
    /* the probes back off: the next after 2 RTO, then 4 RTO, ... */
    advance(2 * rto - 1);
    assert_int_equal(cap_n, 1);
    advance(1);
    assert_int_equal(cap_n, 2);
    assert_int_equal(last_seg().seq, A);
    peer_seg(&p, TCP_ACK, p.nxt, A, 0, NULL, NULL, 0);
    advance(4 * rto);
    assert_int_equal(cap_n, 3);
    peer_seg(&p, TCP_ACK, p.nxt, A, 0, NULL, NULL, 0);
    advance(8 * rto);
    assert_int_equal(cap_n, 4);
    peer_seg(&p, TCP_ACK, p.nxt, A, 0, NULL, NULL, 0);
    /* answers to probes are not duplicate ACKs: only 1-byte probes went */
    for (int i = 0; i < cap_n; i++) {
        assert_int_equal(capseg(i).seq, A);
        assert_int_equal(capseg(i).dlen, 1);
    }
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.zero_window_probes, 4);
    assert_int_equal(ss.fast_retransmits, 0);
    assert_int_equal(ss.rto_expiries, 0);              /* probing is not a loss */
    assert_true(now_ms - t >= 15 * rto);
    /* the window opens: data flows again from snd_una */
    cap_n = 0;
    peer_seg(&p, TCP_ACK, p.nxt, A, 65535, NULL, NULL, 0);
    assert_int_equal(cap_n, 3);
    assert_int_equal(capseg(0).seq, A);
    assert_int_equal(capseg(0).dlen, MSS);
    assert_int_equal(capseg(2).seq, A + 2 * MSS);
    assert_int_equal(sk(p.s)->persist_at, 0);
    peer_seg(&p, TCP_ACK, p.nxt, A + 3 * MSS, 65535, NULL, NULL, 0);
    peer_seg(&p, TCP_ACK, p.nxt, A + 5000, 65535, NULL, NULL, 0);
    assert_true(tcp_send_idle(p.s));
    /* a probe byte the peer accepted counts as sent data */
    peer_seg(&p, TCP_ACK, p.nxt, A + 5000, 0, NULL, NULL, 0);
    tcp_send(p.s, data, 100);
    cap_n = 0;
    advance(sk(p.s)->rto);
    assert_int_equal(cap_n, 1);
    peer_seg(&p, TCP_ACK, p.nxt, A + 5001, 0, NULL, NULL, 0);
    advance(2 * sk(p.s)->rto);
    assert_int_equal(cap_n, 2);
    assert_int_equal(last_seg().seq, A + 5001);       /* the next byte */
    assert_int_equal(last_seg().data[0], data[1]);
    tcp_abort(p.s);
}

/* ================= 6. RFC 5961 ================= */

static void test_rfc5961(void **st)
{
    (void)st;
    struct peer p = peer_open(-1, true, 65535, 10);
    uint32_t R = p.nxt, A = p.iss + 1;
    struct tcp_sock_stats ss;
    /* RST in the window but not at rcv_nxt: challenge ACK, connection stays */
    peer_seg(&p, TCP_RST, R + 100, 0, 0, NULL, NULL, 0);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    assert_int_equal(cap_n, 1);
    struct tcp_seg s = last_seg();
    assert_int_equal(s.flags, TCP_ACK);
    assert_int_equal(s.seq, A);
    assert_int_equal(s.ack, R);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.challenge_acks, 1);
    /* RST outside the window: silently dropped */
    peer_seg(&p, TCP_RST, R + TCP_RX_BUF + 10, 0, 0, NULL, NULL, 0);
    peer_seg(&p, TCP_RST, R - 1, 0, 0, NULL, NULL, 0);
    assert_int_equal(cap_n, 1);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    /* SYN in a synchronized state: challenge ACK */
    struct tcp_opts o = { MSS, -1, false, 0, NULL, false, 0, 0 };
    peer_seg(&p, TCP_SYN, R + 5, 0, 1000, &o, NULL, 0);
    assert_int_equal(cap_n, 2);
    assert_int_equal(last_seg().ack, R);
    assert_int_equal(tcp_state(p.s), TCP_ESTABLISHED);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.challenge_acks, 2);
    /* an ACK older than snd_una - max window: challenge ACK, data dropped */
    peer_data(&p, R, 10, A - 70000, 65535, 0);
    assert_int_equal(cap_n, 3);
    assert_int_equal(tcp_readable(p.s), 0);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.challenge_acks, 3);
    /* an ACK of something never sent: ACKed, dropped */
    peer_data(&p, R, 10, A + 1000, 65535, 0);
    assert_int_equal(cap_n, 4);
    assert_int_equal(last_seg().ack, R);
    assert_int_equal(tcp_readable(p.s), 0);
    /* outside the receive window (beyond, or wholly old): ACK, dropped */
    peer_data(&p, R + TCP_RX_BUF + 5, 100, A, 65535, 0);
    assert_int_equal(cap_n, 5);
    peer_data(&p, R - 1000, 100, A, 65535, 0);
    assert_int_equal(cap_n, 6);
    assert_int_equal(last_seg().ack, R);
    assert_int_equal(tcp_readable(p.s), 0);
    tcp_get_stats(p.s, &ss);
    assert_int_equal(ss.challenge_acks, 3);
    /* the exact RST resets */
    peer_seg(&p, TCP_RST, R, 0, 0, NULL, NULL, 0);
    assert_int_equal(cap_n, 6);
    assert_int_equal(tcp_state(p.s), TCP_CLOSED);
    assert_int_equal(tcp_error(p.s), NET_ERR_RESET);
    assert_int_equal(tcp_recv(p.s, (uint8_t[4]){ 0 }, 4), -(long)NET_ERR_RESET);
    assert_int_equal(tcp_send(p.s, "x", 1), -(long)NET_ERR_RESET);
    /* later segments for it get a RST (no socket) */
    peer_data(&p, R, 10, A, 65535, 0);
    assert_int_equal(cap_n, 7);
    assert_int_equal(last_seg().flags, TCP_RST);
    tcp_close(p.s);
    assert_false(sk(p.s)->used);
}

/* ================= 7. API edge cases ================= */

static void test_api_close_then_send(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint32_t A = p.iss + 1;
    assert_int_equal(tcp_send(p.s, "abc", 3), 3);
    int s_ = p.s;
    tcp_close(s_);
    assert_int_equal(tcp_send(s_, "x", 1), -(long)NET_ERR_CLOSED);
    /* data then FIN */
    struct tcp_seg s = last_seg();
    assert_true(s.flags & TCP_FIN);
    assert_int_equal(s.seq + s.dlen, A + 3);
    assert_int_equal(sk(s_)->state, TCP_FIN_WAIT_1);
    peer_seg(&p, TCP_ACK, p.nxt, A + 4, 512, NULL, NULL, 0);
    assert_int_equal(sk(s_)->state, TCP_FIN_WAIT_2);
    /* data still flows to a half-closed socket; its FIN leads to TIME_WAIT */
    peer_data(&p, p.nxt, 10, A + 4, 512, TCP_FIN);
    assert_int_equal(sk(s_)->state, TCP_TIME_WAIT);
    assert_int_equal(last_seg().ack, p.nxt + 11);
    assert_int_equal(tcp_send(s_, "x", 1), -(long)NET_ERR_CLOSED);
    advance(2 * TCP_MSL_MS - 1);
    assert_true(sk(s_)->used);
    advance(1);
    assert_false(sk(s_)->used);
    tcp_close(s_);                                     /* harmless twice */
}

static void test_api_eof(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    uint8_t buf[16];
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), -(long)NET_ERR_AGAIN);
    peer_data(&p, p.nxt, 5, p.iss + 1, 512, TCP_FIN);
    assert_true(tcp_eof(p.s));
    assert_int_equal(tcp_readable(p.s), 5);
    const uint8_t *q;
    assert_int_equal(tcp_peek(p.s, &q), 5);
    assert_int_equal(q[0], pat(p.nxt));
    tcp_consume(p.s, 2);
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 3);
    assert_int_equal(buf[0], pat(p.nxt + 2));
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 0);
    assert_int_equal(tcp_recv(p.s, buf, sizeof buf), 0);
    assert_int_equal(tcp_state(p.s), TCP_CLOSE_WAIT);
    /* sending still works in CLOSE_WAIT */
    assert_int_equal(tcp_send(p.s, "ok", 2), 2);
    tcp_abort(p.s);
}

static void test_api_table_full(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    enum net_err e;
    int h[TCP_MAX_SOCKETS];
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        h[i] = i % 2 ? tcp_listen((uint16_t)(1000 + i), &e) : tcp_connect(ADDR(PEER), 80, 1000, &e);
        assert_true(h[i] >= 0);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(h[i], h[j]);
    }
    assert_int_equal(tcp_connect(ADDR(PEER), 80, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_SOCKETS);
    assert_int_equal(tcp_listen(2000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_SOCKETS);
    /* distinct ephemeral ports */
    assert_int_not_equal(sk(h[0])->lport, sk(h[2])->lport);
    tcp_close(h[1]);                                   /* a listener closes at once */
    int n = tcp_connect(ADDR(PEER), 80, 1000, &e);
    assert_int_equal(n, h[1]);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        tcp_abort(i);
    /* other open errors */
    assert_int_equal(tcp_connect(ADDR(PEER), 0, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_INVALID_ARG);
    net_set_random(no_random);
    assert_int_equal(tcp_connect(ADDR(PEER), 80, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_ENTROPY);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        assert_false(tcp_socks[i].used);
}

/* The socket API takes a family-tagged address: IPv4 and IPv6 are
   connected to, a struct without a family is refused with NET_ERR_FAMILY
   before a slot or a port is taken or a segment leaves. The bytes of an
   IPv4 address tagged IPv6 are an IPv6 address (a00:202::), never read as
   IPv4; with no IPv6 source address it has no route. */
static void test_api_family(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    slaac_reset();                            /* no IPv6 address of ours */
    enum net_err e = NET_OK;
    struct ip_addr v6 = ip_addr_v4(PEER);
    v6.family = IP_FAMILY_V6;                 /* same bytes, other family */
    assert_int_equal(tcp_connect(&v6, PPORT, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_NO_ROUTE);
    struct ip_addr none;
    memset(&none, 0, sizeof none);
    e = NET_OK;
    assert_int_equal(tcp_connect(&none, PPORT, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_FAMILY);
    assert_string_equal(net_err_str(e), "unsupported_family");
    none.family = 5;
    assert_int_equal(tcp_connect(&none, PPORT, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_FAMILY);
    e = NET_OK;
    assert_int_equal(tcp_connect(NULL, PPORT, 1000, &e), -1);
    assert_int_equal(e, NET_ERR_INVALID_ARG);
    assert_int_equal(tcp_connect(&v6, PPORT, 1000, NULL), -1);   /* err is optional */
    assert_int_equal(cap_n, 0);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        assert_false(tcp_socks[i].used);
    /* the same bytes as IPv4 connect, to that address */
    int s = tcp_connect(ADDR(PEER), PPORT, 1000, &e);
    assert_true(s >= 0);
    assert_int_equal(cap_n, 1);
    assert_int_equal(cap[0].dst, PEER);
    assert_true(ip_addr_is_v4(&cap[0].dst6));
    tcp_abort(s);
    /* with a source address, the IPv6 one goes out as IPv6 */
    static const uint8_t me6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x0f};
    tcp_set_local_addr6(me6);
    s = tcp_connect(&v6, PPORT, 1000, &e);
    assert_true(s >= 0);
    assert_int_equal(cap_n, 2);
    assert_true(ip_addr_eq(&cap[1].dst6, &v6));
    assert_true(ip_addr_is_v6(&cap[1].src6));
    assert_memory_equal(cap[1].src6.bytes, me6, 16);
    tcp_abort(s);
}

static void test_api_invalid_handles(void **st)
{
    (void)st;
    tcp_test_reset();
    static const int bad[] = { -1, -1000, TCP_MAX_SOCKETS, 1 << 30, 0, 2 };
    uint8_t buf[8];
    const uint8_t *q = NULL;
    struct tcp_sock_stats ss;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int h = bad[i];
        assert_int_equal(tcp_state(h), TCP_CLOSED);
        assert_int_equal(tcp_error(h), NET_ERR_CLOSED);
        assert_int_equal(tcp_send(h, "x", 1), -(long)NET_ERR_CLOSED);
        assert_int_equal(tcp_recv(h, buf, sizeof buf), -(long)NET_ERR_CLOSED);
        assert_int_equal(tcp_send_space(h), 0);
        assert_true(tcp_send_idle(h));
        assert_int_equal(tcp_peek(h, &q), 0);
        tcp_consume(h, 5);
        assert_int_equal(tcp_readable(h), 0);
        assert_true(tcp_eof(h));
        tcp_get_stats(h, &ss);
        assert_int_equal(ss.cwnd, 0);
        tcp_close(h);
        tcp_abort(h);
    }
    assert_int_equal(cap_n, 0);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        assert_false(tcp_socks[i].used);
}

static void test_api_abort(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    tcp_send(p.s, "abc", 3);
    peer_data(&p, p.nxt, 7, p.iss + 1, 512, 0);
    cap_n = 0;
    tcp_abort(p.s);
    assert_int_equal(cap_n, 1);
    struct tcp_seg s = last_seg();
    assert_true(s.flags & TCP_RST);
    assert_int_equal(s.seq, p.iss + 4);
    assert_int_equal(s.dport, PPORT);
    assert_int_equal(cap[0].dst, PEER);
    assert_false(sk(p.s)->used);
    advance(5000);
    assert_int_equal(cap_n, 1);                        /* no timers left behind */
    /* aborting a SYN_SENT socket sends nothing */
    enum net_err e;
    int h = tcp_connect(ADDR(PEER), PPORT, 1000, &e);
    assert_int_equal(cap_n, 2);
    tcp_abort(h);
    assert_int_equal(cap_n, 2);
    assert_false(sk(h)->used);
}

static void test_no_socket_rst(void **st)
{
    (void)st;
    tcp_test_reset();
    tcp_set_local_addr(ME);
    uint8_t b[TCP_HDR_MAX + 10];
    struct tcp_seg s;
    /* with ACK: RST, seq = its ACK */
    size_t hl = tcp_build(b, PEER, ME, 1234, 9999, 100, 777, TCP_ACK, 100, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(cap_n, 1);
    s = capseg(0);
    assert_int_equal(s.flags, TCP_RST);
    assert_int_equal(s.seq, 777);
    assert_int_equal(s.sport, 9999);
    assert_int_equal(s.dport, 1234);
    assert_int_equal(cap[0].dst, PEER);
    /* without ACK (a SYN): RST+ACK acking the SYN */
    hl = tcp_build(b, PEER, ME, 1234, 9999, 100, 0, TCP_SYN, 100, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    s = capseg(1);
    assert_int_equal(s.flags, TCP_RST | TCP_ACK);
    assert_int_equal(s.seq, 0);
    assert_int_equal(s.ack, 101);
    /* data + FIN without ACK: acks all of it */
    hl = tcp_build(b, PEER, ME, 1234, 9999, 100, 0, TCP_FIN, 100, NULL,
                   (const uint8_t *)"12345", 5);
    memcpy(b + hl, "12345", 5);
    tcp_input(PEER, ME, b, hl + 5);
    assert_int_equal(capseg(2).ack, 106);
    /* never a RST for a RST */
    hl = tcp_build(b, PEER, ME, 1234, 9999, 100, 5, TCP_RST | TCP_ACK, 0, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    hl = tcp_build(b, PEER, ME, 1234, 9999, 100, 0, TCP_RST, 0, NULL, NULL, 0);
    tcp_input(PEER, ME, b, hl);
    assert_int_equal(cap_n, 3);
    assert_int_equal(net_stats.rx_dropped, 5);
    /* malformed: counted, no answer */
    b[16] ^= 1;
    tcp_input(PEER, ME, b, hl);
    tcp_input(PEER, ME, b, 10);
    assert_int_equal(cap_n, 3);
    assert_int_equal(net_stats.rx_malformed, 2);
}

/* TIME_WAIT slots are reused when the table is otherwise full. */
static void test_time_wait_reuse(void **st)
{
    (void)st;
    struct peer p = peer_open(7, true, 512, 10);
    int s_ = p.s;
    tcp_close(s_);
    peer_seg(&p, TCP_ACK | TCP_FIN, p.nxt, p.iss + 2, 512, NULL, NULL, 0);
    assert_int_equal(sk(s_)->state, TCP_TIME_WAIT);
    enum net_err e;
    int h[TCP_MAX_SOCKETS];
    for (int i = 0; i < TCP_MAX_SOCKETS - 1; i++) {
        h[i] = tcp_connect(ADDR(PEER), 80, 1000, &e);
        assert_true(h[i] >= 0 && h[i] != s_);
    }
    h[TCP_MAX_SOCKETS - 1] = tcp_connect(ADDR(PEER), 80, 1000, &e);
    assert_int_equal(h[TCP_MAX_SOCKETS - 1], s_);
    assert_int_equal(tcp_state(s_), TCP_SYN_SENT);
    for (int i = 0; i < TCP_MAX_SOCKETS; i++)
        tcp_abort(h[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_errors),
        cmocka_unit_test(test_wire_options_roundtrip),
        cmocka_unit_test(test_handshake_active),
        cmocka_unit_test(test_handshake_refused),
        cmocka_unit_test(test_handshake_timeout),
        cmocka_unit_test(test_handshake_bad_synack),
        cmocka_unit_test(test_handshake_passive),
        cmocka_unit_test(test_close_in_syn_received),
        cmocka_unit_test(test_loopback_clean),
        cmocka_unit_test(test_loopback_lossy),
        cmocka_unit_test(test_loopback_heavy_loss),
        cmocka_unit_test(test_rx_sack_and_reassembly),
        cmocka_unit_test(test_rx_window),
        cmocka_unit_test(test_rx_window_unscaled),
        cmocka_unit_test(test_rx_window_edge_unscaled),
        cmocka_unit_test(test_rx_window_edge_scaled),
        cmocka_unit_test(test_rx_fin_held),
        cmocka_unit_test(test_tx_fast_retransmit),
        cmocka_unit_test(test_tx_sack_retransmit),
        cmocka_unit_test(test_ts_rtt_every_ack),
        cmocka_unit_test(test_ts_paws),
        cmocka_unit_test(test_tlp_tail_loss),
        cmocka_unit_test(test_sack_pipe),
        cmocka_unit_test(test_rack_lost_retransmission),
        cmocka_unit_test(test_rto_sack_recovery),
        cmocka_unit_test(test_frto_spurious),
        cmocka_unit_test(test_frto_real),
        cmocka_unit_test(test_tx_rto),
        cmocka_unit_test(test_tx_rto_recovers),
        cmocka_unit_test(test_tx_after_rto),
        cmocka_unit_test(test_tx_rtt),
        cmocka_unit_test(test_tx_persist),
        cmocka_unit_test(test_rfc5961),
        cmocka_unit_test(test_api_close_then_send),
        cmocka_unit_test(test_api_eof),
        cmocka_unit_test(test_api_table_full),
        cmocka_unit_test(test_api_family),
        cmocka_unit_test(test_api_invalid_handles),
        cmocka_unit_test(test_api_abort),
        cmocka_unit_test(test_no_socket_rst),
        cmocka_unit_test(test_time_wait_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
