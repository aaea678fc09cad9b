/* Internal to crypto/: the ChaCha20 state (RFC 8439 2.3, 16 host-order
   words, word 12 the block counter) and the bulk XOR paths over it. Each
   path handles whole multiples of its stride and advances s[12] by the
   blocks it used, wrapping mod 2^32 like the scalar code (the caller keeps
   the counter from wrapping, RFC 8439 2.4). The SIMD paths leave key words
   and keystream in their stack frames: the caller calls
   crypto_wipe_stack(CHACHA_SIMD_STACK) once after the last of them. */
#ifndef CRYPTO_CHACHA20_INTERNAL_H
#define CRYPTO_CHACHA20_INTERNAL_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/poly1305.h"

/* Stack the SIMD paths may leave secrets in (gcc 12 -O2 uses far less:
   tests/ct/stack_wipe.c checks it), with room for other compilers. */
#define CHACHA_SIMD_STACK 2048

void chacha20_setup(uint32_t s[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12]);
/* out = (in ^ keystream) & mask for all len bytes on the path the policy
   picks (crypto_chacha_path), tail included; s[12] advances. No wipe. */
void chacha20_xor_state(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask);
/* 8 blocks (512 bytes) per step, AVX2; returns the bytes done (len rounded
   down to 512). Only when crypto_chacha_path() >= CRYPTO_CHACHA_AVX2. */
size_t chacha20_avx2_xor(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask);
/* 16 blocks (1024 bytes) per step, AVX-512F; returns the bytes done. Only
   when crypto_chacha_path() == CRYPTO_CHACHA_AVX512. */
size_t chacha20_avx512_xor(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, uint32_t mask);

/* As the two above (mask all-ones), and Poly1305 over 16-byte blocks into
   p (which must hold no partial block, p->n == 0) while the rounds run:
   open (seal == 0) MACs the input of every step, so all of in[0, done);
   seal MACs the output of the step before, so all of out[0, done) but the
   last step's (out + done - stride, stride 512 or 1024, when done > 0),
   which is left to the caller. in == out allowed. */
size_t chacha20_avx2_xor_mac(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len,
                             poly1305_ctx *p, int seal);
size_t chacha20_avx512_xor_mac(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len,
                               poly1305_ctx *p, int seal);
/* p[i] &= mask for i < len, 32 bytes per AVX2 AND; no branch on mask.
   Only when crypto_chacha_path() >= CRYPTO_CHACHA_AVX2. */
void chacha20_avx2_mask(uint8_t *p, size_t len, uint32_t mask);

#endif
