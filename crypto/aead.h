/* One interface over the three TLS 1.3 AEADs (RFC 8446 section 5.2):
   AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305. 12-byte nonces, 16-byte tags,
   ciphertext || tag layout; in place (out == in) is allowed, other overlaps
   are not. aead_ctx is
   caller-owned (~1.4 KB: AES round keys and GHASH powers); aead_wipe zeroes
   it. A failed open zeroes out and returns CRYPTO_ERR_AUTH: unauthenticated
   plaintext is never released. */
#ifndef CRYPTO_AEAD_H
#define CRYPTO_AEAD_H
#include "crypto/crypto.h"
#include <stddef.h>
#include <stdint.h>
#include "crypto/gcm.h"
#include "crypto/chacha20poly1305.h"

#define AEAD_NONCE_LEN 12
#define AEAD_TAG_LEN 16
#define AEAD_MAX_KEY_LEN 32

enum aead_id { AEAD_AES128_GCM, AEAD_AES256_GCM, AEAD_CHACHA20_POLY1305 };

typedef struct {
    enum aead_id id;
    union { gcm_ctx gcm; chacha20poly1305_ctx ccp; } u;
} aead_ctx;

/* CRYPTO_ERR_BAD_LENGTH if keylen != aead_key_len(id); CRYPTO_ERR_UNSUPPORTED for an unknown id. */
enum crypto_err aead_init(aead_ctx *c, enum aead_id id, const uint8_t *key, size_t keylen);
/* out: len + 16 bytes (ciphertext || tag). */
enum crypto_err aead_seal(aead_ctx *c, const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t len, uint8_t *out);
/* in: ciphertext || tag (inlen >= 16, else CRYPTO_ERR_BAD_LENGTH); out: inlen - 16 bytes. */
enum crypto_err aead_open(aead_ctx *c, const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
              const uint8_t *in, size_t inlen, uint8_t *out);
void aead_wipe(aead_ctx *c);
size_t aead_key_len(enum aead_id id);   /* 0 for an unknown id */
const char *aead_name(enum aead_id id);

#endif
