/* TCP input: demultiplexing and the segment-arrival events of RFC 9293
   3.10.7 (LISTEN, SYN-SENT, synchronized states), with RFC 5961 (challenge
   ACKs for in-window RST/SYN that are not exact, ACK validity), ACK
   processing with RTT sampling (RFC 6298; from timestamps on every ACK when
   agreed, RFC 7323, else Karn), PAWS (RFC 7323 5), congestion control
   (RFC 5681) with SACK loss recovery (tcp_sack.c) or NewReno (RFC 6582) for
   peers without SACK, F-RTO against spurious timeouts (RFC 5682), and the
   FIN / TIME_WAIT transitions. */
#include "net/net.h"
#include "net/tcp_int.h"

void tcp_cc_init(struct tcp_sock *t);

/* The connection of (src, sport, dst, dport), addresses compared with
   their family (an IPv6 address never matches an IPv4 socket, whatever its
   bytes), else a listener on dport, which takes either family. */
static struct tcp_sock *lookup(const struct ip_addr *src, const struct ip_addr *dst,
                               const struct tcp_seg *s)
{
    struct tcp_sock *listen = NULL;
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        struct tcp_sock *t = &tcp_socks[i];
        if (!t->used || t->lport != s->dport)
            continue;
        if (t->state == TCP_LISTEN) {
            listen = t;
            continue;
        }
        if (t->state != TCP_CLOSED && t->rport == s->sport && ip_addr_eq(&t->rip, src) &&
            (ip_addr_eq(&t->lip, dst) || t->lip.family == IP_FAMILY_NONE))
            return t;
    }
    return listen;
}

static void take_syn_options(struct tcp_sock *t, const struct tcp_seg *s)
{
    /* 0 stays "not yet known": an option of 0 is taken as 1 (then 64) */
    t->peer_mss = s->has_mss ? (s->mss ? s->mss : 1) : TCP_DEFAULT_MSS;
    t->ws_ok = s->has_ws;
    t->snd_wscale = s->has_ws ? s->ws : 0;
    if (!t->ws_ok)
        t->rcv_wscale = 0;
    t->sack_ok = s->sack_perm;
    t->ts_ok = s->has_ts;          /* we offer timestamps in every SYN */
    if (t->ts_ok)
        t->ts_recent = s->tsval;
    t->mss = tcp_mss_calc(t);      /* peer, path, timestamps */
}

static uint32_t seg_len(const struct tcp_seg *s)
{
    return (uint32_t)s->dlen + ((s->flags & TCP_SYN) ? 1 : 0) + ((s->flags & TCP_FIN) ? 1 : 0);
}

static void challenge_ack(struct tcp_sock *t)
{
    t->st.challenge_acks++;
    tcp_send_ack(t);
}

static void update_window(struct tcp_sock *t, const struct tcp_seg *s)
{
    /* RFC 9293 3.10.7.4: only from a newer segment */
    if (SEQ_LT(t->snd_wl1, s->seq) ||
        (t->snd_wl1 == s->seq && SEQ_LE(t->snd_wl2, s->ack))) {
        uint32_t old = t->snd_wnd;
        t->snd_wnd = (uint32_t)s->wnd << t->snd_wscale;
        t->snd_wl1 = s->seq;
        t->snd_wl2 = s->ack;
        if (t->snd_wnd > t->max_snd_wnd)
            t->max_snd_wnd = t->snd_wnd;
        if (old == 0 && t->snd_wnd > 0 && t->persist_at) {
            /* window reopened: leave persist, resend the probed byte normally */
            t->persist_at = 0;
            t->snd_nxt = t->snd_una;
        }
    }
}

static void enter_recovery(struct tcp_sock *t)
{
    /* RFC 6582 3.2 (2)-(3), RFC 5681 3.2 */
    uint32_t flight = tcp_flight(t);
    t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
    t->recover = t->snd_max;
    t->in_recovery = true;
    t->cwnd = t->ssthresh + 3u * t->mss;
    t->st.fast_retransmits++;
    tcp_retransmit_una(t);
    tcp_rto_arm(t);
}

/* F-RTO (RFC 5682 2.1) on an ACK after the RTO retransmission; advanced:
   snd_una moved. Returns true when the ACK was taken by it. */
static bool frto_ack(struct tcp_sock *t, bool advanced)
{
    if (t->frto == 1) {
        /* step 2: an ACK advancing the window, not all of it, sends new data */
        uint32_t off = t->snd_max - t->snd_una;
        if (advanced && SEQ_LT(t->snd_una, t->snd_max) && off < t->tx_len) {
            t->frto = 2;
            t->snd_nxt = t->snd_max;
            for (int i = 0; i < 2; i++) {
                off = t->snd_max - t->snd_una;
                if (off >= t->tx_len || off + t->mss > t->snd_wnd)
                    break;
                uint32_t n = tcp_send_seg(t, t->snd_max, t->snd_max + t->mss);
                t->snd_max += n;
                t->snd_nxt = t->snd_max;
            }
            return true;
        }
        t->frto = 0;             /* duplicate ACK or no new data: conventional */
        return false;
    }
    /* step 3 */
    t->frto = 0;
    if (advanced) {              /* (b) data never retransmitted arrived: spurious */
        t->st.spurious_rtos++;
        t->cwnd = t->frto_cwnd;
        t->ssthresh = t->frto_ssthresh;
        t->in_recovery = t->rto_loss = false;
        t->nrec = 0;
        return false;
    }
    /* (a) a duplicate ACK: the timeout was real; the SACK recovery after the
       RTO resends what is missing (tcp_sack_rto), from a small window */
    t->cwnd = 2u * t->mss;
    return false;
}

static void rtt_from_ack(struct tcp_sock *t, const struct tcp_seg *s)
{
    /* RFC 7323 4.1: every ACK moving snd_una; an echo of 0 is taken as
       none (a peer that has nothing to echo yet sends 0) */
    if (t->ts_ok && s->has_ts && s->tsecr != 0) {
        uint32_t r = (uint32_t)tcp_now - s->tsecr;
        if (r < TCP_RTO_MAX_MS)
            tcp_rtt_sample(t, r);
        t->timing = false;
        return;
    }
    if (t->timing && SEQ_GT(s->ack, t->rtt_seq)) {
        t->timing = false;
        tcp_rtt_sample(t, (uint32_t)(tcp_now - t->rtt_start));
    }
}

/* ACK processing (RFC 9293 3.10.7.4 ESTABLISHED). Returns false to drop. */
static bool process_ack(struct tcp_sock *t, const struct tcp_seg *s)
{
    uint32_t ack = s->ack;
    if (SEQ_GT(ack, t->snd_max)) {          /* acks something not yet sent */
        tcp_send_ack(t);
        return false;
    }
    /* RFC 5961 5.2: too old to be acceptable */
    uint32_t maxwnd = t->max_snd_wnd ? t->max_snd_wnd : 65535;
    if (SEQ_LT(ack, t->snd_una - maxwnd)) {
        challenge_ack(t);
        return false;
    }
    bool new_sack = false;
    if (t->sack_ok && s->nsack)
        new_sack = tcp_sack_take(t, s);
    uint32_t old_wnd = t->snd_wnd;
    if (SEQ_GT(ack, t->snd_una)) {
        uint32_t acked = ack - t->snd_una;
        size_t data = acked < t->tx_len ? acked : t->tx_len;   /* the rest is our FIN */
        t->tx_head = (t->tx_head + data) % TCP_TX_BUF;
        t->tx_len -= data;
        t->snd_una = ack;
        if (SEQ_LT(t->snd_nxt, t->snd_una))
            t->snd_nxt = t->snd_una;
        rtt_from_ack(t, s);
        t->retries = 0;
        if (t->sack_ok)
            tcp_sack_take(t, s);  /* drop scoreboard below the new snd_una */
        new_sack = true;          /* the SACK timers look again */
        bool frto_took = t->frto && frto_ack(t, true);
        if (frto_took) {
            /* F-RTO step 2: cwnd stays until the next ACK decides */
        } else if (t->in_recovery && t->rto_loss && SEQ_LT(ack, t->recover)) {
            /* after an RTO: slow start while the losses are resent */
            t->cwnd += acked < 2u * t->mss ? acked : 2u * t->mss;
        } else if (t->in_recovery) {
            if (SEQ_GE(ack, t->recover)) {      /* full ACK: RFC 6582 3.2 (5) */
                t->in_recovery = false;
                if (t->rto_loss) {
                    t->rto_loss = false;        /* slow start goes on */
                } else if (t->sack_ok) {
                    t->cwnd = t->ssthresh;      /* RFC 6675 5: recovery ends */
                } else {
                    uint32_t f = tcp_flight(t);
                    uint32_t a = f > t->mss ? f : t->mss;
                    t->cwnd = t->ssthresh < a + t->mss ? t->ssthresh : a + t->mss;
                    t->nscore = 0;
                }
            } else if (!t->sack_ok) {           /* partial ACK: (6) */
                tcp_retransmit_una(t);
                t->cwnd = t->cwnd > acked ? t->cwnd - acked : 0;
                if (acked >= t->mss)
                    t->cwnd += t->mss;
                if (t->cwnd < t->mss)
                    t->cwnd = t->mss;
            }
        } else if (t->cwnd < t->ssthresh) {     /* slow start, RFC 3465 L=2 */
            t->cwnd += acked < 2u * t->mss ? acked : 2u * t->mss;
        } else {
            /* congestion avoidance counting bytes (RFC 3465 2.1): one SMSS
               per cwnd acknowledged, however many segments an ACK covers
               (Linux ACKs every second segment, or more at once) */
            uint32_t a = acked < t->cwnd ? acked : t->cwnd;
            uint32_t inc = (uint32_t)((uint64_t)t->mss * a / t->cwnd);
            t->cwnd += inc ? inc : 1;
        }
        t->dupacks = 0;
        if (tcp_flight(t))
            tcp_rto_arm(t);
        else
            t->rto_at = 0;
        tcp_tlp_arm(t);
    } else if (ack == t->snd_una && s->dlen == 0 && !(s->flags & (TCP_SYN | TCP_FIN)) &&
               tcp_flight(t) > 0 &&
               (new_sack || (((uint32_t)s->wnd << t->snd_wscale) == old_wnd && old_wnd != 0))) {
        /* duplicate ACK (RFC 5681 2; with SACK, RFC 6675 2: one that SACKs
           new data); not the answers to zero-window probes */
        t->dupacks++;
        if (t->frto) {
            frto_ack(t, false);
        } else if (t->sack_ok) {
            /* RFC 6675: the scoreboard decides (below) */
        } else if (t->in_recovery) {
            t->cwnd += t->mss;                  /* inflate */
        } else if (t->dupacks == 3 && SEQ_GT(ack, t->recover - 1)) {
            enter_recovery(t);
        }
    }
    if (t->sack_ok && new_sack)
        tcp_sack_ack(t);          /* retransmissions done, probe answered, RACK timer */
    if (t->sack_ok && !t->frto) {
        if (!t->in_recovery && SEQ_GE(t->snd_una, t->recover) && tcp_flight(t) &&
            t->snd_nxt == t->snd_max && (t->dupacks >= 3 || tcp_sack_lost_any(t)))
            tcp_sack_enter(t);
        if (t->in_recovery)
            tcp_sack_output(t);
    }
    update_window(t, s);
    return true;
}

static void enter_time_wait(struct tcp_sock *t)
{
    t->state = TCP_TIME_WAIT;
    t->tw_at = tcp_now + 2u * TCP_MSL_MS;
    t->rto_at = t->persist_at = 0;
}

static void got_fin(struct tcp_sock *t)
{
    t->fin_rcvd = true;
    t->rx_fin_pending = false;
    t->rcv_nxt++;
    t->ack_now = true;
    switch (t->state) {
    case TCP_SYN_RECEIVED: case TCP_ESTABLISHED:
        t->state = TCP_CLOSE_WAIT;
        break;
    case TCP_FIN_WAIT_1:
        if (t->fin_sent && t->snd_una == t->snd_max && t->tx_len == 0)
            enter_time_wait(t);
        else
            t->state = TCP_CLOSING;
        break;
    case TCP_FIN_WAIT_2:
        enter_time_wait(t);
        break;
    default:
        break;
    }
}

static void input_listen(struct tcp_sock *t, const struct ip_addr *src,
                         const struct ip_addr *dst, const struct tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return;
    if (s->flags & TCP_ACK) {
        tcp_send_rst_reply(src, dst, s);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    uint32_t r;
    if (net_random(&r, sizeof r) != NET_OK)
        return;
    t->lip = *dst;
    t->rip = *src;
    t->rport = s->sport;
    t->iss = r;
    t->snd_una = t->snd_nxt = t->snd_max = t->recover = r;
    t->irs = s->seq;
    t->rcv_nxt = s->seq + 1;
    t->rcv_adv = t->rcv_nxt;
    t->quickack = TCP_QUICKACKS;
    take_syn_options(t, s);
    t->snd_wnd = s->wnd;     /* unscaled in a SYN */
    t->snd_wl1 = s->seq;
    t->snd_wl2 = r;
    t->max_snd_wnd = t->snd_wnd;
    tcp_cc_init(t);
    t->state = TCP_SYN_RECEIVED;
    tcp_send_syn(t);
    t->snd_nxt = t->iss + 1;
    t->snd_max = t->snd_nxt;
    tcp_rto_arm(t);
}

static void input_syn_sent(struct tcp_sock *t, const struct ip_addr *src,
                           const struct ip_addr *dst, const struct tcp_seg *s)
{
    bool ack_ok = false;
    if (s->flags & TCP_ACK) {
        if (SEQ_LE(s->ack, t->iss) || SEQ_GT(s->ack, t->snd_max)) {
            tcp_send_rst_reply(src, dst, s);
            return;
        }
        ack_ok = true;
    }
    if (s->flags & TCP_RST) {
        if (ack_ok)
            tcp_sock_closed(t, NET_ERR_REFUSED);
        return;
    }
    if (!(s->flags & TCP_SYN))
        return;
    t->irs = s->seq;
    t->rcv_nxt = s->seq + 1;
    /* our SYN went out before rcv_nxt was known: its window starts here */
    t->rcv_adv = t->rcv_nxt + tcp_syn_window(t);
    t->quickack = TCP_QUICKACKS;
    take_syn_options(t, s);
    tcp_cc_init(t);
    t->snd_wl1 = s->seq;
    t->snd_wl2 = s->ack;
    if (ack_ok) {
        t->snd_una = s->ack;
        t->snd_wnd = s->wnd;   /* a SYN's window is never scaled */
        t->max_snd_wnd = t->snd_wnd;
        t->state = TCP_ESTABLISHED;
        t->connect_at = 0;
        if (t->timing || t->retries == 0)   /* Karn: no sample after SYN retries */
            tcp_rtt_sample(t, (uint32_t)(tcp_now - t->rtt_start));
        t->timing = false;
        t->retries = 0;
        t->rto_at = 0;
        t->ack_now = true;
        tcp_output(t);
    } else {                 /* simultaneous open (RFC 9293 3.5 figure 7) */
        t->snd_wnd = s->wnd;
        t->state = TCP_SYN_RECEIVED;
        tcp_send_syn(t);
    }
}

void tcp_input_ip(const struct ip_addr *src, const struct ip_addr *dst, const uint8_t *buf,
                  size_t len)
{
    struct tcp_seg s;
    net_stats.tcp_rx++;
    if (tcp_parse_ip(buf, len, true, src, dst, &s) != TCP_PARSE_OK) {
        net_stats.rx_malformed++;
        return;
    }
    struct tcp_sock *t = lookup(src, dst, &s);
    if (!t) {
        net_stats.rx_dropped++;
        tcp_send_rst_reply(src, dst, &s);
        return;
    }
    if (t->state == TCP_LISTEN) {
        input_listen(t, src, dst, &s);
        return;
    }
    if (t->state == TCP_SYN_SENT) {
        input_syn_sent(t, src, dst, &s);
        return;
    }
    /* PAWS (RFC 7323 5.3 R1): a segment older than the last one taken */
    if (t->ts_ok && s.has_ts && !(s.flags & TCP_RST) &&
        (int32_t)(s.tsval - t->ts_recent) < 0) {
        t->st.paws_drops++;
        tcp_send_ack(t);
        return;
    }
    /* 1. sequence number acceptability (RFC 9293 3.10.7.4 table), against
       the window we advertised (RCV.WND), not the free ring space behind it */
    uint32_t slen = seg_len(&s);
    uint32_t wnd = tcp_rcv_wnd(t);
    uint32_t rnxt = t->rcv_nxt;
    bool ok;
    if (slen == 0)
        ok = wnd == 0 ? s.seq == rnxt : SEQ_LE(rnxt, s.seq) && SEQ_LT(s.seq, rnxt + wnd);
    else
        ok = wnd != 0 && ((SEQ_LE(rnxt, s.seq) && SEQ_LT(s.seq, rnxt + wnd)) ||
                          (SEQ_LE(rnxt, s.seq + slen - 1) && SEQ_LT(s.seq + slen - 1, rnxt + wnd)));
    /* a zero window still takes ACKs and RSTs at rcv_nxt */
    if (!ok && wnd == 0 && s.seq == rnxt)
        ok = true;
    if (!ok) {
        if (!(s.flags & TCP_RST)) {
            if (t->state == TCP_TIME_WAIT && (s.flags & TCP_FIN))
                t->tw_at = tcp_now + 2u * TCP_MSL_MS;   /* retransmitted FIN */
            tcp_send_ack(t);
        }
        return;
    }
    /* RFC 7323 4.3: remember the TSval to echo, from segments that reach
       the left edge of the window we acknowledged last */
    if (t->ts_ok && s.has_ts && SEQ_LE(s.seq, t->last_ack_sent) &&
        (int32_t)(s.tsval - t->ts_recent) >= 0)
        t->ts_recent = s.tsval;
    /* 2. RST (RFC 5961 3.2) */
    if (s.flags & TCP_RST) {
        if (s.seq == rnxt) {
            enum net_err e = NET_ERR_RESET;
            if (t->state == TCP_CLOSING || t->state == TCP_LAST_ACK ||
                t->state == TCP_TIME_WAIT)
                e = NET_OK;
            else if (t->state == TCP_SYN_RECEIVED)
                e = NET_ERR_REFUSED;
            tcp_sock_closed(t, e);
        } else {
            challenge_ack(t);
        }
        return;
    }
    /* 4. SYN in a synchronized state: challenge ACK (RFC 5961 4.2) */
    if (s.flags & TCP_SYN) {
        if (t->state == TCP_SYN_RECEIVED && s.seq == t->irs) {
            tcp_send_syn(t);     /* our SYN-ACK was lost */
            return;
        }
        challenge_ack(t);
        return;
    }
    /* 5. ACK */
    if (!(s.flags & TCP_ACK))
        return;
    if (t->state == TCP_SYN_RECEIVED) {
        if (SEQ_LT(t->snd_una, s.ack) && SEQ_LE(s.ack, t->snd_max)) {
            t->state = TCP_ESTABLISHED;
            if (t->retries == 0)
                tcp_rtt_sample(t, (uint32_t)(tcp_now - (t->rto_at - t->rto)));
            t->retries = 0;
            t->snd_una = s.ack;
            t->snd_wnd = (uint32_t)s.wnd << t->snd_wscale;
            t->max_snd_wnd = t->snd_wnd;
            t->snd_wl1 = s.seq;
            t->snd_wl2 = s.ack;
            t->rto_at = 0;
            if (t->fin_queued)
                t->state = TCP_FIN_WAIT_1;   /* closed while SYN_RECEIVED */
        } else {
            tcp_send_rst_reply(src, dst, &s);
            return;
        }
    }
    if (!process_ack(t, &s))
        return;
    if (t->fin_sent && t->tx_len == 0 && t->snd_una == t->snd_max) {
        /* our FIN is acknowledged (fin_sent: after an RTO the data can all be
           acknowledged while the FIN still waits behind the window) */
        switch (t->state) {
        case TCP_FIN_WAIT_1: t->state = TCP_FIN_WAIT_2; t->rto_at = 0; break;
        case TCP_CLOSING: enter_time_wait(t); break;
        case TCP_LAST_ACK: tcp_sock_closed(t, NET_OK); return;
        default: break;
        }
    }
    if (t->state == TCP_TIME_WAIT) {
        if (s.flags & TCP_FIN) {
            t->tw_at = tcp_now + 2u * TCP_MSL_MS;
            tcp_send_ack(t);
        }
        return;
    }
    /* 7. segment text */
    bool beyond = false;    /* data past the right edge was cut off */
    if (s.dlen && (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
                   t->state == TCP_FIN_WAIT_2)) {
        const uint8_t *d = s.data;
        size_t n = s.dlen;
        uint32_t seq = s.seq;
        if (SEQ_LT(seq, t->rcv_nxt)) {          /* trim the old part */
            uint32_t cut = t->rcv_nxt - seq;
            if (cut >= n) {
                n = 0;
                t->ack_now = true;               /* duplicate: re-ACK */
            } else {
                d += cut;
                n -= cut;
                seq = t->rcv_nxt;
            }
        }
        /* trim the part beyond the right edge we advertised (RFC 9293
           3.10.7.4: "only the portion within the window"); the ACK that
           answers says where the window ends. A zero-window probe lands here
           whole. */
        uint32_t rwnd = tcp_rcv_wnd(t), off = seq - t->rcv_nxt;
        if (n && (off >= rwnd || n > rwnd - off)) {
            n = off >= rwnd ? 0 : rwnd - off;
            beyond = true;
            t->ack_now = true;
        }
        if (n)
            tcp_rx_data(t, seq, d, n);
    }
    /* 8. FIN (possibly held until the data before it arrives); a FIN after
       trimmed data lies beyond the window and is not taken */
    if ((s.flags & TCP_FIN) && !beyond && !t->fin_rcvd) {
        t->rx_fin_pending = true;
        t->rx_fin_seq = s.seq + (uint32_t)s.dlen;
        if (SEQ_GT(t->rx_fin_seq, t->rcv_nxt))
            t->ack_now = true;
    }
    if (t->rx_fin_pending && t->rx_fin_seq == t->rcv_nxt && !t->fin_rcvd &&
        t->state != TCP_CLOSE_WAIT && t->state != TCP_CLOSING && t->state != TCP_LAST_ACK)
        got_fin(t);
    tcp_output(t);
}
