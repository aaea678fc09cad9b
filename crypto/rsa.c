/* see rsa.h */
#include "crypto/rsa.h"
#include "crypto/bn.h"
#include "crypto/bn_ifma.h"
#include "crypto/impl.h"
#include "lib/bytes.h"
#include <string.h>

#define RSA_LIMBS (RSA_MAX_BYTES / 8)

/* Skips leading zero bytes. */
static const uint8_t *strip(const uint8_t *p, size_t *len)
{
    while (*len > 0 && p[0] == 0)
        p++, (*len)--;
    return p;
}

int rsa_public(const struct rsa_pubkey *k, uint8_t *em, const uint8_t *sig, size_t siglen)
{
    uint64_t n[RSA_LIMBS], e[RSA_LIMBS], s[RSA_LIMBS], sm[RSA_LIMBS],
        acc[RSA_LIMBS];
    if (!k || !k->n || !k->e)
        return CRYPTO_ERR_BAD_KEY;
    size_t nlen = k->nlen, elen = k->elen;
    const uint8_t *np = strip(k->n, &nlen), *ep = strip(k->e, &elen);
    if (nlen == 0 || nlen > RSA_MAX_BYTES)
        return CRYPTO_ERR_BAD_KEY;
    size_t limbs = (nlen + 7) / 8;
    bn_from_be(n, limbs, np, nlen);
    size_t bits = bn_bitlen(n, limbs);
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS || !(n[0] & 1))
        return CRYPTO_ERR_BAD_KEY;
    if (elen == 0 || elen > nlen || !(ep[elen - 1] & 1))
        return CRYPTO_ERR_BAD_KEY;
    bn_from_be(e, limbs, ep, elen);
    size_t ebits = bn_bitlen(e, limbs);
    if (ebits < 2 || !bn_lt_mask(e, n, limbs)) /* e >= 3 (odd) and e < n */
        return CRYPTO_ERR_BAD_KEY;
    if (!sig || siglen != nlen)
        return CRYPTO_ERR_BAD_LENGTH;
    bn_from_be(s, limbs, sig, siglen);
    if (!bn_lt_mask(s, n, limbs)) /* RSAVP1 step 1 */
        return CRYPTO_ERR_BAD_SIGNATURE;
    if (crypto_use_ifma() && bn_ifma_modexp_vartime(acc, s, e, ebits, n, limbs) == 0) {
        bn_to_be(em, siglen, acc, limbs);
        return CRYPTO_OK;
    }
    uint64_t n0inv = bn_mont_m0inv(n[0]);
    bn_mod_shl_vartime(sm, s, limbs, n, limbs); /* s R mod n (public data) */
    memcpy(acc, sm, limbs * 8);
    /* left-to-right square-and-multiply over the public exponent; e is odd,
       so the last step is a multiplication: multiplying by plain s there
       (x R * s / R = x s) also leaves the Montgomery domain. */
    for (size_t b = ebits - 1; b-- > 1;) {
        bn_mont_sqr(acc, acc, n, n0inv, limbs);
        if ((e[b / 64] >> (b % 64)) & 1)
            bn_mont_mul(acc, acc, sm, n, n0inv, limbs);
    }
    bn_mont_sqr(acc, acc, n, n0inv, limbs);
    bn_mont_mul(acc, acc, s, n, n0inv, limbs);
    bn_to_be(em, siglen, acc, limbs);
    return CRYPTO_OK;
}

/* DER DigestInfo prefixes, RFC 8017 section 9.2 note 1. */
static const uint8_t di_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
static const uint8_t di_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t di_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};

int rsa_verify_pkcs1(const struct rsa_pubkey *k, const struct hash_alg *h, const uint8_t *hash,
                     const uint8_t *sig, size_t siglen)
{
    uint8_t em[RSA_MAX_BYTES], want[RSA_MAX_BYTES];
    const uint8_t *di;
    size_t dilen;
    if (h == &hash_sha256)
        di = di_sha256, dilen = sizeof di_sha256;
    else if (h == &hash_sha384)
        di = di_sha384, dilen = sizeof di_sha384;
    else if (h == &hash_sha512)
        di = di_sha512, dilen = sizeof di_sha512;
    else
        return CRYPTO_ERR_UNSUPPORTED;
    int rc = rsa_public(k, em, sig, siglen);
    if (rc != CRYPTO_OK)
        return rc;
    /* EMSA-PKCS1-v1_5 (9.2): 00 01 FF..FF 00 || DigestInfo || H, >= 8 FF bytes */
    size_t tlen = dilen + h->digest_len;
    if (siglen < tlen + 11)
        return CRYPTO_ERR_BAD_SIGNATURE;
    want[0] = 0x00;
    want[1] = 0x01;
    memset(want + 2, 0xff, siglen - tlen - 3);
    want[siglen - tlen - 1] = 0x00;
    memcpy(want + siglen - tlen, di, dilen);
    memcpy(want + siglen - h->digest_len, hash, h->digest_len);
    return crypto_ct_memeq(em, want, siglen) ? CRYPTO_OK : CRYPTO_ERR_BAD_SIGNATURE;
}

/* MGF1 (RFC 8017 B.2.1): xors MGF1(seed, len) into out. */
static void mgf1_xor(const struct hash_alg *h, uint8_t *out, size_t len, const uint8_t *seed,
                     size_t seedlen)
{
    hash_ctx ctx;
    uint8_t t[HASH_MAX_DIGEST];
    for (uint32_t counter = 0; len > 0; counter++) {
        uint8_t c[4];
        be32_put(c, counter);
        h->init(&ctx);
        h->update(&ctx, seed, seedlen);
        h->update(&ctx, c, 4);
        h->final(&ctx, t);
        size_t take = len < h->digest_len ? len : h->digest_len;
        for (size_t i = 0; i < take; i++)
            out[i] ^= t[i];
        out += take;
        len -= take;
    }
}

int rsa_verify_pss(const struct rsa_pubkey *k, const struct hash_alg *h, const uint8_t *hash,
                   const uint8_t *sig, size_t siglen, size_t saltlen)
{
    uint8_t em[RSA_MAX_BYTES], hp[HASH_MAX_DIGEST];
    static const uint8_t zeros[8];
    if (h != &hash_sha256 && h != &hash_sha384 && h != &hash_sha512)
        return CRYPTO_ERR_UNSUPPORTED;
    int rc = rsa_public(k, em, sig, siglen);
    if (rc != CRYPTO_OK)
        return rc;
    /* modBits from the (validated) modulus: the first nonzero byte of n */
    size_t nlen = k->nlen;
    const uint8_t *np = strip(k->n, &nlen);
    size_t modbits = 8 * nlen - (size_t)__builtin_clz(np[0]) + 24;
    size_t embits = modbits - 1, emlen = (embits + 7) / 8;
    /* 8.1.2 step 2-3: EM is the low emLen bytes; a leading byte beyond must be 0 */
    const uint8_t *e = em;
    if (emlen < siglen) {
        if (em[0] != 0)
            return CRYPTO_ERR_BAD_SIGNATURE;
        e = em + 1;
    }
    size_t hlen = h->digest_len;
    /* 9.1.2 */
    if (saltlen > emlen || emlen < hlen + saltlen + 2) /* first test: no overflow */
        return CRYPTO_ERR_BAD_SIGNATURE;
    if (e[emlen - 1] != 0xbc)
        return CRYPTO_ERR_BAD_SIGNATURE;
    size_t dblen = emlen - hlen - 1;
    uint8_t db[RSA_MAX_BYTES];
    const uint8_t *hh = e + dblen;
    unsigned topmask = 0xffu >> (8 * emlen - embits);
    if (e[0] & ~topmask & 0xff)
        return CRYPTO_ERR_BAD_SIGNATURE;
    memcpy(db, e, dblen);
    mgf1_xor(h, db, dblen, hh, hlen);
    db[0] &= (uint8_t)topmask;
    size_t ps = emlen - hlen - saltlen - 2;
    for (size_t i = 0; i < ps; i++)
        if (db[i] != 0)
            return CRYPTO_ERR_BAD_SIGNATURE;
    if (db[ps] != 0x01)
        return CRYPTO_ERR_BAD_SIGNATURE;
    hash_ctx ctx;
    h->init(&ctx);
    h->update(&ctx, zeros, 8);
    h->update(&ctx, hash, hlen);
    h->update(&ctx, db + dblen - saltlen, saltlen);
    h->final(&ctx, hp);
    return crypto_ct_memeq(hp, hh, hlen) ? CRYPTO_OK : CRYPTO_ERR_BAD_SIGNATURE;
}
