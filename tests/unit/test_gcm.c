/* AES-GCM: every record of NIST gcmEncryptExtIV/gcmDecrypt (128, 256) and
   every Wycheproof aes_gcm_test case, each with AES-NI/PCLMUL and with the
   portable code; incremental vs one-shot, in place, tamper, GHASH paths. */
#include "vec.h"
#include "crypto/gcm.h"
#include "crypto/gcm_internal.h"
#include <openssl/evp.h>
#include "crypto/impl.h"
#include "crypto/crypto.h"

static const enum crypto_impl impls[] = { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE };
static const char *impl_name(int i) { return i ? "portable" : "auto"; }

struct nist_arg { int dec, n, fails; };

static void nist_rec(const struct vec_rsp_rec *r, void *arg)
{
    struct nist_arg *a = arg;
    const char *K = vec_rsp_get(r, "Key"), *I = vec_rsp_get(r, "IV"), *C = vec_rsp_get(r, "CT");
    const char *A = vec_rsp_get(r, "AAD"), *T = vec_rsp_get(r, "Tag"), *P = vec_rsp_get(r, "PT");
    if (!K || !I || !C || !A || !T)
        return;
    size_t kl, il, cl, al, tl, pl = 0;
    uint8_t *key = vec_hex(K, &kl), *iv = vec_hex(I, &il), *ct = vec_hex(C, &cl);
    uint8_t *aad = vec_hex(A, &al), *tag = vec_hex(T, &tl), *pt = P ? vec_hex(P, &pl) : NULL;
    uint8_t *out = malloc(cl + 1), otag[16];
    gcm_ctx c;
    assert_int_equal(gcm_init(&c, key, kl), CRYPTO_OK);
    if (!a->dec) {
        assert_non_null(pt);
        assert_int_equal(gcm_seal(&c, iv, il, aad, al, pt, pl, out, otag, tl), CRYPTO_OK);
        assert_memory_equal(out, ct, cl);
        assert_memory_equal(otag, tag, tl);
    } else {
        memset(out, 0xaa, cl + 1);
        int rr = gcm_open(&c, iv, il, aad, al, ct, cl, tag, tl, out);
        if (r->fail) {
            assert_int_equal(rr, CRYPTO_ERR_AUTH);
            for (size_t i = 0; i < cl; i++)
                assert_int_equal(out[i], 0);      /* nothing released */
            a->fails++;
        } else {
            assert_non_null(pt);
            assert_int_equal(rr, CRYPTO_OK);
            assert_memory_equal(out, pt, pl);
        }
    }
    gcm_wipe(&c);
    a->n++;
    free(key); free(iv); free(ct); free(aad); free(tag); free(pt); free(out);
}

static void run_nist(const char *file, int dec, int expect)
{
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        struct nist_arg a = { dec, 0, 0 };
        vec_rsp_each(file, nist_rec, &a);
        assert_int_equal(a.n, expect);
        printf("%s [%s]: %d/%d passed%s", file, impl_name(im), a.n, a.n, dec ? "" : "\n");
        if (dec)
            printf(" (%d FAIL records rejected)\n", a.fails);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_nist_enc128(void **s) { (void)s; run_nist(unit_vec(UNIT_CAVP, "ciphers/AES/GCM/gcmEncryptExtIV128.rsp"), 0, 7875); }
static void t_nist_enc256(void **s) { (void)s; run_nist(unit_vec(UNIT_CAVP, "ciphers/AES/GCM/gcmEncryptExtIV256.rsp"), 0, 7875); }
static void t_nist_dec128(void **s) { (void)s; run_nist(unit_vec(UNIT_CAVP, "ciphers/AES/GCM/gcmDecrypt128.rsp"), 1, 7875); }
static void t_nist_dec256(void **s) { (void)s; run_nist(unit_vec(UNIT_CAVP, "ciphers/AES/GCM/gcmDecrypt256.rsp"), 1, 7875); }

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
    gcm_ctx c;
    int r = gcm_init(&c, key, kl);
    if (r == CRYPTO_OK) {
        r = gcm_seal(&c, iv, il, aad, al, msg, ml, out, otag, tl);
        int seal_ok = r == CRYPTO_OK && cl == ml && memcmp(out, ct, cl) == 0 && memcmp(otag, tag, tl) == 0;
        memset(out, 0xaa, cl + 1);
        int ro = gcm_open(&c, iv, il, aad, al, ct, cl, tag, tl, out);
        int open_ok = ro == CRYPTO_OK && memcmp(out, msg, ml) == 0;
        if (ro == CRYPTO_ERR_AUTH)
            for (size_t i = 0; i < cl; i++)
                assert_int_equal(out[i], 0);
        if (valid && !(seal_ok && open_ok))
            fail_msg("tcId %s: valid case failed (seal %d open %d)", f[0], seal_ok, ro);
        if (!valid && open_ok)
            fail_msg("tcId %s: invalid case accepted", f[0]);
        gcm_wipe(&c);
    } else if (valid) {
        fail_msg("tcId %s: key rejected", f[0]);
    }
    valid ? a->valid++ : a->invalid++;
    a->n++;
    free(key); free(iv); free(aad); free(msg); free(ct); free(tag); free(out);
}

static void t_wycheproof(void **s)
{
    (void)s;
    unit_need(UNIT_GENERATED);
    for (int im = 0; im < 2; im++) {
        crypto_set_impl(impls[im]);
        struct wp_arg a = { 0, 0, 0 };
        long declared = vec_each_line(unit_vec(UNIT_GENERATED, "aes_gcm_test.txt"), wp_line, &a);
        assert_int_equal(a.n, declared);
        printf("aes_gcm_test.json [%s]: %d/%ld passed (%d valid, %d invalid)\n", impl_name(im), a.n,
               declared, a.valid, a.invalid);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

/* Random messages: one-shot == incremental with random splits == in place,
   and AES-NI == portable; every single-bit flip of tag, ciphertext and AAD
   is rejected with the output zeroed. */
static void t_incremental_tamper(void **s)
{
    (void)s;
    srand(77);
    static uint8_t pt[700], ct[2][700], buf[700], aad[64];
    for (int it = 0; it < 60; it++) {
        uint8_t key[32], iv[12], tag[2][16];
        size_t kl = it & 1 ? 32 : 16, len = (size_t)rand() % sizeof pt, al = (size_t)rand() % sizeof aad;
        for (size_t i = 0; i < 32; i++) key[i] = (uint8_t)rand();
        for (size_t i = 0; i < 12; i++) iv[i] = (uint8_t)rand();
        for (size_t i = 0; i < len; i++) pt[i] = (uint8_t)rand();
        for (size_t i = 0; i < al; i++) aad[i] = (uint8_t)rand();
        for (int im = 0; im < 2; im++) {
            crypto_set_impl(impls[im]);
            gcm_ctx c;
            gcm_init(&c, key, kl);
            assert_int_equal(gcm_seal(&c, iv, 12, aad, al, pt, len, ct[im], tag[im], 16), CRYPTO_OK);
            /* incremental with random split points */
            gcm_op op;
            uint8_t t2[16];
            assert_int_equal(gcm_start(&op, &c, iv, 12), CRYPTO_OK);
            for (size_t i = 0; i < al;) {
                size_t k = (size_t)rand() % 20;
                if (k > al - i) k = al - i;
                gcm_aad(&op, aad + i, k);
                i += k;
            }
            for (size_t i = 0; i < len;) {
                size_t k = (size_t)rand() % 150;
                if (k > len - i) k = len - i;
                assert_int_equal(gcm_encrypt(&op, pt + i, buf + i, k), CRYPTO_OK);
                i += k;
            }
            if (len)
                assert_int_equal(gcm_aad(&op, aad, 1), CRYPTO_ERR_BAD_LENGTH); /* aad after data */
            assert_int_equal(gcm_finish_seal(&op, t2, 16), CRYPTO_OK);
            assert_memory_equal(buf, ct[im], len);
            assert_memory_equal(t2, tag[im], 16);
            /* in place open */
            memcpy(buf, ct[im], len);
            assert_int_equal(gcm_open(&c, iv, 12, aad, al, buf, len, tag[im], 16, buf), CRYPTO_OK);
            assert_memory_equal(buf, pt, len);
            /* incremental open */
            assert_int_equal(gcm_start(&op, &c, iv, 12), CRYPTO_OK);
            gcm_aad(&op, aad, al);
            gcm_decrypt(&op, ct[im], buf, len / 2);
            gcm_decrypt(&op, ct[im] + len / 2, buf + len / 2, len - len / 2);
            assert_int_equal(gcm_finish_open(&op, tag[im], 16, buf, len), CRYPTO_OK);
            assert_memory_equal(buf, pt, len);
            if (it < 6) {
                size_t bits[3] = { 128, len * 8, al * 8 };
                for (int which = 0; which < 3; which++) {
                    /* every tag bit; ciphertext/AAD bits with a stride of 13 */
                    for (size_t b = 0; b < bits[which]; b += which ? 13 : 1) {
                        uint8_t *p = which == 0 ? tag[im] : which == 1 ? ct[im] : aad;
                        p[b / 8] ^= (uint8_t)(1u << (b % 8));
                        memset(buf, 0x55, len);
                        assert_int_equal(gcm_open(&c, iv, 12, aad, al, ct[im], len, tag[im], 16, buf), CRYPTO_ERR_AUTH);
                        for (size_t i = 0; i < len; i++)
                            assert_int_equal(buf[i], 0);
                        p[b / 8] ^= (uint8_t)(1u << (b % 8));
                    }
                }
                /* incremental open with a bad tag wipes what it released */
                tag[im][3] ^= 0x10;
                gcm_start(&op, &c, iv, 12);
                gcm_aad(&op, aad, al);
                gcm_decrypt(&op, ct[im], buf, len);
                assert_int_equal(gcm_finish_open(&op, tag[im], 16, buf, len), CRYPTO_ERR_AUTH);
                for (size_t i = 0; i < len; i++)
                    assert_int_equal(buf[i], 0);
                tag[im][3] ^= 0x10;
            }
            gcm_wipe(&c);
        }
        assert_memory_equal(ct[0], ct[1], len);
        assert_memory_equal(tag[0], tag[1], 16);
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_ghash_paths(void **s)
{
    (void)s;
    srand(5);
    static uint8_t data[16 * 37];
    for (int it = 0; it < 200; it++) {
        uint8_t h[16];
        for (size_t i = 0; i < 16; i++) h[i] = (uint8_t)rand();
        for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)rand();
        size_t nb = (size_t)rand() % 38;
        ghash_key k;
        ghash_key_init(&k, h);
        ghash_elem y1 = { 1, 2 }, y2 = { 1, 2 };
        ghash_blocks_portable(&k, &y1, data, nb);
        ghash_blocks_pclmul(&k, &y2, data, nb);
        assert_memory_equal(&y1, &y2, sizeof y1);
    }
}

typedef size_t (*bulk_fn)(const gcm_ctx *, uint8_t *, ghash_elem *, const uint8_t *, uint8_t *,
                          size_t, int);

/* The fused AES-NI/PCLMUL loop (and the VAES one where the CPU has it), for
   each key size (10, 12, 14 rounds), with a counter that wraps its low 32
   bits mid-batch (possible when the IV is not 96 bits) equals the portable
   CTR + GHASH, for encryption and decryption, in place. The starts take every
   value of the last byte from 0xe0 up (the AES-NI step adds to the counter
   without a byte swap only while its last byte cannot overflow: from 0xf8 on
   it takes the other path), and each batch of 8 starts 8 further on. */
static void t_fused_wrap(void **s)
{
    (void)s;
    if (!crypto_use_aesni())
        skip();
    static uint8_t in[384], o1[384], o2[384];
    uint8_t key[32] = { 7, 1 }, c0[16], c1[16], c2[16];
    for (size_t i = 0; i < sizeof in; i++) in[i] = (uint8_t)(i * 7 + 3);
    gcm_ctx c;
    const bulk_fn fns[2] = { gcm_ni_bulk, crypto_use_vaes() ? gcm_vaes_bulk : NULL };
    for (int kl = 16; kl <= 32; kl += 8)
    for (int f = 0; f < 2 && fns[f]; f++) {
        gcm_init(&c, key, (size_t)kl);
        for (int enc = 0; enc < 2; enc++) {
            for (uint32_t start = 0xffffffe0u; start != 2; start++) {
                memset(c0, 0x3c, 12);
                c0[12] = (uint8_t)(start >> 24); c0[13] = (uint8_t)(start >> 16);
                c0[14] = (uint8_t)(start >> 8); c0[15] = (uint8_t)start;
                memcpy(c1, c0, 16);
                memcpy(c2, c0, 16);
                ghash_elem y1 = { 5, 6 }, y2 = { 5, 6 };
                crypto_set_impl(CRYPTO_IMPL_AUTO);
                memcpy(o1, in, sizeof in);
                assert_int_equal(fns[f](&c, c1, &y1, o1, o1, sizeof in, enc), sizeof in);
                crypto_set_impl(CRYPTO_IMPL_PORTABLE);
                aes_ctr32_xor(&c.aes, c2, in, o2, sizeof in);
                ghash_blocks_portable(&c.gk, &y2, enc ? o2 : in, sizeof in / 16);
                assert_memory_equal(o1, o2, sizeof in);
                assert_memory_equal(c1, c2, 16);
                assert_memory_equal(&y1, &y2, sizeof y1);
            }
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    gcm_wipe(&c);
}

/* VAES and AES-NI bulk loops agree on random keys (both sizes), counters,
   lengths and hash states, out of place; and whole seal/open through each
   give the same ciphertext and tag. */
static void t_vaes_matches_aesni(void **s)
{
    (void)s;
    if (!crypto_use_vaes())
        skip();
    srand(99);
    static uint8_t in[4096], o1[4096], o2[4096];
    for (int it = 0; it < 200; it++) {
        uint8_t key[32], c1[16], c2[16], iv[12], t1[16], t2[16];
        size_t kl = it & 1 ? 32 : 16, len = (size_t)rand() % sizeof in;
        for (size_t i = 0; i < 32; i++) key[i] = (uint8_t)rand();
        for (size_t i = 0; i < 16; i++) c1[i] = c2[i] = (uint8_t)rand();
        for (size_t i = 0; i < 12; i++) iv[i] = (uint8_t)rand();
        for (size_t i = 0; i < len; i++) in[i] = (uint8_t)rand();
        gcm_ctx c;
        gcm_init(&c, key, kl);
        ghash_elem y1 = { (uint64_t)rand(), (uint64_t)rand() }, y2 = y1;
        int enc = it & 2;
        size_t d1 = gcm_ni_bulk(&c, c1, &y1, in, o1, len, enc);
        size_t d2 = gcm_vaes_bulk(&c, c2, &y2, in, o2, len, enc);
        assert_int_equal(d1, len / 128 * 128);
        assert_int_equal(d1, d2);
        assert_memory_equal(o1, o2, d1);
        assert_memory_equal(c1, c2, 16);
        assert_memory_equal(&y1, &y2, sizeof y1);
        crypto_set_vaes(0);
        assert_int_equal(gcm_seal(&c, iv, 12, key, 13, in, len, o1, t1, 16), CRYPTO_OK);
        crypto_set_vaes(1);
        assert_int_equal(gcm_seal(&c, iv, 12, key, 13, in, len, o2, t2, 16), CRYPTO_OK);
        assert_memory_equal(o1, o2, len);
        assert_memory_equal(t1, t2, 16);
        assert_int_equal(gcm_open(&c, iv, 12, key, 13, o2, len, t2, 16, o2), CRYPTO_OK);
        assert_memory_equal(o2, in, len);
        gcm_wipe(&c);
    }
}

/* Random IV lengths (1..80 bytes) and message lengths up to 2 KiB against
   OpenSSL, both implementations: exercises J0 = GHASH(IV) with the bulk paths. */
static void t_ivlen_openssl(void **s)
{
    (void)s;
    srand(4242);
    static uint8_t pt[2048], ct[2048], ref[2048];
    for (int it = 0; it < 300; it++) {
        uint8_t key[32], iv[80], tag[16], rtag[16];
        size_t kl = it & 1 ? 32 : 16, il = 1 + (size_t)rand() % 80, len = (size_t)rand() % sizeof pt;
        for (size_t i = 0; i < 32; i++) key[i] = (uint8_t)rand();
        for (size_t i = 0; i < il; i++) iv[i] = (uint8_t)rand();
        for (size_t i = 0; i < len; i++) pt[i] = (uint8_t)rand();
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        int ol;
        EVP_EncryptInit_ex(x, kl == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm(), NULL, NULL, NULL);
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, (int)il, NULL);
        EVP_EncryptInit_ex(x, NULL, NULL, key, iv);
        if (len)
            EVP_EncryptUpdate(x, ref, &ol, pt, (int)len);
        EVP_EncryptFinal_ex(x, ref + len, &ol);
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, rtag);
        EVP_CIPHER_CTX_free(x);
        for (int im = 0; im < 2; im++) {
            crypto_set_impl(impls[im]);
            gcm_ctx c;
            gcm_init(&c, key, kl);
            assert_int_equal(gcm_seal(&c, iv, il, NULL, 0, pt, len, ct, tag, 16), CRYPTO_OK);
            assert_memory_equal(ct, ref, len);
            assert_memory_equal(tag, rtag, 16);
            gcm_wipe(&c);
        }
    }
    crypto_set_impl(CRYPTO_IMPL_AUTO);
}

static void t_lengths(void **s)
{
    (void)s;
    gcm_ctx c;
    uint8_t key[32] = { 0 }, iv[12] = { 0 }, tag[16], buf[16] = { 0 };
    assert_int_equal(gcm_init(&c, key, 15), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(gcm_init(&c, key, 16), CRYPTO_OK);
    assert_int_equal(gcm_seal(&c, iv, 0, NULL, 0, buf, 16, buf, tag, 16), CRYPTO_ERR_BAD_LENGTH);
    size_t bad[] = { 0, 1, 3, 5, 7, 9, 10, 11, 17 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gcm_seal(&c, iv, 12, NULL, 0, buf, 16, buf, tag, bad[i]), CRYPTO_ERR_BAD_LENGTH);
        assert_int_equal(gcm_open(&c, iv, 12, NULL, 0, buf, 16, tag, bad[i], buf), CRYPTO_ERR_BAD_LENGTH);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_nist_enc128), cmocka_unit_test(t_nist_enc256),
        cmocka_unit_test(t_nist_dec128), cmocka_unit_test(t_nist_dec256),
        cmocka_unit_test(t_wycheproof), cmocka_unit_test(t_incremental_tamper),
        cmocka_unit_test(t_ghash_paths), cmocka_unit_test(t_fused_wrap),
        cmocka_unit_test(t_vaes_matches_aesni),
        cmocka_unit_test(t_ivlen_openssl), cmocka_unit_test(t_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
