/* Internal to crypto/mlkem*.c: arithmetic in R_q = Z_q[X]/(X^256 + 1),
   q = 3329, for ML-KEM (FIPS 203 sections 4.2 and 4.3): NTT and its inverse,
   multiplication in the NTT domain, ByteEncode/ByteDecode, Compress /
   Decompress, and the samplers SampleNTT and SamplePolyCBD_2.
   Coefficients are always kept reduced, in [0, q). Everything that may touch
   a secret runs without secret-dependent branches, indices or divisions
   (reduction by multiplication, Compress by a multiply-shift); SampleNTT
   branches on its XOF output, which comes from the public seed rho.
   Polynomials are caller-owned values; nothing is allocated. */
#ifndef CRYPTO_MLKEM_POLY_H
#define CRYPTO_MLKEM_POLY_H
#include <stddef.h>
#include <stdint.h>

#define MLKEM_N 256
#define MLKEM_Q 3329

typedef struct { uint16_t c[MLKEM_N]; } mlkem_poly;

/* zeta^BitRev7(i) and zeta^(2 BitRev7(i) + 1) mod q, zeta = 17 (for tests). */
extern const uint16_t mlkem_zetas[128];
extern const uint16_t mlkem_gammas[128];

/* a mod q for a < 2^32, without a division. */
static inline uint16_t mlkem_fq_csub(uint32_t a) /* a < 2q */
{
    uint32_t r = a - MLKEM_Q;
    r += MLKEM_Q & (0u - (r >> 31));
    return (uint16_t)r;
}
static inline uint16_t mlkem_fq_reduce(uint32_t a)
{
    uint32_t qt = (uint32_t)(((uint64_t)a * 1290167u) >> 32); /* floor(2^32 / q) */
    return mlkem_fq_csub(a - qt * MLKEM_Q);
}

/* Compress_d / Decompress_d (FIPS 203 4.2.1) of one coefficient, 1 <= d <= 11:
   round(2^d x / q) mod 2^d as ((x 2^d + 1664) * ceil(2^40 / q)) >> 40, which
   equals floor((x 2^d + 1664) / q) for every x < q (checked exhaustively by
   the unit test). */
static inline uint16_t mlkem_compress(uint16_t x, unsigned d)
{
    uint64_t t = ((uint64_t)x << d) + 1664;
    return (uint16_t)(((t * 330282857u) >> 40) & ((1u << d) - 1));
}
static inline uint16_t mlkem_decompress(uint16_t y, unsigned d)
{
    return (uint16_t)(((uint32_t)y * MLKEM_Q + (1u << (d - 1))) >> d);
}

void mlkem_ntt(mlkem_poly *f);
void mlkem_invntt(mlkem_poly *f);
/* acc += a * b in the NTT domain (MultiplyNTTs, Algorithm 11). */
void mlkem_basemul_acc(mlkem_poly *acc, const mlkem_poly *a, const mlkem_poly *b);
void mlkem_poly_add(mlkem_poly *r, const mlkem_poly *a);
void mlkem_poly_sub(mlkem_poly *r, const mlkem_poly *a); /* r = r - a */

/* ByteEncode_d (Algorithm 5): 32 d bytes from 256 d-bit values. */
void mlkem_encode(uint8_t *out, const mlkem_poly *f, unsigned d);
/* ByteDecode_d (Algorithm 6), d < 12: values mod 2^d. */
void mlkem_decode(mlkem_poly *f, const uint8_t *in, unsigned d);
/* ByteDecode_12: each 12-bit value reduced mod q. Returns 0 when every
   value was already below q (the modulus check of FIPS 203 7.2), else 1;
   the reduction itself does not branch. */
int mlkem_decode12(mlkem_poly *f, const uint8_t in[384]);
/* Compress_d then ByteEncode_d; ByteDecode_d then Decompress_d. */
void mlkem_compress_encode(uint8_t *out, const mlkem_poly *f, unsigned d);
void mlkem_decode_decompress(mlkem_poly *f, const uint8_t *in, unsigned d);

/* SampleNTT(rho || j || i) (Algorithm 7): SHAKE128 rejection sampling. */
void mlkem_sample_ntt(mlkem_poly *a, const uint8_t rho[32], uint8_t j, uint8_t i);
/* SamplePolyCBD_2(PRF_2(s, n)) (Algorithms 8 and 4.3, eta = 2). */
void mlkem_sample_cbd2(mlkem_poly *f, const uint8_t s[32], uint8_t n);

#endif
