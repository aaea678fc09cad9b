/* Public-key benchmark: our X25519, P-256 ECDH/keygen, ECDSA P-256/P-384
   verify and RSA-2048 verify against OpenSSL libcrypto measured in the same
   run on the same inputs. RSA verify runs twice: on the path the host
   picks (AVX-512 IFMA where CPUID/XCR0 allow, crypto_use_ifma(); the row
   notes which) and on the portable 64-bit path (crypto_set_ifma(0)), the
   one the kernel always takes (it leaves AVX-512 state off). Prints ops/s and the ratio ours/OpenSSL, and
   writes each row to BENCH_ROWS_DIR/pk.tsv (bench_rows.h) for the table
   `make bench` prints with the targets (tests/bench/targets.tsv).
   Built -O2 against build/hostrel/libos.a (no sanitizers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>
#include <openssl/rand.h>
#include "crypto/x25519.h"
#include "crypto/p256.h"
#include "crypto/ecdsa.h"
#include "crypto/rsa.h"
#include "crypto/impl.h"
#include "bench_rows.h"

int ecdsa_sig_der_to_raw(const uint8_t *der, size_t len, uint8_t *r, uint8_t *s, size_t coord_len);

#define MIN_SECONDS 0.15
#define ROUNDS 4

static double now(void)
{
    struct timespec ts;
    /* thread CPU time: time slices lost to other processes on the shared
       machine do not count against either side */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fails;
#define CHECK(x) do { if (!(x)) { fprintf(stderr, "bench check failed: %s (line %d)\n", #x, __LINE__); fails++; } } while (0)

/* Runs fn(arg) in batches until MIN_SECONDS passed; returns ops/s. */
typedef int (*op_fn)(void *arg);
static double measure(op_fn fn, void *arg)
{
    long ops = 0;
    int bad = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < 16; i++)
            bad |= fn(arg);
        ops += 16;
        t = now() - t0;
    } while (t < MIN_SECONDS);
    CHECK(bad == 0);
    return ops / t;
}

/* A row whose operations failed a check is printed but not written: the
   table shows it as not measured. */
static void report(const char *id, const char *name, double ours, double theirs, int checked,
                   const char *note)
{
    printf("%-22s ours %10.0f ops/s   openssl %10.0f ops/s   ratio %.2f%s\n", name, ours, theirs,
           ours / theirs, checked ? "" : "   (an operation failed)");
    if (checked)
        bench_row_note("pk", id, ours, theirs, "ops/s", note);
}

/* Alternates ours / OpenSSL ROUNDS times and keeps the best rate of each, so
   load from other processes on the shared machine skews the ratio less.
   id: the row's id in pk.tsv and tests/bench/targets.tsv; note (NULL:
   none) goes with the row into the table. */
static void compare_note(const char *id, const char *name, op_fn ours_fn, void *ours_arg,
                         op_fn their_fn, void *their_arg, const char *note)
{
    double best_ours = 0, best_theirs = 0;
    int fails_before = fails;
    for (int r = 0; r < ROUNDS; r++) {
        double a = measure(ours_fn, ours_arg), b = measure(their_fn, their_arg);
        if (a > best_ours)
            best_ours = a;
        if (b > best_theirs)
            best_theirs = b;
    }
    report(id, name, best_ours, best_theirs, fails == fails_before, note);
}

static void compare(const char *id, const char *name, op_fn ours_fn, void *ours_arg, op_fn their_fn,
                    void *their_arg)
{
    compare_note(id, name, ours_fn, ours_arg, their_fn, their_arg, NULL);
}

/* ---- X25519 ---- */
static uint8_t xa[32], xbpub[32];
static EVP_PKEY_CTX *x_ctx;
static int our_x25519(void *a)
{
    uint8_t out[32];
    (void)a;
    return x25519(out, xa, xbpub) != CRYPTO_OK;
}
static int ossl_derive(void *a)
{
    uint8_t out[64];
    size_t len = sizeof out;
    return EVP_PKEY_derive((EVP_PKEY_CTX *)a, out, &len) != 1;
}

/* ---- P-256 ---- */
static uint8_t pa[32], pbpub[65];
static int our_p256_ecdh(void *a)
{
    uint8_t out[32];
    (void)a;
    return p256_ecdh(out, pa, pbpub, 65) != CRYPTO_OK;
}
static int our_p256_keygen(void *a)
{
    uint8_t pub[65];
    (void)a;
    return p256_keygen(pub, pa) != CRYPTO_OK;
}
/* one TLS-style ephemeral exchange: fresh key pair, then the shared secret */
static int our_p256_ecdhe(void *a)
{
    uint8_t pub[65], out[32];
    (void)a;
    pa[31] ^= 1; /* a different (still valid) private key each time */
    return p256_keygen(pub, pa) != CRYPTO_OK || p256_ecdh(out, pa, pbpub, 65) != CRYPTO_OK;
}
struct ecdhe_job {
    EVP_PKEY_CTX *kctx;
    EVP_PKEY *peer;
};
static int ossl_p256_ecdhe(void *a)
{
    struct ecdhe_job *j = a;
    EVP_PKEY *k = NULL;
    uint8_t out[32];
    size_t len = sizeof out;
    if (EVP_PKEY_keygen(j->kctx, &k) != 1)
        return 1;
    EVP_PKEY_CTX *d = EVP_PKEY_CTX_new(k, NULL);
    int bad = EVP_PKEY_derive_init(d) != 1 || EVP_PKEY_derive_set_peer(d, j->peer) != 1 ||
              EVP_PKEY_derive(d, out, &len) != 1;
    EVP_PKEY_CTX_free(d);
    EVP_PKEY_free(k);
    return bad;
}
static int ossl_p256_keygen(void *a)
{
    EVP_PKEY *k = NULL;
    int rc = EVP_PKEY_keygen((EVP_PKEY_CTX *)a, &k) != 1;
    EVP_PKEY_free(k);
    return rc;
}

/* ---- verify jobs ---- */
struct vjob {
    EVP_PKEY_CTX *ctx;
    uint8_t pub[97], digest[64], r[48], s[48], der[600], priv[48];
    size_t publen, dlen, cl, derlen;
    EVP_PKEY_CTX *sctx; /* OpenSSL signing context (EC jobs) */
    enum ec_curve curve;
    struct rsa_pubkey rk;
    uint8_t n[512], e[8];
};
static int our_ecdsa(void *a)
{
    struct vjob *j = a;
    return ecdsa_verify(j->curve, j->pub, j->publen, j->digest, j->dlen, j->r, j->cl, j->s, j->cl) != CRYPTO_OK;
}
static int our_ecdsa_der(void *a)
{
    struct vjob *j = a;
    uint8_t r[48], s[48];
    if (ecdsa_sig_der_to_raw(j->der, j->derlen, r, s, j->cl) != CRYPTO_OK)
        return 1;
    return ecdsa_verify(j->curve, j->pub, j->publen, j->digest, j->dlen, r, j->cl, s, j->cl) != CRYPTO_OK;
}
static int our_ecdsa_sign(void *a)
{
    struct vjob *j = a;
    uint8_t sig[96];
    return ecdsa_sign_p1363(j->curve, sig, 2 * j->cl, j->priv, j->cl, j->digest, j->dlen, NULL, 0) !=
           CRYPTO_OK;
}
static int ossl_sign(void *a)
{
    struct vjob *j = a;
    uint8_t der[160];
    size_t len = sizeof der;
    return EVP_PKEY_sign(j->sctx, der, &len, j->digest, j->dlen) != 1;
}
static int ossl_verify(void *a)
{
    struct vjob *j = a;
    return EVP_PKEY_verify(j->ctx, j->der, j->derlen, j->digest, j->dlen) != 1;
}
static int our_rsa(void *a)
{
    struct vjob *j = a;
    return rsa_verify_pkcs1(&j->rk, &hash_sha256, j->digest, j->der, j->derlen) != CRYPTO_OK;
}
static int our_rsa_pss(void *a)
{
    struct vjob *j = a;
    return rsa_verify_pss(&j->rk, &hash_sha256, j->digest, j->der, j->derlen, 32) != CRYPTO_OK;
}

static void ec_job(struct vjob *j, const char *curve, enum ec_curve c, size_t cl, const EVP_MD *md,
                   const struct hash_alg *h)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    size_t len;
    EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, j->pub, sizeof j->pub, &j->publen);
    j->curve = c;
    j->cl = cl;
    j->dlen = h->digest_len;
    RAND_bytes(j->digest, (int)j->dlen);
    EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new(k, NULL);
    EVP_PKEY_sign_init(sctx);
    EVP_PKEY_CTX_set_signature_md(sctx, md);
    len = sizeof j->der;
    CHECK(EVP_PKEY_sign(sctx, j->der, &len, j->digest, j->dlen) == 1);
    j->derlen = len;
    j->sctx = sctx; /* kept for the signing comparison */
    BIGNUM *d = NULL;
    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d);
    BN_bn2binpad(d, j->priv, (int)cl);
    BN_free(d);
    CHECK(ecdsa_sig_der_to_raw(j->der, j->derlen, j->r, j->s, cl) == CRYPTO_OK);
    j->ctx = EVP_PKEY_CTX_new(k, NULL);
    EVP_PKEY_verify_init(j->ctx);
    EVP_PKEY_CTX_set_signature_md(j->ctx, md);
    EVP_PKEY_free(k);
}

static void rsa_job(struct vjob *j, int pss)
{
    static EVP_PKEY *k;
    if (!k)
        k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    BIGNUM *bn = NULL, *be = NULL;
    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &bn);
    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &be);
    j->rk.n = j->n;
    j->rk.nlen = (size_t)BN_bn2bin(bn, j->n);
    j->rk.e = j->e;
    j->rk.elen = (size_t)BN_bn2bin(be, j->e);
    BN_free(bn);
    BN_free(be);
    j->dlen = 32;
    RAND_bytes(j->digest, 32);
    EVP_PKEY_CTX *sctx = EVP_PKEY_CTX_new(k, NULL);
    EVP_PKEY_sign_init(sctx);
    EVP_PKEY_CTX_set_rsa_padding(sctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
    if (pss)
        EVP_PKEY_CTX_set_rsa_pss_saltlen(sctx, 32);
    EVP_PKEY_CTX_set_signature_md(sctx, EVP_sha256());
    size_t len = sizeof j->der;
    CHECK(EVP_PKEY_sign(sctx, j->der, &len, j->digest, 32) == 1);
    j->derlen = len;
    EVP_PKEY_CTX_free(sctx);
    j->ctx = EVP_PKEY_CTX_new(k, NULL);
    EVP_PKEY_verify_init(j->ctx);
    EVP_PKEY_CTX_set_rsa_padding(j->ctx, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING);
    if (pss)
        EVP_PKEY_CTX_set_rsa_pss_saltlen(j->ctx, 32);
    EVP_PKEY_CTX_set_signature_md(j->ctx, EVP_sha256());
}

int main(void)
{
    printf("bench_pk: ops per CPU-second, single thread, best of %d alternating %.2f s runs each (machine shared: figures vary)\n",
           ROUNDS, MIN_SECONDS);
    /* X25519: one scalar multiplication (derive) each */
    {
        uint8_t b[32];
        RAND_bytes(xa, 32);
        RAND_bytes(b, 32);
        x25519_base(xbpub, b);
        EVP_PKEY *ka = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, xa, 32);
        EVP_PKEY *pb = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, xbpub, 32);
        x_ctx = EVP_PKEY_CTX_new(ka, NULL);
        EVP_PKEY_derive_init(x_ctx);
        EVP_PKEY_derive_set_peer(x_ctx, pb);
        compare("x25519", "X25519 (derive)", our_x25519, NULL, ossl_derive, x_ctx);
        EVP_PKEY_CTX_free(x_ctx);
        EVP_PKEY_free(ka);
        EVP_PKEY_free(pb);
    }
    /* P-256 ECDH derive and key generation */
    {
        EVP_PKEY *ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        EVP_PKEY *kb = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        BIGNUM *d = NULL;
        size_t len;
        EVP_PKEY_get_bn_param(ka, OSSL_PKEY_PARAM_PRIV_KEY, &d);
        BN_bn2binpad(d, pa, 32);
        BN_free(d);
        EVP_PKEY_get_octet_string_param(kb, OSSL_PKEY_PARAM_PUB_KEY, pbpub, sizeof pbpub, &len);
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(ka, NULL);
        EVP_PKEY_derive_init(ctx);
        EVP_PKEY_derive_set_peer(ctx, kb);
        compare("p256-ecdh", "P-256 ECDH (derive)", our_p256_ecdh, NULL, ossl_derive, ctx);
        EVP_PKEY_CTX_free(ctx);
        EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        EVP_PKEY_keygen_init(kctx);
        EVP_PKEY_CTX_set_group_name(kctx, "P-256");
        compare("p256-keygen", "P-256 keygen", our_p256_keygen, NULL, ossl_p256_keygen, kctx);
        struct ecdhe_job ej = {kctx, kb};
        compare("p256-ecdhe", "P-256 ECDHE (gen+dh)", our_p256_ecdhe, NULL, ossl_p256_ecdhe, &ej);
        EVP_PKEY_CTX_free(kctx);
        EVP_PKEY_free(ka);
        EVP_PKEY_free(kb);
    }
    /* ECDSA verify */
    {
        struct vjob j256, j384;
        ec_job(&j256, "P-256", EC_P256, 32, EVP_sha256(), &hash_sha256);
        ec_job(&j384, "P-384", EC_P384, 48, EVP_sha384(), &hash_sha384);
        compare("ecdsa-p256-sign", "ECDSA P-256 sign", our_ecdsa_sign, &j256, ossl_sign, &j256);
        compare("ecdsa-p256-verify", "ECDSA P-256 verify", our_ecdsa, &j256, ossl_verify, &j256);
        compare("ecdsa-p256-verify-der", "ECDSA P-256 vfy+DER", our_ecdsa_der, &j256, ossl_verify, &j256);
        compare("ecdsa-p384-verify", "ECDSA P-384 verify", our_ecdsa, &j384, ossl_verify, &j384);
        EVP_PKEY_CTX_free(j256.ctx);
        EVP_PKEY_CTX_free(j384.ctx);
        EVP_PKEY_CTX_free(j256.sctx);
        EVP_PKEY_CTX_free(j384.sctx);
    }
    /* RSA-2048 verify, e = 65537 */
    {
        static struct vjob jr, jp;
        rsa_job(&jr, 0);
        rsa_job(&jp, 1);
        /* the host's path first (crypto_use_ifma() follows CPUID/XCR0) */
        int ifma = crypto_use_ifma();
        const char *auto_note = ifma ? "auto path: AVX-512 IFMA (crypto_use_ifma()=1)"
                                     : "auto path: portable 64-bit C (crypto_use_ifma()=0)";
        printf("bench_pk: RSA auto rows: %s\n", auto_note);
        compare_note("rsa2048-pkcs1-verify", "RSA-2048 PKCS1 verify", our_rsa, &jr, ossl_verify,
                     &jr, auto_note);
        compare_note("rsa2048-pss-verify", "RSA-2048 PSS verify", our_rsa_pss, &jp, ossl_verify,
                     &jp, auto_note);
        /* the kernel's path: no AVX-512 state there, always portable */
        crypto_set_ifma(0);
        CHECK(crypto_use_ifma() == 0);
        printf("bench_pk: RSA portable row: crypto_set_ifma(0), crypto_use_ifma()=%d\n",
               crypto_use_ifma());
        compare_note("rsa2048-pkcs1-verify-portable", "RSA-2048 PKCS1 vfy, C", our_rsa, &jr,
                     ossl_verify, &jr, "portable 64-bit C (crypto_set_ifma(0)): the kernel's path");
        crypto_set_ifma(1);
        EVP_PKEY_CTX_free(jr.ctx);
        EVP_PKEY_CTX_free(jp.ctx);
    }
    if (fails)
        printf("bench_pk: %d check(s) failed\n", fails);
    return fails ? 1 : 0;
}
