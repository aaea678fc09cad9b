/* see hash.h */
#include "crypto/hash.h"

static void h256_init(hash_ctx *c) { sha256_init(&c->s256); }
static void h256_update(hash_ctx *c, const void *p, size_t n) { sha256_update(&c->s256, p, n); }
static void h256_final(hash_ctx *c, uint8_t *out) { sha256_final(&c->s256, out); }
static void h384_init(hash_ctx *c) { sha384_init(&c->s512); }
static void h384_update(hash_ctx *c, const void *p, size_t n) { sha384_update(&c->s512, p, n); }
static void h384_final(hash_ctx *c, uint8_t *out) { sha384_final(&c->s512, out); }
static void h512_init(hash_ctx *c) { sha512_init(&c->s512); }
static void h512_update(hash_ctx *c, const void *p, size_t n) { sha512_update(&c->s512, p, n); }
static void h512_final(hash_ctx *c, uint8_t *out) { sha512_final(&c->s512, out); }

const struct hash_alg hash_sha256 = { "sha256", 32, 64, h256_init, h256_update, h256_final };
const struct hash_alg hash_sha384 = { "sha384", 48, 128, h384_init, h384_update, h384_final };
const struct hash_alg hash_sha512 = { "sha512", 64, 128, h512_init, h512_update, h512_final };

void hash_digest(const struct hash_alg *alg, const void *p, size_t n, uint8_t *out)
{
    hash_ctx c;
    alg->init(&c);
    alg->update(&c, p, n);
    alg->final(&c, out);
}
