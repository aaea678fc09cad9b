/* SHA-3 and SHAKE (FIPS 202): SHA3-256, SHA3-512, SHAKE128, SHAKE256 on the
   Keccak-p[1600,24] sponge. Portable C, no tables indexed by data, so the
   time depends only on the lengths. Contexts are plain structs owned by the
   caller; nothing is allocated. keccak_wipe zeroes one; the *_final
   functions and the one-shot helpers wipe what they used.

   Incremental use: *_init, keccak_absorb (any number of times), then either
   sha3_*_final, or keccak_squeeze (any number of times, any sizes: the output
   stream is the same however it is cut). A message that does not end on a
   byte boundary ends with keccak_absorb_bits (FIPS 202 bit order: the low
   nbits of `bits`), which must come last before the output. */
#ifndef CRYPTO_SHA3_H
#define CRYPTO_SHA3_H
#include <stddef.h>
#include <stdint.h>

#define SHA3_256_DIGEST_LEN 32
#define SHA3_512_DIGEST_LEN 64
#define SHA3_256_RATE 136
#define SHA3_512_RATE 72
#define SHAKE128_RATE 168
#define SHAKE256_RATE 136

struct keccak_ctx {
    uint64_t s[25];     /* state, lane (x, y) at s[x + 5y] */
    uint16_t rate;      /* bytes */
    uint16_t pos;       /* byte offset in the current block */
    uint8_t ds;         /* domain bits + first padding bit: 0x06 SHA-3, 0x1f SHAKE */
    uint8_t tail;       /* partial final byte (keccak_absorb_bits) */
    uint8_t tail_bits;  /* 0..7 */
    uint8_t squeezing;  /* 1 once padded */
};

void sha3_256_init(struct keccak_ctx *c);
void sha3_512_init(struct keccak_ctx *c);
void shake128_init(struct keccak_ctx *c);
void shake256_init(struct keccak_ctx *c);

/* Absorbs n bytes. Not after keccak_absorb_bits or keccak_squeeze. */
void keccak_absorb(struct keccak_ctx *c, const void *in, size_t n);
/* Absorbs the last nbits (0..7) bits of the message: bit i of the message
   tail is bit i (value 1 << i) of bits. Nothing may be absorbed after it. */
void keccak_absorb_bits(struct keccak_ctx *c, uint8_t bits, unsigned nbits);
/* Pads on the first call, then writes the next n bytes of output. */
void keccak_squeeze(struct keccak_ctx *c, void *out, size_t n);
void keccak_wipe(struct keccak_ctx *c);

/* Digest, then the context is wiped. */
void sha3_256_final(struct keccak_ctx *c, uint8_t out[32]);
void sha3_512_final(struct keccak_ctx *c, uint8_t out[64]);

/* One-shot helpers. */
void sha3_256(const void *in, size_t n, uint8_t out[32]);
void sha3_512(const void *in, size_t n, uint8_t out[64]);
void shake128(const void *in, size_t n, uint8_t *out, size_t outlen);
void shake256(const void *in, size_t n, uint8_t *out, size_t outlen);

/* The Keccak-p[1600, 24] permutation (FIPS 202 section 3.3), for tests. */
void keccak_f1600(uint64_t s[25]);

#endif
