/* In-memory engine tests: a fake server re-frames the RFC 8448 section 3
   server flight (its plaintext handshake messages and traffic keys come from
   the trace) into records of any shape, so the client engine can be driven
   through fragmentation, coalescing, CCS handling, KeyUpdate, tickets,
   corrupted/oversized/truncated records and malformed ServerHellos, each
   checked for the exact error and alert. */
#define _GNU_SOURCE
#include "tls_fake_srv.h"

/* ---- framing ------------------------------------------------------------- */

static void test_fragmented_messages(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    /* Every handshake message split into 7-byte records, with padding. */
    for (size_t chunk = 1; chunk <= 301; chunk += 150) {
        struct srv *s = srv_new();
        struct replay *r = client_after_sh(s);
        uint8_t fl[2048], rec[512];
        size_t n = flight(s, fl);
        for (size_t off = 0; off < n; off += chunk) {
            size_t m = n - off < chunk ? n - off : chunk;
            assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl + off, m, off % 5, rec)), TLS_OK);
        }
        assert_true(tls_handshake_done(&r->c));
        expect_out(&r->c, s3, "{client}  send handshake record:", 1);
        free(r);
        free(s);
    }
}

static void test_byte_at_a_time_input(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = replay_new(s3, 0);
    uint8_t junk[1024], all[4096], fl[2048];
    drain_out(&r->c, junk, sizeof junk);
    memcpy(all, s->sh_rec, (size_t)s->sh_len);
    size_t n = (size_t)s->sh_len;
    n += seal(&s->hs, TLS_CT_HANDSHAKE, fl, flight(s, fl), 0, all + n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tls_feed(&r->c, all + i, 1), 1);
    assert_true(tls_handshake_done(&r->c));
    expect_out(&r->c, s3, "{client}  send handshake record:", 1);
    free(r);
    free(s);
}

static void test_ccs_handling(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const uint8_t ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
    static const uint8_t bad_ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x02 };
    /* One CCS between ServerHello and the encrypted flight is dropped. */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    assert_int_equal(feed(&r->c, ccs, sizeof ccs), TLS_OK);
    uint8_t fl[2048], rec[2048];
    size_t n = flight(s, fl);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, n, 0, rec)), TLS_OK);
    assert_true(tls_handshake_done(&r->c));
    /* After the handshake, a CCS is unexpected_message. */
    assert_int_equal(feed(&r->c, ccs, sizeof ccs), TLS_ERR_UNEXPECTED_MESSAGE);
    expect_fail(&r->c, TLS_ERR_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* Every CCS before the server's Finished is dropped, between any two
       records, up to TLS_MAX_RUN (32); the next is unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    for (int i = 0; i < TLS_MAX_RUN - 1; i++)
        assert_int_equal(feed(&r->c, ccs, sizeof ccs), TLS_OK);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, s->ee, (size_t)s->ee_len, 0, rec)),
                     TLS_OK);
    assert_int_equal(feed(&r->c, ccs, sizeof ccs), TLS_OK);            /* the 32nd */
    assert_int_equal(feed(&r->c, ccs, sizeof ccs), TLS_ERR_UNEXPECTED_MESSAGE);
    expect_fail(&r->c, TLS_ERR_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* A CCS with a value other than 1 is unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, bad_ccs, sizeof bad_ccs), TLS_ERR_UNEXPECTED_MESSAGE);
    expect_fail(&r->c, TLS_ERR_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
}

static void test_bad_mac(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    uint8_t fl[2048], rec[2048];
    size_t n = seal(&s->hs, TLS_CT_HANDSHAKE, fl, flight(s, fl), 0, rec);
    rec[n - 3] ^= 0x40;                       /* flip one tag bit */
    assert_int_equal(feed(&r->c, rec, n), TLS_ERR_BAD_RECORD_MAC);
    expect_fail(&r->c, TLS_ERR_BAD_RECORD_MAC, TLS_ALERT_BAD_RECORD_MAC);
    /* The alert goes out encrypted (handshake keys): an application_data record. */
    size_t on;
    const uint8_t *o = tls_out_peek(&r->c, &on);
    assert_int_equal(on, 5 + 2 + 1 + 16);
    assert_int_equal(o[0], TLS_CT_APPDATA);
    free(r);
    free(s);
}

static void test_oversized_records(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    /* Ciphertext longer than 2^14 + 256: record_overflow from the header. */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    uint8_t hdr[5] = { 0x17, 0x03, 0x03, (16384 + 257) >> 8, (16384 + 257) & 0xff };
    assert_int_equal(feed(&r->c, hdr, 5), TLS_ERR_RECORD_OVERFLOW);
    expect_fail(&r->c, TLS_ERR_RECORD_OVERFLOW, TLS_ALERT_RECORD_OVERFLOW);
    free(r);
    /* Plaintext record longer than 2^14 before encryption. */
    r = replay_new(s3, 0);
    uint8_t junk[1024];
    drain_out(&r->c, junk, sizeof junk);
    uint8_t phdr[5] = { 0x16, 0x03, 0x03, (16385) >> 8, 16385 & 0xff };
    assert_int_equal(feed(&r->c, phdr, 5), TLS_ERR_RECORD_OVERFLOW);
    free(r);
    /* Inner plaintext of 2^14 + 2 bytes (content + type + padding). */
    free(s);
    s = srv_new();
    r = client_after_sh(s);
    static uint8_t inner[16384 + 2], big[16384 + 300];
    memset(inner, 0, sizeof inner);
    memcpy(inner, s->ee, (size_t)s->ee_len);
    inner[s->ee_len] = TLS_CT_HANDSHAKE;
    size_t n = seal_raw(&s->hs, inner, sizeof inner, big);
    assert_int_equal(feed(&r->c, big, n), TLS_ERR_RECORD_OVERFLOW);
    free(r);
    free(s);
}

/* RFC 8449: our advertised limit is enforced on the server's records once
   it acknowledged the extension (EncryptedExtensions), not before. */
static void test_record_size_limit_enforced(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static uint8_t data[200], rec[512];
    memset(data, 'r', sizeof data);
    for (int acked = 0; acked < 2; acked++) {
        struct srv *s = srv_new();
        struct replay *r = connected(s);
        r->cfg.record_size_limit = 101;          /* 100 bytes + content type */
        r->c.peer_rsl = acked ? 16385 : 0;
        assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 100, 0, rec)), TLS_OK);
        tls_app_ack(&r->c, 100);
        int e = feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 101, 0, rec));
        assert_int_equal(e, acked ? TLS_ERR_RECORD_OVERFLOW : TLS_OK);
        free(r);
        free(s);
    }
}

static void test_truncated_and_malformed(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    uint8_t ee[64], rec[2048];
    memcpy(ee, s->ee, (size_t)s->ee_len);
    ee[5] += 1;                               /* extensions vector overruns the message */
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, ee, (size_t)s->ee_len, 0, rec)),
                     TLS_ERR_DECODE);
    expect_fail(&r->c, TLS_ERR_DECODE, TLS_ALERT_DECODE_ERROR);
    free(r);
    free(s);
    /* Certificate before EncryptedExtensions: unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, s->cert, (size_t)s->cert_len, 0, rec)),
                     TLS_ERR_UNEXPECTED_MESSAGE);
    expect_fail(&r->c, TLS_ERR_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* Application data before the handshake completes: unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_APPDATA, (const uint8_t *)"hi", 2, 0, rec)),
                     TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* A record with only padding (no content type): unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    static const uint8_t zeros[4] = { 0 };
    size_t n = seal_raw(&s->hs, zeros, 4, rec);
    assert_int_equal(feed(&r->c, rec, n), TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* Handshake message split across a record with other content in between. */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, s->ee, 3, 0, rec)), TLS_OK);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_ALERT, (const uint8_t *)"\x01\x00", 2, 0, rec)),
                     TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* Zero-length alert content (encrypted) and a zero-length plaintext
       record: unexpected_message (RFC 9846 5.4). */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_ALERT, s->ee, 0, 0, rec)),
                     TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    r = replay_new(s3, 0);
    {
        uint8_t junk[1024];
        static const uint8_t empty_hs[] = { 0x16, 0x03, 0x03, 0x00, 0x00 };
        drain_out(&r->c, junk, sizeof junk);
        assert_int_equal(feed(&r->c, empty_hs, 5), TLS_ERR_UNEXPECTED_MESSAGE);
    }
    free(r);
    /* Truncated record at EOF: nothing processed, no error yet (needs more). */
    s = srv_new();
    r = client_after_sh(s);
    n = seal(&s->hs, TLS_CT_HANDSHAKE, s->ee, (size_t)s->ee_len, 0, rec);
    assert_int_equal(feed(&r->c, rec, n - 1), TLS_OK);
    assert_int_equal(r->c.state, TLS_ST_WAIT_EE);
    free(r);
    free(s);
}

static void test_finished_and_cv_tampered(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    for (int which = 0; which < 2; which++) {
        struct srv *s = srv_new();
        struct replay *r = client_after_sh(s);
        uint8_t fl[2048], rec[2048];
        size_t n = flight(s, fl);
        fl[which ? n - 1 : (size_t)(s->ee_len + s->cert_len + s->cv_len - 1)] ^= 1;
        assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, n, 0, rec)),
                         TLS_ERR_DECRYPT_ERROR);
        expect_fail(&r->c, TLS_ERR_DECRYPT_ERROR, TLS_ALERT_DECRYPT_ERROR);
        free(r);
        free(s);
    }
}

static void test_alert_received(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    uint8_t rec[64];
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_ALERT, (const uint8_t *)"\x02\x28", 2, 0, rec)),
                     TLS_ERR_ALERT_RECEIVED);
    assert_string_equal(tls_error_str(&r->c), "alert_received:handshake_failure");
    assert_int_equal(tls_alert_received(&r->c), TLS_ALERT_HANDSHAKE_FAILURE);
    assert_int_equal(tls_alert_sent(&r->c), TLS_ALERT_NONE);
    free(r);
    free(s);
    /* A plaintext alert in answer to the ClientHello. */
    r = replay_new(s3, 0);
    uint8_t junk[1024];
    drain_out(&r->c, junk, sizeof junk);
    static const uint8_t pa[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46 };
    assert_int_equal(feed(&r->c, pa, sizeof pa), TLS_ERR_ALERT_RECEIVED);
    assert_string_equal(tls_error_str(&r->c), "alert_received:protocol_version");
    free(r);
}

/* Decrypts every record of the client's output with k; returns the count
   and writes inner types and the first byte of each plaintext. */
static int open_client(struct tls_conn *c, struct tls_rec_keys *k, uint8_t *types, uint8_t *first)
{
    uint8_t out[8192];
    size_t n = drain_out(c, out, sizeof out), off = 0;
    int cnt = 0;
    while (off + 5 <= n) {
        size_t rl = 5 + ((size_t)out[off + 3] << 8 | out[off + 4]);
        assert_true(off + rl <= n);
        uint8_t t;
        size_t pl;
        assert_int_equal(rec_open(k, out + off, rl - 5, &t, &pl), 0);
        types[cnt] = t;
        first[cnt] = out[off + 5];
        cnt++;
        off += rl;
    }
    assert_int_equal(off, n);
    return cnt;
}

static void test_key_update(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = connected(s);
    struct tls_conn *c = &r->c;
    uint8_t rec[256], types[8], first[8];
    static const uint8_t ku_req[] = { 24, 0, 0, 1, 1 }, ku_noreq[] = { 24, 0, 0, 1, 0 };
    /* Two update_requested KeyUpdates (server rotates its keys after each). */
    const struct hash_alg *h = &hash_sha256;
    uint8_t key[16], iv[12];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(feed(c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, ku_req, 5, 0, rec)), TLS_OK);
        assert_int_equal(ks_update_secret(h, s->s_ap_secret), 0);
        assert_int_equal(ks_traffic_keys(h, s->s_ap_secret, key, 16, iv), 0);
        assert_int_equal(rec_set_keys(&s->ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    }
    assert_int_equal(c->key_updates_rcvd, 2);
    /* Data under the twice-updated server key decrypts. */
    assert_int_equal(feed(c, rec, seal(&s->ap, TLS_CT_APPDATA, (const uint8_t *)"hello", 5, 0, rec)), TLS_OK);
    size_t an;
    const uint8_t *ap = tls_app_peek(c, &an);
    assert_int_equal(an, 5);
    assert_memory_equal(ap, "hello", 5);
    tls_app_ack(c, 5);
    /* Our answer: exactly one KeyUpdate(update_not_requested) for both
       requests (RFC 9846 4.6.3), before our next application data, which
       goes out under the updated client key. */
    assert_int_equal(tls_app_write(c, (const uint8_t *)"x", 1), 1);
    uint8_t out[512];
    size_t on = drain_out(c, out, sizeof out);
    assert_true(on > 0);
    size_t r1 = 5 + ((size_t)out[3] << 8 | out[4]);
    uint8_t t;
    size_t pl;
    assert_int_equal(rec_open(&s->c_ap, out, r1 - 5, &t, &pl), 0);
    assert_int_equal(t, TLS_CT_HANDSHAKE);
    assert_int_equal(pl, 5);
    assert_memory_equal(out + 5, ku_noreq, 5);
    assert_int_equal(ks_update_secret(h, s->c_ap_secret), 0);
    assert_int_equal(ks_traffic_keys(h, s->c_ap_secret, key, 16, iv), 0);
    assert_int_equal(rec_set_keys(&s->c_ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    assert_int_equal(rec_open(&s->c_ap, out + r1, on - r1 - 5, &t, &pl), 0);
    assert_int_equal(t, TLS_CT_APPDATA);
    assert_int_equal(out[r1 + 5], 'x');
    assert_int_equal(c->key_updates_sent, 1);
    /* After 2^24 records under one key the engine rekeys on its own: a
       KeyUpdate under the old key, then the data under the new one. */
    c->wr.seq = TLS_REKEY_RECORDS;
    s->c_ap.seq = TLS_REKEY_RECORDS;
    assert_int_equal(tls_app_write(c, (const uint8_t *)"y", 1), 1);
    on = drain_out(c, out, sizeof out);
    r1 = 5 + ((size_t)out[3] << 8 | out[4]);
    assert_int_equal(rec_open(&s->c_ap, out, r1 - 5, &t, &pl), 0);
    assert_int_equal(t, TLS_CT_HANDSHAKE);
    assert_memory_equal(out + 5, ku_noreq, 5);
    assert_int_equal(ks_update_secret(h, s->c_ap_secret), 0);
    assert_int_equal(ks_traffic_keys(h, s->c_ap_secret, key, 16, iv), 0);
    assert_int_equal(rec_set_keys(&s->c_ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    assert_int_equal(rec_open(&s->c_ap, out + r1, on - r1 - 5, &t, &pl), 0);
    assert_int_equal(t, TLS_CT_APPDATA);
    assert_int_equal(out[r1 + 5], 'y');
    assert_int_equal(c->key_updates_sent, 2);
    /* Our own KeyUpdate with update_requested; a second request before the
       server answered goes out as update_not_requested (RFC 9846 4.6.3). */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(tls_key_update(c, true), TLS_OK);
        on = drain_out(c, out, sizeof out);
        assert_int_equal(rec_open(&s->c_ap, out, on - 5, &t, &pl), 0);
        assert_int_equal(t, TLS_CT_HANDSHAKE);
        assert_memory_equal(out + 5, i == 0 ? ku_req : ku_noreq, 5);
        assert_int_equal(ks_update_secret(h, s->c_ap_secret), 0);
        assert_int_equal(ks_traffic_keys(h, s->c_ap_secret, key, 16, iv), 0);
        assert_int_equal(rec_set_keys(&s->c_ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    }
    /* the server's answer clears it: the next request is sent as such */
    assert_int_equal(feed(c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, ku_noreq, 5, 0, rec)), TLS_OK);
    assert_int_equal(ks_update_secret(h, s->s_ap_secret), 0);
    assert_int_equal(ks_traffic_keys(h, s->s_ap_secret, key, 16, iv), 0);
    assert_int_equal(rec_set_keys(&s->ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
    assert_int_equal(tls_key_update(c, true), TLS_OK);
    on = drain_out(c, out, sizeof out);
    assert_int_equal(rec_open(&s->c_ap, out, on - 5, &t, &pl), 0);
    assert_memory_equal(out + 5, ku_req, 5);
    (void)types;
    (void)first;
    /* KeyUpdate with an invalid request byte: illegal_parameter. */
    static const uint8_t ku_bad[] = { 24, 0, 0, 1, 2 };
    assert_int_equal(feed(c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, ku_bad, 5, 0, rec)), TLS_ERR_ILLEGAL_PARAMETER);
    free(r);
    free(s);
    /* KeyUpdate during the handshake: unexpected_message. */
    s = srv_new();
    r = client_after_sh(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, ku_req, 5, 0, rec)), TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
}

static void test_ticket_and_post_handshake(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    struct replay *r = connected(s);
    uint8_t rec[512];
    assert_null(tls_ticket(&r->c));
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, s->nst, (size_t)s->nst_len, 0, rec)), TLS_OK);
    assert_non_null(tls_ticket(&r->c));
    assert_int_equal(r->c.tickets_seen, 1);
    /* A ticket lifetime over 7 days: illegal_parameter. */
    uint8_t nst[256];
    memcpy(nst, s->nst, (size_t)s->nst_len);
    nst[4] = 0xff;
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, nst, (size_t)s->nst_len, 0, rec)),
                     TLS_ERR_ILLEGAL_PARAMETER);
    free(r);
    free(s);
    /* Post-handshake CertificateRequest (we offered no post_handshake_auth). */
    s = srv_new();
    r = connected(s);
    static const uint8_t cr[] = { 13, 0, 0, 11, 0, 0, 8, 0, 13, 0, 4, 0, 2, 8, 4 };
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, cr, sizeof cr, 0, rec)),
                     TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
    free(s);
    /* close_notify from the server, then EOF semantics. */
    s = srv_new();
    r = connected(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_ALERT, (const uint8_t *)"\x01\x00", 2, 0, rec)), TLS_OK);
    assert_true(tls_peer_closed(&r->c));
    size_t room;
    assert_null(tls_in_buf(&r->c, &room));
    free(r);
    free(s);
}

/* ---- EncryptedExtensions ---------------------------------------------------- */

/* Runs the handshake with the trace's EE replaced by one carrying `ext`.
   The Finished in the trace covers the trace's EE, so only outcomes up to
   (and including) a Finished mismatch are reachable: a good EE gives
   decrypt_error at Finished, a bad one its own error first. */
static uint8_t ee_mfl;   /* max_fragment_length the client offered in ee_case */

static int ee_case(const uint8_t *ext, size_t extlen, struct replay **out_r)
{
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    r->cfg.max_fragment_length = ee_mfl;
    uint8_t ee[256], fl[2048], rec[2048];
    ee[0] = 8; ee[1] = 0; ee[2] = 0; ee[3] = (uint8_t)(extlen + 2);
    ee[4] = 0; ee[5] = (uint8_t)extlen;
    memcpy(ee + 6, ext, extlen);
    size_t n = 0;
    memcpy(fl, ee, extlen + 6); n += extlen + 6;
    memcpy(fl + n, s->cert, (size_t)s->cert_len); n += (size_t)s->cert_len;
    memcpy(fl + n, s->cv, (size_t)s->cv_len); n += (size_t)s->cv_len;
    memcpy(fl + n, s->fin, (size_t)s->fin_len); n += (size_t)s->fin_len;
    int e = feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, n, 0, rec));
    free(s);
    if (out_r)
        *out_r = r;
    else
        free(r);
    return e;
}

static void test_encrypted_extensions(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r;
    /* well-formed: ALPN http/1.1 and record_size_limit 64 are accepted (the
       handshake then stops at the trace's Finished, which covered another EE) */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x10\x00\x0b\x00\x09\x08http/1.1", 15, &r),
                     TLS_ERR_DECRYPT_ERROR);
    assert_string_equal(tls_alpn(&r->c), "http/1.1");
    free(r);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x1c\x00\x02\x00\x40", 6, &r), TLS_ERR_DECRYPT_ERROR);
    assert_int_equal(r->c.peer_rsl, 64);
    free(r);
    /* ALPN we did not offer; two protocols; RSL below 64 */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x10\x00\x05\x00\x03\x02h2", 9, NULL),
                     TLS_ERR_ILLEGAL_PARAMETER);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x10\x00\x08\x00\x06\x02h2\x02h3", 12, NULL),
                     TLS_ERR_DECODE);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x1c\x00\x02\x00\x3f", 6, NULL),
                     TLS_ERR_ILLEGAL_PARAMETER);
    /* extensions that never belong in EE: key_share, supported_versions */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x33\x00\x00", 4, NULL), TLS_ERR_ILLEGAL_PARAMETER);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x2b\x00\x02\x03\x04", 6, NULL),
                     TLS_ERR_ILLEGAL_PARAMETER);
    /* allowed in EE but never requested: early_data, max_fragment_length;
       and an unknown extension */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x2a\x00\x00", 4, NULL), TLS_ERR_UNSUPPORTED_EXTENSION);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x01\x00\x01\x02", 5, NULL),
                     TLS_ERR_UNSUPPORTED_EXTENSION);
    assert_int_equal(ee_case((const uint8_t *)"\xff\x01\x00\x00", 4, NULL), TLS_ERR_UNSUPPORTED_EXTENSION);
    /* duplicate */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x00\x00\x00\x00\x00\x00\x00", 8, NULL),
                     TLS_ERR_ILLEGAL_PARAMETER);
    /* the peer's record_size_limit bounds our records: 63-byte fragments */
    struct srv *s = srv_new();
    r = connected(s);
    r->c.peer_rsl = 64;
    static uint8_t big[200];
    memset(big, 'z', sizeof big);
    assert_int_equal(tls_app_write(&r->c, big, sizeof big), sizeof big);
    uint8_t types[8], first[8];
    assert_int_equal(open_client(&r->c, &s->c_ap, types, first), 4);   /* 63+63+63+11 */
    free(r);
    free(s);
}

/* RFC 6066 4: max_fragment_length offered comes back in EE with the same
   value; it then bounds the server's records (plus the inner type byte) and
   ours; a receive buffer smaller than a record refuses it at the header. */
static void test_max_fragment_length(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r;
    ee_mfl = 3;                                             /* 2048 */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x01\x00\x01\x03", 5, &r),
                     TLS_ERR_DECRYPT_ERROR);               /* accepted (Finished differs) */
    assert_int_equal(tls_peer_max_fragment(&r->c), 2048);
    free(r);
    assert_int_equal(ee_case((const uint8_t *)"\x00\x01\x00\x01\x02", 5, NULL),
                     TLS_ERR_ILLEGAL_PARAMETER);           /* not the value offered */
    assert_int_equal(ee_case((const uint8_t *)"\x00\x01\x00\x02\x03\x00", 6, NULL),
                     TLS_ERR_DECODE);
    ee_mfl = 0;
    /* after the handshake: the server's records at most 2048 bytes */
    static uint8_t data[3000], rec[3100], small_rx[TLS_REC_HDR + 2048 + 1 + TLS_REC_TAG];
    memset(data, 'm', sizeof data);
    for (int acked = 0; acked < 2; acked++) {
        struct srv *s = srv_new();
        r = connected(s);
        r->cfg.max_fragment_length = 3;
        r->c.peer_mfl = acked ? 3 : 0;
        assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 2048, 0, rec)), TLS_OK);
        tls_app_ack(&r->c, 2048);
        int e = feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 2049, 0, rec));
        assert_int_equal(e, acked ? TLS_ERR_RECORD_OVERFLOW : TLS_OK);
        free(r);
        free(s);
    }
    /* ours: 2048-byte fragments */
    struct srv *s = srv_new();
    r = connected(s);
    r->c.peer_mfl = 3;
    assert_int_equal(tls_app_write(&r->c, data, 2500), 2500);
    uint8_t types[8], first[8];
    assert_int_equal(open_client(&r->c, &s->c_ap, types, first), 2);   /* 2048 + 452 */
    free(r);
    free(s);
    /* a receive buffer of one 2048-byte record: it fits, a larger one does not */
    s = srv_new();
    r = connected(s);
    tls_client_set_bufs(&r->c, small_rx, sizeof small_rx, r->bufs.tx, sizeof r->bufs.tx);
    assert_int_equal(tls_rx_cap(&r->c), sizeof small_rx);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 2048, 0, rec)), TLS_OK);
    tls_app_ack(&r->c, 2048);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, data, 2049, 0, rec)),
                     TLS_ERR_RECORD_OVERFLOW);
    free(r);
    free(s);
    /* a start without record buffers, or with too small ones: config error */
    static struct tls_conn c;
    static uint8_t hs[4096], tiny[64];
    struct tls_config cfg = { 0 };
    s = srv_new();
    r = client_after_sh(s);                                 /* a usable config */
    cfg = r->cfg;
    free(r);
    free(s);
    tls_client_init(&c, &cfg, "h", hs, sizeof hs);
    assert_int_equal(tls_client_start(&c), TLS_ERR_CONFIG);
    tls_client_init(&c, &cfg, "h", hs, sizeof hs);
    tls_client_set_bufs(&c, tiny, sizeof tiny, tiny, sizeof tiny);
    assert_int_equal(tls_client_start(&c), TLS_ERR_CONFIG);
    cfg.max_fragment_length = 5;
    static struct tls_bufs b;
    tls_client_init(&c, &cfg, "h", hs, sizeof hs);
    tls_client_use_bufs(&c, &b);
    assert_int_equal(tls_client_start(&c), TLS_ERR_CONFIG);
}

/* ---- ServerHello checks ---------------------------------------------------- */

/* Builds a ServerHello record from parts. exts is raw extension bytes. */
static size_t make_sh(uint8_t *out, const uint8_t *random, const uint8_t *sid, size_t sidlen,
                      uint16_t suite, uint8_t comp, const uint8_t *exts, size_t extlen)
{
    uint8_t *m = out + 5;
    size_t n = 4;
    m[n++] = 3; m[n++] = 3;
    memcpy(m + n, random, 32); n += 32;
    m[n++] = (uint8_t)sidlen;
    if (sidlen)
        memcpy(m + n, sid, sidlen);
    n += sidlen;
    m[n++] = (uint8_t)(suite >> 8); m[n++] = (uint8_t)suite;
    m[n++] = comp;
    m[n++] = (uint8_t)(extlen >> 8); m[n++] = (uint8_t)extlen;
    memcpy(m + n, exts, extlen); n += extlen;
    m[0] = 2; m[1] = 0; m[2] = (uint8_t)((n - 4) >> 8); m[3] = (uint8_t)(n - 4);
    rec_header(out, TLS_CT_HANDSHAKE, n);
    return n + 5;
}

static void sh_case(const uint8_t *random, const uint8_t *sid, size_t sidlen, uint16_t suite,
                    uint8_t comp, const uint8_t *exts, size_t extlen, int err, const char *name)
{
    struct replay *r = replay_new(s3, 0);
    uint8_t junk[1024], rec[512];
    drain_out(&r->c, junk, sizeof junk);
    size_t n = make_sh(rec, random, sid, sidlen, suite, comp, exts, extlen);
    int got = feed(&r->c, rec, n);
    if (got != err)
        fail_msg("%s: got %s want %s", name, tls_err_str(got), tls_err_str(err));
    assert_int_equal(tls_alert_sent(&r->c), tls_err_alert(err));
    free(r);
}

static void test_server_hello_checks(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct srv *s = srv_new();
    const uint8_t *sh = s->sh_rec + 5;
    const uint8_t *random = sh + 6;
    /* the trace's extensions: key_share (x25519) + supported_versions */
    const uint8_t *exts = sh + 4 + 2 + 32 + 1 + 2 + 1 + 2;
    size_t extlen = (size_t)sh[4 + 2 + 32 + 1 + 2 + 1] << 8 | sh[4 + 2 + 32 + 1 + 2 + 1 + 1];
    assert_int_equal(extlen, 0x2e);
    uint8_t ks_only[64], sv_only[8], ex[128];
    memcpy(ks_only, exts, 40);                 /* 00 33 00 24 ... (40 bytes) */
    memcpy(sv_only, exts + 40, 6);             /* 00 2b 00 02 03 04 */
    static const uint8_t sid[1] = { 7 };
    sh_case(random, NULL, 0, 0x1301, 0, exts, extlen, TLS_OK, "trace");
    sh_case(random, sid, 1, 0x1301, 0, exts, extlen, TLS_ERR_ILLEGAL_PARAMETER, "session id echo");
    sh_case(random, NULL, 0, 0x1304, 0, exts, extlen, TLS_ERR_ILLEGAL_PARAMETER, "suite not offered");
    sh_case(random, NULL, 0, 0x1301, 1, exts, extlen, TLS_ERR_ILLEGAL_PARAMETER, "compression");
    sh_case(random, NULL, 0, 0x1301, 0, ks_only, 40, TLS_ERR_PROTOCOL_VERSION, "no supported_versions");
    uint8_t dg[32];
    memcpy(dg, random, 32);
    memcpy(dg + 24, "DOWNGRD\x01", 8);
    sh_case(dg, NULL, 0, 0x1301, 0, ks_only, 40, TLS_ERR_DOWNGRADE, "downgrade sentinel TLS 1.2");
    sh_case(dg, NULL, 0, 0x1301, 0, exts, extlen, TLS_ERR_DOWNGRADE, "downgrade sentinel with 1.3");
    sh_case(random, NULL, 0, 0x1301, 0, sv_only, 6, TLS_ERR_MISSING_EXTENSION, "no key_share");
    /* supported_versions selecting TLS 1.2 */
    memcpy(ex, exts, extlen);
    ex[45] = 3;
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen, TLS_ERR_ILLEGAL_PARAMETER, "sv 1.2");
    /* key_share for secp256r1 (we sent x25519) */
    memcpy(ex, exts, extlen);
    ex[5] = 0x17;
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen, TLS_ERR_ILLEGAL_PARAMETER, "key_share group");
    /* all-zero x25519 share: low-order point */
    memcpy(ex, exts, extlen);
    memset(ex + 8, 0, 32);
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen, TLS_ERR_BAD_KEY_SHARE, "zero share");
    /* an unknown extension / a pre_shared_key we never offered */
    memcpy(ex, exts, extlen);
    memcpy(ex + extlen, "\xfe\xfe\x00\x00", 4);
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen + 4, TLS_ERR_UNSUPPORTED_EXTENSION, "unknown ext");
    memcpy(ex + extlen, "\x00\x29\x00\x02\x00\x00", 6);
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen + 6, TLS_ERR_UNSUPPORTED_EXTENSION, "psk");
    /* pre_shared_key when a ticket was offered: identity 1 (we sent one),
       or a suite whose hash differs from the ticket's */
    {
        static struct tls_ticket tk = { .len = 4, .suite = TLS_AES_256_GCM_SHA384 };
        for (int k = 0; k < 2; k++) {
            struct replay *r = replay_new(s3, 0);
            uint8_t junk[1024], rec[512];
            drain_out(&r->c, junk, sizeof junk);
            r->c.resume = &tk;
            r->c.psk_offered = 1;
            memcpy(ex + extlen, k ? "\x00\x29\x00\x02\x00\x01" : "\x00\x29\x00\x02\x00\x00", 6);
            size_t n = make_sh(rec, random, NULL, 0, 0x1301, 0, ex, extlen + 6);
            assert_int_equal(feed(&r->c, rec, n), TLS_ERR_ILLEGAL_PARAMETER);
            free(r);
        }
    }
    /* an extension that belongs elsewhere (ALPN in ServerHello) */
    memcpy(ex + extlen, "\x00\x10\x00\x05\x00\x03\x02h2", 9);
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen + 9, TLS_ERR_ILLEGAL_PARAMETER, "alpn in SH");
    /* duplicated supported_versions */
    memcpy(ex, exts, extlen);
    memcpy(ex + extlen, sv_only, 6);
    sh_case(random, NULL, 0, 0x1301, 0, ex, extlen + 6, TLS_ERR_DECODE, "duplicate sv");
    /* truncated extension block */
    sh_case(random, NULL, 0, 0x1301, 0, exts, extlen - 1, TLS_ERR_DECODE, "truncated");
    free(s);
}

static void test_hrr_checks(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const uint8_t hrr_random[32] = {
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
        0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c
    };
    static const uint8_t sv[] = { 0, 0x2b, 0, 2, 3, 4 };
    uint8_t ex[64];
    /* HRR asking for the group we already sent: illegal_parameter. */
    memcpy(ex, sv, 6);
    memcpy(ex + 6, "\x00\x33\x00\x02\x00\x1d", 6);
    sh_case(hrr_random, NULL, 0, 0x1301, 0, ex, 12, TLS_ERR_ILLEGAL_PARAMETER, "hrr same group");
    /* HRR for the hybrid, whose share we sent too. */
    memcpy(ex + 6, "\x00\x33\x00\x02\x11\xec", 6);
    sh_case(hrr_random, NULL, 0, 0x1301, 0, ex, 12, TLS_ERR_ILLEGAL_PARAMETER, "hrr hybrid");
    /* HRR for a group we did not offer (secp521r1). */
    memcpy(ex + 6, "\x00\x33\x00\x02\x00\x19", 6);
    sh_case(hrr_random, NULL, 0, 0x1301, 0, ex, 12, TLS_ERR_ILLEGAL_PARAMETER, "hrr p521");
    /* HRR that changes nothing. */
    sh_case(hrr_random, NULL, 0, 0x1301, 0, ex, 6, TLS_ERR_ILLEGAL_PARAMETER, "hrr no change");
    /* A valid HRR (secp256r1 + cookie) gets a second ClientHello with the
       cookie echoed and a P-256 share; a second HRR is unexpected_message. */
    struct replay *r = replay_new(s3, 0);
    uint8_t out[2048], rec[512];
    drain_out(&r->c, out, sizeof out);
    memcpy(ex + 6, "\x00\x33\x00\x02\x00\x17\x00\x2c\x00\x06\x00\x04" "ABCD", 16);
    size_t n = make_sh(rec, hrr_random, NULL, 0, 0x1301, 0, ex, 22);
    assert_int_equal(feed(&r->c, rec, n), TLS_OK);
    r->c.test_ch_n = 0;   /* (the trace hook only supplied CH1) */
    size_t on = drain_out(&r->c, out, sizeof out);
    assert_true(on > 100);
    assert_non_null(memmem(out, on, "\x00\x2c\x00\x06\x00\x04" "ABCD", 10));
    assert_non_null(memmem(out, on, "\x00\x17\x00\x41\x04", 5));
    assert_int_equal(feed(&r->c, rec, n), TLS_ERR_UNEXPECTED_MESSAGE);
    free(r);
}

/* ---- compatibility-mode CCS, SNI ------------------------------------------ */

/* Output records of the client: type of each and, for the first sealed one,
   its plaintext (opened with k). Returns the record count. */
static int client_records(struct tls_conn *c, struct tls_rec_keys *k, uint8_t *types,
                          uint8_t *pt, size_t *ptlen, uint8_t *inner)
{
    uint8_t out[8192];
    size_t n = drain_out(c, out, sizeof out), off = 0;
    int cnt = 0, opened = 0;
    while (off + 5 <= n) {
        size_t rl = 5 + ((size_t)out[off + 3] << 8 | out[off + 4]);
        assert_true(off + rl <= n);
        types[cnt++] = out[off];
        if (out[off] == TLS_CT_APPDATA && !opened) {
            assert_int_equal(rec_open(k, out + off, rl - 5, inner, ptlen), 0);
            memcpy(pt, out + off + 5, *ptlen);
            opened = 1;
        }
        off += rl;
    }
    assert_int_equal(off, n);
    return cnt;
}

static void test_compat_ccs_first(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const uint8_t ccs[] = { 0x14, 0x03, 0x03, 0x00, 0x01, 0x01 };
    uint8_t types[8], pt[2048], inner, rec[2048], fl[2048];
    size_t pl;
    /* A legacy_session_id (compatibility mode, D.4): an alert refusing the
       server's flight goes out encrypted after one dummy CCS, so strict
       peers can read it. */
    struct srv *s = srv_new();
    struct replay *r = client_after_sh(s);
    struct tls_rec_keys ck;
    keys_logged(r, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &ck, NULL);
    r->c.session_id_len = 32;          /* (the trace's ClientHello has none) */
    static const uint8_t dup_ee[] = { 8, 0, 0, 10, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0 };
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, dup_ee, sizeof dup_ee, 0, rec)),
                     TLS_ERR_ILLEGAL_PARAMETER);
    size_t on;
    const uint8_t *o = tls_out_peek(&r->c, &on);
    assert_true(on > sizeof ccs);
    assert_memory_equal(o, ccs, sizeof ccs);
    assert_int_equal(client_records(&r->c, &ck, types, pt, &pl, &inner), 2);
    assert_int_equal(types[1], TLS_CT_APPDATA);
    assert_int_equal(inner, TLS_CT_ALERT);
    assert_int_equal(pl, 2);
    assert_int_equal(pt[1], TLS_ALERT_ILLEGAL_PARAMETER);
    free(r);
    free(s);
    /* Our Finished flight: the CCS once, then the encrypted Finished. */
    s = srv_new();
    r = client_after_sh(s);
    keys_logged(r, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &ck, NULL);
    r->c.session_id_len = 32;
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, flight(s, fl), 0, rec)), TLS_OK);
    assert_int_equal(client_records(&r->c, &ck, types, pt, &pl, &inner), 2);
    assert_int_equal(types[0], TLS_CT_CCS);
    assert_int_equal(inner, TLS_CT_HANDSHAKE);
    assert_int_equal(pt[0], 20);
    /* no second CCS before application data */
    assert_int_equal(tls_app_write(&r->c, (const uint8_t *)"x", 1), 1);
    o = tls_out_peek(&r->c, &on);
    assert_non_null(o);
    assert_int_equal(o[0], TLS_CT_APPDATA);
    free(r);
    free(s);
}

static int zero_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, 7, len);
    return 0;
}

static void test_sni_trailing_dot(void **state)
{
    (void)state;
    static struct tls_conn c;
    static struct tls_bufs bufs;
    static uint8_t hs[4096];
    struct tls_config cfg = { .rng = zero_rng, .verify_chain = pin_chain, .verify_sig = accept_sig };
    static const uint8_t want[] = "\x00\x00\x0b" "example.com";
    const char *hosts[] = { "example.com.", "example.com" };
    for (int i = 0; i < 2; i++) {
        tls_client_init(&c, &cfg, hosts[i], hs, sizeof hs);
        tls_client_use_bufs(&c, &bufs);
        assert_int_equal(tls_client_start(&c), TLS_OK);
        size_t n;
        const uint8_t *o = tls_out_peek(&c, &n);
        assert_non_null(o);
        /* server_name: list length 14, host_name(0), length 11, the name */
        const uint8_t *p = memmem(o, n, want, sizeof want - 1);
        assert_non_null(p);
        assert_int_equal(p[-2] << 8 | p[-1], 14);
        assert_null(memmem(o, n, "example.com.", 12));
        tls_conn_wipe(&c);
    }
}

/* An address literal is no SNI HostName (RFC 6066 3): IPv6 literals, as
   URLs hand them over (RFC 5952 text, no brackets), send none; a name does. */
static void test_no_sni_for_ip_literals(void **state)
{
    (void)state;
    static struct tls_conn c;
    static struct tls_bufs bufs;
    static uint8_t hs[4096];
    struct tls_config cfg = { .rng = zero_rng, .verify_chain = pin_chain, .verify_sig = accept_sig };
    const char *hosts[] = { "2001:db8::1", "::1", "::ffff:10.0.2.2", "10.0.2.2", "h.test" };
    for (int i = 0; i < 5; i++) {
        tls_client_init(&c, &cfg, hosts[i], hs, sizeof hs);
        tls_client_use_bufs(&c, &bufs);
        assert_int_equal(tls_client_start(&c), TLS_OK);
        size_t n;
        const uint8_t *o = tls_out_peek(&c, &n);
        assert_non_null(o);
        bool named = memmem(o, n, hosts[i], strlen(hosts[i])) != NULL;
        assert_int_equal(named, i == 4);
        assert_int_equal(c.sent_sni, i == 4);
        tls_conn_wipe(&c);
    }
}

/* ---- extension blocks --------------------------------------------------- */

/* A NewSessionTicket (lifetime 60, 1-byte nonce, 4-byte ticket) with ext. */
static size_t make_nst(uint8_t *m, const uint8_t *ext, size_t extlen)
{
    size_t n = 4;
    static const uint8_t head[] = { 0, 0, 0, 60, 1, 2, 3, 4, 1, 9, 0, 4, 't', 'k', 't', '!' };
    memcpy(m + n, head, sizeof head); n += sizeof head;
    m[n++] = (uint8_t)(extlen >> 8); m[n++] = (uint8_t)extlen;
    memcpy(m + n, ext, extlen); n += extlen;
    m[0] = 4; m[1] = 0; m[2] = (uint8_t)((n - 4) >> 8); m[3] = (uint8_t)(n - 4);
    return n;
}

static void test_repeated_extensions(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    /* NewSessionTicket: unknown extensions are ignored, but each type once
       (RFC 8446 4.2), whatever its value. */
    static const uint8_t two[] = { 0xaa, 0xaa, 0, 0, 0xbb, 0xbb, 0, 1, 0 };
    static const uint8_t rep[] = { 0xaa, 0xaa, 0, 0, 0xbb, 0xbb, 0, 1, 0, 0xaa, 0xaa, 0, 0 };
    static const uint8_t rep_low[] = { 0, 42, 0, 4, 0, 0, 1, 0, 0, 42, 0, 4, 0, 0, 1, 0 };
    uint8_t nst[512], ext[600], rec[1024];
    struct srv *s = srv_new();
    struct replay *r = connected(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, nst, make_nst(nst, two, sizeof two), 0, rec)),
                     TLS_OK);
    assert_int_equal(r->c.tickets_seen, 1);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, nst, make_nst(nst, rep, sizeof rep), 0, rec)),
                     TLS_ERR_ILLEGAL_PARAMETER);
    expect_fail(&r->c, TLS_ERR_ILLEGAL_PARAMETER, TLS_ALERT_ILLEGAL_PARAMETER);
    free(r);
    free(s);
    s = srv_new();
    r = connected(s);
    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, nst, make_nst(nst, rep_low, sizeof rep_low), 0, rec)),
                     TLS_ERR_ILLEGAL_PARAMETER);
    free(r);
    free(s);
    /* 64 distinct types are fine; a 65th extension in one block is refused. */
    for (int k = 64; k <= 65; k++) {
        s = srv_new();
        r = connected(s);
        for (int i = 0; i < k; i++) {
            ext[4 * i] = 0xf0; ext[4 * i + 1] = (uint8_t)i; ext[4 * i + 2] = 0; ext[4 * i + 3] = 0;
        }
        int e = feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, nst, make_nst(nst, ext, 4 * (size_t)k), 0, rec));
        assert_int_equal(e, k == 64 ? TLS_OK : TLS_ERR_DECODE);
        free(r);
        free(s);
    }
    /* CertificateRequest: unknown extensions are ignored, each type once. */
    static const uint8_t cr_rep[] = { 13, 0, 0, 23, 0, 0, 20, 0, 13, 0, 4, 0, 2, 8, 4,
                                      0xfe, 0x00, 0, 0, 0x12, 0x34, 0, 0, 0xfe, 0x00, 0, 0 };
    s = srv_new();
    r = client_after_sh(s);
    uint8_t fl[2048];
    memcpy(fl, s->ee, (size_t)s->ee_len);
    memcpy(fl + s->ee_len, cr_rep, sizeof cr_rep);
    assert_int_equal(feed(&r->c, rec, seal(&s->hs, TLS_CT_HANDSHAKE, fl, (size_t)s->ee_len + sizeof cr_rep, 0, rec)),
                     TLS_ERR_ILLEGAL_PARAMETER);
    expect_fail(&r->c, TLS_ERR_ILLEGAL_PARAMETER, TLS_ALERT_ILLEGAL_PARAMETER);
    free(r);
    free(s);
}

/* ---- client authentication ---------------------------------------------- */

struct signer {
    uint16_t scheme;
    int calls;
};

static enum tls_err fake_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                              uint8_t *sig, size_t cap, size_t *siglen)
{
    struct signer *g = ctx;
    (void)content; (void)len;
    assert_true(cap >= 3);
    g->scheme = scheme;
    g->calls++;
    sig[0] = (uint8_t)(scheme >> 8); sig[1] = (uint8_t)scheme; sig[2] = 0xaa;
    *siglen = 3;
    return TLS_OK;
}

/* Runs a handshake whose CertificateRequest carries cr_exts, the client
   holding one certificate and a key that can make the schemes `can`.
   Returns the engine error; on success *cert_entries and *cv_scheme (0:
   no CertificateVerify) describe the client's answer. */
static int client_auth_case(const uint8_t *cr_exts, size_t cr_extlen, const uint16_t *can, size_t ncan,
                            struct signer *g, int *cert_entries, uint16_t *cv_scheme)
{
    static const uint8_t ccert[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
    static const uint8_t *const certs[] = { ccert };
    static const size_t lens[] = { sizeof ccert };
    struct srv *s = srv_new();
    struct replay *r = replay_prepare(s3, 0);
    r->cfg.client_certs = certs;
    r->cfg.client_cert_lens = lens;
    r->cfg.client_cert_count = 1;
    r->cfg.client_sig_schemes = can;
    r->cfg.client_sig_scheme_count = ncan;
    r->cfg.client_sign = fake_sign;
    r->cfg.client_sign_ctx = g;
    client_after_sh_of(s, r);
    uint8_t msgs[2048];
    size_t n = 0;
    memcpy(msgs, s->ee, (size_t)s->ee_len); n += (size_t)s->ee_len;
    msgs[n] = 13; msgs[n + 1] = 0; msgs[n + 2] = (uint8_t)((cr_extlen + 3) >> 8);
    msgs[n + 3] = (uint8_t)(cr_extlen + 3); msgs[n + 4] = 0;
    msgs[n + 5] = (uint8_t)(cr_extlen >> 8); msgs[n + 6] = (uint8_t)cr_extlen;
    memcpy(msgs + n + 7, cr_exts, cr_extlen); n += 7 + cr_extlen;
    memcpy(msgs + n, s->cert, (size_t)s->cert_len); n += (size_t)s->cert_len;
    memcpy(msgs + n, s->cv, (size_t)s->cv_len); n += (size_t)s->cv_len;
    int e = feed_own_flight(s, r, msgs, n);
    if (e == TLS_OK) {
        assert_true(tls_handshake_done(&r->c));
        struct tls_rec_keys ck;
        keys_logged(r, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", &ck, NULL);
        uint8_t types[8], pt[2048], inner;
        size_t pl;
        assert_int_equal(client_records(&r->c, &ck, types, pt, &pl, &inner), 1);
        assert_int_equal(inner, TLS_CT_HANDSHAKE);
        /* Certificate: type, len, ctx 0, list<3> of (cert<3>, exts<2>) */
        assert_int_equal(pt[0], 11);
        size_t clen = (size_t)pt[1] << 16 | (size_t)pt[2] << 8 | pt[3];
        size_t list = (size_t)pt[5] << 16 | (size_t)pt[6] << 8 | pt[7];
        assert_int_equal(clen, 4 + list);
        *cert_entries = list ? 1 : 0;
        if (list)
            assert_int_equal(list, 3 + sizeof ccert + 2);
        const uint8_t *m = pt + 4 + clen;
        *cv_scheme = 0;
        if (m[0] == 15) {
            *cv_scheme = (uint16_t)(m[4] << 8 | m[5]);
            assert_int_equal(m[6] << 8 | m[7], 3);
            assert_int_equal(m[8] << 8 | m[9], *cv_scheme);     /* what the signer was asked */
            m += 4 + (m[1] << 16 | m[2] << 8 | m[3]);
        }
        assert_int_equal(m[0], 20);
    }
    free(r);
    free(s);
    return e;
}

static void test_client_auth_scheme(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    static const uint16_t p384[] = { TLS_SIG_ECDSA_P384_SHA384 };
    static const uint16_t both[] = { TLS_SIG_ECDSA_P256_SHA256, TLS_SIG_ECDSA_P384_SHA384 };
    static const uint8_t sa_384[] = { 0, 13, 0, 4, 0, 2, 5, 3 };
    static const uint8_t sa_256[] = { 0, 13, 0, 4, 0, 2, 4, 3 };
    static const uint8_t sa_pss_384_256[] = { 0, 13, 0, 8, 0, 6, 8, 4, 5, 3, 4, 3 };
    struct signer g = { 0, 0 };
    int entries;
    uint16_t cv;
    /* Only ecdsa_secp384r1_sha384 asked, the key is P-384: it signs. */
    assert_int_equal(client_auth_case(sa_384, sizeof sa_384, p384, 1, &g, &entries, &cv), TLS_OK);
    assert_int_equal(entries, 1);
    assert_int_equal(cv, TLS_SIG_ECDSA_P384_SHA384);
    assert_int_equal(g.scheme, TLS_SIG_ECDSA_P384_SHA384);
    assert_int_equal(g.calls, 1);
    /* Only P-256 asked, the key is P-384: an empty Certificate, no signature. */
    g.calls = 0;
    assert_int_equal(client_auth_case(sa_256, sizeof sa_256, p384, 1, &g, &entries, &cv), TLS_OK);
    assert_int_equal(entries, 0);
    assert_int_equal(cv, 0);
    assert_int_equal(g.calls, 0);
    /* A key making both: the first of the server's list that it can make. */
    assert_int_equal(client_auth_case(sa_pss_384_256, sizeof sa_pss_384_256, both, 2, &g, &entries, &cv),
                     TLS_OK);
    assert_int_equal(cv, TLS_SIG_ECDSA_P384_SHA384);
    assert_int_equal(client_auth_case(sa_256, sizeof sa_256, both, 2, &g, &entries, &cv), TLS_OK);
    assert_int_equal(cv, TLS_SIG_ECDSA_P256_SHA256);
    /* certificate_authorities: well-formed is accepted; an empty list, an
       empty name, a name overrunning the list, bytes after the list:
       decode_error. */
    uint8_t ex[64];
    memcpy(ex, sa_384, sizeof sa_384);
    static const struct { uint8_t b[12]; size_t n; } bad[] = {
        { { 0, 47, 0, 2, 0, 0 }, 6 },
        { { 0, 47, 0, 4, 0, 2, 0, 0 }, 8 },
        { { 0, 47, 0, 5, 0, 3, 0, 2, 'A' }, 9 },
        { { 0, 47, 0, 6, 0, 3, 0, 1, 'A', 0 }, 10 },
        { { 0, 47, 0, 1, 0 }, 5 },
    };
    static const uint8_t ca_good[] = { 0, 47, 0, 9, 0, 7, 0, 1, 'A', 0, 2, 'B', 'C' };
    memcpy(ex + sizeof sa_384, ca_good, sizeof ca_good);
    assert_int_equal(client_auth_case(ex, sizeof sa_384 + sizeof ca_good, p384, 1, &g, &entries, &cv), TLS_OK);
    assert_int_equal(cv, TLS_SIG_ECDSA_P384_SHA384);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(ex + sizeof sa_384, bad[i].b, bad[i].n);
        assert_int_equal(client_auth_case(ex, sizeof sa_384 + bad[i].n, p384, 1, &g, &entries, &cv),
                         TLS_ERR_DECODE);
    }
}

/* ---- denial-of-service bounds -------------------------------------------- */

static void test_dos_bounds(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    uint8_t rec[256];
    static const uint8_t uc[] = { 1, TLS_ALERT_USER_CANCELED };
    static const uint8_t ku[] = { 24, 0, 0, 1, 0 };
    uint8_t key[16], iv[12];
    for (int kind = 0; kind < 3; kind++) {
        for (int reset = 0; reset < 2; reset++) {
            struct srv *s = srv_new();
            struct replay *r = connected(s);
            for (int i = 0; i <= TLS_MAX_RUN; i++) {
                if (reset && i == TLS_MAX_RUN / 2) {
                    /* application data in between: the run restarts */
                    assert_int_equal(feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, (const uint8_t *)"d", 1, 0, rec)),
                                     TLS_OK);
                    tls_app_ack(&r->c, 1);
                }
                int e;
                if (kind == 0) {
                    e = feed(&r->c, rec, seal(&s->ap, TLS_CT_APPDATA, uc, 0, 0, rec));
                } else if (kind == 1) {
                    e = feed(&r->c, rec, seal(&s->ap, TLS_CT_ALERT, uc, 2, 0, rec));
                } else {
                    e = feed(&r->c, rec, seal(&s->ap, TLS_CT_HANDSHAKE, ku, 5, 0, rec));
                    assert_int_equal(ks_update_secret(&hash_sha256, s->s_ap_secret), 0);
                    assert_int_equal(ks_traffic_keys(&hash_sha256, s->s_ap_secret, key, 16, iv), 0);
                    assert_int_equal(rec_set_keys(&s->ap, TLS_AEAD_AES128_GCM, key, 16, iv), 0);
                }
                if (i < TLS_MAX_RUN || reset) {
                    if (e != TLS_OK)
                        fail_msg("kind %d reset %d record %d: %s", kind, reset, i, tls_err_str(e));
                } else {
                    assert_int_equal(e, TLS_ERR_UNEXPECTED_MESSAGE);
                    expect_fail(&r->c, TLS_ERR_UNEXPECTED_MESSAGE, TLS_ALERT_UNEXPECTED_MESSAGE);
                }
            }
            free(r);
            free(s);
        }
    }
}

/* The per-connection footprint the header documents: the engine struct
   (the record buffers are the caller's) plus a 12 KiB handshake buffer and
   default-sized record buffers stays within 41 KiB. */
static void test_resumption_api(void **state)
{
    (void)state;
    static struct tls_conn c;
    static uint8_t hs[2048];
    struct tls_config cfg = { 0 };
    struct tls_ticket tk = { .len = 8, .suite = TLS_AES_128_GCM_SHA256, .lifetime = 10 };
    tls_client_init(&c, &cfg, "h", hs, sizeof hs);
    assert_int_equal(tls_client_set_resumption(&c, &tk, 9999), TLS_OK);
    assert_int_equal(tls_client_set_resumption(&c, &tk, 10000), TLS_ERR_CONFIG);   /* expired */
    tk.len = 0;
    assert_int_equal(tls_client_set_resumption(&c, &tk, 0), TLS_ERR_CONFIG);
    tk.len = 8;
    tk.suite = 0x1304;
    assert_int_equal(tls_client_set_resumption(&c, &tk, 0), TLS_ERR_CONFIG);
    assert_false(tls_resumed(&c));
}

static void test_footprint(void **state)
{
    (void)state;
    assert_true(sizeof(struct tls_conn) + sizeof(struct tls_bufs) + 12 * 1024 <= 41 * 1024);
    assert_true(sizeof(struct tls_conn) < 9 * 1024);
    assert_true(sizeof(struct tls_bufs) >= TLS_RX_BUF + TLS_TX_BUF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fragmented_messages),
        cmocka_unit_test(test_byte_at_a_time_input),
        cmocka_unit_test(test_ccs_handling),
        cmocka_unit_test(test_bad_mac),
        cmocka_unit_test(test_oversized_records),
        cmocka_unit_test(test_record_size_limit_enforced),
        cmocka_unit_test(test_truncated_and_malformed),
        cmocka_unit_test(test_finished_and_cv_tampered),
        cmocka_unit_test(test_alert_received),
        cmocka_unit_test(test_key_update),
        cmocka_unit_test(test_ticket_and_post_handshake),
        cmocka_unit_test(test_server_hello_checks),
        cmocka_unit_test(test_encrypted_extensions),
        cmocka_unit_test(test_hrr_checks),
        cmocka_unit_test(test_compat_ccs_first),
        cmocka_unit_test(test_sni_trailing_dot),
        cmocka_unit_test(test_no_sni_for_ip_literals),
        cmocka_unit_test(test_repeated_extensions),
        cmocka_unit_test(test_client_auth_scheme),
        cmocka_unit_test(test_dos_bounds),
        cmocka_unit_test(test_resumption_api),
        cmocka_unit_test(test_footprint),
        cmocka_unit_test(test_max_fragment_length),
    };
    return cmocka_run_group_tests(tests, fake_srv_setup, fake_srv_teardown);
}
