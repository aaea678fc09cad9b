/* ECDSA signing (crypto/ecdsa.h: ecdsa_sign_p1363, ecdsa_sign_der): the
   RFC 6979 appendix A.2.5 / A.2.6 deterministic vectors, a differential run
   against OpenSSL libcrypto (our signatures, plain and hedged, verified by
   OpenSSL and by ecdsa_verify_p1363; our DER parsed and re-encoded by
   OpenSSL), determinism and hedging, DER integers with a leading zero byte,
   hash lengths 0..64, and the error returns. Inputs come from a fixed-seed
   generator so a failure is reproducible; the failing input is printed. */
#include "unit.h"
#include "crypto/ecdsa.h"
#include "crypto/hash.h"
#include "crypto/impl.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/obj_mac.h>
#include <openssl/hmac.h>

#define ITERS 500

struct curve {
    const char *name;  /* OpenSSL group name */
    enum ec_curve c;
    size_t cl;         /* coordinate / order bytes */
    int nid;
    const struct hash_alg *h;
    const char *n_hex; /* group order (FIPS 186-5 / SP 800-186) */
};

static const struct curve curves[2] = {
    {"P-256", EC_P256, 32, NID_X9_62_prime256v1, &hash_sha256,
     "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"},
    {"P-384", EC_P384, 48, NID_secp384r1, &hash_sha384,
     "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
     "581A0DB248B0A77AECEC196ACCC52973"},
};

/* OpenSSL's groups, made once (main) for ossl_pub and ref_sign. */
static EC_GROUP *groups[2];
static EC_GROUP *group_of(const struct curve *cv)
{
    return groups[cv == &curves[1]];
}

/* Fixed-seed generator (splitmix64): runs are reproducible. */
static uint64_t rng_state = 0x6979ecd5a5195eedULL;
static uint64_t rng64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static void rnd(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(rng64() >> 56);
}

static void hexdump(const char *label, const uint8_t *p, size_t n)
{
    print_message("  %s (%zu) = ", label, n);
    for (size_t i = 0; i < n; i++)
        print_message("%02x", p[i]);
    print_message("\n");
}

static void load_hex(const char *hex, uint8_t *out, size_t want)
{
    assert_int_equal(unit_hex(hex, out, want), (long)want);
}

/* Public key of priv computed by OpenSSL (independently of our keygen):
   fills pub (04||X||Y) and returns a public-only EVP_PKEY. */
static EVP_PKEY *ossl_pub(const struct curve *cv, const uint8_t *priv, uint8_t *pub)
{
    size_t pl = 2 * cv->cl + 1;
    const EC_GROUP *g = group_of(cv);
    EC_POINT *p = EC_POINT_new(g);
    BIGNUM *d = BN_bin2bn(priv, (int)cv->cl, NULL);
    assert_non_null(g);
    assert_non_null(p);
    assert_non_null(d);
    assert_int_equal(EC_POINT_mul(g, p, d, NULL, NULL, NULL), 1);
    assert_int_equal(EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pub, pl, NULL), pl);
    BN_free(d);
    EC_POINT_free(p);
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)cv->name, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, pl),
        OSSL_PARAM_construct_end(),
    };
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    EVP_PKEY *k = NULL;
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params), 1);
    EVP_PKEY_CTX_free(ctx);
    return k;
}

/* OpenSSL's verdict on a DER signature over the raw digest (no hash set:
   the digest is used as is, truncated to the order length). 1 = valid. */
static int ossl_verify_der(EVP_PKEY *k, const uint8_t *der, size_t dl, const uint8_t *hash, size_t hl)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_verify_init(ctx), 1);
    int rc = EVP_PKEY_verify(ctx, der, dl, hash, hl);
    EVP_PKEY_CTX_free(ctx);
    return rc == 1;
}

/* Same for r || s, DER-encoded by OpenSSL. */
static int ossl_verify_raw(EVP_PKEY *k, size_t cl, const uint8_t *sig, const uint8_t *hash, size_t hl)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)cl, NULL), *s = BN_bin2bn(sig + cl, (int)cl, NULL);
    assert_non_null(es);
    assert_int_equal(ECDSA_SIG_set0(es, r, s), 1);
    unsigned char *der = NULL;
    int dl = i2d_ECDSA_SIG(es, &der);
    assert_true(dl > 0);
    int ok = ossl_verify_der(k, der, (size_t)dl, hash, hl);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    return ok;
}

/* Our DER must parse with d2i_ECDSA_SIG consuming every byte, re-encode
   to the same bytes (so it is strict DER: minimal lengths and integers),
   fit ECDSA_DER_MAX, and carry the r, s of the P1363 signature. */
static void check_der(const struct curve *cv, const uint8_t *der, size_t dl, const uint8_t *raw)
{
    assert_true(dl <= ECDSA_DER_MAX(cv->cl));
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)dl);
    assert_non_null(es);
    assert_ptr_equal(p, der + dl);
    unsigned char *re = NULL;
    int rl = i2d_ECDSA_SIG(es, &re);
    assert_int_equal(rl, (int)dl);
    assert_memory_equal(re, der, dl);
    OPENSSL_free(re);
    const BIGNUM *r, *s;
    uint8_t rb[48], sb[48];
    ECDSA_SIG_get0(es, &r, &s);
    assert_int_equal(BN_bn2binpad(r, rb, (int)cv->cl), (int)cv->cl);
    assert_int_equal(BN_bn2binpad(s, sb, (int)cv->cl), (int)cv->cl);
    assert_memory_equal(rb, raw, cv->cl);
    assert_memory_equal(sb, raw + cv->cl, cv->cl);
    ECDSA_SIG_free(es);
}

/* Random private key in [1, n-1]. */
static void rand_priv(const struct curve *cv, uint8_t *priv)
{
    uint8_t n[48];
    load_hex(cv->n_hex, n, cv->cl);
    for (;;) {
        uint8_t any = 0;
        rnd(priv, cv->cl);
        for (size_t i = 0; i < cv->cl; i++)
            any |= priv[i];
        if (any && memcmp(priv, n, cv->cl) < 0)
            return;
    }
}

/* Reference signer built on OpenSSL's HMAC and BIGNUM / EC_POINT: RFC 6979
   section 3.2 with the additional data k' of section 3.6 appended in steps
   d and f when el > 0, HMAC with SHA-256 (P-256) or SHA-384 (P-384); then
   r = x(kG) mod n, s = k^-1 (e + r d) mod n. An independent oracle for the
   exact bytes of every signature, hedged ones included. */
static void ref_sign(const struct curve *cv, const uint8_t *priv, const uint8_t *h, size_t hl,
                     const uint8_t *extra, size_t el, uint8_t *sig)
{
    size_t cl = cv->cl;
    const EVP_MD *md = cl == 32 ? EVP_sha256() : EVP_sha384();
    BN_CTX *bctx = BN_CTX_new();
    const EC_GROUP *g = group_of(cv);
    EC_POINT *R = EC_POINT_new(g);
    BIGNUM *e = BN_new(), *k = BN_new(), *x = BN_new(), *r = BN_new(), *s = BN_new(), *t = BN_new();
    BIGNUM *d = BN_bin2bn(priv, (int)cl, NULL);
    const BIGNUM *n = EC_GROUP_get0_order(g);
    assert_non_null(bctx);
    assert_non_null(R);
    assert_non_null(d);
    /* bits2int: qlen = 8 cl, so the leftmost min(hl, cl) bytes as an integer */
    assert_non_null(BN_bin2bn(h, (int)(hl < cl ? hl : cl), e));
    assert_int_equal(BN_nnmod(e, e, n, bctx), 1);
    uint8_t h1[48], K[48], V[48], buf[48 + 1 + 48 + 48 + 64];
    unsigned ol;
    assert_int_equal(BN_bn2binpad(e, h1, (int)cl), (int)cl); /* bits2octets */
    memset(V, 0x01, cl);
    memset(K, 0x00, cl);
    for (int step = 0; step < 2; step++) {
        size_t o = 0;
        memcpy(buf, V, cl), o += cl;
        buf[o++] = (uint8_t)step;
        memcpy(buf + o, priv, cl), o += cl;
        memcpy(buf + o, h1, cl), o += cl;
        if (el)
            memcpy(buf + o, extra, el), o += el;
        assert_non_null(HMAC(md, K, (int)cl, buf, o, K, &ol));
        assert_non_null(HMAC(md, K, (int)cl, V, cl, V, &ol));
    }
    for (;;) {
        assert_non_null(HMAC(md, K, (int)cl, V, cl, V, &ol));
        assert_non_null(BN_bin2bn(V, (int)cl, k));
        if (!BN_is_zero(k) && BN_cmp(k, n) < 0) {
            assert_int_equal(EC_POINT_mul(g, R, k, NULL, NULL, bctx), 1);
            assert_int_equal(EC_POINT_get_affine_coordinates(g, R, x, NULL, bctx), 1);
            assert_int_equal(BN_nnmod(r, x, n, bctx), 1);
            assert_int_equal(BN_mod_mul(t, r, d, n, bctx), 1);
            assert_int_equal(BN_mod_add(t, t, e, n, bctx), 1);
            assert_non_null(BN_mod_inverse(s, k, n, bctx));
            assert_int_equal(BN_mod_mul(s, s, t, n, bctx), 1);
            if (!BN_is_zero(r) && !BN_is_zero(s))
                break;
        }
        memcpy(buf, V, cl);
        buf[cl] = 0;
        assert_non_null(HMAC(md, K, (int)cl, buf, cl + 1, K, &ol));
        assert_non_null(HMAC(md, K, (int)cl, V, cl, V, &ol));
    }
    assert_int_equal(BN_bn2binpad(r, sig, (int)cl), (int)cl);
    assert_int_equal(BN_bn2binpad(s, sig + cl, (int)cl), (int)cl);
    BN_free(e), BN_free(k), BN_free(x), BN_free(r), BN_free(s), BN_free(t), BN_free(d);
    EC_POINT_free(R);
    BN_CTX_free(bctx);
}

/* ------------------------------------------------------------------ */
/* RFC 6979 appendix A.2.5 / A.2.6, IETF Trust, BSD-licensed code
   components / public facts: key pair and the deterministic (r, s) for the
   messages "sample" and "test" with SHA-256 (P-256) and SHA-384 (P-384).
   Copied from the RFC text; each is also checked below to be a signature
   OpenSSL accepts under Ux||Uy, and Ux||Uy to be x G (ours and OpenSSL's). */
struct rfc_vec {
    int ci;
    const char *x, *ux, *uy;
    const char *msg, *r, *s;
};

#define RFC_P256_X "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
#define RFC_P256_UX "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
#define RFC_P256_UY "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299"
#define RFC_P384_X "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8" \
                   "96D5724E4C70A825F872C9EA60D2EDF5"
#define RFC_P384_UX "EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64" \
                    "DEF8F0EA9055866064A254515480BC13"
#define RFC_P384_UY "8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1" \
                    "288B231C3AE0D4FE7344FD2533264720"

static const struct rfc_vec rfc_vecs[] = {
    /* A.2.5, With SHA-256, message = "sample" */
    {0, RFC_P256_X, RFC_P256_UX, RFC_P256_UY, "sample",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    /* A.2.5, With SHA-256, message = "test" */
    {0, RFC_P256_X, RFC_P256_UX, RFC_P256_UY, "test",
     "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
    /* A.2.6, With SHA-384, message = "sample" */
    {1, RFC_P384_X, RFC_P384_UX, RFC_P384_UY, "sample",
     "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
     "81A648152E44ACF96E36DD1E80FABE46",
     "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
     "A329C145786E679E7B82C71A38628AC8"},
    /* A.2.6, With SHA-384, message = "test" */
    {1, RFC_P384_X, RFC_P384_UX, RFC_P384_UY, "test",
     "8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB"
     "0542A7F0812998DA8F1DD3CA3CF023DB",
     "DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E0"
     "6A739F040649A667BF3B828246BAA5A5"},
};

static void test_rfc6979(void **state)
{
    (void)state;
    const enum crypto_impl impls[] = {CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE};
    int passed = 0, total = 0;
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        for (size_t i = 0; i < sizeof rfc_vecs / sizeof rfc_vecs[0]; i++) {
            const struct rfc_vec *v = &rfc_vecs[i];
            const struct curve *cv = &curves[v->ci];
            size_t cl = cv->cl;
            uint8_t x[48], pub[97], mypub[97], opub[97], want[96], sig[96], h[64], der[ECDSA_DER_MAX(48)];
            size_t dl = 0;
            total++;
            load_hex(v->x, x, cl);
            pub[0] = 4;
            load_hex(v->ux, pub + 1, cl);
            load_hex(v->uy, pub + 1 + cl, cl);
            load_hex(v->r, want, cl);
            load_hex(v->s, want + cl, cl);
            hash_digest(cv->h, v->msg, strlen(v->msg), h);
            /* the published key pair and signature are consistent */
            assert_int_equal(v->ci ? p384_keygen(mypub, x) : p256_keygen(mypub, x), CRYPTO_OK);
            assert_memory_equal(mypub, pub, 2 * cl + 1);
            EVP_PKEY *k = ossl_pub(cv, x, opub);
            assert_memory_equal(opub, pub, 2 * cl + 1);
            assert_true(ossl_verify_raw(k, cl, want, h, cl));
            ref_sign(cv, x, h, cl, NULL, 0, sig); /* the test's own reference agrees */
            assert_memory_equal(sig, want, 2 * cl);
            /* our deterministic signature is exactly the RFC's */
            assert_int_equal(ecdsa_sign_p1363(cv->c, sig, 2 * cl, x, cl, h, cl, NULL, 0), CRYPTO_OK);
            if (memcmp(sig, want, 2 * cl)) {
                print_message("RFC 6979 %s \"%s\" mismatch (impl %d)\n", cv->name, v->msg, im);
                hexdump("got ", sig, 2 * cl);
                hexdump("want", want, 2 * cl);
            }
            assert_memory_equal(sig, want, 2 * cl);
            assert_int_equal(ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, cl, sig, 2 * cl), CRYPTO_OK);
            /* the DER form of the same signature */
            assert_int_equal(ecdsa_sign_der(cv->c, der, sizeof der, &dl, x, cl, h, cl, NULL, 0), CRYPTO_OK);
            check_der(cv, der, dl, want);
            assert_true(ossl_verify_der(k, der, dl, h, cl));
            EVP_PKEY_free(k);
            passed++;
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    print_message("ecdsa_sign: RFC 6979 A.2.5/A.2.6 %d/%d exact (r, s) (P-256 SHA-256, P-384 SHA-384, "
                  "\"sample\" and \"test\", AUTO and PORTABLE hashes)\n", passed, total);
}

/* ------------------------------------------------------------------ */
/* One key: plain, repeated, hedged (two extras) and DER signatures over a
   random hash of length hl; every signature verified by OpenSSL and by
   ecdsa_verify_p1363. Returns 1 when everything held. */
static int sign_round(const struct curve *cv, const uint8_t *priv, size_t hl, int it)
{
    size_t cl = cv->cl, sl = 2 * cl;
    uint8_t pub[97], mypub[97], h[64], e1[64], e2[64];
    uint8_t sig[96], again[96], sig0[96], ha[96], hb[96], raw[96];
    uint8_t der[ECDSA_DER_MAX(48)], derh[ECDSA_DER_MAX(48)];
    size_t dl = 0, dlh = 0, el = 1 + (size_t)(it % 64);
    EVP_PKEY *k = ossl_pub(cv, priv, pub);
    assert_int_equal(cv->c == EC_P256 ? p256_keygen(mypub, priv) : p384_keygen(mypub, priv), CRYPTO_OK);
    assert_memory_equal(mypub, pub, 2 * cl + 1);
    rnd(h, hl);
    rnd(e1, el);
    memcpy(e2, e1, el);
    e2[it % el] ^= (uint8_t)(1u << (it % 8));

    int rc = ecdsa_sign_p1363(cv->c, sig, sl, priv, cl, h, hl, NULL, 0);
    int ok = rc == CRYPTO_OK;
    /* determinism: the same inputs, and an empty (non-NULL) extra, change nothing */
    ok &= ecdsa_sign_p1363(cv->c, again, sl, priv, cl, h, hl, NULL, 0) == CRYPTO_OK;
    ok &= memcmp(sig, again, sl) == 0;
    if (it % 4 == 0) {
        ok &= ecdsa_sign_p1363(cv->c, sig0, sl, priv, cl, h, hl, e1, 0) == CRYPTO_OK;
        ok &= memcmp(sig, sig0, sl) == 0;
    }
    ok &= ossl_verify_raw(k, cl, sig, h, hl);
    ok &= ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, hl, sig, sl) == CRYPTO_OK;
    /* a flipped hash bit (inside the part that counts) must fail */
    size_t used = hl < cl ? hl : cl;
    h[it % used] ^= 0x01;
    ok &= !ossl_verify_raw(k, cl, sig, h, hl);
    h[it % used] ^= 0x01;

    /* hedged: two extras differing in one bit give two different k, both valid */
    ok &= ecdsa_sign_p1363(cv->c, ha, sl, priv, cl, h, hl, e1, el) == CRYPTO_OK;
    ok &= ecdsa_sign_p1363(cv->c, hb, sl, priv, cl, h, hl, e2, el) == CRYPTO_OK;
    ok &= memcmp(ha, sig, cl) != 0 && memcmp(hb, sig, cl) != 0 && memcmp(ha, hb, cl) != 0; /* r differs */
    ok &= ossl_verify_raw(k, cl, ha, h, hl) && ossl_verify_raw(k, cl, hb, h, hl);
    ok &= ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, hl, ha, sl) == CRYPTO_OK;
    ok &= ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, hl, hb, sl) == CRYPTO_OK;
    /* hedged and deterministic again with the same extra */
    if (it % 4 == 1) {
        ok &= ecdsa_sign_p1363(cv->c, raw, sl, priv, cl, h, hl, e1, el) == CRYPTO_OK;
        ok &= memcmp(raw, ha, sl) == 0;
    }

    /* exact bytes against the reference signer, plain and both hedged */
    uint8_t ref[96];
    ref_sign(cv, priv, h, hl, NULL, 0, ref);
    ok &= memcmp(sig, ref, sl) == 0;
    ref_sign(cv, priv, h, hl, e1, el, ref);
    ok &= memcmp(ha, ref, sl) == 0;
    ref_sign(cv, priv, h, hl, e2, el, ref);
    ok &= memcmp(hb, ref, sl) == 0;

    /* DER, plain and hedged: same r, s as P1363; OpenSSL parses and verifies */
    ok &= ecdsa_sign_der(cv->c, der, sizeof der, &dl, priv, cl, h, hl, NULL, 0) == CRYPTO_OK;
    ok &= ecdsa_sign_der(cv->c, derh, ECDSA_DER_MAX(cl), &dlh, priv, cl, h, hl, e1, el) == CRYPTO_OK;
    if (ok) {
        check_der(cv, der, dl, sig);
        check_der(cv, derh, dlh, ha);
        ok &= ossl_verify_der(k, der, dl, h, hl) && ossl_verify_der(k, derh, dlh, h, hl);
    }
    if (!ok) {
        print_message("ecdsa_sign: %s round %d failed (rc %d)\n", cv->name, it, rc);
        hexdump("priv", priv, cl);
        hexdump("hash", h, hl);
        hexdump("extra", e1, el);
        hexdump("sig", sig, sl);
    }
    EVP_PKEY_free(k);
    return ok;
}

static void diff_curve(const struct curve *cv)
{
    size_t cl = cv->cl;
    /* hash lengths: mostly the order's, also shorter (SHA-1 size) and longer */
    const size_t hls[4] = {cl, cl, 20, 64};
    int good = 0, edge_good = 0, nedge = 0;
    for (int i = 0; i < ITERS; i++) {
        uint8_t priv[48];
        rand_priv(cv, priv);
        good += sign_round(cv, priv, hls[i % 4], i);
    }
    /* edge keys: 1, 2, 3, n-1, n-2, 2^(8 cl - 1), 0x7f..ff */
    uint8_t n[48], priv[48];
    load_hex(cv->n_hex, n, cl);
    for (int e = 0; e < 7; e++) {
        memset(priv, 0, cl);
        switch (e) {
        case 0: case 1: case 2: priv[cl - 1] = (uint8_t)(e + 1); break;
        case 3: memcpy(priv, n, cl); priv[cl - 1] -= 1; break; /* n ends in 0x51 / 0x73 */
        case 4: memcpy(priv, n, cl); priv[cl - 1] -= 2; break;
        case 5: priv[0] = 0x80; break;
        default: memset(priv, 0xff, cl); priv[0] = 0x7f; break;
        }
        for (int j = 0; j < 4; j++, nedge++)
            edge_good += sign_round(cv, priv, hls[j], 1000 + e * 4 + j);
    }
    print_message("ecdsa_sign: %s %d/%d random keys verified by OpenSSL and ecdsa_verify_p1363 "
                  "(plain + 2 hedged, each byte-equal to an RFC 6979 reference on OpenSSL HMAC/BN; "
                  "P1363 + DER strict and <= %d bytes; deterministic), "
                  "%d/%d edge-key rounds (d = 1, 2, 3, n-1, n-2, 2^%zu, 2^%zu-1)\n",
                  cv->name, good, ITERS, (int)ECDSA_DER_MAX(cl), edge_good, nedge, 8 * cl - 1,
                  8 * cl - 1);
    assert_int_equal(good, ITERS);
    assert_int_equal(edge_good, nedge);
}

static void test_vs_openssl_p256(void **state)
{
    (void)state;
    diff_curve(&curves[0]);
}

static void test_vs_openssl_p384(void **state)
{
    (void)state;
    diff_curve(&curves[1]);
}

/* ------------------------------------------------------------------ */
/* DER integers with a leading zero byte in r or s (shorter, minimal
   encoding) and with the top bit set (0x00 prefix): searched for over
   deterministic signatures of random hashes, then checked as above. */
static void test_der_shapes(void **state)
{
    (void)state;
    int found = 0;
    for (int ci = 0; ci < 2; ci++) {
        const struct curve *cv = &curves[ci];
        size_t cl = cv->cl;
        uint8_t priv[48], pub[97], h[48], sig[96], der[ECDSA_DER_MAX(48)];
        rand_priv(cv, priv);
        EVP_PKEY *k = ossl_pub(cv, priv, pub);
        int want_r0 = 1, want_s0 = 1, want_hi = 1, shortest = 1000, longest = 0;
        for (int t = 0; t < 20000 && (want_r0 || want_s0 || want_hi); t++) {
            size_t dl = 0;
            rnd(h, cl);
            assert_int_equal(ecdsa_sign_p1363(cv->c, sig, 2 * cl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
            int r0 = sig[0] == 0, s0 = sig[cl] == 0, hi = sig[0] >= 0x80 && sig[cl] >= 0x80;
            if (!((r0 && want_r0) || (s0 && want_s0) || (hi && want_hi)))
                continue;
            assert_int_equal(ecdsa_sign_der(cv->c, der, sizeof der, &dl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
            check_der(cv, der, dl, sig);
            assert_true(ossl_verify_der(k, der, dl, h, cl));
            /* exact length: 2 + (2 + |r|) + (2 + |s|), |x| minimal with a sign byte */
            size_t ilen[2];
            for (int w = 0; w < 2; w++) {
                const uint8_t *v = sig + w * cl;
                size_t i = 0;
                while (i + 1 < cl && v[i] == 0)
                    i++;
                ilen[w] = cl - i + (v[i] >= 0x80);
            }
            assert_int_equal(dl, 6 + ilen[0] + ilen[1]);
            if ((int)dl < shortest)
                shortest = (int)dl;
            if ((int)dl > longest)
                longest = (int)dl;
            want_r0 &= !r0;
            want_s0 &= !s0;
            want_hi &= !hi;
        }
        assert_false(want_r0 || want_s0 || want_hi);
        /* the cap is checked against the maximum, not the actual length */
        size_t dl = 0;
        assert_int_equal(ecdsa_sign_der(cv->c, der, ECDSA_DER_MAX(cl), &dl, priv, cl, h, cl, NULL, 0),
                         CRYPTO_OK);
        assert_int_equal(ecdsa_sign_der(cv->c, der, ECDSA_DER_MAX(cl) - 1, &dl, priv, cl, h, cl, NULL, 0),
                         CRYPTO_ERR_BAD_LENGTH);
        print_message("ecdsa_sign: %s DER with r[0] = 0, s[0] = 0 and both top bits set: parsed, "
                      "re-encoded and verified by OpenSSL (lengths %d..%d, max %d)\n",
                      cv->name, shortest, longest, (int)ECDSA_DER_MAX(cl));
        found += 3;
        EVP_PKEY_free(k);
    }
    assert_int_equal(found, 6);
}

/* ------------------------------------------------------------------ */
/* Hash lengths 0..64 on both curves: a hash shorter than the order is
   taken as an integer (RFC 6979 bits2int left-pads), a longer one keeps
   its leftmost order-length bytes (FIPS 186-5 6.4.1 step 2). OpenSSL
   verifies each signature over the same digest bytes. */
static void test_hash_lengths(void **state)
{
    (void)state;
    int good = 0, total = 0;
    for (int ci = 0; ci < 2; ci++) {
        const struct curve *cv = &curves[ci];
        size_t cl = cv->cl, sl = 2 * cl;
        uint8_t priv[48], pub[97], h[64], pad[64], sig[96], sig2[96];
        rand_priv(cv, priv);
        EVP_PKEY *k = ossl_pub(cv, priv, pub);
        for (size_t hl = 0; hl <= 64; hl++) {
            total++;
            rnd(h, sizeof h);
            assert_int_equal(ecdsa_sign_p1363(cv->c, sig, sl, priv, cl, hl ? h : NULL, hl, NULL, 0), CRYPTO_OK);
            assert_int_equal(ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, hl, sig, sl), CRYPTO_OK);
            if (hl) /* OpenSSL needs a non-empty digest; the empty one is checked via the zero pad */
                assert_true(ossl_verify_raw(k, cl, sig, h, hl));
            ref_sign(cv, priv, h, hl, NULL, 0, sig2);
            assert_memory_equal(sig, sig2, sl);
            if (hl <= cl) {
                /* same integer as cl bytes, zero-padded on the left: same signature */
                memset(pad, 0, cl);
                memcpy(pad + cl - hl, h, hl);
                assert_int_equal(ecdsa_sign_p1363(cv->c, sig2, sl, priv, cl, pad, cl, NULL, 0), CRYPTO_OK);
                assert_memory_equal(sig, sig2, sl);
                assert_true(ossl_verify_raw(k, cl, sig, pad, cl));
            } else {
                /* bytes past the order length do not matter */
                h[hl - 1] ^= 0x5a;
                assert_int_equal(ecdsa_sign_p1363(cv->c, sig2, sl, priv, cl, h, hl, NULL, 0), CRYPTO_OK);
                assert_memory_equal(sig, sig2, sl);
                assert_int_equal(ecdsa_sign_p1363(cv->c, sig2, sl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
                assert_memory_equal(sig, sig2, sl);
            }
            good++;
        }
        EVP_PKEY_free(k);
    }
    print_message("ecdsa_sign: hash lengths 0..64 on P-256 and P-384: %d/%d verified (OpenSSL over the "
                  "same digest bytes, 1..64), equal to the zero-padded / truncated hash\n", good, total);
}

/* A hash whose leading order-length bytes are >= n: bits2octets (RFC 6979
   2.3.4) reduces it mod n before it keys the nonce, and the signature
   equation works mod n, so h and h - n must give the same signature. */
static void test_hash_above_order(void **state)
{
    (void)state;
    int good = 0;
    for (int ci = 0; ci < 2; ci++) {
        const struct curve *cv = &curves[ci];
        size_t cl = cv->cl, sl = 2 * cl;
        uint8_t priv[48], pub[97], n[48], h[64], hm[48], sig[96], sig2[96];
        rand_priv(cv, priv);
        load_hex(cv->n_hex, n, cl);
        EVP_PKEY *k = ossl_pub(cv, priv, pub);
        for (int t = 0; t < 8; t++) {
            /* n <= h < 2^(8 cl): all 0xff, n itself, n + small, n + random low bytes */
            memcpy(h, n, cl);
            if (t == 0)
                memset(h, 0xff, cl);
            else if (t == 2)
                h[cl - 1] += 1;
            else if (t > 2)
                rnd(h + cl - 4, 4); /* n's bytes above are all 0xff..: still >= n unless below */
            if (memcmp(h, n, cl) < 0)
                h[cl - 5] = 0xff; /* lift it above n (byte cl - 5 of n is not 0xff) */
            assert_true(memcmp(h, n, cl) >= 0);
            rnd(h + cl, sizeof h - cl);
            /* hm = h - n (big-endian subtraction) */
            unsigned borrow = 0;
            for (size_t i = cl; i-- > 0;) {
                unsigned d = (unsigned)h[i] - n[i] - borrow;
                hm[i] = (uint8_t)d;
                borrow = (d >> 8) & 1;
            }
            assert_int_equal(borrow, 0);
            size_t hl = t % 2 ? 64 : cl; /* also as the head of a longer hash */
            assert_int_equal(ecdsa_sign_p1363(cv->c, sig, sl, priv, cl, h, hl, NULL, 0), CRYPTO_OK);
            assert_int_equal(ecdsa_sign_p1363(cv->c, sig2, sl, priv, cl, hm, cl, NULL, 0), CRYPTO_OK);
            if (memcmp(sig, sig2, sl)) {
                print_message("ecdsa_sign: %s hash >= n signs differently from hash - n\n", cv->name);
                hexdump("priv", priv, cl);
                hexdump("hash", h, hl);
            }
            assert_memory_equal(sig, sig2, sl);
            ref_sign(cv, priv, h, hl, NULL, 0, sig2);
            assert_memory_equal(sig, sig2, sl);
            assert_true(ossl_verify_raw(k, cl, sig, h, hl));
            assert_true(ossl_verify_raw(k, cl, sig, hm, cl));
            assert_int_equal(ecdsa_verify_p1363(cv->c, pub, 2 * cl + 1, h, hl, sig, sl), CRYPTO_OK);
            good++;
        }
        EVP_PKEY_free(k);
    }
    print_message("ecdsa_sign: hash >= n: %d/16 signatures equal to those of hash - n and verified by "
                  "OpenSSL\n", good);
}

/* ------------------------------------------------------------------ */
static void test_bad_input(void **state)
{
    (void)state;
    int checked = 0;
    for (int ci = 0; ci < 2; ci++) {
        const struct curve *cv = &curves[ci];
        size_t cl = cv->cl, sl = 2 * cl, dl = 0;
        uint8_t priv[49], bad[48], h[64], sig[97], der[ECDSA_DER_MAX(48) + 1], n[48];
        rand_priv(cv, priv);
        rnd(h, sizeof h);
        load_hex(cv->n_hex, n, cl);
        enum ec_curve c = cv->c;
#define CHECK(call, want)                           \
    do {                                            \
        assert_int_equal((call), (want));           \
        checked++;                                  \
    } while (0)
        /* the valid call, for reference */
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
        CHECK(ecdsa_sign_der(c, der, sizeof der, &dl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
        /* private key length */
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, cl - 1, h, cl, NULL, 0), CRYPTO_ERR_BAD_KEY);
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, cl + 1, h, cl, NULL, 0), CRYPTO_ERR_BAD_KEY);
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, 0, h, cl, NULL, 0), CRYPTO_ERR_BAD_KEY);
        CHECK(ecdsa_sign_p1363(c, sig, sl, NULL, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_KEY);
        CHECK(ecdsa_sign_der(c, der, sizeof der, &dl, priv, cl - 1, h, cl, NULL, 0), CRYPTO_ERR_BAD_KEY);
        /* private key value: 0, n, n + 1, all 0xff; n - 1 is fine */
        for (int v = 0; v < 5; v++) {
            memset(bad, 0, cl);
            if (v == 1 || v == 2 || v == 4)
                memcpy(bad, n, cl);
            if (v == 2)
                bad[cl - 1] += 1;
            if (v == 3)
                memset(bad, 0xff, cl);
            if (v == 4)
                bad[cl - 1] -= 1;
            int want = v == 4 ? CRYPTO_OK : CRYPTO_ERR_BAD_KEY;
            CHECK(ecdsa_sign_p1363(c, sig, sl, bad, cl, h, cl, NULL, 0), want);
            CHECK(ecdsa_sign_p1363(c, sig, sl, bad, cl, h, cl, h, 32), want);
            CHECK(ecdsa_sign_der(c, der, sizeof der, &dl, bad, cl, h, cl, NULL, 0), want);
        }
        /* signature buffer */
        CHECK(ecdsa_sign_p1363(c, sig, sl - 1, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(c, sig, sl + 1, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(c, sig, 0, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(c, NULL, sl, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(c, sig, cl == 32 ? 96 : 64, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        /* NULL hash / extra with a non-zero length */
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, cl, NULL, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(c, sig, sl, priv, cl, h, cl, NULL, 16), CRYPTO_ERR_BAD_LENGTH);
        /* DER capacity and output pointers */
        CHECK(ecdsa_sign_der(c, der, ECDSA_DER_MAX(cl) - 1, &dl, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_der(c, der, 0, &dl, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_der(c, NULL, sizeof der, &dl, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_der(c, der, sizeof der, NULL, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_der(c, der, ECDSA_DER_MAX(cl), &dl, priv, cl, h, cl, NULL, 0), CRYPTO_OK);
        /* the other curve's signature length, then its key length */
        CHECK(ecdsa_sign_p1363(ci ? EC_P256 : EC_P384, sig, sl, priv, ci ? 32 : 48, h, cl, NULL, 0),
              CRYPTO_ERR_BAD_LENGTH);
        CHECK(ecdsa_sign_p1363(ci ? EC_P256 : EC_P384, sig, ci ? 64 : 96, priv, cl, h, cl, NULL, 0),
              CRYPTO_ERR_BAD_KEY);
        /* unknown curve */
        CHECK(ecdsa_sign_p1363((enum ec_curve)7, sig, sl, priv, cl, h, cl, NULL, 0), CRYPTO_ERR_UNSUPPORTED);
        CHECK(ecdsa_sign_der((enum ec_curve)7, der, sizeof der, &dl, priv, cl, h, cl, NULL, 0),
              CRYPTO_ERR_UNSUPPORTED);
#undef CHECK
    }
    print_message("ecdsa_sign: bad input %d/%d calls returned the documented error\n", checked, checked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6979),
        cmocka_unit_test(test_vs_openssl_p256),
        cmocka_unit_test(test_vs_openssl_p384),
        cmocka_unit_test(test_der_shapes),
        cmocka_unit_test(test_hash_lengths),
        cmocka_unit_test(test_hash_above_order),
        cmocka_unit_test(test_bad_input),
    };
    for (int i = 0; i < 2; i++)
        if (!(groups[i] = EC_GROUP_new_by_curve_name(curves[i].nid)))
            return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    EC_GROUP_free(groups[0]);
    EC_GROUP_free(groups[1]);
    return rc;
}
