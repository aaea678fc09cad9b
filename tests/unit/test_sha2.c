/* SHA-256/384/512: NIST CAVP ShortMsg/LongMsg/Monte (SHA-256, SHA-384),
   FIPS 180-2 examples (SHA-512), incremental vs one-shot, portable vs SHA-NI. */
#include "vec.h"
#include "crypto/sha2.h"
#include "crypto/hash.h"
#include "crypto/impl.h"

static const enum crypto_impl impls[] = { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE };

struct msg_arg { const struct hash_alg *alg; int n, bytewise; };

static void msg_rec(const struct vec_rsp_rec *r, void *arg)
{
    struct msg_arg *a = arg;
    const char *L = vec_rsp_get(r, "Len"), *M = vec_rsp_get(r, "Msg"), *D = vec_rsp_get(r, "MD");
    if (!L || !M || !D)
        return;
    size_t mlen, dlen;
    uint8_t *msg = vec_hex(M, &mlen), *md = vec_hex(D, &dlen), out[64];
    mlen = (size_t)atol(L) / 8;
    assert_int_equal(dlen, a->alg->digest_len);
    hash_digest(a->alg, msg, mlen, out);
    assert_memory_equal(out, md, dlen);
    if (a->bytewise) {
        hash_ctx c;
        a->alg->init(&c);
        for (size_t i = 0; i < mlen; i++)
            a->alg->update(&c, msg + i, 1);
        a->alg->final(&c, out);
        assert_memory_equal(out, md, dlen);
    }
    a->n++;
    free(msg);
    free(md);
}

static void run_msg(const char *file, const struct hash_alg *alg, int bytewise)
{
    for (size_t i = 0; i < 2; i++) {
        crypto_set_impl(impls[i]);
        struct msg_arg a = { alg, 0, bytewise };
        vec_rsp_each(file, msg_rec, &a);
        assert_true(a.n >= 64);
        printf("%s [%s]: %d/%d passed\n", file, i ? "portable" : "auto", a.n, a.n);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

struct monte_arg { const struct hash_alg *alg; uint8_t seed[64]; int have_seed, n; };

/* SHAVS Monte Carlo: MD0=MD1=MD2=Seed; MDi = H(MDi-3||MDi-2||MDi-1), i=3..1002. */
static void monte_rec(const struct vec_rsp_rec *r, void *arg)
{
    struct monte_arg *a = arg;
    size_t dl = a->alg->digest_len, l;
    const char *s = vec_rsp_get(r, "Seed"), *D = vec_rsp_get(r, "MD");
    if (s) {
        uint8_t *b = vec_hex(s, &l);
        assert_int_equal(l, dl);
        memcpy(a->seed, b, dl);
        a->have_seed = 1;
        free(b);
        return;
    }
    if (!D)
        return;
    assert_true(a->have_seed);
    uint8_t md[3][64], m[192];
    for (int k = 0; k < 3; k++)
        memcpy(md[k], a->seed, dl);
    for (int i = 3; i < 1003; i++) {
        memcpy(m, md[0], dl);
        memcpy(m + dl, md[1], dl);
        memcpy(m + 2 * dl, md[2], dl);
        memcpy(md[0], md[1], dl);
        memcpy(md[1], md[2], dl);
        hash_digest(a->alg, m, 3 * dl, md[2]);
    }
    memcpy(a->seed, md[2], dl);
    uint8_t *exp = vec_hex(D, &l);
    assert_memory_equal(md[2], exp, dl);
    free(exp);
    a->n++;
}

static void run_monte(const char *file, const struct hash_alg *alg)
{
    for (size_t i = 0; i < 2; i++) {
        crypto_set_impl(impls[i]);
        struct monte_arg a = { .alg = alg };
        vec_rsp_each(file, monte_rec, &a);
        assert_int_equal(a.n, 100);
        printf("%s [%s]: %d/%d passed\n", file, i ? "portable" : "auto", a.n, a.n);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_sha256_short(void **s) { (void)s; run_msg(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA256ShortMsg.rsp"), &hash_sha256, 1); }
static void t_sha256_long(void **s) { (void)s; run_msg(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA256LongMsg.rsp"), &hash_sha256, 0); }
static void t_sha256_monte(void **s) { (void)s; run_monte(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA256Monte.rsp"), &hash_sha256); }
static void t_sha384_short(void **s) { (void)s; run_msg(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA384ShortMsg.rsp"), &hash_sha384, 1); }
static void t_sha384_long(void **s) { (void)s; run_msg(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA384LongMsg.rsp"), &hash_sha384, 0); }
static void t_sha384_monte(void **s) { (void)s; run_monte(unit_vec(UNIT_CAVP, "hashes/SHA2/SHA384Monte.rsp"), &hash_sha384); }

/* FIPS 180-2 appendix C examples. */
static void t_sha512_kat(void **s)
{
    (void)s;
    static const struct { const char *msg; size_t reps; const char *md; } kat[] = {
        { "abc", 1, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
        { "", 1, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 1,
          "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
        { "a", 1000000, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
    };
    for (size_t k = 0; k < sizeof kat / sizeof kat[0]; k++) {
        uint8_t exp[64], out[64];
        sha512_ctx c;
        unit_hex(kat[k].md, exp, 64);
        sha512_init(&c);
        for (size_t r = 0; r < kat[k].reps; r++)
            sha512_update(&c, kat[k].msg, strlen(kat[k].msg));
        sha512_final(&c, out);
        assert_memory_equal(out, exp, 64);
        if (kat[k].reps == 1) {
            sha512(kat[k].msg, strlen(kat[k].msg), out);
            assert_memory_equal(out, exp, 64);
        }
    }
}

/* Every length 0..600 and every split point class: one-shot == byte-at-a-time
   == random chunks, and SHA-NI == portable. */
static void t_incremental(void **s)
{
    (void)s;
    static uint8_t msg[600];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    const struct hash_alg *algs[] = { &hash_sha256, &hash_sha384, &hash_sha512 };
    uint32_t rnd = 1;
    for (size_t a = 0; a < 3; a++) {
        for (size_t len = 0; len <= sizeof msg; len++) {
            uint8_t one[2][64], out[64];
            for (int im = 0; im < 2; im++) {
                crypto_set_impl(impls[im]);
                hash_digest(algs[a], msg, len, one[im]);
            }
            assert_memory_equal(one[0], one[1], algs[a]->digest_len);
            hash_ctx c;
            algs[a]->init(&c);
            for (size_t i = 0; i < len; i++)
                algs[a]->update(&c, msg + i, 1);
            algs[a]->final(&c, out);
            assert_memory_equal(out, one[0], algs[a]->digest_len);
            algs[a]->init(&c);
            for (size_t i = 0; i < len;) {
                rnd = rnd * 1103515245 + 12345;
                size_t k = (rnd >> 16) % 150;
                if (k > len - i)
                    k = len - i;
                algs[a]->update(&c, msg + i, k);
                i += k;
            }
            algs[a]->final(&c, out);
            assert_memory_equal(out, one[0], algs[a]->digest_len);
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_describe(void **s)
{
    (void)s;
    crypto_set_impl(CRYPTO_IMPL_PORTABLE);
    assert_non_null(strstr(crypto_impl_describe(), "sha256=portable"));
    assert_false(crypto_use_aesni());
    assert_false(crypto_use_shani());
    assert_false(crypto_use_sse2_chacha());
    crypto_set_impl(CRYPTO_IMPL_EMULATED);
    assert_non_null(strstr(crypto_impl_describe(), "chacha=portable"));
    assert_false(crypto_use_sse2_chacha());
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    assert_true(crypto_use_sse2_chacha());
    assert_true(crypto_chacha_path() >= CRYPTO_CHACHA_SSE2);
    char want[32];
    snprintf(want, sizeof want, "chacha=%s", crypto_chacha_path_name(crypto_chacha_path()));
    assert_non_null(strstr(crypto_impl_describe(), want));
    printf("impl: %s\n", crypto_impl_describe());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_sha256_short), cmocka_unit_test(t_sha256_long),
        cmocka_unit_test(t_sha256_monte), cmocka_unit_test(t_sha384_short),
        cmocka_unit_test(t_sha384_long), cmocka_unit_test(t_sha384_monte),
        cmocka_unit_test(t_sha512_kat), cmocka_unit_test(t_incremental),
        cmocka_unit_test(t_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
