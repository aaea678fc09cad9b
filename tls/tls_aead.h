/* The AEADs of the TLS 1.3 cipher suites (RFC 8446 5.2, B.4) behind one
   small interface for the record layer: AES-128-GCM and AES-256-GCM over
   crypto/gcm.h, and ChaCha20-Poly1305 (RFC 8439 2.8) when the crypto module
   provides it (crypto/aead.h; until then tls_aead_supported() says no and
   the suite is not offered). The caller owns struct tls_aead; wipe it. */
#ifndef TLS_TLS_AEAD_H
#define TLS_TLS_AEAD_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/gcm.h"

enum tls_aead_id { TLS_AEAD_AES128_GCM, TLS_AEAD_AES256_GCM, TLS_AEAD_CHACHA20_POLY1305 };

#define TLS_AEAD_TAG 16

struct tls_aead {
    int id;
    gcm_ctx gcm;
    uint8_t key[32];            /* ChaCha20-Poly1305 key */
};

/* 1 when this build implements the AEAD. */
int tls_aead_supported(int id);
/* CRYPTO_OK, CRYPTO_ERR_BAD_LENGTH or CRYPTO_ERR_UNSUPPORTED. */
int tls_aead_init(struct tls_aead *a, int id, const uint8_t *key, size_t keylen);
/* out gets len + 16 bytes (ciphertext then tag); out may equal in. */
int tls_aead_seal(const struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                  size_t aadlen, const uint8_t *in, size_t len, uint8_t *out);
/* in holds inlen bytes (ciphertext then tag); out gets inlen - 16 bytes only
   when the tag verifies (CRYPTO_OK), else CRYPTO_ERR_AUTH and out is zeroed.
   out may equal in. */
int tls_aead_open(const struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                  size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out);
void tls_aead_wipe(struct tls_aead *a);

#endif
