/* Post-quantum benchmark (make bench-pq): SHA3-256 and SHAKE128 throughput
   beside the host OpenSSL's (EVP_sha3_256, EVP_shake128) in the same run,
   and ML-KEM-768 keygen / encaps / decaps in ops/s (OpenSSL 3.0 has no
   ML-KEM, so those rows have no reference). Built -O2 against
   build/hostrel/libos.a (no sanitizers); CPU time of this thread.
   `bench_pq mlkem` prints the ML-KEM rows only (make bench-mlkem reads
   them and sets them beside OpenSSL 3.5's from the Debian 13 root). The
   SHA-3 rows also go to BENCH_ROWS_DIR/pq.tsv (bench_rows.h) for the table
   `make bench` prints. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include "crypto/sha3.h"
#include "crypto/mlkem.h"
#include "bench_rows.h"

#define MIN_SECONDS 0.3

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint8_t buf[16384], out[64];
static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], ct[MLKEM768_CT_BYTES], ss[32];

/* Runs op until MIN_SECONDS passed; returns operations per second. */
static double rate(void (*op)(size_t), size_t n)
{
    long ops = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < 8; i++)
            op(n);
        ops += 8;
        t = now() - t0;
    } while (t < MIN_SECONDS);
    return ops / t;
}

static void ours_sha3(size_t n) { sha3_256(buf, n, out); }
static void ours_shake(size_t n) { shake128(buf, n, out, 32); }
static void ossl(const EVP_MD *md, size_t n, int xof)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, md, NULL);
    EVP_DigestUpdate(c, buf, n);
    if (xof)
        EVP_DigestFinalXOF(c, out, 32);
    else
        EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}
static void ossl_sha3(size_t n) { ossl(EVP_sha3_256(), n, 0); }
static void ossl_shake(size_t n) { ossl(EVP_shake128(), n, 1); }
static void kem_keygen(size_t n) { (void)n; mlkem768_keygen(ek, dk, buf, buf + 32); }
static void kem_encaps(size_t n) { (void)n; mlkem768_encaps(ss, ct, ek, sizeof ek, buf + 64); }
static void kem_decaps(size_t n) { (void)n; mlkem768_decaps(ss, ct, sizeof ct, dk, sizeof dk); }

static void bench_sha3(void)
{
    printf("post-quantum benchmark (MB/s = 10^6 bytes/s)\n");
    printf("%-22s %7s %12s %12s %7s\n", "primitive", "bytes", "ours MB/s", "OpenSSL MB/s", "ratio");
    static const size_t sizes[] = {64, 1184, 16384};
    static const char *const ids[2][3] = {
        {"sha3-256-64", "sha3-256-1184", "sha3-256-16k"},
        {"shake128-64", "shake128-1184", "shake128-16k"},
    };
    for (int a = 0; a < 2; a++)
        for (size_t s = 0; s < 3; s++) {
            double o = rate(a ? ours_shake : ours_sha3, sizes[s]) * sizes[s] / 1e6;
            double t = rate(a ? ossl_shake : ossl_sha3, sizes[s]) * sizes[s] / 1e6;
            printf("%-22s %7zu %12.1f %12.1f %7.2f\n", a ? "SHAKE128 (32 B out)" : "SHA3-256", sizes[s], o, t, o / t);
            bench_row("pq", ids[a][s], o, t, "MB/s");
        }
}

int main(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    if (!(argc > 1 && !strcmp(argv[1], "mlkem")))
        bench_sha3();
    kem_keygen(0);
    printf("%-22s %12s\n", "ML-KEM-768", "ops/s");
    printf("%-22s %12.0f\n", "  keygen", rate(kem_keygen, 0));
    printf("%-22s %12.0f\n", "  encaps", rate(kem_encaps, 0));
    printf("%-22s %12.0f\n", "  decaps", rate(kem_decaps, 0));
    return 0;
}
