/* Leftover secrets on the stack: each symmetric operation runs on a private,
   zero-filled stack (ucontext); afterwards the whole stack is scanned for
   8-byte pieces of what it must not leave behind: AES round keys, GHASH key
   powers (and their Karatsuba halves), keystream, plaintext, ChaCha20 key
   words (also as the SSE2 path holds them: one word per lane, four blocks
   side by side). The SIMD paths keep such copies in their frames (arrays of
   round keys, register spills); the dispatchers must wipe that memory.
   Run: stack_wipe            every path, must report nothing (exit 0)
        stack_wipe negative   a raw SIMD call without the dispatcher's wipe:
                              the scan must find round keys (exit 0 if it does) */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include "crypto/aes.h"
#include "crypto/aes_internal.h"
#include "crypto/gcm.h"
#include "crypto/chacha20.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

#define STACK_SIZE (256 * 1024)
#define MSG (4096 + 77)                 /* bulk blocks, 8-block steps and a tail */
#define MAX_PAT 8192

static uint8_t stk[STACK_SIZE] __attribute__((aligned(64)));
static ucontext_t main_ctx, op_ctx;
static void (*op_fn)(void);

static struct pat { uint64_t v; const char *what; } pats[MAX_PAT];
static size_t npat;

static void add_pat(const void *p, const char *what)
{
    uint64_t v;
    memcpy(&v, p, 8);
    if (v == 0 || v == ~(uint64_t)0 || npat == MAX_PAT)
        return;
    pats[npat].v = v;
    pats[npat].what = what;
    npat++;
}
static void add_pats(const uint8_t *p, size_t n, const char *what)
{
    for (size_t i = 0; i + 8 <= n; i += 8)
        add_pat(p + i, what);
}
static void add_pair(uint32_t a, uint32_t b, const char *what)
{
    uint32_t w[2] = { a, b };
    add_pat(w, what);
}
static int pat_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct pat *)a)->v, y = ((const struct pat *)b)->v;
    return x < y ? -1 : x > y;
}

static void trampoline(void) { op_fn(); }

/* Runs fn on the zeroed private stack; returns the number of pattern hits. */
static int run_and_scan(void (*fn)(void), const char *name, int quiet)
{
    memset(stk, 0, sizeof stk);
    op_fn = fn;
    getcontext(&op_ctx);
    op_ctx.uc_stack.ss_sp = stk;
    op_ctx.uc_stack.ss_size = sizeof stk;
    op_ctx.uc_link = &main_ctx;
    makecontext(&op_ctx, trampoline, 0);
    swapcontext(&main_ctx, &op_ctx);
    qsort(pats, npat, sizeof pats[0], pat_cmp);
    int hits = 0;
    size_t lowest = sizeof stk;
    for (size_t off = 0; off + 8 <= sizeof stk; off++) {
        uint64_t v;
        memcpy(&v, stk + off, 8);
        if (v == 0)
            continue;
        if (lowest == sizeof stk)
            lowest = off;
        struct pat key = { v, 0 };
        struct pat *m = bsearch(&key, pats, npat, sizeof pats[0], pat_cmp);
        if (m) {
            if (!quiet && hits < 8)
                printf("  %s: %s at %zu bytes below the top\n", name, m->what, sizeof stk - off);
            hits++;
        }
    }
    printf("%-44s %5zu patterns, deepest nonzero byte %6zu: %d left\n", name, npat,
           sizeof stk - lowest, hits);
    return hits;
}

static uint8_t key[32], iv[12], aad[29], pt[MSG], ct[MSG], out[MSG], tag[16], ctr[16];
static aes_key ak;
static gcm_ctx gc;
static chacha20poly1305_ctx cc;
static size_t keylen;
static int op_rc;

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

static void add_aes_key(const aes_key *k)
{
    add_pats(k->rk, 16 * (k->rounds + 1), "AES round key");
}
static void add_ghash_key(const ghash_key *k)
{
    for (int i = 0; i < GHASH_POWERS; i++) {
        add_pats((const uint8_t *)&k->h[i], 16, "GHASH key power");
        uint64_t hk = k->h[i].lo ^ k->h[i].hi;
        add_pat(&hk, "GHASH Karatsuba half");
    }
}
/* keystream = ct ^ pt, as it sits in memory */
static void add_keystream(const uint8_t *a, const uint8_t *b, size_t n, const char *what)
{
    static uint8_t ks[MSG];
    for (size_t i = 0; i < n; i++)
        ks[i] = a[i] ^ b[i];
    add_pats(ks, n, what);
}
/* ChaCha20 keystream and key as the SSE2/AVX2/AVX-512 code holds them:
   vector i has word i of blocks b..b+3 (b..b+7, b..b+15) in its lanes, so
   pairs of neighbouring lanes; key words are broadcast. */
static void add_chacha_lanes(const uint8_t *ks, size_t n)
{
    for (size_t b = 0; b + 256 <= n; b += 256)
        for (int i = 0; i < 16; i++) {
            uint32_t w[4];
            for (int j = 0; j < 4; j++)
                memcpy(&w[j], ks + b + 64 * j + 4 * i, 4);
            add_pair(w[0], w[1], "ChaCha20 keystream (lanes)");
            add_pair(w[2], w[3], "ChaCha20 keystream (lanes)");
        }
    for (int i = 0; i < 8; i++) {
        uint32_t w;
        memcpy(&w, key + 4 * i, 4);
        add_pair(w, w, "ChaCha20 key word (broadcast)");
    }
    add_pats(key, 32, "ChaCha20 key");
}

/* ---- the operations, each run on the private stack ---- */
static void op_aes_ctr(void) { aes_ctr32_xor(&ak, ctr, pt, out, MSG); }
static void op_aes_ctr_raw(void) { aes_ni_ctr32_xor(&ak, ctr, pt, out, MSG); }
static void op_aes_block(void) { aes_encrypt_block(&ak, pt, out); }
static void op_gcm_seal(void) { op_rc = gcm_seal(&gc, iv, 12, aad, sizeof aad, pt, MSG, out, tag, 16); }
static void op_gcm_open(void) { op_rc = gcm_open(&gc, iv, 12, aad, sizeof aad, ct, MSG, tag, 16, out); }
/* the incremental API, a 16-byte IV (J0 by GHASH), data in uneven pieces */
static void op_gcm_incr(void)
{
    gcm_op op;
    op_rc = gcm_start(&op, &gc, key, 16);
    op_rc |= gcm_aad(&op, aad, sizeof aad);
    op_rc |= gcm_encrypt(&op, pt, out, 100);
    op_rc |= gcm_encrypt(&op, pt + 100, out + 100, MSG - 100);
    op_rc |= gcm_finish_seal(&op, tag, 16);
}
static void op_gcm_init(void) { op_rc = gcm_init(&gc, key, keylen); }
static void op_cc_seal(void) { op_rc = chacha20poly1305_seal(&cc, iv, 12, aad, sizeof aad, pt, MSG, out, tag); }
static void op_cc_open(void) { op_rc = chacha20poly1305_open(&cc, iv, 12, aad, sizeof aad, ct, MSG, tag, 16, out); }
static void op_chacha_xor(void) { chacha20_xor(key, 1, iv, pt, out, MSG); }

static int failures;
static void expect_clean(void (*fn)(void), const char *name)
{
    if (run_and_scan(fn, name, 0) != 0 || op_rc != 0) {
        printf("FAIL: %s%s\n", name, op_rc ? " (operation failed)" : "");
        failures++;
    }
}

static void aes_cases(const char *path)
{
    char name[96];
    for (keylen = 16; keylen <= 32; keylen += 8) {
        fill(key, sizeof key, (uint32_t)keylen);
        fill(pt, sizeof pt, 7);
        fill(iv, sizeof iv, 9);
        fill(aad, sizeof aad, 11);
        aes_key_init(&ak, key, keylen);

        npat = 0;
        add_aes_key(&ak);
        add_pats(pt, MSG, "plaintext");
        memset(ctr, 0, 16);
        memcpy(ctr, iv, 12);
        uint8_t c0[16];
        memcpy(c0, ctr, 16);
        aes_ctr32_xor(&ak, c0, pt, ct, MSG);
        add_keystream(pt, ct, MSG, "AES-CTR keystream");
        snprintf(name, sizeof name, "%s aes_ctr32_xor AES-%zu", path, 8 * keylen);
        expect_clean(op_aes_ctr, name);
        snprintf(name, sizeof name, "%s aes_encrypt_block AES-%zu", path, 8 * keylen);
        expect_clean(op_aes_block, name);

        gcm_init(&gc, key, keylen);
        npat = 0;
        add_aes_key(&gc.aes);
        add_ghash_key(&gc.gk);
        add_pats(pt, MSG, "plaintext");
        gcm_seal(&gc, iv, 12, aad, sizeof aad, pt, MSG, ct, tag, 16);
        add_keystream(pt, ct, MSG, "GCM keystream");
        snprintf(name, sizeof name, "%s gcm_init AES-%zu", path, 8 * keylen);
        expect_clean(op_gcm_init, name);
        snprintf(name, sizeof name, "%s gcm_seal AES-%zu", path, 8 * keylen);
        expect_clean(op_gcm_seal, name);
        snprintf(name, sizeof name, "%s gcm_open AES-%zu", path, 8 * keylen);
        expect_clean(op_gcm_open, name);
        if (memcmp(out, pt, MSG) != 0) {
            printf("FAIL: %s: wrong plaintext\n", name);
            failures++;
        }
        uint8_t tag16[16];
        gcm_seal(&gc, key, 16, aad, sizeof aad, pt, MSG, ct, tag16, 16);
        add_keystream(pt, ct, MSG, "GCM keystream (16-byte IV)");
        snprintf(name, sizeof name, "%s gcm_start..finish AES-%zu", path, 8 * keylen);
        expect_clean(op_gcm_incr, name);
        if (memcmp(out, ct, MSG) != 0 || memcmp(tag, tag16, 16) != 0) {
            printf("FAIL: %s: incremental output differs from gcm_seal\n", name);
            failures++;
        }
    }
}

static void chacha_cases(const char *path)
{
    char name[96];
    static uint8_t ks[MSG];
    fill(key, sizeof key, 3);
    fill(pt, sizeof pt, 5);
    fill(iv, sizeof iv, 13);
    fill(aad, sizeof aad, 17);
    chacha20poly1305_init(&cc, key, 32);

    npat = 0;
    add_pats(pt, MSG, "plaintext");
    memset(ks, 0, sizeof ks);
    chacha20_xor(key, 1, iv, ks, ks, MSG);       /* the AEAD's keystream, counter 1 */
    add_pats(ks, MSG, "ChaCha20 keystream");
    add_chacha_lanes(ks, MSG);
    uint8_t otk[64];
    chacha20_block(key, 0, iv, otk);
    add_pats(otk, 32, "Poly1305 one-time key");
    chacha20poly1305_seal(&cc, iv, 12, aad, sizeof aad, pt, MSG, ct, tag);
    snprintf(name, sizeof name, "%s chacha20_xor", path);
    expect_clean(op_chacha_xor, name);
    snprintf(name, sizeof name, "%s chacha20poly1305_seal", path);
    expect_clean(op_cc_seal, name);
    snprintf(name, sizeof name, "%s chacha20poly1305_open", path);
    expect_clean(op_cc_open, name);
    if (memcmp(out, pt, MSG) != 0) {
        printf("FAIL: %s: wrong plaintext\n", name);
        failures++;
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "negative") == 0) {
        crypto_set_impl(CRYPTO_IMPL_AUTO);
        if (!crypto_use_aesni()) {
            printf("stack_wipe negative: no AES-NI here, nothing to show\n");
            return 0;
        }
        keylen = 32;
        fill(key, sizeof key, 1);
        fill(pt, sizeof pt, 2);
        aes_key_init(&ak, key, keylen);
        npat = 0;
        add_aes_key(&ak);
        memset(ctr, 0, 16);
        int hits = run_and_scan(op_aes_ctr_raw, "negative: aes_ni_ctr32_xor, no wipe", 1);
        if (hits == 0) {
            printf("stack_wipe: negative control NOT detected\n");
            return 1;
        }
        printf("stack_wipe: negative control detected (expected)\n");
        return 0;
    }
    /* chacha: the ChaCha20 path cap; the auto rows with a lower cap run
       the AVX2 and SSE2 ChaCha20 paths too (and AES again) */
    struct { enum crypto_impl impl; int vaes; enum crypto_chacha_path chacha; const char *name; } paths[] = {
        { CRYPTO_IMPL_AUTO, 1, CRYPTO_CHACHA_AVX512, "auto+vaes" },
        { CRYPTO_IMPL_AUTO, 0, CRYPTO_CHACHA_AVX512, "auto" },
        { CRYPTO_IMPL_AUTO, 0, CRYPTO_CHACHA_AVX2, "auto chacha<=avx2" },
        { CRYPTO_IMPL_AUTO, 0, CRYPTO_CHACHA_SSE2, "auto chacha<=sse2" },
        { CRYPTO_IMPL_EMULATED, 0, CRYPTO_CHACHA_AVX512, "emulated" },
        { CRYPTO_IMPL_PORTABLE, 0, CRYPTO_CHACHA_AVX512, "portable" },
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        crypto_set_impl(paths[i].impl);
        crypto_set_vaes(paths[i].vaes);
        crypto_set_chacha_max(paths[i].chacha);
        if (paths[i].vaes && !crypto_use_vaes()) {
            printf("%s: no VAES/VPCLMULQDQ on this CPU, skipped\n", paths[i].name);
            continue;
        }
        printf("-- %s: %s\n", paths[i].name, crypto_impl_describe());
        aes_cases(paths[i].name);
        chacha_cases(paths[i].name);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    crypto_set_vaes(1);
    crypto_set_chacha_max(CRYPTO_CHACHA_AVX512);
    if (failures) {
        printf("stack_wipe: %d operation(s) left secrets on the stack\n", failures);
        return 1;
    }
    printf("stack_wipe: no secret left on the stack by any path\n");
    return 0;
}
