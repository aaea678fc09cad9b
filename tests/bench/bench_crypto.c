/* Throughput of the symmetric primitives vs OpenSSL (EVP), measured in the
   same run: MB/s (10^6 bytes/s) for each (primitive, message size), and the
   ratio ours/OpenSSL. Rows are a table of {name, size, ours, openssl}
   callbacks so other benches can reuse the layout. The machine is shared
   with builds and emulators, so each cell is the fastest of many short
   batches (~100 us, shorter than a scheduler time slice), ours and
   OpenSSL's alternating: a batch that was preempted or ran beside a busy
   neighbour is slower and drops out, and both sides see the same load.
   Each row also goes to BENCH_ROWS_DIR/crypto.tsv (bench_rows.h) for the
   table `make bench` prints with the targets (tests/bench/targets.tsv).
   Usage: bench_crypto [seconds-per-cell, default 0.2] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "crypto/sha2.h"
#include "crypto/aead.h"
#include "crypto/impl.h"
#include "crypto/hmac.h"
#include "bench_rows.h"

static uint8_t buf[16384 + 16], out[16384 + 16];
static const uint8_t key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
static const uint8_t nonce[12] = { 9, 9, 9 };
static const uint8_t aad[13] = { 0x17, 3, 3 };
static aead_ctx g_aead;
static EVP_CIPHER_CTX *g_evp;
static volatile uint8_t sink;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef void (*op_fn)(size_t n);

static void our_sha256(size_t n) { uint8_t d[32]; sha256(buf, n, d); sink ^= d[0]; }
static void ossl_sha256(size_t n)
{
    uint8_t d[32];
    unsigned l;
    EVP_Digest(buf, n, d, &l, EVP_sha256(), NULL);
    sink ^= d[0];
}
static void our_sha384(size_t n) { uint8_t d[48]; sha384(buf, n, d); sink ^= d[0]; }
static void ossl_sha384(size_t n)
{
    uint8_t d[48];
    unsigned l;
    EVP_Digest(buf, n, d, &l, EVP_sha384(), NULL);
    sink ^= d[0];
}
/* HMAC-SHA-256 with a 32-byte key, key set-up included (as HKDF uses it) */
static void our_hmac(size_t n) { uint8_t d[32]; hmac(&hash_sha256, key, 32, buf, n, d); sink ^= d[0]; }
static void ossl_hmac(size_t n)
{
    uint8_t d[32];
    unsigned l;
    HMAC(EVP_sha256(), key, 32, buf, n, d, &l);
    sink ^= d[0];
}
static void our_aead(size_t n) { aead_seal(&g_aead, nonce, aad, sizeof aad, buf, n, out); sink ^= out[n]; }
static void ossl_aead(size_t n)
{
    int l;
    EVP_EncryptInit_ex(g_evp, NULL, NULL, NULL, nonce);
    EVP_EncryptUpdate(g_evp, NULL, &l, aad, sizeof aad);
    EVP_EncryptUpdate(g_evp, out, &l, buf, (int)n);
    EVP_EncryptFinal_ex(g_evp, out + n, &l);
    EVP_CIPHER_CTX_ctrl(g_evp, EVP_CTRL_AEAD_GET_TAG, 16, out + n);
    sink ^= out[n];
}

/* open: sealed[] holds a valid ciphertext || tag of the row's size */
static uint8_t sealed[16384 + 16];
static EVP_CIPHER_CTX *g_evp_dec;
static void our_open(size_t n)
{
    if (aead_open(&g_aead, nonce, aad, sizeof aad, sealed, n + 16, out) != 0)
        abort();
    sink ^= out[0];
}
static void ossl_open(size_t n)
{
    int l;
    EVP_DecryptInit_ex(g_evp_dec, NULL, NULL, NULL, nonce);
    EVP_DecryptUpdate(g_evp_dec, NULL, &l, aad, sizeof aad);
    EVP_DecryptUpdate(g_evp_dec, out, &l, sealed, (int)n);
    EVP_CIPHER_CTX_ctrl(g_evp_dec, EVP_CTRL_AEAD_SET_TAG, 16, sealed + n);
    if (EVP_DecryptFinal_ex(g_evp_dec, out + n, &l) != 1)
        abort();
    sink ^= out[0];
}

static double secs = 0.2;

/* Seconds per call of f over one batch of n calls. */
static double batch_time(op_fn f, size_t size, long n)
{
    double t0 = now();
    for (long i = 0; i < n; i++)
        f(size);
    return (now() - t0) / (double)n;
}

/* MB/s of a and b from their fastest ~100 us batches, alternating for
   secs in all. */
static void measure_pair(op_fn a, op_fn b, size_t size, double *ra, double *rb)
{
    a(size); b(size);                       /* warm up */
    double one = batch_time(a, size, 1);
    long n = one > 0 ? (long)(100e-6 / one) : 1;
    if (n < 1)
        n = 1;
    double best_a = 1e30, best_b = 1e30, t0 = now();
    do {
        double ta = batch_time(a, size, n), tb = batch_time(b, size, n);
        best_a = ta < best_a ? ta : best_a;
        best_b = tb < best_b ? tb : best_b;
    } while (now() - t0 < secs);
    *ra = (double)size / best_a / 1e6;
    *rb = (double)size / best_b / 1e6;
}

struct row {
    const char *id;          /* row id in crypto.tsv and tests/bench/targets.tsv */
    const char *name;
    size_t size;
    int aead;                /* -1: hash; else enum aead_id */
    enum crypto_impl impl;
    op_fn ours, ossl;
};

static void setup(const struct row *r)
{
    crypto_set_impl(r->impl);
    if (r->aead < 0)
        return;
    enum aead_id id = (enum aead_id)r->aead;
    aead_init(&g_aead, id, key, aead_key_len(id));
    const EVP_CIPHER *c = id == AEAD_AES128_GCM ? EVP_aes_128_gcm()
                        : id == AEAD_AES256_GCM ? EVP_aes_256_gcm() : EVP_chacha20_poly1305();
    EVP_EncryptInit_ex(g_evp, c, NULL, key, nonce);
    EVP_DecryptInit_ex(g_evp_dec, c, NULL, key, nonce);
    aead_seal(&g_aead, nonce, aad, sizeof aad, buf, r->size, sealed);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        secs = atof(argv[1]);
    g_evp = EVP_CIPHER_CTX_new();
    g_evp_dec = EVP_CIPHER_CTX_new();
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)i;
    const struct row rows[] = {
        { "sha256-16", "SHA-256", 16, -1, CRYPTO_IMPL_AUTO, our_sha256, ossl_sha256 },
        { "sha256-1k", "SHA-256", 1024, -1, CRYPTO_IMPL_AUTO, our_sha256, ossl_sha256 },
        { "sha256-16k", "SHA-256", 16384, -1, CRYPTO_IMPL_AUTO, our_sha256, ossl_sha256 },
        { "sha384-16k", "SHA-384", 16384, -1, CRYPTO_IMPL_AUTO, our_sha384, ossl_sha384 },
        { "hmac-sha256-64", "HMAC-SHA-256", 64, -1, CRYPTO_IMPL_AUTO, our_hmac, ossl_hmac },
        { "aes128gcm-seal-16", "AES-128-GCM seal", 16, AEAD_AES128_GCM, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "aes128gcm-seal-1k", "AES-128-GCM seal", 1024, AEAD_AES128_GCM, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "aes128gcm-seal-16k", "AES-128-GCM seal", 16384, AEAD_AES128_GCM, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "aes128gcm-open-16k", "AES-128-GCM open", 16384, AEAD_AES128_GCM, CRYPTO_IMPL_AUTO, our_open, ossl_open },
        { "aes256gcm-seal-16k", "AES-256-GCM seal", 16384, AEAD_AES256_GCM, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "aes256gcm-open-16k", "AES-256-GCM open", 16384, AEAD_AES256_GCM, CRYPTO_IMPL_AUTO, our_open, ossl_open },
        { "chacha20poly1305-seal-1k", "ChaCha20-Poly1305 seal", 1024, AEAD_CHACHA20_POLY1305, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "chacha20poly1305-seal-16k", "ChaCha20-Poly1305 seal", 16384, AEAD_CHACHA20_POLY1305, CRYPTO_IMPL_AUTO, our_aead, ossl_aead },
        { "chacha20poly1305-open-16k", "ChaCha20-Poly1305 open", 16384, AEAD_CHACHA20_POLY1305, CRYPTO_IMPL_AUTO, our_open, ossl_open },
        { "chacha20poly1305-open-16k-portable", "ChaCha20-Poly1305 open [portable]", 16384, AEAD_CHACHA20_POLY1305, CRYPTO_IMPL_PORTABLE, our_open, ossl_open },
        { "sha256-16k-portable", "SHA-256 [portable]", 16384, -1, CRYPTO_IMPL_PORTABLE, our_sha256, ossl_sha256 },
        { "aes128gcm-seal-16k-portable", "AES-128-GCM seal [portable]", 16384, AEAD_AES128_GCM, CRYPTO_IMPL_PORTABLE, our_aead, ossl_aead },
    };
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    printf("crypto symmetric benchmark (MB/s = 10^6 bytes/s, fastest ~100 us batch in %.2f s per cell; ours: %s)\n",
           secs, crypto_impl_describe());
    printf("%-34s %7s %12s %12s %7s\n", "primitive", "bytes", "ours MB/s", "OpenSSL MB/s", "ratio");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        setup(r);
        double o, s;
        measure_pair(r->ours, r->ossl, r->size, &o, &s);
        printf("%-34s %7zu %12.1f %12.1f %7.2f\n", r->name, r->size, o, s, o / s);
        bench_row("crypto", r->id, o, s, "MB/s");
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    aead_wipe(&g_aead);
    EVP_CIPHER_CTX_free(g_evp);
    EVP_CIPHER_CTX_free(g_evp_dec);
    return 0;
}
