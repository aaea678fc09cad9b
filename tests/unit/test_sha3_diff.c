/* Differential test: crypto/sha3.h against the host's OpenSSL (EVP_sha3_256,
   EVP_sha3_512, EVP_shake128, EVP_shake256) on random messages of random
   lengths, absorbed in random pieces, with random output lengths squeezed
   in random pieces. */
#include "unit.h"
#include <openssl/evp.h>
#include "crypto/sha3.h"

static uint32_t rnd_state = 0x12345678;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

static void ossl(const EVP_MD *md, const uint8_t *in, size_t n, uint8_t *out, size_t outlen, int xof)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    assert_non_null(c);
    assert_int_equal(EVP_DigestInit_ex(c, md, NULL), 1);
    assert_int_equal(EVP_DigestUpdate(c, in, n), 1);
    if (xof)
        assert_int_equal(EVP_DigestFinalXOF(c, out, outlen), 1);
    else
        assert_int_equal(EVP_DigestFinal_ex(c, out, NULL), 1);
    EVP_MD_CTX_free(c);
}

static void test_vs_openssl(void **state)
{
    (void)state;
    static uint8_t msg[3000], a[2000], b[2000];
    int count[4] = {0};
    for (int iter = 0; iter < 4000; iter++) {
        int alg = iter % 4;
        size_t n = rnd() % sizeof msg, outlen = alg < 2 ? (alg ? 64 : 32) : 1 + rnd() % sizeof a;
        for (size_t i = 0; i < n; i++)
            msg[i] = (uint8_t)rnd();
        struct keccak_ctx c;
        const EVP_MD *md;
        switch (alg) {
        case 0: sha3_256_init(&c); md = EVP_sha3_256(); break;
        case 1: sha3_512_init(&c); md = EVP_sha3_512(); break;
        case 2: shake128_init(&c); md = EVP_shake128(); break;
        default: shake256_init(&c); md = EVP_shake256(); break;
        }
        for (size_t off = 0; off < n;) {
            size_t k = rnd() % 400;
            if (k > n - off)
                k = n - off;
            keccak_absorb(&c, msg + off, k);
            off += k;
        }
        for (size_t off = 0; off < outlen;) {
            size_t k = 1 + rnd() % 300;
            if (k > outlen - off)
                k = outlen - off;
            keccak_squeeze(&c, a + off, k);
            off += k;
        }
        ossl(md, msg, n, b, outlen, alg >= 2);
        assert_memory_equal(a, b, outlen);
        count[alg]++;
    }
    print_message("sha3 vs OpenSSL: SHA3-256 %d, SHA3-512 %d, SHAKE128 %d, SHAKE256 %d random cases agree\n",
                  count[0], count[1], count[2], count[3]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vs_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
