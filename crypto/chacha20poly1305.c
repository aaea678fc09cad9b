/* see chacha20poly1305.h — RFC 8439 section 2.8. One pass over the data:
   the AVX2/AVX-512 paths run Poly1305 between the vector rounds of each
   step (chacha20_internal.h); the rest goes through in chunks small enough
   to stay in L1 between the cipher and the MAC (seal: encrypt a chunk,
   then MAC the ciphertext just written; open: MAC a chunk of ciphertext,
   then decrypt it). Open
   therefore writes plaintext before it knows the verdict; a bad tag then
   zeroes the whole output with a mask (no branch on the verdict). */
#include <string.h>
#include "crypto/chacha20poly1305.h"
#include "crypto/chacha20.h"
#include "crypto/chacha20_internal.h"
#include "crypto/poly1305.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"
#include "lib/bytes.h"

#define CCP_MAX_LEN ((((uint64_t)1 << 32) - 1) * 64)
/* A multiple of every SIMD stride (1024 bytes for AVX-512); in + out of one
   chunk stay well inside a 32 KiB L1. */
#define CCP_CHUNK 4096

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

/* Poly1305 keyed with the first 32 bytes of ChaCha20 block 0 (2.6), fed
   aad | pad16; the cipher state s is left at block 1. */
static void ccp_start(const chacha20poly1305_ctx *c, const uint8_t nonce[12], const uint8_t *aad,
                      size_t aadlen, uint32_t s[16], poly1305_ctx *p)
{
    static const uint8_t zeros[16];
    uint8_t otk[64];
    chacha20_setup(s, c->key, 0, nonce);
    memset(otk, 0, sizeof otk);
    chacha20_xor_state(s, otk, otk, 64, 0xffffffffu);   /* one block: scalar, s[12] = 1 */
    poly1305_init(p, otk);
    crypto_zeroize(otk, sizeof otk);
    poly1305_update(p, aad, aadlen);
    poly1305_update(p, zeros, (16 - aadlen % 16) % 16);
}

/* ct | pad16 | le64(aadlen) | le64(ctlen) into the MAC, tag out; wipes
   the cipher state. */
static void ccp_finish(poly1305_ctx *p, uint32_t s[16], size_t aadlen, size_t len, uint8_t tag[16])
{
    static const uint8_t zeros[16];
    uint8_t lens[16];
    poly1305_update(p, zeros, (16 - len % 16) % 16);
    le64_put(lens, (uint64_t)aadlen);
    le64_put(lens + 8, (uint64_t)len);
    poly1305_update(p, lens, 16);
    poly1305_final(p, tag);
    crypto_zeroize(s, 16 * sizeof *s);
}

/* The stitched SIMD paths over the longest prefix they take; returns its
   length, all of it MACed (ciphertext: out for seal, in for open). */
static size_t ccp_bulk(uint32_t s[16], const uint8_t *in, uint8_t *out, size_t len, poly1305_ctx *p, int seal)
{
    enum crypto_chacha_path path = crypto_chacha_path();
    size_t done = 0, n;
    if (path == CRYPTO_CHACHA_AVX512) {
        n = chacha20_avx512_xor_mac(s, in, out, len, p, seal);
        if (seal && n)
            poly1305_update(p, out + n - 1024, 1024);
        done += n;
    }
    if (path >= CRYPTO_CHACHA_AVX2) {
        n = chacha20_avx2_xor_mac(s, in + done, out + done, len - done, p, seal);
        if (seal && n)
            poly1305_update(p, out + done + n - 512, 512);
        done += n;
    }
    return done;
}

int chacha20poly1305_seal(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          uint8_t *out, uint8_t tag[16])
{
    if (noncelen != 12 || (uint64_t)len > CCP_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    uint32_t s[16];
    poly1305_ctx p;
    ccp_start(c, nonce, aad, aadlen, s, &p);
    for (size_t off = ccp_bulk(s, in, out, len, &p, 1); off < len; off += CCP_CHUNK) {
        size_t n = len - off < CCP_CHUNK ? len - off : CCP_CHUNK;
        chacha20_xor_state(s, in + off, out + off, n, 0xffffffffu);
        poly1305_update(&p, out + off, n);
    }
    if (crypto_chacha_path() != CRYPTO_CHACHA_SCALAR)
        crypto_wipe_stack(CHACHA_SIMD_STACK);   /* key words, keystream lanes */
    ccp_finish(&p, s, aadlen, len, tag);
    return CRYPTO_OK;
}

int chacha20poly1305_open(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          const uint8_t *tag, size_t taglen, uint8_t *out)
{
    uint8_t t[16];
    if (noncelen != 12 || taglen != 16 || (uint64_t)len > CCP_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    uint32_t s[16];
    poly1305_ctx p;
    ccp_start(c, nonce, aad, aadlen, s, &p);
    for (size_t off = ccp_bulk(s, in, out, len, &p, 0); off < len; off += CCP_CHUNK) {
        size_t n = len - off < CCP_CHUNK ? len - off : CCP_CHUNK;
        poly1305_update(&p, in + off, n);     /* before out overwrites it (in == out) */
        chacha20_xor_state(s, in + off, out + off, n, 0xffffffffu);
    }
    if (crypto_chacha_path() != CRYPTO_CHACHA_SCALAR)
        crypto_wipe_stack(CHACHA_SIMD_STACK);
    ccp_finish(&p, s, aadlen, len, t);
    uint32_t ok = (uint32_t)0 - (uint32_t)crypto_ct_memeq(t, tag, 16);
    crypto_zeroize(t, sizeof t);
    /* branch-free on the verdict: kept under a good tag, zeroed otherwise */
    if (crypto_chacha_path() >= CRYPTO_CHACHA_AVX2)
        chacha20_avx2_mask(out, len, ok);
    else
        crypto_ct_mask(out, len, (uint8_t)ok);
    return (int)ct_select32(ok, CRYPTO_OK, CRYPTO_ERR_AUTH);
}
