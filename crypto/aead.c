/* see aead.h */
#include "crypto/aead.h"
#include "crypto/crypto.h"

size_t aead_key_len(enum aead_id id)
{
    switch (id) {
    case AEAD_AES128_GCM: return 16;
    case AEAD_AES256_GCM: return 32;
    case AEAD_CHACHA20_POLY1305: return 32;
    }
    return 0;
}

const char *aead_name(enum aead_id id)
{
    switch (id) {
    case AEAD_AES128_GCM: return "AES-128-GCM";
    case AEAD_AES256_GCM: return "AES-256-GCM";
    case AEAD_CHACHA20_POLY1305: return "ChaCha20-Poly1305";
    }
    return "unknown";
}

enum crypto_err aead_init(aead_ctx *c, enum aead_id id, const uint8_t *key, size_t keylen)
{
    size_t kl = aead_key_len(id);
    if (kl == 0)
        return CRYPTO_ERR_UNSUPPORTED;
    if (keylen != kl)
        return CRYPTO_ERR_BAD_LENGTH;
    c->id = id;
    if (id == AEAD_CHACHA20_POLY1305)
        return chacha20poly1305_init(&c->u.ccp, key, keylen);
    return gcm_init(&c->u.gcm, key, keylen);
}

enum crypto_err aead_seal(aead_ctx *c, const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t len, uint8_t *out)
{
    switch (c->id) {
    case AEAD_AES128_GCM:
    case AEAD_AES256_GCM:
        return gcm_seal(&c->u.gcm, nonce, 12, aad, aadlen, in, len, out, out + len, 16);
    case AEAD_CHACHA20_POLY1305:
        return chacha20poly1305_seal(&c->u.ccp, nonce, 12, aad, aadlen, in, len, out, out + len);
    }
    return CRYPTO_ERR_UNSUPPORTED;
}

enum crypto_err aead_open(aead_ctx *c, const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t inlen, uint8_t *out)
{
    if (inlen < 16)
        return CRYPTO_ERR_BAD_LENGTH;
    size_t len = inlen - 16;
    switch (c->id) {
    case AEAD_AES128_GCM:
    case AEAD_AES256_GCM:
        return gcm_open(&c->u.gcm, nonce, 12, aad, aadlen, in, len, in + len, 16, out);
    case AEAD_CHACHA20_POLY1305:
        return chacha20poly1305_open(&c->u.ccp, nonce, 12, aad, aadlen, in, len, in + len, 16, out);
    }
    return CRYPTO_ERR_UNSUPPORTED;
}

void aead_wipe(aead_ctx *c)
{
    crypto_zeroize(c, sizeof *c);
}
