/* HMAC-SHA-256/384/512: RFC 4231 test cases, every Wycheproof hmac_sha256/384
   case (valid/invalid), incremental vs one-shot, hmac_verify tamper checks. */
#include "vec.h"
#include "crypto/hmac.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

/* RFC 4231 section 4: cases 1-7 (case 5 is truncated to 128 bits). */
static void t_rfc4231(void **s)
{
    (void)s;
    static const struct { const char *key, *data, *h256, *h384, *h512; size_t trunc; } tc[] = {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
          "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
          "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854", 0 },
        { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
          "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
          "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737", 0 },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
          "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
          "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb", 0 },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819",
          "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
          "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
          "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd", 0 },
        { "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
          "a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897",
          "415fad6271580a531d4179bc891d87a6", 16 },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
          "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
          "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598", 0 },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
          "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
          "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
          "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58", 0 },
    };
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384, &hash_sha512 };
    for (size_t i = 0; i < sizeof tc / sizeof tc[0]; i++) {
        uint8_t key[200], data[200], exp[64], out[64];
        long kl = unit_hex(tc[i].key, key, sizeof key), dl = unit_hex(tc[i].data, data, sizeof data);
        assert_true(kl > 0 && dl > 0);
        const char *hx[] = { tc[i].h256, tc[i].h384, tc[i].h512 };
        for (int a = 0; a < 3; a++) {
            long el = unit_hex(hx[a], exp, sizeof exp);
            hmac(algs[a], key, (size_t)kl, data, (size_t)dl, out);
            assert_memory_equal(out, exp, (size_t)el);
            assert_int_equal(hmac_verify(algs[a], key, (size_t)kl, data, (size_t)dl, exp, (size_t)el), CRYPTO_OK);
            /* incremental, byte at a time */
            hmac_ctx c;
            hmac_init(&c, algs[a], key, (size_t)kl);
            for (long j = 0; j < dl; j++)
                hmac_update(&c, data + j, 1);
            hmac_final(&c, out);
            assert_memory_equal(out, exp, (size_t)el);
            /* final wipes the context */
            static const hmac_ctx zero;
            assert_memory_equal(&c, &zero, sizeof c);
        }
    }
}

struct wp_arg { const struct hash_alg *alg; int n, valid, invalid; };

static void wp_line(char **f, int nf, void *arg)
{
    struct wp_arg *a = arg;
    assert_int_equal(nf, 7);
    size_t kl, ml, tl;
    uint8_t *key = vec_hex(f[4], &kl), *msg = vec_hex(f[5], &ml), *tag = vec_hex(f[6], &tl);
    size_t tagbits = (size_t)atol(f[3]);
    assert_int_equal(kl * 8, (size_t)atol(f[2]));
    uint8_t out[64];
    hmac(a->alg, key, kl, msg, ml, out);
    int match = tl == tagbits / 8 && memcmp(out, tag, tl) == 0;
    int vr = tl ? hmac_verify(a->alg, key, kl, msg, ml, tag, tl) : CRYPTO_ERR_BAD_LENGTH;
    if (f[1][0] == 'v') {
        if (!match || vr != CRYPTO_OK)
            fail_msg("tcId %s: valid case rejected", f[0]);
        a->valid++;
    } else {
        assert_int_equal(f[1][0], 'i');
        if (match || vr == CRYPTO_OK)
            fail_msg("tcId %s: invalid case accepted", f[0]);
        a->invalid++;
    }
    a->n++;
    free(key);
    free(msg);
    free(tag);
}

static void run_wp(const char *file, const struct hash_alg *alg)
{
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(im ? CRYPTO_IMPL_PORTABLE : CRYPTO_IMPL_AUTO);
        struct wp_arg a = { alg, 0, 0, 0 };
        long declared = vec_each_line(file, wp_line, &a);
        assert_int_equal(a.n, declared);
        printf("%s [%s]: %d/%ld passed (%d valid, %d invalid)\n", file, im ? "portable" : "auto",
               a.n, declared, a.valid, a.invalid);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_wp256(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "hmac_sha256_test.txt"), &hash_sha256); }
static void t_wp384(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "hmac_sha384_test.txt"), &hash_sha384); }

static void t_tamper(void **s)
{
    (void)s;
    uint8_t key[32], msg[100], tag[32];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 100; i++)
        msg[i] = (uint8_t)(3 * i);
    hmac(&hash_sha256, key, 32, msg, 100, tag);
    assert_int_equal(hmac_verify(&hash_sha256, key, 32, msg, 100, tag, 32), CRYPTO_OK);
    for (int bit = 0; bit < 256; bit++) {
        tag[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        assert_int_equal(hmac_verify(&hash_sha256, key, 32, msg, 100, tag, 32), CRYPTO_ERR_AUTH);
        tag[bit / 8] ^= (uint8_t)(1 << (bit % 8));
    }
    msg[99] ^= 1;
    assert_int_equal(hmac_verify(&hash_sha256, key, 32, msg, 100, tag, 32), CRYPTO_ERR_AUTH);
    assert_int_equal(hmac_verify(&hash_sha256, key, 32, msg, 100, tag, 0), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(hmac_verify(&hash_sha256, key, 32, msg, 100, tag, 33), CRYPTO_ERR_BAD_LENGTH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_rfc4231), cmocka_unit_test(t_wp256),
        cmocka_unit_test(t_wp384), cmocka_unit_test(t_tamper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
