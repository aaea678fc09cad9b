/* see hmac.h — RFC 2104 section 2: H(K ^ opad, H(K ^ ipad, text)) */
#include <string.h>
#include "crypto/hmac.h"
#include "crypto/crypto.h"

void hmac_init(hmac_ctx *c, const struct hash_alg *alg, const uint8_t *key, size_t keylen)
{
    uint8_t k[HASH_MAX_BLOCK], pad[HASH_MAX_BLOCK];
    size_t bl = alg->block_len;
    memset(k, 0, sizeof k);
    if (keylen > bl)
        hash_digest(alg, key, keylen, k);
    else if (keylen)
        memcpy(k, key, keylen);
    c->alg = alg;
    for (size_t i = 0; i < bl; i++)
        pad[i] = k[i] ^ 0x36;
    alg->init(&c->inner);
    alg->update(&c->inner, pad, bl);
    for (size_t i = 0; i < bl; i++)
        pad[i] = k[i] ^ 0x5c;
    alg->init(&c->outer);
    alg->update(&c->outer, pad, bl);
    crypto_zeroize(k, sizeof k);
    crypto_zeroize(pad, sizeof pad);
}

void hmac_update(hmac_ctx *c, const void *p, size_t n)
{
    c->alg->update(&c->inner, p, n);
}

void hmac_final(hmac_ctx *c, uint8_t *out)
{
    uint8_t ih[HASH_MAX_DIGEST];
    const struct hash_alg *alg = c->alg;
    alg->final(&c->inner, ih);
    alg->update(&c->outer, ih, alg->digest_len);
    alg->final(&c->outer, out);
    crypto_zeroize(ih, sizeof ih);
    crypto_zeroize(c, sizeof *c);
}

void hmac(const struct hash_alg *alg, const uint8_t *key, size_t keylen,
          const void *msg, size_t n, uint8_t *out)
{
    hmac_ctx c;
    hmac_init(&c, alg, key, keylen);
    hmac_update(&c, msg, n);
    hmac_final(&c, out);
}

int hmac_verify(const struct hash_alg *alg, const uint8_t *key, size_t keylen,
                const void *msg, size_t n, const uint8_t *tag, size_t taglen)
{
    uint8_t t[HASH_MAX_DIGEST];
    if (taglen == 0 || taglen > alg->digest_len)
        return CRYPTO_ERR_BAD_LENGTH;
    hmac(alg, key, keylen, msg, n, t);
    int ok = crypto_ct_memeq(t, tag, taglen);
    crypto_zeroize(t, sizeof t);
    return ok ? CRYPTO_OK : CRYPTO_ERR_AUTH;
}
