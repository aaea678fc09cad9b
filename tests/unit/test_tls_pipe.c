/* The receive pipeline (tls_set_rx_pipeline): records read ahead of the
   application and opened by an executor. Against the fake RFC 8448 server
   (tls_fake_srv.h), with five executors: one that opens at once, one that
   always refuses (the engine opens each record itself), one that defers
   every job until the engine waits and then runs the newest first (jobs
   finish out of order), a real worker thread, and one like kernel/smp.c's
   smp_run_batched (a sleeping worker woken when a second job waits or by
   the engine's kick; waiting without a kick on a job it left queued fails
   the test, as it would hang the kernel). Each must deliver the
   exact byte stream, re-open records read ahead of a KeyUpdate with the new
   key, and report errors (bad MAC, bad header) only after every record
   before them was delivered. */
#define _GNU_SOURCE
#include <pthread.h>
#include "tls_fake_srv.h"

/* ---- executors ------------------------------------------------------------ */

enum exec_kind { EX_INLINE, EX_REFUSE, EX_DEFERRED, EX_THREAD, EX_BATCHED };

struct job { void (*fn)(void *); void *arg; };

struct exec {
    enum exec_kind kind;
    struct job q[64];
    size_t n, head;                 /* deferred: stack; thread: FIFO ring */
    unsigned started, relaxed, kicked;
    size_t peak;                    /* most jobs queued at once (not yet taken) */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
};

static void *worker(void *arg)
{
    struct exec *x = arg;
    pthread_mutex_lock(&x->mu);
    for (;;) {
        while (!x->n && !x->stop)
            pthread_cond_wait(&x->cv, &x->mu);
        if (!x->n)
            break;
        struct job j = x->q[x->head];
        x->head = (x->head + 1) % 64;
        x->n--;
        pthread_mutex_unlock(&x->mu);
        j.fn(j.arg);
        pthread_mutex_lock(&x->mu);
    }
    pthread_mutex_unlock(&x->mu);
    return NULL;
}

/* The batched executor's worker, woken: runs what waits, oldest first. */
static void batch_run(struct exec *x)
{
    for (size_t i = 0; i < x->n; i++)
        x->q[i].fn(x->q[i].arg);
    x->n = 0;
}

static bool ex_start(void *ctx, void (*fn)(void *), void *arg)
{
    struct exec *x = ctx;
    switch (x->kind) {
    case EX_INLINE:
        fn(arg);
        break;
    case EX_REFUSE:
        return false;
    case EX_DEFERRED:
        if (x->n == 64)
            return false;
        x->q[x->n++] = (struct job){ fn, arg };
        x->peak = x->n > x->peak ? x->n : x->peak;
        break;
    case EX_BATCHED:
        if (x->n == 64)
            return false;
        x->q[x->n++] = (struct job){ fn, arg };
        x->peak = x->n > x->peak ? x->n : x->peak;
        if (x->n >= 2)
            batch_run(x);                 /* the second job wakes the worker */
        break;
    case EX_THREAD:
        pthread_mutex_lock(&x->mu);
        if (x->n == 64) {
            pthread_mutex_unlock(&x->mu);
            return false;
        }
        x->q[(x->head + x->n) % 64] = (struct job){ fn, arg };
        x->n++;
        x->peak = x->n > x->peak ? x->n : x->peak;
        pthread_cond_signal(&x->cv);
        pthread_mutex_unlock(&x->mu);
        break;
    }
    x->started++;
    return true;
}

static void ex_kick(void *ctx)
{
    struct exec *x = ctx;
    x->kicked++;
    if (x->kind == EX_BATCHED)
        batch_run(x);
}

static void ex_relax(void *ctx)
{
    struct exec *x = ctx;
    x->relaxed++;
    if (x->kind == EX_BATCHED && x->n)
        fail_msg("the engine waits for %zu queued jobs without a kick", x->n);
    if (x->kind == EX_DEFERRED && x->n) {
        struct job j = x->q[--x->n];          /* newest first */
        j.fn(j.arg);
    }
}

static void ex_init(struct exec *x, struct tls_offload *off, enum exec_kind kind)
{
    memset(x, 0, sizeof *x);
    x->kind = kind;
    off->start = ex_start;
    off->relax = ex_relax;
    off->kick = ex_kick;
    off->ctx = x;
    if (kind == EX_THREAD) {
        pthread_mutex_init(&x->mu, NULL);
        pthread_cond_init(&x->cv, NULL);
        assert_int_equal(pthread_create(&x->th, NULL, worker, x), 0);
    }
}

static void ex_done(struct exec *x)
{
    if (x->kind != EX_THREAD)
        return;
    pthread_mutex_lock(&x->mu);
    x->stop = 1;
    pthread_cond_signal(&x->cv);
    pthread_mutex_unlock(&x->mu);
    pthread_join(x->th, NULL);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
}

/* ---- a piped client and a stream of records ------------------------------- */

struct piped {
    struct srv *s;
    struct replay *r;
    struct tls_rx_slot *slots;
    struct tls_offload off;
    struct exec x;
};

/* An executor and the engine's limit on the jobs it has queued there. */
struct exec_cfg {
    enum exec_kind kind;
    unsigned max_jobs;
};

static const struct exec_cfg kinds[] = {
    { EX_INLINE, 0 }, { EX_REFUSE, 0 }, { EX_DEFERRED, 0 }, { EX_THREAD, 0 },
    { EX_DEFERRED, 2 }, { EX_THREAD, 2 }, { EX_BATCHED, 0 }, { EX_BATCHED, 2 },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static void piped_new(struct piped *p, size_t nslots, struct exec_cfg cfg)
{
    p->s = srv_new();
    p->slots = calloc(nslots, sizeof *p->slots);
    assert_non_null(p->slots);
    ex_init(&p->x, &p->off, cfg.kind);
    p->off.max_jobs = cfg.max_jobs;
    struct replay *r = replay_prepare(s3, 0);
    assert_int_equal(tls_set_rx_pipeline(&r->c, p->slots, nslots, &p->off), TLS_OK);
    p->r = connected_of(p->s, r);
}

static void piped_free(struct piped *p)
{
    tls_conn_wipe(&p->r->c);              /* waits for jobs still in flight */
    ex_done(&p->x);
    free(p->slots);
    free(p->r);
    free(p->s);
}

struct wire {
    uint8_t *b;
    size_t n, cap;
};

static void wire_add(struct wire *w, struct tls_rec_keys *k, uint8_t type, const uint8_t *data,
                     size_t n, size_t pad)
{
    if (w->n + n + pad + 64 > w->cap) {
        w->cap = (w->n + n + pad + 64) * 2;
        w->b = realloc(w->b, w->cap);
        assert_non_null(w->b);
    }
    w->n += seal(k, type, data, n, pad, w->b + w->n);
}

/* Moves the wire into the client in chunks of `chunk` bytes and takes the
   application data out in pieces of `take` bytes, interleaved, until the
   wire is used up and nothing more comes out, or an error. Returns the bytes
   delivered (into got). */
static size_t run(struct tls_conn *c, const struct wire *w, size_t chunk, size_t take,
                  uint8_t *got, size_t cap)
{
    size_t off = 0, n = 0;
    for (;;) {
        size_t m = w->n - off < chunk ? w->n - off : chunk;
        size_t used = m ? tls_feed(c, w->b + off, m) : 0;
        off += used;
        size_t an;
        const uint8_t *p = tls_app_peek(c, &an);
        if (p) {
            if (an > take)
                an = take;
            assert_true(n + an <= cap);
            memcpy(got + n, p, an);
            n += an;
            tls_app_ack(c, an);
        }
        if (tls_error(c) || (!used && !p))
            return n;
    }
}

static void pattern(uint8_t *b, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 8));
}

/* ---- tests ------------------------------------------------------------------ */

static void test_stream_in_order(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const size_t sizes[] = { 16384, 1, 0, 5000, 16384, 16384, 77, 16000, 16384, 3,
                                    16384, 12345, 16384, 16384, 0, 9, 16384, 16384, 4096, 2 };
    size_t total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        total += sizes[i];
    uint8_t *want = malloc(total), *got = malloc(total);
    assert_non_null(want);
    assert_non_null(got);
    for (size_t k = 0; k < NKINDS; k++) {
        unsigned kicks = 0;
        for (size_t shape = 0; shape < 3; shape++) {
            struct piped p;
            piped_new(&p, shape == 2 ? 2 : 5, kinds[k]);
            struct wire w = { 0 };
            size_t at = 0;
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                pattern(want + at, sizes[i], (unsigned)i);
                /* padding up to the 2^14 + 1 inner limit on some records */
                size_t pad = sizes[i] < 16384 && i % 3 == 0 ? 16384 - sizes[i] : 0;
                wire_add(&w, &p.s->ap, TLS_CT_APPDATA, want + at, sizes[i], pad);
                at += sizes[i];
            }
            static const size_t chunks[] = { 100000, 1400, 7 };
            static const size_t takes[] = { 100000, 4096, 1000 };
            size_t n = run(&p.r->c, &w, chunks[shape], takes[shape], got, total);
            assert_int_equal(tls_error(&p.r->c), TLS_OK);
            assert_int_equal(n, total);
            assert_memory_equal(got, want, total);
            uint32_t offl, inl;
            tls_rx_pipeline_stats(&p.r->c, &offl, &inl);
            /* every record was opened once, by the executor unless it refused */
            assert_int_equal(offl + inl, sizeof sizes / sizeof sizes[0]);
            if (kinds[k].kind == EX_REFUSE)
                assert_int_equal(offl, 0);
            else
                assert_true(offl > 0);
            if (kinds[k].kind == EX_DEFERRED && !kinds[k].max_jobs)
                assert_true(p.x.relaxed > 0);      /* the engine waited for jobs */
            if (kinds[k].kind == EX_DEFERRED && kinds[k].max_jobs && shape != 2)
                assert_true(inl > 0);              /* and opened later ones meanwhile */
            kicks += kinds[k].kind == EX_BATCHED ? p.x.kicked : 0;
            if (kinds[k].max_jobs)                 /* the engine's limit held */
                assert_true(p.x.peak <= kinds[k].max_jobs);
            free(w.b);
            piped_free(&p);
        }
        if (kinds[k].kind == EX_BATCHED)           /* some job waited for its kick */
            assert_true(kicks > 0);
    }
    free(want);
    free(got);
}

static void test_key_update_reopens(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const uint8_t ku[] = { 24, 0, 0, 1, 0 };
    uint8_t data[12][3000];
    for (size_t k = 0; k < NKINDS; k++) {
        struct piped p;
        piped_new(&p, 16, kinds[k]);
        struct wire w = { 0 };
        for (int i = 0; i < 6; i++) {
            pattern(data[i], sizeof data[i], (unsigned)i);
            wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data[i], sizeof data[i], 0);
        }
        wire_add(&w, &p.s->ap, TLS_CT_HANDSHAKE, ku, sizeof ku, 0);
        uint8_t key[16], iv[12];
        assert_int_equal(ks_update_secret(&hash_sha256, p.s->s_ap_secret), 0);
        assert_int_equal(ks_traffic_keys(&hash_sha256, p.s->s_ap_secret, key, 16, iv), 0);
        assert_int_equal(rec_set_keys(&p.s->ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
        for (int i = 6; i < 12; i++) {
            pattern(data[i], sizeof data[i], (unsigned)i);
            wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data[i], sizeof data[i], 0);
        }
        /* the whole wire is taken before anything is read: every record after
           the KeyUpdate is first opened ahead with the old key */
        assert_int_equal(tls_feed(&p.r->c, w.b, w.n), w.n);
        uint8_t got[sizeof data];
        size_t n = run(&p.r->c, &(struct wire){ 0 }, 1, sizeof got, got, sizeof got);
        assert_int_equal(tls_error(&p.r->c), TLS_OK);
        assert_int_equal(n, sizeof data);
        assert_memory_equal(got, data, sizeof data);
        assert_int_equal(p.r->c.key_updates_rcvd, 1);
        uint32_t offl, inl;
        tls_rx_pipeline_stats(&p.r->c, &offl, &inl);
        if (kinds[k].kind == EX_REFUSE)
            assert_int_equal(offl + inl, 13);  /* each opened once, at the head */
        else
            assert_true(offl + inl > 13);      /* those after the update twice */
        free(w.b);
        piped_free(&p);
    }
}

/* Records 0..good-1 are fine, then `bad` (a whole record) and more good ones. */
static void errors_case(struct exec_cfg kind, const uint8_t *bad, size_t badlen, int err, int alert)
{
    struct piped p;
    piped_new(&p, 8, kind);
    struct wire w = { 0 };
    uint8_t data[3][2000];
    for (int i = 0; i < 3; i++) {
        pattern(data[i], sizeof data[i], (unsigned)i + 40);
        wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data[i], sizeof data[i], 0);
    }
    size_t badat = w.n;
    w.b = realloc(w.b, w.n + badlen + 4096);
    memcpy(w.b + w.n, bad, badlen);
    w.n += badlen;
    p.s->ap.seq++;                             /* the bad record used a number */
    wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data[0], 100, 0);
    (void)badat;
    uint8_t got[sizeof data];
    size_t n = run(&p.r->c, &w, 100000, 700, got, sizeof got);
    /* everything before the bad record arrives, then its error */
    assert_int_equal(n, sizeof data);
    assert_memory_equal(got, data, sizeof data);
    expect_fail(&p.r->c, err, alert);
    size_t an;
    assert_null(tls_app_peek(&p.r->c, &an));
    free(w.b);
    piped_free(&p);
}

static void test_errors_reported_in_order(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    for (size_t k = 0; k < NKINDS; k++) {
        /* a record whose tag does not verify */
        struct srv *s = srv_new();
        uint8_t rec[600];
        for (int i = 0; i < 3; i++)
            s->ap.seq++;
        size_t rl = seal(&s->ap, TLS_CT_APPDATA, (const uint8_t *)"tampered", 8, 0, rec);
        rec[rl - 1] ^= 1;
        errors_case(kinds[k], rec, rl, TLS_ERR_BAD_RECORD_MAC, TLS_ALERT_BAD_RECORD_MAC);
        free(s);
        /* a header announcing more than 2^14 + 256 bytes */
        static const uint8_t big[] = { 23, 3, 3, 0x41, 0x01 };
        errors_case(kinds[k], big, sizeof big, TLS_ERR_RECORD_OVERFLOW, TLS_ALERT_RECORD_OVERFLOW);
        /* a plaintext record type after the handshake */
        static const uint8_t hs[] = { 22, 3, 3, 0, 4, 1, 0, 0, 0 };
        errors_case(kinds[k], hs, sizeof hs, TLS_ERR_UNEXPECTED_MESSAGE,
                    TLS_ALERT_UNEXPECTED_MESSAGE);
    }
}

static void test_close_notify_and_wipe(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    for (size_t k = 0; k < NKINDS; k++) {
        struct piped p;
        piped_new(&p, 4, kinds[k]);
        struct wire w = { 0 };
        uint8_t data[5000];
        pattern(data, sizeof data, 9);
        wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data, sizeof data, 0);
        wire_add(&w, &p.s->ap, TLS_CT_ALERT, (const uint8_t *)"\x01\x00", 2, 0);
        uint8_t got[sizeof data];
        size_t n = run(&p.r->c, &w, 100000, 1000, got, sizeof got);
        assert_int_equal(n, sizeof data);
        assert_memory_equal(got, data, sizeof data);
        assert_int_equal(tls_error(&p.r->c), TLS_OK);
        assert_true(tls_peer_closed(&p.r->c));
        size_t room;
        assert_null(tls_in_buf(&p.r->c, &room));
        free(w.b);
        piped_free(&p);
    }
    /* Wiping with records read ahead and not delivered: the jobs finish first
       (the deferred executor runs them only when the engine waits) and no
       plaintext stays in the slots. */
    struct piped p;
    piped_new(&p, 4, (struct exec_cfg){ EX_DEFERRED, 0 });
    struct wire w = { 0 };
    uint8_t data[3][1000];
    for (int i = 0; i < 3; i++) {
        memset(data[i], 0xA5, sizeof data[i]);
        wire_add(&w, &p.s->ap, TLS_CT_APPDATA, data[i], sizeof data[i], 0);
    }
    assert_int_equal(tls_feed(&p.r->c, w.b, w.n), w.n);
    assert_int_equal(p.x.n, 3);                    /* all three queued, none run */
    struct tls_rx_slot *slots = p.slots;
    p.slots = NULL;
    piped_free(&p);
    assert_int_equal(p.x.n, 0);                    /* the wipe ran them */
    for (int i = 0; i < 4; i++)
        for (size_t j = 0; j < sizeof slots[i].pt; j++)
            assert_int_equal(slots[i].pt[j], 0);
    free(slots);
    free(w.b);
}

static void test_config(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct tls_rx_slot slots[2];
    struct tls_offload off = { 0 };
    struct replay *r = replay_prepare(s3, 0);
    assert_int_equal(tls_set_rx_pipeline(&r->c, slots, 1, &off), TLS_ERR_CONFIG);
    assert_int_equal(tls_set_rx_pipeline(&r->c, NULL, 2, &off), TLS_ERR_CONFIG);
    assert_int_equal(tls_client_start(&r->c), TLS_OK);
    assert_int_equal(tls_set_rx_pipeline(&r->c, slots, 2, &off), TLS_ERR_CONFIG);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_in_order),
        cmocka_unit_test(test_key_update_reopens),
        cmocka_unit_test(test_errors_reported_in_order),
        cmocka_unit_test(test_close_notify_and_wipe),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, fake_srv_setup, fake_srv_teardown);
}
