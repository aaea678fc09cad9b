/* Internal to crypto/: the two AES back ends behind aes.h and gcm.c. */
#ifndef CRYPTO_AES_INTERNAL_H
#define CRYPTO_AES_INTERNAL_H
#include "crypto/aes.h"
#include "lib/bytes.h"

/* Portable bitsliced: encrypts 4 blocks (64 bytes) in place. */
void aes_ct_encrypt4(const aes_key *k, uint8_t blocks[64]);
/* Bitsliced S-box on n <= 64 bytes in place (key schedule). */
void aes_ct_sub_bytes(uint8_t *b, size_t n);
/* Bitslices 16-byte round key rk into q (replicated for 4 blocks). */
void aes_ct_bitslice_key(const uint8_t rk[16], uint64_t q[8]);

/* AES-NI (only called when crypto_use_aesni()). */
void aes_ni_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16]);
void aes_ni_ctr32_xor(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len);

/* aes_ctr32_xor without its stack wipe after the AES-NI path, for callers
   that wipe once for several calls (gcm.c's public entries). */
void aes_ctr32_xor_nowipe(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len);

static inline void aes_inc32(uint8_t ctr[16])
{
    be32_put(ctr + 12, be32_get(ctr + 12) + 1);
}

#endif
