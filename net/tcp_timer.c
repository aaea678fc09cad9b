/* TCP timers: retransmission (RFC 6298: SRTT/RTTVAR, exponential backoff,
   RFC 5681 3.1 loss window on expiry), SYN retries and connect deadline,
   F-RTO entry (RFC 5682; the ACKs are judged in tcp_in.c), the SACK
   timers (tcp_sack.c), persist / zero-window probes (RFC 9293 3.8.6.1), delayed ACK (RFC 5681
   4.2), TIME_WAIT (2 MSL); the MSS of IPv6 sockets follows the path MTU
   (tcp_mss_check, tcp_ip.c). */
#include "net/net.h"
#include "net/tcp_int.h"

uint64_t tcp_now;

void tcp_rtt_sample(struct tcp_sock *t, uint32_t r)
{
    if (r == 0)
        r = 1;
    if (!t->rtt_valid) {                       /* RFC 6298 2.2 */
        t->srtt = r;
        t->rttvar = r / 2;
        t->rtt_valid = true;
    } else {                                   /* 2.3, alpha 1/8, beta 1/4 */
        uint32_t d = t->srtt > r ? t->srtt - r : r - t->srtt;
        t->rttvar = (3 * t->rttvar + d) / 4;
        t->srtt = (7 * t->srtt + r) / 8;
    }
    uint32_t rto = t->srtt + (4 * t->rttvar > 10 ? 4 * t->rttvar : 10);
    if (rto < TCP_RTO_MIN_MS)
        rto = TCP_RTO_MIN_MS;
    if (rto > TCP_RTO_MAX_MS)
        rto = TCP_RTO_MAX_MS;
    t->rto = rto;
}

static void rto_expired(struct tcp_sock *t)
{
    t->rto_at = 0;
    t->st.rto_expiries++;
    if (++t->retries > TCP_MAX_RETRIES) {
        if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED)
            tcp_sock_closed(t, NET_ERR_CONNECT_TIMEOUT);
        else
            tcp_sock_closed(t, NET_ERR_TIMEOUT);
        return;
    }
    /* 5.5: back off the timer */
    t->rto = t->rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : t->rto * 2;
    t->timing = false;
    if (t->state == TCP_SYN_SENT || t->state == TCP_SYN_RECEIVED) {
        tcp_send_syn(t);
        t->st.retransmits++;
        net_stats.tcp_retransmits++;
        tcp_rto_arm(t);
        return;
    }
    if (tcp_flight(t) == 0)
        return;
    /* F-RTO (RFC 5682 2.1 step 1): remember the window to restore if the
       next two ACKs show the timeout was spurious; not after a retransmitted
       timeout or within recovery */
    t->frto = 0;
    if (t->sack_ok && t->retries == 1 && !t->in_recovery) {
        t->frto = 1;
        t->frto_cwnd = t->cwnd;
        t->frto_ssthresh = t->ssthresh;
    }
    /* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 SMSS), cwnd = 1 SMSS */
    uint32_t flight = tcp_flight(t);
    t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
    t->cwnd = t->mss;
    t->in_recovery = false;
    t->recover = t->snd_max;        /* RFC 6582 3.2 (4) */
    t->dupacks = 0;
    if (t->sack_ok) {
        tcp_sack_rto(t);            /* all unSACKed data lost, resent by SACK */
    } else {
        t->snd_nxt = t->snd_una;    /* go back: resend from the oldest byte */
        tcp_output(t);
    }
    tcp_rto_arm(t);
}

static void persist_expired(struct tcp_sock *t)
{
    t->persist_at = 0;
    if (t->snd_wnd != 0 || t->state < TCP_ESTABLISHED)
        return;
    size_t off = t->snd_nxt - t->snd_una;
    /* probe with one byte of new data (or the byte already probed) */
    if (t->tx_len > 0) {
        uint32_t seq = t->snd_una;
        tcp_emit(t, seq, TCP_ACK, 0, 1);
        if (off == 0) {
            t->snd_nxt = t->snd_una + 1;
            if (SEQ_GT(t->snd_nxt, t->snd_max))
                t->snd_max = t->snd_nxt;
        }
    } else {
        tcp_emit(t, t->snd_una - 1, TCP_ACK, 0, 0);
    }
    t->st.zero_window_probes++;
    if (t->persist_backoff < 6)
        t->persist_backoff++;
    uint32_t iv = t->rto << t->persist_backoff;
    if (iv > TCP_RTO_MAX_MS)
        iv = TCP_RTO_MAX_MS;
    t->persist_at = tcp_now + iv;
}

void tcp_timers(uint64_t now)
{
    tcp_now = now;
    for (int i = 0; i < TCP_MAX_SOCKETS; i++) {
        struct tcp_sock *t = &tcp_socks[i];
        if (!t->used)
            continue;
        if (t->state == TCP_SYN_SENT && t->connect_at && now >= t->connect_at) {
            tcp_sock_closed(t, NET_ERR_CONNECT_TIMEOUT);
            continue;
        }
        if (t->state == TCP_TIME_WAIT) {
            if (now >= t->tw_at)
                tcp_sock_closed(t, NET_OK);
            continue;
        }
        if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
            continue;
        tcp_mss_check(t);               /* IPv6 path MTU (Packet Too Big) */
        if (t->sack_ok)
            tcp_sack_timers(t);         /* RACK reorder timer, TLP */
        if (t->rto_at && now >= t->rto_at)
            rto_expired(t);
        if (!t->used || t->state == TCP_CLOSED)
            continue;
        if (t->persist_at && now >= t->persist_at)
            persist_expired(t);
        if (t->delack_at && now >= t->delack_at) {
            t->delack_at = 0;
            t->ack_now = true;
        }
        if (t->ack_now)
            tcp_output(t);
    }
}
