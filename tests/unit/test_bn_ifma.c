/* The AVX-512 IFMA exponentiation (crypto/bn_ifma.c) against the portable
   64-bit Montgomery code (bn_mont_mul/bn_mont_sqr, rsa.c's loop) and
   against OpenSSL's BN_mod_exp: moduli of 1024..4096 bits and every limb
   count between (each register count 3..10), edge moduli (all ones, 2^k + 1,
   top limb 1), bases 0, 1, 2, m-1, m-2 and random, exponents 3, 65537, 2^64 + 1
   and random odd ones. Left out (and said so) where CPUID/XCR0 lack IFMA. */
#include "unit.h"
#include <openssl/bn.h>
#include "crypto/bn.h"
#include "crypto/bn_ifma.h"
#include "crypto/impl.h"

static uint64_t g_rnd = 0x2545f4914f6cdd1dULL;
static uint64_t rnd64(void)
{
    g_rnd ^= g_rnd << 13; g_rnd ^= g_rnd >> 7; g_rnd ^= g_rnd << 17;
    return g_rnd;
}

/* reference: rsa.c's portable square-and-multiply */
static void ref_modexp(uint64_t *r, const uint64_t *s, const uint64_t *e, size_t ebits,
                       const uint64_t *m, size_t n)
{
    uint64_t sm[BN_MAX_LIMBS], acc[BN_MAX_LIMBS];
    uint64_t m0inv = bn_mont_m0inv(m[0]);
    bn_mod_shl_vartime(sm, s, n, m, n);
    memcpy(acc, sm, n * 8);
    for (size_t b = ebits - 1; b-- > 1;) {
        bn_mont_sqr(acc, acc, m, m0inv, n);
        if ((e[b / 64] >> (b % 64)) & 1)
            bn_mont_mul(acc, acc, sm, m, m0inv, n);
    }
    bn_mont_sqr(acc, acc, m, m0inv, n);
    bn_mont_mul(acc, acc, s, m, m0inv, n);
    memcpy(r, acc, n * 8);
}

static BIGNUM *to_bn(const uint64_t *a, size_t n)
{
    uint8_t be[8 * BN_MAX_LIMBS];
    bn_to_be(be, 8 * n, a, n);
    BIGNUM *x = BN_bin2bn(be, (int)(8 * n), NULL);
    assert_non_null(x);
    return x;
}

static void ossl_modexp(uint64_t *r, const uint64_t *s, const uint64_t *e, size_t ebits,
                        const uint64_t *m, size_t n)
{
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *bs = to_bn(s, n), *be = to_bn(e, (ebits + 63) / 64), *bm = to_bn(m, n), *br = BN_new();
    assert_int_equal(BN_mod_exp(br, bs, be, bm, ctx), 1);
    uint8_t out[8 * BN_MAX_LIMBS];
    assert_true(BN_bn2binpad(br, out, (int)(8 * n)) == (int)(8 * n));
    assert_int_equal(bn_from_be(r, n, out, 8 * n), 0);
    BN_free(bs); BN_free(be); BN_free(bm); BN_free(br);
    BN_CTX_free(ctx);
}

static int have_ifma(void)
{
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    crypto_set_ifma(1);
    if (crypto_use_ifma())
        return 1;
    printf("bn_ifma: AVX-512 IFMA not available here (CPUID/XCR0), left out\n");
    return 0;
}

static size_t bitlen(const uint64_t *a, size_t n) { return bn_bitlen(a, n); }

/* one case: IFMA == portable == OpenSSL, result < m */
static void check(const uint64_t *s, const uint64_t *e, const uint64_t *m, size_t n)
{
    uint64_t got[BN_MAX_LIMBS], ref[BN_MAX_LIMBS], oss[BN_MAX_LIMBS];
    size_t ebits = bitlen(e, n);
    memset(got, 0xa5, sizeof got);
    assert_int_equal(bn_ifma_modexp_vartime(got, s, e, ebits, m, n), 0);
    ref_modexp(ref, s, e, ebits, m, n);
    ossl_modexp(oss, s, e, ebits, m, n);
    assert_memory_equal(ref, oss, n * 8);
    assert_memory_equal(got, ref, n * 8);
    assert_true(bn_lt_mask(got, m, n) != 0);
}

static void rand_below(uint64_t *x, const uint64_t *m, size_t n)
{
    do {
        for (size_t i = 0; i < n; i++)
            x[i] = rnd64();
        x[n - 1] &= m[n - 1] | (m[n - 1] >> 1) | (m[n - 1] >> 2) | (m[n - 1] >> 4) |
                   (m[n - 1] >> 8) | (m[n - 1] >> 16) | (m[n - 1] >> 32);
    } while (!bn_lt_mask(x, m, n));
}

/* bases 0, 1, 2, m-1, m-2, random, each with e = 3, 65537, 2^64 + 1 and a
   random odd exponent below m */
static void check_modulus(const uint64_t *m, size_t n)
{
    uint64_t s[BN_MAX_LIMBS], e[BN_MAX_LIMBS], one[BN_MAX_LIMBS] = {1}, two[BN_MAX_LIMBS] = {2};
    uint64_t bases[6][BN_MAX_LIMBS];
    memset(bases, 0, sizeof bases);
    memcpy(bases[1], one, sizeof one);
    memcpy(bases[2], two, sizeof two);
    bn_sub(bases[3], m, one, n);
    bn_sub(bases[4], m, two, n);
    rand_below(bases[5], m, n);
    for (int k = 0; k < 4; k++) {
        memset(e, 0, sizeof e);
        if (k == 0)
            e[0] = 3;
        else if (k == 1)
            e[0] = 65537;
        else if (k == 2 && n > 1)
            e[0] = 1, e[1] = 1;
        else {
            rand_below(e, m, n);
            if (n > 4) /* at most 256 bits, so the ASan build stays quick */
                memset(e + 4, 0, (n - 4) * 8);
            e[0] |= 1;
            if (bitlen(e, n) < 2)
                e[0] = 3;
        }
        for (int b = 0; b < 6; b++) {
            memcpy(s, bases[b], sizeof s);
            check(s, e, m, n);
        }
    }
}

static void test_edge_moduli(void **state)
{
    (void)state;
    if (!have_ifma())
        return;
    static const size_t sizes[] = {16, 24, 32, 48, 64};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        size_t n = sizes[z];
        uint64_t m[BN_MAX_LIMBS];
        /* all ones: the largest modulus of n limbs (4m just below R) */
        memset(m, 0xff, n * 8);
        check_modulus(m, n);
        /* 2^(64n - 1) + 1 */
        memset(m, 0, n * 8);
        m[0] = 1;
        m[n - 1] = UINT64_C(1) << 63;
        check_modulus(m, n);
        /* top limb 1: the smallest modulus of n limbs */
        memset(m, 0, n * 8);
        m[0] = UINT64_C(0xffffffff00000001);
        m[n - 1] = 1;
        check_modulus(m, n);
    }
}

/* every limb count 16..64 (register counts 3..10), random odd moduli */
static void test_random_moduli(void **state)
{
    (void)state;
    if (!have_ifma())
        return;
    for (size_t n = 16; n <= 64; n++) {
        for (int rep = 0; rep < (n == 32 ? 6 : 1); rep++) {
            uint64_t m[BN_MAX_LIMBS];
            for (size_t i = 0; i < n; i++)
                m[i] = rnd64();
            m[0] |= 1;
            m[n - 1] |= UINT64_C(1) << 63;
            if (rep & 1)
                m[n - 1] >>= 1 + rnd64() % 40; /* shorter top limb */
            check_modulus(m, n);
        }
    }
}

/* small limb counts (V = 1, 2) are reachable through the API too */
/* the policy: PORTABLE and EMULATED never take IFMA, nor crypto_set_ifma(0) */
static void test_policy(void **state)
{
    (void)state;
    crypto_set_impl(CRYPTO_IMPL_PORTABLE);
    assert_int_equal(crypto_use_ifma(), 0);
    crypto_set_impl(CRYPTO_IMPL_EMULATED);
    assert_int_equal(crypto_use_ifma(), 0);
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    crypto_set_ifma(0);
    assert_int_equal(crypto_use_ifma(), 0);
    crypto_set_ifma(1);
}

static void test_small_and_limits(void **state)
{
    (void)state;
    if (!have_ifma())
        return;
    for (size_t n = 1; n < 16; n++) {
        uint64_t m[BN_MAX_LIMBS];
        for (size_t i = 0; i < n; i++)
            m[i] = rnd64();
        m[0] |= 1;
        m[n - 1] |= UINT64_C(1) << 62;
        check_modulus(m, n);
    }
    uint64_t r[BN_MAX_LIMBS] = {0}, x[BN_MAX_LIMBS] = {0}, e[1] = {3};
    assert_int_equal(bn_ifma_modexp_vartime(r, x, e, 2, x, 0), -1);
    assert_int_equal(bn_ifma_modexp_vartime(r, x, e, 2, x, BN_IFMA_MAX_LIMBS + 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_moduli),
        cmocka_unit_test(test_random_moduli),
        cmocka_unit_test(test_small_and_limits),
        cmocka_unit_test(test_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
