/* see hkdf.h — RFC 5869 sections 2.2 and 2.3 */
#include <string.h>
#include "crypto/hkdf.h"
#include "crypto/hmac.h"
#include "crypto/crypto.h"
#include "lib/bytes.h"

void hkdf_extract(const struct hash_alg *alg, const uint8_t *salt, size_t saltlen,
                  const uint8_t *ikm, size_t ikmlen, uint8_t *prk)
{
    static const uint8_t zeros[HASH_MAX_DIGEST];
    if (!salt || !saltlen) {
        salt = zeros;
        saltlen = alg->digest_len;
    }
    hmac(alg, salt, saltlen, ikm, ikmlen, prk);
}

enum crypto_err hkdf_expand(const struct hash_alg *alg, const uint8_t *prk, size_t prklen,
                const uint8_t *info, size_t infolen, uint8_t *out, size_t outlen)
{
    size_t hl = alg->digest_len;
    uint8_t t[HASH_MAX_DIGEST];
    hmac_ctx base, c;
    if (outlen > 255 * hl)
        return CRYPTO_ERR_BAD_LENGTH;
    /* keyed once, before any output is written: out may alias prk */
    hmac_init(&base, alg, prk, prklen);
    /* T(i) = HMAC(PRK, T(i-1) | info | i); T(0) empty */
    for (size_t done = 0, i = 1; done < outlen; i++) {
        uint8_t ctr = (uint8_t)i;
        c = base;
        if (i > 1)
            hmac_update(&c, t, hl);
        hmac_update(&c, info, infolen);
        hmac_update(&c, &ctr, 1);
        hmac_final(&c, t);
        size_t take = outlen - done < hl ? outlen - done : hl;
        memcpy(out + done, t, take);
        done += take;
    }
    crypto_zeroize(t, sizeof t);
    crypto_zeroize(&base, sizeof base);
    return CRYPTO_OK;
}

enum crypto_err hkdf_expand_label(const struct hash_alg *alg, const uint8_t *secret, size_t secretlen,
                      const char *label, const uint8_t *ctx, size_t ctxlen,
                      uint8_t *out, size_t outlen)
{
    /* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t ll = strlen(label), n = 0;
    if (ll > 249 || ctxlen > 255 || outlen > 0xffff)
        return CRYPTO_ERR_BAD_LENGTH;
    be16_put(info + n, (uint16_t)outlen);
    n += 2;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = (uint8_t)ctxlen;
    if (ctxlen)
        memcpy(info + n, ctx, ctxlen);
    n += ctxlen;
    return hkdf_expand(alg, secret, secretlen, info, n, out, outlen);
}
