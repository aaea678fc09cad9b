/* ML-KEM samplers (FIPS 203 section 4.2.2): SampleNTT (Algorithm 7), the
   rejection sampler for the public matrix A from SHAKE128(rho || j || i),
   and SamplePolyCBD_2 (Algorithm 8) on PRF_2(s, n) = SHAKE256(s || n, 128).
   SampleNTT branches on its (public) XOF stream and reads as many blocks as
   needed, however unlucky the seed. The CBD sampler is branch-free: each
   coefficient is x - y + q reduced without a comparison. */
#include "crypto/mlkem_poly.h"
#include "crypto/sha3.h"
#include "crypto/crypto.h"
#include <string.h>

void mlkem_sample_ntt(mlkem_poly *a, const uint8_t rho[32], uint8_t j, uint8_t i)
{
    struct keccak_ctx x;
    uint8_t seed[34], blk[SHAKE128_RATE];
    unsigned n = 0;
    memcpy(seed, rho, 32);
    seed[32] = j;
    seed[33] = i;
    shake128_init(&x);
    keccak_absorb(&x, seed, sizeof seed);
    while (n < MLKEM_N) {
        keccak_squeeze(&x, blk, sizeof blk); /* 168 = 56 triples */
        for (unsigned k = 0; k + 3 <= sizeof blk && n < MLKEM_N; k += 3) {
            uint16_t d1 = (uint16_t)(blk[k] | (blk[k + 1] & 0x0f) << 8);
            uint16_t d2 = (uint16_t)(blk[k + 1] >> 4 | blk[k + 2] << 4);
            if (d1 < MLKEM_Q)
                a->c[n++] = d1;
            if (d2 < MLKEM_Q && n < MLKEM_N)
                a->c[n++] = d2;
        }
    }
    keccak_wipe(&x);
}

void mlkem_sample_cbd2(mlkem_poly *f, const uint8_t s[32], uint8_t n)
{
    struct keccak_ctx x;
    uint8_t buf[128];
    shake256_init(&x);
    keccak_absorb(&x, s, 32);
    keccak_absorb(&x, &n, 1);
    keccak_squeeze(&x, buf, sizeof buf);
    keccak_wipe(&x);
    for (unsigned k = 0; k < sizeof buf; k++) {
        for (unsigned h = 0; h < 2; h++) {
            unsigned b = (unsigned)(buf[k] >> (4 * h));
            unsigned x1 = (b & 1) + (b >> 1 & 1), y1 = (b >> 2 & 1) + (b >> 3 & 1);
            f->c[2 * k + h] = mlkem_fq_csub(x1 + MLKEM_Q - y1);
        }
    }
    crypto_zeroize(buf, sizeof buf);
}
