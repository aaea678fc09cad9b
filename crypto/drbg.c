/* see drbg.h — SP 800-90A Rev.1 section 10.1.2 (HMAC_DRBG) */
#include <string.h>
#include "crypto/drbg.h"
#include "crypto/hmac.h"
#include "crypto/crypto.h"

/* 10.1.2.2 HMAC_DRBG_Update; provided_data is the concatenation of up to
   three segments (any may be NULL/0), so callers need no scratch buffer. */
static void drbg_update(drbg_ctx *d, const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
                        const uint8_t *c, size_t cl)
{
    int empty = (al + bl + cl) == 0;
    for (uint8_t round = 0; round < 2; round++) {
        hmac_ctx h;
        hmac_init(&h, &hash_sha256, d->K, 32);
        hmac_update(&h, d->V, 32);
        hmac_update(&h, &round, 1);
        hmac_update(&h, a, al);
        hmac_update(&h, b, bl);
        hmac_update(&h, c, cl);
        hmac_final(&h, d->K);
        hmac(&hash_sha256, d->K, 32, d->V, 32, d->V);
        if (empty)
            break;
    }
}

int drbg_instantiate(drbg_ctx *d, const uint8_t *entropy, size_t elen,
                     const uint8_t *nonce, size_t nlen, const uint8_t *pers, size_t plen)
{
    if (elen < DRBG_MIN_ENTROPY)
        return CRYPTO_ERR_BAD_LENGTH;
    memset(d->K, 0x00, 32);   /* 10.1.2.3 steps 2-3 */
    memset(d->V, 0x01, 32);
    drbg_update(d, entropy, elen, nonce, nlen, pers, plen);
    d->reseed_counter = 1;
    return CRYPTO_OK;
}

int drbg_reseed(drbg_ctx *d, const uint8_t *entropy, size_t elen, const uint8_t *add, size_t alen)
{
    if (elen < DRBG_MIN_ENTROPY)
        return CRYPTO_ERR_BAD_LENGTH;
    drbg_update(d, entropy, elen, add, alen, NULL, 0);   /* 10.1.2.4 */
    d->reseed_counter = 1;
    return CRYPTO_OK;
}

int drbg_generate(drbg_ctx *d, uint8_t *out, size_t len, const uint8_t *add, size_t alen)
{
    if (len > DRBG_MAX_REQUEST)
        return CRYPTO_ERR_BAD_LENGTH;
    if (d->reseed_counter > DRBG_RESEED_INTERVAL)      /* 10.1.2.5 step 1 */
        return CRYPTO_ERR_RESEED_REQUIRED;
    if (alen)
        drbg_update(d, add, alen, NULL, 0, NULL, 0);    /* step 2 */
    for (size_t done = 0; done < len; done += 32) {     /* steps 3-4 */
        hmac(&hash_sha256, d->K, 32, d->V, 32, d->V);
        size_t take = len - done < 32 ? len - done : 32;
        memcpy(out + done, d->V, take);
    }
    drbg_update(d, add, alen, NULL, 0, NULL, 0);        /* step 6 */
    d->reseed_counter++;
    return CRYPTO_OK;
}

void drbg_wipe(drbg_ctx *d)
{
    crypto_zeroize(d, sizeof *d);
}
