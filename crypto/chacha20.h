/* ChaCha20 stream cipher (RFC 8439 section 2.3/2.4): 256-bit key, 96-bit
   nonce, 32-bit block counter. Pure functions over caller buffers. */
#ifndef CRYPTO_CHACHA20_H
#define CRYPTO_CHACHA20_H
#include <stddef.h>
#include <stdint.h>

/* One 64-byte keystream block. */
void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]);
/* out = in XOR keystream starting at block counter; in == out allowed.
   The caller keeps len <= 64 * (2^32 - counter) (the counter must not wrap). */
void chacha20_xor(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                  const uint8_t *in, uint8_t *out, size_t len);
/* As chacha20_xor, then out &= mask (0xffffffff keeps, 0 zeroes) in the same
   pass: the AEAD's open releases plaintext only under a good tag without a
   branch on the verdict and without a second pass over the output. */
void chacha20_xor_masked(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                         const uint8_t *in, uint8_t *out, size_t len, uint32_t mask);

#endif
