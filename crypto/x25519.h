/* X25519 Diffie-Hellman (RFC 7748 section 5): constant-time Montgomery ladder
   over GF(2^255-19) with a radix-2^51 field representation.
   Pure functions: the caller owns every buffer; nothing is kept between calls.
   Scalars are clamped internally as RFC 7748 requires. */
#ifndef CRYPTO_X25519_H
#define CRYPTO_X25519_H
#include <stdint.h>
#include "crypto/crypto.h"

#define X25519_LEN 32

/* out = X25519(scalar, point). Returns CRYPTO_OK, or CRYPTO_ERR_ZERO_SECRET when
   the result is all zero (low-order peer point; RFC 7748 section 6.1, RFC 8446
   section 7.4.2); out is written either way. out may alias the inputs. */
int x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);

/* pub = X25519(scalar, 9): the public key for a private scalar. */
void x25519_base(uint8_t pub[32], const uint8_t scalar[32]);

#endif
