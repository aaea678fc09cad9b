/* Constant-time check (ctgrind) for SHA-3/SHAKE and ML-KEM-768: the secrets
   are marked undefined with valgrind memcheck client requests, so a branch
   or a memory index that depends on them is reported; run under
   `valgrind --error-exitcode=1`. Secrets: the keygen seeds d and z, the
   encapsulation message m, and in decapsulation the secret parts of dk
   (dk_PKE and z; ek and H(ek) inside dk are public), for a valid ciphertext
   and for corrupted ones (the implicit-rejection path). Outputs are marked
   defined before the harness compares them. Divisions are not visible to
   memcheck; crypto/module.mk checks separately that the ML-KEM objects hold
   no div instruction (KyberSlash).
   `negative`: a decoder that rounds a secret coefficient with branches, the
   classic leak; valgrind must report it. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>
#include "crypto/mlkem.h"
#include "crypto/sha3.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 29 + i * 13 + 3);
}

/* Compress_1 written with comparisons and a branch on the coefficient. */
static int __attribute__((noinline)) leaky_compress1(const uint16_t *w, uint8_t *out)
{
    int ones = 0;
    for (int i = 0; i < 8; i++) {
        if (w[i] > 832 && w[i] < 2497) {
            out[0] |= (uint8_t)(1u << i);
            ones++;
        }
    }
    return ones;
}

int main(int argc, char **argv)
{
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], ct[MLKEM768_CT_BYTES], bad[MLKEM768_CT_BYTES];
    uint8_t d[32], z[32], m[32], k1[32], k2[32], out[64];
    int fails = 0;
    if (argc > 1 && !strcmp(argv[1], "negative")) {
        uint16_t w[8] = {1, 900, 1700, 2600, 3000, 100, 1664, 2000};
        uint8_t o = 0;
        SECRET(w, sizeof w);
        int v = leaky_compress1(w, &o);
        PUBLIC(&v, sizeof v);
        PUBLIC(&o, 1);
        printf("ct_mlkem negative: %d %d\n", v, o);
        return 0;
    }
    /* SHA-3 / SHAKE on a secret input */
    fill(d, 32, 9);
    SECRET(d, 32);
    sha3_256(d, 32, out);
    sha3_512(d, 32, out);
    shake128(d, 32, out, 64);
    shake256(d, 32, out, 64);
    PUBLIC(out, sizeof out);
    for (int round = 0; round < 2; round++) {
        fill(d, 32, (uint8_t)(round + 1));
        fill(z, 32, (uint8_t)(round + 5));
        fill(m, 32, (uint8_t)(round + 11));
        SECRET(d, 32);
        SECRET(z, 32);
        mlkem768_keygen(ek, dk, d, z);
        PUBLIC(ek, sizeof ek);
        PUBLIC(dk, sizeof dk);
        SECRET(m, 32);
        enum crypto_err rc = mlkem768_encaps(k1, ct, ek, sizeof ek, m);
        PUBLIC(&rc, sizeof rc);
        PUBLIC(k1, 32);
        PUBLIC(ct, sizeof ct);
        fails += rc != CRYPTO_OK;
        for (int kind = 0; kind < 3; kind++) {
            memcpy(bad, ct, sizeof bad);
            if (kind == 1)
                bad[round * 500 + 7] ^= 0x10;
            else if (kind == 2)
                bad[sizeof bad - 1] ^= 0x01;
            SECRET(dk, 1152);                   /* dk_PKE */
            SECRET(dk + MLKEM768_DK_BYTES - 32, 32); /* z */
            rc = mlkem768_decaps(k2, bad, sizeof bad, dk, sizeof dk);
            PUBLIC(&rc, sizeof rc);
            PUBLIC(k2, 32);
            PUBLIC(dk, sizeof dk);
            fails += rc != CRYPTO_OK || (memcmp(k1, k2, 32) == 0) != (kind == 0);
        }
    }
    printf("ct_mlkem: %s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}
