/* TLS engine known-answer self-test over the RFC 8448 section 3 trace
   (IETF Trust; see tests/vectors/README.md). see tls_selftest.h */
#include "tls/tls_selftest.h"
#include <string.h>
#include "crypto/hash.h"
#include "lib/bytes.h"
#include "lib/fmt.h"
#include "tls/tls.h"
#include "tls/x509.h"

#ifndef TLS_TEST_HOOKS
bool tls_selftest_available(void) { return false; }
int tls_selftest(char *msg, size_t cap)
{
    fmt_snprintf(msg, cap, "built without TLS_TEST_HOOKS");
    return TLS_OK;
}
#else
bool tls_selftest_available(void) { return true; }


static const char ST_CH[] =
    "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201"
    "0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400"
    "230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00"
    "03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c"
    "00024001"
    ;  /* 196 bytes */
static const char ST_XPRIV[] =
    "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"
    ;  /* 32 bytes */
static const char ST_SH[] =
    "160303005a020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e269280013010000"
    "2e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304"
    ;  /* 95 bytes */
static const char ST_FLIGHT[] =
    "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848a7ca"
    "07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7b13b"
    "d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325250c"
    "7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd61092"
    "8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fcf2a8"
    "9441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5e22f"
    "4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f292a3"
    "6ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3bd7e"
    "1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48052c"
    "f93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881edbe"
    "5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa388cb"
    "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b66763038"
    "ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd50278"
    "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be898e"
    "750edc53370d2b"
    ;  /* 679 bytes */
static const char ST_NST[] =
    "17030300de3a6b8f90414a97d6959c3487680de5134a2b240e6cffac116e95d41d6af8f6b580dcf3d11d63c758db289a"
    "015940252f55713e061dc13e078891a38efbcf5753ad8ef170ad3c7353d16d9da773b9ca7f2b9fa1b6c0d4a3d03f75e0"
    "9c30ba1e62972ac46f75f7b981be63439b2999ce13064615139891d5e4c5b406f16e3fc181a77ca475840025db2f0a77"
    "f81b5ab05b94c01346755f69232c86519d86cbeeac87aac347d143f9605d64f650db4d023e70e952ca49fe5137121c74"
    "bc2697687e248746d6df353005f3bce18696129c8153556b3b6c6779b37bf15985684f"
    ;  /* 227 bytes */
static const char ST_CFIN[] =
    "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1c"
    "aeacab6867d726c40546"
    ;  /* 58 bytes */
static const char ST_CAPP[] =
    "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b"
    "62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4"
    ;  /* 72 bytes */
static const char ST_SAPP[] =
    "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8"
    "fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d"
    ;  /* 72 bytes */
static const char ST_CALERT[] =
    "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3"
    ;  /* 24 bytes */
static const char ST_SALERT[] =
    "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9"
    ;  /* 24 bytes */
/* SHA-256 of the trace's server certificate (432 bytes) */
static const char ST_CERT_SHA256[] = "a7ef15cef43e4b67bdb158fcc13cceef9041c8a6cef762046e825543a92bdc83";

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = strlen(h) / 2;
    if (n > cap)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = h[2 * i + k];
            v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
        }
        out[i] = (uint8_t)v;
    }
    return n;
}

struct st_ctx {
    uint8_t xpriv[32];
    int rng_calls;
    struct x509_pubkey leaf;
};

static int st_rng(void *ctx, uint8_t *out, size_t len)
{
    struct st_ctx *s = ctx;
    /* 32-byte calls: client random, session id (both replaced by the
       trace's ClientHello), then the x25519 private key (the ML-KEM seed of
       the default hybrid share, 64 bytes, comes before it: zeros) */
    if (len == 32 && ++s->rng_calls == 3)
        memcpy(out, s->xpriv, 32);
    else
        memset(out, 0, len);
    return 0;
}

static enum tls_err st_chain(void *ctx, const uint8_t *const *certs, const size_t *lens, size_t n,
                             const char *host)
{
    struct st_ctx *s = ctx;
    uint8_t d[32], want[32];
    struct x509_cert cert;
    if (n != 1 || strcmp(host, "server"))
        return TLS_ERR_CERT_UNTRUSTED;
    hash_digest(&hash_sha256, certs[0], lens[0], d);
    unhex(ST_CERT_SHA256, want, sizeof want);
    if (memcmp(d, want, 32))
        return TLS_ERR_CERT_UNTRUSTED;
    if (x509_parse(&cert, certs[0], lens[0]) != X509_OK)
        return TLS_ERR_BAD_CERTIFICATE;
    s->leaf = cert.key;
    return TLS_OK;
}

static enum tls_err st_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                           const uint8_t *sig, size_t siglen)
{
    struct st_ctx *s = ctx;
    return x509_test_verify_tls_signature_rsa1024(&s->leaf, scheme, content, len, sig, siglen) == X509_OK
               ? TLS_OK : TLS_ERR_DECRYPT_ERROR;
}

static struct tls_conn st_conn;
static struct tls_bufs st_bufs;
static uint8_t st_hs[4096], st_buf[1024], st_out[1024];

/* Feeds a server record given in hex. */
static int st_feed(const char *hex)
{
    size_t n = unhex(hex, st_buf, sizeof st_buf);
    if (!n || tls_feed(&st_conn, st_buf, n) != n)
        return tls_error(&st_conn) ? tls_error(&st_conn) : TLS_ERR_INTERNAL;
    return tls_error(&st_conn);
}

/* The engine's pending output equals want[0..wantlen) (st_buf). */
static int st_expect_buf(size_t want)
{
    size_t got = 0, n;
    const uint8_t *p;
    while ((p = tls_out_peek(&st_conn, &n))) {
        if (got + n > sizeof st_out)
            return TLS_ERR_INTERNAL;
        memcpy(st_out + got, p, n);
        got += n;
        tls_out_ack(&st_conn, n);
    }
    return got == want && !memcmp(st_out, st_buf, got) ? TLS_OK : TLS_ERR_INTERNAL;
}

/* ... equals the records given in hex. */
static int st_expect(const char *hex)
{
    return st_expect_buf(unhex(hex, st_buf, sizeof st_buf));
}

/* ... equals the trace's ClientHello in a record with version 0x0301. */
static int st_expect_ch(const uint8_t *ch, size_t len)
{
    st_buf[0] = 22;
    st_buf[1] = 3;
    st_buf[2] = 1;
    be16_put(st_buf + 3, (uint16_t)len);
    memcpy(st_buf + 5, ch, len);
    return st_expect_buf(len + 5);
}

int tls_selftest(char *msg, size_t cap)
{
    static struct st_ctx s;
    static uint8_t ch[256], payload[50];
    struct tls_config cfg;
    const char *step = "clienthello";
    int e;
    memset(&s, 0, sizeof s);
    memset(&cfg, 0, sizeof cfg);
    unhex(ST_XPRIV, s.xpriv, sizeof s.xpriv);
    size_t chlen = unhex(ST_CH, ch, sizeof ch);
    cfg.rng = st_rng;
    cfg.rng_ctx = &s;
    cfg.verify_chain = st_chain;
    cfg.verify_sig = st_sig;
    cfg.verify_ctx = &s;
    tls_client_init(&st_conn, &cfg, "server", st_hs, sizeof st_hs);
    tls_client_use_bufs(&st_conn, &st_bufs);
    tls_test_set_client_hellos(&st_conn, ch, chlen, NULL, 0);
    if ((e = tls_client_start(&st_conn)) || (e = st_expect_ch(ch, chlen)))
        goto out;
    step = "serverhello";
    if ((e = st_feed(ST_SH)))
        goto out;
    step = "server_flight";
    if ((e = st_feed(ST_FLIGHT)))
        goto out;
    step = "client_finished";
    if (!tls_handshake_done(&st_conn) || tls_suite(&st_conn) != TLS_AES_128_GCM_SHA256 ||
        tls_sig_scheme(&st_conn) != TLS_SIG_RSA_PSS_RSAE_SHA256) {
        e = TLS_ERR_INTERNAL;
        goto out;
    }
    if ((e = st_expect(ST_CFIN)))
        goto out;
    step = "ticket";
    if ((e = st_feed(ST_NST)))
        goto out;
    if (!tls_ticket(&st_conn)) {
        e = TLS_ERR_INTERNAL;
        goto out;
    }
    step = "app_data";
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    if (tls_app_write(&st_conn, payload, sizeof payload) != sizeof payload) {
        e = TLS_ERR_INTERNAL;
        goto out;
    }
    if ((e = st_expect(ST_CAPP)) || (e = st_feed(ST_SAPP)))
        goto out;
    size_t an;
    const uint8_t *ap = tls_app_peek(&st_conn, &an);
    if (!ap || an != sizeof payload || memcmp(ap, payload, an)) {
        e = TLS_ERR_INTERNAL;
        goto out;
    }
    tls_app_ack(&st_conn, an);
    step = "close_notify";
    if ((e = tls_close(&st_conn)) || (e = st_expect(ST_CALERT)) || (e = st_feed(ST_SALERT)))
        goto out;
    if (!tls_peer_closed(&st_conn))
        e = TLS_ERR_INTERNAL;
out:
    if (msg && cap)
        fmt_snprintf(msg, cap, "rfc8448_sec3 %s%s%s", e ? step : "handshake+data+close",
                     e ? ":" : "", e ? tls_err_str(e) : "");
    tls_conn_wipe(&st_conn);
    return e;
}
#endif
