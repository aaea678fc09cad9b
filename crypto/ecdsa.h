/* ECDSA signature verification (FIPS 186-5 section 6.4.2) over P-256 and
   P-384. Public data only, so variable time. Pure function over caller
   buffers. Returns CRYPTO_OK when the signature is valid. */
#ifndef CRYPTO_ECDSA_H
#define CRYPTO_ECDSA_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/crypto.h"

enum ec_curve { EC_P256, EC_P384 };

/* pub: uncompressed 04||X||Y (65 or 97 bytes) -> CRYPTO_ERR_BAD_POINT when
   malformed or off the curve. hash: any length; it is truncated to the
   order's bit length (FIPS 186-5 6.4.2 step 3). r, s: big-endian integers of
   any length (leading zeros allowed); rlen or slen of 0 or more than twice
   the coordinate size -> CRYPTO_ERR_BAD_LENGTH. r, s outside [1, n-1] or a
   failed check -> CRYPTO_ERR_BAD_SIGNATURE; unknown curve -> UNSUPPORTED. */
int ecdsa_verify(enum ec_curve curve, const uint8_t *pub, size_t publen, const uint8_t *hash,
                 size_t hashlen, const uint8_t *r, size_t rlen, const uint8_t *s, size_t slen);

/* Same for a raw r||s signature (IEEE P1363 form, 2 * coordinate bytes;
   any other length -> CRYPTO_ERR_BAD_LENGTH). */
int ecdsa_verify_p1363(enum ec_curve curve, const uint8_t *pub, size_t publen,
                       const uint8_t *hash, size_t hashlen, const uint8_t *sig, size_t siglen);

/* Signature generation (FIPS 186-5 6.4.1), constant time in the private
   key and the per-message secret k. k comes from RFC 6979 section 3.2
   (HMAC-DRBG keyed by the private key and the hash; HMAC-SHA-256 for P-256,
   HMAC-SHA-384 for P-384); extra, when extralen > 0, is RFC 6979 3.6's
   additional data k' (pass fresh random bytes for hedged signatures: a weak
   RNG then cannot leak the key, and a fault cannot repeat k across hashes).
   priv: big-endian, exactly the coordinate size (32 / 48), 0 < d < n, else
   CRYPTO_ERR_BAD_KEY. hash: any length (truncated as in verification).
   sig: r || s, 2 * coordinate bytes (else CRYPTO_ERR_BAD_LENGTH). */
int ecdsa_sign_p1363(enum ec_curve curve, uint8_t *sig, size_t siglen, const uint8_t *priv,
                     size_t privlen, const uint8_t *hash, size_t hashlen, const uint8_t *extra,
                     size_t extralen);

/* Same, DER-encoded (SEQUENCE { INTEGER r, INTEGER s }) as TLS and X.509
   carry it: into out[0..cap), *outlen set; cap of ECDSA_DER_MAX(curve bytes)
   always suffices, less -> CRYPTO_ERR_BAD_LENGTH. */
#define ECDSA_DER_MAX(cl) (3 + 2 * ((cl) + 3))
int ecdsa_sign_der(enum ec_curve curve, uint8_t *out, size_t cap, size_t *outlen,
                   const uint8_t *priv, size_t privlen, const uint8_t *hash, size_t hashlen,
                   const uint8_t *extra, size_t extralen);

#endif
