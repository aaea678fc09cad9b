/* TCP sender loss recovery with SACK: the scoreboard of the peer's SACK
   blocks (RFC 2018), conservative loss recovery with the pipe estimate and
   NextSeg (RFC 6675), RACK-style detection of lost holes and lost
   retransmissions after a reordering window, and tail loss probes
   (RFC 8985). Detection works in sequence space: first transmissions go out
   in sequence order, so what is SACKed above a hole was sent after it; a
   retransmission remembers snd_max when it went out (tcp_rexmit.mark), so
   SACKed bytes above the mark were sent after it.

   A hole is lost when more than 2 SMSS (or 3 blocks) are SACKed above it
   (RFC 6675 IsLost, DupThresh 3) or when the reorder timer armed with SACKs
   above it expires (RFC 8985 6.2: lost when a later segment was delivered
   and a reordering window has passed). A retransmission is lost in the same
   two ways, counted from its mark; it is then sent again (no RTO needed).
   After an RTO all unSACKed data below the recovery point is lost and is
   resent the same way (tcp_sack_rto).

   Memory: all state is in struct tcp_sock (score, rec, timers); nothing is
   allocated. Used only when the peer agreed to SACK; NewReno (tcp_in.c)
   serves the others. */
#include "net/net.h"
#include "net/tcp_int.h"

static uint32_t smax(uint32_t a, uint32_t b) { return SEQ_GT(a, b) ? a : b; }
static uint32_t smin(uint32_t a, uint32_t b) { return SEQ_LT(a, b) ? a : b; }

/* RFC 8985 6.2.4: a quarter of the smoothed RTT, at least 1 ms. */
static uint32_t reo_wnd(const struct tcp_sock *t)
{
    uint32_t w = t->srtt / 4;
    return w ? w : 1;
}

uint32_t tcp_sack_high(const struct tcp_sock *t)
{
    uint32_t h = t->snd_una;
    for (int i = 0; i < t->nscore; i++)
        h = smax(h, t->score[i].r);
    return h;
}

static bool sacked(const struct tcp_sock *t, uint32_t seq, uint32_t *end)
{
    for (int i = 0; i < t->nscore; i++)
        if (SEQ_LE(t->score[i].l, seq) && SEQ_LT(seq, t->score[i].r)) {
            *end = t->score[i].r;
            return true;
        }
    return false;
}

/* End of the unSACKed run that starts at seq (the next block, or snd_max). */
static uint32_t hole_end(const struct tcp_sock *t, uint32_t seq)
{
    uint32_t e = t->snd_max;
    for (int i = 0; i < t->nscore; i++)
        if (SEQ_GT(t->score[i].l, seq))
            e = smin(e, t->score[i].l);
    return e;
}

/* SACKed bytes and blocks above seq. */
static uint32_t sacked_above(const struct tcp_sock *t, uint32_t seq, int *blocks)
{
    uint32_t n = 0;
    int b = 0;
    for (int i = 0; i < t->nscore; i++)
        if (SEQ_GT(t->score[i].r, seq)) {
            n += t->score[i].r - smax(t->score[i].l, seq);
            b++;
        }
    if (blocks)
        *blocks = b;
    return n;
}

static bool dupthresh_lost(const struct tcp_sock *t, uint32_t seq)
{
    int b;
    uint32_t n = sacked_above(t, seq, &b);
    return n > 2u * t->mss || b >= 3;
}

/* Where lost data can be: below the highest SACK, or below the recovery
   point after an RTO. */
static uint32_t loss_top(const struct tcp_sock *t)
{
    uint32_t h = tcp_sack_high(t);
    return t->rto_loss ? smax(h, t->recover) : h;
}

/* The lost part of the hole [seq, e): [seq, returned end). */
static uint32_t lost_end(const struct tcp_sock *t, uint32_t seq, uint32_t e)
{
    if (t->rto_loss && SEQ_LT(seq, t->recover))
        return smin(e, t->recover);
    if (SEQ_GE(seq, tcp_sack_high(t)))
        return seq;
    if (dupthresh_lost(t, seq))
        return e;
    if (SEQ_GT(t->lost_to, t->snd_una) && SEQ_LT(seq, t->lost_to))
        return smin(e, t->lost_to);
    return seq;
}

static bool rec_lost(const struct tcp_sock *t, const struct tcp_rexmit *r)
{
    if (!SEQ_GT(tcp_sack_high(t), r->mark))
        return false;                    /* nothing sent after it delivered */
    return dupthresh_lost(t, r->mark) || tcp_now >= r->at + t->srtt + reo_wnd(t);
}

/* A retransmission still in flight that covers seq: its end in *end. */
static bool rec_covers(const struct tcp_sock *t, uint32_t seq, uint32_t *end)
{
    for (int i = 0; i < t->nrec; i++) {
        const struct tcp_rexmit *r = &t->rec[i];
        if (SEQ_LE(r->l, seq) && SEQ_LT(seq, r->r) && !rec_lost(t, r)) {
            *end = r->r;
            return true;
        }
    }
    return false;
}

/* Drops records below snd_una or wholly SACKed; keeps lost_to >= snd_una. */
static void rec_prune(struct tcp_sock *t)
{
    for (int i = 0; i < t->nrec;) {
        struct tcp_rexmit *r = &t->rec[i];
        uint32_t e;
        if (SEQ_LE(r->r, t->snd_una) || (sacked(t, r->l, &e) && SEQ_GE(e, r->r))) {
            t->rec[i] = t->rec[--t->nrec];
        } else {
            if (SEQ_LT(r->l, t->snd_una))
                r->l = t->snd_una;
            i++;
        }
    }
    if (SEQ_LT(t->lost_to, t->snd_una))
        t->lost_to = t->snd_una;
}

void tcp_rexmit_note(struct tcp_sock *t, uint32_t l, uint32_t r)
{
    for (int i = 0; i < t->nrec; i++)
        if (t->rec[i].l == l) {          /* sent again: the newest copy counts */
            t->rec[i].r = r;
            t->rec[i].mark = t->snd_max;
            t->rec[i].at = tcp_now;
            return;
        }
    if (t->nrec < TCP_REXMIT_MAX)
        t->rec[t->nrec++] = (struct tcp_rexmit){ l, r, t->snd_max, tcp_now };
}

/* Peer SACK blocks into the scoreboard (kept above snd_una, merged).
   Returns true when bytes not SACKed before are now. */
bool tcp_sack_take(struct tcp_sock *t, const struct tcp_seg *s)
{
    uint32_t before = sacked_above(t, t->snd_una, NULL);
    for (int i = 0; i < s->nsack; i++) {
        uint32_t l = s->sack[i].l, r = s->sack[i].r;
        if (!SEQ_LT(l, r) || SEQ_LE(r, t->snd_una) || SEQ_GT(r, t->snd_max))
            continue;                          /* bogus, old or D-SACK below una */
        if (SEQ_LT(l, t->snd_una))
            l = t->snd_una;
        for (int j = 0; j < t->nscore;) {
            struct tcp_range *o = &t->score[j];
            if (SEQ_LE(l, o->r) && SEQ_GE(r, o->l)) {
                l = smin(l, o->l);
                r = smax(r, o->r);
                t->score[j] = t->score[--t->nscore];
            } else {
                j++;
            }
        }
        if (t->nscore == TCP_SCORE_MAX) {      /* full: forget the lowest block */
            int lo = 0;
            for (int j = 1; j < t->nscore; j++)
                if (SEQ_LT(t->score[j].l, t->score[lo].l))
                    lo = j;
            t->score[lo] = t->score[--t->nscore];
        }
        t->score[t->nscore].l = l;
        t->score[t->nscore].r = r;
        t->nscore++;
    }
    for (int j = 0; j < t->nscore;) {
        if (SEQ_LE(t->score[j].r, t->snd_una)) {
            t->score[j] = t->score[--t->nscore];
        } else {
            if (SEQ_LT(t->score[j].l, t->snd_una))
                t->score[j].l = t->snd_una;
            j++;
        }
    }
    return sacked_above(t, t->snd_una, NULL) > before;
}

/* RFC 6675 3 SetPipe: bytes thought to be in the network. An unSACKed byte
   counts once unless it is lost; a retransmission in flight counts once. */
uint32_t tcp_sack_pipe(struct tcp_sock *t)
{
    uint32_t pipe = 0, seq = t->snd_una, e;
    while (SEQ_LT(seq, t->snd_max)) {
        if (sacked(t, seq, &e)) {
            seq = e;
            continue;
        }
        e = hole_end(t, seq);
        pipe += e - lost_end(t, seq, e);
        seq = e;
    }
    for (int i = 0; i < t->nrec; i++)
        if (!rec_lost(t, &t->rec[i]))
            pipe += t->rec[i].r - t->rec[i].l;
    return pipe;
}

/* RFC 6675 NextSeg rule 1: the first lost byte not already retransmitted
   (or whose retransmission was lost); [*seq, *lim) to send. */
static bool next_lost(const struct tcp_sock *t, uint32_t *seq_out, uint32_t *lim)
{
    uint32_t high = loss_top(t), seq = t->snd_una, e;
    while (SEQ_LT(seq, high)) {
        if (sacked(t, seq, &e)) {
            seq = e;
            continue;
        }
        uint32_t he = hole_end(t, seq), le = lost_end(t, seq, he);
        for (uint32_t s = seq; SEQ_LT(s, le);) {
            if (rec_covers(t, s, &e)) {
                s = e;
                continue;
            }
            uint32_t l = le;
            for (int i = 0; i < t->nrec; i++)    /* up to the next copy in flight */
                if (SEQ_GT(t->rec[i].l, s) && SEQ_LT(t->rec[i].l, l) && !rec_lost(t, &t->rec[i]))
                    l = t->rec[i].l;
            *seq_out = s;
            *lim = l;
            return true;
        }
        seq = he;
    }
    return false;
}

bool tcp_sack_lost_any(struct tcp_sock *t)
{
    uint32_t s, l;
    return (t->nscore > 0 || t->rto_loss) && next_lost(t, &s, &l);
}

static bool rexmit(struct tcp_sock *t, uint32_t seq, uint32_t lim)
{
    if (t->nrec == TCP_REXMIT_MAX)
        return false;
    uint32_t n = tcp_send_seg(t, seq, lim);
    if (!n)
        return false;
    tcp_rexmit_note(t, seq, seq + n);
    t->st.sack_retransmits++;
    return true;
}

void tcp_sack_enter(struct tcp_sock *t)
{
    /* RFC 6675 5 (4.1)-(4.3); RFC 5681 (4) for ssthresh */
    uint32_t flight = tcp_flight(t);
    t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
    t->cwnd = t->ssthresh;
    t->recover = t->snd_max;
    t->in_recovery = true;
    t->st.fast_retransmits++;
    uint32_t s, l, e;
    if (!next_lost(t, &s, &l) && !rec_covers(t, t->snd_una, &e))
        rexmit(t, t->snd_una, t->snd_una + t->mss);   /* (4.3): the first segment */
    tcp_rto_arm(t);
}

void tcp_sack_output(struct tcp_sock *t)
{
    /* RFC 6675 5 (C): while pipe allows, lost data first, then new data */
    for (int guard = 0; guard < 2 * TCP_REXMIT_MAX; guard++) {
        if (tcp_sack_pipe(t) >= t->cwnd)
            return;
        uint32_t s, l;
        if (!next_lost(t, &s, &l) || !rexmit(t, s, l))
            break;
    }
    tcp_output(t);
    if (!t->tlp_at)
        tcp_tlp_arm(t);
}

/* Reorder timer (RFC 8985 6.3): when a hole or a retransmission has data
   delivered after it but is not yet lost, look again after reo_wnd. */
static void rack_arm(struct tcp_sock *t)
{
    uint32_t high = tcp_sack_high(t);
    uint64_t when = 0;
    if (t->nscore && !t->rto_loss) {
        uint32_t seq = t->snd_una, e;
        while (SEQ_LT(seq, high)) {
            if (sacked(t, seq, &e)) {
                seq = e;
                continue;
            }
            e = hole_end(t, seq);
            if (lost_end(t, seq, e) != e) {      /* part of a hole not lost yet */
                if (!t->reo_hole_at) {
                    t->reo_hole_at = tcp_now + reo_wnd(t);
                    t->reo_high = high;
                }
                when = t->reo_hole_at;
                break;
            }
            seq = e;
        }
    }
    if (!when)
        t->reo_hole_at = 0;                      /* no hole waits */
    for (int i = 0; i < t->nrec; i++) {
        const struct tcp_rexmit *r = &t->rec[i];
        if (SEQ_GT(high, r->mark) && !rec_lost(t, r)) {
            uint64_t w = r->at + t->srtt + reo_wnd(t);
            if (!when || w < when)
                when = w;
        }
    }
    t->reo_at = when;
}

void tcp_sack_ack(struct tcp_sock *t)
{
    rec_prune(t);
    if (t->tlp_out && SEQ_GE(t->snd_una, t->tlp_high))
        t->tlp_out = false;
    rack_arm(t);
}

/* RFC 6675 5.1: after an RTO every unSACKed byte below the recovery point
   is lost; the oldest segment goes at once (whatever the scoreboard says:
   the peer may have reneged), the rest as ACKs open the window (slow
   start, tcp_in.c), lost retransmissions found as in fast recovery. The
   scoreboard is kept: what the peer SACKed is not sent again. */
void tcp_sack_rto(struct tcp_sock *t)
{
    t->nrec = 0;
    t->reo_at = t->reo_hole_at = t->tlp_at = 0;
    t->tlp_out = false;
    t->snd_nxt = t->snd_max;
    t->rto_loss = true;
    t->in_recovery = true;
    rexmit(t, t->snd_una, t->snd_una + t->mss);
}

/* RFC 8985 7.2: PTO = 2 SRTT (+ a delayed ACK when one segment is out),
   armed after sending or an ACK moving snd_una while no probe is out, when
   it comes before the RTO. Unlike RFC 8985 also in fast recovery (once per
   episode: tlp_out stays until snd_max of the probe is acknowledged): with
   the small windows of a lossy path, the last segments sent in recovery
   are often all lost, and nothing SACKed above them would reveal it
   before the RTO. Not after an RTO (F-RTO and slow start take over). */
void tcp_tlp_arm(struct tcp_sock *t)
{
    t->tlp_at = 0;
    if (!t->sack_ok || !t->rtt_valid || t->rto_loss || t->tlp_out || t->frto ||
        tcp_flight(t) == 0)
        return;
    uint32_t pto = 2 * t->srtt;
    if (tcp_flight(t) <= t->mss)
        pto += TCP_TLP_DELACK_MS;
    if (pto < TCP_TLP_MIN_MS)
        pto = TCP_TLP_MIN_MS;
    uint64_t at = tcp_now + pto;
    if (t->rto_at && at >= t->rto_at)
        return;
    t->tlp_at = at;
}

/* RFC 8985 7.3, with one departure: the probe is always the last segment
   again, never new data. Measured against Linux through a lossy router:
   a receiver whose application has not read the last data withholds its
   ACK (it answers when the application reads, or on its delayed-ACK timer,
   up to 200 ms) and a new in-order segment does not change that, while a
   duplicate segment is answered at once (with a D-SACK); new-data probes
   left the sender waiting for the RTO. The RTO is re-armed behind it. */
static void tlp_fire(struct tcp_sock *t)
{
    t->tlp_at = 0;
    if (t->rto_loss || tcp_flight(t) == 0 || t->snd_nxt != t->snd_max)
        return;
    uint32_t off = t->snd_max - t->snd_una;
    uint32_t len = off < t->mss ? off : t->mss;
    uint32_t l = t->snd_max - len;
    uint32_t n = tcp_send_seg(t, l, t->snd_max);
    if (n)
        tcp_rexmit_note(t, l, l + n);
    t->st.tlp_probes++;
    t->tlp_out = true;
    t->tlp_high = t->snd_max;
    tcp_rto_arm(t);
}

void tcp_sack_timers(struct tcp_sock *t)
{
    if (t->reo_at && tcp_now >= t->reo_at) {
        t->reo_at = 0;
        if (t->reo_hole_at && tcp_now >= t->reo_hole_at) {
            t->reo_hole_at = 0;
            if (SEQ_GT(t->reo_high, t->lost_to))
                t->lost_to = t->reo_high;
        }
        if (!t->in_recovery && SEQ_GE(t->snd_una, t->recover) && !t->frto &&
            tcp_sack_lost_any(t))
            tcp_sack_enter(t);
        if (t->in_recovery)
            tcp_sack_output(t);
        rack_arm(t);
    }
    if (t->tlp_at && tcp_now >= t->tlp_at)
        tlp_fire(t);
}
