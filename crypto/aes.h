/* AES-128/192/256 block encryption (FIPS 197) and the CTR keystream GCM uses.
   Only the forward cipher exists: GCM and CTR never decrypt with AES.
   Two implementations chosen at run time (see impl.h): AES-NI, and a
   portable bitsliced one with no secret-indexed loads or branches.
   aes_key is caller-owned (about 1.2 KB); aes_key_wipe zeroes it. */
#ifndef CRYPTO_AES_H
#define CRYPTO_AES_H
#include "crypto/crypto.h"
#include <stddef.h>
#include <stdint.h>

#define AES_BLOCK_LEN 16
#define AES_MAX_ROUNDS 14

typedef struct {
    uint8_t rk[16 * (AES_MAX_ROUNDS + 1)];          /* FIPS 197 key schedule, bytes */
    uint64_t bsk[AES_MAX_ROUNDS + 1][8];            /* same, bitsliced for 4 blocks */
    unsigned rounds;                                /* 10, 12 or 14 */
} aes_key;

/* keylen 16, 24 or 32, else CRYPTO_ERR_BAD_LENGTH. */
enum crypto_err aes_key_init(aes_key *k, const uint8_t *key, size_t keylen);
void aes_key_wipe(aes_key *k);
void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]);
/* out = in XOR AES-CTR keystream starting at counter block ctr; the low 32
   bits (big-endian, bytes 12..15) increment mod 2^32 (SP 800-38D inc32).
   ctr is advanced past the blocks used (a partial last block counts as one).
   in == out allowed. */
void aes_ctr32_xor(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len);

#endif
