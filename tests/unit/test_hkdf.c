/* HKDF: RFC 5869 appendix A cases 1-3 (SHA-256), every Wycheproof
   hkdf_sha256/384 case, length limit, and HKDF-Expand-Label against the
   RFC 8448 section 3 trace. */
#include "vec.h"
#include "crypto/hkdf.h"
#include "crypto/crypto.h"

static void t_rfc5869(void **s)
{
    (void)s;
    static const struct { const char *ikm, *salt, *info, *prk, *okm; } tc[] = {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
          "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865" },
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
          "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
          "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
          "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
          "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87" },
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
          "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8" },
    };
    for (size_t i = 0; i < 3; i++) {
        uint8_t ikm[100], salt[100], info[100], prk[32], eprk[32], okm[100], eokm[100];
        long il = unit_hex(tc[i].ikm, ikm, 100), sl = unit_hex(tc[i].salt, salt, 100);
        long nl = unit_hex(tc[i].info, info, 100), ol = unit_hex(tc[i].okm, eokm, 100);
        unit_hex(tc[i].prk, eprk, 32);
        hkdf_extract(&hash_sha256, sl ? salt : NULL, (size_t)sl, ikm, (size_t)il, prk);
        assert_memory_equal(prk, eprk, 32);
        assert_int_equal(hkdf_expand(&hash_sha256, prk, 32, info, (size_t)nl, okm, (size_t)ol), CRYPTO_OK);
        assert_memory_equal(okm, eokm, (size_t)ol);
    }
}

struct wp_arg { const struct hash_alg *alg; int n, valid, invalid; };

static void wp_line(char **f, int nf, void *arg)
{
    struct wp_arg *a = arg;
    assert_int_equal(nf, 7);
    size_t il, sl, nl, ol;
    uint8_t *ikm = vec_hex(f[2], &il), *salt = vec_hex(f[3], &sl), *info = vec_hex(f[4], &nl);
    uint8_t *okm = vec_hex(f[6], &ol);
    size_t size = (size_t)atol(f[5]);
    uint8_t prk[64];
    uint8_t *out = malloc(size + 1);
    assert_non_null(out);
    hkdf_extract(a->alg, salt, sl, ikm, il, prk);
    int r = hkdf_expand(a->alg, prk, a->alg->digest_len, info, nl, out, size);
    if (f[1][0] == 'v') {
        assert_int_equal(r, CRYPTO_OK);
        assert_int_equal(ol, size);
        if (memcmp(out, okm, size))
            fail_msg("tcId %s: wrong okm", f[0]);
        a->valid++;
    } else {
        assert_int_equal(f[1][0], 'i');
        if (r != CRYPTO_ERR_BAD_LENGTH)
            fail_msg("tcId %s: invalid case accepted", f[0]);
        a->invalid++;
    }
    a->n++;
    free(ikm); free(salt); free(info); free(okm); free(out);
}

static void run_wp(const char *file, const struct hash_alg *alg)
{
    struct wp_arg a = { alg, 0, 0, 0 };
    long declared = vec_each_line(file, wp_line, &a);
    assert_int_equal(a.n, declared);
    printf("%s: %d/%ld passed (%d valid, %d invalid)\n", file, a.n, declared, a.valid, a.invalid);
}

static void t_wp256(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "hkdf_sha256_test.txt"), &hash_sha256); }
static void t_wp384(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "hkdf_sha384_test.txt"), &hash_sha384); }

static void t_limits(void **s)
{
    (void)s;
    static uint8_t out[255 * 48 + 1];
    uint8_t prk[48] = { 1 };
    assert_int_equal(hkdf_expand(&hash_sha384, prk, 48, NULL, 0, out, 255 * 48), CRYPTO_OK);
    assert_int_equal(hkdf_expand(&hash_sha384, prk, 48, NULL, 0, out, 255 * 48 + 1), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(hkdf_expand(&hash_sha256, prk, 32, NULL, 0, out, 255 * 32 + 1), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(hkdf_expand(&hash_sha256, prk, 32, NULL, 0, out, 0), CRYPTO_OK);
    /* out aliasing prk over several blocks gives the same bytes */
    uint8_t sep[100], alias[100];
    for (int i = 0; i < 48; i++) alias[i] = prk[i] = (uint8_t)(i * 5 + 1);
    assert_int_equal(hkdf_expand(&hash_sha256, prk, 32, (const uint8_t *)"x", 1, sep, 100), CRYPTO_OK);
    assert_int_equal(hkdf_expand(&hash_sha256, alias, 32, (const uint8_t *)"x", 1, alias, 100), CRYPTO_OK);
    assert_memory_equal(sep, alias, 100);
}

/* RFC 8448 section 3: server handshake traffic secret -> key and iv. */
static void t_expand_label(void **s)
{
    (void)s;
    uint8_t secret[32], key[16], iv[12], ekey[16], eiv[12];
    unit_hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", secret, 32);
    unit_hex("3fce516009c21727d0f2e4e86ee403bc", ekey, 16);
    unit_hex("5d313eb2671276ee13000b30", eiv, 12);
    assert_int_equal(hkdf_expand_label(&hash_sha256, secret, 32, "key", NULL, 0, key, 16), CRYPTO_OK);
    assert_int_equal(hkdf_expand_label(&hash_sha256, secret, 32, "iv", NULL, 0, iv, 12), CRYPTO_OK);
    assert_memory_equal(key, ekey, 16);
    assert_memory_equal(iv, eiv, 12);
    /* Derive-Secret(handshake secret, "s hs traffic", transcript hash) */
    uint8_t prk[32], hash[32], out[32];
    unit_hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac", prk, 32);
    unit_hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8", hash, 32);
    assert_int_equal(hkdf_expand_label(&hash_sha256, prk, 32, "s hs traffic", hash, 32, out, 32), CRYPTO_OK);
    assert_memory_equal(out, secret, 32);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_rfc5869), cmocka_unit_test(t_wp256), cmocka_unit_test(t_wp384),
        cmocka_unit_test(t_limits), cmocka_unit_test(t_expand_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
