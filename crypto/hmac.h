/* HMAC (RFC 2104, FIPS 198-1) over any hash_alg. The caller owns hmac_ctx;
   hmac_final wipes it. Keys longer than the block size are hashed first. */
#ifndef CRYPTO_HMAC_H
#define CRYPTO_HMAC_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/hash.h"

typedef struct { const struct hash_alg *alg; hash_ctx inner, outer; } hmac_ctx;

void hmac_init(hmac_ctx *c, const struct hash_alg *alg, const uint8_t *key, size_t keylen);
void hmac_update(hmac_ctx *c, const void *p, size_t n);
void hmac_final(hmac_ctx *c, uint8_t *out); /* alg->digest_len bytes; wipes ctx */
void hmac(const struct hash_alg *alg, const uint8_t *key, size_t keylen,
          const void *msg, size_t n, uint8_t *out);
/* Constant-time check of a (possibly truncated, taglen <= digest_len) tag:
   CRYPTO_OK or CRYPTO_ERR_AUTH (CRYPTO_ERR_BAD_LENGTH for taglen 0 or too long). */
int hmac_verify(const struct hash_alg *alg, const uint8_t *key, size_t keylen,
                const void *msg, size_t n, const uint8_t *tag, size_t taglen);

#endif
