/* Internal to crypto/: arithmetic modulo the P-256 group order n for ECDSA
   (ecdsa.c's s^-1, ecdsa_sign.c's k^-1), dispatched from ec_sc_inv. Four
   little-endian 64-bit limbs; constant time; caller-owned storage. */
#ifndef CRYPTO_P256_SCALAR_H
#define CRYPTO_P256_SCALAR_H
#include <stdint.h>

/* r = a^-1 R mod n (the inverse in n's Montgomery form, R = 2^256) for a
   plain 0 < a < n: ec_sc_inv's contract. r may alias a. */
void p256_sc_inv(uint64_t r[4], const uint64_t a[4]);

#endif
