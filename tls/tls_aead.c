/* AEAD veneer for the record layer. see tls_aead.h */
#include "tls/tls_aead.h"
#include "crypto/crypto.h"

int tls_aead_supported(int id)
{
    return aead_key_len((enum aead_id)id) != 0;
}

enum crypto_err tls_aead_init(struct tls_aead *a, int id, const uint8_t *key, size_t keylen)
{
    return aead_init(&a->ctx, (enum aead_id)id, key, keylen);
}

enum crypto_err tls_aead_seal(struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                              size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
    return aead_seal(&a->ctx, nonce, aad, aadlen, in, len, out);
}

enum crypto_err tls_aead_open(struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                              size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out)
{
    if (inlen < TLS_AEAD_TAG)
        return CRYPTO_ERR_AUTH;
    return aead_open(&a->ctx, nonce, aad, aadlen, in, inlen, out);
}
