/* ChaCha20 and ChaCha20-Poly1305 on every code path (scalar, SSE2 4-block,
   AVX2 8-block, AVX-512 16-block, each forced with crypto_set_chacha_max;
   a path the CPU or OS lacks is reported and left out) against OpenSSL and
   against each other: every length 0..1100 at random buffer offsets, in
   place, longer messages that cross the stitched steps, tampering, and the
   32-bit block counter at its top (RFC 8439 2.3: the counter is one word;
   our paths all wrap it mod 2^32, block by block equal to chacha20_block). */
#include "unit.h"
#include <openssl/evp.h>
#include "crypto/chacha20.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

#define NPATHS 4
static uint64_t g_rnd = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(void)
{
    g_rnd ^= g_rnd << 13; g_rnd ^= g_rnd >> 7; g_rnd ^= g_rnd << 17;
    return (uint32_t)(g_rnd >> 16);
}
static void fill(uint8_t *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd(); }

/* Forces path p under the AUTO policy; 0 when this CPU/OS cannot run it. */
static int use_path(enum crypto_chacha_path p)
{
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    crypto_set_chacha_max(p);
    if (crypto_chacha_path() == p)
        return 1;
    static int said[NPATHS];
    if (!said[p])
        printf("chacha path %s: not available here, left out\n", crypto_chacha_path_name(p));
    said[p] = 1;
    return 0;
}
static void reset_path(void)
{
    crypto_set_chacha_max(CRYPTO_CHACHA_AVX512);
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

/* OpenSSL's raw ChaCha20: IV = le32(counter) || nonce. It carries a
   counter wrap into the nonce, so it is compared only below the wrap. */
static void ossl_chacha(const uint8_t key[32], uint32_t ctr, const uint8_t nonce[12], const uint8_t *in,
                        uint8_t *out, size_t len)
{
    uint8_t iv[16] = { (uint8_t)ctr, (uint8_t)(ctr >> 8), (uint8_t)(ctr >> 16), (uint8_t)(ctr >> 24) };
    memcpy(iv + 4, nonce, 12);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ol;
    assert_int_equal(EVP_EncryptInit_ex(c, EVP_chacha20(), NULL, key, iv), 1);
    if (len)
        assert_int_equal(EVP_EncryptUpdate(c, out, &ol, in, (int)len), 1);
    EVP_CIPHER_CTX_free(c);
}

static void ossl_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad, size_t al,
                      const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ol;
    assert_int_equal(EVP_EncryptInit_ex(c, EVP_chacha20_poly1305(), NULL, key, nonce), 1);
    if (al)
        assert_int_equal(EVP_EncryptUpdate(c, NULL, &ol, aad, (int)al), 1);
    if (len)
        assert_int_equal(EVP_EncryptUpdate(c, out, &ol, in, (int)len), 1);
    assert_int_equal(EVP_EncryptFinal_ex(c, out + len, &ol), 1);
    assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(c);
}

/* Raw ChaCha20, every length 0..1100, random offsets (0..63) of in and out,
   random key, nonce and counter: each path == OpenSSL == the scalar path,
   in place too, nothing written past len. */
static void t_xor_all_lengths(void **s)
{
    (void)s;
    static uint8_t in[1200], ref[1200], o[NPATHS][1200], ip[1200];
    uint8_t key[32], nonce[12];
    int runs[NPATHS] = { 0 };
    for (size_t len = 0; len <= 1100; len++) {
        size_t io = rnd() % 64, oo = rnd() % 64;
        uint32_t ctr = rnd() % 1000000;
        fill(key, 32); fill(nonce, 12); fill(in + io, len);
        ossl_chacha(key, ctr, nonce, in + io, ref, len);
        for (int p = 0; p < NPATHS; p++) {
            if (!use_path((enum crypto_chacha_path)p))
                continue;
            memset(o[p], 0x5a, sizeof o[p]);
            chacha20_xor(key, ctr, nonce, in + io, o[p] + oo, len);
            assert_memory_equal(o[p] + oo, ref, len);
            assert_int_equal(o[p][oo + len], 0x5a);
            if (oo)
                assert_int_equal(o[p][oo - 1], 0x5a);
            memcpy(ip + oo, in + io, len);
            chacha20_xor(key, ctr, nonce, ip + oo, ip + oo, len);
            assert_memory_equal(ip + oo, ref, len);
            runs[p]++;
        }
    }
    reset_path();
    for (int p = 0; p < NPATHS; p++)
        printf("chacha20_xor [%s]: %d lengths == OpenSSL\n", crypto_chacha_path_name((enum crypto_chacha_path)p), runs[p]);
    assert_int_equal(runs[CRYPTO_CHACHA_SCALAR], 1101);
    assert_int_equal(runs[CRYPTO_CHACHA_SSE2], 1101);
}

/* One AEAD case on the current path: seal == OpenSSL (ct and tag), open
   of it gives the text back, in place both ways, and a flipped bit in ct,
   tag or aad fails with the output zeroed. */
static void aead_case(size_t len, size_t al, uint8_t *buf, size_t bufsz)
{
    uint8_t key[32], nonce[12], aad[64], tag[16], rtag[16];
    size_t io = rnd() % 64, oo = rnd() % 64;
    assert_true(len + 192 <= bufsz / 4);
    uint8_t *pt = buf + io, *ref = buf + bufsz / 4, *ct = buf + bufsz / 2 + oo, *back = buf + 3 * (bufsz / 4);
    fill(key, 32); fill(nonce, 12); fill(aad, al); fill(pt, len);
    ossl_seal(key, nonce, aad, al, pt, len, ref, rtag);
    chacha20poly1305_ctx c;
    assert_int_equal(chacha20poly1305_init(&c, key, 32), CRYPTO_OK);
    assert_int_equal(chacha20poly1305_seal(&c, nonce, 12, aad, al, pt, len, ct, tag), CRYPTO_OK);
    assert_memory_equal(ct, ref, len);
    assert_memory_equal(tag, rtag, 16);
    assert_int_equal(chacha20poly1305_open(&c, nonce, 12, aad, al, ct, len, tag, 16, back), CRYPTO_OK);
    assert_memory_equal(back, pt, len);
    memcpy(back, pt, len);   /* in place: seal, then open */
    assert_int_equal(chacha20poly1305_seal(&c, nonce, 12, aad, al, back, len, back, tag), CRYPTO_OK);
    assert_memory_equal(back, ref, len);
    assert_int_equal(chacha20poly1305_open(&c, nonce, 12, aad, al, back, len, tag, 16, back), CRYPTO_OK);
    assert_memory_equal(back, pt, len);
    /* tampering: a bit of the ciphertext, the tag or the aad */
    int what = (int)(rnd() % 3);
    if (what == 0 && len == 0)
        what = 1;
    if (what == 2 && al == 0)
        what = 1;
    size_t at = what == 0 ? rnd() % len : what == 1 ? rnd() % 16 : rnd() % al;
    uint8_t bit = (uint8_t)(1u << (rnd() % 8));
    uint8_t *victim = what == 0 ? ct + at : what == 1 ? tag + at : aad + at;
    *victim ^= bit;
    memset(back, 0x77, len);
    assert_int_equal(chacha20poly1305_open(&c, nonce, 12, aad, al, ct, len, tag, 16, back), CRYPTO_ERR_AUTH);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(back[i], 0);
    *victim ^= bit;
    chacha20poly1305_wipe(&c);
}

/* Every length 0..1100 and random aad lengths, on every path. */
static void t_aead_all_lengths(void **s)
{
    (void)s;
    static uint8_t buf[4 * 1400];
    int runs[NPATHS] = { 0 };
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path((enum crypto_chacha_path)p))
            continue;
        for (size_t len = 0; len <= 1100; len++) {
            aead_case(len, rnd() % 40, buf, sizeof buf);
            runs[p]++;
        }
    }
    reset_path();
    for (int p = 0; p < NPATHS; p++)
        printf("chacha20poly1305 [%s]: %d lengths == OpenSSL, tamper rejected\n",
               crypto_chacha_path_name((enum crypto_chacha_path)p), runs[p]);
    assert_int_equal(runs[CRYPTO_CHACHA_SCALAR], 1101);
}

/* Lengths around the step sizes of the stitched loops (several 1024-byte
   AVX-512 steps, then a 512-byte AVX2 step, a 256-byte SSE2 step and a
   tail), the 4 KiB chunks and a TLS record (16 KiB + 1), on every path. */
static void t_aead_long(void **s)
{
    (void)s;
    static uint8_t buf[4 * (16384 + 4096)];
    static const size_t lens[] = { 1024, 1535, 1536, 1537, 1024 + 512 + 256 + 63, 2048, 3 * 1024 + 512 + 17,
                                   4095, 4096, 4097, 8192 + 1023, 16383, 16384, 16385, 16384 + 1024 + 512 + 256 + 15 };
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path((enum crypto_chacha_path)p))
            continue;
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
            aead_case(lens[i], rnd() % 40, buf, sizeof buf);
        for (int it = 0; it < 40; it++)
            aead_case(rnd() % (16384 + 2048), rnd() % 64, buf, sizeof buf);
    }
    reset_path();
}

/* The counter at the top of its 32 bits: each path's output, block by
   block, is chacha20_block at counter + b mod 2^32 (across the wrap too),
   and == OpenSSL while the counter does not wrap. */
static void t_counter_top(void **s)
{
    (void)s;
    static uint8_t in[2100], out[2100], ref[2100];
    uint8_t key[32], nonce[12], blk[64];
    fill(key, 32); fill(nonce, 12); fill(in, sizeof in);
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path((enum crypto_chacha_path)p))
            continue;
        for (uint32_t back = 0; back <= 33; back++) {
            uint32_t ctr = 0xffffffffu - back;
            size_t len = 2048 + 17;                    /* 33 blocks: wraps unless back == 32, 33 */
            chacha20_xor(key, ctr, nonce, in, out, len);
            for (size_t b = 0; 64 * b < len; b++) {
                chacha20_block(key, ctr + (uint32_t)b, nonce, blk);
                size_t n = len - 64 * b < 64 ? len - 64 * b : 64;
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(out[64 * b + i], (uint8_t)(in[64 * b + i] ^ blk[i]));
            }
            /* up to the last block before the wrap, as OpenSSL */
            size_t lim = 64 * ((size_t)back + 1);
            if (lim > len)
                lim = len;
            ossl_chacha(key, ctr, nonce, in, ref, lim);
            assert_memory_equal(out, ref, lim);
        }
    }
    reset_path();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_xor_all_lengths), cmocka_unit_test(t_aead_all_lengths),
        cmocka_unit_test(t_aead_long), cmocka_unit_test(t_counter_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
