/* Differential in-process tests: our client engine against an OpenSSL
   (libssl) TLS 1.3 server over memory BIOs, no sockets. The server's
   certificate (P-256, SAN localhost) is made at run time with libcrypto.
   Covered: every suite, bulk data both ways with server record padding and
   small server fragments, server-initiated KeyUpdates, HRR (server groups
   P-256 only, and P-384 only), the fallback to our x25519 share without
   HRR (libssl 3.0 has no ML-KEM), three NewSessionTickets and resumption, mTLS with a libcrypto
   ECDSA signer on the client side, and the empty-Certificate answer without
   a client credential. Test code only: libssl is the reference peer. */
#define _GNU_SOURCE
#include "unit.h"
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/random.h>
#include "tls/tls.h"
#include "tls/x509.h"

static EVP_PKEY *srv_key, *cli_key;
static X509 *srv_cert, *cli_cert;
static uint8_t *srv_der, *cli_der;
static size_t srv_der_len, cli_der_len;

static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *san)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, n);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    X509_sign(x, key, EVP_sha256());
    return x;
}

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

/* Chain check for the test: the leaf must be our server certificate
   (pinned), the host must match its SAN (X.509 module), and its key is
   kept for CertificateVerify (checked by the X.509 module). */
struct vctx {
    struct x509_pubkey leaf;
};

static enum tls_err verify_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n,
                                 const char *host)
{
    struct vctx *v = ctx;
    struct x509_cert c;
    if (n < 1 || lens[0] != srv_der_len || memcmp(certs[0], srv_der, srv_der_len))
        return TLS_ERR_CERT_UNTRUSTED;
    if (x509_parse(&c, certs[0], lens[0]) != X509_OK)
        return TLS_ERR_BAD_CERTIFICATE;
    if (x509_check_host(&c, host) != X509_OK)
        return TLS_ERR_HOSTNAME_MISMATCH;
    v->leaf = c.key;
    return TLS_OK;
}

static enum tls_err verify_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                               const uint8_t *sig, size_t siglen)
{
    struct vctx *v = ctx;
    return x509_verify_tls_signature(&v->leaf, scheme, content, len, sig, siglen) == X509_OK
               ? TLS_OK : TLS_ERR_DECRYPT_ERROR;
}

static enum tls_err sign_p256(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                              uint8_t *sig, size_t cap, size_t *siglen)
{
    (void)ctx;
    if (scheme != TLS_SIG_ECDSA_P256_SHA256)
        return TLS_ERR_INTERNAL;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t n = cap;
    int ok = EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, cli_key) == 1 &&
             EVP_DigestSign(md, sig, &n, content, len) == 1;
    EVP_MD_CTX_free(md);
    *siglen = n;
    return ok ? TLS_OK : TLS_ERR_INTERNAL;
}

static int accept_any(int ok, X509_STORE_CTX *x)
{
    (void)ok;
    (void)x;
    return 1;
}

/* One client/server pair over memory BIOs. */
struct pair {
    struct tls_conn c;
    struct tls_bufs bufs;
    uint8_t hs[16384];
    struct tls_config cfg;
    struct vctx v;
    SSL_CTX *sctx;
    SSL *s;
    BIO *s_in, *s_out;
};

static struct pair *pair_new(void (*tweak)(SSL_CTX *))
{
    struct pair *p = calloc(1, sizeof *p);
    p->sctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(p->sctx, TLS1_3_VERSION);
    SSL_CTX_use_certificate(p->sctx, srv_cert);
    SSL_CTX_use_PrivateKey(p->sctx, srv_key);
    if (tweak)
        tweak(p->sctx);
    p->s = SSL_new(p->sctx);
    p->s_in = BIO_new(BIO_s_mem());
    p->s_out = BIO_new(BIO_s_mem());
    SSL_set_bio(p->s, p->s_in, p->s_out);
    SSL_set_accept_state(p->s);
    p->cfg.rng = rng;
    p->cfg.verify_chain = verify_chain;
    p->cfg.verify_sig = verify_sig;
    p->cfg.verify_ctx = &p->v;
    return p;
}

static void pair_free(struct pair *p)
{
    tls_conn_wipe(&p->c);
    SSL_free(p->s);
    SSL_CTX_free(p->sctx);
    free(p);
}

/* Moves bytes both ways once; returns how many moved. */
static size_t pump(struct pair *p)
{
    size_t moved = 0, n;
    const uint8_t *o;
    while ((o = tls_out_peek(&p->c, &n))) {
        BIO_write(p->s_in, o, (int)n);
        tls_out_ack(&p->c, n);
        moved += n;
    }
    uint8_t buf[8192];
    int r;
    if (!SSL_is_init_finished(p->s))
        SSL_do_handshake(p->s);
    else {
        uint8_t sink[1];
        SSL_peek(p->s, sink, 0);      /* lets the server process post-handshake input */
    }
    while ((r = BIO_read(p->s_out, buf, sizeof buf)) > 0) {
        size_t off = 0;
        while (off < (size_t)r) {
            size_t used = tls_feed(&p->c, buf + off, (size_t)r - off);
            off += used;
            if (tls_error(&p->c))
                return moved;
            if (!used) {
                size_t an;
                if (tls_app_peek(&p->c, &an))
                    tls_app_ack(&p->c, an);    /* callers that care read before pumping */
                else
                    break;
            }
        }
        moved += (size_t)r;
    }
    return moved;
}

static void handshake(struct pair *p)
{
    assert_int_equal(tls_client_start(&p->c), TLS_OK);
    for (int i = 0; i < 20 && !(tls_handshake_done(&p->c) && SSL_is_init_finished(p->s)); i++)
        if (!pump(p) && tls_error(&p->c))
            break;
    if (tls_error(&p->c))
        fail_msg("client: %s", tls_error_str(&p->c));
    assert_true(tls_handshake_done(&p->c));
    assert_true(SSL_is_init_finished(p->s));
}

static void set_padding(SSL_CTX *c)
{
    SSL_CTX_set_block_padding(c, 512);
    SSL_CTX_set_max_send_fragment(c, 700);
}

/* Bulk data both ways through padded, small server records. */
static void test_bulk_padding_fragments(void **state)
{
    (void)state;
    static const uint16_t suites[] = { TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
                                       TLS_CHACHA20_POLY1305_SHA256 };
    for (size_t si = 0; si < 3; si++) {
        struct pair *p = pair_new(set_padding);
        p->cfg.suites = &suites[si];
        p->cfg.suite_count = 1;
        tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
        tls_client_use_bufs(&p->c, &p->bufs);
        handshake(p);
        assert_int_equal(tls_suite(&p->c), suites[si]);
        static uint8_t data[100000], got[100000];
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (uint8_t)(i * 31 + si);
        /* client -> server */
        size_t sent = 0;
        while (sent < sizeof data) {
            sent += tls_app_write(&p->c, data + sent, sizeof data - sent);
            pump(p);
        }
        size_t n = 0;
        int r;
        while (n < sizeof data && (r = SSL_read(p->s, got + n, (int)(sizeof got - n))) > 0)
            n += (size_t)r;
        assert_int_equal(n, sizeof data);
        assert_memory_equal(got, data, n);
        /* server -> client: 700-byte records (OpenSSL caps padding at the
           fragment size, so only short records get padded: checked below) */
        assert_int_equal(SSL_write(p->s, data, sizeof data), (int)sizeof data);
        n = 0;
        uint8_t buf[8192];
        while (n < sizeof data) {
            size_t an;
            const uint8_t *ap = tls_app_peek(&p->c, &an);
            if (ap) {
                memcpy(got + n, ap, an);
                n += an;
                tls_app_ack(&p->c, an);
                continue;
            }
            int k = BIO_read(p->s_out, buf, sizeof buf);
            assert_true(k > 0);
            size_t off = 0;
            while (off < (size_t)k) {
                off += tls_feed(&p->c, buf + off, (size_t)k - off);
                assert_int_equal(tls_error(&p->c), TLS_OK);
                ap = tls_app_peek(&p->c, &an);
                if (ap) {
                    memcpy(got + n, ap, an);
                    n += an;
                    tls_app_ack(&p->c, an);
                }
            }
        }
        assert_int_equal(n, sizeof data);
        assert_memory_equal(got, data, n);
        /* a short record padded to 512 bytes of inner plaintext */
        assert_int_equal(SSL_write(p->s, "hi", 2), 2);
        char *pending;
        long plen = BIO_get_mem_data(p->s_out, &pending);
        assert_int_equal(plen, 5 + 512 + 16);
        assert_int_equal(BIO_read(p->s_out, buf, sizeof buf), (int)plen);
        assert_int_equal(tls_feed(&p->c, buf, (size_t)plen), (size_t)plen);
        size_t an;
        const uint8_t *ap = tls_app_peek(&p->c, &an);
        assert_non_null(ap);
        assert_int_equal(an, 2);
        assert_memory_equal(ap, "hi", 2);
        pair_free(p);
    }
}

static void test_server_key_updates(void **state)
{
    (void)state;
    struct pair *p = pair_new(NULL);
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    handshake(p);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(SSL_key_update(p->s, SSL_KEY_UPDATE_REQUESTED), 1);
        char msg[32];
        int ml = snprintf(msg, sizeof msg, "after update %d", i);
        assert_int_equal(SSL_write(p->s, msg, ml), ml);
        pump(p);
        /* our answer rides in front of our next data; the server reads it */
        assert_int_equal(tls_app_write(&p->c, (const uint8_t *)"ack", 3), 3);
        pump(p);
        char buf[8];
        assert_int_equal(SSL_read(p->s, buf, sizeof buf), 3);
        assert_memory_equal(buf, "ack", 3);
    }
    assert_int_equal(p->c.key_updates_rcvd, 3);
    assert_int_equal(p->c.key_updates_sent, 3);
    pair_free(p);
}

static void only_p256(SSL_CTX *c)
{
    SSL_CTX_set1_groups_list(c, "P-256");
    SSL_CTX_set_num_tickets(c, 3);
}

static void test_hrr_tickets_resumption(void **state)
{
    (void)state;
    struct pair *p = pair_new(only_p256);
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    handshake(p);
    assert_int_equal(tls_group(&p->c), TLS_GROUP_SECP256R1);
    assert_true(p->c.hrr_done);
    SSL_write(p->s, "x", 1);
    pump(p);
    assert_int_equal(p->c.tickets_seen, 3);
    struct tls_ticket tk = *tls_ticket(&p->c);
    SSL_SESSION *sess = SSL_get1_session(p->s);
    SSL_CTX *keep = p->sctx;
    SSL_CTX_up_ref(keep);
    pair_free(p);
    SSL_SESSION_free(sess);
    /* resume on the same server context (its ticket keys) */
    p = calloc(1, sizeof *p);
    p->sctx = keep;
    p->s = SSL_new(keep);
    p->s_in = BIO_new(BIO_s_mem());
    p->s_out = BIO_new(BIO_s_mem());
    SSL_set_bio(p->s, p->s_in, p->s_out);
    SSL_set_accept_state(p->s);
    p->cfg.rng = rng;
    p->cfg.verify_chain = verify_chain;
    p->cfg.verify_sig = verify_sig;
    p->cfg.verify_ctx = &p->v;
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    assert_int_equal(tls_client_set_resumption(&p->c, &tk, 10), TLS_OK);
    handshake(p);
    assert_true(tls_resumed(&p->c));
    assert_true(SSL_session_reused(p->s));
    assert_int_equal(tls_sig_scheme(&p->c), 0);     /* no CertificateVerify */
    pair_free(p);
}

/* libssl 3.0 has no ML-KEM: it skips our X25519MLKEM768 share and takes
   the x25519 one sent beside it, with no HelloRetryRequest. */
static void test_no_mlkem_server(void **state)
{
    (void)state;
    struct pair *p = pair_new(NULL);
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    handshake(p);
    assert_int_equal(tls_group(&p->c), TLS_GROUP_X25519);
    assert_false(p->c.hrr_done);
    assert_int_equal(SSL_get_shared_group(p->s, 0), NID_X25519);
    pair_free(p);
}

static void only_p384(SSL_CTX *c)
{
    SSL_CTX_set1_groups_list(c, "P-384");
}

/* A server that takes only P-384 asks for it by HelloRetryRequest. */
static void test_hrr_p384(void **state)
{
    (void)state;
    struct pair *p = pair_new(only_p384);
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    handshake(p);
    assert_int_equal(tls_group(&p->c), TLS_GROUP_SECP384R1);
    assert_true(p->c.hrr_done);
    assert_int_equal(SSL_write(p->s, "p384", 4), 4);
    pump(p);
    size_t an;
    const uint8_t *ap = tls_app_peek(&p->c, &an);
    assert_non_null(ap);
    assert_int_equal(an, 4);
    assert_memory_equal(ap, "p384", 4);
    pair_free(p);
}

static void require_client_cert(SSL_CTX *c)
{
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, accept_any);
}

static void test_mtls(void **state)
{
    (void)state;
    /* with a credential: the server sees our certificate */
    struct pair *p = pair_new(require_client_cert);
    const uint8_t *certs[1] = { cli_der };
    size_t lens[1] = { cli_der_len };
    p->cfg.client_certs = certs;
    p->cfg.client_cert_lens = lens;
    p->cfg.client_cert_count = 1;
    static const uint16_t p256_scheme = TLS_SIG_ECDSA_P256_SHA256;
    p->cfg.client_sig_schemes = &p256_scheme;
    p->cfg.client_sig_scheme_count = 1;
    p->cfg.client_sign = sign_p256;
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    handshake(p);
    X509 *peer = SSL_get1_peer_certificate(p->s);
    assert_non_null(peer);
    assert_int_equal(X509_cmp(peer, cli_cert), 0);
    X509_free(peer);
    pair_free(p);
    /* without: empty Certificate, the server answers certificate_required */
    p = pair_new(require_client_cert);
    tls_client_init(&p->c, &p->cfg, "localhost", p->hs, sizeof p->hs);
    tls_client_use_bufs(&p->c, &p->bufs);
    assert_int_equal(tls_client_start(&p->c), TLS_OK);
    for (int i = 0; i < 10 && !tls_error(&p->c); i++) {
        pump(p);
        SSL_read(p->s, (char[1]){ 0 }, 1);
    }
    assert_int_equal(tls_error(&p->c), TLS_ERR_ALERT_RECEIVED);
    assert_int_equal(tls_alert_received(&p->c), TLS_ALERT_CERTIFICATE_REQUIRED);
    pair_free(p);
}

static int setup(void **state)
{
    (void)state;
    srv_key = EVP_EC_gen("P-256");
    cli_key = EVP_EC_gen("P-256");
    srv_cert = make_cert(srv_key, "localhost", "DNS:localhost");
    cli_cert = make_cert(cli_key, "client", "DNS:client.test");
    uint8_t *q = NULL;
    srv_der_len = (size_t)i2d_X509(srv_cert, &q);
    srv_der = q;
    q = NULL;
    cli_der_len = (size_t)i2d_X509(cli_cert, &q);
    cli_der = q;
    return srv_key && cli_key && srv_cert && cli_cert ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    OPENSSL_free(srv_der);
    OPENSSL_free(cli_der);
    X509_free(srv_cert);
    X509_free(cli_cert);
    EVP_PKEY_free(srv_key);
    EVP_PKEY_free(cli_key);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_padding_fragments),
        cmocka_unit_test(test_server_key_updates),
        cmocka_unit_test(test_hrr_tickets_resumption),
        cmocka_unit_test(test_mtls),
        cmocka_unit_test(test_no_mlkem_server),
        cmocka_unit_test(test_hrr_p384),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
