/* TLS 1.3 key schedule. see keysched.h */
#include "tls/keysched.h"
#include <string.h>
#include "crypto/crypto.h"
#include "crypto/hkdf.h"
#include "crypto/hmac.h"

enum crypto_err ks_derive(const struct hash_alg *alg, const uint8_t *secret, const char *label,
              const uint8_t *th, uint8_t *out)
{
    size_t h = alg->digest_len;
    return hkdf_expand_label(alg, secret, h, label, th, h, out, h);
}

void ks_early_secret(const struct hash_alg *alg, const uint8_t *psk, size_t psklen,
                     uint8_t *early)
{
    uint8_t zero[TLS_HASH_MAX] = {0};
    if (!psk) {
        psk = zero;
        psklen = alg->digest_len;
    }
    hkdf_extract(alg, NULL, 0, psk, psklen, early);
}

enum crypto_err ks_next_stage(const struct hash_alg *alg, const uint8_t *prev,
                  const uint8_t *ikm, size_t ikmlen, uint8_t *next)
{
    uint8_t zero[TLS_HASH_MAX] = {0}, empty_hash[TLS_HASH_MAX], salt[TLS_HASH_MAX];
    size_t h = alg->digest_len;
    hash_digest(alg, "", 0, empty_hash);
    int r = ks_derive(alg, prev, "derived", empty_hash, salt);
    if (r == CRYPTO_OK) {
        if (!ikm) {
            ikm = zero;
            ikmlen = h;
        }
        hkdf_extract(alg, salt, h, ikm, ikmlen, next);
    }
    crypto_zeroize(salt, sizeof salt);
    return r;
}

enum crypto_err ks_traffic_keys(const struct hash_alg *alg, const uint8_t *secret,
                    uint8_t *key, size_t keylen, uint8_t iv[12])
{
    size_t h = alg->digest_len;
    int r = hkdf_expand_label(alg, secret, h, "key", NULL, 0, key, keylen);
    if (r == CRYPTO_OK)
        r = hkdf_expand_label(alg, secret, h, "iv", NULL, 0, iv, 12);
    return r;
}

enum crypto_err ks_finished_key(const struct hash_alg *alg, const uint8_t *base_secret, uint8_t *key)
{
    size_t h = alg->digest_len;
    return hkdf_expand_label(alg, base_secret, h, "finished", NULL, 0, key, h);
}

enum crypto_err ks_finished(const struct hash_alg *alg, const uint8_t *base_secret,
                const uint8_t *th, uint8_t *verify_data)
{
    uint8_t key[TLS_HASH_MAX];
    int r = ks_finished_key(alg, base_secret, key);
    if (r == CRYPTO_OK)
        hmac(alg, key, alg->digest_len, th, alg->digest_len, verify_data);
    crypto_zeroize(key, sizeof key);
    return r;
}

enum crypto_err ks_update_secret(const struct hash_alg *alg, uint8_t *secret)
{
    uint8_t next[TLS_HASH_MAX];
    size_t h = alg->digest_len;
    int r = hkdf_expand_label(alg, secret, h, "traffic upd", NULL, 0, next, h);
    if (r == CRYPTO_OK)
        memcpy(secret, next, h);
    crypto_zeroize(next, sizeof next);
    return r;
}

enum crypto_err ks_binder_key(const struct hash_alg *alg, const uint8_t *early, uint8_t *binder_key)
{
    uint8_t empty_hash[TLS_HASH_MAX];
    hash_digest(alg, "", 0, empty_hash);
    return ks_derive(alg, early, "res binder", empty_hash, binder_key);
}

enum crypto_err ks_resumption_psk(const struct hash_alg *alg, const uint8_t *res_master,
                      const uint8_t *nonce, size_t noncelen, uint8_t *psk)
{
    size_t h = alg->digest_len;
    return hkdf_expand_label(alg, res_master, h, "resumption", nonce, noncelen, psk, h);
}
