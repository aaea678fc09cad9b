/* TCP output: segments from the send ring within min(cwnd, peer window)
   (RFC 5681), FIN after the data, pure ACKs with SACK blocks, SYN/SYN-ACK
   with options, RSTs for segments that match no connection (RFC 9293 3.10.7.1),
   retransmission of one segment (tcp_send_seg; tcp_sack.c picks which),
   timestamps on every segment once agreed (RFC 7323). */
#include "net/net.h"
#include "net/tcp_int.h"

static uint8_t bounce[TCP_HDR_MAX + 1500];   /* data that wraps the ring */

/* The 16-bit window field for the free receive space: scaled, and capped
   at 0xFFFF (64 KiB when the peer did not agree to window scaling). */
static uint32_t wnd_shift(const struct tcp_sock *t) { return t->ws_ok ? t->rcv_wscale : 0; }

static uint32_t wnd_field(const struct tcp_sock *t)
{
    uint32_t f = tcp_rx_window(t) >> wnd_shift(t);
    return f > 0xFFFF ? 0xFFFF : f;
}

uint32_t tcp_rcv_edge(const struct tcp_sock *t)
{
    return t->rcv_nxt + (wnd_field(t) << wnd_shift(t));
}

uint16_t tcp_syn_window(const struct tcp_sock *t)
{
    uint32_t w = tcp_rx_window(t);   /* RFC 7323 2.2: the window in a SYN is unscaled */
    return (uint16_t)(w > 0xFFFF ? 0xFFFF : w);
}

uint32_t tcp_rcv_wnd(const struct tcp_sock *t)
{
    return SEQ_GT(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
}

uint16_t tcp_rcv_wnd_field(struct tcp_sock *t)
{
    uint32_t f = wnd_field(t);
    uint32_t edge = t->rcv_nxt + (f << wnd_shift(t));
    if (SEQ_GT(edge, t->rcv_adv))
        t->rcv_adv = edge;
    return (uint16_t)f;
}

uint32_t tcp_flight(const struct tcp_sock *t) { return t->snd_nxt - t->snd_una; }

void tcp_rto_arm(struct tcp_sock *t)
{
    t->rto_at = tcp_now + t->rto;
}

/* One segment: flags, seq, and dlen bytes of the tx ring from offset off. */
enum net_err tcp_emit(struct tcp_sock *t, uint32_t seq, uint8_t flags, size_t off,
                      size_t dlen)
{
    uint8_t hdr[TCP_HDR_MAX];
    struct tcp_range sack[TCP_MAX_SACK];
    struct tcp_opts o = { 0, -1, false, 0, sack, false, 0, 0 };
    if (flags & TCP_SYN) {
        o.mss = tcp_adv_mss(&t->rip);
        o.ws = TCP_RCV_WSCALE;
        o.sack_perm = true;
        if (t->state == TCP_SYN_RECEIVED) {   /* answer only what was offered */
            if (!t->ws_ok)
                o.ws = -1;
            o.sack_perm = t->sack_ok;
        }
    } else if (flags & TCP_ACK) {
        o.nsack = tcp_rx_sack_blocks(t, sack, TCP_MAX_SACK);
        /* data and options within the MSS (t->mss counts the timestamps
           already): a full segment with SACK blocks would exceed the path
           MTU and be refused by the IP layer, so the blocks that do not fit
           go first in a pure ACK (the SACK information is not lost) */
        if (o.nsack && dlen) {
            size_t room = t->mss > dlen ? t->mss - dlen : 0;
            int fit = room >= 12 ? (int)((room - 4) / 8) : 0;
            if (fit < o.nsack) {
                tcp_emit(t, t->snd_max, TCP_ACK, 0, 0);
                o.nsack = fit;
            }
        }
    }
    /* RFC 7323 3.2: on our SYN, on a SYN-ACK when the SYN had it, then on
       every segment once agreed; TSval is the millisecond clock */
    if (!(flags & TCP_RST) &&
        (((flags & TCP_SYN) && t->state != TCP_SYN_RECEIVED) || t->ts_ok)) {
        o.ts = true;
        o.tsval = (uint32_t)tcp_now;
        o.tsecr = t->ts_recent;
    }
    uint16_t wnd;
    if (flags & TCP_SYN) {
        wnd = tcp_syn_window(t);
        t->rcv_adv = t->rcv_nxt + wnd;
    } else {
        wnd = tcp_rcv_wnd_field(t);
    }
    const uint8_t *p = NULL;
    if (dlen) {
        size_t pos = (t->tx_head + off) % TCP_TX_BUF;
        if (pos + dlen <= TCP_TX_BUF) {
            p = t->tx + pos;
        } else {
            if (dlen > sizeof bounce)
                dlen = sizeof bounce;
            size_t first = TCP_TX_BUF - pos;
            memcpy(bounce, t->tx + pos, first);
            memcpy(bounce + first, t->tx, dlen - first);
            p = bounce;
        }
    }
    uint32_t ack = (flags & TCP_ACK) ? t->rcv_nxt : 0;
    size_t hl = tcp_build_ip(hdr, &t->lip, &t->rip, t->lport, t->rport, seq, ack, flags, wnd,
                             &o, p, dlen);
    if (flags & TCP_FIN)
        t->fin_sent = true;
    if (flags & TCP_ACK) {
        t->last_ack_sent = t->rcv_nxt;
        t->ack_now = false;
        t->segs_unacked = 0;
        t->delack_at = 0;
    }
    return tcp_ip_output(&t->lip, &t->rip, hdr, hl, p, dlen);
}

void tcp_send_syn(struct tcp_sock *t)
{
    uint8_t fl = TCP_SYN;
    if (t->state == TCP_SYN_RECEIVED)
        fl |= TCP_ACK;
    tcp_emit(t, t->iss, fl, 0, 0);
}

void tcp_send_ack(struct tcp_sock *t)
{
    /* snd_max, not snd_nxt: after an RTO snd_nxt went back to snd_una, and a
       pure ACK with a sequence number below the peer's rcv_nxt would fail its
       acceptability test (RFC 9293 3.10.7.4) and never be processed (BSD
       tcp_output does the same). */
    tcp_emit(t, t->snd_max, TCP_ACK, 0, 0);
}

void tcp_send_rst_reply(const struct ip_addr *src, const struct ip_addr *dst,
                        const struct tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return;
    uint8_t hdr[TCP_HDR_MAX];
    size_t hl;
    if (s->flags & TCP_ACK) {
        hl = tcp_build_ip(hdr, dst, src, s->dport, s->sport, s->ack, 0, TCP_RST, 0, NULL, NULL,
                          0);
    } else {
        uint32_t sl = (uint32_t)s->dlen + ((s->flags & TCP_SYN) ? 1 : 0) +
                      ((s->flags & TCP_FIN) ? 1 : 0);
        hl = tcp_build_ip(hdr, dst, src, s->dport, s->sport, 0, s->seq + sl, TCP_RST | TCP_ACK,
                          0, NULL, NULL, 0);
    }
    tcp_ip_output(dst, src, hdr, hl, NULL, 0);
}

/* Sends the segment that starts at seq, at most up to limit (a
   retransmission when below snd_max); returns the sequence space it covered
   (data and FIN). */
uint32_t tcp_send_seg(struct tcp_sock *t, uint32_t seq, uint32_t limit)
{
    size_t off = seq - t->snd_una;
    size_t avail = t->tx_len > off ? t->tx_len - off : 0;
    size_t n = avail < t->mss ? avail : t->mss;
    if (SEQ_LT(seq, limit) && limit - seq < n)
        n = limit - seq;
    uint8_t fl = TCP_ACK;
    if (n == avail && t->fin_queued && SEQ_GT(t->snd_max, seq + (uint32_t)n))
        fl |= TCP_FIN;   /* the FIN was sent already: it goes again */
    if (!n && !(fl & TCP_FIN))
        return 0;
    if (n)
        fl |= TCP_PSH;
    tcp_emit(t, seq, fl, off, n);
    if (SEQ_LT(seq, t->snd_max)) {
        t->st.retransmits++;
        net_stats.tcp_retransmits++;
        if (t->timing && SEQ_LE(seq, t->rtt_seq))
            t->timing = false;   /* Karn: never time a retransmission */
    }
    return (uint32_t)n + ((fl & TCP_FIN) ? 1 : 0);
}

void tcp_retransmit_una(struct tcp_sock *t)
{
    uint32_t end = t->snd_una + t->mss;
    tcp_send_seg(t, t->snd_una, end);
}


void tcp_output(struct tcp_sock *t)
{
    tcp_mss_check(t);   /* IPv6: a Packet Too Big may have lowered the path MTU */
    switch (t->state) {
    case TCP_ESTABLISHED: case TCP_CLOSE_WAIT: case TCP_FIN_WAIT_1: case TCP_CLOSING:
    case TCP_LAST_ACK:
        break;
    default:
        if (t->ack_now && t->state != TCP_CLOSED && t->state != TCP_LISTEN &&
            t->state != TCP_SYN_SENT)
            tcp_send_ack(t);
        return;
    }
    uint32_t end = t->snd_una + (uint32_t)t->tx_len + (t->fin_queued ? 1 : 0);
    bool sent_new = false;
    for (;;) {
        if (!SEQ_LT(t->snd_nxt, end))
            break;
        uint32_t flight = tcp_flight(t);
        /* in SACK recovery the congestion window limits the pipe (RFC 6675
           5), otherwise everything outstanding; the peer's window always
           limits what is outstanding */
        uint32_t pipe = t->sack_ok && t->in_recovery ? tcp_sack_pipe(t) : flight;
        size_t off = t->snd_nxt - t->snd_una;
        size_t unsent = t->tx_len > off ? t->tx_len - off : 0;
        if (unsent == 0) {          /* only the FIN is left */
            tcp_emit(t, t->snd_nxt, TCP_ACK | TCP_FIN, off, 0);
            t->snd_nxt++;
        } else {
            if (pipe >= t->cwnd || flight >= t->snd_wnd)
                break;
            uint32_t room = t->cwnd - pipe;
            if (t->snd_wnd - flight < room)
                room = t->snd_wnd - flight;
            size_t n = unsent < t->mss ? unsent : t->mss;
            if (n > room) {
                /* sender SWS avoidance (RFC 9293 3.8.6.2.1) */
                if (flight > 0)
                    break;
                n = room;
            }
            uint8_t fl = TCP_ACK | TCP_PSH;
            if (n == unsent && t->fin_queued) {
                fl |= TCP_FIN;
            }
            tcp_emit(t, t->snd_nxt, fl, off, n);
            if (!t->timing && !SEQ_LT(t->snd_nxt, t->snd_max)) {
                t->timing = true;
                t->rtt_seq = t->snd_nxt;
                t->rtt_start = tcp_now;
            }
            if (SEQ_LT(t->snd_nxt, t->snd_max)) {
                t->st.retransmits++;
                net_stats.tcp_retransmits++;
            } else {
                sent_new = true;
            }
            t->snd_nxt += (uint32_t)n + ((fl & TCP_FIN) ? 1 : 0);
        }
        if (SEQ_GT(t->snd_nxt, t->snd_max))
            t->snd_max = t->snd_nxt;
        if (!t->rto_at)
            tcp_rto_arm(t);
    }
    if (sent_new)
        tcp_tlp_arm(t);
    /* zero window with data waiting: the persist timer probes (tcp_timer.c) */
    if (t->snd_wnd == 0 && SEQ_LT(t->snd_nxt, end) && tcp_flight(t) == 0 && !t->persist_at) {
        t->persist_backoff = 0;
        t->persist_at = tcp_now + t->rto;
    }
    if (t->ack_now)
        tcp_send_ack(t);
}
