/* NIST P-256 (secp256r1) key generation and ECDH (SEC 1 3.3.1, FIPS 186-5,
   SP 800-56A 5.7.1.2) with full public-key validation. Constant time in the
   private scalar. Caller-owned buffers only; nothing is kept between calls. */
#ifndef CRYPTO_P256_H
#define CRYPTO_P256_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"

#define P256_SCALAR_LEN 32
#define P256_POINT_LEN 65 /* 04 || X || Y */

/* pub = priv * G as 04||X||Y. priv comes from the caller's DRBG, big-endian;
   CRYPTO_ERR_BAD_KEY when priv == 0 or priv >= n (draw again); pub is then
   all zero. */
int p256_keygen(uint8_t pub[65], const uint8_t priv[32]);
/* shared = X coordinate of priv * peer. The peer point must be 65 bytes,
   0x04-prefixed, coordinates < p and on the curve, else CRYPTO_ERR_BAD_POINT;
   an all-zero result (x = 0: a real but degenerate point, Wycheproof tcId 3)
   gives CRYPTO_ERR_ZERO_SECRET with shared still written; a bad priv
   CRYPTO_ERR_BAD_KEY with shared zeroed. */
int p256_ecdh(uint8_t shared[32], const uint8_t priv[32], const uint8_t *peer_pub, size_t peer_len);

#endif
