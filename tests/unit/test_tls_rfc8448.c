/* RFC 8448 replay through the TLS 1.3 client engine.

   Section 3 (simple 1-RTT), section 5 (HelloRetryRequest), section 6
   (client authentication, see test_s6_client_auth_replay) and section 7
   (middlebox compatibility mode: CCS both ways): the engine runs
   with the traces' fixed randoms and ephemeral keys (queued rng) and, through
   the test hook tls_test_set_client_hellos(), sends the traces' exact
   ClientHello messages (our own ClientHello carries a different extension
   set, so without the hook the transcript would differ). Checked: every
   record the client emits (ClientHello(s), client Finished, application
   data, close_notify) byte for byte; every derived secret (early, handshake,
   master, c/s handshake and application traffic, exporter, resumption
   master, the ticket PSK) via the key log; that the server's records decrypt
   and its RSA-PSS CertificateVerify verifies with the X.509 module's
   signature check (RSA-1024 allowed only here). The chain check in this
   replay is a pin on the trace's self-signed certificate (x509_verify_chain
   refuses RSA < 2048 by policy, with no switch).
   Also: the key schedule functions against the trace's own intermediate
   values (transcript hashes given in the trace). */
#include "tls_trace.h"
#include "crypto/hash.h"
#include "tls/keysched.h"
#include "tls/tls_io.h"
#include "tls/tls_selftest.h"

static char *s3, *s4, *s5, *s6, *s7;

/* The secret in the key log equals the trace's "expanded"/"secret" value. */
static void expect_secret(const struct replay *r, const char *label, const char *t,
                          const char *step, const char *field)
{
    uint8_t want[64];
    long wl = trace_hex(t, step, 0, field, want, sizeof want);
    assert_true(wl > 0);
    size_t gl = 0;
    const uint8_t *got = klog_get(&r->kl, label, &gl);
    assert_non_null(got);
    assert_int_equal(gl, (size_t)wl);
    assert_memory_equal(got, want, gl);
}

static void check_handshake_secrets(const struct replay *r, const char *t)
{
    expect_secret(r, "X_EARLY_SECRET", t, "{server}  extract secret \"early\":", "secret (");
    expect_secret(r, "X_HANDSHAKE_SECRET", t, "{server}  extract secret \"handshake\":", "secret (");
    expect_secret(r, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", t, "{server}  derive secret \"tls13 c hs traffic\":", "expanded (");
    expect_secret(r, "SERVER_HANDSHAKE_TRAFFIC_SECRET", t, "{server}  derive secret \"tls13 s hs traffic\":", "expanded (");
    expect_secret(r, "X_MASTER_SECRET", t, "{server}  extract secret \"master\":", "secret (");
    expect_secret(r, "CLIENT_TRAFFIC_SECRET_0", t, "{server}  derive secret \"tls13 c ap traffic\":", "expanded (");
    expect_secret(r, "SERVER_TRAFFIC_SECRET_0", t, "{server}  derive secret \"tls13 s ap traffic\":", "expanded (");
    expect_secret(r, "EXPORTER_SECRET", t, "{server}  derive secret \"tls13 exp master\":", "expanded (");
    expect_secret(r, "X_RES_MASTER", t, "{client}  derive secret \"tls13 res master\":", "expanded (");
}

static void test_s3_full_replay(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r = replay_new(s3, 0);
    struct tls_conn *c = &r->c;
    /* The exact ClientHello record, record version 0x0301. */
    expect_out(c, s3, "{client}  send handshake record:", 0);
    feed_trace(c, s3, "{server}  send handshake record:", 0);   /* ServerHello */
    assert_int_equal(tls_suite(c), TLS_AES_128_GCM_SHA256);
    assert_int_equal(tls_group(c), TLS_GROUP_X25519);
    feed_trace(c, s3, "{server}  send handshake record:", 1);   /* EE..Finished */
    assert_int_equal(r->chain_calls, 1);
    assert_int_equal(r->sig_calls, 1);
    assert_true(tls_handshake_done(c));
    assert_int_equal(tls_sig_scheme(c), TLS_SIG_RSA_PSS_RSAE_SHA256);
    /* No legacy_session_id in the trace: no compatibility CCS, just Finished. */
    expect_out(c, s3, "{client}  send handshake record:", 1);
    check_handshake_secrets(r, s3);

    /* NewSessionTicket: kept, with the trace's resumption PSK. */
    feed_trace(c, s3, "{server}  send handshake record:", 2);
    const struct tls_ticket *tk = tls_ticket(c);
    assert_non_null(tk);
    uint8_t psk[48], nst[512];
    assert_int_equal(trace_hex(s3, "{server}  generate resumption secret", 0, "expanded (", psk, sizeof psk), 32);
    assert_memory_equal(tk->psk, psk, 32);
    long nl = trace_hex(s3, "{server}  construct a NewSessionTicket", 0, "NewSessionTicket (", nst, sizeof nst);
    assert_true(nl > 20);
    assert_int_equal(tk->lifetime, (uint32_t)nst[4] << 24 | (uint32_t)nst[5] << 16 | nst[6] << 8 | nst[7]);
    assert_int_equal(tk->len, 0xb2);     /* ticket<1..2^16-1> length in the trace */
    assert_int_equal(tk->max_early_data, 0x400);

    /* Application data both ways, then close_notify both ways. */
    uint8_t payload[64];
    long pl = trace_hex(s3, "{client}  send application_data record:", 0, "payload (", payload, sizeof payload);
    assert_int_equal(pl, 50);
    assert_int_equal(tls_app_write(c, payload, 50), 50);
    expect_out(c, s3, "{client}  send application_data record:", 0);
    feed_trace(c, s3, "{server}  send application_data record:", 0);
    size_t an;
    const uint8_t *ap = tls_app_peek(c, &an);
    assert_non_null(ap);
    assert_int_equal(an, 50);
    assert_memory_equal(ap, payload, 50);
    tls_app_ack(c, 50);
    assert_int_equal(tls_close(c), TLS_OK);
    expect_out(c, s3, "{client}  send alert record:", 0);
    feed_trace(c, s3, "{server}  send alert record:", 0);
    assert_true(tls_peer_closed(c));
    assert_int_equal(tls_error(c), TLS_OK);
    tls_conn_wipe(c);
    free(r);
}

static void test_s5_hrr_replay(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r = replay_new(s5, 1);
    struct tls_conn *c = &r->c;
    expect_out(c, s5, "{client}  send handshake record:", 0);
    feed_trace(c, s5, "{server}  send handshake record:", 0);   /* HelloRetryRequest */
    assert_false(tls_handshake_done(c));
    /* The second ClientHello (secp256r1 share, cookie), record version 0x0303. */
    expect_out(c, s5, "{client}  send handshake record:", 1);
    feed_trace(c, s5, "{server}  send handshake record:", 1);   /* ServerHello */
    assert_int_equal(tls_group(c), TLS_GROUP_SECP256R1);
    feed_trace(c, s5, "{server}  send handshake record:", 2);   /* EE..Finished */
    assert_true(tls_handshake_done(c));
    expect_out(c, s5, "{client}  send handshake record:", 2);   /* Finished */
    check_handshake_secrets(r, s5);
    assert_int_equal(tls_close(c), TLS_OK);
    expect_out(c, s5, "{client}  send alert record:", 0);
    feed_trace(c, s5, "{server}  send alert record:", 0);
    assert_true(tls_peer_closed(c));
    tls_conn_wipe(c);
    free(r);
}

/* Section 6: the server asks for a client certificate. The client's
   Certificate is the trace's RSA certificate; the signer callback checks
   that the content the engine asks it to sign verifies under the trace's
   own client signature (so the CertificateVerify content is exactly right)
   and returns that signature. The client's whole second flight must then
   equal the trace's record byte for byte. */
struct s6_signer {
    struct x509_pubkey key;
    uint8_t sig[512];
    size_t siglen;
    int calls;
};

static enum tls_err s6_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                            uint8_t *sig, size_t cap, size_t *siglen)
{
    struct s6_signer *s = ctx;
    s->calls++;
    if (scheme != TLS_SIG_RSA_PSS_RSAE_SHA256 || cap < s->siglen ||
        x509_test_verify_tls_signature_rsa1024(&s->key, scheme, content, len, s->sig, s->siglen) != X509_OK)
        return TLS_ERR_INTERNAL;
    memcpy(sig, s->sig, s->siglen);
    *siglen = s->siglen;
    return TLS_OK;
}

static void test_s6_client_auth_replay(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r = replay_new(s6, 0);
    struct tls_conn *c = &r->c;
    static uint8_t cmsg[1024], cv[256];
    long cl = trace_hex(s6, "{client}  construct a Certificate handshake", 0, "Certificate (", cmsg, sizeof cmsg);
    long vl = trace_hex(s6, "{client}  construct a CertificateVerify", 0, "CertificateVerify (", cv, sizeof cv);
    assert_true(cl > 11 && vl > 8);
    const uint8_t *cert = cmsg + 11;
    size_t certlen = (size_t)cmsg[8] << 16 | (size_t)cmsg[9] << 8 | cmsg[10];
    struct s6_signer sg = { 0 };
    struct x509_cert xc;
    assert_int_equal(x509_parse(&xc, cert, certlen), X509_OK);
    sg.key = xc.key;
    sg.siglen = (size_t)cv[6] << 8 | cv[7];
    assert_int_equal(sg.siglen + 8, (size_t)vl);
    memcpy(sg.sig, cv + 8, sg.siglen);
    r->cfg.client_certs = &cert;
    r->cfg.client_cert_lens = &certlen;
    r->cfg.client_cert_count = 1;
    static const uint16_t pss_scheme = TLS_SIG_RSA_PSS_RSAE_SHA256;
    r->cfg.client_sig_schemes = &pss_scheme;
    r->cfg.client_sig_scheme_count = 1;
    r->cfg.client_sign = s6_sign;
    r->cfg.client_sign_ctx = &sg;
    expect_out(c, s6, "{client}  send handshake record:", 0);
    feed_trace(c, s6, "{server}  send handshake record:", 0);
    feed_trace(c, s6, "{server}  send handshake record:", 1);   /* EE, CR, Cert, CV, Fin */
    assert_true(tls_handshake_done(c));
    assert_int_equal(tls_sig_scheme(c), TLS_SIG_ECDSA_P256_SHA256);
    assert_int_equal(sg.calls, 1);
    expect_out(c, s6, "{client}  send handshake record:", 1);   /* Cert, CV, Finished */
    check_handshake_secrets(r, s6);
    assert_int_equal(tls_close(c), TLS_OK);
    expect_out(c, s6, "{client}  send alert record:", 0);
    tls_conn_wipe(c);
    free(r);
}

/* Section 7: middlebox compatibility mode (32-byte legacy_session_id). The
   server's CCS between ServerHello and its encrypted flight is dropped, and
   our second flight is CCS then Finished, both exactly the trace's records. */
static void test_s7_compat_replay(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    struct replay *r = replay_new(s7, 0);
    struct tls_conn *c = &r->c;
    expect_out(c, s7, "{client}  send handshake record:", 0);
    feed_trace(c, s7, "{server}  send handshake record:", 0);
    feed_trace(c, s7, "{server}  send change_cipher_spec record:", 0);
    feed_trace(c, s7, "{server}  send handshake record:", 1);
    assert_true(tls_handshake_done(c));
    uint8_t want[128], got[256];
    long n1 = trace_hex(s7, "{client}  send change_cipher_spec record:", 0, "complete record (", want, sizeof want);
    long n2 = trace_hex(s7, "{client}  send handshake record:", 1, "complete record (", want + n1, sizeof want - (size_t)n1);
    assert_int_equal(n1, 6);
    assert_true(n2 > 0);
    size_t gl = drain_out(c, got, sizeof got);
    assert_int_equal(gl, (size_t)(n1 + n2));
    assert_memory_equal(got, want, gl);
    check_handshake_secrets(r, s7);
    assert_int_equal(tls_close(c), TLS_OK);
    expect_out(c, s7, "{client}  send alert record:", 0);
    feed_trace(c, s7, "{server}  send alert record:", 0);
    assert_true(tls_peer_closed(c));
    tls_conn_wipe(c);
    free(r);
}

/* tls_io over an in-memory transport replaying section 3: the blocking
   layer's handshake/send/recv/close loops, byte-exact on the wire. */
struct mem_io {
    uint8_t in[4096], out[4096];
    size_t in_len, in_off, out_len, chunk;
    int fail_read;
};

static long mem_read(void *ctx, uint8_t *buf, size_t len)
{
    struct mem_io *m = ctx;
    if (m->fail_read)
        return -1;
    if (m->in_off == m->in_len)
        return 0;
    size_t n = m->in_len - m->in_off;
    if (n > len)
        n = len;
    if (n > m->chunk)
        n = m->chunk;               /* short reads */
    memcpy(buf, m->in + m->in_off, n);
    m->in_off += n;
    return (long)n;
}

static long mem_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct mem_io *m = ctx;
    if (len > 7)
        len = 7;                    /* short writes */
    memcpy(m->out + m->out_len, buf, len);
    m->out_len += len;
    return (long)len;
}

static void mem_add(struct mem_io *m, const char *t, const char *step, int occ)
{
    long n = trace_hex(t, step, occ, "complete record (", m->in + m->in_len, sizeof m->in - m->in_len);
    assert_true(n > 0);
    m->in_len += (size_t)n;
}

static void expect_written(struct mem_io *m, size_t *off, const char *t, const char *step, int occ)
{
    uint8_t want[1024];
    long n = trace_hex(t, step, occ, "complete record (", want, sizeof want);
    assert_true(n > 0 && *off + (size_t)n <= m->out_len);
    assert_memory_equal(m->out + *off, want, (size_t)n);
    *off += (size_t)n;
}

static void test_s3_tls_io(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    for (size_t chunk = 3; chunk <= 4096; chunk *= 40) {
        struct replay *r = replay_prepare(s3, 0);  /* tls_io_handshake starts it */
        struct mem_io *m = calloc(1, sizeof *m);
        m->chunk = chunk;
        mem_add(m, s3, "{server}  send handshake record:", 0);
        mem_add(m, s3, "{server}  send handshake record:", 1);
        mem_add(m, s3, "{server}  send handshake record:", 2);          /* NewSessionTicket */
        mem_add(m, s3, "{server}  send application_data record:", 0);
        mem_add(m, s3, "{server}  send alert record:", 0);
        struct tls_io io;
        tls_io_init(&io, &r->c, mem_read, mem_write, m);
        assert_int_equal(tls_io_handshake(&io), TLS_OK);
        size_t off = 0;
        expect_written(m, &off, s3, "{client}  send handshake record:", 0);
        expect_written(m, &off, s3, "{client}  send handshake record:", 1);
        uint8_t payload[64], buf[64];
        assert_int_equal(trace_hex(s3, "{client}  send application_data record:", 0, "payload (", payload, 64), 50);
        assert_int_equal(tls_io_send(&io, payload, 50), TLS_OK);
        expect_written(m, &off, s3, "{client}  send application_data record:", 0);
        size_t got = 0;
        while (got < 50) {
            long n = tls_io_recv(&io, buf + got, 50 - got);
            assert_true(n > 0);
            got += (size_t)n;
        }
        assert_memory_equal(buf, payload, 50);
        assert_non_null(tls_ticket(&r->c));
        assert_int_equal(tls_io_recv(&io, buf, sizeof buf), 0);      /* close_notify */
        assert_int_equal(tls_io_close(&io), TLS_OK);
        expect_written(m, &off, s3, "{client}  send alert record:", 0);
        assert_int_equal(off, m->out_len);
        tls_conn_wipe(&r->c);
        free(m);
        free(r);
    }
}

static void test_tls_io_transport_errors(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    /* EOF in the middle of the server flight: TLS_ERR_CLOSED, no alert. */
    struct replay *r = replay_new(s3, 0);
    uint8_t junk[512];
    drain_out(&r->c, junk, sizeof junk);
    struct mem_io *m = calloc(1, sizeof *m);
    m->chunk = 4096;
    mem_add(m, s3, "{server}  send handshake record:", 0);
    m->in_len += 100;                      /* only part of the next record */
    long n = trace_hex(s3, "{server}  send handshake record:", 1, "complete record (", m->in + m->in_len - 100, 2000);
    assert_true(n > 100);
    struct tls_io io;
    tls_io_init(&io, &r->c, mem_read, mem_write, m);
    assert_int_equal(tls_io_handshake(&io), TLS_ERR_CLOSED);
    assert_string_equal(tls_error_str(&r->c), "closed");
    free(m);
    free(r);
    /* A failing read: TLS_ERR_TRANSPORT. */
    r = replay_new(s3, 0);
    drain_out(&r->c, junk, sizeof junk);
    m = calloc(1, sizeof *m);
    m->fail_read = 1;
    tls_io_init(&io, &r->c, mem_read, mem_write, m);
    assert_int_equal(tls_io_handshake(&io), TLS_ERR_TRANSPORT);
    free(m);
    free(r);
}

/* Key schedule functions against the trace's intermediate values. */
static void test_s3_keysched(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    const struct hash_alg *h = &hash_sha256;
    uint8_t early[32], want[64], hsec[32], ecdhe[32], th[32], out[64], ms[32];
    ks_early_secret(h, NULL, 0, early);
    assert_int_equal(trace_hex(s3, "{server}  extract secret \"early\":", 0, "secret (", want, 64), 32);
    assert_memory_equal(early, want, 32);
    assert_int_equal(trace_hex(s3, "{server}  extract secret \"handshake\":", 0, "IKM (", ecdhe, 32), 32);
    assert_int_equal(ks_next_stage(h, early, ecdhe, 32, hsec), 0);
    assert_int_equal(trace_hex(s3, "{server}  extract secret \"handshake\":", 0, "secret (", want, 64), 32);
    assert_memory_equal(hsec, want, 32);
    /* c hs traffic with the trace's transcript hash */
    assert_int_equal(trace_hex(s3, "{server}  derive secret \"tls13 c hs traffic\":", 0, "hash (", th, 32), 32);
    assert_int_equal(ks_derive(h, hsec, "c hs traffic", th, out), 0);
    assert_int_equal(trace_hex(s3, "{server}  derive secret \"tls13 c hs traffic\":", 0, "expanded (", want, 64), 32);
    assert_memory_equal(out, want, 32);
    assert_int_equal(ks_next_stage(h, hsec, NULL, 0, ms), 0);
    assert_int_equal(trace_hex(s3, "{server}  extract secret \"master\":", 0, "secret (", want, 64), 32);
    assert_memory_equal(ms, want, 32);
    /* server handshake traffic keys */
    uint8_t shs[32], key[16], iv[12];
    assert_int_equal(trace_hex(s3, "{server}  derive secret \"tls13 s hs traffic\":", 0, "expanded (", shs, 32), 32);
    assert_int_equal(ks_traffic_keys(h, shs, key, 16, iv), 0);
    assert_int_equal(trace_hex(s3, "{server}  derive write traffic keys for handshake data:", 0, "key expanded (", want, 64), 16);
    assert_memory_equal(key, want, 16);
    assert_int_equal(trace_hex(s3, "{server}  derive write traffic keys for handshake data:", 0, "iv expanded (", want, 64), 12);
    assert_memory_equal(iv, want, 12);
    /* server finished key and verify_data */
    assert_int_equal(ks_finished_key(h, shs, out), 0);
    assert_int_equal(trace_hex(s3, "{server}  calculate finished \"tls13 finished\":", 0, "expanded (", want, 64), 32);
    assert_memory_equal(out, want, 32);
    /* resumption PSK from res master and nonce 00 00 */
    uint8_t rm[32], nonce[2] = { 0, 0 };
    assert_int_equal(trace_hex(s3, "{client}  derive secret \"tls13 res master\":", 0, "expanded (", rm, 32), 32);
    assert_int_equal(ks_resumption_psk(h, rm, nonce, 2, out), 0);
    assert_int_equal(trace_hex(s3, "{server}  generate resumption secret", 0, "expanded (", want, 64), 32);
    assert_memory_equal(out, want, 32);
    /* KeyUpdate changes the secret deterministically and never to itself */
    memcpy(out, rm, 32);
    assert_int_equal(ks_update_secret(h, out), 0);
    assert_memory_not_equal(out, rm, 32);
}

/* Section 4: the PSK binder (4.2.11.2) from the section 3 ticket's PSK:
   early secret, binder key, its finished key and the binder over the
   trace's truncated-ClientHello hash. */
static void test_s4_psk_binder(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED);  /* the RFC 8448 trace */
    const struct hash_alg *h = &hash_sha256;
    uint8_t psk[32], early[32], bk[32], fk[32], th[32], binder[32], want[64];
    assert_int_equal(trace_hex(s4, "{client}  extract secret \"early\":", 0, "IKM (", psk, 32), 32);
    ks_early_secret(h, psk, 32, early);
    assert_int_equal(trace_hex(s4, "{client}  extract secret \"early\":", 0, "secret (", want, 64), 32);
    assert_memory_equal(early, want, 32);
    assert_int_equal(ks_binder_key(h, early, bk), 0);
    assert_int_equal(trace_hex(s4, "{client}  calculate PSK binder:", 0, "PRK (", want, 64), 32);
    assert_memory_equal(bk, want, 32);
    assert_int_equal(ks_finished_key(h, bk, fk), 0);
    assert_int_equal(trace_hex(s4, "{client}  calculate PSK binder:", 0, "expanded (", want, 64), 32);
    assert_memory_equal(fk, want, 32);
    assert_int_equal(trace_hex(s4, "{client}  calculate PSK binder:", 0, "binder hash (", th, 32), 32);
    assert_int_equal(ks_finished(h, bk, th, binder), 0);
    assert_int_equal(trace_hex(s4, "{client}  calculate PSK binder:", 0, "finished (", want, 64), 32);
    assert_memory_equal(binder, want, 32);
    /* and the section 3 ticket's PSK is this IKM */
    assert_int_equal(trace_hex(s3, "{server}  generate resumption secret", 0, "expanded (", want, 64), 32);
    assert_memory_equal(psk, want, 32);
}

/* The kernel's self-test (same trace, embedded data) passes on the host. */
static void test_kernel_selftest(void **state)
{
    (void)state;
    char msg[128];
    assert_int_equal(tls_selftest(msg, sizeof msg), TLS_OK);
    assert_string_equal(msg, "rfc8448_sec3 handshake+data+close");
}

static int setup(void **state)
{
    (void)state;
    if (!unit_have(UNIT_SHARED))
        return 0;   /* the tests that need the traces skip themselves */
    s3 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section3_simple_1rtt_handshake.txt"), NULL);
    s4 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section4_resumed_0rtt_handshake.txt"), NULL);
    s5 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section5_hello_retry_request.txt"), NULL);
    s6 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section6_client_authentication.txt"), NULL);
    s7 = unit_read_file(unit_path(UNIT_SHARED, "rfc8448/section7_compatibility_mode.txt"), NULL);
    return s3 && s4 && s5 && s6 && s7 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(s3);
    free(s4);
    free(s5);
    free(s6);
    free(s7);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s3_keysched),
        cmocka_unit_test(test_s3_full_replay),
        cmocka_unit_test(test_s4_psk_binder),
        cmocka_unit_test(test_kernel_selftest),
        cmocka_unit_test(test_s5_hrr_replay),
        cmocka_unit_test(test_s6_client_auth_replay),
        cmocka_unit_test(test_s7_compat_replay),
        cmocka_unit_test(test_s3_tls_io),
        cmocka_unit_test(test_tls_io_transport_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
