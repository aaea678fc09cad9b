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

   The window in fast recovery follows Proportional Rate Reduction
   (RFC 6937, tcp_prr_ack): one reduction per episode, spread over the
   ACKs of a round trip. RACK's reordering window is a quarter of the
   minimum RTT, and 0 in recovery until reordering has been seen (RFC 8985
   6.2 step 4); a retransmission is lost once data sent after it was
   delivered and its send time plus RACK.rtt (the RTT of the latest
   delivery) has passed.

   Memory: all state is in struct tcp_sock (score, rec, timers); nothing is
   allocated. Used only when the peer agreed to SACK; NewReno (tcp_in.c)
   serves the others. */
#include "net/net.h"
#include "net/tcp_int.h"

static uint32_t smax(uint32_t a, uint32_t b) { return SEQ_GT(a, b) ? a : b; }
static uint32_t smin(uint32_t a, uint32_t b) { return SEQ_LT(a, b) ? a : b; }

/* RFC 8985 6.2 step 4 (RACK_update_reo_wnd): no reordering window in
   fast recovery until reordering has been seen (every hole below a SACK is
   then lost at once), else a quarter of the minimum RTT, at most SRTT and
   at least the 1 ms of the clock. */
static uint32_t reo_wnd(const struct tcp_sock *t)
{
    if (!t->reo_seen && t->in_recovery)
        return 0;
    uint32_t w = (t->min_rtt ? t->min_rtt : t->srtt) / 4;
    if (w > t->srtt)
        w = t->srtt;
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

/* RFC 8985 6.2 step 5 for a retransmission: data sent after it was
   delivered, and its own send time plus RACK.rtt (the RTT of the latest
   delivery) plus the reordering window has passed. */
static uint32_t rack_rtt(const struct tcp_sock *t) { return t->last_rtt ? t->last_rtt : t->srtt; }

static bool rec_lost(const struct tcp_sock *t, const struct tcp_rexmit *r)
{
    if (!SEQ_GT(tcp_sack_high(t), r->mark))
        return false;                    /* nothing sent after it delivered */
    return dupthresh_lost(t, r->mark) || tcp_now >= r->at + rack_rtt(t) + reo_wnd(t);
}

/* True when [a, b) holds unSACKed bytes no retransmission covered: their
   delivery now shows reordering (RFC 8985 6.2 step 2). */
static bool fresh_hole(const struct tcp_sock *t, uint32_t a, uint32_t b)
{
    uint32_t seq = a, e;
    while (SEQ_LT(seq, b)) {
        if (sacked(t, seq, &e)) {
            seq = e;
            continue;
        }
        uint32_t he = smin(hole_end(t, seq), b);
        bool covered = false;
        for (int i = 0; i < t->nrec && !covered; i++)
            covered = SEQ_LT(t->rec[i].l, he) && SEQ_GT(t->rec[i].r, seq);
        if (!covered)
            return true;
        seq = he;
    }
    return false;
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
    /* RFC 2883: a first block below the cumulative ACK, or inside the
       second, reports a duplicate: a retransmission that was not needed */
    bool dsack = s->nsack && (SEQ_LE(s->sack[0].r, s->ack) ||
                              (s->nsack > 1 && SEQ_GE(s->sack[0].l, s->sack[1].l) &&
                               SEQ_LE(s->sack[0].r, s->sack[1].r)));
    if (dsack)
        t->st.dsacks++;
    /* reordering: never-retransmitted data below the highest SACK arrives,
       cumulatively or in a new block */
    uint32_t fack = tcp_sack_high(t);
    if (!t->reo_seen && SEQ_GT(fack, t->snd_una)) {
        uint32_t top = smin(s->ack, fack);
        if (SEQ_GT(top, t->snd_una) && fresh_hole(t, t->snd_una, top))
            t->reo_seen = true;
        for (int i = dsack ? 1 : 0; i < s->nsack && !t->reo_seen; i++) {
            uint32_t l = smax(s->sack[i].l, t->snd_una), r = s->sack[i].r;
            if (SEQ_LT(l, r) && SEQ_LE(r, fack) && fresh_hole(t, l, r))
                t->reo_seen = true;
        }
    }
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

uint32_t tcp_sack_bytes(const struct tcp_sock *t) { return sacked_above(t, t->snd_una, NULL); }

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

static void rack_arm(struct tcp_sock *t);

/* RFC 6937 3: the window in fast recovery follows what the peer
   delivers. While the pipe is above ssthresh, sndcnt keeps the sending
   at ssthresh / RecoverFS of the delivery rate (the reduction spread over
   a round trip instead of a sudden halving); below it, slow start up to
   ssthresh, at most one SMSS beyond what was delivered (PRR-SSRB). The
   first ACK always lets the fast retransmit go. */
void tcp_prr_ack(struct tcp_sock *t, uint32_t delivered)
{
    t->prr_delivered += delivered;
    uint32_t pipe = tcp_sack_pipe(t);
    int64_t sndcnt;
    if (pipe > t->ssthresh) {
        uint64_t fs = t->recover_fs ? t->recover_fs : 1;
        uint64_t want = ((uint64_t)t->prr_delivered * t->ssthresh + fs - 1) / fs;
        sndcnt = (int64_t)want - (int64_t)t->prr_out;
    } else {
        int64_t lim = (int64_t)t->prr_delivered - (int64_t)t->prr_out;
        if (lim < (int64_t)delivered)
            lim = delivered;
        lim += t->mss;
        sndcnt = (int64_t)(t->ssthresh - pipe);
        if (sndcnt > lim)
            sndcnt = lim;
    }
    if (sndcnt < 0)
        sndcnt = 0;
    if (t->prr_out == 0 && sndcnt < t->mss)
        sndcnt = t->mss;
    t->cwnd = pipe + (uint32_t)sndcnt;
}

void tcp_sack_enter(struct tcp_sock *t, uint32_t delivered)
{
    /* RFC 6675 5 (4.1)-(4.2), RFC 5681 (4) for ssthresh, RFC 6937 for the
       window while recovery lasts (tcp_prr_ack on each ACK); one reduction
       per episode: no new one until snd_una passes recover */
    uint32_t flight = tcp_flight(t);
    t->st.cwnd_enter_sum += t->cwnd;
    t->rec_at = tcp_now;
    t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
    t->recover_fs = flight;
    t->prr_delivered = t->prr_out = 0;
    t->recover = t->snd_max;
    t->in_recovery = true;
    t->st.fast_retransmits++;
    rack_arm(t);                       /* the reordering window is 0 now */
    tcp_prr_ack(t, delivered);         /* this ACK's delivery counts */
    uint32_t s, l, e;
    if (!next_lost(t, &s, &l) && !rec_covers(t, t->snd_una, &e))
        rexmit(t, t->snd_una, t->snd_una + t->mss);   /* (4.3): the first segment */
    tcp_rto_arm(t);
}

void tcp_sack_rec_end(struct tcp_sock *t)
{
    if (!t->in_recovery || t->rto_loss)
        return;
    t->st.recovery_ms += tcp_now - t->rec_at;
    t->st.cwnd_exit_sum += t->cwnd;
    t->st.recoveries_ended++;
}

void tcp_stall_note(struct tcp_sock *t, uint64_t *bucket)
{
    if (tcp_flight(t) && t->last_ack_at && tcp_now - t->last_ack_at >= TCP_STALL_MS)
        *bucket += tcp_now - t->last_ack_at;
    t->last_ack_at = tcp_now;
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
    if (t->nscore && !t->rto_loss && reo_wnd(t) == 0 && SEQ_GT(high, t->lost_to))
        t->lost_to = high;                       /* no window: lost at once */
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
            uint64_t w = r->at + rack_rtt(t) + reo_wnd(t);
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
   plus TCP_TLP_SLACK_MS for the millisecond clock (no 10 ms floor: the
   guest's SRTT is 1-2 ms, and the lost last ACK of a burst is the common
   tail loss on a lossy path: each probe waited 10 ms, 2 SRTT is 2-4),
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
    uint32_t pto = 2 * t->srtt + TCP_TLP_SLACK_MS;
    if (tcp_flight(t) <= t->mss)
        pto += TCP_TLP_DELACK_MS;
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
   left the sender waiting for the RTO. When the last segment is SACKed
   already (in recovery: all that is missing is a hole whose retransmission
   got no answer) the probe is the first unSACKed segment instead: a copy of
   a SACKed one would tell nothing, and waiting meant an RTO (measured: one
   in three of the timeouts left). The RTO is re-armed behind it. */
static void tlp_fire(struct tcp_sock *t)
{
    t->tlp_at = 0;
    if (t->rto_loss || tcp_flight(t) == 0 || t->snd_nxt != t->snd_max)
        return;
    uint32_t off = t->snd_max - t->snd_una;
    uint32_t len = off < t->mss ? off : t->mss;
    uint32_t l = t->snd_max - len, e;
    if (sacked(t, l, &e) && SEQ_GE(e, t->snd_max)) {
        for (l = t->snd_una; sacked(t, l, &e);)
            l = e;
        e = hole_end(t, l);
        len = e - l < t->mss ? e - l : t->mss;
    }
    tcp_stall_note(t, &t->st.stall_tlp_ms);
    uint32_t n = tcp_send_seg(t, l, l + len);
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
            tcp_sack_enter(t, 0);
        if (t->in_recovery)
            tcp_sack_output(t);
        rack_arm(t);
    }
    if (t->tlp_at && tcp_now >= t->tlp_at)
        tlp_fire(t);
}
