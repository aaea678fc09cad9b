/* ML-KEM-768 (crypto/mlkem.h, crypto/mlkem_poly.h): the arithmetic layer
   against its FIPS 203 definitions (tables, Compress exhaustively, the NTT
   product against schoolbook multiplication), then every ML-KEM-768 case
   of the shared vectors: Wycheproof (keygen from seed, decaps, encaps,
   semi-expanded decaps), NIST ACVP (keyGen, encapsulation, decapsulation,
   both key checks), C2SP CCTV (strcmp, unlucky sample, modulus, the
   10 000-test accumulated hash), and random round trips with malformed
   ciphertexts that must take the implicit-rejection path. */
#include "unit.h"
#include "pk_json.h"
#include "crypto/mlkem.h"
#include "crypto/mlkem_poly.h"
#include "crypto/sha3.h"

static unsigned br7(unsigned i)
{
    unsigned r = 0;
    for (int b = 0; b < 7; b++)
        r |= ((i >> b) & 1) << (6 - b);
    return r;
}

static unsigned powmod(unsigned b, unsigned e)
{
    unsigned r = 1;
    while (e--)
        r = r * b % MLKEM_Q;
    return r;
}

/* Tables from their definition; Compress / Decompress for every input
   against exact integer rounding; decode12 reduction and flag. */
static void test_arith(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 128; i++) {
        assert_int_equal(mlkem_zetas[i], powmod(17, br7(i)));
        assert_int_equal(mlkem_gammas[i], powmod(17, 2 * br7(i) + 1));
    }
    for (unsigned d = 1; d <= 11; d++) {
        for (unsigned x = 0; x < MLKEM_Q; x++) {
            /* round(2^d x / q) = floor((2^(d+1) x + q) / 2q) */
            unsigned want = (unsigned)((((uint64_t)x << (d + 1)) + MLKEM_Q) / (2 * MLKEM_Q)) % (1u << d);
            assert_int_equal(mlkem_compress((uint16_t)x, d), want);
        }
        for (unsigned y = 0; y < (1u << d); y++) {
            unsigned want = (unsigned)(((uint64_t)y * MLKEM_Q * 2 + (1u << d)) >> (d + 1));
            assert_int_equal(mlkem_decompress((uint16_t)y, d), want);
        }
    }
    for (uint32_t a = 0; a < (1u << 24); a += 7)
        assert_int_equal(mlkem_fq_reduce(a), a % MLKEM_Q);
    assert_int_equal(mlkem_fq_reduce(0xffffffffu), 0xffffffffu % MLKEM_Q);
    uint8_t enc[384];
    mlkem_poly f, g;
    for (unsigned i = 0; i < MLKEM_N; i++)
        f.c[i] = (uint16_t)((i * 37 + 11) % MLKEM_Q);
    mlkem_encode(enc, &f, 12);
    assert_int_equal(mlkem_decode12(&g, enc), 0);
    assert_memory_equal(f.c, g.c, sizeof f.c);
    f.c[200] = 4095; /* not reduced */
    mlkem_encode(enc, &f, 12);
    assert_int_equal(mlkem_decode12(&g, enc), 1);
    assert_int_equal(g.c[200], 4095 - MLKEM_Q);
}

/* NTT^-1(NTT(a) x NTT(b)) equals a * b mod X^256 + 1, computed directly. */
static void test_ntt_product(void **state)
{
    (void)state;
    uint8_t seed[32] = {1};
    for (int round = 0; round < 4; round++) {
        mlkem_poly a, b, an, bn, prod;
        seed[1] = (uint8_t)round;
        mlkem_sample_ntt(&a, seed, 0, 1); /* uniform values in [0, q) */
        mlkem_sample_ntt(&b, seed, 1, 0);
        int64_t ref[MLKEM_N] = {0};
        for (int i = 0; i < MLKEM_N; i++)
            for (int j = 0; j < MLKEM_N; j++) {
                int64_t p = (int64_t)a.c[i] * b.c[j];
                if (i + j < MLKEM_N)
                    ref[i + j] += p;
                else
                    ref[i + j - MLKEM_N] -= p;
            }
        an = a;
        bn = b;
        mlkem_ntt(&an);
        mlkem_ntt(&bn);
        memset(&prod, 0, sizeof prod);
        mlkem_basemul_acc(&prod, &an, &bn);
        mlkem_invntt(&prod);
        for (int i = 0; i < MLKEM_N; i++)
            assert_int_equal(prod.c[i], ((ref[i] % MLKEM_Q) + MLKEM_Q) % MLKEM_Q);
        mlkem_invntt(&an);
        assert_memory_equal(an.c, a.c, sizeof a.c);
    }
}

/* Hex field of a JSON test into buf (cap bytes); returns the length or -1
   when the field is missing or too long. */
static long hexf(const struct pk_json *t, const char *key, uint8_t *buf, size_t cap)
{
    const char *s = pk_json_str(t, key);
    if (!s)
        return -1;
    return unit_hex(s, buf, cap);
}

/* Buffers big enough for a wrong-length key or ciphertext in the vectors. */
#define BIG 4096

static struct pk_json *load(const char *name)
{
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, name));
    assert_non_null(doc);
    return doc;
}

static void test_wycheproof_keygen(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/mlkem_768_keygen_seed_test.json");
    static uint8_t seed[BIG], ek[BIG], dk[BIG], gek[MLKEM768_EK_BYTES], gdk[MLKEM768_DK_BYTES];
    int total = 0, passed = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next)
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            long ns = hexf(t, "seed", seed, BIG);
            int ok = hexf(t, "ek", ek, BIG) == MLKEM768_EK_BYTES && hexf(t, "dk", dk, BIG) == MLKEM768_DK_BYTES &&
                     mlkem768_keygen_seed(gek, gdk, seed, (size_t)ns) == CRYPTO_OK &&
                     !memcmp(gek, ek, sizeof gek) && !memcmp(gdk, dk, sizeof gdk) &&
                     !strcmp(pk_json_str(t, "result"), "valid");
            passed += ok;
            if (!ok)
                print_error("keygen tcId %ld failed\n", pk_json_num(t, "tcId"));
        }
    print_message("mlkem_768_keygen_seed_test.json: %d/%d passed\n", passed, total);
    assert_int_equal(total, pk_json_num(doc, "numberOfTests"));
    assert_int_equal(passed, total);
    pk_json_free(doc);
}

/* KeyGen from seed, compare ek, Decaps(dk, c) = K; invalid: the seed or c
   has a wrong length and the call must fail. */
static void test_wycheproof_decaps(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/mlkem_768_test.json");
    static uint8_t seed[BIG], ek[BIG], c[BIG], k[BIG], gek[MLKEM768_EK_BYTES], gdk[MLKEM768_DK_BYTES];
    int total = 0, passed = 0, invalid = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next)
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            int valid = !strcmp(pk_json_str(t, "result"), "valid");
            long ns = hexf(t, "seed", seed, BIG), nc = hexf(t, "c", c, BIG), nk = hexf(t, "K", k, BIG);
            uint8_t ss[32];
            int ok;
            enum crypto_err rc = mlkem768_keygen_seed(gek, gdk, seed, (size_t)ns);
            if (valid) {
                ok = rc == CRYPTO_OK && hexf(t, "ek", ek, BIG) == MLKEM768_EK_BYTES &&
                     !memcmp(ek, gek, sizeof gek) && nk == 32 &&
                     mlkem768_decaps(ss, c, (size_t)nc, gdk, sizeof gdk) == CRYPTO_OK && !memcmp(ss, k, 32);
            } else {
                invalid++;
                ok = nk == 0 && (rc == CRYPTO_ERR_BAD_LENGTH ||
                                 mlkem768_decaps(ss, c, (size_t)nc, gdk, sizeof gdk) == CRYPTO_ERR_BAD_LENGTH);
            }
            passed += ok;
            if (!ok)
                print_error("decaps tcId %ld failed\n", pk_json_num(t, "tcId"));
        }
    print_message("mlkem_768_test.json: %d/%d passed (%d invalid rejected)\n", passed, total, invalid);
    assert_int_equal(total, pk_json_num(doc, "numberOfTests"));
    assert_int_equal(invalid, 40);
    assert_int_equal(passed, total);
    pk_json_free(doc);
}

static void test_wycheproof_encaps(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/mlkem_768_encaps_test.json");
    static uint8_t ek[BIG], m[BIG], c[BIG], k[BIG], gc[MLKEM768_CT_BYTES];
    int total = 0, passed = 0, invalid = 0, modulus = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next)
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            int valid = !strcmp(pk_json_str(t, "result"), "valid");
            long ne = hexf(t, "ek", ek, BIG);
            uint8_t ss[32];
            int ok = hexf(t, "m", m, BIG) == 32;
            enum crypto_err rc = mlkem768_encaps(ss, gc, ek, (size_t)ne, m);
            if (valid) {
                ok = ok && rc == CRYPTO_OK && hexf(t, "c", c, BIG) == MLKEM768_CT_BYTES &&
                     hexf(t, "K", k, BIG) == 32 && !memcmp(c, gc, sizeof gc) && !memcmp(k, ss, 32);
            } else {
                invalid++;
                enum crypto_err want = ne == MLKEM768_EK_BYTES ? CRYPTO_ERR_BAD_KEY : CRYPTO_ERR_BAD_LENGTH;
                modulus += want == CRYPTO_ERR_BAD_KEY;
                ok = ok && rc == want && mlkem768_check_ek(ek, (size_t)ne) == want;
            }
            passed += ok;
            if (!ok)
                print_error("encaps tcId %ld failed rc=%d\n", pk_json_num(t, "tcId"), rc);
        }
    print_message("mlkem_768_encaps_test.json: %d/%d passed (%d invalid rejected, %d by the modulus check)\n",
                  passed, total, invalid, modulus);
    assert_int_equal(total, pk_json_num(doc, "numberOfTests"));
    assert_int_equal(invalid, 132);
    assert_int_equal(modulus, 112);
    assert_int_equal(passed, total);
    pk_json_free(doc);
}

static void test_wycheproof_semi_expanded(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/mlkem_768_semi_expanded_decaps_test.json");
    static uint8_t dk[BIG], c[BIG], k[BIG];
    int total = 0, passed = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next)
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            int valid = !strcmp(pk_json_str(t, "result"), "valid");
            long nd = hexf(t, "dk", dk, BIG), nc = hexf(t, "c", c, BIG);
            uint8_t ss[32];
            enum crypto_err rc = mlkem768_decaps(ss, c, (size_t)nc, dk, (size_t)nd);
            int ok;
            if (valid)
                ok = rc == CRYPTO_OK && hexf(t, "K", k, BIG) == 32 && !memcmp(ss, k, 32);
            else
                ok = rc != CRYPTO_OK && !pk_json_get(t, "K") &&
                     (pk_json_has_flag(t, "InvalidDecapsulationKey") ? rc == CRYPTO_ERR_BAD_KEY
                                                                     : rc == CRYPTO_ERR_BAD_LENGTH);
            passed += ok;
            if (!ok)
                print_error("semi-expanded tcId %ld failed rc=%d\n", pk_json_num(t, "tcId"), rc);
        }
    print_message("mlkem_768_semi_expanded_decaps_test.json: %d/%d passed\n", passed, total);
    assert_int_equal(total, pk_json_num(doc, "numberOfTests"));
    assert_int_equal(passed, total);
    pk_json_free(doc);
}

/* ACVP groups of ML-KEM-768 with the given function ("" for keyGen). */
static int acvp_is(const struct pk_json *g, const char *function)
{
    const char *ps = pk_json_str(g, "parameterSet"), *fn = pk_json_str(g, "function");
    return ps && !strcmp(ps, "ML-KEM-768") && (*function ? fn && !strcmp(fn, function) : !fn);
}

static int json_true(const struct pk_json *t, const char *key)
{
    const struct pk_json *v = pk_json_get(t, key);
    assert_non_null(v);
    if (v->type == PKJ_BOOL)
        return v->num != 0;
    return v->type == PKJ_STR && !strcmp(v->str, "True");
}

static void test_acvp_keygen(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/acvp/ML-KEM-keyGen-FIPS203/internalProjection.json");
    static uint8_t d[32], z[32], ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], gek[MLKEM768_EK_BYTES],
        gdk[MLKEM768_DK_BYTES];
    int total = 0, passed = 0;
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        if (!acvp_is(g, ""))
            continue;
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            total++;
            int ok = hexf(t, "d", d, 32) == 32 && hexf(t, "z", z, 32) == 32 &&
                     hexf(t, "ek", ek, sizeof ek) == (long)sizeof ek && hexf(t, "dk", dk, sizeof dk) == (long)sizeof dk;
            mlkem768_keygen(gek, gdk, d, z);
            ok = ok && !memcmp(ek, gek, sizeof ek) && !memcmp(dk, gdk, sizeof dk);
            passed += ok;
        }
    }
    print_message("ACVP ML-KEM-keyGen (ML-KEM-768): %d/%d passed\n", passed, total);
    assert_int_equal(total, 25);
    assert_int_equal(passed, total);
    pk_json_free(doc);
}

static void test_acvp_encap_decap(void **state)
{
    (void)state;
    struct pk_json *doc = load("mlkem/acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json");
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], c[MLKEM768_CT_BYTES], gc[MLKEM768_CT_BYTES];
    uint8_t m[32] = {0}, k[32], ss[32];
    int n[4] = {0}, ok[4] = {0}, failing[2] = {0};
    static const char *const fn[4] = {"encapsulation", "decapsulation", "encapsulationKeyCheck",
                                      "decapsulationKeyCheck"};
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        for (int f = 0; f < 4; f++) {
            if (!acvp_is(g, fn[f]))
                continue;
            for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
                int good = 0;
                n[f]++;
                if (f == 0) {
                    good = hexf(t, "ek", ek, sizeof ek) == (long)sizeof ek && hexf(t, "m", m, 32) == 32 &&
                           hexf(t, "c", c, sizeof c) == (long)sizeof c && hexf(t, "k", k, 32) == 32 &&
                           mlkem768_encaps(ss, gc, ek, sizeof ek, m) == CRYPTO_OK &&
                           !memcmp(gc, c, sizeof c) && !memcmp(ss, k, 32);
                    /* the pair's dk opens it too */
                    good = good && hexf(t, "dk", dk, sizeof dk) == (long)sizeof dk &&
                           mlkem768_decaps(ss, c, sizeof c, dk, sizeof dk) == CRYPTO_OK && !memcmp(ss, k, 32);
                } else if (f == 1) {
                    good = hexf(t, "dk", dk, sizeof dk) == (long)sizeof dk && hexf(t, "c", c, sizeof c) == (long)sizeof c &&
                           hexf(t, "k", k, 32) == 32 &&
                           mlkem768_decaps(ss, c, sizeof c, dk, sizeof dk) == CRYPTO_OK && !memcmp(ss, k, 32);
                } else {
                    int want = json_true(t, "testPassed");
                    int rc;
                    if (f == 2)
                        rc = hexf(t, "ek", ek, sizeof ek) == (long)sizeof ek ? (int)mlkem768_check_ek(ek, sizeof ek) : -1;
                    else
                        rc = hexf(t, "dk", dk, sizeof dk) == (long)sizeof dk ? (int)mlkem768_check_dk(dk, sizeof dk) : -1;
                    good = want ? rc == CRYPTO_OK : rc == CRYPTO_ERR_BAD_KEY;
                    failing[f - 2] += !want;
                    if (!want && f == 2) /* and Encaps refuses the key */
                        good = good && mlkem768_encaps(ss, gc, ek, sizeof ek, m) == CRYPTO_ERR_BAD_KEY;
                    if (!want && f == 3)
                        good = good && mlkem768_decaps(ss, c, sizeof c, dk, sizeof dk) == CRYPTO_ERR_BAD_KEY;
                }
                ok[f] += good;
                if (!good)
                    print_error("ACVP %s tcId %ld failed\n", fn[f], pk_json_num(t, "tcId"));
            }
        }
    }
    for (int f = 0; f < 4; f++)
        print_message("ACVP ML-KEM-encapDecap %s (ML-KEM-768): %d/%d passed\n", fn[f], ok[f], n[f]);
    assert_int_equal(n[0], 25);
    assert_int_equal(n[1], 10);
    assert_int_equal(n[2], 10);
    assert_int_equal(n[3], 10);
    assert_int_equal(failing[0], 5);
    assert_int_equal(failing[1], 5);
    for (int f = 0; f < 4; f++)
        assert_int_equal(ok[f], n[f]);
    pk_json_free(doc);
}

/* CCTV text files: "name = hex" lines. Returns the length of field name. */
static long cctv_field(const char *text, const char *name, uint8_t *out, size_t cap)
{
    char key[32];
    int kl = snprintf(key, sizeof key, "%s = ", name);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (!strncmp(p, key, (size_t)kl)) {
            const char *h = p + kl;
            size_t n = strcspn(h, "\r\n");
            char *tmp = strndup(h, n);
            long r = unit_hex(tmp, out, cap);
            free(tmp);
            return r;
        }
    }
    return -1;
}

static void test_cctv_strcmp(void **state)
{
    (void)state;
    char *txt = unit_read_file(unit_vec(UNIT_SHARED, "mlkem/cctv/strcmp/ML-KEM-768.txt"), NULL);
    static uint8_t dk[MLKEM768_DK_BYTES], c[MLKEM768_CT_BYTES];
    uint8_t k[32], ss[32];
    assert_non_null(txt);
    assert_int_equal(cctv_field(txt, "dk", dk, sizeof dk), sizeof dk);
    assert_int_equal(cctv_field(txt, "c", c, sizeof c), sizeof c);
    assert_int_equal(cctv_field(txt, "K", k, 32), 32);
    assert_int_equal(mlkem768_decaps(ss, c, sizeof c, dk, sizeof dk), CRYPTO_OK);
    assert_memory_equal(ss, k, 32);
    free(txt);
    print_message("cctv strcmp/ML-KEM-768.txt: 1/1 passed\n");
}

static void test_cctv_unlucky(void **state)
{
    (void)state;
    char *txt = unit_read_file(unit_vec(UNIT_SHARED, "mlkem/cctv/unluckysample/ML-KEM-768.txt"), NULL);
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], c[MLKEM768_CT_BYTES], gek[MLKEM768_EK_BYTES],
        gdk[MLKEM768_DK_BYTES], gc[MLKEM768_CT_BYTES];
    uint8_t d[32], z[32], m[32], k[32], ss[32];
    assert_non_null(txt);
    assert_int_equal(cctv_field(txt, "d", d, 32), 32);
    assert_int_equal(cctv_field(txt, "z", z, 32), 32);
    assert_int_equal(cctv_field(txt, "m", m, 32), 32);
    assert_int_equal(cctv_field(txt, "K", k, 32), 32);
    assert_int_equal(cctv_field(txt, "ek", ek, sizeof ek), sizeof ek);
    assert_int_equal(cctv_field(txt, "dk", dk, sizeof dk), sizeof dk);
    assert_int_equal(cctv_field(txt, "c", c, sizeof c), sizeof c);
    mlkem768_keygen(gek, gdk, d, z);
    assert_memory_equal(gek, ek, sizeof ek);
    assert_memory_equal(gdk, dk, sizeof dk);
    assert_int_equal(mlkem768_encaps(ss, gc, ek, sizeof ek, m), CRYPTO_OK);
    assert_memory_equal(gc, c, sizeof c);
    assert_memory_equal(ss, k, 32);
    assert_int_equal(mlkem768_decaps(ss, c, sizeof c, dk, sizeof dk), CRYPTO_OK);
    assert_memory_equal(ss, k, 32);
    free(txt);
    print_message("cctv unluckysample/ML-KEM-768.txt: 1/1 passed\n");
}

/* Every line of the gzip'd modulus file is an ek that must be refused. */
static void test_cctv_modulus(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", unit_vec(UNIT_SHARED, "mlkem/cctv/modulus/ML-KEM-768.txt.gz"));
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    static char line[2 * MLKEM768_EK_BYTES + 16];
    static uint8_t ek[MLKEM768_EK_BYTES], c[MLKEM768_CT_BYTES];
    uint8_t m[32] = {0}, ss[32];
    int total = 0, passed = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line)
            continue;
        total++;
        passed += unit_hex(line, ek, sizeof ek) == (long)sizeof ek &&
                  mlkem768_check_ek(ek, sizeof ek) == CRYPTO_ERR_BAD_KEY &&
                  mlkem768_encaps(ss, c, ek, sizeof ek, m) == CRYPTO_ERR_BAD_KEY;
    }
    assert_int_equal(pclose(f), 0);
    print_message("cctv modulus/ML-KEM-768.txt.gz: %d/%d rejected\n", passed, total);
    assert_int_equal(total, 780);
    assert_int_equal(passed, total);
}

/* CCTV accumulated pq-crystals test, 10 000 iterations (README section 4.3). */
static void test_cctv_accumulated(void **state)
{
    (void)state;
    unit_need(UNIT_SHARED); /* the expected hash is from the vectors' README */
    struct keccak_ctx rng, acc;
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], ct[MLKEM768_CT_BYTES], bad[MLKEM768_CT_BYTES];
    uint8_t d[32], z[32], m[32], k[32], k2[32], out[32], want[32];
    assert_int_equal(unit_hex("f959d18d3d1180121433bf0e05f11e7908cf9d03edc150b2b07cb90bef5bc1c1", want, 32), 32);
    shake128_init(&rng);
    shake128_init(&acc);
    for (int i = 0; i < 10000; i++) {
        keccak_squeeze(&rng, d, 32);
        keccak_squeeze(&rng, z, 32);
        keccak_squeeze(&rng, m, 32);
        keccak_squeeze(&rng, bad, sizeof bad);
        mlkem768_keygen(ek, dk, d, z);
        assert_int_equal(mlkem768_encaps(k, ct, ek, sizeof ek, m), CRYPTO_OK);
        assert_int_equal(mlkem768_decaps(k2, ct, sizeof ct, dk, sizeof dk), CRYPTO_OK);
        assert_memory_equal(k, k2, 32);
        keccak_absorb(&acc, ek, sizeof ek);
        keccak_absorb(&acc, dk, sizeof dk);
        keccak_absorb(&acc, ct, sizeof ct);
        keccak_absorb(&acc, k, 32);
        assert_int_equal(mlkem768_decaps(k2, bad, sizeof bad, dk, sizeof dk), CRYPTO_OK);
        keccak_absorb(&acc, k2, 32);
    }
    keccak_squeeze(&acc, out, 32);
    assert_memory_equal(out, want, 32);
    print_message("cctv accumulated ML-KEM-768, 10000 tests: hash matches\n");
}

/* Random seeds: Decaps(Encaps) agrees; any corrupted ciphertext (one bit,
   one byte, the last byte, all zero) gives J(z || c) computed here
   independently; wrong lengths are refused. */
static void test_random_roundtrip(void **state)
{
    (void)state;
    struct keccak_ctx rng;
    static uint8_t ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES], ct[MLKEM768_CT_BYTES + 1], bad[MLKEM768_CT_BYTES];
    uint8_t seed[64], m[32], k[32], k2[32], j[32], r[4];
    shake128_init(&rng);
    keccak_absorb(&rng, "test_mlkem random", 17);
    for (int i = 0; i < 50; i++) {
        keccak_squeeze(&rng, seed, sizeof seed);
        keccak_squeeze(&rng, m, sizeof m);
        keccak_squeeze(&rng, r, sizeof r);
        assert_int_equal(mlkem768_keygen_seed(ek, dk, seed, sizeof seed), CRYPTO_OK);
        assert_int_equal(mlkem768_check_ek(ek, sizeof ek), CRYPTO_OK);
        assert_int_equal(mlkem768_check_dk(dk, sizeof dk), CRYPTO_OK);
        assert_int_equal(mlkem768_encaps(k, ct, ek, sizeof ek, m), CRYPTO_OK);
        assert_int_equal(mlkem768_decaps(k2, ct, MLKEM768_CT_BYTES, dk, sizeof dk), CRYPTO_OK);
        assert_memory_equal(k, k2, 32);
        for (int kind = 0; kind < 4; kind++) {
            memcpy(bad, ct, sizeof bad);
            unsigned pos = ((unsigned)r[0] << 8 | r[1]) % MLKEM768_CT_BYTES;
            if (kind == 0)
                bad[pos] ^= (uint8_t)(1u << (r[2] % 8));
            else if (kind == 1)
                bad[pos] ^= (uint8_t)(r[3] | 1);
            else if (kind == 2)
                bad[MLKEM768_CT_BYTES - 1] ^= 0x80;
            else
                memset(bad, 0, sizeof bad);
            struct keccak_ctx jx;
            shake256_init(&jx);
            keccak_absorb(&jx, seed + 32, 32); /* z */
            keccak_absorb(&jx, bad, sizeof bad);
            keccak_squeeze(&jx, j, 32);
            assert_int_equal(mlkem768_decaps(k2, bad, sizeof bad, dk, sizeof dk), CRYPTO_OK);
            assert_memory_equal(k2, j, 32);
            assert_memory_not_equal(k2, k, 32);
        }
        assert_int_equal(mlkem768_decaps(k2, ct, MLKEM768_CT_BYTES - 1, dk, sizeof dk), CRYPTO_ERR_BAD_LENGTH);
        assert_int_equal(mlkem768_decaps(k2, ct, MLKEM768_CT_BYTES + 1, dk, sizeof dk), CRYPTO_ERR_BAD_LENGTH);
        assert_int_equal(mlkem768_decaps(k2, ct, MLKEM768_CT_BYTES, dk, sizeof dk - 1), CRYPTO_ERR_BAD_LENGTH);
        assert_int_equal(mlkem768_encaps(k2, ct, ek, sizeof ek - 1, m), CRYPTO_ERR_BAD_LENGTH);
        assert_int_equal(mlkem768_keygen_seed(ek, dk, seed, 63), CRYPTO_ERR_BAD_LENGTH);
        /* a flipped H(ek) in dk is refused, not decapsulated */
        keccak_squeeze(&rng, seed, sizeof seed);
        assert_int_equal(mlkem768_keygen_seed(ek, dk, seed, sizeof seed), CRYPTO_OK);
        dk[MLKEM768_DK_BYTES - 40] ^= 1;
        assert_int_equal(mlkem768_check_dk(dk, sizeof dk), CRYPTO_ERR_BAD_KEY);
        assert_int_equal(mlkem768_decaps(k2, ct, MLKEM768_CT_BYTES, dk, sizeof dk), CRYPTO_ERR_BAD_KEY);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arith),
        cmocka_unit_test(test_ntt_product),
        cmocka_unit_test(test_wycheproof_keygen),
        cmocka_unit_test(test_wycheproof_decaps),
        cmocka_unit_test(test_wycheproof_encaps),
        cmocka_unit_test(test_wycheproof_semi_expanded),
        cmocka_unit_test(test_acvp_keygen),
        cmocka_unit_test(test_acvp_encap_decap),
        cmocka_unit_test(test_cctv_strcmp),
        cmocka_unit_test(test_cctv_unlucky),
        cmocka_unit_test(test_cctv_modulus),
        cmocka_unit_test(test_cctv_accumulated),
        cmocka_unit_test(test_random_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
