/* Differential tests of the public-key code against OpenSSL libcrypto:
   random X25519 exchanges, P-256 key generation and ECDH, ECDSA P-256 /
   P-384 signatures made by OpenSSL (and corrupted copies), and RSA-2048
   PKCS#1 v1.5 / PSS signatures made by OpenSSL. */
#include "unit.h"
#include "crypto/x25519.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/ecdsa.h"
#include "crypto/rsa.h"
#include "crypto/bn.h"
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/rsa.h>

/* From crypto/asn1.h, whose ASN1_* tag macros clash with OpenSSL's names. */
int ecdsa_sig_der_to_raw(const uint8_t *der, size_t len, uint8_t *r, uint8_t *s, size_t coord_len);

static void rnd(uint8_t *p, size_t n)
{
    assert_int_equal(RAND_bytes(p, (int)n), 1);
}

/* OpenSSL's shared secret between own and peer. */
static size_t ossl_derive(EVP_PKEY *own, EVP_PKEY *peer, uint8_t *out, size_t cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(own, NULL);
    size_t len = cap;
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_derive_init(ctx), 1);
    assert_int_equal(EVP_PKEY_derive_set_peer(ctx, peer), 1);
    assert_int_equal(EVP_PKEY_derive(ctx, out, &len), 1);
    EVP_PKEY_CTX_free(ctx);
    return len;
}

static void test_x25519_vs_openssl(void **state)
{
    (void)state;
    int n = 0;
    for (int i = 0; i < 2000; i++) {
        uint8_t a[32], b[32], apub[32], bpub[32], s1[32], s2[32], opub[32], os[32];
        size_t len = 32;
        rnd(a, 32);
        rnd(b, 32);
        x25519_base(apub, a);
        x25519_base(bpub, b);
        EVP_PKEY *ka = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, a, 32);
        EVP_PKEY *pb = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, bpub, 32);
        assert_non_null(ka);
        assert_non_null(pb);
        assert_int_equal(EVP_PKEY_get_raw_public_key(ka, opub, &len), 1);
        assert_memory_equal(apub, opub, 32);
        assert_int_equal(x25519(s1, a, bpub), CRYPTO_OK);
        assert_int_equal(x25519(s2, b, apub), CRYPTO_OK);
        assert_memory_equal(s1, s2, 32);
        assert_int_equal(ossl_derive(ka, pb, os, sizeof os), 32);
        assert_memory_equal(s1, os, 32);
        EVP_PKEY_free(pb);
        /* an arbitrary u-coordinate (top bit set half the time: ignored) */
        uint8_t u[32];
        rnd(u, 32);
        EVP_PKEY *pu = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, u, 32);
        assert_int_equal(x25519(s1, a, u), CRYPTO_OK);
        assert_int_equal(ossl_derive(ka, pu, os, sizeof os), 32);
        assert_memory_equal(s1, os, 32);
        EVP_PKEY_free(pu);
        EVP_PKEY_free(ka);
        n++;
    }
    print_message("x25519 vs OpenSSL: %d/2000 key pairs, exchanges and random-u agree\n", n);
}

/* Private scalar (big-endian, cl bytes) and uncompressed public point. */
static EVP_PKEY *ec_keygen_ossl(const char *curve, uint8_t *priv, size_t cl, uint8_t *pub)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    BIGNUM *d = NULL;
    size_t len;
    assert_non_null(k);
    assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d), 1);
    assert_int_equal(BN_bn2binpad(d, priv, (int)cl), (int)cl);
    BN_free(d);
    assert_int_equal(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pub, 2 * cl + 1, &len), 1);
    assert_int_equal(len, 2 * cl + 1);
    assert_int_equal(pub[0], 4);
    return k;
}

static void test_ecdh_vs_openssl(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        uint8_t a[32], b[32], pa[65], pb[65], mine[65], s1[32], os[32];
        EVP_PKEY *ka = ec_keygen_ossl("P-256", a, 32, pa);
        EVP_PKEY *kb = ec_keygen_ossl("P-256", b, 32, pb);
        assert_int_equal(p256_keygen(mine, a), CRYPTO_OK);
        assert_memory_equal(mine, pa, 65);
        assert_int_equal(p256_ecdh(s1, a, pb, 65), CRYPTO_OK);
        assert_int_equal(ossl_derive(ka, kb, os, sizeof os), 32);
        assert_memory_equal(s1, os, 32);
        EVP_PKEY_free(ka);
        EVP_PKEY_free(kb);
    }
    for (int i = 0; i < 50; i++) {
        uint8_t a[48], b[48], pa[97], pb[97], mine[97], s1[48], os[48];
        EVP_PKEY *ka = ec_keygen_ossl("P-384", a, 48, pa);
        EVP_PKEY *kb = ec_keygen_ossl("P-384", b, 48, pb);
        assert_int_equal(p384_keygen(mine, a), CRYPTO_OK);
        assert_memory_equal(mine, pa, 97);
        assert_int_equal(p384_ecdh(s1, a, pb, 97), CRYPTO_OK);
        assert_int_equal(ossl_derive(ka, kb, os, sizeof os), 48);
        assert_memory_equal(s1, os, 48);
        EVP_PKEY_free(ka);
        EVP_PKEY_free(kb);
    }
    print_message("P-256 ECDH vs OpenSSL: 300/300; P-384: 50/50\n");
}

static size_t ossl_sign(EVP_PKEY *k, const EVP_MD *md, int pss, const uint8_t *msg, size_t mlen,
                        uint8_t *sig, size_t cap)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    size_t len = cap;
    assert_int_equal(EVP_DigestSignInit(m, &pctx, md, NULL, k), 1);
    if (pss) {
        assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
        assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
        assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md), 1);
    }
    assert_int_equal(EVP_DigestSign(m, sig, &len, msg, mlen), 1);
    EVP_MD_CTX_free(m);
    return len;
}

static void ecdsa_round(const char *curve, enum ec_curve c, size_t cl, int iters)
{
    const EVP_MD *mds[] = {EVP_sha256(), EVP_sha384(), EVP_sha512()};
    const struct hash_alg *hs[] = {&hash_sha256, &hash_sha384, &hash_sha512};
    int good = 0, rejected = 0;
    for (int i = 0; i < iters; i++) {
        uint8_t priv[48], pub[97], msg[100], der[160], r[48], s[48], d[64];
        EVP_PKEY *k = ec_keygen_ossl(curve, priv, cl, pub);
        int hi = i % 3;
        rnd(msg, sizeof msg);
        size_t mlen = (size_t)(i % 100);
        size_t dl = ossl_sign(k, mds[hi], 0, msg, mlen, der, sizeof der);
        assert_int_equal(ecdsa_sig_der_to_raw(der, dl, r, s, cl), CRYPTO_OK);
        hash_digest(hs[hi], msg, mlen, d);
        assert_int_equal(ecdsa_verify(c, pub, 2 * cl + 1, d, hs[hi]->digest_len, r, cl, s, cl), CRYPTO_OK);
        good++;
        /* corruptions: hash bit, r bit, s bit, public key swap with s -> n - s is still valid */
        uint8_t bit = (uint8_t)(1u << (i % 8));
        size_t used = hs[hi]->digest_len < cl ? hs[hi]->digest_len : cl; /* bytes that count */
        d[i % used] ^= bit;
        int rc = ecdsa_verify(c, pub, 2 * cl + 1, d, hs[hi]->digest_len, r, cl, s, cl);
        d[i % used] ^= bit;
        r[i % cl] ^= bit;
        int rc2 = ecdsa_verify(c, pub, 2 * cl + 1, d, hs[hi]->digest_len, r, cl, s, cl);
        r[i % cl] ^= bit;
        s[(i * 7) % cl] ^= bit;
        int rc3 = ecdsa_verify(c, pub, 2 * cl + 1, d, hs[hi]->digest_len, r, cl, s, cl);
        s[(i * 7) % cl] ^= bit;
        /* the truncation only reads the first cl bytes: a change beyond must not matter */
        if (hs[hi]->digest_len > cl) {
            d[hs[hi]->digest_len - 1] ^= 1;
            assert_int_equal(ecdsa_verify(c, pub, 2 * cl + 1, d, hs[hi]->digest_len, r, cl, s, cl), CRYPTO_OK);
        }
        assert_int_not_equal(rc, CRYPTO_OK);
        assert_int_not_equal(rc2, CRYPTO_OK);
        assert_int_not_equal(rc3, CRYPTO_OK);
        rejected += 3;
        EVP_PKEY_free(k);
    }
    print_message("ECDSA %s vs OpenSSL: %d/%d signatures verified, %d corruptions rejected\n", curve,
                  good, iters, rejected);
}

/* OpenSSL signs raw digests of every length 1..64 (no hash set: the input is
   used as the digest, truncated per FIPS 186-5 when longer than the order),
   so short and long hash inputs are both checked against another
   implementation. */
static void test_ecdsa_digest_lengths(void **state)
{
    (void)state;
    int good = 0;
    for (int ci = 0; ci < 2; ci++) {
        const char *curve = ci ? "P-384" : "P-256";
        size_t cl = ci ? 48 : 32;
        uint8_t priv[48], pub[97];
        EVP_PKEY *k = ec_keygen_ossl(curve, priv, cl, pub);
        for (size_t dl = 1; dl <= 64; dl++) {
            uint8_t d[64], der[160], r[48], s[48];
            size_t len = sizeof der;
            rnd(d, dl);
            EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
            assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
            assert_int_equal(EVP_PKEY_sign(ctx, der, &len, d, dl), 1);
            EVP_PKEY_CTX_free(ctx);
            assert_int_equal(ecdsa_sig_der_to_raw(der, len, r, s, cl), CRYPTO_OK);
            assert_int_equal(ecdsa_verify(ci ? EC_P384 : EC_P256, pub, 2 * cl + 1, d, dl, r, cl, s, cl),
                             CRYPTO_OK);
            d[0] ^= 0x80; /* the leftmost bit always counts */
            assert_int_equal(ecdsa_verify(ci ? EC_P384 : EC_P256, pub, 2 * cl + 1, d, dl, r, cl, s, cl),
                             CRYPTO_ERR_BAD_SIGNATURE);
            good++;
        }
        EVP_PKEY_free(k);
    }
    print_message("ECDSA raw digests of 1..64 bytes signed by OpenSSL: %d/128 verified\n", good);
}

static void test_ecdsa_vs_openssl(void **state)
{
    (void)state;
    ecdsa_round("P-256", EC_P256, 32, 500);
    ecdsa_round("P-384", EC_P384, 48, 200);
}

static void test_rsa_vs_openssl(void **state)
{
    (void)state;
    const EVP_MD *mds[] = {EVP_sha256(), EVP_sha384(), EVP_sha512()};
    const struct hash_alg *hs[] = {&hash_sha256, &hash_sha384, &hash_sha512};
    int good = 0, rejected = 0;
    for (int key = 0; key < 2; key++) {
        unsigned bits = 2048;
        EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
        assert_non_null(k);
        BIGNUM *bn = NULL, *be = NULL;
        uint8_t n[512], e[16];
        assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &bn), 1);
        assert_int_equal(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &be), 1);
        int nl = BN_bn2bin(bn, n), el = BN_bn2bin(be, e);
        BN_free(bn);
        BN_free(be);
        struct rsa_pubkey pk = {n, (size_t)nl, e, (size_t)el};
        for (int i = 0; i < 180; i++) {
            uint8_t msg[64], sig[512], d[64];
            int hi = i % 3, pss = (i / 3) % 2;
            rnd(msg, sizeof msg);
            size_t sl = ossl_sign(k, mds[hi], pss, msg, sizeof msg, sig, sizeof sig);
            assert_int_equal(sl, (size_t)nl);
            hash_digest(hs[hi], msg, sizeof msg, d);
            int rc = pss ? rsa_verify_pss(&pk, hs[hi], d, sig, sl, hs[hi]->digest_len)
                         : rsa_verify_pkcs1(&pk, hs[hi], d, sig, sl);
            assert_int_equal(rc, CRYPTO_OK);
            good++;
            /* the other scheme, a flipped digest bit, a flipped signature bit */
            rc = !pss ? rsa_verify_pss(&pk, hs[hi], d, sig, sl, hs[hi]->digest_len)
                      : rsa_verify_pkcs1(&pk, hs[hi], d, sig, sl);
            assert_int_equal(rc, CRYPTO_ERR_BAD_SIGNATURE);
            d[i % 32] ^= 0x20;
            rc = pss ? rsa_verify_pss(&pk, hs[hi], d, sig, sl, hs[hi]->digest_len)
                     : rsa_verify_pkcs1(&pk, hs[hi], d, sig, sl);
            assert_int_equal(rc, CRYPTO_ERR_BAD_SIGNATURE);
            d[i % 32] ^= 0x20;
            sig[(i * 13) % sl] ^= 0x01;
            rc = pss ? rsa_verify_pss(&pk, hs[hi], d, sig, sl, hs[hi]->digest_len)
                     : rsa_verify_pkcs1(&pk, hs[hi], d, sig, sl);
            assert_int_not_equal(rc, CRYPTO_OK);
            rejected += 3;
        }
        EVP_PKEY_free(k);
    }
    print_message("RSA-2048 (2 keys) vs OpenSSL: %d/360 signatures verified, %d corruptions rejected\n",
                  good, rejected);
}

static BIGNUM *limbs_to_bn(const uint64_t *a, size_t n)
{
    uint8_t buf[8 * BN_MAX_LIMBS];
    bn_to_be(buf, 8 * n, a, n);
    return BN_bin2bn(buf, (int)(8 * n), NULL);
}

/* bn.c against OpenSSL BIGNUM: R^2 mod m, a 2^(64 w) mod m, Montgomery
   multiply and square,
   for random odd moduli of 1..64 limbs. */
static void test_bn_vs_openssl(void **state)
{
    (void)state;
    BN_CTX *bctx = BN_CTX_new();
    int checked = 0;
    for (int it = 0; it < 400; it++) {
        size_t n = 1 + (size_t)(it % BN_MAX_LIMBS);
        uint64_t m[BN_MAX_LIMBS], a[BN_MAX_LIMBS], b[BN_MAX_LIMBS], r2[BN_MAX_LIMBS], r[BN_MAX_LIMBS];
        rnd((uint8_t *)m, 8 * n);
        rnd((uint8_t *)a, 8 * n);
        rnd((uint8_t *)b, 8 * n);
        if (it % 3 == 0)
            m[n - 1] |= (uint64_t)1 << 63; /* already normalized */
        if (it % 3 == 1)
            m[n - 1] = 1 + (m[n - 1] >> 40); /* small top limb */
        if (m[n - 1] == 0)
            m[n - 1] = 1;
        m[0] |= 1; /* odd (after the top-limb tweaks, which touch m[0] when n = 1) */
        if (n == 1 && m[0] == 1)
            m[0] = 3;
        a[n - 1] %= m[n - 1] ? m[n - 1] : 1; /* a, b < m */
        b[n - 1] %= m[n - 1] ? m[n - 1] : 1;
        if (n == 1) {
            a[0] %= m[0];
            b[0] %= m[0];
        }
        uint64_t m0 = bn_mont_m0inv(m[0]);
        assert_int_equal((uint64_t)(m0 * m[0]), (uint64_t)-1);
        BIGNUM *M = limbs_to_bn(m, n), *A = limbs_to_bn(a, n), *B = limbs_to_bn(b, n);
        BIGNUM *R = BN_new(), *T = BN_new(), *Rinv = BN_new(), *X;
        BN_one(R);
        BN_lshift(R, R, (int)(64 * n));
        /* R^2 mod m */
        bn_mont_r2_vartime(r2, m, n);
        BN_mod_sqr(T, R, M, bctx);
        X = limbs_to_bn(r2, n);
        assert_int_equal(BN_cmp(X, T), 0);
        BN_free(X);
        /* a 2^(64 w) mod m for w = 0 .. 2n (a R mod m at w = n) */
        size_t w = (size_t)it % (2 * n + 1);
        bn_mod_shl_vartime(r, a, w, m, n);
        BN_lshift(T, A, (int)(64 * w));
        BN_mod(T, T, M, bctx);
        X = limbs_to_bn(r, n);
        assert_int_equal(BN_cmp(X, T), 0);
        BN_free(X);
        /* a b R^-1 mod m, a^2 R^-1 mod m */
        assert_non_null(BN_mod_inverse(Rinv, R, M, bctx));
        bn_mont_mul(r, a, b, m, m0, n);
        BN_mod_mul(T, A, B, M, bctx);
        BN_mod_mul(T, T, Rinv, M, bctx);
        X = limbs_to_bn(r, n);
        assert_int_equal(BN_cmp(X, T), 0);
        BN_free(X);
        bn_mont_sqr(r, a, m, m0, n);
        BN_mod_mul(T, A, A, M, bctx);
        BN_mod_mul(T, T, Rinv, M, bctx);
        X = limbs_to_bn(r, n);
        assert_int_equal(BN_cmp(X, T), 0);
        BN_free(X);
        BN_free(M), BN_free(A), BN_free(B), BN_free(R), BN_free(T), BN_free(Rinv);
        checked++;
    }
    BN_CTX_free(bctx);
    print_message("bn vs OpenSSL BIGNUM: %d/400 moduli (R^2, a 2^64w mod m, mont mul, mont sqr) agree\n", checked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bn_vs_openssl),
        cmocka_unit_test(test_x25519_vs_openssl),
        cmocka_unit_test(test_ecdh_vs_openssl),
        cmocka_unit_test(test_ecdsa_vs_openssl),
        cmocka_unit_test(test_ecdsa_digest_lengths),
        cmocka_unit_test(test_rsa_vs_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
