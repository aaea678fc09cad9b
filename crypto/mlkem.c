/* ML-KEM-768 (FIPS 203, k = 3, eta1 = eta2 = 2, du = 10, dv = 4): K-PKE
   (Algorithms 13-15) and the ML-KEM key generation, encapsulation and
   decapsulation (Algorithms 16-18) with the input checks of section 7.
   The matrix A is never stored: each entry is sampled when it is used.
   Secret intermediates live in one workspace per call, zeroized on return;
   the public entry points then zero 4 KB of stack below their frame, where
   the callees (Keccak-f register spills, samplers) ran.
   The only values declassified (crypto_declassify) are rho, part of the
   public key, and the results of checks on public inputs. */
#include <string.h>
#include "crypto/mlkem.h"
#include "crypto/mlkem_poly.h"
#include "crypto/sha3.h"

#define K 3
#define DU 10
#define DV 4
#define POLY_BYTES 384
#define PKE_DK_BYTES (K * POLY_BYTES)          /* 1152 */
#define U_BYTES (32 * DU)                      /* 320 per polynomial */

/* K-PKE.KeyGen(d) (Algorithm 13): ek = ByteEncode12(t) || rho,
   dk_pke = ByteEncode12(s). */
static void kpke_keygen(uint8_t ek[MLKEM768_EK_BYTES], uint8_t dk_pke[PKE_DK_BYTES], const uint8_t d[32])
{
    struct {
        uint8_t in[33], g[64];
        mlkem_poly s[K], e, t, a;
    } w;
    const uint8_t *rho = w.g, *sigma = w.g + 32;
    memcpy(w.in, d, 32);
    w.in[32] = K;
    sha3_512(w.in, sizeof w.in, w.g);
    crypto_declassify(w.g, 32); /* rho is published in ek */
    for (unsigned i = 0; i < K; i++) {
        mlkem_sample_cbd2(&w.s[i], sigma, (uint8_t)i);
        mlkem_ntt(&w.s[i]);
    }
    for (unsigned i = 0; i < K; i++) {
        mlkem_sample_cbd2(&w.t, sigma, (uint8_t)(K + i)); /* e[i] */
        mlkem_ntt(&w.t);
        for (unsigned j = 0; j < K; j++) {
            mlkem_sample_ntt(&w.a, rho, (uint8_t)j, (uint8_t)i); /* A[i][j] */
            mlkem_basemul_acc(&w.t, &w.a, &w.s[j]);
        }
        mlkem_encode(ek + i * POLY_BYTES, &w.t, 12);
        mlkem_encode(dk_pke + i * POLY_BYTES, &w.s[i], 12);
    }
    memcpy(ek + PKE_DK_BYTES, rho, 32);
    crypto_zeroize(&w, sizeof w);
}

/* K-PKE.Encrypt(ek, m, r) (Algorithm 14); ek has passed the modulus check
   or comes from a checked dk (ByteDecode12 reduces mod q either way). */
static void kpke_encrypt(uint8_t ct[MLKEM768_CT_BYTES], const uint8_t ek[MLKEM768_EK_BYTES],
                         const uint8_t m[32], const uint8_t r[32])
{
    struct {
        mlkem_poly y[K], acc, a, e;
    } w;
    const uint8_t *rho = ek + PKE_DK_BYTES;
    for (unsigned i = 0; i < K; i++) {
        mlkem_sample_cbd2(&w.y[i], r, (uint8_t)i);
        mlkem_ntt(&w.y[i]);
    }
    /* u[i] = NTT^-1(sum_j A[j][i] * y[j]) + e1[i], e1[i] from PRF(r, K + i) */
    for (unsigned i = 0; i < K; i++) {
        memset(&w.acc, 0, sizeof w.acc);
        for (unsigned j = 0; j < K; j++) {
            mlkem_sample_ntt(&w.a, rho, (uint8_t)i, (uint8_t)j); /* A[j][i] */
            mlkem_basemul_acc(&w.acc, &w.a, &w.y[j]);
        }
        mlkem_invntt(&w.acc);
        mlkem_sample_cbd2(&w.e, r, (uint8_t)(K + i));
        mlkem_poly_add(&w.acc, &w.e);
        mlkem_compress_encode(ct + i * U_BYTES, &w.acc, DU);
    }
    /* v = NTT^-1(t^T * y) + e2 + Decompress_1(m), e2 from PRF(r, 2K) */
    memset(&w.acc, 0, sizeof w.acc);
    for (unsigned i = 0; i < K; i++) {
        mlkem_decode12(&w.a, ek + i * POLY_BYTES);
        mlkem_basemul_acc(&w.acc, &w.a, &w.y[i]);
    }
    mlkem_invntt(&w.acc);
    mlkem_sample_cbd2(&w.e, r, 2 * K);
    mlkem_poly_add(&w.acc, &w.e);
    for (unsigned i = 0; i < MLKEM_N; i++)
        w.e.c[i] = (uint16_t)((0u - ((m[i / 8] >> (i % 8)) & 1u)) & ((MLKEM_Q + 1) / 2));
    mlkem_poly_add(&w.acc, &w.e);
    mlkem_compress_encode(ct + K * U_BYTES, &w.acc, DV);
    crypto_zeroize(&w, sizeof w);
}

/* K-PKE.Decrypt(dk_pke, c) (Algorithm 15). */
static void kpke_decrypt(uint8_t m[32], const uint8_t dk_pke[PKE_DK_BYTES], const uint8_t ct[MLKEM768_CT_BYTES])
{
    struct {
        mlkem_poly u, s, acc;
    } w;
    memset(&w.acc, 0, sizeof w.acc);
    for (unsigned i = 0; i < K; i++) {
        mlkem_decode_decompress(&w.u, ct + i * U_BYTES, DU);
        mlkem_ntt(&w.u);
        mlkem_decode12(&w.s, dk_pke + i * POLY_BYTES);
        mlkem_basemul_acc(&w.acc, &w.s, &w.u);
    }
    mlkem_invntt(&w.acc);
    mlkem_decode_decompress(&w.u, ct + K * U_BYTES, DV); /* v */
    mlkem_poly_sub(&w.u, &w.acc);                        /* w = v - NTT^-1(s^T u) */
    mlkem_compress_encode(m, &w.u, 1);
    crypto_zeroize(&w, sizeof w);
}

void mlkem768_keygen(uint8_t ek[MLKEM768_EK_BYTES], uint8_t dk[MLKEM768_DK_BYTES],
                     const uint8_t d[32], const uint8_t z[32])
{
    kpke_keygen(ek, dk, d);
    memcpy(dk + PKE_DK_BYTES, ek, MLKEM768_EK_BYTES);
    sha3_256(ek, MLKEM768_EK_BYTES, dk + PKE_DK_BYTES + MLKEM768_EK_BYTES);
    memcpy(dk + MLKEM768_DK_BYTES - 32, z, 32);
    crypto_wipe_stack(CRYPTO_STACK_WIPE_MAX);
}

enum crypto_err mlkem768_keygen_seed(uint8_t ek[MLKEM768_EK_BYTES], uint8_t dk[MLKEM768_DK_BYTES],
                                     const uint8_t *seed, size_t seed_len)
{
    if (seed_len != MLKEM768_SEED_BYTES) {
        crypto_zeroize(ek, MLKEM768_EK_BYTES);
        crypto_zeroize(dk, MLKEM768_DK_BYTES);
        return CRYPTO_ERR_BAD_LENGTH;
    }
    mlkem768_keygen(ek, dk, seed, seed + 32);
    return CRYPTO_OK;
}

enum crypto_err mlkem768_check_ek(const uint8_t *ek, size_t ek_len)
{
    mlkem_poly t;
    int over = 0;
    if (ek_len != MLKEM768_EK_BYTES)
        return CRYPTO_ERR_BAD_LENGTH;
    for (unsigned i = 0; i < K; i++)
        over |= mlkem_decode12(&t, ek + i * POLY_BYTES);
    return over ? CRYPTO_ERR_BAD_KEY : CRYPTO_OK;
}

enum crypto_err mlkem768_check_dk(const uint8_t *dk, size_t dk_len)
{
    uint8_t h[32];
    if (dk_len != MLKEM768_DK_BYTES)
        return CRYPTO_ERR_BAD_LENGTH;
    sha3_256(dk + PKE_DK_BYTES, MLKEM768_EK_BYTES, h);
    /* both hashes are of public data (the ek inside dk) */
    return crypto_ct_memeq(h, dk + PKE_DK_BYTES + MLKEM768_EK_BYTES, 32) ? CRYPTO_OK : CRYPTO_ERR_BAD_KEY;
}

enum crypto_err mlkem768_encaps(uint8_t ss[MLKEM768_SS_BYTES], uint8_t ct[MLKEM768_CT_BYTES],
                                const uint8_t *ek, size_t ek_len, const uint8_t m[32])
{
    uint8_t in[64], g[64];
    enum crypto_err rc = mlkem768_check_ek(ek, ek_len);
    if (rc != CRYPTO_OK) {
        crypto_zeroize(ss, MLKEM768_SS_BYTES);
        crypto_zeroize(ct, MLKEM768_CT_BYTES);
        return rc;
    }
    memcpy(in, m, 32);
    sha3_256(ek, MLKEM768_EK_BYTES, in + 32);
    sha3_512(in, sizeof in, g); /* (K, r) = G(m || H(ek)) */
    kpke_encrypt(ct, ek, m, g + 32);
    memcpy(ss, g, 32);
    crypto_zeroize(in, sizeof in);
    crypto_zeroize(g, sizeof g);
    crypto_wipe_stack(CRYPTO_STACK_WIPE_MAX);
    return CRYPTO_OK;
}

enum crypto_err mlkem768_decaps(uint8_t ss[MLKEM768_SS_BYTES], const uint8_t *ct, size_t ct_len,
                                const uint8_t *dk, size_t dk_len)
{
    struct {
        uint8_t in[64], g[64], kbar[32], ct2[MLKEM768_CT_BYTES];
        struct keccak_ctx x;
    } w;
    enum crypto_err rc = ct_len == MLKEM768_CT_BYTES ? mlkem768_check_dk(dk, dk_len) : CRYPTO_ERR_BAD_LENGTH;
    if (rc != CRYPTO_OK) {
        crypto_zeroize(ss, MLKEM768_SS_BYTES);
        return rc;
    }
    const uint8_t *dk_pke = dk, *ek = dk + PKE_DK_BYTES, *h = ek + MLKEM768_EK_BYTES, *z = h + 32;
    kpke_decrypt(w.in, dk_pke, ct);                     /* m' */
    memcpy(w.in + 32, h, 32);
    sha3_512(w.in, sizeof w.in, w.g);                   /* (K', r') = G(m' || h) */
    shake256_init(&w.x);                                /* K_bar = J(z || c) */
    keccak_absorb(&w.x, z, 32);
    keccak_absorb(&w.x, ct, MLKEM768_CT_BYTES);
    keccak_squeeze(&w.x, w.kbar, 32);
    kpke_encrypt(w.ct2, ek, w.in, w.g + 32);            /* c' */
    uint8_t keep = (uint8_t)(0u - (unsigned)crypto_ct_memeq(ct, w.ct2, MLKEM768_CT_BYTES));
    for (unsigned i = 0; i < 32; i++)
        ss[i] = (uint8_t)((w.g[i] & keep) | (w.kbar[i] & (uint8_t)~keep));
    crypto_zeroize(&w, sizeof w);
    crypto_wipe_stack(CRYPTO_STACK_WIPE_MAX);
    return CRYPTO_OK;
}
