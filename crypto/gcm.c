/* see gcm.h — SP 800-38D section 7 (GCM-AE / GCM-AD). */
#include <string.h>
#include "crypto/gcm.h"
#include "crypto/aes_internal.h"
#include "crypto/gcm_internal.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"
#include "lib/bytes.h"

/* Each public entry wipes, once, the stack its SIMD callees used below its
   frame (round keys, H powers, keystream: see crypto_wipe_stack). Depths
   with gcc 12 -O2 (checked by tests/ct/stack_wipe.c), with room for other
   compilers: gcm_crypt + gcm_ni_bulk + ghash_blocks_pclmul ~1.8 KiB (kernel
   flags), gcm_crypt + aes_ni_ctr32_xor ~0.6 KiB, ghash_update +
   ghash_blocks_pclmul ~0.35 KiB. gcm_init's callees (key schedule, H,
   ghash_key_init's products) run on either path, so it always wipes. */
#define GCM_BULK_STACK 2560
#define GCM_SMALL_STACK 1024
#define GCM_GHASH_STACK 512
#define GCM_INIT_STACK 1024

static void gcm_wipe_simd(size_t n)
{
    if (crypto_use_aesni())
        crypto_wipe_stack(n);
}
/* what a pass over len bytes of data may have used: the bulk step runs
   from 128 bytes */
static size_t gcm_data_stack(size_t len)
{
    return len >= 128 ? GCM_BULK_STACK : GCM_SMALL_STACK;
}

#define GCM_MAX_LEN ((((uint64_t)1 << 32) - 2) * 16)   /* 2^39 - 256 bits */

int gcm_init(gcm_ctx *c, const uint8_t *key, size_t keylen)
{
    uint8_t h[16] = { 0 };
    int r = aes_key_init(&c->aes, key, keylen);
    if (r != CRYPTO_OK)
        return r;
    aes_encrypt_block(&c->aes, h, h);          /* H = CIPH_K(0^128) */
    ghash_key_init(&c->gk, h);
    crypto_zeroize(h, sizeof h);
    crypto_wipe_stack(GCM_INIT_STACK);
    return CRYPTO_OK;
}

void gcm_wipe(gcm_ctx *c)
{
    crypto_zeroize(c, sizeof *c);
}

static int tag_len_ok(size_t t)
{
    return t == 4 || t == 8 || (t >= 12 && t <= 16);
}

static int gcm_start_op(gcm_op *op, const gcm_ctx *c, const uint8_t *iv, size_t ivlen)
{
    if (ivlen == 0)
        return CRYPTO_ERR_BAD_LENGTH;
    op->c = c;
    if (ivlen == 12) {                          /* 7.1 step 2: J0 = IV || 0^31 || 1 */
        memcpy(op->ctr, iv, 12);
        op->ctr[12] = op->ctr[13] = op->ctr[14] = 0;
        op->ctr[15] = 1;
    } else {                                    /* J0 = GHASH(IV || 0^s+64 || [len(IV)]64) */
        uint8_t lb[16] = { 0 };
        uint64_t bits = (uint64_t)ivlen * 8;
        be64_put(lb + 8, bits);
        ghash_start(&op->gs);
        ghash_update(&c->gk, &op->gs, iv, ivlen);
        ghash_pad(&c->gk, &op->gs);
        ghash_update(&c->gk, &op->gs, lb, 16);
        ghash_out(&op->gs, op->ctr);
    }
    aes_encrypt_block(&c->aes, op->ctr, op->ek0);
    aes_inc32(op->ctr);                         /* data starts at inc32(J0) */
    ghash_start(&op->gs);
    op->ksused = 16;
    op->aadlen = op->len = 0;
    op->phase = 0;
    return CRYPTO_OK;
}

int gcm_start(gcm_op *op, const gcm_ctx *c, const uint8_t *iv, size_t ivlen)
{
    int r = gcm_start_op(op, c, iv, ivlen);
    if (ivlen != 12)
        gcm_wipe_simd(GCM_GHASH_STACK);
    return r;
}

static int gcm_aad_op(gcm_op *op, const uint8_t *aad, size_t n)
{
    if (op->phase != 0)
        return CRYPTO_ERR_BAD_LENGTH;
    ghash_update(&op->c->gk, &op->gs, aad, n);
    op->aadlen += n;
    return CRYPTO_OK;
}

int gcm_aad(gcm_op *op, const uint8_t *aad, size_t n)
{
    int r = gcm_aad_op(op, aad, n);
    gcm_wipe_simd(GCM_GHASH_STACK);
    return r;
}

/* CTR over n bytes; the ciphertext (out when encrypting, in when decrypting)
   is fed to GHASH. Bulk data goes in chunks so it is hashed while in cache. */
static int gcm_crypt(gcm_op *op, const uint8_t *in, uint8_t *out, size_t n, int enc)
{
    const gcm_ctx *c = op->c;
    if (op->phase > 1 || n > GCM_MAX_LEN - op->len)
        return CRYPTO_ERR_BAD_LENGTH;
    if (op->phase == 0) {
        ghash_pad(&c->gk, &op->gs);
        op->phase = 1;
    }
    op->len += n;
    while (n && op->ksused < 16) {              /* leftover keystream */
        uint8_t ib = *in++, ob = ib ^ op->ks[op->ksused++];
        *out++ = ob;
        ghash_update(&c->gk, &op->gs, enc ? &ob : &ib, 1);
        n--;
    }
    if (n >= 128 && op->gs.n == 0 && crypto_use_aesni()) {
        size_t done = crypto_use_vaes() ? gcm_vaes_bulk(c, op->ctr, &op->gs.y, in, out, n, enc)
                                        : gcm_ni_bulk(c, op->ctr, &op->gs.y, in, out, n, enc);
        in += done; out += done; n -= done;
    }
    while (n >= 16) {
        size_t chunk = n > 4096 ? 4096 : (n & ~(size_t)15);
        if (!enc)
            ghash_update(&c->gk, &op->gs, in, chunk);
        aes_ctr32_xor_nowipe(&c->aes, op->ctr, in, out, chunk);
        if (enc)
            ghash_update(&c->gk, &op->gs, out, chunk);
        in += chunk; out += chunk; n -= chunk;
    }
    if (n) {                                    /* partial block: keep the rest */
        memset(op->ks, 0, 16);
        aes_ctr32_xor_nowipe(&c->aes, op->ctr, op->ks, op->ks, 16);
        op->ksused = 0;
        if (!enc)
            ghash_update(&c->gk, &op->gs, in, n);
        for (size_t i = 0; i < n; i++)
            out[i] = in[i] ^ op->ks[i];
        if (enc)
            ghash_update(&c->gk, &op->gs, out, n);
        op->ksused = n;
    }
    return CRYPTO_OK;
}

int gcm_encrypt(gcm_op *op, const uint8_t *in, uint8_t *out, size_t n)
{
    int r = gcm_crypt(op, in, out, n, 1);
    gcm_wipe_simd(gcm_data_stack(n));
    return r;
}

int gcm_decrypt(gcm_op *op, const uint8_t *in, uint8_t *out, size_t n)
{
    int r = gcm_crypt(op, in, out, n, 0);
    gcm_wipe_simd(gcm_data_stack(n));
    return r;
}

/* S = GHASH(A || 0 || C || 0 || [len(A)]64 || [len(C)]64); T = E(K, J0) ^ S */
static void gcm_tag(gcm_op *op, uint8_t t[16])
{
    uint8_t lb[16];
    uint64_t ab = op->aadlen * 8, cb = op->len * 8;
    be64_put(lb, ab);
    be64_put(lb + 8, cb);
    ghash_pad(&op->c->gk, &op->gs);
    ghash_update(&op->c->gk, &op->gs, lb, 16);
    ghash_out(&op->gs, t);
    for (int i = 0; i < 16; i++)
        t[i] ^= op->ek0[i];
    op->phase = 2;
}

static int gcm_finish_seal_op(gcm_op *op, uint8_t *tag, size_t taglen)
{
    uint8_t t[16];
    if (!tag_len_ok(taglen) || op->phase > 1)
        return CRYPTO_ERR_BAD_LENGTH;
    gcm_tag(op, t);
    memcpy(tag, t, taglen);
    crypto_zeroize(t, sizeof t);
    crypto_zeroize(op, sizeof *op);
    return CRYPTO_OK;
}

/* Branch-free on the tag result: the output is always masked (kept when the
   tag matched, zeroed otherwise), so nothing secret-dependent steers control
   flow before the caller learns the verdict. */
static int gcm_finish_open_op(gcm_op *op, const uint8_t *tag, size_t taglen, uint8_t *out, size_t outlen)
{
    uint8_t t[16];
    if (!tag_len_ok(taglen) || op->phase > 1) {
        if (out)
            crypto_zeroize(out, outlen);
        crypto_zeroize(op, sizeof *op);
        return CRYPTO_ERR_BAD_LENGTH;
    }
    gcm_tag(op, t);
    uint32_t ok = (uint32_t)0 - (uint32_t)crypto_ct_memeq(t, tag, taglen);
    crypto_zeroize(t, sizeof t);
    crypto_ct_mask(out, outlen, (uint8_t)ok);
    crypto_zeroize(op, sizeof *op);
    return (int)ct_select32(ok, CRYPTO_OK, CRYPTO_ERR_AUTH);
}

int gcm_finish_seal(gcm_op *op, uint8_t *tag, size_t taglen)
{
    int r = gcm_finish_seal_op(op, tag, taglen);
    gcm_wipe_simd(GCM_GHASH_STACK);
    return r;
}

int gcm_finish_open(gcm_op *op, const uint8_t *tag, size_t taglen, uint8_t *out, size_t outlen)
{
    int r = gcm_finish_open_op(op, tag, taglen, out, outlen);
    gcm_wipe_simd(GCM_GHASH_STACK);
    return r;
}

int gcm_seal(const gcm_ctx *c, const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
             const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen)
{
    gcm_op op;
    int r;
    if (!tag_len_ok(taglen) || len > GCM_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    if ((r = gcm_start_op(&op, c, iv, ivlen)) == CRYPTO_OK) {
        gcm_aad_op(&op, aad, aadlen);
        gcm_crypt(&op, in, out, len, 1);
        r = gcm_finish_seal_op(&op, tag, taglen);
    }
    gcm_wipe_simd(gcm_data_stack(len));
    return r;
}

int gcm_open(const gcm_ctx *c, const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
             const uint8_t *in, size_t len, const uint8_t *tag, size_t taglen, uint8_t *out)
{
    gcm_op op;
    int r;
    if (!tag_len_ok(taglen) || len > GCM_MAX_LEN)
        return CRYPTO_ERR_BAD_LENGTH;
    if ((r = gcm_start_op(&op, c, iv, ivlen)) == CRYPTO_OK) {
        gcm_aad_op(&op, aad, aadlen);
        gcm_crypt(&op, in, out, len, 0);
        r = gcm_finish_open_op(&op, tag, taglen, out, len);
    }
    gcm_wipe_simd(gcm_data_stack(len));
    return r;
}
