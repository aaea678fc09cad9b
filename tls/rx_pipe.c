/* Receive pipeline: records read ahead of the application and decrypted
   elsewhere (see tls_set_rx_pipeline in tls.h).

   The slots form a ring from pipe_head (the record the application reads
   next, sequence number c->rd.seq) over pipe_count slots; the last one may
   still be filling. A complete slot at distance i from the head is record
   number rd.seq + i under the current read key (epoch rd_epoch), so its job
   knows its nonce without waiting for the records before it. Decryption is
   out of place (ct -> pt) and keeps the ciphertext: a record read ahead of a
   KeyUpdate, opened with the old key, is opened again when it reaches the
   head. A job only reads its slot's ciphertext and c->rd; c->rd changes
   (KeyUpdate, close, failure) only after every job in flight has finished. */
#include <string.h>
#include "crypto/crypto.h"
#include "tls/tls_int.h"

enum { SLOT_FILL, SLOT_FULL, SLOT_RUNNING, SLOT_DONE, SLOT_BAD };

enum tls_err tls_set_rx_pipeline(struct tls_conn *c, struct tls_rx_slot *slots, size_t n,
                                 const struct tls_offload *off)
{
    if (!slots || n < 2 || c->state != TLS_ST_INIT)
        return TLS_ERR_CONFIG;
    c->pipe = slots;
    c->pipe_n = n;
    c->off = off;
    c->pipe_head = c->pipe_count = 0;
    return TLS_OK;
}

void tls_rx_pipeline_stats(const struct tls_conn *c, uint32_t *offloaded, uint32_t *inline_)
{
    *offloaded = c->pipe_offloaded;
    *inline_ = c->pipe_inline;
}

static struct tls_rx_slot *slot_at(struct tls_conn *c, size_t i)
{
    return &c->pipe[(c->pipe_head + i) % c->pipe_n];
}

static size_t slot_total(const struct tls_rx_slot *s)
{
    return TLS_REC_HDR + (size_t)be16_get(s->ct + 3);
}

bool rx_pipe_engage(struct tls_conn *c)
{
    /* Switch at a record boundary with nothing of the one-record path left. */
    if (!c->piped && c->pipe && c->state == TLS_ST_CONNECTED && !c->rx_len && !c->app_len)
        c->piped = 1;
    return c->piped;
}

uint8_t *rx_pipe_in_buf(struct tls_conn *c, size_t *room)
{
    struct tls_rx_slot *s = c->pipe_count ? slot_at(c, c->pipe_count - 1) : NULL;
    if (!s || s->state != SLOT_FILL) {
        if (s && s->state == SLOT_BAD)
            return NULL;                       /* nothing is read past a bad header */
        if (c->pipe_count == c->pipe_n)
            return NULL;
        s = slot_at(c, c->pipe_count++);
        s->len = 0;
        s->state = SLOT_FILL;
    }
    *room = s->len < TLS_REC_HDR ? TLS_REC_HDR - s->len : slot_total(s) - s->len;
    return s->ct + s->len;
}

/* Runs on the other processor (or here): opens the slot's record. */
static void open_job(void *arg)
{
    struct tls_rx_slot *s = arg;
    s->result = rec_open_seq(s->keys, s->seq, s->ct, s->len - TLS_REC_HDR, s->pt, &s->inner,
                             &s->ptlen);
    __atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

/* Labels slot i (distance from the head) with its record number and key.
   rd.seq counts the records taken: a head being delivered is one of them. */
static void slot_bind(struct tls_conn *c, struct tls_rx_slot *s, size_t i)
{
    s->keys = &c->rd;
    s->seq = c->rd.seq - (c->app_len ? 1 : 0) + i;
    s->epoch = c->rd_epoch;
    s->done = 0;
}

static bool job_done(struct tls_rx_slot *s)
{
    if (s->state == SLOT_RUNNING && __atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
        s->state = SLOT_DONE;
    return s->state != SLOT_RUNNING;
}

/* Opens slot i here, now. */
static void open_here(struct tls_conn *c, struct tls_rx_slot *s, size_t i)
{
    slot_bind(c, s, i);
    open_job(s);
    s->state = SLOT_DONE;
    c->pipe_inline++;
}

/* Waits for slot s's job. Meanwhile, if help and the executor's queue has
   a limit, the newest record nobody started is opened here. */
static void wait_job(struct tls_conn *c, struct tls_rx_slot *s, bool help)
{
    if (!job_done(s) && c->off->kick)
        c->off->kick(c->off->ctx);             /* it may not have started */
    while (!job_done(s)) {
        size_t i = c->pipe_count;
        while (help && i > 0 && slot_at(c, i - 1)->state != SLOT_FULL)
            i--;
        if (help && i > 0 && c->off->max_jobs)
            open_here(c, slot_at(c, i - 1), i - 1);
        else if (c->off->relax)
            c->off->relax(c->off->ctx);
    }
}

/* Hands the complete, not yet started records to off->start, in order, up
   to max_jobs of them unfinished. */
static void submit_ready(struct tls_conn *c)
{
    if (!c->off || !c->off->start)
        return;
    unsigned queued = 0;
    for (size_t i = 0; i < c->pipe_count; i++)
        queued += !job_done(slot_at(c, i));
    for (size_t i = 0; i < c->pipe_count; i++) {
        struct tls_rx_slot *s = slot_at(c, i);
        if (s->state != SLOT_FULL)
            continue;
        if (c->off->max_jobs && queued >= c->off->max_jobs)
            return;
        slot_bind(c, s, i);
        s->state = SLOT_RUNNING;
        if (!c->off->start(c->off->ctx, open_job, s)) {
            s->state = SLOT_FULL;
            return;
        }
        queued++;
        c->pipe_offloaded++;
    }
}

enum tls_err rx_pipe_in_commit(struct tls_conn *c, size_t n)
{
    struct tls_rx_slot *s = slot_at(c, c->pipe_count - 1);
    s->len += n;
    if (s->len < TLS_REC_HDR)
        return TLS_OK;
    if (s->len == TLS_REC_HDR && n) {
        int e = tls_rx_header_check(c, s->ct);
        if (!e && s->ct[0] != TLS_CT_APPDATA)
            e = TLS_ERR_UNEXPECTED_MESSAGE;    /* after the handshake: 5.2 */
        if (e) {
            s->state = SLOT_BAD;               /* reported when the head gets here */
            s->err = e;
            return TLS_OK;
        }
    }
    if (s->len < slot_total(s))
        return TLS_OK;
    s->state = SLOT_FULL;
    submit_ready(c);
    return TLS_OK;
}

/* Waits for the jobs in flight: afterwards nothing reads c->rd. */
static void quiesce(struct tls_conn *c)
{
    for (size_t i = 0; i < c->pipe_count; i++) {
        struct tls_rx_slot *s = slot_at(c, i);
        if (s->state == SLOT_RUNNING)
            wait_job(c, s, false);
    }
}

void rx_pipe_wipe(struct tls_conn *c)
{
    if (!c->pipe)
        return;
    quiesce(c);
    for (size_t i = 0; i < c->pipe_count; i++)
        crypto_zeroize(slot_at(c, i)->pt, sizeof c->pipe[0].pt);
    c->pipe_head = c->pipe_count = 0;
    c->app_len = 0;
}

void rx_pipe_release_head(struct tls_conn *c)
{
    if (!c->pipe_count)
        return;
    struct tls_rx_slot *s = slot_at(c, 0);
    crypto_zeroize(s->pt, s->ptlen);
    c->pipe_head = (c->pipe_head + 1) % c->pipe_n;
    c->pipe_count--;
}

/* Opens and dispatches the head record: TLS_OK (application data may now be
   pending), 1 when the head is not complete yet, or the error. */
static int take_head(struct tls_conn *c)
{
    if (!c->pipe_count)
        return 1;
    struct tls_rx_slot *s = slot_at(c, 0);
    if (s->state == SLOT_FILL)
        return 1;
    if (s->state == SLOT_BAD)
        return tls_fail(c, s->err);
    if (s->state == SLOT_RUNNING)
        wait_job(c, s, true);
    if (s->state == SLOT_DONE && (s->epoch != c->rd_epoch || s->seq != c->rd.seq))
        s->state = SLOT_FULL;                  /* opened ahead with an older key */
    if (s->state == SLOT_FULL)
        open_here(c, s, 0);
    if (s->result)
        return tls_rx_open_error(c, s->result);
    c->rd.seq++;
    bool partial_hs = c->hs_len > c->hs_keep;
    uint32_t updates = c->key_updates_rcvd;
    if (s->inner != TLS_CT_APPDATA)
        quiesce(c);                            /* it may change or wipe c->rd */
    int e = tls_rx_dispatch(c, s->len - TLS_REC_HDR, s->inner, s->pt, s->ptlen, partial_hs);
    if (e || !c->pipe_count)
        return e;                              /* failed or closed: slots wiped */
    if (c->key_updates_rcvd != updates) {
        c->rd_epoch++;                         /* open the rest again, new key */
        for (size_t i = 1; i < c->pipe_count; i++)
            if (slot_at(c, i)->state == SLOT_DONE)
                slot_at(c, i)->state = SLOT_FULL;
    }
    if (!c->app_len)
        rx_pipe_release_head(c);               /* handshake message or empty record */
    submit_ready(c);
    return TLS_OK;
}

void rx_pipe_advance(struct tls_conn *c)
{
    while (!c->app_len && !c->err && c->state == TLS_ST_CONNECTED && take_head(c) == TLS_OK)
        ;
}
