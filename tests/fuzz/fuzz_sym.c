/* libFuzzer differential target for the symmetric code: the input chooses a
   primitive, implementation, key, nonce, AAD and message; our result must
   equal OpenSSL's, opening what we sealed must round-trip, and opening a
   mutated ciphertext/tag must fail with the output zeroed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "crypto/aead.h"
#include "crypto/hmac.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

static uint8_t out1[70000], out2[70000], out3[70000];

static const EVP_CIPHER *cipher_for(enum aead_id id)
{
    return id == AEAD_AES128_GCM ? EVP_aes_128_gcm() : id == AEAD_AES256_GCM ? EVP_aes_256_gcm()
                                                                            : EVP_chacha20_poly1305();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 2 + 32 + 12 + 1)
        return 0;
    unsigned sel = d[0] % 6, impl = d[1] & 1, al = d[2 + 32 + 12] % 64;
    const uint8_t *key = d + 2, *nonce = d + 34, *rest = d + 47;
    size_t rl = n - 47;
    if (al > rl)
        al = (unsigned)rl;
    const uint8_t *aad = rest, *msg = rest + al;
    size_t ml = rl - al;
    crypto_set_impl(impl ? CRYPTO_IMPL_PORTABLE : CRYPTO_IMPL_AUTO);
    if (sel < 3) {
        enum aead_id id = (enum aead_id)sel;
        aead_ctx c;
        if (aead_init(&c, id, key, aead_key_len(id)) != CRYPTO_OK)
            abort();
        if (aead_seal(&c, nonce, aad, al, msg, ml, out1) != CRYPTO_OK)
            abort();
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        int ol;
        EVP_EncryptInit_ex(x, cipher_for(id), NULL, key, nonce);
        if (al)
            EVP_EncryptUpdate(x, NULL, &ol, aad, (int)al);
        if (ml)
            EVP_EncryptUpdate(x, out2, &ol, msg, (int)ml);
        EVP_EncryptFinal_ex(x, out2 + ml, &ol);
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, out2 + ml);
        EVP_CIPHER_CTX_free(x);
        if (memcmp(out1, out2, ml + 16) != 0)
            abort();
        if (aead_open(&c, nonce, aad, al, out1, ml + 16, out3) != CRYPTO_OK || memcmp(out3, msg, ml) != 0)
            abort();
        /* flip one bit chosen by the input */
        size_t bit = (ml ? msg[0] * 131u + ml : 7) % ((ml + 16) * 8);
        out1[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        memset(out3, 0x5a, ml);
        if (aead_open(&c, nonce, aad, al, out1, ml + 16, out3) != CRYPTO_ERR_AUTH)
            abort();
        for (size_t i = 0; i < ml; i++)
            if (out3[i])
                abort();
        aead_wipe(&c);
    } else {
        const struct hash_alg *a = sel == 3 ? &hash_sha256 : sel == 4 ? &hash_sha384 : &hash_sha512;
        const EVP_MD *md = sel == 3 ? EVP_sha256() : sel == 4 ? EVP_sha384() : EVP_sha512();
        unsigned ol;
        hmac(a, aad, al, msg, ml, out1);
        HMAC(md, aad, (int)al, msg, ml, out2, &ol);
        if (ol != a->digest_len || memcmp(out1, out2, ol) != 0)
            abort();
        hash_digest(a, msg, ml, out1);
        EVP_Digest(msg, ml, out2, &ol, md, NULL);
        if (memcmp(out1, out2, ol) != 0)
            abort();
    }
    return 0;
}
