/* SHA-256, SHA-384 and SHA-512 (FIPS 180-4).
   Contexts are plain structs owned by the caller; nothing is allocated.
   *_final writes the digest and wipes the context (re-init to reuse). */
#ifndef CRYPTO_SHA2_H
#define CRYPTO_SHA2_H
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA384_DIGEST_LEN 48
#define SHA512_DIGEST_LEN 64
#define SHA256_BLOCK_LEN 64
#define SHA512_BLOCK_LEN 128

typedef struct { uint32_t h[8]; uint64_t total; uint8_t buf[64]; size_t n; } sha256_ctx;
typedef struct { uint64_t h[8]; uint64_t total; uint8_t buf[128]; size_t n; } sha512_ctx; /* also SHA-384 */

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *p, size_t n);
void sha256_final(sha256_ctx *c, uint8_t out[32]);
void sha256(const void *p, size_t n, uint8_t out[32]);

void sha384_init(sha512_ctx *c);
void sha384_update(sha512_ctx *c, const void *p, size_t n);
void sha384_final(sha512_ctx *c, uint8_t out[48]);
void sha384(const void *p, size_t n, uint8_t out[48]);

void sha512_init(sha512_ctx *c);
void sha512_update(sha512_ctx *c, const void *p, size_t n);
void sha512_final(sha512_ctx *c, uint8_t out[64]);
void sha512(const void *p, size_t n, uint8_t out[64]);

#endif
