/* see chacha20poly1305.h — RFC 8439 section 2.8. */
#include <string.h>
#include "crypto/chacha20poly1305.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"
#include "crypto/crypto.h"
#include "lib/bytes.h"

#define CCP_MAX_LEN ((((uint64_t)1 << 32) - 1) * 64)

int chacha20poly1305_init(chacha20poly1305_ctx *c, const uint8_t *key, size_t keylen)
{
    if (keylen != 32)
        return CRYPTO_ERR_BAD_LENGTH;
    memcpy(c->key, key, 32);
    return CRYPTO_OK;
}

void chacha20poly1305_wipe(chacha20poly1305_ctx *c)
{
    crypto_zeroize(c, sizeof *c);
}

/* tag = Poly1305(otk, aad | pad16 | ct | pad16 | le64(aadlen) | le64(ctlen)),
   otk = first 32 bytes of ChaCha20 block 0 (2.6). */
static void ccp_tag(const chacha20poly1305_ctx *c, const uint8_t nonce[12], const uint8_t *aad,
                    size_t aadlen, const uint8_t *ct, size_t len, uint8_t tag[16])
{
    static const uint8_t zeros[16];
    uint8_t blk[64], lens[16];
    poly1305_ctx p;
    chacha20_block(c->key, 0, nonce, blk);
    poly1305_init(&p, blk);
    poly1305_update(&p, aad, aadlen);
    poly1305_update(&p, zeros, (16 - aadlen % 16) % 16);
    poly1305_update(&p, ct, len);
    poly1305_update(&p, zeros, (16 - len % 16) % 16);
    le64_put(lens, (uint64_t)aadlen);
    le64_put(lens + 8, (uint64_t)len);
    poly1305_update(&p, lens, 16);
    poly1305_final(&p, tag);
    crypto_zeroize(blk, sizeof blk);
}

int chacha20poly1305_seal(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          uint8_t *out, uint8_t tag[16])
{
    if (noncelen != 12 || (uint64_t)len > CCP_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    chacha20_xor(c->key, 1, nonce, in, out, len);
    ccp_tag(c, nonce, aad, aadlen, out, len, tag);
    return CRYPTO_OK;
}

int chacha20poly1305_open(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          const uint8_t *tag, size_t taglen, uint8_t *out)
{
    uint8_t t[16];
    if (noncelen != 12 || taglen != 16 || (uint64_t)len > CCP_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    ccp_tag(c, nonce, aad, aadlen, in, len, t);
    uint32_t ok = (uint32_t)0 - (uint32_t)crypto_ct_memeq(t, tag, 16);
    crypto_zeroize(t, sizeof t);
    /* branch-free on the verdict: the output is decrypted and masked in one
       pass (kept under a good tag, zeroed otherwise) */
    chacha20_xor_masked(c->key, 1, nonce, in, out, len, ok);
    return (int)ct_select32(ok, CRYPTO_OK, CRYPTO_ERR_AUTH);
}
