/* ECDSA verification (crypto/ecdsa.h): every case of the Wycheproof P-256 /
   P-384 files in raw (P1363) and strict-DER form, the NIST CAVP SigVer
   records for P-256/P-384 with SHA-256/384/512, and API edge cases. */
#include "unit.h"
#include "pk_json.h"
#include "crypto/ecdsa.h"
#include "crypto/hash.h"
#include "crypto/asn1.h"

static const struct hash_alg *hash_by_name(const char *name)
{
    if (!strcmp(name, "SHA-256"))
        return &hash_sha256;
    if (!strcmp(name, "SHA-384"))
        return &hash_sha384;
    if (!strcmp(name, "SHA-512"))
        return &hash_sha512;
    return NULL;
}

/* Runs one Wycheproof ECDSA file; der selects the DER signature form. */
static void run_wycheproof(const char *path, enum ec_curve curve, int der)
{
    size_t cl = curve == EC_P256 ? 32 : 48;
    struct pk_json *doc = pk_json_load(path);
    assert_non_null(doc);
    long expected = pk_json_num(doc, "numberOfTests");
    int total = 0, passed = 0, valid = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        size_t publen;
        uint8_t *pub = pk_json_hex(pk_json_str(pk_json_get(g, "publicKey"), "uncompressed"), &publen);
        const struct hash_alg *h = hash_by_name(pk_json_str(g, "sha"));
        assert_non_null(pub);
        assert_non_null(h);
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            size_t msglen, siglen;
            uint8_t *msg = pk_json_hex(pk_json_str(t, "msg"), &msglen);
            uint8_t *sig = pk_json_hex(pk_json_str(t, "sig"), &siglen);
            uint8_t digest[HASH_MAX_DIGEST], r[48], s[48];
            assert_non_null(msg);
            assert_non_null(sig);
            hash_digest(h, msg, msglen, digest);
            int rc;
            if (der) {
                rc = ecdsa_sig_der_to_raw(sig, siglen, r, s, cl);
                if (rc == CRYPTO_OK)
                    rc = ecdsa_verify(curve, pub, publen, digest, h->digest_len, r, cl, s, cl);
            } else {
                rc = ecdsa_verify_p1363(curve, pub, publen, digest, h->digest_len, sig, siglen);
            }
            const char *result = pk_json_str(t, "result");
            int ok = !strcmp(result, "valid") ? rc == CRYPTO_OK
                     : !strcmp(result, "invalid") ? rc != CRYPTO_OK
                     : 1; /* acceptable: either answer */
            valid += rc == CRYPTO_OK;
            if (ok)
                passed++;
            else
                print_error("%s tcId %ld (%s) rc=%s\n", path, pk_json_num(t, "tcId"), result,
                            crypto_err_str(rc));
            free(msg);
            free(sig);
        }
        free(pub);
    }
    pk_json_free(doc);
    print_message("%s: %d/%d passed (%d accepted)\n", strrchr(path, '/') + 1, passed, total, valid);
    assert_int_equal(total, expected);
    assert_int_equal(passed, total);
    assert_true(valid > 0);
}

static void test_p256_p1363(void **state)
{
    (void)state;
    run_wycheproof(unit_vec(UNIT_SHARED, "ecdsa_secp256r1_sha256_p1363_test.json"), EC_P256, 0);
}

static void test_p384_p1363(void **state)
{
    (void)state;
    run_wycheproof(unit_vec(UNIT_SHARED, "ecdsa_secp384r1_sha384_p1363_test.json"), EC_P384, 0);
}

static void test_p256_der(void **state)
{
    (void)state;
    run_wycheproof(unit_vec(UNIT_SHARED, "ecdsa_secp256r1_sha256_test.json"), EC_P256, 1);
}

static void test_p384_der(void **state)
{
    (void)state;
    run_wycheproof(unit_vec(UNIT_SHARED, "ecdsa_secp384r1_sha384_test.json"), EC_P384, 1);
}

/* NIST CAVP FIPS 186-3 ECDSA SigVer: P-256 / P-384 with SHA-256/384/512
   (SHA-1 and SHA-224 records are skipped: no such hashes here). */
static void test_nist_sigver(void **state)
{
    (void)state;
    FILE *f = fopen(unit_vec(UNIT_CAVP, "asymmetric/ECDSA/FIPS_186-3/SigVer.rsp"), "r");
    assert_non_null(f);
    static char line[4096], msghex[4096], qx[4096], qy[4096], rhex[4096], shex[4096];
    enum ec_curve curve = EC_P256;
    const struct hash_alg *h = NULL;
    int in_scope = 0, total = 0, passed = 0, pass_records = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '[') {
            char cname[16], hname[16];
            in_scope = 0;
            if (sscanf(line, "[%15[^,],%15[^]]]", cname, hname) == 2) {
                h = hash_by_name(hname);
                if (h && !strcmp(cname, "P-256"))
                    curve = EC_P256, in_scope = 1;
                else if (h && !strcmp(cname, "P-384"))
                    curve = EC_P384, in_scope = 1;
            }
            continue;
        }
        if (!in_scope)
            continue;
        if (!strncmp(line, "Msg = ", 6))
            snprintf(msghex, sizeof msghex, "%s", line + 6);
        else if (!strncmp(line, "Qx = ", 5))
            snprintf(qx, sizeof qx, "%s", line + 5);
        else if (!strncmp(line, "Qy = ", 5))
            snprintf(qy, sizeof qy, "%s", line + 5);
        else if (!strncmp(line, "R = ", 4))
            snprintf(rhex, sizeof rhex, "%s", line + 4);
        else if (!strncmp(line, "S = ", 4))
            snprintf(shex, sizeof shex, "%s", line + 4);
        else if (!strncmp(line, "Result = ", 9)) {
            size_t cl = curve == EC_P256 ? 32 : 48;
            uint8_t msg[512], pub[97], r[64], s[64], digest[HASH_MAX_DIGEST];
            long mlen = unit_hex(msghex, msg, sizeof msg);
            pub[0] = 4;
            assert_int_equal(unit_hex(qx, pub + 1, cl), (long)cl);
            assert_int_equal(unit_hex(qy, pub + 1 + cl, cl), (long)cl);
            long rl = unit_hex(rhex, r, sizeof r), sl = unit_hex(shex, s, sizeof s);
            assert_true(mlen >= 0 && rl > 0 && sl > 0);
            hash_digest(h, msg, (size_t)mlen, digest);
            int rc = ecdsa_verify(curve, pub, 1 + 2 * cl, digest, h->digest_len, r, (size_t)rl, s,
                                  (size_t)sl);
            int want_pass = line[9] == 'P';
            pass_records += want_pass;
            total++;
            if ((rc == CRYPTO_OK) == want_pass)
                passed++;
            else
                print_error("NIST record %d (%s) rc=%s\n", total, line + 9, crypto_err_str(rc));
        }
    }
    fclose(f);
    print_message("ECDSA_SigVer_186-3.rsp (P-256/P-384, SHA-2): %d/%d passed (%d valid)\n", passed,
                  total, pass_records);
    assert_int_equal(total, 2 * 3 * 15);
    assert_int_equal(passed, total);
}

/* Interface checks: lengths, ranges, hash truncation. */
static void test_api_edges(void **state)
{
    (void)state;
    /* Wycheproof P-256 tcId 1-style: use the first valid case of the P1363 file */
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, "ecdsa_secp256r1_sha256_p1363_test.json"));
    assert_non_null(doc);
    const struct pk_json *g = pk_json_get(doc, "testGroups")->child;
    size_t publen, msglen, siglen;
    uint8_t *pub = pk_json_hex(pk_json_str(pk_json_get(g, "publicKey"), "uncompressed"), &publen);
    const struct pk_json *t = pk_json_get(g, "tests")->child;
    while (strcmp(pk_json_str(t, "result"), "valid"))
        t = t->next;
    uint8_t *msg = pk_json_hex(pk_json_str(t, "msg"), &msglen);
    uint8_t *sig = pk_json_hex(pk_json_str(t, "sig"), &siglen);
    uint8_t d[64], big[64 + 32];
    sha256(msg, msglen, d);
    assert_int_equal(ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen), CRYPTO_OK);
    /* leading zero bytes on r and s are fine */
    memset(big, 0, 16);
    memcpy(big + 16, sig, 32);
    assert_int_equal(ecdsa_verify(EC_P256, pub, publen, d, 32, big, 48, sig + 32, 32), CRYPTO_OK);
    /* a longer hash is truncated to its leftmost 256 bits */
    memcpy(big, d, 32);
    memset(big + 32, 0xa5, 32);
    assert_int_equal(ecdsa_verify(EC_P256, pub, publen, big, 64, sig, 32, sig + 32, 32), CRYPTO_OK);
    /* a flipped hash bit, a flipped signature bit, a wrong length */
    d[5] ^= 0x10;
    assert_int_equal(ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen), CRYPTO_ERR_BAD_SIGNATURE);
    d[5] ^= 0x10;
    sig[40] ^= 1;
    assert_int_equal(ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen), CRYPTO_ERR_BAD_SIGNATURE);
    sig[40] ^= 1;
    assert_int_equal(ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen - 1), CRYPTO_ERR_BAD_LENGTH);
    assert_int_equal(ecdsa_verify(EC_P256, pub, publen, d, 32, sig, 0, sig + 32, 32), CRYPTO_ERR_BAD_LENGTH);
    /* wrong curve / bad point */
    assert_int_equal(ecdsa_verify_p1363(EC_P384, pub, publen, d, 32, sig, siglen), CRYPTO_ERR_BAD_LENGTH);
    pub[10] ^= 1;
    assert_int_equal(ecdsa_verify_p1363(EC_P256, pub, publen, d, 32, sig, siglen), CRYPTO_ERR_BAD_POINT);
    pub[10] ^= 1;
    assert_int_equal(ecdsa_verify_p1363((enum ec_curve)7, pub, publen, d, 32, sig, siglen), CRYPTO_ERR_UNSUPPORTED);
    /* r = 0 and s = n are out of range */
    uint8_t zero[32] = {0}, n[32];
    unit_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", n, 32);
    assert_int_equal(ecdsa_verify(EC_P256, pub, publen, d, 32, zero, 32, sig + 32, 32), CRYPTO_ERR_BAD_SIGNATURE);
    assert_int_equal(ecdsa_verify(EC_P256, pub, publen, d, 32, sig, 32, n, 32), CRYPTO_ERR_BAD_SIGNATURE);
    free(pub);
    free(msg);
    free(sig);
    pk_json_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p256_p1363),
        cmocka_unit_test(test_p384_p1363),
        cmocka_unit_test(test_p256_der),
        cmocka_unit_test(test_p384_der),
        cmocka_unit_test(test_nist_sigver),
        cmocka_unit_test(test_api_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
