/* A small vtable over the SHA-2 hashes so HMAC, HKDF, TLS and RSA can be
   generic over the hash. The descriptors are static constants; hash_ctx is
   caller-owned storage big enough for any of them. */
#ifndef CRYPTO_HASH_H
#define CRYPTO_HASH_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/sha2.h"

#define HASH_MAX_DIGEST 64
#define HASH_MAX_BLOCK 128

typedef union { sha256_ctx s256; sha512_ctx s512; } hash_ctx;

struct hash_alg {
    const char *name;
    size_t digest_len, block_len;
    void (*init)(hash_ctx *);
    void (*update)(hash_ctx *, const void *, size_t);
    void (*final)(hash_ctx *, uint8_t *out); /* digest_len bytes; wipes the ctx */
};

extern const struct hash_alg hash_sha256, hash_sha384, hash_sha512;

/* One-shot: out gets alg->digest_len bytes. */
void hash_digest(const struct hash_alg *alg, const void *p, size_t n, uint8_t *out);

#endif
