/* Constant-time check of the symmetric code (the portable code, and the
   AES-NI/PCLMULQDQ GCM and the SSE2/AVX2/AVX-512 ChaCha20-Poly1305 paths
   where the CPU, as valgrind presents it, has them),
   ctgrind style: secret inputs are marked undefined for valgrind memcheck,
   so any branch or memory index that depends on them is reported
   ("Conditional jump or move depends on uninitialised value", "Use of
   uninitialised value of size N"). Outputs are declassified (marked
   defined) before they are compared with a reference computed on defined
   copies of the same inputs.
   Run: valgrind --error-exitcode=1 ct_sym           (must report nothing)
        valgrind --error-exitcode=1 ct_sym negative  (must report: control) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "crypto/aes.h"
#include "crypto/gcm.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/poly1305.h"
#include "crypto/hmac.h"
#include "crypto/hkdf.h"
#include "crypto/drbg.h"
#include "crypto/aead.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static int failures;
static void check(int cond, const char *what)
{
    if (!cond) {
        printf("FAIL: %s\n", what);
        failures++;
    }
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + 31 * i + (i >> 3));
}

static void ct_aes(void)
{
    uint8_t key[32], pt[16], ref[16], out[16], ctr[16], buf[100], ref2[100];
    for (size_t kl = 16; kl <= 32; kl += 8) {
        fill(key, kl, 1);
        fill(pt, 16, 2);
        aes_key k;
        aes_key_init(&k, key, kl);
        aes_encrypt_block(&k, pt, ref);
        fill(ctr, 16, 3);
        fill(ref2, sizeof ref2, 4);
        aes_ctr32_xor(&k, ctr, ref2, ref2, sizeof ref2);
        SECRET(key, kl);
        SECRET(pt, 16);
        aes_key_init(&k, key, kl);
        aes_encrypt_block(&k, pt, out);
        fill(ctr, 16, 3);
        fill(buf, sizeof buf, 4);
        SECRET(buf, sizeof buf);
        aes_ctr32_xor(&k, ctr, buf, buf, sizeof buf);
        PUBLIC(out, 16);
        PUBLIC(buf, sizeof buf);
        check(memcmp(out, ref, 16) == 0, "aes block");
        check(memcmp(buf, ref2, sizeof buf) == 0, "aes ctr");
        aes_key_wipe(&k);
    }
}

/* len 77 takes the block-at-a-time code; 4500 also the 8-block bulk loop
   (with AES-NI: gcm_ni_bulk), past the point where the counter's last byte
   wraps (block 256), so both of its counter paths run. */
static void ct_gcm(size_t len)
{
    static uint8_t pt[4500], ct[4500], ct2[4500], out[4500], ptref[4500];
    uint8_t key[16], iv[12], aad[20], tag[16], tag2[16];
    fill(key, 16, 9); fill(iv, 12, 10); fill(aad, 20, 11); fill(pt, len, 12);
    memcpy(ptref, pt, len);
    gcm_ctx c;
    gcm_init(&c, key, 16);
    gcm_seal(&c, iv, 12, aad, 20, pt, len, ct, tag, 16);
    /* secret key and plaintext; IV and AAD public */
    SECRET(key, 16);
    SECRET(pt, len);
    gcm_init(&c, key, 16);
    gcm_seal(&c, iv, 12, aad, 20, pt, len, ct2, tag2, 16);
    PUBLIC(ct2, len);
    PUBLIC(tag2, 16);
    check(memcmp(ct, ct2, len) == 0 && memcmp(tag, tag2, 16) == 0, "gcm seal");
    /* open: ciphertext and tag public (on the wire), key secret; verdict is
       computed without branches and only declassified here */
    int r = gcm_open(&c, iv, 12, aad, 20, ct, len, tag, 16, out);
    PUBLIC(&r, sizeof r);
    PUBLIC(out, len);
    check(r == CRYPTO_OK && memcmp(out, ptref, len) == 0, "gcm open");
    tag[0] ^= 1;
    r = gcm_open(&c, iv, 12, aad, 20, ct, len, tag, 16, out);
    PUBLIC(&r, sizeof r);
    check(r == CRYPTO_ERR_AUTH, "gcm open tampered");
    /* forged tag itself secret (e.g. a MAC compared against attacker data) */
    SECRET(tag, 16);
    r = gcm_open(&c, iv, 12, aad, 20, ct, len, tag, 16, out);
    PUBLIC(&r, sizeof r);
    check(r == CRYPTO_ERR_AUTH, "gcm open secret tag");
    gcm_wipe(&c);
}

/* len 300 takes the scalar/SSE2 code only; 2900 also two 1024-byte
   AVX-512 steps, a 512-byte AVX2 step (both with Poly1305 stitched in),
   a 256-byte SSE2 step and a tail, as far as the path allows. */
static void ct_chacha(size_t len)
{
    static uint8_t pt[2900], ct[2900], ct2[2900], out[2900];
    uint8_t key[32], nonce[12], aad[13], tag[16], tag2[16];
    fill(key, 32, 20); fill(nonce, 12, 21); fill(aad, 13, 22); fill(pt, len, 23);
    chacha20poly1305_ctx c;
    chacha20poly1305_init(&c, key, 32);
    chacha20poly1305_seal(&c, nonce, 12, aad, 13, pt, len, ct, tag);
    SECRET(key, 32);
    SECRET(pt, len);
    chacha20poly1305_init(&c, key, 32);
    chacha20poly1305_seal(&c, nonce, 12, aad, 13, pt, len, ct2, tag2);
    PUBLIC(ct2, len);
    PUBLIC(tag2, 16);
    check(memcmp(ct, ct2, len) == 0 && memcmp(tag, tag2, 16) == 0, "chacha seal");
    int r = chacha20poly1305_open(&c, nonce, 12, aad, 13, ct, len, tag, 16, out);
    PUBLIC(&r, sizeof r);
    PUBLIC(out, len);
    fill(pt, len, 23);
    check(r == CRYPTO_OK && memcmp(out, pt, len) == 0, "chacha open");
    tag[5] ^= 4;
    r = chacha20poly1305_open(&c, nonce, 12, aad, 13, ct, len, tag, 16, out);
    PUBLIC(&r, sizeof r);
    PUBLIC(out, len);
    check(r == CRYPTO_ERR_AUTH && out[0] == 0 && out[len - 1] == 0, "chacha open tampered");
    /* Poly1305 alone with a secret key and message whose limbs hit the
       final conditional subtraction */
    uint8_t pk[32], m[64], t1[16], t2[16];
    memset(pk, 0xff, 32);
    memset(m, 0xff, 64);
    poly1305(pk, m, 64, t1);
    SECRET(pk, 32);
    SECRET(m, 64);
    poly1305(pk, m, 64, t2);
    PUBLIC(t2, 16);
    check(memcmp(t1, t2, 16) == 0, "poly1305");
    chacha20poly1305_wipe(&c);
}

static void ct_hmac_kdf_drbg(void)
{
    uint8_t key[100], msg[200], t1[64], t2[64];
    fill(key, 100, 40); fill(msg, 200, 41);
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384, &hash_sha512 };
    for (int a = 0; a < 3; a++) {
        for (size_t kl = 20; kl <= 100; kl += 80) {   /* short and hashed (> block for 256) keys */
            fill(key, 100, 40); fill(msg, 200, 41);
            hmac(algs[a], key, kl, msg, 200, t1);
            SECRET(key, kl);
            SECRET(msg, 200);
            hmac(algs[a], key, kl, msg, 200, t2);
            PUBLIC(t2, 64);
            check(memcmp(t1, t2, algs[a]->digest_len) == 0, "hmac");
            /* verify: computed MAC secret, verdict declassified */
            int r = hmac_verify(algs[a], key, kl, msg, 200, t1, algs[a]->digest_len);
            PUBLIC(&r, sizeof r);
            check(r == CRYPTO_OK, "hmac_verify");
        }
    }
    uint8_t prk[32], okm[100], okm2[100];
    fill(key, 32, 50);
    fill(msg, 200, 51);   /* info is public */
    hkdf_extract(&hash_sha256, NULL, 0, key, 32, prk);
    hkdf_expand(&hash_sha256, prk, 32, msg, 10, okm, 100);
    SECRET(key, 32);
    hkdf_extract(&hash_sha256, NULL, 0, key, 32, prk);
    hkdf_expand(&hash_sha256, prk, 32, msg, 10, okm2, 100);
    PUBLIC(okm2, 100);
    check(memcmp(okm, okm2, 100) == 0, "hkdf");
    uint8_t ent[48], o1[80], o2[80];
    drbg_ctx d;
    fill(ent, 48, 60);
    drbg_instantiate(&d, ent, 48, NULL, 0, NULL, 0);
    drbg_generate(&d, o1, 80, NULL, 0);
    SECRET(ent, 48);
    drbg_instantiate(&d, ent, 48, NULL, 0, NULL, 0);
    drbg_generate(&d, o2, 80, NULL, 0);
    PUBLIC(o2, 80);
    check(memcmp(o1, o2, 80) == 0, "drbg");
    drbg_wipe(&d);
    /* tag comparison helper on its own */
    uint8_t a[16], b[16];
    fill(a, 16, 70);
    memcpy(b, a, 16);
    SECRET(a, 16);
    int eq = crypto_ct_memeq(a, b, 16);
    PUBLIC(&eq, sizeof eq);
    check(eq == 1, "ct_memeq");
}

/* Negative control: a deliberately secret-dependent branch. */
static volatile int sink;
__attribute__((noinline)) static int leaky(const uint8_t *s)
{
    int n = 0;
    for (int i = 0; i < 16; i++)
        if (s[i] & 1) {      /* a conditional volatile store forces a real branch */
            sink = i;
            n++;
        }
    return n;
}

int main(int argc, char **argv)
{
    crypto_set_impl(CRYPTO_IMPL_PORTABLE);
    if (argc > 1 && strcmp(argv[1], "negative") == 0) {
        uint8_t s[16];
        fill(s, 16, 5);
        SECRET(s, 16);
        int n = leaky(s);
        PUBLIC(&n, sizeof n);
        printf("negative control ran (n=%d)\n", n);
        return 0;
    }
    ct_aes();
    ct_gcm(77);
    ct_gcm(4500);
    ct_chacha(300);
    ct_chacha(2900);
    ct_hmac_kdf_drbg();
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    /* each SIMD ChaCha20 path the CPU (as valgrind presents it: no
       AVX-512 under valgrind 3.19) offers */
    for (int p = CRYPTO_CHACHA_SSE2; p <= CRYPTO_CHACHA_AVX512; p++) {
        crypto_set_chacha_max((enum crypto_chacha_path)p);
        if (crypto_chacha_path() != (enum crypto_chacha_path)p) {
            printf("ct_sym: chacha path %s not offered here, not checked\n",
                   crypto_chacha_path_name((enum crypto_chacha_path)p));
            continue;
        }
        ct_chacha(300);
        ct_chacha(2900);
        printf("ct_sym: chacha path %s checked\n", crypto_chacha_path_name((enum crypto_chacha_path)p));
    }
    crypto_set_chacha_max(CRYPTO_CHACHA_AVX512);
    ct_gcm(4500);                        /* AES-NI + PCLMULQDQ where the CPU has them */
    printf("ct_sym: %s (%d check failures)\n", failures ? "FAIL" : "ok", failures);
    return failures ? 2 : 0;
}
