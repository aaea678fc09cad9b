/* TLS 1.3 record protection. see record.h */
#include "tls/record.h"
#include <string.h>
#include "crypto/crypto.h"
#include "lib/bytes.h"

enum crypto_err rec_set_keys(struct tls_rec_keys *k, int aead_id, const uint8_t *key,
                             size_t keylen, const uint8_t iv[12])
{
    rec_wipe(k);
    int r = tls_aead_init(&k->aead, aead_id, key, keylen);
    if (r != CRYPTO_OK)
        return r;
    memcpy(k->iv, iv, 12);
    k->seq = 0;
    k->on = 1;
    return CRYPTO_OK;
}

void rec_wipe(struct tls_rec_keys *k)
{
    crypto_zeroize(k, sizeof *k);
}

void rec_header(uint8_t *rec, uint8_t type, size_t len)
{
    rec[0] = type;
    rec[1] = 3;
    rec[2] = 3;
    be16_put(rec + 3, (uint16_t)len);
}

/* 5.3: the 64-bit sequence number, big-endian, left-padded to 12 bytes and
   xored with the static IV. */
static void rec_nonce_seq(const struct tls_rec_keys *k, uint64_t seq, uint8_t nonce[12])
{
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
}

size_t rec_seal(struct tls_rec_keys *k, uint8_t type, uint8_t *rec, size_t len, size_t pad)
{
    uint8_t nonce[12];
    size_t inner = len + 1 + pad;
    if (k->seq == UINT64_MAX || inner > TLS_MAX_PLAINTEXT + 1)
        return 0;
    rec[TLS_REC_HDR + len] = type;
    memset(rec + TLS_REC_HDR + len + 1, 0, pad);
    rec_header(rec, TLS_CT_APPDATA, inner + TLS_REC_TAG);
    rec_nonce_seq(k, k->seq, nonce);
    if (tls_aead_seal(&k->aead, nonce, rec, TLS_REC_HDR, rec + TLS_REC_HDR, inner,
                  rec + TLS_REC_HDR) != CRYPTO_OK)
        return 0;
    k->seq++;
    return TLS_REC_HDR + inner + TLS_REC_TAG;
}

enum rec_status rec_open_seq(const struct tls_rec_keys *k, uint64_t seq, const uint8_t *rec,
                             size_t n, uint8_t *out, uint8_t *type, size_t *ptlen)
{
    uint8_t nonce[12];
    if (n < TLS_REC_TAG + 1)
        return REC_ERR_SHORT;
    if (seq == UINT64_MAX)
        return REC_ERR_AUTH;
    rec_nonce_seq(k, seq, nonce);
    /* tls_aead_open only reads the key schedule (gcm_open and
       chacha20poly1305_open take it const), so concurrent opens of one
       direction's records are safe. */
    if (tls_aead_open((struct tls_aead *)&k->aead, nonce, rec, TLS_REC_HDR, rec + TLS_REC_HDR, n,
                      out) != CRYPTO_OK)
        return REC_ERR_AUTH;
    size_t m = n - TLS_REC_TAG;
    /* 5.4: strip zero padding; the last non-zero byte is the content type. */
    while (m > 0 && out[m - 1] == 0)
        m--;
    if (m == 0)
        return REC_ERR_NO_TYPE;
    *type = out[m - 1];
    *ptlen = m - 1;
    return REC_OK;
}

enum rec_status rec_open(struct tls_rec_keys *k, uint8_t *rec, size_t n, uint8_t *type,
                         size_t *ptlen)
{
    enum rec_status r = rec_open_seq(k, k->seq, rec, n, rec + TLS_REC_HDR, type, ptlen);
    if (r == REC_OK || r == REC_ERR_NO_TYPE)
        k->seq++;
    return r;
}
