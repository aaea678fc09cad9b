/* X25519 (crypto/x25519.h): RFC 7748 known answers, the iterated test and
   every case of Wycheproof x25519_test.json. */
#include "unit.h"
#include "pk_json.h"
#include "crypto/x25519.h"

static void hex32(const char *h, uint8_t out[32])
{
    assert_int_equal(unit_hex(h, out, 32), 32);
}

/* RFC 7748 section 5.2, first two vectors. */
static void test_rfc7748_vectors(void **state)
{
    (void)state;
    static const char *v[][3] = {
        {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
         "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
         "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
        {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
         "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
         "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
    };
    for (size_t i = 0; i < 2; i++) {
        uint8_t k[32], u[32], want[32], got[32];
        hex32(v[i][0], k);
        hex32(v[i][1], u);
        hex32(v[i][2], want);
        assert_int_equal(x25519(got, k, u), CRYPTO_OK);
        assert_memory_equal(got, want, 32);
        /* in-place: out aliases the point */
        assert_int_equal(x25519(u, k, u), CRYPTO_OK);
        assert_memory_equal(u, want, 32);
    }
}

/* RFC 7748 section 5.2: k = u = 9; k, u = X25519(k, u), k; after 1 and 1000 rounds. */
static void test_rfc7748_iterated(void **state)
{
    (void)state;
    uint8_t k[32] = {9}, u[32] = {9}, r[32], w1[32], w1000[32];
    hex32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", w1);
    hex32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", w1000);
    for (int i = 1; i <= 1000; i++) {
        assert_int_equal(x25519(r, k, u), CRYPTO_OK);
        memcpy(u, k, 32);
        memcpy(k, r, 32);
        if (i == 1)
            assert_memory_equal(k, w1, 32);
    }
    assert_memory_equal(k, w1000, 32);
}

/* RFC 7748 section 6.1 Diffie-Hellman example. */
static void test_rfc7748_dh(void **state)
{
    (void)state;
    uint8_t a[32], b[32], apub[32], bpub[32], want_a[32], want_b[32], want_k[32], k1[32], k2[32];
    hex32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a);
    hex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", want_a);
    hex32("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b);
    hex32("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", want_b);
    hex32("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", want_k);
    x25519_base(apub, a);
    x25519_base(bpub, b);
    assert_memory_equal(apub, want_a, 32);
    assert_memory_equal(bpub, want_b, 32);
    assert_int_equal(x25519(k1, a, bpub), CRYPTO_OK);
    assert_int_equal(x25519(k2, b, apub), CRYPTO_OK);
    assert_memory_equal(k1, want_k, 32);
    assert_memory_equal(k2, want_k, 32);
}

/* A low-order point gives an all-zero secret, which must be reported. */
static void test_zero_secret(void **state)
{
    (void)state;
    uint8_t k[32], zero_u[32] = {0}, one_u[32] = {1}, out[32];
    memset(k, 0x5a, sizeof k);
    assert_int_equal(x25519(out, k, zero_u), CRYPTO_ERR_ZERO_SECRET);
    assert_int_equal(x25519(out, k, one_u), CRYPTO_ERR_ZERO_SECRET);
}

/* Wycheproof x25519_test.json: every case. valid/acceptable give the stated
   shared value; an all-zero expected value must come with ZERO_SECRET. */
static void test_wycheproof(void **state)
{
    (void)state;
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, "x25519_test.json"));
    assert_non_null(doc);
    long expected = pk_json_num(doc, "numberOfTests");
    int total = 0, passed = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            uint8_t pub[32], priv[32], want[32], got[32], zero[32] = {0};
            total++;
            const char *result = pk_json_str(t, "result");
            if (unit_hex(pk_json_str(t, "public"), pub, 32) != 32 ||
                unit_hex(pk_json_str(t, "private"), priv, 32) != 32 ||
                unit_hex(pk_json_str(t, "shared"), want, 32) != 32) {
                /* no x25519 case has other lengths; count it as failure */
                print_error("tcId %ld: bad lengths\n", pk_json_num(t, "tcId"));
                continue;
            }
            int rc = x25519(got, priv, pub);
            int want_zero = memcmp(want, zero, 32) == 0;
            int ok = memcmp(got, want, 32) == 0 &&
                     rc == (want_zero ? CRYPTO_ERR_ZERO_SECRET : CRYPTO_OK) &&
                     strcmp(result, "invalid") != 0;
            if (ok)
                passed++;
            else
                print_error("tcId %ld (%s) failed rc=%d\n", pk_json_num(t, "tcId"), result, rc);
        }
    }
    pk_json_free(doc);
    print_message("x25519_test.json: %d/%d passed\n", passed, total);
    assert_int_equal(total, expected);
    assert_int_equal(passed, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7748_vectors),
        cmocka_unit_test(test_rfc7748_iterated),
        cmocka_unit_test(test_rfc7748_dh),
        cmocka_unit_test(test_zero_secret),
        cmocka_unit_test(test_wycheproof),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
