/* HKDF (RFC 5869) over any hash_alg, plus the TLS 1.3 HKDF-Expand-Label
   (RFC 8446 section 7.1). All buffers are caller-owned. */
#ifndef CRYPTO_HKDF_H
#define CRYPTO_HKDF_H
#include "crypto/crypto.h"
#include <stddef.h>
#include <stdint.h>
#include "crypto/hash.h"

/* prk gets alg->digest_len bytes. salt may be NULL/0: HashLen zero bytes. */
void hkdf_extract(const struct hash_alg *alg, const uint8_t *salt, size_t saltlen,
                  const uint8_t *ikm, size_t ikmlen, uint8_t *prk);
/* CRYPTO_ERR_BAD_LENGTH if outlen > 255*digest_len (nothing written).
   out may alias prk (the key is absorbed first); info must not overlap out. */
enum crypto_err hkdf_expand(const struct hash_alg *alg, const uint8_t *prk, size_t prklen,
                const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen);
/* HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix
   added here: label is without it. CRYPTO_ERR_BAD_LENGTH if label > 249
   bytes, context > 255 bytes or outlen > 65535 / 255*digest_len. */
enum crypto_err hkdf_expand_label(const struct hash_alg *alg, const uint8_t *secret, size_t secretlen,
                      const char *label, const uint8_t *ctx, size_t ctxlen,
                      uint8_t *out, size_t outlen);

#endif
