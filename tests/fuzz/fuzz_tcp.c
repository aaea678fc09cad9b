/* libFuzzer target for TCP (net/tcp*.c): one socket, either connected to or
   accepted from a peer the input plays, then the rest of the input as a
   sequence of operations (one byte picks each):
     - segments: raw bytes (ports and checksum optionally fixed up so parsing
       gets past them) or built field by field with tcp_build, sequence and
       acknowledgment numbers relative to the socket's state so they land in
       (or near) the windows;
     - the last built segment again (duplicate ACKs), or a burst of data
       segments streamed from rcv_nxt;
     - clock advances running tcp_timers (retransmission, persist, delayed
       ACK, TIME_WAIT, connect deadline);
     - application calls: send (a known byte pattern), recv, peek/consume,
       close, abort.
   After every operation invariants are checked (ring lengths, snd_una <=
   snd_nxt <= snd_max, reassembly and SACK ranges inside the window), and
   every segment the stack emits must parse, checksum, and carry exactly the
   pattern bytes at their stream offsets. A violation aborts (a finding). */
#include "net/checksum.h"
#include "net/net.h"
#include "net/tcp_int.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ME     IP4_ADDR(10, 0, 2, 15)
#define PEER   IP4_ADDR(10, 0, 2, 2)
#define PPORT  80      /* the peer's port (active open) or ours (listen) */
#define RPORT  40000   /* the peer's port when we listen */
#define ADDR(a) ((const struct ip_addr[1]){ip_addr_v4(a)})   /* socket API address */

static const uint8_t *in;
static size_t in_len, in_pos;
static uint64_t now;
static int sock;
static bool app_open, listening;
static uint32_t app_sent;            /* pattern bytes queued by tcp_send */
static uint32_t app_limit;           /* app_sent, plus the bytes of a tcp_send under way */
static uint32_t rnd_val;
static uint16_t lport, rport;

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static uint8_t pat(uint32_t i) { return (uint8_t)(i * 131u + (i >> 9)); }

static uint8_t u8(void) { return in_pos < in_len ? in[in_pos++] : 0; }
static uint16_t u16(void) { uint16_t v = u8(); return (uint16_t)(v << 8 | u8()); }
static uint32_t u32(void) { uint32_t v = u16(); return v << 16 | u16(); }

static int rnd(void *out, size_t len)
{
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(rnd_val >> (8 * (i % 4)));
        if (i % 4 == 3)
            rnd_val = rnd_val * 1103515245u + 12345u;
    }
    return 0;
}

/* Every emitted segment: well formed, and its data is the app's pattern. */
static enum net_err out(const struct ip_addr *src, const struct ip_addr *dst6, uint8_t proto,
                        const void *hdr, size_t hlen, const void *payload, size_t plen)
{
    static uint8_t b[TCP_HDR_MAX + 65536];
    CHECK(ip_addr_is_v4(src) && ip_addr_is_v4(dst6) && ip_addr_v4_value(src) == ME);
    ip4_addr dst = ip_addr_v4_value(dst6);
    CHECK(proto == IPV4_PROTO_TCP && dst == PEER);
    CHECK(hlen >= TCP_HDR_MIN && hlen <= TCP_HDR_MAX && plen <= 1460);
    memcpy(b, hdr, hlen);
    if (plen)
        memcpy(b + hlen, payload, plen);
    struct tcp_seg s;
    CHECK(tcp_parse(b, hlen + plen, true, ME, dst, &s) == TCP_PARSE_OK);
    CHECK(s.dlen == plen);
    if (plen) {
        const struct tcp_sock *t = &tcp_socks[sock];
        CHECK(t->used && s.sport == t->lport && !(s.flags & (TCP_SYN | TCP_RST)));
        uint32_t off = s.seq - (t->iss + 1);
        CHECK(off < app_limit && plen <= app_limit - off);
        for (size_t i = 0; i < plen; i++)
            CHECK(s.data[i] == pat(off + (uint32_t)i));
    }
    return NET_OK;
}

static bool synchronized(const struct tcp_sock *t)
{
    return t->state != TCP_CLOSED && t->state != TCP_LISTEN && t->state != TCP_SYN_SENT;
}

static void invariants(void)
{
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        const struct tcp_sock *t = &tcp_socks[i];
        if (!t->used)
            continue;
        CHECK(t->state <= TCP_TIME_WAIT);
        CHECK(t->rx_len <= TCP_RX_BUF && t->rx_head < TCP_RX_BUF);
        CHECK(t->tx_len <= TCP_TX_BUF && t->tx_head < TCP_TX_BUF);
        CHECK(t->nooo >= 0 && t->nooo <= TCP_OOO_MAX);
        CHECK(t->nscore >= 0 && t->nscore <= TCP_SCORE_MAX);
        CHECK(t->ooo_last >= 0 && (t->nooo == 0 || t->ooo_last < t->nooo));
        CHECK(t->rto <= TCP_RTO_MAX_MS);
        if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
            continue;
        CHECK(SEQ_LE(t->snd_una, t->snd_nxt) && SEQ_LE(t->snd_nxt, t->snd_max));
        /* in flight: at most the ring plus SYN and FIN */
        CHECK(t->snd_max - t->snd_una <= t->tx_len + 2);
        CHECK(SEQ_LE(t->iss, t->snd_una));
        if (t->fin_sent)
            CHECK(t->fin_queued);
        for (int j = 0; j < t->nscore; j++)
            CHECK(SEQ_LT(t->score[j].l, t->score[j].r) && SEQ_GE(t->score[j].l, t->snd_una) &&
                  SEQ_LE(t->score[j].r, t->snd_max));
        if (!synchronized(t) || t->fin_rcvd)
            continue;
        /* held out-of-order data lies inside the window, past rcv_nxt */
        uint32_t edge = t->rcv_nxt + tcp_rx_window(t);
        for (int j = 0; j < t->nooo; j++)
            CHECK(SEQ_LT(t->rcv_nxt, t->ooo[j].l) && SEQ_LT(t->ooo[j].l, t->ooo[j].r) &&
                  SEQ_LE(t->ooo[j].r, edge));
    }
}

/* Ports (and, with fix, the checksum) set so the segment reaches the socket. */
static void deliver(uint8_t *seg, size_t len, bool fix)
{
    if (fix && len >= TCP_HDR_MIN && len <= 0xFFFF) {
        seg[0] = (uint8_t)(rport >> 8);
        seg[1] = (uint8_t)rport;
        seg[2] = (uint8_t)(lport >> 8);
        seg[3] = (uint8_t)lport;
        seg[16] = seg[17] = 0;
        uint16_t c = inet_fold(inet_sum(inet_pseudo_sum(PEER, ME, 6, (uint16_t)len), seg, len));
        seg[16] = (uint8_t)(c >> 8);
        seg[17] = (uint8_t)c;
    }
    tcp_input(PEER, ME, seg, len);
}

static uint8_t segbuf[TCP_HDR_MAX + 65536], lastbuf[TCP_HDR_MAX + 65536];
static size_t last_len;

/* A raw segment: 2-byte length, then the bytes. */
static void op_raw(bool fix)
{
    size_t n = u16() % 4096;
    if (n > in_len - in_pos)
        n = in_len - in_pos;
    memcpy(segbuf, in + in_pos, n);
    in_pos += n;
    deliver(segbuf, n, fix);
}

/* A segment built from fields, numbers relative to the socket's state. */
static void op_build(void)
{
    const struct tcp_sock *t = &tcp_socks[sock];
    uint8_t flags = u8() & 0x3F;
    uint8_t m = u8();
    int16_t sd = (int16_t)u16(), ad = (int16_t)u16();
    uint32_t seq, ack;
    switch (m & 3) {
    case 0: seq = t->rcv_nxt + (uint32_t)(int32_t)sd; break;
    case 1: seq = t->irs + (uint32_t)(int32_t)sd; break;
    case 2: seq = t->rcv_nxt + tcp_rx_window(t) + (uint32_t)(int32_t)sd; break;
    default: seq = u32(); break;
    }
    switch ((m >> 2) & 3) {
    case 0: ack = t->snd_una + (uint32_t)(int32_t)ad; break;
    case 1: ack = t->snd_max + (uint32_t)(int32_t)ad; break;
    case 2: ack = t->snd_nxt + (uint32_t)(int32_t)ad; break;
    default: ack = u32(); break;
    }
    uint16_t wnd = u16();
    if (m & 0x10)                 /* the window as it stands: duplicate ACKs */
        wnd = (uint16_t)(t->snd_wnd >> t->snd_wscale);
    else if (m & 0x20)
        wnd = 0;
    uint8_t ob = u8();
    struct tcp_range blocks[TCP_MAX_SACK];
    struct tcp_opts o = { 0, -1, false, 0, blocks, false, 0, 0 };
    if (ob & 1)
        o.mss = u16();
    if (ob & 2)
        o.ws = u8();
    o.sack_perm = (ob & 4) != 0;
    o.nsack = (ob >> 3) % (TCP_MAX_SACK + 1);
    if (m & 0x40) {               /* timestamps: near the echo, or anything */
        o.ts = true;
        o.tsval = t->ts_recent + (uint32_t)(int32_t)(int8_t)u8();
        o.tsecr = (m & 0x80) ? u32() : (uint32_t)tcp_now - u8();
    }
    for (int i = 0; i < o.nsack; i++) {
        blocks[i].l = t->snd_una + (uint32_t)(int32_t)(int16_t)u16();
        blocks[i].r = blocks[i].l + u16() % 8192;
    }
    /* data: bytes of the input, or up to 64 KB made up (fills windows) */
    static uint8_t data[65000];
    size_t dlen = 0;
    if (ob & 0x80) {
        dlen = u16() % 3000;
        for (size_t i = 0; i < dlen; i++)
            data[i] = in_pos < in_len ? in[in_pos++] : (uint8_t)i;
    } else if (ob & 0x40) {
        dlen = u16() % sizeof data;
        for (size_t i = 0; i < dlen; i++)
            data[i] = (uint8_t)(seq + i);
    }
    size_t hl = tcp_build(segbuf, PEER, ME, rport, lport, seq, ack, flags, wnd, &o, data, dlen);
    memcpy(segbuf + hl, data, dlen);
    last_len = hl + dlen;
    memcpy(lastbuf, segbuf, last_len);
    tcp_input(PEER, ME, segbuf, hl + dlen);
}

/* Either the last built segment again, 1 to 8 times (duplicate ACKs,
   retransmissions), or a peer streaming up to 16 data segments from rcv_nxt
   (in order or with holes, forwards or backwards): fills the receive window
   and ring, the reassembly table, and runs the delayed-ACK logic. */
static void op_repeat_or_stream(void)
{
    uint8_t k = u8();
    int n = (k >> 1) % 8 + 1;
    if (!(k & 1)) {
        for (int i = 0; i < n && last_len; i++) {
            memcpy(segbuf, lastbuf, last_len);
            tcp_input(PEER, ME, segbuf, last_len);
            invariants();
        }
        return;
    }
    const struct tcp_sock *t = &tcp_socks[sock];
    n = (k >> 1) % 16 + 1;
    size_t size = u16() % 16384 + 1;         /* 16 x 16 KB fill the 256 KB ring */
    uint32_t gap = u16() % 4096;
    uint32_t base = t->rcv_nxt;
    for (int j = 0; j < n; j++) {
        int i = (k & 0x80) ? n - 1 - j : j;
        uint32_t seq = base + (uint32_t)i * ((uint32_t)size + gap);
        for (size_t b = 0; b < size; b++)
            segbuf[TCP_HDR_MAX + b] = (uint8_t)(seq + b);
        uint8_t hdr[TCP_HDR_MAX];
        size_t hl = tcp_build(hdr, PEER, ME, rport, lport, seq, t->snd_una, TCP_ACK,
                              (uint16_t)(t->snd_wnd >> t->snd_wscale), NULL,
                              segbuf + TCP_HDR_MAX, size);
        memcpy(segbuf + TCP_HDR_MAX - hl, hdr, hl);
        tcp_input(PEER, ME, segbuf + TCP_HDR_MAX - hl, hl + size);
        invariants();
    }
}

static void op_time(void)
{
    uint8_t b = u8();
    now += b < 160 ? b : (uint64_t)(b - 159) * 1000;
    tcp_timers(now);
}

static void op_app(void)
{
    static uint8_t buf[256 * 509];
    uint8_t a = u8(), n = u8();
    size_t unit = (a & 0x80) ? 509 : 29;     /* up to 127 KB at once */
    if (!app_open)
        return;
    switch (a % 8) {
    case 0: case 1: case 2: {                   /* send */
        size_t len = ((size_t)n + 1) * unit;
        for (size_t i = 0; i < len; i++)
            buf[i] = pat(app_sent + (uint32_t)i);
        app_limit = app_sent + (uint32_t)len;
        long r = tcp_send(sock, buf, len);
        CHECK(r <= (long)len);
        if (r > 0)
            app_sent += (uint32_t)r;
        app_limit = app_sent;
        break;
    }
    case 3: case 4: {                           /* recv */
        size_t len = ((size_t)n + 1) * unit;
        size_t before = tcp_readable(sock);
        long r = tcp_recv(sock, buf, len);
        CHECK(r <= (long)len);
        CHECK(r < 0 || (size_t)r <= before);
        if (r == 0)
            CHECK(tcp_eof(sock));
        break;
    }
    case 5: {                                   /* zero-copy read */
        const uint8_t *p = NULL;
        size_t avail = tcp_peek(sock, &p);
        CHECK(avail <= tcp_readable(sock));
        if (avail) {
            const struct tcp_sock *t = &tcp_socks[sock];
            CHECK(p >= t->rx && p + avail <= t->rx + TCP_RX_BUF);
            tcp_consume(sock, n % 2 ? avail : (avail * n) / 256);
        }
        break;
    }
    case 6:                                     /* orderly close: the handle is gone */
        tcp_close(sock);
        app_open = false;
        break;
    default:
        if (n < 32) {
            tcp_abort(sock);
            app_open = false;
        } else {
            struct tcp_sock_stats st;
            tcp_get_stats(sock, &st);
            CHECK(tcp_send_space(sock) <= TCP_TX_BUF);
            (void)tcp_state(sock);
            (void)tcp_error(sock);
            (void)tcp_send_idle(sock);
        }
        break;
    }
}

/* The peer's side of the handshake, done by the harness. */
static void handshake(uint8_t cfg, uint32_t peer_iss)
{
    struct tcp_opts o = { (uint16_t)(536 + (cfg >> 4) * 61), (cfg & 4) ? (cfg >> 4) : -1,
                          (cfg & 8) != 0, 0, NULL, (peer_iss & 1) != 0, peer_iss >> 1,
                          (uint32_t)tcp_now };
    struct tcp_sock *t = &tcp_socks[sock];
    if (!listening) {
        size_t hl = tcp_build(segbuf, PEER, ME, rport, lport, peer_iss, t->iss + 1,
                              TCP_SYN | TCP_ACK, 65535, &o, NULL, 0);
        tcp_input(PEER, ME, segbuf, hl);
    } else {
        size_t hl = tcp_build(segbuf, PEER, ME, rport, lport, peer_iss, 0, TCP_SYN, 65535, &o,
                              NULL, 0);
        tcp_input(PEER, ME, segbuf, hl);
        now += 3;
        tcp_timers(now);
        hl = tcp_build(segbuf, PEER, ME, rport, lport, peer_iss + 1, t->iss + 1, TCP_ACK, 4096,
                       NULL, NULL, 0);
        tcp_input(PEER, ME, segbuf, hl);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    in = data;
    in_len = size;
    in_pos = 0;
    uint8_t cfg = u8();
    rnd_val = u32();                      /* our ISN (and ephemeral port) */
    uint32_t peer_iss = u32();
    net_set_random(rnd);
    tcp_reset_all();
    tcp_set_output(out);
    tcp_set_local_addr(ME);
    now = 1000;
    tcp_timers(now);
    app_sent = app_limit = 0;
    last_len = 0;
    app_open = true;
    listening = (cfg & 1) != 0;
    enum net_err e;
    if (listening) {
        sock = tcp_listen(PPORT, &e);
        lport = PPORT;
        rport = RPORT;
    } else {
        sock = tcp_connect(ADDR(PEER), PPORT, 5000 + (uint32_t)(cfg >> 4) * 3000, &e);
        lport = sock >= 0 ? tcp_socks[sock].lport : 0;
        rport = PPORT;
    }
    CHECK(sock >= 0);
    if (cfg & 2) {
        handshake(cfg, peer_iss);
        CHECK(tcp_state(sock) == TCP_ESTABLISHED);
    }
    invariants();
    while (in_pos < in_len) {
        uint8_t op = u8();
        switch (op % 8) {
        case 0: case 1: op_raw(true); break;
        case 2: op_raw(false); break;
        case 3: case 4: op_build(); break;
        case 5: op_time(); break;
        case 6: op_app(); break;
        default: op_repeat_or_stream(); break;
        }
        invariants();
    }
    /* let the timers run out: everything ends (or waits) without a fault */
    for (int i = 0; i < 40; i++) {
        now += 5000;
        tcp_timers(now);
        invariants();
    }
    return 0;
}
