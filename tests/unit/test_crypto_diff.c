/* Differential tests against the host's OpenSSL libcrypto: thousands of
   random inputs per primitive, with CRYPTO_IMPL_AUTO, _PORTABLE and _EMULATED. */
#include "unit.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include "crypto/hash.h"
#include "crypto/hmac.h"
#include "crypto/hkdf.h"
#include "crypto/aead.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}
static void fill(uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd(); }
/* Lengths biased to the interesting places: 0, block edges, larger. */
static size_t rlen(size_t max)
{
    switch (rnd() % 4) {
    case 0: return rnd() % 20;
    case 1: { size_t b = 16 * (rnd() % 10); size_t l = b + (rnd() % 3) - 1; return l > max ? max : (l > (size_t)-10 ? 0 : l); }
    default: return rnd() % (max + 1);
    }
}

static const enum crypto_impl impls[] = { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE, CRYPTO_IMPL_EMULATED };
#define ITERS 1500
static uint8_t msg[5000], out1[5100], out2[5100];

static const EVP_MD *md_for(const struct hash_alg *a)
{
    return a == &hash_sha256 ? EVP_sha256() : a == &hash_sha384 ? EVP_sha384() : EVP_sha512();
}

static void t_hash(void **s)
{
    (void)s;
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384, &hash_sha512 };
    int n = 0;
    for (int im = 0; im < 3; im++) {
        crypto_set_impl(impls[im]);
        for (int it = 0; it < ITERS; it++) {
            const struct hash_alg *a = algs[it % 3];
            size_t len = rlen(sizeof msg);
            fill(msg, len);
            unsigned ol;
            hash_digest(a, msg, len, out1);
            assert_int_equal(EVP_Digest(msg, len, out2, &ol, md_for(a), NULL), 1);
            assert_int_equal(ol, a->digest_len);
            assert_memory_equal(out1, out2, ol);
            n++;
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    printf("sha2 vs OpenSSL: %d/%d\n", n, n);
}

static void t_hmac(void **s)
{
    (void)s;
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384, &hash_sha512 };
    uint8_t key[300];
    int n = 0;
    for (int im = 0; im < 3; im++) {
        crypto_set_impl(impls[im]);
        for (int it = 0; it < ITERS; it++) {
            const struct hash_alg *a = algs[it % 3];
            size_t kl = rnd() % sizeof key, len = rlen(2000);
            fill(key, kl);
            fill(msg, len);
            unsigned ol;
            hmac(a, key, kl, msg, len, out1);
            assert_non_null(HMAC(md_for(a), key, (int)kl, msg, len, out2, &ol));
            assert_memory_equal(out1, out2, a->digest_len);
            n++;
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    printf("hmac vs OpenSSL: %d/%d\n", n, n);
}

static void t_hkdf(void **s)
{
    (void)s;
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384 };
    uint8_t ikm[100], salt[100], info[100], prk[64];
    int n = 0;
    for (int it = 0; it < ITERS; it++) {
        const struct hash_alg *a = algs[it % 2];
        size_t il = rnd() % 100, sl = rnd() % 100, nl = rnd() % 100, ol = 1 + rnd() % 600;
        fill(ikm, il); fill(salt, sl); fill(info, nl);
        hkdf_extract(a, salt, sl, ikm, il, prk);
        assert_int_equal(hkdf_expand(a, prk, a->digest_len, info, nl, out1, ol), CRYPTO_OK);
        EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
        size_t ol2 = ol;
        assert_int_equal(EVP_PKEY_derive_init(c), 1);
        assert_int_equal(EVP_PKEY_CTX_set_hkdf_md(c, md_for(a)), 1);
        if (sl)
            assert_int_equal(EVP_PKEY_CTX_set1_hkdf_salt(c, salt, (int)sl), 1);
        assert_int_equal(EVP_PKEY_CTX_set1_hkdf_key(c, il ? ikm : (const uint8_t *)"", (int)il), 1);
        if (nl)
            assert_int_equal(EVP_PKEY_CTX_add1_hkdf_info(c, info, (int)nl), 1);
        assert_int_equal(EVP_PKEY_derive(c, out2, &ol2), 1);
        EVP_PKEY_CTX_free(c);
        assert_memory_equal(out1, out2, ol);
        n++;
    }
    printf("hkdf vs OpenSSL: %d/%d\n", n, n);
}

static const EVP_CIPHER *cipher_for(enum aead_id id)
{
    return id == AEAD_AES128_GCM ? EVP_aes_128_gcm() : id == AEAD_AES256_GCM ? EVP_aes_256_gcm()
                                                                            : EVP_chacha20_poly1305();
}

/* OpenSSL seal: ct || tag into out. */
static void ossl_seal(enum aead_id id, const uint8_t *key, const uint8_t *nonce, const uint8_t *aad,
                      size_t al, const uint8_t *in, size_t len, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ol;
    assert_int_equal(EVP_EncryptInit_ex(c, cipher_for(id), NULL, key, nonce), 1);
    if (al)
        assert_int_equal(EVP_EncryptUpdate(c, NULL, &ol, aad, (int)al), 1);
    if (len)
        assert_int_equal(EVP_EncryptUpdate(c, out, &ol, in, (int)len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(c, out + len, &ol), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + len), 1);
    EVP_CIPHER_CTX_free(c);
}

static void t_aead(void **s)
{
    (void)s;
    enum aead_id ids[] = { AEAD_AES128_GCM, AEAD_AES256_GCM, AEAD_CHACHA20_POLY1305 };
    uint8_t key[32], nonce[12], aad[200];
    int n = 0;
    for (int im = 0; im < 3; im++) {
        crypto_set_impl(impls[im]);
        for (int it = 0; it < ITERS; it++) {
            enum aead_id id = ids[it % 3];
            size_t len = rlen(im ? 1200 : 5000), al = rlen(sizeof aad);
            fill(key, 32); fill(nonce, 12); fill(aad, al); fill(msg, len);
            aead_ctx c;
            assert_int_equal(aead_init(&c, id, key, aead_key_len(id)), CRYPTO_OK);
            assert_int_equal(aead_seal(&c, nonce, aad, al, msg, len, out1), CRYPTO_OK);
            ossl_seal(id, key, nonce, aad, al, msg, len, out2);
            assert_memory_equal(out1, out2, len + 16);
            assert_int_equal(aead_open(&c, nonce, aad, al, out2, len + 16, out1), CRYPTO_OK);
            assert_memory_equal(out1, msg, len);
            aead_wipe(&c);
            n++;
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    printf("aead (AES-128/256-GCM, ChaCha20-Poly1305) vs OpenSSL: %d/%d\n", n, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_hash), cmocka_unit_test(t_hmac),
        cmocka_unit_test(t_hkdf), cmocka_unit_test(t_aead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
