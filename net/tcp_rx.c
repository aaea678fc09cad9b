/* TCP receive side: the receive ring holds in-order unread bytes followed
   by room for the window; out-of-order segments are copied straight to their
   place in that room (one copy) and remembered as ranges, which become SACK
   blocks (RFC 2018 4: the block holding the latest segment first). */
#include "net/net.h"
#include "net/tcp_int.h"

uint32_t tcp_rx_window(const struct tcp_sock *t)
{
    return (uint32_t)(t->rx_size - t->rx_len);
}

static void ring_put(struct tcp_sock *t, size_t off, const uint8_t *d, size_t n)
{
    size_t pos = (t->rx_head + t->rx_len + off) % t->rx_size;
    size_t first = t->rx_size - pos;
    if (first > n)
        first = n;
    memcpy(t->rx + pos, d, first);
    if (n > first)
        memcpy(t->rx, d + first, n - first);
}

/* Adds [l, r) to the out-of-order list, merging overlapping or adjacent
   ranges; marks it the latest. */
static void ooo_add(struct tcp_sock *t, uint32_t l, uint32_t r)
{
    for (int i = 0; i < t->nooo;) {
        struct tcp_range *o = &t->ooo[i];
        if (SEQ_LE(l, o->r) && SEQ_GE(r, o->l)) {
            if (SEQ_LT(o->l, l))
                l = o->l;
            if (SEQ_GT(o->r, r))
                r = o->r;
            t->ooo[i] = t->ooo[--t->nooo];
        } else {
            i++;
        }
    }
    if (t->nooo < TCP_OOO_MAX) {
        t->ooo[t->nooo].l = l;
        t->ooo[t->nooo].r = r;
        t->ooo_last = t->nooo++;
        return;
    }
    /* full: keep the ranges nearest rcv_nxt, replace the farthest */
    int far = 0;
    for (int i = 1; i < t->nooo; i++)
        if (SEQ_GT(t->ooo[i].l, t->ooo[far].l))
            far = i;
    if (SEQ_LT(l, t->ooo[far].l)) {
        t->ooo[far].l = l;
        t->ooo[far].r = r;
        t->ooo_last = far;
    }
}

/* Moves ranges that now touch rcv_nxt into the in-order part. */
static void ooo_drain(struct tcp_sock *t)
{
    bool again = true;
    while (again) {
        again = false;
        for (int i = 0; i < t->nooo; i++) {
            struct tcp_range *o = &t->ooo[i];
            if (SEQ_LE(o->r, t->rcv_nxt)) {
                /* wholly old */
            } else if (SEQ_LE(o->l, t->rcv_nxt)) {
                uint32_t adv = o->r - t->rcv_nxt;
                t->rcv_nxt = o->r;
                t->rx_len += adv;
                again = true;
            } else {
                continue;
            }
            t->ooo[i] = t->ooo[t->nooo - 1];
            t->nooo--;
            if (t->ooo_last == t->nooo)
                t->ooo_last = i;
            i--;
        }
    }
    if (t->ooo_last >= t->nooo)
        t->ooo_last = 0;
}

/* Data already trimmed to [rcv_nxt, the advertised right edge) by tcp_in.c;
   the ring space check below is a second guard, it never widens that. */
void tcp_rx_data(struct tcp_sock *t, uint32_t seq, const uint8_t *data, size_t len)
{
    uint32_t wnd = tcp_rx_window(t);
    uint32_t off = seq - t->rcv_nxt;
    if (len == 0)
        return;
    if (off >= wnd) {        /* zero window: a probe, answered with an ACK */
        t->ack_now = true;
        return;
    }
    if (len > wnd - off)
        len = wnd - off;
    ring_put(t, off, data, len);
    if (off == 0) {
        t->rcv_nxt += (uint32_t)len;
        t->rx_len += len;
        bool filled = t->nooo > 0;
        ooo_drain(t);
        t->segs_unacked++;
        /* RFC 5681 4.2: ACK every second full segment; at once when a hole
           was (partly) filled so the sender learns quickly. After the start
           and after a loss every segment is ACKed for a while ("quick ACK",
           as Linux does): a sender that grows cwnd per ACK (slow start)
           recovers twice as fast, which matters most to senders without
           SACK, whose multiple losses otherwise end in a timeout. */
        if (t->quickack > 0)
            t->quickack--;
        if (filled || t->segs_unacked >= 2 || t->quickack > 0)
            t->ack_now = true;
        else if (!t->delack_at)
            t->delack_at = tcp_now + TCP_DELACK_MS;
    } else {
        ooo_add(t, seq, seq + (uint32_t)len);
        t->st.out_of_order++;
        t->quickack = TCP_QUICKACKS;
        net_stats.tcp_out_of_order++;
        t->ack_now = true;   /* duplicate ACK with SACK blocks */
    }
}

int tcp_rx_sack_blocks(const struct tcp_sock *t, struct tcp_range *out, int max)
{
    int n = 0;
    if (!t->sack_ok || t->nooo == 0)
        return 0;
    out[n++] = t->ooo[t->ooo_last];
    for (int i = 0; i < t->nooo && n < max; i++)
        if (i != t->ooo_last)
            out[n++] = t->ooo[i];
    return n;
}
