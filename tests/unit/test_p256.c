/* P-256 / P-384 key generation and ECDH (crypto/p256.h, crypto/p384.h):
   group-law consistency, known points, key range checks, and every case of
   Wycheproof ecdh_secp256r1_ecpoint_test.json and ecdh_secp256r1_test.json. */
#include "unit.h"
#include "pk_json.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/ec_internal.h"
#include "crypto/bn.h"

static const char *P256_G =
    "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
static const char *P256_N = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

/* Complete formulas: doubling agrees with adding a point to itself, and
   P + (-P) is the point at infinity. */
static void test_group_law(void **state)
{
    (void)state;
    const struct ec_curve_def *curves[] = {&ec_p256, &ec_p384};
    for (int ci = 0; ci < 2; ci++) {
        const struct ec_curve_def *c = curves[ci];
        struct ec_point g, d1, d2, neg, sum;
        uint8_t x1[48], y1[48], x2[48], y2[48];
        ec_point_generator(c, &g);
        ec_point_double(c, &d1, &g);
        ec_point_add(c, &d2, &g, &g);
        assert_int_equal(ec_point_to_affine(c, x1, y1, &d1), CRYPTO_OK);
        assert_int_equal(ec_point_to_affine(c, x2, y2, &d2), CRYPTO_OK);
        assert_memory_equal(x1, x2, c->bytes);
        assert_memory_equal(y1, y2, c->bytes);
        /* 3G two ways */
        ec_point_add(c, &d1, &d1, &g);
        ec_point_add(c, &d2, &g, &d2);
        assert_int_equal(ec_point_to_affine(c, x1, y1, &d1), CRYPTO_OK);
        assert_int_equal(ec_point_to_affine(c, x2, y2, &d2), CRYPTO_OK);
        assert_memory_equal(x1, x2, c->bytes);
        assert_memory_equal(y1, y2, c->bytes);
        neg = g;
        uint64_t zero[EC_MAX_LIMBS] = {0};
        ec_fe_sub(c, neg.y, zero, g.y);
        ec_point_add(c, &sum, &g, &neg);
        assert_int_equal(ec_point_to_affine(c, x1, NULL, &sum), CRYPTO_ERR_BAD_POINT);
        /* infinity + G = G, 2 * infinity = infinity */
        ec_point_add(c, &d1, &sum, &g);
        assert_int_equal(ec_point_to_affine(c, x1, y1, &d1), CRYPTO_OK);
        assert_int_equal(ec_point_to_affine(c, x2, y2, &g), CRYPTO_OK);
        assert_memory_equal(x1, x2, c->bytes);
        assert_memory_equal(y1, y2, c->bytes);
        ec_point_double(c, &d1, &sum);
        assert_int_equal(ec_point_to_affine(c, x1, NULL, &d1), CRYPTO_ERR_BAD_POINT);
    }
}

/* The specialized field multipliers (ec_fe_mul) agree with the generic
   CIOS Montgomery multiplication (bn_mont_mul) on random and edge inputs. */
static void test_field_mul_matches_generic(void **state)
{
    (void)state;
    const struct ec_curve_def *curves[] = {&ec_p256, &ec_p384};
    uint64_t st = 0x0123456789abcdefu;
    for (int ci = 0; ci < 2; ci++) {
        const struct ec_curve_def *c = curves[ci];
        size_t n = c->limbs;
        for (int it = 0; it < 20000; it++) {
            uint64_t a[EC_MAX_LIMBS], b[EC_MAX_LIMBS], r1[EC_MAX_LIMBS], r2[EC_MAX_LIMBS];
            for (size_t i = 0; i < n; i++) {
                st ^= st << 13, st ^= st >> 7, st ^= st << 17;
                a[i] = st;
                st ^= st << 13, st ^= st >> 7, st ^= st << 17;
                b[i] = st;
            }
            if (it % 4 == 1) { /* p - 1 - small */
                for (size_t i = 0; i < n; i++)
                    a[i] = c->p[i];
                a[0] -= 1 + (b[0] & 0xff);
            }
            if (it % 8 == 2)
                for (size_t i = 0; i < n; i++)
                    b[i] = c->p[i] - (i == 0); /* p - 1 */
            if (!bn_lt_mask(a, c->p, n))
                bn_sub(a, a, c->p, n);
            if (!bn_lt_mask(b, c->p, n))
                bn_sub(b, b, c->p, n);
            ec_fe_mul(c, r1, a, b);
            bn_mont_mul(r2, a, b, c->p, c->p0inv, n);
            assert_memory_equal(r1, r2, n * 8);
        }
    }
}

static void test_keygen_known(void **state)
{
    (void)state;
    uint8_t priv[32] = {0}, pub[65], want[65], n[32];
    priv[31] = 1;
    assert_int_equal(p256_keygen(pub, priv), CRYPTO_OK);
    assert_int_equal(unit_hex(P256_G, want, sizeof want), 65);
    assert_memory_equal(pub, want, 65);
    /* (n-1) G = -G = (Gx, p - Gy) */
    assert_int_equal(unit_hex(P256_N, n, 32), 32);
    memcpy(priv, n, 32);
    priv[31] -= 1;
    assert_int_equal(p256_keygen(pub, priv), CRYPTO_OK);
    assert_memory_equal(pub, want, 33);
    uint8_t p[32], negy[32];
    assert_int_equal(unit_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", p, 32), 32);
    unsigned borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = p[i] - want[33 + i] - (int)borrow;
        borrow = d < 0;
        negy[i] = (uint8_t)d;
    }
    assert_memory_equal(pub + 33, negy, 32);
    /* out of range: 0, n, n+1, all-ones */
    memset(priv, 0, 32);
    assert_int_equal(p256_keygen(pub, priv), CRYPTO_ERR_BAD_KEY);
    for (int i = 0; i < 65; i++)
        assert_int_equal(pub[i], 0);
    assert_int_equal(p256_keygen(pub, n), CRYPTO_ERR_BAD_KEY);
    memcpy(priv, n, 32);
    priv[31] += 1;
    assert_int_equal(p256_keygen(pub, priv), CRYPTO_ERR_BAD_KEY);
    memset(priv, 0xff, 32);
    assert_int_equal(p256_keygen(pub, priv), CRYPTO_ERR_BAD_KEY);
}

/* Two independent scalar multiplications must agree: p256_keygen (fixed-base
   table) and p256_ecdh with G as the peer (variable-base window ladder),
   on edge scalars (tiny, zero windows, n - 1, n - 2) and random ones. */
static void test_fixed_vs_variable_base(void **state)
{
    (void)state;
    uint8_t g[65], n[32];
    assert_int_equal(unit_hex(P256_G, g, 65), 65);
    assert_int_equal(unit_hex(P256_N, n, 32), 32);
    for (int i = 0; i < 40; i++) {
        uint8_t k[32] = {0}, pub[65], x[32];
        switch (i) {
        case 0: k[31] = 1; break;
        case 1: k[31] = 2; break;
        case 2: k[31] = 15; break;
        case 3: k[31] = 16; break;
        case 4: k[31] = 17; break;
        case 5: k[15] = 1; break;                  /* 2^128 */
        case 6: k[0] = 0x80; break;                /* 2^255 */
        case 7: memcpy(k, n, 32); k[31] -= 1; break; /* n - 1 */
        case 8: memcpy(k, n, 32); k[31] -= 2; break; /* n - 2 */
        case 9: memset(k + 16, 0xff, 16); break;  /* 2^128 - 1 */
        default:
            for (int j = 0; j < 32; j++)
                k[j] = (uint8_t)(i * 37 + j * 11 + (i * j) % 7);
            k[0] &= 0x7f;
        }
        assert_int_equal(p256_keygen(pub, k), CRYPTO_OK);
        assert_int_equal(p256_ecdh(x, k, g, 65), CRYPTO_OK);
        assert_memory_equal(x, pub + 1, 32);
    }
}

/* RFC 5903 section 8.1 (256-bit random ECP group) test vector. */
static void test_rfc5903(void **state)
{
    (void)state;
    uint8_t i[32], r[32], gi[65], gr[65], want_gi[65], want_gr[65], want_z[32], z1[32], z2[32];
    unit_hex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433", i, 32);
    unit_hex("04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
             "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3", want_gi, 65);
    unit_hex("c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53", r, 32);
    unit_hex("04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
             "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab", want_gr, 65);
    unit_hex("d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de", want_z, 32);
    assert_int_equal(p256_keygen(gi, i), CRYPTO_OK);
    assert_int_equal(p256_keygen(gr, r), CRYPTO_OK);
    assert_memory_equal(gi, want_gi, 65);
    assert_memory_equal(gr, want_gr, 65);
    assert_int_equal(p256_ecdh(z1, i, gr, 65), CRYPTO_OK);
    assert_int_equal(p256_ecdh(z2, r, gi, 65), CRYPTO_OK);
    assert_memory_equal(z1, want_z, 32);
    assert_memory_equal(z2, want_z, 32);
}

static void test_point_validation(void **state)
{
    (void)state;
    uint8_t priv[32], g[65], bad[65], out[32];
    memset(priv, 0x11, 32);
    assert_int_equal(unit_hex(P256_G, g, 65), 65);
    assert_int_equal(p256_ecdh(out, priv, g, 65), CRYPTO_OK);
    assert_int_equal(p256_ecdh(out, priv, g, 64), CRYPTO_ERR_BAD_POINT);
    assert_int_equal(p256_ecdh(out, priv, g, 33), CRYPTO_ERR_BAD_POINT);
    assert_int_equal(p256_ecdh(out, priv, NULL, 0), CRYPTO_ERR_BAD_POINT);
    memcpy(bad, g, 65);
    bad[0] = 0x03;
    assert_int_equal(p256_ecdh(out, priv, bad, 65), CRYPTO_ERR_BAD_POINT);
    memcpy(bad, g, 65);
    bad[64] ^= 1; /* off the curve */
    assert_int_equal(p256_ecdh(out, priv, bad, 65), CRYPTO_ERR_BAD_POINT);
    memset(bad, 0, 65);
    bad[0] = 4; /* (0,0) */
    assert_int_equal(p256_ecdh(out, priv, bad, 65), CRYPTO_ERR_BAD_POINT);
    memset(bad + 1, 0xff, 64); /* coordinates >= p */
    assert_int_equal(p256_ecdh(out, priv, bad, 65), CRYPTO_ERR_BAD_POINT);
    memset(priv, 0, 32);
    memset(out, 0x77, sizeof out);
    assert_int_equal(p256_ecdh(out, priv, g, 65), CRYPTO_ERR_BAD_KEY);
    static const uint8_t zero[32];
    assert_memory_equal(out, zero, 32); /* nothing computed with the stand-in scalar escapes */
}

/* Cheap deterministic generator for test scalars. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static void test_rand(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        p[i] = (uint8_t)rng_state;
    }
}

static void test_dh_agreement(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++) {
        uint8_t a[32], b[32], pa[65], pb[65], s1[32], s2[32];
        test_rand(a, 32);
        test_rand(b, 32);
        a[0] &= 0x7f;
        b[0] &= 0x7f;
        assert_int_equal(p256_keygen(pa, a), CRYPTO_OK);
        assert_int_equal(p256_keygen(pb, b), CRYPTO_OK);
        assert_int_equal(p256_ecdh(s1, a, pb, 65), CRYPTO_OK);
        assert_int_equal(p256_ecdh(s2, b, pa, 65), CRYPTO_OK);
        assert_memory_equal(s1, s2, 32);
    }
    for (int i = 0; i < 5; i++) {
        uint8_t a[48], b[48], pa[97], pb[97], s1[48], s2[48];
        test_rand(a, 48);
        test_rand(b, 48);
        a[0] &= 0x7f;
        b[0] &= 0x7f;
        assert_int_equal(p384_keygen(pa, a), CRYPTO_OK);
        assert_int_equal(p384_keygen(pb, b), CRYPTO_OK);
        assert_int_equal(p384_ecdh(s1, a, pb, 97), CRYPTO_OK);
        assert_int_equal(p384_ecdh(s2, b, pa, 97), CRYPTO_OK);
        assert_memory_equal(s1, s2, 48);
    }
}

/* Big-endian scalar of any length to exactly 32 bytes; -1 if it does not fit. */
static int priv32(const char *hex, uint8_t out[32])
{
    uint8_t buf[64];
    long n = unit_hex(hex, buf, sizeof buf);
    if (n < 0)
        return -1;
    long skip = 0;
    while (n - skip > 32 && buf[skip] == 0)
        skip++;
    if (n - skip > 32)
        return -1;
    memset(out, 0, 32);
    memcpy(out + 32 - (n - skip), buf + skip, (size_t)(n - skip));
    return 0;
}

/* The only SubjectPublicKeyInfo a TLS peer would send for P-256 (RFC 5480):
   SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING 04||X||Y }.
   Anything else (BER variants, explicit parameters, other curves) is rejected. */
static const uint8_t spki_prefix[] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

static void run_ecdh_file(const char *path, int spki)
{
    struct pk_json *doc = pk_json_load(path);
    assert_non_null(doc);
    long expected = pk_json_num(doc, "numberOfTests");
    int total = 0, passed = 0, accepted_acceptable = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            const char *result = pk_json_str(t, "result");
            uint8_t priv[32], want[32], got[32];
            size_t publen;
            uint8_t *pub = pk_json_hex(pk_json_str(t, "public"), &publen);
            int rc = CRYPTO_ERR_BAD_KEY;
            assert_non_null(pub);
            const uint8_t *point = pub;
            size_t plen = publen;
            if (spki) {
                if (publen == sizeof spki_prefix + 65 && !memcmp(pub, spki_prefix, sizeof spki_prefix)) {
                    point = pub + sizeof spki_prefix;
                    plen = 65;
                } else {
                    point = NULL;
                    plen = 0;
                }
            }
            int have_want = unit_hex(pk_json_str(t, "shared"), want, 32) == 32;
            if (priv32(pk_json_str(t, "private"), priv) == 0)
                rc = p256_ecdh(got, priv, point, plen);
            int ok;
            static const uint8_t zero[32];
            if (!strcmp(result, "valid") && have_want && !memcmp(want, zero, 32))
                /* x = 0 is a real P-256 point; our API still reports the
                   all-zero secret (p256.h) but must have computed it. */
                ok = rc == CRYPTO_ERR_ZERO_SECRET && !memcmp(got, want, 32);
            else if (!strcmp(result, "valid"))
                ok = rc == CRYPTO_OK && have_want && !memcmp(got, want, 32);
            else if (!strcmp(result, "invalid"))
                ok = rc != CRYPTO_OK;
            else /* acceptable: either, but a success must be right */
                ok = rc != CRYPTO_OK || (have_want && !memcmp(got, want, 32));
            if (!strcmp(result, "acceptable") && rc == CRYPTO_OK)
                accepted_acceptable++;
            if (ok)
                passed++;
            else
                print_error("%s tcId %ld (%s) failed rc=%s\n", path, pk_json_num(t, "tcId"), result,
                            crypto_err_str(rc));
            free(pub);
        }
    }
    pk_json_free(doc);
    print_message("%s: %d/%d passed (%d acceptable accepted)\n", strrchr(path, '/') + 1, passed,
                  total, accepted_acceptable);
    assert_int_equal(total, expected);
    assert_int_equal(passed, total);
}

static void test_wycheproof_ecpoint(void **state)
{
    (void)state;
    run_ecdh_file(unit_vec(UNIT_SHARED, "ecdh_secp256r1_ecpoint_test.json"), 0);
}

static void test_wycheproof_spki(void **state)
{
    (void)state;
    run_ecdh_file(unit_vec(UNIT_SHARED, "ecdh_secp256r1_test.json"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_law),
        cmocka_unit_test(test_field_mul_matches_generic),
        cmocka_unit_test(test_keygen_known),
        cmocka_unit_test(test_fixed_vs_variable_base),
        cmocka_unit_test(test_rfc5903),
        cmocka_unit_test(test_point_validation),
        cmocka_unit_test(test_dh_agreement),
        cmocka_unit_test(test_wycheproof_ecpoint),
        cmocka_unit_test(test_wycheproof_spki),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
