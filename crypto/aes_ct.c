/* Portable constant-time AES (FIPS 197), bitsliced over 4 blocks.
   Layout: q[j] bit p holds bit j of state byte p, p = 16*block + (r + 4*c)
   (FIPS 197 3.4 column-major byte index). The S-box is computed, not looked
   up: inversion in GF(2^8) as x^254 (4 multiplications, 7 squarings on bit
   planes) followed by the affine map of FIPS 197 5.1.1. No branch or memory
   index depends on key or data. */
#include <string.h>
#include "crypto/aes_internal.h"
#include "crypto/crypto.h"

/* c = a*b in GF(2^8) mod x^8+x^4+x^3+x+1, on 64 bytes in parallel. */
static void gf_mul(uint64_t c[8], const uint64_t a[8], const uint64_t b[8])
{
    uint64_t t[15];
    for (int k = 0; k < 15; k++)
        t[k] = 0;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
            t[i + j] ^= a[i] & b[j];
    for (int k = 14; k >= 8; k--) {      /* x^8 = x^4 + x^3 + x + 1 */
        t[k - 4] ^= t[k];
        t[k - 5] ^= t[k];
        t[k - 7] ^= t[k];
        t[k - 8] ^= t[k];
    }
    for (int k = 0; k < 8; k++)
        c[k] = t[k];
}

static void gf_sqr(uint64_t c[8], const uint64_t a[8])
{
    uint64_t t[15];
    for (int k = 0; k < 15; k++)
        t[k] = (k & 1) ? 0 : a[k / 2];
    for (int k = 14; k >= 8; k--) {
        t[k - 4] ^= t[k];
        t[k - 5] ^= t[k];
        t[k - 7] ^= t[k];
        t[k - 8] ^= t[k];
    }
    for (int k = 0; k < 8; k++)
        c[k] = t[k];
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
