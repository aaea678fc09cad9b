/* see ec_internal.h: u1 G + u2 Q for signature verification. Public inputs,
   so this is variable time and uses the faster incomplete Jacobian formulas
   for a = -3 with explicit special cases:
     doubling        dbl-2001-b   (3M + 5S)
     mixed addition  madd, Z2 = 1 (8M + 3S)
     full addition   add, general (12M + 4S)
   (Hankerson, Menezes, Vanstone, "Guide to Elliptic Curve Cryptography",
   3.2.2; the explicit-formulas database). The scalars are recoded in width-w
   NAF (ibid. algorithm 3.35); G uses the precomputed affine odd multiples
   in ec_curves.c (width 7), Q a width-5 table built here. */
#include "crypto/ec_internal.h"
#include "crypto/bn.h"
#include <string.h>

#define MUL(r, a, b) ec_fe_mul(c, r, a, b)
#define ADD(r, a, b) ec_fe_add(c, r, a, b)
#define SUB(r, a, b) ec_fe_sub(c, r, a, b)

#define WNAF_G 7
#define WNAF_Q 5
#define Q_ODD (1 << (WNAF_Q - 2)) /* 1Q, 3Q, ..., 15Q */

static int is_zero(const struct ec_curve_def *c, const uint64_t *a)
{
    for (size_t i = 0; i < c->limbs; i++)
        if (a[i])
            return 0;
    return 1;
}

static void set_inf(const struct ec_curve_def *c, struct ec_point *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->x, c->p_one, sizeof r->x);
    memcpy(r->y, c->p_one, sizeof r->y);
}

static void jac_double(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p)
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
    SUB(r->z, t, delta); /* (Y + Z)^2 - gamma - delta = 2YZ */
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

/* r = p + (x2, y2) for affine (x2, y2); r may alias p. */
static void jac_add_affine(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p,
                           const uint64_t *x2, const uint64_t *y2)
{
    uint64_t z1z1[EC_MAX_LIMBS], u2[EC_MAX_LIMBS], s2[EC_MAX_LIMBS], h[EC_MAX_LIMBS], rr[EC_MAX_LIMBS],
        hh[EC_MAX_LIMBS], hhh[EC_MAX_LIMBS], v[EC_MAX_LIMBS], t[EC_MAX_LIMBS];
    if (is_zero(c, p->z)) {
        memcpy(r->x, x2, sizeof r->x);
        memcpy(r->y, y2, sizeof r->y);
        memcpy(r->z, c->p_one, sizeof r->z);
        return;
    }
    MUL(z1z1, p->z, p->z);
    MUL(u2, x2, z1z1);
    MUL(s2, y2, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, p->x);
    SUB(rr, s2, p->y);
    if (is_zero(c, h)) {
        if (is_zero(c, rr)) {
            struct ec_point a;
            memcpy(a.x, x2, sizeof a.x);
            memcpy(a.y, y2, sizeof a.y);
            memcpy(a.z, c->p_one, sizeof a.z);
            jac_double(c, r, &a);
        } else {
            set_inf(c, r);
        }
        return;
    }
    MUL(hh, h, h);
    MUL(hhh, hh, h);
    MUL(v, p->x, hh);
    MUL(r->z, p->z, h);
    MUL(t, rr, rr);
    SUB(t, t, hhh);
    SUB(t, t, v);
    SUB(t, t, v); /* X3 = R^2 - H^3 - 2 X1 H^2 */
    SUB(v, v, t);
    MUL(v, rr, v);
    MUL(hhh, p->y, hhh);
    SUB(r->y, v, hhh); /* R (X1 H^2 - X3) - Y1 H^3 */
    memcpy(r->x, t, sizeof r->x);
}

/* r = p + q, both Jacobian; r may alias p. */
static void jac_add(const struct ec_curve_def *c, struct ec_point *r, const struct ec_point *p,
                    const struct ec_point *q)
{
    uint64_t z1z1[EC_MAX_LIMBS], z2z2[EC_MAX_LIMBS], u1[EC_MAX_LIMBS], u2[EC_MAX_LIMBS],
        s1[EC_MAX_LIMBS], s2[EC_MAX_LIMBS], h[EC_MAX_LIMBS], rr[EC_MAX_LIMBS], hh[EC_MAX_LIMBS],
        hhh[EC_MAX_LIMBS], v[EC_MAX_LIMBS], t[EC_MAX_LIMBS];
    if (is_zero(c, p->z)) {
        *r = *q;
        return;
    }
    if (is_zero(c, q->z)) {
        *r = *p;
        return;
    }
    MUL(z1z1, p->z, p->z);
    MUL(z2z2, q->z, q->z);
    MUL(u1, p->x, z2z2);
    MUL(u2, q->x, z1z1);
    MUL(s1, p->y, q->z);
    MUL(s1, s1, z2z2);
    MUL(s2, q->y, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, u1);
    SUB(rr, s2, s1);
    if (is_zero(c, h)) {
        if (is_zero(c, rr))
            jac_double(c, r, p);
        else
            set_inf(c, r);
        return;
    }
    MUL(hh, h, h);
    MUL(hhh, hh, h);
    MUL(v, u1, hh);
    MUL(t, p->z, q->z);
    MUL(r->z, t, h);
    MUL(t, rr, rr);
    SUB(t, t, hhh);
    SUB(t, t, v);
    SUB(t, t, v);
    SUB(v, v, t);
    MUL(v, rr, v);
    MUL(hhh, s1, hhh);
    SUB(r->y, v, hhh);
    memcpy(r->x, t, sizeof r->x);
}

/* see ec_internal.h */
size_t ec_wnaf(int8_t *digits, const uint64_t *k, size_t n, unsigned w)
{
    uint64_t t[EC_MAX_LIMBS + 1];
    memcpy(t, k, n * sizeof *t);
    t[n] = 0;
    size_t len = 0;
    const uint64_t wmask = ((uint64_t)1 << w) - 1;
    for (;;) {
        int nonzero = 0;
        for (size_t i = 0; i <= n; i++)
            nonzero |= t[i] != 0;
        if (!nonzero)
            break;
        int d = 0;
        if (t[0] & 1) {
            d = (int)(t[0] & wmask);
            if (d >= 1 << (w - 1))
                d -= 1 << w;
            /* t -= d */
            if (d > 0) {
                uint64_t borrow = (uint64_t)d;
                for (size_t i = 0; i <= n && borrow; i++) {
                    uint64_t old = t[i];
                    t[i] = old - borrow;
                    borrow = old < borrow;
                }
            } else {
                uint64_t carry = (uint64_t)-d;
                for (size_t i = 0; i <= n && carry; i++) {
                    t[i] += carry;
                    carry = t[i] < carry;
                }
            }
        }
        digits[len++] = (int8_t)d;
        for (size_t i = 0; i < n; i++)
            t[i] = (t[i] >> 1) | (t[i + 1] << 63);
        t[n] >>= 1;
    }
    return len;
}

void ec_double_scalar_mul_vartime(const struct ec_curve_def *c, struct ec_point *r,
                                  const uint64_t *u1, const uint64_t *u2, const struct ec_point *q)
{
    int8_t d1[64 * EC_MAX_LIMBS + 2], d2[64 * EC_MAX_LIMBS + 2];
    struct ec_point tq[Q_ODD], q2, acc;
    uint64_t zero[EC_MAX_LIMBS] = {0}, negy[EC_MAX_LIMBS];
    size_t n = c->limbs;
    size_t l1 = ec_wnaf(d1, u1, n, WNAF_G), l2 = ec_wnaf(d2, u2, n, WNAF_Q);
    /* odd multiples of q (Jacobian) */
    tq[0] = *q;
    jac_double(c, &q2, q);
    for (int i = 1; i < Q_ODD; i++)
        jac_add(c, &tq[i], &tq[i - 1], &q2);
    set_inf(c, &acc);
    for (size_t i = l1 > l2 ? l1 : l2; i-- > 0;) {
        jac_double(c, &acc, &acc);
        if (i < l1 && d1[i]) {
            int d = d1[i];
            const uint64_t(*g)[EC_MAX_LIMBS] = c->g_odd[(d < 0 ? -d : d) / 2];
            if (d > 0) {
                jac_add_affine(c, &acc, &acc, g[0], g[1]);
            } else {
                SUB(negy, zero, g[1]);
                jac_add_affine(c, &acc, &acc, g[0], negy);
            }
        }
        if (i < l2 && d2[i]) {
            int d = d2[i];
            struct ec_point t = tq[(d < 0 ? -d : d) / 2];
            if (d < 0)
                SUB(t.y, zero, t.y);
            jac_add(c, &acc, &acc, &t);
        }
    }
    *r = acc;
}
