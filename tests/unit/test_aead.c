/* aead_*: the TLS 1.3 AEAD interface. Wycheproof AES-GCM (128/256-bit keys,
   96-bit IV, 128-bit tag: the TLS subset) and ChaCha20-Poly1305 (12-byte
   nonces) through aead_seal/aead_open with each implementation; in place vs
   separate buffers; tamper; length and id checks. */
#include "vec.h"
#include "crypto/aead.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

static const enum crypto_impl impls[] = { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE };

struct wp_arg { int chacha, n, skipped; };

static void wp_line(char **f, int nf, void *arg)
{
    struct wp_arg *a = arg;
    assert_int_equal(nf, 11);
    int kbits = atoi(f[2]), ivbits = atoi(f[3]), tbits = atoi(f[4]);
    if ((!a->chacha && kbits != 128 && kbits != 256) || ivbits != 96 || tbits != 128) {
        a->skipped++;
        return;
    }
    enum aead_id id = a->chacha ? AEAD_CHACHA20_POLY1305 : kbits == 128 ? AEAD_AES128_GCM : AEAD_AES256_GCM;
    size_t kl, il, al, ml, cl, tl;
    uint8_t *key = vec_hex(f[5], &kl), *iv = vec_hex(f[6], &il), *aad = vec_hex(f[7], &al);
    uint8_t *msg = vec_hex(f[8], &ml), *ct = vec_hex(f[9], &cl), *tag = vec_hex(f[10], &tl);
    uint8_t *sealed = malloc(ml + 16), *buf = malloc(cl + 16), *out = malloc(cl + 1);
    memcpy(buf, ct, cl);
    memcpy(buf + cl, tag, 16);
    aead_ctx c;
    assert_int_equal(aead_init(&c, id, key, kl), CRYPTO_OK);
    int valid = f[1][0] == 'v';
    int r = aead_open(&c, iv, aad, al, buf, cl + 16, out);
    if (valid) {
        assert_int_equal(r, CRYPTO_OK);
        assert_memory_equal(out, msg, ml);
        assert_int_equal(aead_seal(&c, iv, aad, al, msg, ml, sealed), CRYPTO_OK);
        assert_memory_equal(sealed, buf, cl + 16);
        /* in place both ways */
        memcpy(sealed, msg, ml);
        assert_int_equal(aead_seal(&c, iv, aad, al, sealed, ml, sealed), CRYPTO_OK);
        assert_memory_equal(sealed, buf, cl + 16);
        assert_int_equal(aead_open(&c, iv, aad, al, sealed, cl + 16, sealed), CRYPTO_OK);
        assert_memory_equal(sealed, msg, ml);
    } else {
        if (r != CRYPTO_ERR_AUTH)
            fail_msg("tcId %s: invalid case gave %s", f[0], crypto_err_str(r));
    }
    aead_wipe(&c);
    a->n++;
    free(key); free(iv); free(aad); free(msg); free(ct); free(tag); free(sealed); free(buf); free(out);
}

static void run_wp(const char *file, int chacha)
{
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        struct wp_arg a = { chacha, 0, 0 };
        long declared = vec_each_line(file, wp_line, &a);
        assert_int_equal(a.n + a.skipped, declared);
        assert_true(a.n > 100);
        printf("%s via aead [%s]: %d/%d passed (%d outside TLS parameters, covered by the direct suite)\n",
               file, im ? "portable" : "auto", a.n, a.n, a.skipped);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_wp_gcm(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "aes_gcm_test.txt"), 0); }
static void t_wp_chacha(void **s) { (void)s; run_wp(unit_vec(UNIT_GENERATED, "chacha20_poly1305_test.txt"), 1); }

static void t_tamper_inplace(void **s)
{
    (void)s;
    srand(3);
    enum aead_id ids[] = { AEAD_AES128_GCM, AEAD_AES256_GCM, AEAD_CHACHA20_POLY1305 };
    static uint8_t pt[300], sep[316], inpl[316], out[300];
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        for (int i = 0; i < 3; i++) {
            uint8_t key[32], nonce[12], aad[20];
            for (int k = 0; k < 32; k++) key[k] = (uint8_t)rand();
            for (int k = 0; k < 12; k++) nonce[k] = (uint8_t)rand();
            for (int k = 0; k < 20; k++) aad[k] = (uint8_t)rand();
            size_t len = 37 + 100 * (size_t)i;
            for (size_t k = 0; k < len; k++) pt[k] = (uint8_t)rand();
            aead_ctx c;
            assert_int_equal(aead_init(&c, ids[i], key, aead_key_len(ids[i])), CRYPTO_OK);
            assert_int_equal(aead_seal(&c, nonce, aad, 20, pt, len, sep), CRYPTO_OK);
            memcpy(inpl, pt, len);
            assert_int_equal(aead_seal(&c, nonce, aad, 20, inpl, len, inpl), CRYPTO_OK);
            assert_memory_equal(sep, inpl, len + 16);
            assert_memory_not_equal(sep, pt, len);
            for (size_t b = 0; b < (len + 16) * 8; b += 5) {     /* ciphertext and tag bits */
                sep[b / 8] ^= (uint8_t)(1u << (b % 8));
                memset(out, 0x77, len);
                assert_int_equal(aead_open(&c, nonce, aad, 20, sep, len + 16, out), CRYPTO_ERR_AUTH);
                for (size_t k = 0; k < len; k++)
                    assert_int_equal(out[k], 0);
                sep[b / 8] ^= (uint8_t)(1u << (b % 8));
            }
            for (size_t b = 0; b < 20 * 8; b++) {                /* AAD bits */
                aad[b / 8] ^= (uint8_t)(1u << (b % 8));
                assert_int_equal(aead_open(&c, nonce, aad, 20, sep, len + 16, out), CRYPTO_ERR_AUTH);
                aad[b / 8] ^= (uint8_t)(1u << (b % 8));
            }
            nonce[0] ^= 1;
            assert_int_equal(aead_open(&c, nonce, aad, 20, sep, len + 16, out), CRYPTO_ERR_AUTH);
            nonce[0] ^= 1;
            assert_int_equal(aead_open(&c, nonce, aad, 20, sep, len + 16, out), CRYPTO_OK);
            assert_memory_equal(out, pt, len);
            aead_wipe(&c);
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_lengths(void **s)
{
    (void)s;
    aead_ctx c;
    uint8_t key[33] = { 0 }, nonce[12] = { 0 }, buf[32] = { 0 };
    assert_int_equal(aead_key_len(AEAD_AES128_GCM), 16);
    assert_int_equal(aead_key_len(AEAD_AES256_GCM), 32);
    assert_int_equal(aead_key_len(AEAD_CHACHA20_POLY1305), 32);
    assert_int_equal(aead_init(&c, AEAD_AES128_GCM, key, 32), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(aead_init(&c, AEAD_AES256_GCM, key, 16), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(aead_init(&c, AEAD_CHACHA20_POLY1305, key, 33), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(aead_init(&c, (enum aead_id)7, key, 16), CRYPTO_ERR_UNSUPPORTED);
    assert_int_equal(aead_init(&c, AEAD_AES128_GCM, key, 16), CRYPTO_OK);
    assert_int_equal(aead_open(&c, nonce, NULL, 0, buf, 15, buf), CRYPTO_ERR_BAD_LENGTH);
    /* empty plaintext: tag only */
    assert_int_equal(aead_seal(&c, nonce, NULL, 0, NULL, 0, buf), CRYPTO_OK);
    assert_int_equal(aead_open(&c, nonce, NULL, 0, buf, 16, NULL), CRYPTO_OK);
    buf[0] ^= 1;
    assert_int_equal(aead_open(&c, nonce, NULL, 0, buf, 16, NULL), CRYPTO_ERR_AUTH);
    aead_wipe(&c);
    static const aead_ctx zero;
    assert_memory_equal(&c, &zero, sizeof c);
    assert_string_equal(aead_name(AEAD_CHACHA20_POLY1305), "ChaCha20-Poly1305");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_wp_gcm), cmocka_unit_test(t_wp_chacha),
        cmocka_unit_test(t_tamper_inplace), cmocka_unit_test(t_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
