/* see p256_point.h: P-256 scalar multiplication on the dedicated field of
   p256_field.h, in Jacobian coordinates (x = X/Z^2, y = Y/Z^3, Z = 0 is
   infinity) with the a = -3 formulas of the explicit-formulas database:
   dbl-2001-b (3M + 5S), add-2007-bl (11M + 5S), madd-2007-bl (7M + 4S).
     - Constant-time paths (key generation, ECDH, signing): additions are
       branch-free, infinity on either side is handled by masked moves, and
       the one case the formulas get wrong (adding a point to itself or its
       negative) provably cannot occur for the scalars they get (0 < k < n;
       the argument is at each caller). The doubling is exception-free on a
       curve without points of order 2.
     - The verifier's u1 G + u2 Q is variable time (public inputs) with
       width-w NAF and the special cases branched on, as ec_jacobian.c does
       for the generic code. */
#include "crypto/p256_point.h"
#include "crypto/p256_field.h"
#include "crypto/ec_internal.h"
#include <string.h>

#define MUL p256_fe_mul
#define SQR p256_fe_sqr
#define ADD p256_fe_add
#define SUB p256_fe_sub

struct p256_pt {
    p256_fe x, y, z;
};

/* 1 in Montgomery form (R mod p) */
static const p256_fe P256_ONE = {0x0000000000000001u, 0xffffffff00000000u, 0xffffffffffffffffu,
                                 0x00000000fffffffeu};

/* r = 2p in Jacobian coordinates, a = -3 (dbl-2001-b, 3M + 5S). Branch-free
   and exception-free: P-256 has no point of order 2 and infinity (Z = 0)
   doubles to Z = 0. r may alias p. */
static void jac_double(struct p256_pt *r, const struct p256_pt *p)
{
    p256_fe delta, gamma, beta, alpha, t, u;
    SQR(delta, p->z);
    SQR(gamma, p->y);
    MUL(beta, p->x, gamma);
    SUB(t, p->x, delta);
    ADD(u, p->x, delta);
    MUL(alpha, t, u);
    ADD(t, alpha, alpha);
    ADD(alpha, alpha, t); /* 3 (X - delta)(X + delta) */
    ADD(t, p->y, p->z);
    SQR(t, t);
    SUB(t, t, gamma);
    SUB(r->z, t, delta); /* (Y + Z)^2 - gamma - delta = 2 Y Z */
    ADD(beta, beta, beta);
    ADD(beta, beta, beta); /* 4 beta */
    SQR(t, alpha);
    ADD(u, beta, beta);
    SUB(r->x, t, u); /* alpha^2 - 8 beta */
    SUB(t, beta, r->x);
    MUL(t, alpha, t);
    SQR(gamma, gamma);
    ADD(gamma, gamma, gamma);
    ADD(gamma, gamma, gamma);
    ADD(gamma, gamma, gamma); /* 8 gamma^2 */
    SUB(r->y, t, gamma);
}

/* Affine big-endian coordinates of a Jacobian point (x = X/Z^2,
   y = Y/Z^3); CRYPTO_ERR_BAD_POINT (without a branch) for infinity, whose
   coordinates come out as zero. */
static int jac_to_bytes(uint8_t x[32], uint8_t *y, const struct p256_pt *p)
{
    p256_fe zinv, z2, t;
    uint64_t inf = p256_fe_zero_mask(p->z);
    p256_fe_inv(zinv, p->z);
    SQR(z2, zinv);
    MUL(t, p->x, z2);
    p256_fe_to_bytes(x, t);
    if (y) { /* public choice of the caller */
        MUL(z2, z2, zinv);
        MUL(t, p->y, z2);
        p256_fe_to_bytes(y, t);
    }
    crypto_zeroize(zinv, sizeof zinv);
    crypto_zeroize(z2, sizeof z2);
    crypto_zeroize(t, sizeof t);
    return (int)((uint32_t)inf & CRYPTO_ERR_BAD_POINT);
}

/* r = p + q (Jacobian, add-2007-bl, 11M + 5S) without branches: p = infinity
   (Z = 0) gives q, q_inf (all ones) gives p. The formulas fail only for
   p = +-q, which the callers rule out (see p256_point_mul). r may alias p. */
static void jac_add_ct(struct p256_pt *r, const struct p256_pt *p, const struct p256_pt *q,
                       uint64_t q_inf)
{
    p256_fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v;
    struct p256_pt o;
    uint64_t p_inf = p256_fe_zero_mask(p->z);
    SQR(z1z1, p->z);
    SQR(z2z2, q->z);
    MUL(u1, p->x, z2z2);
    MUL(u2, q->x, z1z1);
    MUL(s1, p->y, q->z);
    MUL(s1, s1, z2z2);
    MUL(s2, q->y, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, u1);
    SUB(rr, s2, s1);
    ADD(i, h, h);
    SQR(i, i); /* I = (2H)^2 */
    MUL(j, h, i);
    ADD(rr, rr, rr);
    MUL(v, u1, i);
    SQR(o.x, rr);
    SUB(o.x, o.x, j);
    SUB(o.x, o.x, v);
    SUB(o.x, o.x, v); /* X3 = r^2 - J - 2V */
    ADD(o.z, p->z, q->z);
    SQR(o.z, o.z);
    SUB(o.z, o.z, z1z1);
    SUB(o.z, o.z, z2z2);
    MUL(o.z, o.z, h); /* ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
    SUB(v, v, o.x);
    MUL(v, rr, v);
    MUL(j, s1, j);
    ADD(j, j, j);
    SUB(o.y, v, j); /* r (V - X3) - 2 S1 J */
    p256_fe_cmov(o.x, q->x, p_inf);
    p256_fe_cmov(o.y, q->y, p_inf);
    p256_fe_cmov(o.z, q->z, p_inf);
    p256_fe_cmov(o.x, p->x, q_inf);
    p256_fe_cmov(o.y, p->y, q_inf);
    p256_fe_cmov(o.z, p->z, q_inf);
    *r = o;
}

/* r = p + (x2, y2), p Jacobian, (x2, y2) affine (madd-2007-bl, 7M + 4S)
   without branches: p = infinity gives (x2, y2, 1), q_inf keeps p. Fails
   only for p = +-(x2, y2), which p256_point_mul_base rules out. r may alias
   p. */
static void jac_add_affine_ct(struct p256_pt *r, const struct p256_pt *p, const p256_fe x2,
                              const p256_fe y2, uint64_t q_inf)
{
    p256_fe z1z1, u2, s2, h, hh, i, j, rr, v;
    struct p256_pt o;
    uint64_t p_inf = p256_fe_zero_mask(p->z);
    SQR(z1z1, p->z);
    MUL(u2, x2, z1z1);
    MUL(s2, y2, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, p->x);
    SUB(rr, s2, p->y);
    SQR(hh, h);
    ADD(i, hh, hh);
    ADD(i, i, i); /* I = 4 H^2 */
    MUL(j, h, i);
    ADD(rr, rr, rr);
    MUL(v, p->x, i);
    SQR(o.x, rr);
    SUB(o.x, o.x, j);
    SUB(o.x, o.x, v);
    SUB(o.x, o.x, v); /* X3 = r^2 - J - 2V */
    ADD(o.z, p->z, h);
    SQR(o.z, o.z);
    SUB(o.z, o.z, z1z1);
    SUB(o.z, o.z, hh); /* (Z1 + H)^2 - Z1Z1 - HH = 2 Z1 H */
    SUB(v, v, o.x);
    MUL(v, rr, v);
    MUL(j, p->y, j);
    ADD(j, j, j);
    SUB(o.y, v, j); /* r (V - X3) - 2 Y1 J */
    p256_fe_cmov(o.x, x2, p_inf);
    p256_fe_cmov(o.y, y2, p_inf);
    p256_fe_cmov(o.z, P256_ONE, p_inf);
    p256_fe_cmov(o.x, p->x, q_inf);
    p256_fe_cmov(o.y, p->y, q_inf);
    p256_fe_cmov(o.z, p->z, q_inf);
    *r = o;
}

int p256_point_mul_base(uint8_t x[32], uint8_t *y, const uint64_t k[4])
{
    /* k = sum k_i 16^i; ec_p256_comb[i][d - 1] = d 16^i G (affine), so k G
       is 64 mixed additions. Every row is read in full; a zero digit keeps
       the accumulator (masked), since the table has no infinity. The
       accumulator A = sum_{j<i} k_j 16^j (times G) is below 16^i and the
       entry d 16^i, and A + d 16^i <= k < n, so the exceptional cases
       A = +-d 16^i (mod n) of the addition cannot occur. */
    struct p256_pt acc;
    p256_fe tx, ty;
    memset(&acc, 0, sizeof acc); /* infinity: Z = 0 */
    for (size_t i = 0; i < 64; i++) {
        uint64_t d = (k[i / 16] >> (4 * (i % 16))) & 15;
        memset(tx, 0, sizeof tx);
        memset(ty, 0, sizeof ty);
        for (uint64_t j = 1; j < 16; j++) {
            uint64_t m = ct_is_zero64(j ^ d);
            for (size_t l = 0; l < 4; l++) {
                tx[l] |= ec_p256_comb[i][j - 1][0][l] & m;
                ty[l] |= ec_p256_comb[i][j - 1][1][l] & m;
            }
        }
        jac_add_affine_ct(&acc, &acc, tx, ty, ct_is_zero64(d));
    }
    int rc = jac_to_bytes(x, y, &acc);
    crypto_zeroize(&acc, sizeof acc);
    crypto_zeroize(tx, sizeof tx);
    crypto_zeroize(ty, sizeof ty);
    return rc;
}

/* r = tab[idx - 1] reading all 16 entries (idx secret, 0..16; 0 gives
   zeros). */
static void pt_select16(struct p256_pt *r, const struct p256_pt tab[16], uint64_t idx)
{
    memset(r, 0, sizeof *r);
    for (uint64_t i = 0; i < 16; i++) {
        uint64_t m = ct_is_zero64((i + 1) ^ idx);
        for (size_t j = 0; j < 4; j++) {
            r->x[j] |= tab[i].x[j] & m;
            r->y[j] |= tab[i].y[j] & m;
            r->z[j] |= tab[i].z[j] & m;
        }
    }
}

/* Booth digit i of k (signed, 5 bits): from w = bits 5i-1 .. 5i+4 of k (bit
   -1 = 0), d = ((w + 1) >> 1) - 32 bit(5i+4), in -16..16, and
   sum d_i 32^i = k. Returns |d| and sets *neg to all ones when d < 0.
   Branch-free. */
static uint64_t booth5(const uint64_t k[4], size_t i, uint64_t *neg)
{
    size_t bit = 5 * i; /* w starts one bit lower */
    uint64_t w;
    if (bit == 0) {
        w = (k[0] << 1) & 0x3f;
    } else {
        size_t lo = bit - 1, l = lo / 64, sh = lo % 64;
        w = k[l] >> sh;
        if (sh > 58 && l + 1 < 4) /* public positions: branch on i only */
            w |= k[l + 1] << (64 - sh);
        w &= 0x3f;
    }
    uint64_t top = w >> 5, mask = (uint64_t)0 - top;
    uint64_t d = ((w + 1) >> 1) - 32 * top; /* two's complement when negative */
    *neg = mask;
    return (d ^ mask) - mask;
}

static void jac_add_affine_vt(struct p256_pt *r, const struct p256_pt *p, const p256_fe x2,
                              const p256_fe y2);

int p256_point_mul(uint8_t x[32], uint8_t *y, const uint64_t k[4], const struct ec_point *pt)
{
    /* Signed 5-bit windows (Booth digits d_51..d_0 of booth5) from the top,
       Jacobian throughout; the table 1P..16P depends on the public point
       only, so it is built with the variable-time formulas, and all 16
       entries are read per digit; a negative digit negates y (masked).
       Before adding d_i the accumulator is A P with A = 32 (floor(k / 2^(5i
       + 5)) + bit(5i + 4)). For i >= 1, A is 0 (infinity, which jac_add_ct
       handles) or in [32, n), so A = +-d_i (mod n), |d_i| <= 16, cannot
       happen. For i = 0, A = k - d_0 can reach n: A = -d_0 would mean
       k = 0 (excluded), A = d_0 means k = n + 2 d_0 with d_0 in -16..-1,
       where d_0 = (k mod 32) - 32, so 32 + d_0 = 17 + 2 d_0 (mod 32) as
       n = 17 (mod 32): d_0 = 15 (mod 32), not in -16..-1. So no addition
       meets its exceptional case. Needs 0 < k < n (callers pass
       ec_scalar_from_bytes output). */
    struct p256_pt tab[16], acc, t;
    p256_fe negy;
    static const p256_fe zero = {0};
    memcpy(tab[0].x, pt->x, sizeof tab[0].x);
    memcpy(tab[0].y, pt->y, sizeof tab[0].y);
    memcpy(tab[0].z, pt->z, sizeof tab[0].z);
    jac_double(&tab[1], &tab[0]);
    for (int i = 2; i < 16; i++) /* P is affine (Z = 1): mixed additions */
        jac_add_affine_vt(&tab[i], &tab[i - 1], tab[0].x, tab[0].y);
    memset(&acc, 0, sizeof acc); /* infinity: Z = 0 */
    for (size_t i = 52; i-- > 0;) {
        for (int d = 0; d < 5 && i != 51; d++)
            jac_double(&acc, &acc);
        uint64_t neg, digit = booth5(k, i, &neg);
        pt_select16(&t, tab, digit);
        SUB(negy, zero, t.y);
        p256_fe_cmov(t.y, negy, neg);
        jac_add_ct(&acc, &acc, &t, ct_is_zero64(digit));
    }
    int rc = jac_to_bytes(x, y, &acc);
    crypto_zeroize(tab, sizeof tab);
    crypto_zeroize(&acc, sizeof acc);
    crypto_zeroize(&t, sizeof t);
    crypto_zeroize(negy, sizeof negy);
    return rc;
}

/* ---- variable time, public inputs only ---- */

#define WNAF_G 7 /* ec_p256.g_odd holds 1G, 3G, ..., 63G */
#define WNAF_Q 5
#define Q_ODD (1 << (WNAF_Q - 2)) /* 1Q, 3Q, ..., 15Q */

static void jac_set_inf(struct p256_pt *r)
{
    memcpy(r->x, P256_ONE, sizeof r->x);
    memcpy(r->y, P256_ONE, sizeof r->y);
    memset(r->z, 0, sizeof r->z);
}

static int fe_is_zero(const p256_fe a)
{
    return (a[0] | a[1] | a[2] | a[3]) == 0;
}

/* r = p + (x2, y2) (madd, 7M + 4S) with the special cases branched on;
   r may alias p. */
static void jac_add_affine_vt(struct p256_pt *r, const struct p256_pt *p, const p256_fe x2,
                              const p256_fe y2)
{
    p256_fe z1z1, u2, s2, h, hh, i, j, rr, v, t;
    if (fe_is_zero(p->z)) {
        memcpy(r->x, x2, sizeof r->x);
        memcpy(r->y, y2, sizeof r->y);
        memcpy(r->z, P256_ONE, sizeof r->z);
        return;
    }
    SQR(z1z1, p->z);
    MUL(u2, x2, z1z1);
    MUL(s2, y2, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, p->x);
    SUB(rr, s2, p->y);
    if (fe_is_zero(h)) {
        if (fe_is_zero(rr)) {
            struct p256_pt a;
            memcpy(a.x, x2, sizeof a.x);
            memcpy(a.y, y2, sizeof a.y);
            memcpy(a.z, P256_ONE, sizeof a.z);
            jac_double(r, &a);
        } else {
            jac_set_inf(r);
        }
        return;
    }
    /* madd-2007-bl: I = 4 H^2, J = H I, r = 2 (S2 - Y1), V = X1 I */
    SQR(hh, h);
    ADD(i, hh, hh);
    ADD(i, i, i);
    MUL(j, h, i);
    ADD(rr, rr, rr);
    MUL(v, p->x, i);
    SQR(t, rr);
    SUB(t, t, j);
    SUB(t, t, v);
    SUB(t, t, v); /* X3 = r^2 - J - 2V */
    ADD(r->z, p->z, h);
    SQR(r->z, r->z);
    SUB(r->z, r->z, z1z1);
    SUB(r->z, r->z, hh); /* (Z1 + H)^2 - Z1Z1 - HH = 2 Z1 H */
    SUB(v, v, t);
    MUL(v, rr, v);
    MUL(j, p->y, j);
    ADD(j, j, j);
    SUB(r->y, v, j); /* r (V - X3) - 2 Y1 J */
    memcpy(r->x, t, sizeof r->x);
}

/* r = p + q, both Jacobian (add-2007-bl, 11M + 5S), special cases branched
   on; r may alias p. */
static void jac_add_vt(struct p256_pt *r, const struct p256_pt *p, const struct p256_pt *q)
{
    p256_fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (fe_is_zero(p->z)) {
        *r = *q;
        return;
    }
    if (fe_is_zero(q->z)) {
        *r = *p;
        return;
    }
    SQR(z1z1, p->z);
    SQR(z2z2, q->z);
    MUL(u1, p->x, z2z2);
    MUL(u2, q->x, z1z1);
    MUL(s1, p->y, q->z);
    MUL(s1, s1, z2z2);
    MUL(s2, q->y, p->z);
    MUL(s2, s2, z1z1);
    SUB(h, u2, u1);
    SUB(rr, s2, s1);
    if (fe_is_zero(h)) {
        if (fe_is_zero(rr))
            jac_double(r, p);
        else
            jac_set_inf(r);
        return;
    }
    ADD(i, h, h);
    SQR(i, i); /* I = (2H)^2 */
    MUL(j, h, i);
    ADD(rr, rr, rr);
    MUL(v, u1, i);
    SQR(t, rr);
    SUB(t, t, j);
    SUB(t, t, v);
    SUB(t, t, v); /* X3 = r^2 - J - 2V */
    ADD(r->z, p->z, q->z);
    SQR(r->z, r->z);
    SUB(r->z, r->z, z1z1);
    SUB(r->z, r->z, z2z2);
    MUL(r->z, r->z, h); /* ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
    SUB(v, v, t);
    MUL(v, rr, v);
    MUL(j, s1, j);
    ADD(j, j, j);
    SUB(r->y, v, j); /* r (V - X3) - 2 S1 J */
    memcpy(r->x, t, sizeof r->x);
}

void p256_point_mul_double_vartime(struct ec_point *r, const uint64_t u1[4], const uint64_t u2[4],
                                   const struct ec_point *q)
{
    int8_t d1[64 * 4 + 2], d2[64 * 4 + 2];
    struct p256_pt tq[Q_ODD], q2, acc;
    p256_fe negy;
    static const p256_fe zero = {0};
    size_t l1 = ec_wnaf(d1, u1, 4, WNAF_G), l2 = ec_wnaf(d2, u2, 4, WNAF_Q);
    memcpy(tq[0].x, q->x, sizeof tq[0].x);
    memcpy(tq[0].y, q->y, sizeof tq[0].y);
    memcpy(tq[0].z, q->z, sizeof tq[0].z);
    jac_double(&q2, &tq[0]);
    for (int i = 1; i < Q_ODD; i++)
        jac_add_vt(&tq[i], &tq[i - 1], &q2);
    jac_set_inf(&acc);
    for (size_t i = l1 > l2 ? l1 : l2; i-- > 0;) {
        jac_double(&acc, &acc);
        if (i < l1 && d1[i]) {
            int d = d1[i];
            const uint64_t(*g)[EC_MAX_LIMBS] = ec_p256.g_odd[(d < 0 ? -d : d) / 2];
            if (d > 0) {
                jac_add_affine_vt(&acc, &acc, g[0], g[1]);
            } else {
                SUB(negy, zero, g[1]);
                jac_add_affine_vt(&acc, &acc, g[0], negy);
            }
        }
        if (i < l2 && d2[i]) {
            int d = d2[i];
            struct p256_pt t = tq[(d < 0 ? -d : d) / 2];
            if (d < 0)
                SUB(t.y, zero, t.y);
            jac_add_vt(&acc, &acc, &t);
        }
    }
    memset(r, 0, sizeof *r);
    memcpy(r->x, acc.x, sizeof acc.x);
    memcpy(r->y, acc.y, sizeof acc.y);
    memcpy(r->z, acc.z, sizeof acc.z);
}
