/* RSA signature verification (RFC 8017): RSASSA-PKCS1-v1_5 (8.2.2) and
   RSASSA-PSS (8.1.2, EMSA-PSS 9.1.2 with MGF1 over the same hash) for
   SHA-256/384/512 and moduli of 1024..4096 bits. Public data only (variable
   time is fine). The caller owns the key bytes; nothing is allocated or kept.
   Returns CRYPTO_OK when the signature is valid. */
#ifndef CRYPTO_RSA_H
#define CRYPTO_RSA_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"
#include "crypto/hash.h"

#define RSA_MIN_BITS 1024
#define RSA_MAX_BITS 4096
#define RSA_MAX_BYTES (RSA_MAX_BITS / 8)

/* Big-endian modulus and public exponent; leading zero bytes are allowed. */
struct rsa_pubkey {
    const uint8_t *n;
    size_t nlen;
    const uint8_t *e;
    size_t elen;
};

/* Errors common to both schemes: CRYPTO_ERR_BAD_KEY (even modulus, modulus
   outside 1024..4096 bits, e even or < 3 or e >= n), CRYPTO_ERR_BAD_LENGTH
   (siglen != modulus length in bytes), CRYPTO_ERR_UNSUPPORTED (hash other
   than SHA-256/384/512), CRYPTO_ERR_BAD_SIGNATURE (signature >= n or the
   encoded message does not match). */

/* EMSA-PKCS1-v1_5 with the DER DigestInfo of h (RFC 8017 9.2 note 1): the
   expected encoding is built and compared whole; no padding parser. hash is
   h->digest_len bytes. */
int rsa_verify_pkcs1(const struct rsa_pubkey *k, const struct hash_alg *h, const uint8_t *hash,
                     const uint8_t *sig, size_t siglen);

/* EMSA-PSS with MGF1(h) and a salt of exactly saltlen bytes (TLS 1.3:
   saltlen = h->digest_len, RFC 8446 4.2.3). */
int rsa_verify_pss(const struct rsa_pubkey *k, const struct hash_alg *h, const uint8_t *hash,
                   const uint8_t *sig, size_t siglen, size_t saltlen);

/* RSAVP1 (RFC 8017 5.2.2): em = sig^e mod n as siglen bytes (siglen must be
   the modulus length). Same key/length errors as above. */
int rsa_public(const struct rsa_pubkey *k, uint8_t *em, const uint8_t *sig, size_t siglen);

#endif
