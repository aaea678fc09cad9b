/* see ec_internal.h: point arithmetic with the complete formulas of Renes,
   Costello and Batina (2016), algorithm 4 (addition) and 6 (doubling) for
   a = -3, and encoding / decoding per SEC 1 2.3.3-2.3.4. */
#include "crypto/ec_internal.h"
#include "crypto/bn.h"
#include <string.h>

#define MUL(r, a, b) ec_fe_mul(c, r, a, b)
#define ADD(r, a, b) ec_fe_add(c, r, a, b)
#define SUB(r, a, b) ec_fe_sub(c, r, a, b)

void ec_point_add(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p,
                  const struct ec_point *q)
{
    uint64_t t0[EC_MAX_LIMBS], t1[EC_MAX_LIMBS], t2[EC_MAX_LIMBS], t3[EC_MAX_LIMBS],
        t4[EC_MAX_LIMBS], x3[EC_MAX_LIMBS], y3[EC_MAX_LIMBS], z3[EC_MAX_LIMBS];
    const uint64_t *x1 = p->x, *y1 = p->y, *z1 = p->z, *x2 = q->x, *y2 = q->y, *z2 = q->z;
    MUL(t0, x1, x2); MUL(t1, y1, y2); MUL(t2, z1, z2);
    ADD(t3, x1, y1); ADD(t4, x2, y2); MUL(t3, t3, t4);
    ADD(t4, t0, t1); SUB(t3, t3, t4); ADD(t4, y1, z1);
    ADD(x3, y2, z2); MUL(t4, t4, x3); ADD(x3, t1, t2);
    SUB(t4, t4, x3); ADD(x3, x1, z1); ADD(y3, x2, z2);
    MUL(x3, x3, y3); ADD(y3, t0, t2); SUB(y3, x3, y3);
    MUL(z3, c->b, t2); SUB(x3, y3, z3); ADD(z3, x3, x3);
    ADD(x3, x3, z3); SUB(z3, t1, x3); ADD(x3, t1, x3);
    MUL(y3, c->b, y3); ADD(t1, t2, t2); ADD(t2, t1, t2);
    SUB(y3, y3, t2); SUB(y3, y3, t0); ADD(t1, y3, y3);
    ADD(y3, t1, y3); ADD(t1, t0, t0); ADD(t0, t1, t0);
    SUB(t0, t0, t2); MUL(t1, t4, y3); MUL(t2, t0, y3);
    MUL(y3, x3, z3); ADD(y3, y3, t2); MUL(x3, t3, x3);
    SUB(x3, x3, t1); MUL(z3, t4, z3); MUL(t1, t3, t0);
    ADD(z3, z3, t1);
    memcpy(r->x, x3, sizeof x3);
    memcpy(r->y, y3, sizeof y3);
    memcpy(r->z, z3, sizeof z3);
}

void ec_point_double(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p)
{
    uint64_t t0[EC_MAX_LIMBS], t1[EC_MAX_LIMBS], t2[EC_MAX_LIMBS], t3[EC_MAX_LIMBS],
        x3[EC_MAX_LIMBS], y3[EC_MAX_LIMBS], z3[EC_MAX_LIMBS];
    const uint64_t *x = p->x, *y = p->y, *z = p->z;
    MUL(t0, x, x); MUL(t1, y, y); MUL(t2, z, z);
    MUL(t3, x, y); ADD(t3, t3, t3); MUL(z3, x, z);
    ADD(z3, z3, z3); MUL(y3, c->b, t2); SUB(y3, y3, z3);
    ADD(x3, y3, y3); ADD(y3, x3, y3); SUB(x3, t1, y3);
    ADD(y3, t1, y3); MUL(y3, x3, y3); MUL(x3, x3, t3);
    ADD(t3, t2, t2); ADD(t2, t2, t3); MUL(z3, c->b, z3);
    SUB(z3, z3, t2); SUB(z3, z3, t0); ADD(t3, z3, z3);
    ADD(z3, z3, t3); ADD(t3, t0, t0); ADD(t0, t3, t0);
    SUB(t0, t0, t2); MUL(t0, t0, z3); ADD(y3, y3, t0);
    MUL(t0, y, z); ADD(t0, t0, t0); MUL(z3, t0, z3);
    SUB(x3, x3, z3); MUL(z3, t0, t1); ADD(z3, z3, z3);
    ADD(z3, z3, z3);
    memcpy(r->x, x3, sizeof x3);
    memcpy(r->y, y3, sizeof y3);
    memcpy(r->z, z3, sizeof z3);
}

void ec_point_generator(const struct ec_curve_def *c, struct ec_point *g)
{
    memset(g, 0, sizeof *g);
    memcpy(g->x, c->gx, sizeof g->x);
    memcpy(g->y, c->gy, sizeof g->y);
    memcpy(g->z, c->p_one, sizeof g->z);
}

int ec_point_decode(const struct ec_curve_def *c, struct ec_point *r, const uint8_t *in, size_t len)
{
    size_t n = c->limbs, nb = c->bytes;
    uint64_t x[EC_MAX_LIMBS] = {0}, y[EC_MAX_LIMBS] = {0}, lhs[EC_MAX_LIMBS], rhs[EC_MAX_LIMBS],
        three[EC_MAX_LIMBS];
    if (!in || len != 1 + 2 * nb || in[0] != 0x04)
        return CRYPTO_ERR_BAD_POINT;
    bn_from_be(x, n, in + 1, nb);
    bn_from_be(y, n, in + 1 + nb, nb);
    if (!bn_lt_mask(x, c->p, n) || !bn_lt_mask(y, c->p, n))
        return CRYPTO_ERR_BAD_POINT;
    ec_fe_mul(c, x, x, c->p_r2);
    ec_fe_mul(c, y, y, c->p_r2);
    /* y^2 == (x^2 - 3) x + b */
    ec_fe_mul(c, lhs, y, y);
    ADD(three, c->p_one, c->p_one);
    ADD(three, three, c->p_one);
    MUL(rhs, x, x);
    SUB(rhs, rhs, three);
    MUL(rhs, rhs, x);
    ADD(rhs, rhs, c->b);
    if (!bn_eq_mask(lhs, rhs, n))
        return CRYPTO_ERR_BAD_POINT;
    memset(r, 0, sizeof *r);
    memcpy(r->x, x, sizeof x);
    memcpy(r->y, y, sizeof y);
    memcpy(r->z, c->p_one, sizeof r->z);
    return CRYPTO_OK;
}

int ec_point_to_affine(const struct ec_curve_def *c, uint8_t *x, uint8_t *y, const struct ec_point *p)
{
    size_t n = c->limbs;
    uint64_t zinv[EC_MAX_LIMBS], t[EC_MAX_LIMBS], one[EC_MAX_LIMBS] = {1};
    uint64_t inf = bn_zero_mask(p->z, n);
    ec_fe_pow(c, zinv, p->z, c->p_minus_2);
    ec_fe_mul(c, t, p->x, zinv);
    ec_fe_mul(c, t, t, one); /* leave the Montgomery domain */
    bn_to_be(x, c->bytes, t, n);
    if (y) {
        ec_fe_mul(c, t, p->y, zinv);
        ec_fe_mul(c, t, t, one);
        bn_to_be(y, c->bytes, t, n);
    }
    crypto_zeroize(zinv, sizeof zinv);
    crypto_zeroize(t, sizeof t);
    return (int)((uint32_t)inf & CRYPTO_ERR_BAD_POINT); /* branch-free */
}

/* r = tab[idx] reading all 16 entries (idx secret). */
static void point_select(const struct ec_curve_def *c, struct ec_point *r,
                         const struct ec_point tab[16], uint64_t idx)
{
    size_t n = c->limbs;
    memset(r, 0, sizeof *r);
    for (uint64_t i = 0; i < 16; i++) {
        uint64_t m = ct_is_zero64(i ^ idx);
        for (size_t j = 0; j < n; j++) {
            r->x[j] |= tab[i].x[j] & m;
            r->y[j] |= tab[i].y[j] & m;
            r->z[j] |= tab[i].z[j] & m;
        }
    }
}

static void point_infinity(const struct ec_curve_def *c, struct ec_point *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->y, c->p_one, sizeof r->y);
}

/* Jacobian doubling for a = -3 (dbl-2001-b, 3M + 5S), branch-free. It is
   exception-free here: P-256/P-384 have no point of order 2, and the
   Jacobian point at infinity (1:1:0) doubles to itself. */
static void jac_double_ct(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p)
{
    uint64_t delta[EC_MAX_LIMBS], gamma[EC_MAX_LIMBS], beta[EC_MAX_LIMBS], alpha[EC_MAX_LIMBS],
        t[EC_MAX_LIMBS], u[EC_MAX_LIMBS];
    MUL(delta, p->z, p->z);
    MUL(gamma, p->y, p->y);
    MUL(beta, p->x, gamma);
    SUB(t, p->x, delta);
    ADD(u, p->x, delta);
    MUL(alpha, t, u);
    ADD(t, alpha, alpha);
    ADD(alpha, alpha, t); /* 3 (X - delta)(X + delta) */
    ADD(t, p->y, p->z);
    MUL(t, t, t);
    SUB(t, t, gamma);
    SUB(r->z, t, delta); /* 2 Y Z */
    ADD(beta, beta, beta);
    ADD(beta, beta, beta); /* 4 beta */
    MUL(t, alpha, alpha);
    ADD(u, beta, beta);
    SUB(r->x, t, u); /* alpha^2 - 8 beta */
    SUB(t, beta, r->x);
    MUL(t, alpha, t);
    MUL(gamma, gamma, gamma);
    ADD(gamma, gamma, gamma);
    ADD(gamma, gamma, gamma);
    ADD(gamma, gamma, gamma); /* 8 gamma^2 */
    SUB(r->y, t, gamma);
}

void ec_scalar_mul(const struct ec_curve_def *c, struct ec_point *r, const uint64_t *k,
                   const struct ec_point *p)
{
    /* 4-bit fixed window. The accumulator is doubled in Jacobian coordinates
       (cheaper) and converted to homogeneous projective for the complete
       addition of the table entry, then back:
         Jacobian (X:Y:Z) -> homogeneous (X Z : Y : Z^3)
         homogeneous (X:Y:Z) -> Jacobian (X Z : Y Z^2 : Z), or (1:1:0) when
         Z = 0 (selected with a mask). Nothing branches on k. */
    struct ec_point tab[16], acc, t, h;
    uint64_t z2[EC_MAX_LIMBS];
    size_t n = c->limbs;
    point_infinity(c, &tab[0]);
    tab[1] = *p;
    for (int i = 2; i < 16; i++) {
        if (i % 2 == 0)
            ec_point_double(c, &tab[i], &tab[i / 2]);
        else
            ec_point_add(c, &tab[i], &tab[i - 1], p);
    }
    /* Jacobian infinity (1:1:0) */
    memset(&acc, 0, sizeof acc);
    memcpy(acc.x, c->p_one, sizeof acc.x);
    memcpy(acc.y, c->p_one, sizeof acc.y);
    for (size_t w = 16 * n; w-- > 0;) {
        for (int d = 0; d < 4; d++)
            jac_double_ct(c, &acc, &acc);
        /* to homogeneous */
        MUL(z2, acc.z, acc.z);
        MUL(h.z, z2, acc.z);
        MUL(h.x, acc.x, acc.z);
        memcpy(h.y, acc.y, sizeof h.y);
        point_select(c, &t, tab, (k[w / 16] >> (4 * (w % 16))) & 15);
        ec_point_add(c, &h, &h, &t);
        if (w == 0)
            break; /* the result stays homogeneous */
        /* back to Jacobian */
        MUL(z2, h.z, h.z);
        MUL(acc.x, h.x, h.z);
        MUL(acc.y, h.y, z2);
        memcpy(acc.z, h.z, sizeof acc.z);
        uint64_t inf = bn_zero_mask(h.z, n);
        bn_select(acc.x, inf, c->p_one, acc.x, n);
        bn_select(acc.y, inf, c->p_one, acc.y, n);
    }
    *r = h;
    crypto_zeroize(tab, sizeof tab);
    crypto_zeroize(&acc, sizeof acc);
    crypto_zeroize(&t, sizeof t);
    crypto_zeroize(&h, sizeof h);
    crypto_zeroize(z2, sizeof z2);
}
