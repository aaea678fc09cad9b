/* ML-KEM-768 from the command line, for the differential test against
   OpenSSL 3.5 (tests/integration/test_mlkem_ossl.py). Every input and output
   is hex, so the test needs no temporary files on our side:

     mlkem_tool keygen SEED         SEED = d || z (64 bytes)  -> "ek HEX", "dk HEX"
     mlkem_tool encaps EK M         M = 32 bytes              -> "ct HEX", "ss HEX"
     mlkem_tool decaps DK CT                                  -> "ss HEX"

   Lengths are passed through as given, so a short ciphertext or key reaches
   the library's own length checks. Exit status 0 on success, 2 with
   "error NAME" on stdout when the library refuses, 1 on a usage error.
   Built with the sanitized build/host/libos.a. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crypto/mlkem.h"

#define MAX_IN 4096

static int unhex(const char *s, uint8_t *out, size_t *out_len)
{
    size_t n = strlen(s);
    if (n % 2 || n / 2 > MAX_IN)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    *out_len = n / 2;
    return 0;
}

static void put(const char *name, const uint8_t *p, size_t n)
{
    printf("%s ", name);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static int fail(enum crypto_err e)
{
    printf("error %s\n", crypto_err_str(e));
    return 2;
}

static int usage(void)
{
    fprintf(stderr, "usage: mlkem_tool keygen SEED | encaps EK M | decaps DK CT (hex)\n");
    return 1;
}

int main(int argc, char **argv)
{
    static uint8_t a[MAX_IN], b[MAX_IN];
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], ct[MLKEM768_CT_BYTES];
    uint8_t ss[MLKEM768_SS_BYTES];
    size_t a_len = 0, b_len = 0;
    enum crypto_err e;

    if (argc < 3 || unhex(argv[2], a, &a_len) != 0)
        return usage();
    if (!strcmp(argv[1], "keygen") && argc == 3) {
        e = mlkem768_keygen_seed(ek, dk, a, a_len);
        if (e != CRYPTO_OK)
            return fail(e);
        put("ek", ek, sizeof ek);
        put("dk", dk, sizeof dk);
        return 0;
    }
    if (argc != 4 || unhex(argv[3], b, &b_len) != 0)
        return usage();
    if (!strcmp(argv[1], "encaps")) {
        if (b_len != 32)
            return usage();
        e = mlkem768_encaps(ss, ct, a, a_len, b);
        if (e != CRYPTO_OK)
            return fail(e);
        put("ct", ct, sizeof ct);
        put("ss", ss, sizeof ss);
        return 0;
    }
    if (!strcmp(argv[1], "decaps")) {
        e = mlkem768_decaps(ss, b, b_len, a, a_len);
        if (e != CRYPTO_OK)
            return fail(e);
        put("ss", ss, sizeof ss);
        return 0;
    }
    return usage();
}
