/* see sym_selftest.h — vectors: FIPS 180-2 appendix examples, RFC 4231
   case 2, RFC 5869 case 1, the GCM specification test cases 4 and 16
   (McGrew-Viega, also in SP 800-38D validation), RFC 8439 2.8.2, and the
   first line of tests/vectors/hmac_drbg_sha256.txt. */
#include <string.h>
#include "crypto/sym_selftest.h"
#include "crypto/sha2.h"
#include "crypto/hmac.h"
#include "crypto/hkdf.h"
#include "crypto/drbg.h"
#include "crypto/aead.h"
#include "crypto/impl.h"

#define DRBG_KAT0 "dacc8708ba9a7e7b165495b05ed7cde1ff7781cdc14007e872c8ea0dcac3e462e4610cd22ebb54d5fb1bfde861bad05ca4" \
                  "5bfd082cbf13dd099e05218cbe99a9168398f25716c3b2e38a8244b93e798b65b7910d97ef3fdedf224c19339286308231" \
                  "ba933c7ec13fac89484b832008ff819bfe9da8bfb211dbda7ce045f6f045"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; h[0] && h[1] && n < cap; h += 2) {
        uint8_t v = 0;
        for (int i = 0; i < 2; i++) {
            char c = h[i];
            v = (uint8_t)(v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10));
        }
        out[n++] = v;
    }
    return n;
}

static int eq_hex(const uint8_t *got, const char *hex)
{
    uint8_t exp[128];
    size_t n = unhex(hex, exp, sizeof exp);
    return memcmp(got, exp, n) == 0;
}

static const char *run_once(void)
{
    uint8_t out[128], buf[128], k[64], m[128], a[32], n[12];
    sha256("abc", 3, out);
    if (!eq_hex(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        return "sha256";
    sha384("abc", 3, out);
    if (!eq_hex(out, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"))
        return "sha384";
    sha512("abc", 3, out);
    if (!eq_hex(out, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"))
        return "sha512";
    hmac(&hash_sha256, (const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28, out);
    if (!eq_hex(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        return "hmac-sha256";
    size_t il = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", k, sizeof k);
    size_t sl = unhex("000102030405060708090a0b0c", m, sizeof m);
    size_t nl = unhex("f0f1f2f3f4f5f6f7f8f9", a, sizeof a);
    hkdf_extract(&hash_sha256, m, sl, k, il, buf);
    if (hkdf_expand(&hash_sha256, buf, 32, a, nl, out, 42) != CRYPTO_OK ||
        !eq_hex(out, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
        return "hkdf";

    /* GCM spec test cases 4 (AES-128) and 16 (AES-256): 60-byte PT, 20-byte AAD */
    static const char *pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    static const char *ct[2] = {
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47",
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b" };
    size_t pl = unhex(pt, m, sizeof m);
    size_t al = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2", a, sizeof a);
    unhex("cafebabefacedbaddecaf888", n, 12);
    unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", k, 32);
    for (int i = 0; i < 2; i++) {
        aead_ctx c;
        enum aead_id id = i ? AEAD_AES256_GCM : AEAD_AES128_GCM;
        if (aead_init(&c, id, k, aead_key_len(id)) != CRYPTO_OK ||
            aead_seal(&c, n, a, al, m, pl, out) != CRYPTO_OK || !eq_hex(out, ct[i]))
            return i ? "aes256-gcm seal" : "aes128-gcm seal";
        if (aead_open(&c, n, a, al, out, pl + 16, buf) != CRYPTO_OK || memcmp(buf, m, pl) != 0)
            return i ? "aes256-gcm open" : "aes128-gcm open";
        out[pl] ^= 1;
        if (aead_open(&c, n, a, al, out, pl + 16, buf) != CRYPTO_ERR_AUTH)
            return "gcm tamper";
        aead_wipe(&c);
    }

    /* RFC 8439 2.8.2 */
    static const char *sun = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    size_t sunl = strlen(sun);
    for (int i = 0; i < 32; i++)
        k[i] = (uint8_t)(0x80 + i);
    unhex("070000004041424344454647", n, 12);
    al = unhex("50515253c0c1c2c3c4c5c6c7", a, sizeof a);
    aead_ctx c;
    uint8_t big[114 + 16];
    if (aead_init(&c, AEAD_CHACHA20_POLY1305, k, 32) != CRYPTO_OK ||
        aead_seal(&c, n, a, al, (const uint8_t *)sun, sunl, big) != CRYPTO_OK ||
        !eq_hex(big, "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36") ||
        !eq_hex(big + sunl, "1ae10b594f09e26a7e902ecbd0600691"))
        return "chacha20-poly1305 seal";
    if (aead_open(&c, n, a, al, big, sunl + 16, big) != CRYPTO_OK || memcmp(big, sun, sunl) != 0)
        return "chacha20-poly1305 open";
    aead_wipe(&c);

    /* HMAC_DRBG: tests/vectors/hmac_drbg_sha256.txt case 0 */
    drbg_ctx d;
    unhex("78427cc65bbb6e9375034c087afb92dcb990374894da1a02740ccfa955896d9b", k, 32);
    unhex("909e5c98401f1650b57d9607ac628f0b", m, 16);
    if (drbg_instantiate(&d, k, 32, m, 16, NULL, 0) != CRYPTO_OK ||
        drbg_generate(&d, out, 128, NULL, 0) != CRYPTO_OK ||
        drbg_generate(&d, out, 128, NULL, 0) != CRYPTO_OK)
        return "drbg";
    drbg_wipe(&d);
    if (!eq_hex(out, DRBG_KAT0))
        return "drbg output";
    return NULL;
}

/* The vectors above are shorter than the 128-byte steps of the fused GCM
   loops: here each AEAD seals and opens 1000 bytes (bulk steps and a tail)
   with the fast policy and with the portable code, which must agree. */
static const char *bulk_cross_check(enum crypto_impl fast)
{
    static const enum aead_id ids[3] = { AEAD_AES128_GCM, AEAD_AES256_GCM, AEAD_CHACHA20_POLY1305 };
    static const char *const names[3] = { "aes128-gcm bulk", "aes256-gcm bulk",
                                          "chacha20-poly1305 bulk" };
    uint8_t key[32], nonce[12], aad[13], pt[1000], c1[1016], c2[1016], back[1000];
    for (size_t i = 0; i < sizeof pt; i++)
        pt[i] = (uint8_t)(i * 29 + (i >> 7));
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(0x40 + 3 * i);
    memset(nonce, 0x5a, sizeof nonce);
    memset(aad, 0x17, sizeof aad);
    for (int i = 0; i < 3; i++) {
        aead_ctx c;
        int ok = 1;
        for (int pass = 0; pass < 2 && ok; pass++) {
            crypto_set_impl(pass ? CRYPTO_IMPL_PORTABLE : fast);
            ok = aead_init(&c, ids[i], key, aead_key_len(ids[i])) == CRYPTO_OK &&
                 aead_seal(&c, nonce, aad, sizeof aad, pt, sizeof pt, pass ? c2 : c1) == CRYPTO_OK;
            aead_wipe(&c);
        }
        ok = ok && memcmp(c1, c2, sizeof c1) == 0;
        /* each opens what the other sealed */
        for (int pass = 0; pass < 2 && ok; pass++) {
            crypto_set_impl(pass ? fast : CRYPTO_IMPL_PORTABLE);
            ok = aead_init(&c, ids[i], key, aead_key_len(ids[i])) == CRYPTO_OK &&
                 aead_open(&c, nonce, aad, sizeof aad, pass ? c2 : c1, sizeof c1, back) == CRYPTO_OK &&
                 memcmp(back, pt, sizeof pt) == 0;
            aead_wipe(&c);
        }
        if (!ok)
            return names[i];
    }
    return NULL;
}

int sym_selftest(const char **failed)
{
    /* the paths this machine uses: its policy (AUTO when it is PORTABLE),
       then the portable code */
    enum crypto_impl saved = crypto_get_impl();
    enum crypto_impl fast = saved == CRYPTO_IMPL_PORTABLE ? CRYPTO_IMPL_AUTO : saved;
    const char *f = NULL;
    crypto_set_impl(fast);
    f = run_once();
    if (!f) {
        crypto_set_impl(CRYPTO_IMPL_PORTABLE);
        f = run_once();
    }
    if (!f)
        f = bulk_cross_check(fast);
    crypto_set_impl(saved);
    if (failed)
        *failed = f;
    return f ? CRYPTO_ERR_AUTH : CRYPTO_OK;
}
