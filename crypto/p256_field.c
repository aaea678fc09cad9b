/* see p256_field.h: inversion and byte conversion for the P-256 field. */
#include "crypto/p256_field.h"
#include "crypto/crypto.h"

/* R^2 mod p, to enter the Montgomery domain */
static const p256_fe P256_R2 = {0x0000000000000003u, 0xfffffffbffffffffu, 0xfffffffffffffffeu,
                                0x00000004fffffffdu};

static void sqr_n(p256_fe r, const p256_fe a, int n)
{
    p256_fe_sqr(r, a);
    while (--n > 0)
        p256_fe_sqr(r, r);
}

void p256_fe_inv(p256_fe r, const p256_fe a)
{
    /* p - 2 = 2^256 - 2^224 + 2^192 + 2^96 - 3: from the top, 32 ones, 31
       zeros and a one, 96 zeros, 94 ones, a zero and a one. xk = a^(2^k - 1). */
    p256_fe x2, x3, x6, x12, x15, x30, x32, t;
    p256_fe_sqr(t, a);
    p256_fe_mul(x2, t, a);
    p256_fe_sqr(t, x2);
    p256_fe_mul(x3, t, a);
    sqr_n(t, x3, 3);
    p256_fe_mul(x6, t, x3);
    sqr_n(t, x6, 6);
    p256_fe_mul(x12, t, x6);
    sqr_n(t, x12, 3);
    p256_fe_mul(x15, t, x3);
    sqr_n(t, x15, 15);
    p256_fe_mul(x30, t, x15);
    sqr_n(t, x30, 2);
    p256_fe_mul(x32, t, x2);
    sqr_n(t, x32, 32);
    p256_fe_mul(t, t, a);      /* bits 255..192 */
    sqr_n(t, t, 128);
    p256_fe_mul(t, t, x32);    /* bits 95..64 */
    sqr_n(t, t, 32);
    p256_fe_mul(t, t, x32);    /* bits 63..32 */
    sqr_n(t, t, 30);
    p256_fe_mul(t, t, x30);    /* bits 31..2 */
    sqr_n(t, t, 2);
    p256_fe_mul(r, t, a);      /* bits 1..0 = 01 */
    crypto_zeroize(x2, sizeof x2);
    crypto_zeroize(x3, sizeof x3);
    crypto_zeroize(x6, sizeof x6);
    crypto_zeroize(x12, sizeof x12);
    crypto_zeroize(x15, sizeof x15);
    crypto_zeroize(x30, sizeof x30);
    crypto_zeroize(x32, sizeof x32);
    crypto_zeroize(t, sizeof t);
}

uint64_t p256_fe_from_bytes(p256_fe r, const uint8_t in[32])
{
    p256_fe v;
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++)
            w = (w << 8) | in[(3 - i) * 8 + j];
        v[i] = w;
    }
    uint64_t b = 0;
    for (int i = 0; i < 4; i++)
        (void)p256_sbb(v[i], P256_FE_P[i], b, &b);
    uint64_t ok = (uint64_t)0 - b; /* v < p */
    for (int i = 0; i < 4; i++)
        v[i] &= ok;
    p256_fe_mul(r, v, P256_R2);
    return ok;
}

void p256_fe_to_bytes(uint8_t out[32], const p256_fe a)
{
    static const p256_fe one = {1, 0, 0, 0};
    p256_fe v;
    p256_fe_mul(v, a, one);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            out[(3 - i) * 8 + j] = (uint8_t)(v[i] >> (56 - 8 * j));
}
