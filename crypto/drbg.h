/* HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev.1 section 10.1.2), security
   strength 256, prediction resistance off. The caller owns drbg_ctx and feeds
   the entropy: at least 32 bytes per instantiate/reseed. Requests are at most
   65536 bytes; after 2^48 requests generate returns CRYPTO_ERR_RESEED_REQUIRED
   until drbg_reseed. drbg_wipe zeroes the state. */
#ifndef CRYPTO_DRBG_H
#define CRYPTO_DRBG_H
#include <stddef.h>
#include <stdint.h>

#define DRBG_MIN_ENTROPY 32
#define DRBG_MAX_REQUEST 65536
#define DRBG_RESEED_INTERVAL ((uint64_t)1 << 48)

typedef struct { uint8_t K[32], V[32]; uint64_t reseed_counter; } drbg_ctx;

int  drbg_instantiate(drbg_ctx *d, const uint8_t *entropy, size_t elen,
                      const uint8_t *nonce, size_t nlen, const uint8_t *pers, size_t plen);
int  drbg_reseed(drbg_ctx *d, const uint8_t *entropy, size_t elen, const uint8_t *add, size_t alen);
int  drbg_generate(drbg_ctx *d, uint8_t *out, size_t len, const uint8_t *add, size_t alen);
void drbg_wipe(drbg_ctx *d);

#endif
