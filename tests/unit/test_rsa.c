/* RSA verification (crypto/rsa.h): every case of the Wycheproof
   rsa_signature_{2048,3072,4096}_sha{256,384,512} and rsa_pss_* files, the
   NIST CAVP SigVer15 / SigVerPSS records for SHA-256/384/512, and key /
   length checks; run twice, on the portable 64-bit Montgomery code and on
   the AVX-512 IFMA path (where CPUID and XCR0 allow it). */
#include "unit.h"
#include "pk_json.h"
#include "crypto/rsa.h"
#include "crypto/impl.h"

static const struct hash_alg *hash_by_name(const char *name)
{
    if (!strcmp(name, "SHA-256") || !strcmp(name, "SHA256"))
        return &hash_sha256;
    if (!strcmp(name, "SHA-384") || !strcmp(name, "SHA384"))
        return &hash_sha384;
    if (!strcmp(name, "SHA-512") || !strcmp(name, "SHA512"))
        return &hash_sha512;
    return NULL;
}

/* One Wycheproof file; pss selects RSASSA-PSS (group sLen, MGF1 hash = sha). */
static void run_wycheproof(const char *name, int pss)
{
    char path[256];
    snprintf(path, sizeof path, "%s", unit_vec(UNIT_SHARED, name));
    struct pk_json *doc = pk_json_load(path);
    assert_non_null(doc);
    long expected = pk_json_num(doc, "numberOfTests");
    int total = 0, passed = 0, accepted = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        const struct pk_json *pk = pk_json_get(g, "publicKey");
        size_t nlen, elen;
        uint8_t *n = pk_json_hex(pk_json_str(pk, "modulus"), &nlen);
        uint8_t *e = pk_json_hex(pk_json_str(pk, "publicExponent"), &elen);
        const struct hash_alg *h = hash_by_name(pk_json_str(g, "sha"));
        assert_non_null(n);
        assert_non_null(e);
        assert_non_null(h);
        long slen = 0;
        if (pss) {
            slen = pk_json_num(g, "sLen");
            assert_string_equal(pk_json_str(g, "mgf"), "MGF1");
            assert_ptr_equal(hash_by_name(pk_json_str(g, "mgfSha")), h);
        }
        struct rsa_pubkey key = {n, nlen, e, elen};
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            size_t msglen, siglen;
            uint8_t *msg = pk_json_hex(pk_json_str(t, "msg"), &msglen);
            uint8_t *sig = pk_json_hex(pk_json_str(t, "sig"), &siglen);
            uint8_t digest[HASH_MAX_DIGEST];
            assert_non_null(msg);
            assert_non_null(sig);
            hash_digest(h, msg, msglen, digest);
            int rc = pss ? rsa_verify_pss(&key, h, digest, sig, siglen, (size_t)slen)
                         : rsa_verify_pkcs1(&key, h, digest, sig, siglen);
            const char *result = pk_json_str(t, "result");
            int ok = !strcmp(result, "valid") ? rc == CRYPTO_OK
                     : !strcmp(result, "invalid") ? rc != CRYPTO_OK
                     : 1; /* acceptable (MissingNull DigestInfo): either */
            accepted += rc == CRYPTO_OK;
            if (ok)
                passed++;
            else
                print_error("%s tcId %ld (%s) rc=%s\n", name, pk_json_num(t, "tcId"), result,
                            crypto_err_str(rc));
            free(msg);
            free(sig);
        }
        free(n);
        free(e);
    }
    pk_json_free(doc);
    print_message("%s: %d/%d passed (%d accepted)\n", name, passed, total, accepted);
    assert_int_equal(total, expected);
    assert_int_equal(passed, total);
    assert_true(accepted > 0);
}

static void test_wycheproof_pkcs1(void **state)
{
    (void)state;
    static const char *files[] = {
        "rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json",
        "rsa_signature_2048_sha512_test.json", "rsa_signature_3072_sha256_test.json",
        "rsa_signature_3072_sha384_test.json", "rsa_signature_3072_sha512_test.json",
        "rsa_signature_4096_sha256_test.json", "rsa_signature_4096_sha384_test.json",
        "rsa_signature_4096_sha512_test.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        run_wycheproof(files[i], 0);
}

static void test_wycheproof_pss(void **state)
{
    (void)state;
    static const char *files[] = {
        "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha384_mgf1_48_test.json",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        run_wycheproof(files[i], 1);
}

/* NIST CAVP FIPS 186-3 RSA SigVer (CAVS 11.0): SHA-256/384/512 records of
   every modulus size (1024..4096); SHA-1/SHA-224 records are skipped. */
static void run_nist(const char *name, int pss)
{
    char path[256], sub[128];
    snprintf(sub, sizeof sub, "asymmetric/RSA/FIPS_186-2/%s", name);
    snprintf(path, sizeof path, "%s", unit_vec(UNIT_CAVP, sub));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char line[8192], nhex[1100], ehex[1100], msghex[1100], shex[1100], salthex[200];
    const struct hash_alg *h = NULL;
    int total = 0, passed = 0, pass_records = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strncmp(line, "n = ", 4))
            snprintf(nhex, sizeof nhex, "%.1099s", line + 4);
        else if (!strncmp(line, "SHAAlg = ", 9))
            h = hash_by_name(line + 9);
        else if (!strncmp(line, "e = ", 4))
            snprintf(ehex, sizeof ehex, "%.1099s", line + 4);
        else if (!strncmp(line, "Msg = ", 6))
            snprintf(msghex, sizeof msghex, "%.1099s", line + 6);
        else if (!strncmp(line, "S = ", 4))
            snprintf(shex, sizeof shex, "%.1099s", line + 4);
        else if (!strncmp(line, "SaltVal = ", 10))
            snprintf(salthex, sizeof salthex, "%.199s", line + 10);
        else if (!strncmp(line, "Result = ", 9) && h) {
            uint8_t n[512], e[512], msg[512], sig[512], digest[HASH_MAX_DIGEST];
            long nl = unit_hex(nhex, n, sizeof n), el = unit_hex(ehex, e, sizeof e);
            long ml = unit_hex(msghex, msg, sizeof msg), sl = unit_hex(shex, sig, sizeof sig);
            assert_true(nl > 0 && el > 0 && ml >= 0 && sl > 0);
            struct rsa_pubkey key = {n, (size_t)nl, e, (size_t)el};
            hash_digest(h, msg, (size_t)ml, digest);
            int rc = pss ? rsa_verify_pss(&key, h, digest, sig, (size_t)sl, strlen(salthex) / 2)
                         : rsa_verify_pkcs1(&key, h, digest, sig, (size_t)sl);
            int want = line[9] == 'P';
            total++;
            pass_records += want;
            if ((rc == CRYPTO_OK) == want)
                passed++;
            else
                print_error("%s record %d: want %s rc=%s\n", name, total, line + 9, crypto_err_str(rc));
        }
    }
    fclose(f);
    print_message("%s (SHA-256/384/512): %d/%d passed (%d valid)\n", name, passed, total, pass_records);
    assert_int_equal(total, 270);
    assert_int_equal(passed, total);
    assert_true(pass_records > 0);
}

static void test_nist_pkcs1(void **state)
{
    (void)state;
    run_nist("SigVer15_186-3.rsp", 0);
}

static void test_nist_pss(void **state)
{
    (void)state;
    run_nist("SigVerPSS_186-3.rsp", 1);
}

/* Key and length validation on the first valid Wycheproof 2048/SHA-256 case. */
static void test_key_checks(void **state)
{
    (void)state;
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, "rsa_signature_2048_sha256_test.json"));
    assert_non_null(doc);
    const struct pk_json *g = pk_json_get(doc, "testGroups")->child;
    const struct pk_json *pk = pk_json_get(g, "publicKey");
    size_t nlen, elen, msglen, siglen;
    uint8_t *n = pk_json_hex(pk_json_str(pk, "modulus"), &nlen);
    uint8_t *e = pk_json_hex(pk_json_str(pk, "publicExponent"), &elen);
    const struct pk_json *t = pk_json_get(g, "tests")->child;
    while (strcmp(pk_json_str(t, "result"), "valid"))
        t = t->next;
    uint8_t *msg = pk_json_hex(pk_json_str(t, "msg"), &msglen);
    uint8_t *sig = pk_json_hex(pk_json_str(t, "sig"), &siglen);
    uint8_t d[64] = {0}, buf[600];
    sha256(msg, msglen, d);
    struct rsa_pubkey k = {n, nlen, e, elen};
    assert_int_equal(nlen, 257); /* leading 00 */
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen), CRYPTO_OK);
    /* flipped bits anywhere fail */
    d[31] ^= 1;
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen), CRYPTO_ERR_BAD_SIGNATURE);
    d[31] ^= 1;
    sig[100] ^= 4;
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen), CRYPTO_ERR_BAD_SIGNATURE);
    sig[100] ^= 4;
    /* wrong hash: unsupported alg descriptor / other digest */
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha384, d, sig, siglen), CRYPTO_ERR_BAD_SIGNATURE);
    /* siglen must equal the modulus length: one byte short or a leading zero */
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, sig, siglen - 1), CRYPTO_ERR_BAD_LENGTH);
    buf[0] = 0;
    memcpy(buf + 1, sig, siglen);
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, buf, siglen + 1), CRYPTO_ERR_BAD_LENGTH);
    /* signature >= n */
    memcpy(buf, n + 1, 256);
    assert_int_equal(rsa_verify_pkcs1(&k, &hash_sha256, d, buf, 256), CRYPTO_ERR_BAD_SIGNATURE);
    /* even e, e = 1, even modulus, short modulus */
    uint8_t e_even[] = {0x01, 0x00, 0x00}, e_one[] = {0x01};
    struct rsa_pubkey bad = {n, nlen, e_even, 3};
    assert_int_equal(rsa_verify_pkcs1(&bad, &hash_sha256, d, sig, siglen), CRYPTO_ERR_BAD_KEY);
    bad.e = e_one, bad.elen = 1;
    assert_int_equal(rsa_verify_pkcs1(&bad, &hash_sha256, d, sig, siglen), CRYPTO_ERR_BAD_KEY);
    memcpy(buf, n, nlen);
    buf[nlen - 1] ^= 1;
    bad = (struct rsa_pubkey){buf, nlen, e, elen};
    assert_int_equal(rsa_verify_pkcs1(&bad, &hash_sha256, d, sig, siglen), CRYPTO_ERR_BAD_KEY);
    bad = (struct rsa_pubkey){n + 129, 128, e, elen}; /* 1023 bits or so: too small */
    n[129] |= 0x80;
    n[129] &= 0x7f;
    assert_int_equal(rsa_verify_pkcs1(&bad, &hash_sha256, d, sig, 128), CRYPTO_ERR_BAD_KEY);
    free(n);
    free(e);
    free(msg);
    free(sig);
    pk_json_free(doc);
}

/* A valid PSS signature checked with wrong and absurd salt lengths: only the
   right one verifies; huge values (which would wrap emLen < hLen + sLen + 2)
   are rejected too. */
static void test_pss_salt_lengths(void **state)
{
    (void)state;
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, "rsa_pss_2048_sha256_mgf1_32_test.json"));
    assert_non_null(doc);
    const struct pk_json *g = pk_json_get(doc, "testGroups")->child;
    const struct pk_json *pk = pk_json_get(g, "publicKey");
    size_t nlen, elen, msglen, siglen;
    uint8_t *n = pk_json_hex(pk_json_str(pk, "modulus"), &nlen);
    uint8_t *e = pk_json_hex(pk_json_str(pk, "publicExponent"), &elen);
    const struct pk_json *t = pk_json_get(g, "tests")->child;
    while (strcmp(pk_json_str(t, "result"), "valid"))
        t = t->next;
    uint8_t *msg = pk_json_hex(pk_json_str(t, "msg"), &msglen);
    uint8_t *sig = pk_json_hex(pk_json_str(t, "sig"), &siglen);
    uint8_t d[32];
    sha256(msg, msglen, d);
    struct rsa_pubkey k = {n, nlen, e, elen};
    assert_int_equal(rsa_verify_pss(&k, &hash_sha256, d, sig, siglen, 32), CRYPTO_OK);
    static const size_t bad[] = {0, 31, 33, 64, 222, 223, 224, 255, 256, 1000, (size_t)-1, (size_t)-2,
                                 (size_t)-34, (size_t)-35, (size_t)-40};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(rsa_verify_pss(&k, &hash_sha256, d, sig, siglen, bad[i]), CRYPTO_ERR_BAD_SIGNATURE);
    free(n);
    free(e);
    free(msg);
    free(sig);
    pk_json_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_pkcs1),
        cmocka_unit_test(test_wycheproof_pss),
        cmocka_unit_test(test_nist_pkcs1),
        cmocka_unit_test(test_nist_pss),
        cmocka_unit_test(test_key_checks),
        cmocka_unit_test(test_pss_salt_lengths),
    };
    crypto_set_ifma(0);
    int fails = cmocka_run_group_tests_name("rsa, portable", tests, NULL, NULL);
    crypto_set_ifma(1);
    if (!crypto_use_ifma()) {
        printf("rsa: AVX-512 IFMA not available here, IFMA run left out\n");
        return fails;
    }
    return fails + cmocka_run_group_tests_name("rsa, avx512-ifma", tests, NULL, NULL);
}
