/* NIST P-384 (secp384r1) key generation and ECDH, same contract as p256.h
   with 48-byte scalars / coordinates and 97-byte points. */
#ifndef CRYPTO_P384_H
#define CRYPTO_P384_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"

#define P384_SCALAR_LEN 48
#define P384_POINT_LEN 97

int p384_keygen(uint8_t pub[97], const uint8_t priv[48]);
int p384_ecdh(uint8_t shared[48], const uint8_t priv[48], const uint8_t *peer_pub, size_t peer_len);

#endif
