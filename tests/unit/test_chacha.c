/* ChaCha20, Poly1305, ChaCha20-Poly1305: RFC 8439 examples, the RFC 8439
   (= RFC 7539) appendix A.2, A.3 and A.5 vectors from the CAVP directory on
   every ChaCha20 path, every Wycheproof chacha20_poly1305_test case,
   Poly1305 incremental and edge values against OpenSSL. The paths against
   each other and OpenSSL: test_chacha_paths.c. */
#include "vec.h"
#include <openssl/evp.h>
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"
#include "crypto/chacha20poly1305.h"
#include "crypto/impl.h"
#include "crypto/crypto.h"

/* RFC 8439 2.3.2 block function test vector. */
static void t_block(void **s)
{
    (void)s;
    uint8_t key[32], nonce[12], out[64], exp[64];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)i;
    unit_hex("000000090000004a00000000", nonce, 12);
    unit_hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
             "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e", exp, 64);
    chacha20_block(key, 1, nonce, out);
    assert_memory_equal(out, exp, 64);
}

/* RFC 8439 2.5.2 and 2.8.2. */
static void t_rfc8439(void **s)
{
    (void)s;
    uint8_t pk[32], tag[16], etag[16];
    unit_hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", pk, 32);
    unit_hex("a8061dc1305136c6c22b8baf0c0127a9", etag, 16);
    const char *m = "Cryptographic Forum Research Group";
    poly1305(pk, (const uint8_t *)m, strlen(m), tag);
    assert_memory_equal(tag, etag, 16);

    const char *pt = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    size_t len = strlen(pt);
    uint8_t key[32], nonce[12], aad[12], ct[200], ect[200], out[200];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(0x80 + i);
    unit_hex("070000004041424344454647", nonce, 12);
    unit_hex("50515253c0c1c2c3c4c5c6c7", aad, 12);
    unit_hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
             "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
             "3ff4def08e4b7a9de576d26586cec64b6116", ect, 200);
    unit_hex("1ae10b594f09e26a7e902ecbd0600691", etag, 16);
    chacha20poly1305_ctx c;
    assert_int_equal(chacha20poly1305_init(&c, key, 31), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(chacha20poly1305_init(&c, key, 32), CRYPTO_OK);
    assert_int_equal(chacha20poly1305_seal(&c, nonce, 12, aad, 12, (const uint8_t *)pt, len, ct, tag), CRYPTO_OK);
    assert_memory_equal(ct, ect, len);
    assert_memory_equal(tag, etag, 16);
    assert_int_equal(chacha20poly1305_open(&c, nonce, 12, aad, 12, ct, len, tag, 16, out), CRYPTO_OK);
    assert_memory_equal(out, pt, len);
    assert_int_equal(chacha20poly1305_seal(&c, nonce, 8, aad, 12, (const uint8_t *)pt, len, ct, tag), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(chacha20poly1305_open(&c, nonce, 12, aad, 12, ct, len, tag, 15, out), CRYPTO_ERR_BAD_LENGTH);
}

#define NPATHS 4
/* Forces ChaCha20 path p (AUTO policy, capped); 0 when not available. */
static int use_path(int p)
{
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    crypto_set_chacha_max((enum crypto_chacha_path)p);
    return crypto_chacha_path() == (enum crypto_chacha_path)p;
}

struct wp_arg { int n, valid, invalid; };

static void wp_line(char **f, int nf, void *arg)
{
    struct wp_arg *a = arg;
    assert_int_equal(nf, 11);
    size_t kl, il, al, ml, cl, tl;
    uint8_t *key = vec_hex(f[5], &kl), *iv = vec_hex(f[6], &il), *aad = vec_hex(f[7], &al);
    uint8_t *msg = vec_hex(f[8], &ml), *ct = vec_hex(f[9], &cl), *tag = vec_hex(f[10], &tl);
    uint8_t *out = malloc(ml + cl + 1), otag[16];
    int valid = f[1][0] == 'v';
    chacha20poly1305_ctx c;
    int seal_ok = 0, open_ok = 0;
    if (chacha20poly1305_init(&c, key, kl) == CRYPTO_OK) {
        int r = chacha20poly1305_seal(&c, iv, il, aad, al, msg, ml, out, otag);
        seal_ok = r == CRYPTO_OK && cl == ml && memcmp(out, ct, cl) == 0 && tl == 16 && memcmp(otag, tag, 16) == 0;
        memset(out, 0xaa, cl + 1);
        int ro = chacha20poly1305_open(&c, iv, il, aad, al, ct, cl, tag, tl, out);
        open_ok = ro == CRYPTO_OK && memcmp(out, msg, ml) == 0;
        if (ro == CRYPTO_ERR_AUTH)
            for (size_t i = 0; i < cl; i++)
                assert_int_equal(out[i], 0);
    }
    if (valid && !(seal_ok && open_ok))
        fail_msg("tcId %s: valid case failed", f[0]);
    if (!valid && open_ok)
        fail_msg("tcId %s: invalid case accepted", f[0]);
    valid ? a->valid++ : a->invalid++;
    a->n++;
    free(key); free(iv); free(aad); free(msg); free(ct); free(tag); free(out);
}

static void t_wycheproof(void **s)
{
    (void)s;
    unit_need(UNIT_GENERATED);
    int runs = 0;
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path(p))
            continue;
        struct wp_arg a = { 0, 0, 0 };
        long declared = vec_each_line(unit_vec(UNIT_GENERATED, "chacha20_poly1305_test.txt"), wp_line, &a);
        assert_int_equal(a.n, declared);
        printf("chacha20_poly1305_test.json [%s]: %d/%ld passed (%d valid, %d invalid)\n",
               crypto_chacha_path_name((enum crypto_chacha_path)p), a.n, declared, a.valid, a.invalid);
        runs++;
    }
    assert_true(runs >= 2);
    crypto_set_chacha_max(CRYPTO_CHACHA_AVX512);
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

/* AUTO's ChaCha20 path (the widest CPUID allows) == the portable path for
   lengths 0..1100, odd offsets and in place; and == chacha20_block for
   each block. */
static void t_paths(void **s)
{
    (void)s;
    static uint8_t in[1101], o1[1101], o2[1101];
    uint8_t key[32], nonce[12], blk[64];
    for (int i = 0; i < 32; i++) key[i] = (uint8_t)(7 * i + 1);
    for (int i = 0; i < 12; i++) nonce[i] = (uint8_t)(3 * i);
    for (size_t i = 0; i < sizeof in; i++) in[i] = (uint8_t)(i * 13);
    for (size_t len = 0; len <= 1100; len += (len < 300 ? 1 : 37)) {
        crypto_set_impl(CRYPTO_IMPL_AUTO);
        chacha20_xor(key, 5, nonce, in + 1, o1, len);
        crypto_set_impl(CRYPTO_IMPL_PORTABLE);
        chacha20_xor(key, 5, nonce, in + 1, o2, len);
        assert_memory_equal(o1, o2, len);
        crypto_set_impl(CRYPTO_IMPL_AUTO);
        memcpy(o2, in + 1, len);
        chacha20_xor(key, 5, nonce, o2, o2, len);
        assert_memory_equal(o1, o2, len);
        /* the masked form: all-ones keeps, zero clears every byte, both paths */
        for (int impl = CRYPTO_IMPL_AUTO; impl <= CRYPTO_IMPL_PORTABLE; impl++) {
            crypto_set_impl((enum crypto_impl)impl);
            memset(o2, 0x5a, sizeof o2);
            chacha20_xor_masked(key, 5, nonce, in + 1, o2, len, 0xffffffffu);
            assert_memory_equal(o1, o2, len);
            memset(o2, 0x5a, sizeof o2);
            chacha20_xor_masked(key, 5, nonce, in + 1, o2, len, 0);
            for (size_t i = 0; i < len; i++)
                assert_int_equal(o2[i], 0);
            assert_int_equal(o2[len], 0x5a);   /* nothing past len */
        }
    }
    for (size_t b = 0; b < 16; b++) {   /* the last length was 1077 */
        chacha20_block(key, (uint32_t)(5 + b), nonce, blk);
        for (size_t i = 0; i < 64; i++)
            assert_int_equal(o1[64 * b + i], (uint8_t)(in[1 + 64 * b + i] ^ blk[i]));
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void a2_rec(const struct vec_rsp_rec *r, void *arg)
{
    int *n = arg;
    size_t kl, nl, pl, cl;
    uint8_t *key = vec_hex(vec_rsp_get(r, "KEY"), &kl), *nonce = vec_hex(vec_rsp_get(r, "NONCE"), &nl);
    uint8_t *pt = vec_hex(vec_rsp_get(r, "PLAINTEXT"), &pl), *ct = vec_hex(vec_rsp_get(r, "CIPHERTEXT"), &cl);
    uint32_t ctr = (uint32_t)atol(vec_rsp_get(r, "INITIAL_BLOCK_COUNTER"));
    assert_int_equal(kl, 32);
    assert_int_equal(nl, 12);
    assert_int_equal(pl, cl);
    uint8_t *out = malloc(pl + 1);
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path(p))
            continue;
        chacha20_xor(key, ctr, nonce, pt, out, pl);
        assert_memory_equal(out, ct, cl);
        (*n)++;
    }
    free(key); free(nonce); free(pt); free(ct); free(out);
}

static void a3_rec(const struct vec_rsp_rec *r, void *arg)
{
    int *n = arg;
    size_t kl, ml, tl;
    uint8_t *key = vec_hex(vec_rsp_get(r, "KEY"), &kl), *m = vec_hex(vec_rsp_get(r, "MSG"), &ml);
    uint8_t *tag = vec_hex(vec_rsp_get(r, "TAG"), &tl), t[16];
    assert_int_equal(kl, 32);
    assert_int_equal(tl, 16);
    poly1305(key, m, ml, t);
    assert_memory_equal(t, tag, 16);
    poly1305_ctx c;
    poly1305_init(&c, key);
    for (size_t i = 0; i < ml; i++)
        poly1305_update(&c, m + i, 1);
    poly1305_final(&c, t);
    assert_memory_equal(t, tag, 16);
    (*n)++;
    free(key); free(m); free(tag);
}

static void a5_rec(const struct vec_rsp_rec *r, void *arg)
{
    int *n = arg;
    size_t kl, il, al, tl, pl, cl;
    uint8_t *key = vec_hex(vec_rsp_get(r, "Key"), &kl), *iv = vec_hex(vec_rsp_get(r, "IV"), &il);
    uint8_t *aad = vec_hex(vec_rsp_get(r, "AAD"), &al), *tag = vec_hex(vec_rsp_get(r, "Tag"), &tl);
    uint8_t *pt = vec_hex(vec_rsp_get(r, "Plaintext"), &pl), *ct = vec_hex(vec_rsp_get(r, "Ciphertext"), &cl);
    int bad = vec_rsp_get(r, "Result") != NULL;   /* CIPHERFINAL_ERROR: the tag is wrong */
    assert_int_equal(pl, cl);
    uint8_t *out = malloc(pl + 1), t[16];
    chacha20poly1305_ctx c;
    assert_int_equal(chacha20poly1305_init(&c, key, kl), CRYPTO_OK);
    for (int p = 0; p < NPATHS; p++) {
        if (!use_path(p))
            continue;
        if (!bad) {
            assert_int_equal(chacha20poly1305_seal(&c, iv, il, aad, al, pt, pl, out, t), CRYPTO_OK);
            assert_memory_equal(out, ct, cl);
            assert_memory_equal(t, tag, 16);
        }
        memset(out, 0xaa, pl + 1);
        int ro = chacha20poly1305_open(&c, iv, il, aad, al, ct, cl, tag, tl, out);
        assert_int_equal(ro, bad ? CRYPTO_ERR_AUTH : CRYPTO_OK);
        for (size_t i = 0; i < cl; i++)
            assert_int_equal(out[i], bad ? 0 : pt[i]);
        (*n)++;
    }
    chacha20poly1305_wipe(&c);
    free(key); free(iv); free(aad); free(tag); free(pt); free(ct); free(out);
}

/* RFC 8439 appendix A.2 (ChaCha20), A.3 (Poly1305), and A.5 plus OpenSSL's
   cases (ChaCha20-Poly1305), as python3-cryptography-vectors ships them
   (RFC 7539 numbering; 8439 kept the vectors). */
static void t_rfc8439_appendix(void **s)
{
    (void)s;
    unit_need(UNIT_CAVP);
    int a2 = 0, a3 = 0, a5 = 0;
    vec_rsp_each(unit_vec(UNIT_CAVP, "ciphers/ChaCha20/rfc7539.txt"), a2_rec, &a2);
    vec_rsp_each(unit_vec(UNIT_CAVP, "poly1305/rfc7539.txt"), a3_rec, &a3);
    vec_rsp_each(unit_vec(UNIT_CAVP, "ciphers/ChaCha20Poly1305/openssl.txt"), a5_rec, &a5);
    crypto_set_chacha_max(CRYPTO_CHACHA_AVX512);
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    printf("RFC 8439 A.2: %d path runs, A.3: %d, A.5 + OpenSSL: %d path runs\n", a2, a3, a5);
    assert_true(a2 >= 3 * 2);   /* 3 vectors, on at least the scalar and SSE2 paths */
    assert_int_equal(a3, 11);
    assert_true(a5 >= 5 * 2);
}

static void ossl_poly(const uint8_t key[32], const uint8_t *m, size_t n, uint8_t tag[16])
{
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_POLY1305, NULL, key, 32);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    size_t tl = 16;
    assert_int_equal(EVP_DigestSignInit(c, NULL, NULL, NULL, pk), 1);
    assert_int_equal(EVP_DigestSignUpdate(c, m, n), 1);
    assert_int_equal(EVP_DigestSignFinal(c, tag, &tl), 1);
    EVP_MD_CTX_free(c);
    EVP_PKEY_free(pk);
}

/* Random and extreme inputs (all-ones keys and blocks drive h close to p),
   whole vs byte-at-a-time, against OpenSSL. */
static void t_poly_diff(void **s)
{
    (void)s;
    srand(99);
    static uint8_t m[300];
    for (int it = 0; it < 1500; it++) {
        uint8_t key[32], t1[16], t2[16], t3[16];
        int mode = it % 4;
        for (int i = 0; i < 32; i++) key[i] = mode == 0 ? 0xff : (uint8_t)rand();
        size_t n = (size_t)rand() % sizeof m;
        for (size_t i = 0; i < n; i++) m[i] = mode <= 1 ? 0xff : (uint8_t)rand();
        poly1305(key, m, n, t1);
        ossl_poly(key, m, n, t2);
        assert_memory_equal(t1, t2, 16);
        poly1305_ctx c;
        poly1305_init(&c, key);
        for (size_t i = 0; i < n; i++)
            poly1305_update(&c, m + i, 1);
        poly1305_final(&c, t3);
        assert_memory_equal(t1, t3, 16);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_block), cmocka_unit_test(t_rfc8439),
        cmocka_unit_test(t_rfc8439_appendix),
        cmocka_unit_test(t_wycheproof), cmocka_unit_test(t_paths), cmocka_unit_test(t_poly_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
