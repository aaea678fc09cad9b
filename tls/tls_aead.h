/* The AEADs of the TLS 1.3 cipher suites (RFC 8446 5.2, B.4) for the record
   layer: a thin veneer over crypto/aead.h (AES-128-GCM, AES-256-GCM,
   ChaCha20-Poly1305) that keeps the record code independent of how the
   crypto module names them. The caller owns struct tls_aead and zeroizes it
   with crypto_zeroize when done (rec_wipe does, with the record state). */
#ifndef TLS_TLS_AEAD_H
#define TLS_TLS_AEAD_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/aead.h"
#include "crypto/crypto.h"

enum tls_aead_id {
    TLS_AEAD_AES128_GCM = AEAD_AES128_GCM,
    TLS_AEAD_AES256_GCM = AEAD_AES256_GCM,
    TLS_AEAD_CHACHA20_POLY1305 = AEAD_CHACHA20_POLY1305
};

#define TLS_AEAD_TAG 16

struct tls_aead {
    aead_ctx ctx;
};

/* 1 when this build implements the AEAD. */
int tls_aead_supported(int id);
/* CRYPTO_OK, CRYPTO_ERR_BAD_LENGTH or CRYPTO_ERR_UNSUPPORTED. */
enum crypto_err tls_aead_init(struct tls_aead *a, int id, const uint8_t *key, size_t keylen);
/* out gets len + 16 bytes (ciphertext then tag); out may equal in. */
enum crypto_err tls_aead_seal(struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                              size_t aadlen, const uint8_t *in, size_t len, uint8_t *out);
/* in holds inlen bytes (ciphertext then tag); out gets inlen - 16 bytes only
   when the tag verifies (CRYPTO_OK), else CRYPTO_ERR_AUTH and out is zeroed.
   out may equal in. */
enum crypto_err tls_aead_open(struct tls_aead *a, const uint8_t nonce[12], const uint8_t *aad,
                              size_t aadlen, const uint8_t *in, size_t inlen, uint8_t *out);

#endif
