/* see aes.h — key expansion (FIPS 197 section 5.2) and dispatch. */
#include <string.h>
#include "crypto/aes_internal.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

/* Stack that aes_ni_ctr32_xor may leave secrets in (gcc 12 -O2: 432 bytes
   host, see tests/ct/stack_wipe.c), with room for other compilers. */
#define AES_NI_CTR_STACK 768

enum crypto_err aes_key_init(aes_key *k, const uint8_t *key, size_t keylen)
{
    if (keylen != 16 && keylen != 24 && keylen != 32)
        return CRYPTO_ERR_BAD_LENGTH;
    size_t nk = keylen / 4, nw = 4 * (nk + 7);   /* Nr = Nk + 6 */
    uint8_t rcon = 1;
    k->rounds = (unsigned)(nk + 6);
    memcpy(k->rk, key, keylen);
    for (size_t i = nk; i < nw; i++) {
        uint8_t t[4];
        memcpy(t, k->rk + 4 * (i - 1), 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0];                  /* RotWord */
            t[0] = t[1]; t[1] = t[2]; t[2] = t[3]; t[3] = t0;
            aes_ct_sub_bytes(t, 4);
            t[0] ^= rcon;
            rcon = (uint8_t)((rcon << 1) ^ (0x1b & -(rcon >> 7)));
        } else if (nk > 6 && i % nk == 4) {
            aes_ct_sub_bytes(t, 4);
        }
        for (int j = 0; j < 4; j++)
            k->rk[4 * i + j] = k->rk[4 * (i - nk) + j] ^ t[j];
        crypto_zeroize(t, sizeof t);
    }
    for (unsigned r = 0; r <= k->rounds; r++)
        aes_ct_bitslice_key(k->rk + 16 * r, k->bsk[r]);
    return CRYPTO_OK;
}

void aes_key_wipe(aes_key *k)
{
    crypto_zeroize(k, sizeof *k);
}

void aes_encrypt_block(const aes_key *k, const uint8_t in[16], uint8_t out[16])
{
    if (crypto_use_aesni()) {
        aes_ni_encrypt_block(k, in, out);
        return;
    }
    uint8_t b[64];
    memset(b, 0, sizeof b);
    memcpy(b, in, 16);
    aes_ct_encrypt4(k, b);
    memcpy(out, b, 16);
    crypto_zeroize(b, sizeof b);
}

void aes_ctr32_xor(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len)
{
    aes_ctr32_xor_nowipe(k, ctr, in, out, len);
    if (crypto_use_aesni())
        crypto_wipe_stack(AES_NI_CTR_STACK);   /* its round-key array, last keystream */
}

void aes_ctr32_xor_nowipe(const aes_key *k, uint8_t ctr[16], const uint8_t *in, uint8_t *out, size_t len)
{
    if (crypto_use_aesni()) {
        aes_ni_ctr32_xor(k, ctr, in, out, len);
        return;
    }
    uint8_t ks[64];
    while (len) {
        for (int i = 0; i < 4; i++) {
            memcpy(ks + 16 * i, ctr, 16);
            aes_inc32(ctr);
        }
        aes_ct_encrypt4(k, ks);
        size_t n = len < 64 ? len : 64;
        for (size_t i = 0; i < n; i++)
            out[i] = in[i] ^ ks[i];
        if (n < 64) {   /* unused counter blocks are given back */
            for (size_t b = (n + 15) / 16; b < 4; b++)
                be32_put(ctr + 12, be32_get(ctr + 12) - 1);
        }
        in += n; out += n; len -= n;
    }
    crypto_zeroize(ks, sizeof ks);
}
