/* The dedicated P-256 code (crypto/p256_field.h, p256_point.c) against
   independent references: the field against the generic bignum Montgomery
   arithmetic of crypto/bn.c on random and edge values (0, 1, p - 1, p - 2,
   2^255, inputs >= p for the decoder), the inversion mod n by its defining
   property; the scalar multiplications against
   the generic curve code of ec_point.c / ec_jacobian.c (itself checked
   against OpenSSL in test_pk_diff) on edge and random scalars. */
#include "unit.h"
#include "crypto/p256_field.h"
#include "crypto/p256_point.h"
#include "crypto/p256_scalar.h"
#include "crypto/ec_internal.h"
#include "crypto/bn.h"

static uint64_t rng = 0x243f6a8885a308d3u;
static uint64_t rnd64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A field element below p: random, or one of the edge values by index. */
static void fe_pick(uint64_t a[4], int it)
{
    const uint64_t *p = ec_p256.p;
    for (int i = 0; i < 4; i++)
        a[i] = rnd64();
    switch (it % 9) {
    case 0: memset(a, 0, 32); break;
    case 1: memset(a, 0, 32); a[0] = 1; break;
    case 2: memcpy(a, p, 32); a[0] -= 1; break;            /* p - 1 */
    case 3: memcpy(a, p, 32); a[0] -= 2; break;            /* p - 2 */
    case 4: memset(a, 0, 32); a[3] = 1ull << 63; break;   /* 2^255 */
    case 5: memcpy(a, ec_p256.p_one, 32); break;           /* R mod p */
    case 6: a[3] = p[3]; a[2] = 0; break;                  /* just below p */
    default: break;
    }
    if (!bn_lt_mask(a, p, 4))
        bn_sub(a, a, p, 4);
}

static void test_field_vs_bignum(void **state)
{
    (void)state;
    const uint64_t *p = ec_p256.p;
    for (int it = 0; it < 30000; it++) {
        uint64_t a[4], b[4], r1[4], r2[4];
        fe_pick(a, it);
        fe_pick(b, it / 9);
        p256_fe_mul(r1, a, b);
        bn_mont_mul(r2, a, b, p, 1, 4);
        assert_memory_equal(r1, r2, 32);
        p256_fe_sqr(r1, a);
        bn_mont_mul(r2, a, a, p, 1, 4);
        assert_memory_equal(r1, r2, 32);
        p256_fe_add(r1, a, b);
        bn_mod_add(r2, a, b, p, 4);
        assert_memory_equal(r1, r2, 32);
        /* a - b: plain difference, plus p on a borrow */
        p256_fe_sub(r1, a, b);
        if (bn_sub(r2, a, b, 4))
            bn_add(r2, r2, p, 4);
        assert_memory_equal(r1, r2, 32);
        /* aliasing */
        memcpy(r1, a, 32);
        p256_fe_mul(r1, r1, r1);
        bn_mont_mul(r2, a, a, p, 1, 4);
        assert_memory_equal(r1, r2, 32);
    }
}

static void test_field_inv(void **state)
{
    (void)state;
    for (int it = 0; it < 200; it++) {
        uint64_t a[4], r1[4], r2[4], one[4];
        fe_pick(a, it);
        p256_fe_inv(r1, a);
        ec_fe_pow(&ec_p256, r2, a, ec_p256.p_minus_2); /* generic Fermat */
        assert_memory_equal(r1, r2, 32);
        p256_fe_mul(one, r1, a);
        if (a[0] | a[1] | a[2] | a[3])
            assert_memory_equal(one, ec_p256.p_one, 32); /* a a^-1 = 1 */
        else
            assert_true((r1[0] | r1[1] | r1[2] | r1[3]) == 0); /* 0 -> 0 */
        memcpy(r2, a, 32);
        p256_fe_inv(r2, r2); /* in place */
        assert_memory_equal(r1, r2, 32);
    }
}

static void test_field_bytes(void **state)
{
    (void)state;
    uint8_t in[32], out[32];
    uint64_t v[4], m[4], want[4];
    /* p - 1 is accepted and round-trips; p, p + 1 and 2^256 - 1 are not */
    bn_to_be(in, 32, ec_p256.p, 4);
    in[31] -= 1;
    assert_true(p256_fe_from_bytes(m, in) == ~(uint64_t)0);
    p256_fe_to_bytes(out, m);
    assert_memory_equal(in, out, 32);
    in[31] += 1;
    assert_true(p256_fe_from_bytes(m, in) == 0);
    assert_true((m[0] | m[1] | m[2] | m[3]) == 0);
    uint64_t p1[4], one[4] = {1, 0, 0, 0};
    bn_add(p1, ec_p256.p, one, 4);
    bn_to_be(in, 32, p1, 4); /* p + 1 */
    assert_true(p256_fe_from_bytes(m, in) == 0);
    memset(in, 0xff, 32);
    assert_true(p256_fe_from_bytes(m, in) == 0);
    for (int it = 0; it < 2000; it++) {
        fe_pick(v, it);
        bn_to_be(in, 32, v, 4);
        assert_true(p256_fe_from_bytes(m, in) == ~(uint64_t)0);
        bn_mont_mul(want, v, ec_p256.p_r2, ec_p256.p, 1, 4); /* v R */
        assert_memory_equal(m, want, 32);
        p256_fe_to_bytes(out, m);
        assert_memory_equal(in, out, 32);
    }
}

/* Scalar < n: edge values by index, else random below n. */
static void scalar_pick(uint64_t k[4], int it)
{
    const uint64_t *n = ec_p256.n;
    memset(k, 0, 32);
    switch (it) {
    case 0: k[0] = 1; return;
    case 1: k[0] = 2; return;
    case 2: k[0] = 15; return;
    case 3: k[0] = 16; return;
    case 4: k[0] = 17; return;
    case 5: k[1] = 1; return;                          /* 2^64 */
    case 6: k[2] = 1; return;                          /* 2^128 */
    case 7: k[0] = k[1] = ~(uint64_t)0; return;        /* 2^128 - 1 */
    case 8: k[3] = 1ull << 63; return;                 /* 2^255 */
    case 9: memcpy(k, n, 32); k[0] -= 1; return;       /* n - 1 */
    case 10: memcpy(k, n, 32); k[0] -= 2; return;      /* n - 2 */
    case 11: memcpy(k, n, 32); k[0] -= 16; return;     /* n - 16 */
    case 12: memcpy(k, n, 32); k[0] -= 15; return;     /* n - 15 */
    case 13: k[3] = 0x0fffffffffffffffu; k[2] = k[1] = k[0] = ~(uint64_t)0; return;
    default:
        for (int i = 0; i < 4; i++)
            k[i] = rnd64();
        if (!bn_lt_mask(k, n, 4))
            bn_sub(k, k, n, 4);
    }
}

/* Affine bytes of a generic homogeneous point (ec_point.c's convention). */
static int generic_affine(uint8_t x[32], uint8_t y[32], const struct ec_point *p)
{
    return ec_point_to_affine(&ec_p256, x, y, p);
}

static void test_mul_vs_generic(void **state)
{
    (void)state;
    const struct ec_curve_def *c = &ec_p256;
    struct ec_point g, q, r;
    uint64_t seven[4] = {7, 0, 0, 0};
    ec_point_generator(c, &g);
    /* a second base: 7G, affine (Z = 1) as ec_point_decode would give */
    uint8_t enc[65], x1[32], y1[32], x2[32], y2[32];
    ec_scalar_mul(c, &q, seven, &g);
    enc[0] = 4;
    assert_int_equal(generic_affine(enc + 1, enc + 33, &q), CRYPTO_OK);
    assert_int_equal(ec_point_decode(c, &q, enc, 65), CRYPTO_OK);
    for (int it = 0; it < 60; it++) {
        uint64_t k[4];
        scalar_pick(k, it);
        /* fixed base against the generic variable-base ladder on G */
        ec_scalar_mul(c, &r, k, &g);
        assert_int_equal(generic_affine(x1, y1, &r), CRYPTO_OK);
        assert_int_equal(p256_point_mul_base(x2, y2, k), CRYPTO_OK);
        assert_memory_equal(x1, x2, 32);
        assert_memory_equal(y1, y2, 32);
        /* variable base on 7G */
        ec_scalar_mul(c, &r, k, &q);
        assert_int_equal(generic_affine(x1, y1, &r), CRYPTO_OK);
        assert_int_equal(p256_point_mul(x2, y2, k, &q), CRYPTO_OK);
        assert_memory_equal(x1, x2, 32);
        assert_memory_equal(y1, y2, 32);
        memset(x2, 0xaa, 32);
        assert_int_equal(p256_point_mul(x2, NULL, k, &q), CRYPTO_OK);
        assert_memory_equal(x1, x2, 32);
    }
    /* small k and k near n, where the signed windows' first and last
       additions are closest to their exceptional cases (p256_point_mul) */
    for (uint64_t j = 1; j <= 40; j++) {
        uint64_t k[4] = {j, 0, 0, 0}, kn[4];
        memcpy(kn, c->n, sizeof kn);
        kn[0] -= j;
        for (int v = 0; v < 2; v++) {
            const uint64_t *kk = v ? kn : k;
            ec_scalar_mul(c, &r, kk, &q);
            assert_int_equal(generic_affine(x1, y1, &r), CRYPTO_OK);
            assert_int_equal(p256_point_mul(x2, y2, kk, &q), CRYPTO_OK);
            assert_memory_equal(x1, x2, 32);
            assert_memory_equal(y1, y2, 32);
        }
    }
    /* k = 0: infinity, reported without output */
    uint64_t zero[4] = {0};
    assert_int_equal(p256_point_mul_base(x2, y2, zero), CRYPTO_ERR_BAD_POINT);
    assert_int_equal(p256_point_mul(x2, y2, zero, &q), CRYPTO_ERR_BAD_POINT);
    for (int i = 0; i < 32; i++)
        assert_int_equal(x2[i] | y2[i], 0);
}

/* p256_sc_inv(a) = a^-1 R mod n: Montgomery-multiplying it by a gives 1
   (bn.c's generic multiplier as the reference), for edge and random a. */
static void test_scalar_inv(void **state)
{
    (void)state;
    const struct ec_curve_def *c = &ec_p256;
    for (int it = 0; it < 300; it++) {
        uint64_t a[4], inv[4], one[4], inv2[4];
        scalar_pick(a, it < 14 ? it : 20);
        p256_sc_inv(inv, a);
        bn_mont_mul(one, inv, a, c->n, c->n0inv, 4);
        assert_true(one[0] == 1 && (one[1] | one[2] | one[3]) == 0);
        assert_true(bn_lt_mask(inv, c->n, 4) != 0);
        memcpy(inv2, a, 32);
        p256_sc_inv(inv2, inv2); /* in place */
        assert_memory_equal(inv, inv2, 32);
    }
}

/* Jacobian points equal: X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3, or both
   infinity (Z = 0). */
static void assert_jac_equal(const struct ec_point *a, const struct ec_point *b)
{
    const struct ec_curve_def *c = &ec_p256;
    int ia = bn_zero_mask(a->z, 4) != 0, ib = bn_zero_mask(b->z, 4) != 0;
    assert_int_equal(ia, ib);
    if (ia)
        return;
    uint64_t za2[4], zb2[4], za3[4], zb3[4], l[4], r[4];
    ec_fe_mul(c, za2, a->z, a->z);
    ec_fe_mul(c, zb2, b->z, b->z);
    ec_fe_mul(c, za3, za2, a->z);
    ec_fe_mul(c, zb3, zb2, b->z);
    ec_fe_mul(c, l, a->x, zb2);
    ec_fe_mul(c, r, b->x, za2);
    assert_memory_equal(l, r, 32);
    ec_fe_mul(c, l, a->y, zb3);
    ec_fe_mul(c, r, b->y, za3);
    assert_memory_equal(l, r, 32);
}

static void test_double_mul_vs_generic(void **state)
{
    (void)state;
    const struct ec_curve_def *c = &ec_p256;
    struct ec_point g, q, r1, r2;
    uint64_t k[4] = {0x1234567, 0x89abcdef, 0x5555, 0x42};
    uint8_t enc[65];
    ec_point_generator(c, &g);
    ec_scalar_mul(c, &q, k, &g);
    enc[0] = 4;
    assert_int_equal(ec_point_to_affine(c, enc + 1, enc + 33, &q), CRYPTO_OK);
    assert_int_equal(ec_point_decode(c, &q, enc, 65), CRYPTO_OK);
    for (int it = 0; it < 120; it++) {
        uint64_t u1[4], u2[4];
        /* any values below 2^256, edges included */
        scalar_pick(u1, it < 14 ? it : 20);
        scalar_pick(u2, (it * 5) % 14);
        if (it % 7 == 3)
            memset(u1, 0, 32);
        if (it % 11 == 4)
            memset(u2, 0, 32);
        if (it % 13 == 5)
            memset(u2, 0xff, 32); /* 2^256 - 1 */
        if (it % 17 == 6)
            memcpy(u1, c->n, 32); /* n: contributes infinity */
        ec_double_scalar_mul_vartime(c, &r1, u1, u2, &q);
        p256_point_mul_double_vartime(&r2, u1, u2, &q);
        assert_jac_equal(&r1, &r2);
    }
    /* Q = G: u1 G + (n - u1) G is infinity; u1 G + u1 G doubles */
    enc[0] = 4;
    assert_int_equal(ec_point_to_affine(c, enc + 1, enc + 33, &g), CRYPTO_OK);
    assert_int_equal(ec_point_decode(c, &q, enc, 65), CRYPTO_OK);
    uint64_t u1[4] = {12345, 0, 0, 0}, u2[4];
    bn_sub(u2, c->n, u1, 4);
    p256_point_mul_double_vartime(&r2, u1, u2, &q);
    assert_true(bn_zero_mask(r2.z, 4) != 0);
    p256_point_mul_double_vartime(&r2, u1, u1, &q);
    uint64_t two_u1[4] = {24690, 0, 0, 0}, zero[4] = {0};
    ec_double_scalar_mul_vartime(c, &r1, two_u1, zero, &q);
    assert_jac_equal(&r1, &r2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_vs_bignum),
        cmocka_unit_test(test_field_inv),
        cmocka_unit_test(test_field_bytes),
        cmocka_unit_test(test_scalar_inv),
        cmocka_unit_test(test_mul_vs_generic),
        cmocka_unit_test(test_double_mul_vs_generic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
