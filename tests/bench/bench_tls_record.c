/* Bulk record decryption throughput of the TLS engine's record layer
   (rec_open on full 2^14-byte records, the path every received byte takes)
   against OpenSSL's EVP AEAD on the same records, per cipher suite.
   Ours and OpenSSL's alternate ROUNDS times, SECS each, and each keeps its
   best round, so load from other processes on the shared machine skews the
   ratio less. Prints MB/s for both and the ratio, and writes each suite's
   row to BENCH_ROWS_DIR/tls_record.tsv (bench_rows.h) for the table
   `make bench` prints. Host benchmark only (links -lcrypto). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include "tls/record.h"
#include "bench_rows.h"

#define REC 16384
#define SECS 0.2
#define ROUNDS 5
#define NREC 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const EVP_CIPHER *evp(int id)
{
    return id == TLS_AEAD_AES128_GCM ? EVP_aes_128_gcm() : id == TLS_AEAD_AES256_GCM ? EVP_aes_256_gcm()
                                                                             : EVP_chacha20_poly1305();
}

static uint8_t recs[NREC][5 + REC + 1 + 16], work[5 + REC + 1 + 16], key[32], iv[12];

/* MB/s of rec_open over the NREC sealed records (sequence numbers 0..NREC-1,
   again and again) for SECS; -1 when a record does not open. */
static double ours_round(int id, size_t keylen, size_t rl)
{
    struct tls_rec_keys r;
    rec_set_keys(&r, id, key, keylen, iv);
    double t0 = now_s(), t;
    size_t bytes = 0;
    int n = 0;
    do {
        memcpy(work, recs[n % NREC], rl);
        uint8_t type;
        size_t pl;
        if (r.seq % NREC != (uint64_t)(n % NREC) || rec_open(&r, work, rl - 5, &type, &pl) || pl != REC) {
            rec_wipe(&r);
            return -1;
        }
        if (r.seq % NREC == 0)
            r.seq = 0;
        bytes += REC;
        n++;
    } while ((t = now_s() - t0) < SECS);
    rec_wipe(&r);
    return bytes / t / 1e6;
}

/* The same records, the same nonces, through OpenSSL's EVP; -1 on failure. */
static double ossl_round(EVP_CIPHER_CTX *x, size_t rl)
{
    double t0 = now_s(), t;
    size_t bytes = 0;
    int n = 0;
    do {
        uint8_t nonce[12];
        int k = n % NREC, l;
        memcpy(nonce, iv, 12);
        nonce[11] ^= (uint8_t)k;
        memcpy(work, recs[k], rl);
        EVP_DecryptInit_ex(x, NULL, NULL, NULL, nonce);
        EVP_DecryptUpdate(x, NULL, &l, work, 5);
        EVP_DecryptUpdate(x, work + 5, &l, work + 5, (int)(rl - 5 - 16));
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 16, work + rl - 16);
        if (EVP_DecryptFinal_ex(x, work + 5 + l, &l) <= 0)
            return -1;
        bytes += REC;
        n++;
    } while ((t = now_s() - t0) < SECS);
    return bytes / t / 1e6;
}

int main(void)
{
    static const struct { int id; const char *name, *row; size_t keylen; } s[] = {
        { TLS_AEAD_AES128_GCM, "TLS_AES_128_GCM_SHA256", "tls-record-aes128gcm", 16 },
        { TLS_AEAD_AES256_GCM, "TLS_AES_256_GCM_SHA384", "tls-record-aes256gcm", 32 },
        { TLS_AEAD_CHACHA20_POLY1305, "TLS_CHACHA20_POLY1305_SHA256", "tls-record-chacha20poly1305", 32 },
    };
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 7 + 1);
    memset(iv, 0x33, sizeof iv);
    for (size_t si = 0; si < 3; si++) {
        struct tls_rec_keys w;
        if (!tls_aead_supported(s[si].id)) {
            printf("bench-tls record decrypt %-30s not in this build\n", s[si].name);
            continue;
        }
        rec_set_keys(&w, s[si].id, key, s[si].keylen, iv);
        size_t rl = 0;
        for (int i = 0; i < NREC; i++) {
            memset(recs[i] + 5, 'a' + i % 26, REC);
            rl = rec_seal(&w, 23, recs[i], REC, 0);
        }
        rec_wipe(&w);
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        EVP_DecryptInit_ex(x, evp(s[si].id), NULL, key, NULL);
        double ours = 0, theirs = 0;
        for (int r = 0; r < ROUNDS; r++) {
            double a = ours_round(s[si].id, s[si].keylen, rl), b = ossl_round(x, rl);
            if (a < 0 || b < 0) {
                fprintf(stderr, "bench: %s decrypt failed (%s)\n", a < 0 ? "our" : "openssl", s[si].name);
                EVP_CIPHER_CTX_free(x);
                return 1;
            }
            ours = a > ours ? a : ours;
            theirs = b > theirs ? b : theirs;
        }
        EVP_CIPHER_CTX_free(x);
        printf("bench-tls record decrypt %-30s ours %8.1f MB/s  openssl %8.1f MB/s  ratio %.2f\n",
               s[si].name, ours, theirs, ours / theirs);
        bench_row("tls_record", s[si].row, ours, theirs, "MB/s");
    }
    return 0;
}
