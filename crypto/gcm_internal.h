/* Internal to crypto/: the fused AES-NI (or VAES)/PCLMULQDQ GCM bulk loops. */
#ifndef CRYPTO_GCM_INTERNAL_H
#define CRYPTO_GCM_INTERNAL_H
#include "crypto/gcm.h"

/* Encrypts/decrypts the largest multiple of 128 bytes of len, advancing the
   counter block and hashing the ciphertext into y (whose GHASH buffer must
   be block-aligned). Returns the bytes processed. */
size_t gcm_ni_bulk(const gcm_ctx *c, uint8_t ctr[16], ghash_elem *y,
                   const uint8_t *in, uint8_t *out, size_t len, int enc);
/* The same with VAES on 256-bit registers (crypto_use_vaes()). */
size_t gcm_vaes_bulk(const gcm_ctx *c, uint8_t ctr[16], ghash_elem *y,
                     const uint8_t *in, uint8_t *out, size_t len, int enc);

#endif
