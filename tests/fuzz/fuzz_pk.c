/* libFuzzer target for the public-key code's untrusted inputs: peer points
   (P-256/P-384 ECDH, X25519), ECDSA public keys / signatures / hashes and RSA
   keys / signatures of any shape. Checks: no crash or sanitizer report, the
   return value is a known crypto_err, and when a fuzzed point is accepted a
   second scalar also succeeds and a(bG) == b(aG). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/x25519.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/ecdsa.h"
#include "crypto/rsa.h"

static void check_rc(int rc)
{
    if (rc < CRYPTO_OK || rc > CRYPTO_ERR_KEY_TOO_SMALL)
        abort();
}

/* Takes n bytes from the input (fewer if it runs out). */
static const uint8_t *take(const uint8_t **p, size_t *left, size_t n, size_t *got)
{
    const uint8_t *r = *p;
    *got = n < *left ? n : *left;
    *p += *got;
    *left -= *got;
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t sel = data[0], lenb = data[1];
    const uint8_t *p = data + 2;
    size_t left = size - 2, n1, n2, n3;
    switch (sel % 5) {
    case 0: { /* P-256 / P-384 ECDH with a fuzzed peer point */
        static const uint8_t a[48] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                                      18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
        static const uint8_t b[48] = {0x55, 0x44, 0x33};
        uint8_t s1[48], s2[48], pa[97], pb[97], t1[48], t2[48];
        int big = sel & 0x80;
        size_t cl = big ? 48 : 32;
        const uint8_t *peer = take(&p, &left, left, &n1);
        int rc = big ? p384_ecdh(s1, a, peer, n1) : p256_ecdh(s1, a, peer, n1);
        check_rc(rc);
        if (rc == CRYPTO_OK) {
            /* an accepted point works with any valid scalar */
            if ((big ? p384_ecdh(s2, b, peer, n1) : p256_ecdh(s2, b, peer, n1)) != CRYPTO_OK)
                abort();
            /* and the group law holds: a(bG) == b(aG) */
            if ((big ? p384_keygen(pa, a) : p256_keygen(pa, a)) != CRYPTO_OK ||
                (big ? p384_keygen(pb, b) : p256_keygen(pb, b)) != CRYPTO_OK)
                abort();
            if ((big ? p384_ecdh(t1, a, pb, 2 * cl + 1) : p256_ecdh(t1, a, pb, 2 * cl + 1)) != CRYPTO_OK ||
                (big ? p384_ecdh(t2, b, pa, 2 * cl + 1) : p256_ecdh(t2, b, pa, 2 * cl + 1)) != CRYPTO_OK ||
                memcmp(t1, t2, cl) != 0)
                abort();
        }
        break;
    }
    case 1: { /* X25519 with a fuzzed u-coordinate and scalar */
        uint8_t k[32] = {0}, u[32] = {0}, out[32];
        const uint8_t *kp = take(&p, &left, 32, &n1);
        memcpy(k, kp, n1);
        const uint8_t *up = take(&p, &left, 32, &n2);
        memcpy(u, up, n2);
        check_rc(x25519(out, k, u));
        break;
    }
    case 2: { /* ECDSA with fuzzed key, hash, r, s */
        enum ec_curve c = (sel & 0x80) ? EC_P384 : EC_P256;
        const uint8_t *pub = take(&p, &left, lenb, &n1);
        const uint8_t *h = take(&p, &left, (size_t)(lenb % 70), &n2);
        size_t half = left / 2;
        const uint8_t *r = take(&p, &left, half, &n3);
        size_t n4;
        const uint8_t *s = take(&p, &left, left, &n4);
        check_rc(ecdsa_verify(c, pub, n1, h, n2, r, n3, s, n4));
        check_rc(ecdsa_verify_p1363(c, pub, n1, h, n2, r, n3 + n4));
        break;
    }
    case 3:
    case 4: { /* RSA with fuzzed modulus, exponent and signature */
        const struct hash_alg *hs[] = {&hash_sha256, &hash_sha384, &hash_sha512};
        const struct hash_alg *h = hs[lenb % 3];
        uint8_t digest[64] = {0};
        size_t nl = left / 2;
        const uint8_t *nn = take(&p, &left, nl, &n1);
        const uint8_t *e = take(&p, &left, (size_t)(lenb % 8) + 1, &n2);
        const uint8_t *sig = take(&p, &left, left, &n3);
        struct rsa_pubkey k = {nn, n1, e, n2};
        /* PSS salt length: the TLS value, a fuzzed one, or one near SIZE_MAX */
        size_t salt = (sel & 0xc0) == 0 ? h->digest_len
                      : (sel & 0xc0) == 0x40 ? (size_t)lenb * 3
                                             : (size_t)0 - (size_t)lenb;
        check_rc(sel % 5 == 3 ? rsa_verify_pkcs1(&k, h, digest, sig, n3)
                              : rsa_verify_pss(&k, h, digest, sig, n3, salt));
        break;
    }
    }
    return 0;
}
