/* AEAD dispatch for the record layer. see tls_aead.h */
#include "tls/tls_aead.h"
#include <string.h>
#include "crypto/crypto.h"

int tls_aead_supported(int id)
{
    return id == TLS_AEAD_AES128_GCM || id == TLS_AEAD_AES256_GCM;
}

int tls_aead_init(struct tls_aead *a, int id, const uint8_t *key, size_t keylen)
{
    tls_aead_wipe(a);
    a->id = id;
    switch (id) {
    case TLS_AEAD_AES128_GCM:
        return keylen == 16 ? gcm_init(&a->gcm, key, keylen) : CRYPTO_ERR_BAD_LENGTH;
    case TLS_AEAD_AES256_GCM:
        return keylen == 32 ? gcm_init(&a->gcm, key, keylen) : CRYPTO_ERR_BAD_LENGTH;
    default:
        return CRYPTO_ERR_UNSUPPORTED;
    }
}

int tls_aead_seal(const struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                  size_t aadlen, const uint8_t *in, size_t len, uint8_t *out)
{
    if (a->id != TLS_AEAD_AES128_GCM && a->id != TLS_AEAD_AES256_GCM)
        return CRYPTO_ERR_UNSUPPORTED;
    return gcm_seal(&a->gcm, nonce, 12, aad, aadlen, in, len, out, out + len, TLS_AEAD_TAG);
}

int tls_aead_open(const struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                  size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out)
{
    if (inlen < TLS_AEAD_TAG)
        return CRYPTO_ERR_AUTH;
    if (a->id != TLS_AEAD_AES128_GCM && a->id != TLS_AEAD_AES256_GCM)
        return CRYPTO_ERR_UNSUPPORTED;
    size_t n = inlen - TLS_AEAD_TAG;
    uint8_t tag[TLS_AEAD_TAG];
    memcpy(tag, in + n, TLS_AEAD_TAG);    /* out may overlap the tag's bytes */
    return gcm_open(&a->gcm, nonce, 12, aad, aadlen, in, n, tag, TLS_AEAD_TAG, out);
}

void tls_aead_wipe(struct tls_aead *a)
{
    crypto_zeroize(a, sizeof *a);
}
