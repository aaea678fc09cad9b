/* AES: FIPS 197 appendix C known answers, random keys/blocks against
   OpenSSL (ECB and CTR), AES-NI vs bitsliced, key length checks. */
#include "unit.h"
#include <openssl/evp.h>
#include "crypto/aes.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

static const enum crypto_impl impls[] = { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE };

static void t_fips197(void **s)
{
    (void)s;
    static const struct { const char *key, *ct; } kat[] = {
        { "000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a" },
        { "000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191" },
        { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089" },
    };
    uint8_t pt[16], key[32], exp[16], out[16];
    unit_hex("00112233445566778899aabbccddeeff", pt, 16);
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        for (int i = 0; i < 3; i++) {
            long kl = unit_hex(kat[i].key, key, 32);
            unit_hex(kat[i].ct, exp, 16);
            aes_key k;
            assert_int_equal(aes_key_init(&k, key, (size_t)kl), CRYPTO_OK);
            aes_encrypt_block(&k, pt, out);
            assert_memory_equal(out, exp, 16);
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static const EVP_CIPHER *ossl(size_t kl, int ctr)
{
    if (kl == 16) return ctr ? EVP_aes_128_ctr() : EVP_aes_128_ecb();
    if (kl == 24) return ctr ? EVP_aes_192_ctr() : EVP_aes_192_ecb();
    return ctr ? EVP_aes_256_ctr() : EVP_aes_256_ecb();
}

static void t_random(void **s)
{
    (void)s;
    srand(1234);
    static uint8_t in[1000], ours[1000], ref[1000];
    for (int it = 0; it < 600; it++) {
        size_t kl = (size_t[]){ 16, 24, 32 }[it % 3];
        uint8_t key[32], ctr[16], c2[16];
        for (size_t i = 0; i < 32; i++) key[i] = (uint8_t)rand();
        for (size_t i = 0; i < 16; i++) ctr[i] = (uint8_t)rand();
        if (it % 7 == 0) memset(ctr + 12, 0xff, 4);   /* inc32 wrap */
        size_t len = (size_t)rand() % sizeof in;
        for (size_t i = 0; i < len; i++) in[i] = (uint8_t)rand();
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        int ol;
        /* OpenSSL CTR increments all 128 bits; keep the low word from wrapping
           into byte 11 there by comparing only when no wrap happens */
        int wraps = ((uint32_t)ctr[12] << 24 | (uint32_t)ctr[13] << 16 | (uint32_t)ctr[14] << 8 | ctr[15])
                    > 0xffffffffu - 70;
        assert_int_equal(EVP_EncryptInit_ex(x, ossl(kl, 1), NULL, key, ctr), 1);
        assert_int_equal(EVP_EncryptUpdate(x, ref, &ol, in, (int)len), 1);
        EVP_CIPHER_CTX_free(x);
        uint8_t blk[2][16];
        for (int im = 0; im < 2; im++) {
            crypto_set_impl(impls[im]);
            aes_key k;
            assert_int_equal(aes_key_init(&k, key, kl), CRYPTO_OK);
            memcpy(c2, ctr, 16);
            aes_ctr32_xor(&k, c2, in, ours, len);
            if (!wraps)
                assert_memory_equal(ours, ref, len);
            /* counter advanced by ceil(len/16), mod 2^32 */
            uint32_t c0 = (uint32_t)ctr[12] << 24 | (uint32_t)ctr[13] << 16 | (uint32_t)ctr[14] << 8 | ctr[15];
            uint32_t c1 = (uint32_t)c2[12] << 24 | (uint32_t)c2[13] << 16 | (uint32_t)c2[14] << 8 | c2[15];
            assert_int_equal(c1 - c0, (uint32_t)((len + 15) / 16));
            assert_memory_equal(c2, ctr, 12);
            aes_encrypt_block(&k, in, blk[im]);
            aes_key_wipe(&k);
        }
        assert_memory_equal(blk[0], blk[1], 16);
        x = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(x, ossl(kl, 0), NULL, key, NULL);
        EVP_EncryptUpdate(x, ref, &ol, in, 16);
        EVP_CIPHER_CTX_free(x);
        if (len >= 16)
            assert_memory_equal(blk[0], ref, 16);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

/* inc32 wraps within the low 32 bits: AES-NI and portable agree. */
static void t_wrap(void **s)
{
    (void)s;
    uint8_t key[16] = { 9 }, ctr[16], c[2][16], out[2][200], in[200] = { 0 };
    memset(ctr, 0xab, 12);
    memset(ctr + 12, 0xff, 4);
    ctr[15] = 0xfd;
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        aes_key k;
        aes_key_init(&k, key, 16);
        memcpy(c[im], ctr, 16);
        aes_ctr32_xor(&k, c[im], in, out[im], 200);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    assert_memory_equal(out[0], out[1], 200);
    assert_memory_equal(c[0], c[1], 16);
    static const uint8_t exp[16] = { 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0, 0, 0, 10 };
    assert_memory_equal(c[0], exp, 16);
}

static void t_lengths(void **s)
{
    (void)s;
    aes_key k;
    uint8_t key[33] = { 0 };
    for (size_t l = 0; l <= 33; l++)
        assert_int_equal(aes_key_init(&k, key, l), (l == 16 || l == 24 || l == 32) ? CRYPTO_OK : CRYPTO_ERR_BAD_LENGTH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_fips197), cmocka_unit_test(t_random),
        cmocka_unit_test(t_wrap), cmocka_unit_test(t_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
