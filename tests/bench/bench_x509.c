/* make bench-x509: time X.509 parsing and chain verification (host, -O2, no
   sanitizers) on the certificates tests/certs/mkcerts.py crafts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tls/x509.h"

#define DIR "build/host/x509certs/"

static uint8_t *load(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, DIR "%s.der", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_x509: cannot open %s\n", path);
        exit(1);
    }
    static uint8_t pool[16][8192];
    static int used;
    uint8_t *p = pool[used++ % 16];
    *len = fread(p, 1, 8192, f);
    fclose(f);
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void bench_chain(const char *label, const char *leaf, const char *inter, const char *root,
                        const char *host, int iters)
{
    size_t ll, il, rl;
    const uint8_t *l = load(leaf, &ll), *i = load(inter, &il), *r = load(root, &rl);
    struct x509_anchor a;
    if (x509_anchor_from_cert(&a, r, rl)) {
        fprintf(stderr, "bench_x509: bad root %s\n", root);
        exit(1);
    }
    struct x509_trust t = {&a, 1, NULL, 0};
    const uint8_t *certs[2] = {l, i};
    size_t lens[2] = {ll, il};
    struct x509_pubkey k;
    int64_t now = (int64_t)time(NULL);
    double t0 = now_ms();
    for (int n = 0; n < iters; n++)
        if (x509_verify_chain(certs, lens, 2, host, now, &t, &k) != X509_OK) {
            fprintf(stderr, "bench_x509: %s did not verify\n", label);
            exit(1);
        }
    printf("x509_verify_chain %-34s %8.3f ms\n", label, (now_ms() - t0) / iters);
}

int main(void)
{
    size_t len;
    const uint8_t *der = load("leaf_rsa", &len);
    struct x509_cert c;
    int iters = 20000;
    double t0 = now_ms();
    for (int n = 0; n < iters; n++)
        if (x509_parse(&c, der, len) != X509_OK)
            return 1;
    printf("x509_parse (RSA-2048 leaf, %zu bytes)        %8.3f us\n", len, (now_ms() - t0) * 1e3 / iters);
    bench_chain("(RSA-2048 leaf <- RSA-2048 <- RSA)", "leaf_rsa", "inter_rsa", "root_rsa",
                "www.example.test", 200);
    bench_chain("(RSA-4096 leaf <- RSA-2048 <- RSA)", "leaf_rsa4096", "inter_rsa", "root_rsa",
                "big.example.test", 200);
    bench_chain("(P-256 leaf <- P-256 <- P-384)", "leaf_ec256", "inter_ec", "root_ec",
                "ec.example.test", 50);
    bench_chain("(RSA-PSS leaf <- RSA-2048 <- RSA)", "leaf_pss256", "inter_rsa", "root_rsa",
                "pss.example.test", 200);
    return 0;
}
