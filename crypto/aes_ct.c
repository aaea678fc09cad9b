/* Portable constant-time AES (FIPS 197), bitsliced over 4 blocks.
   Layout: q[j] bit p holds bit j of state byte p, p = 16*block + (r + 4*c)
   (FIPS 197 3.4 column-major byte index). The S-box is computed, not looked
   up: inversion in GF(2^8) as x^254 (4 multiplications, 7 squarings on bit
   planes) followed by the affine map of FIPS 197 5.1.1. No branch or memory
   index depends on key or data. */
#include <string.h>
#include "crypto/aes_internal.h"
#include "crypto/crypto.h"

/* c = a*b in GF(2^8) mod x^8+x^4+x^3+x+1, on 64 bytes in parallel (bit
   planes; schoolbook product then reduction). c may alias a or b. */
static void gf_mul(uint64_t c[8], const uint64_t a[8], const uint64_t b[8])
{
    uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
    uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
    uint64_t t0 = (a0 & b0);
    uint64_t t1 = (a0 & b1) ^ (a1 & b0);
    uint64_t t2 = (a0 & b2) ^ (a1 & b1) ^ (a2 & b0);
    uint64_t t3 = (a0 & b3) ^ (a1 & b2) ^ (a2 & b1) ^ (a3 & b0);
    uint64_t t4 = (a0 & b4) ^ (a1 & b3) ^ (a2 & b2) ^ (a3 & b1) ^ (a4 & b0);
    uint64_t t5 = (a0 & b5) ^ (a1 & b4) ^ (a2 & b3) ^ (a3 & b2) ^ (a4 & b1) ^ (a5 & b0);
    uint64_t t6 = (a0 & b6) ^ (a1 & b5) ^ (a2 & b4) ^ (a3 & b3) ^ (a4 & b2) ^ (a5 & b1) ^ (a6 & b0);
    uint64_t t7 = (a0 & b7) ^ (a1 & b6) ^ (a2 & b5) ^ (a3 & b4) ^ (a4 & b3) ^ (a5 & b2) ^ (a6 & b1) ^ (a7 & b0);
    uint64_t t8 = (a1 & b7) ^ (a2 & b6) ^ (a3 & b5) ^ (a4 & b4) ^ (a5 & b3) ^ (a6 & b2) ^ (a7 & b1);
    uint64_t t9 = (a2 & b7) ^ (a3 & b6) ^ (a4 & b5) ^ (a5 & b4) ^ (a6 & b3) ^ (a7 & b2);
    uint64_t t10 = (a3 & b7) ^ (a4 & b6) ^ (a5 & b5) ^ (a6 & b4) ^ (a7 & b3);
    uint64_t t11 = (a4 & b7) ^ (a5 & b6) ^ (a6 & b5) ^ (a7 & b4);
    uint64_t t12 = (a5 & b7) ^ (a6 & b6) ^ (a7 & b5);
    uint64_t t13 = (a6 & b7) ^ (a7 & b6);
    uint64_t t14 = (a7 & b7);
    /* x^8 = x^4 + x^3 + x + 1, folded from the top down */
    t10 ^= t14; t9 ^= t14; t7 ^= t14; t6 ^= t14;
    t9 ^= t13; t8 ^= t13; t6 ^= t13; t5 ^= t13;
    t8 ^= t12; t7 ^= t12; t5 ^= t12; t4 ^= t12;
    t7 ^= t11; t6 ^= t11; t4 ^= t11; t3 ^= t11;
    t6 ^= t10; t5 ^= t10; t3 ^= t10; t2 ^= t10;
    t5 ^= t9; t4 ^= t9; t2 ^= t9; t1 ^= t9;
    t4 ^= t8; t3 ^= t8; t1 ^= t8; t0 ^= t8;
    c[0] = t0; c[1] = t1; c[2] = t2; c[3] = t3; c[4] = t4; c[5] = t5; c[6] = t6; c[7] = t7;
}

/* c = a^2: squaring is linear over GF(2); the map below is x^(2i) mod the
   AES polynomial for each input bit i. c may alias a. */
static void gf_sqr(uint64_t c[8], const uint64_t a[8])
{
    uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
    c[0] = a0 ^ a4 ^ a6;
    c[1] = a4 ^ a6 ^ a7;
    c[2] = a1 ^ a5;
    c[3] = a4 ^ a5 ^ a6 ^ a7;
    c[4] = a2 ^ a4 ^ a7;
    c[5] = a5 ^ a6;
    c[6] = a3 ^ a5;
    c[7] = a6 ^ a7;
}

static void sbox(uint64_t q[8])
{
    uint64_t x2[8], x3[8], x12[8], x15[8], t[8];
    gf_sqr(x2, q);
    gf_mul(x3, x2, q);
    gf_sqr(t, x3);          /* x^6 */
    gf_sqr(x12, t);         /* x^12 */
    gf_mul(x15, x12, x3);   /* x^15 */
    gf_sqr(t, x15);         /* x^30 */
    gf_sqr(t, t);           /* x^60 */
    gf_sqr(t, t);           /* x^120 */
    gf_sqr(t, t);           /* x^240 */
    gf_mul(t, t, x12);      /* x^252 */
    gf_mul(t, t, x2);       /* x^254 = x^-1 (0 -> 0) */
    /* affine: b_i = a_i ^ a_{i+4} ^ a_{i+5} ^ a_{i+6} ^ a_{i+7} ^ c_i, c = 0x63 */
    for (int i = 0; i < 8; i++)
        q[i] = t[i] ^ t[(i + 4) & 7] ^ t[(i + 5) & 7] ^ t[(i + 6) & 7] ^ t[(i + 7) & 7];
    q[0] = ~q[0];
    q[1] = ~q[1];
    q[5] = ~q[5];
    q[6] = ~q[6];
}

#define SWAPMOVE(a, b, m, n) do { uint64_t t_ = (((a) >> (n)) ^ (b)) & (m); (b) ^= t_; (a) ^= t_ << (n); } while (0)

/* 8x8 bit transposes: w[i] bit (8b + j) <-> w[j] bit (8b + i). Involution. */
static void transpose(uint64_t w[8])
{
    for (int i = 0; i < 8; i += 2)
        SWAPMOVE(w[i], w[i + 1], 0x5555555555555555ULL, 1);
    for (int i = 0; i < 8; i += 4) {
        SWAPMOVE(w[i], w[i + 2], 0x3333333333333333ULL, 2);
        SWAPMOVE(w[i + 1], w[i + 3], 0x3333333333333333ULL, 2);
    }
    for (int i = 0; i < 4; i++)
        SWAPMOVE(w[i], w[i + 4], 0x0f0f0f0f0f0f0f0fULL, 4);
}

/* Byte p (0..63) of the 4 blocks goes to w[p % 8] byte p / 8, so that after
   transpose() q[j] bit p = bit j of byte p. */
static void load_bs(uint64_t q[8], const uint8_t b[64])
{
    for (int i = 0; i < 8; i++) {
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--)
            w = (w << 8) | b[8 * k + i];
        q[i] = w;
    }
    transpose(q);
}

static void store_bs(uint8_t b[64], uint64_t q[8])
{
    transpose(q);
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 8; k++)
            b[8 * k + i] = (uint8_t)(q[i] >> (8 * k));
}

/* Rotate right by s within each 16-bit lane. */
static inline uint64_t rotr16(uint64_t x, unsigned s)
{
    uint64_t m = 0x0001000100010001ULL * (0xffffu >> s);
    return ((x >> s) & m) | ((x << (16 - s)) & ~m);
}

/* FIPS 197 5.1.2: row r rotates left by r columns, i.e. new[r + 4c] =
   old[r + 4(c + r)]: within a 16-bit lane, row r bits rotate right by 4r. */
static void shift_rows(uint64_t q[8])
{
    for (int j = 0; j < 8; j++) {
        uint64_t x = q[j];
        q[j] = (x & 0x1111111111111111ULL) | rotr16(x & 0x2222222222222222ULL, 4) |
               rotr16(x & 0x4444444444444444ULL, 8) | rotr16(x & 0x8888888888888888ULL, 12);
    }
}

/* Within each nibble (a column), position r takes the byte of row r + s. */
static inline uint64_t rotnib(uint64_t x, unsigned s)
{
    uint64_t m = 0x1111111111111111ULL * (0xfu >> s);
    return ((x >> s) & m) | ((x << (4 - s)) & ~m);
}

/* FIPS 197 5.1.3: b_r = 2(a_r ^ a_{r+1}) ^ a_{r+1} ^ a_{r+2} ^ a_{r+3}. */
static void mix_columns(uint64_t q[8])
{
    uint64_t r1[8], t[8];
    for (int j = 0; j < 8; j++) {
        r1[j] = rotnib(q[j], 1);
        t[j] = q[j] ^ r1[j];
    }
    uint64_t hi = t[7];   /* xtime: multiply t by x */
    uint64_t x[8] = { hi, t[0] ^ hi, t[1], t[2] ^ hi, t[3] ^ hi, t[4], t[5], t[6] };
    for (int j = 0; j < 8; j++)
        q[j] = x[j] ^ r1[j] ^ rotnib(q[j], 2) ^ rotnib(q[j], 3);
}

static inline void add_round_key(uint64_t q[8], const uint64_t k[8])
{
    for (int j = 0; j < 8; j++)
        q[j] ^= k[j];
}

void aes_ct_encrypt4(const aes_key *k, uint8_t blocks[64])
{
    uint64_t q[8];
    load_bs(q, blocks);
    add_round_key(q, k->bsk[0]);
    for (unsigned r = 1; r < k->rounds; r++) {
        sbox(q);
        shift_rows(q);
        mix_columns(q);
        add_round_key(q, k->bsk[r]);
    }
    sbox(q);
    shift_rows(q);
    add_round_key(q, k->bsk[k->rounds]);
    store_bs(blocks, q);
    crypto_zeroize(q, sizeof q);
}

void aes_ct_sub_bytes(uint8_t *b, size_t n)
{
    uint8_t buf[64];
    uint64_t q[8];
    memset(buf, 0, sizeof buf);
    memcpy(buf, b, n);
    load_bs(q, buf);
    sbox(q);
    store_bs(buf, q);
    memcpy(b, buf, n);
    crypto_zeroize(buf, sizeof buf);
    crypto_zeroize(q, sizeof q);
}

void aes_ct_bitslice_key(const uint8_t rk[16], uint64_t q[8])
{
    uint8_t buf[64];
    for (int i = 0; i < 4; i++)
        memcpy(buf + 16 * i, rk, 16);
    load_bs(q, buf);
    crypto_zeroize(buf, sizeof buf);
}
