/* Poly1305 one-time authenticator (RFC 8439 section 2.5), constant time.
   The caller owns poly1305_ctx; poly1305_final wipes it. A key must never
   authenticate two messages. */
#ifndef CRYPTO_POLY1305_H
#define CRYPTO_POLY1305_H
#include <stddef.h>
#include <stdint.h>

/* r[0..1]: clamped r, r[2]: 5*r1/4; h[0..2]: accumulator (2^64 radix);
   pad: s; buf/n: a partial block. */
typedef struct { uint64_t r[3], h[3], pad[2]; uint8_t buf[16]; size_t n; } poly1305_ctx;

void poly1305_init(poly1305_ctx *c, const uint8_t key[32]);
void poly1305_update(poly1305_ctx *c, const uint8_t *p, size_t n);
void poly1305_final(poly1305_ctx *c, uint8_t tag[16]);
void poly1305(const uint8_t key[32], const uint8_t *p, size_t n, uint8_t tag[16]);

#endif
