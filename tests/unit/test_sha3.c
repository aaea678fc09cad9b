/* SHA-3 / SHAKE (crypto/sha3.h) against the NIST ACVP vectors of FIPS 202
   in ../shared/vectors/sha3/acvp/: every AFT case (bit-length messages
   included, through keccak_absorb_bits), the Monte Carlo tests, the SHAKE
   variable-output tests, and the large-message tests (1 to 8 GiB: minutes
   under ASan, so their two tests are skipped by name unless SHA3_LDT=1 is
   in the environment; `make test-sha3-ldt` runs them). Plus incremental
   absorb / squeeze cut at every size against the one-shot output. */
#include "unit.h"
#include "pk_json.h"
#include "crypto/sha3.h"
#include <stdbool.h>

enum alg { A_SHA3_256, A_SHA3_512, A_SHAKE128, A_SHAKE256 };
static const char *const alg_file[] = {"sha3/acvp/SHA3-256-2.0/internalProjection.json",
                                       "sha3/acvp/SHA3-512-2.0/internalProjection.json",
                                       "sha3/acvp/SHAKE-128-1.0/internalProjection.json",
                                       "sha3/acvp/SHAKE-256-1.0/internalProjection.json"};

static void alg_init(struct keccak_ctx *c, enum alg a)
{
    switch (a) {
    case A_SHA3_256: sha3_256_init(c); break;
    case A_SHA3_512: sha3_512_init(c); break;
    case A_SHAKE128: shake128_init(c); break;
    case A_SHAKE256: shake256_init(c); break;
    }
}

static size_t digest_len(enum alg a) { return a == A_SHA3_256 ? 32 : a == A_SHA3_512 ? 64 : 0; }

/* Number fields are JSON numbers in these files; accept strings too. */
static long num(const struct pk_json *o, const char *key)
{
    const struct pk_json *v = pk_json_get(o, key);
    assert_non_null(v);
    return v->type == PKJ_STR ? strtol(v->str, NULL, 10) : (long)v->num;
}

static uint8_t *hex(const struct pk_json *o, const char *key, size_t *n)
{
    uint8_t *b = pk_json_hex(pk_json_str(o, key), n);
    assert_non_null(b);
    return b;
}

/* H(msg of nbits bits), outlen bytes; the message is absorbed in two parts
   cut at byte `cut` to exercise the incremental path. The last nbits % 8
   bits are the top bits of the last byte (ACVP convention). */
static void run(enum alg a, const uint8_t *msg, long nbits, size_t cut, uint8_t *out, size_t outlen)
{
    struct keccak_ctx c;
    size_t full = (size_t)nbits / 8;
    unsigned r = (unsigned)(nbits % 8);
    if (cut > full)
        cut = full;
    alg_init(&c, a);
    keccak_absorb(&c, msg, cut);
    keccak_absorb(&c, msg + cut, full - cut);
    if (r)
        keccak_absorb_bits(&c, (uint8_t)(msg[full] >> (8 - r)), r);
    keccak_squeeze(&c, out, outlen);
    keccak_wipe(&c);
}

/* The AFT, MCT and VOT groups of a file, or (ldt) only its LDT groups. */
static void one_file(enum alg a, bool ldt)
{
    struct pk_json *doc = pk_json_load(unit_vec(UNIT_SHARED, alg_file[a]));
    assert_non_null(doc);
    int n[4] = {0}, ok[4] = {0}, bitlen = 0, ldt_run = 0;
    static const char *const types[4] = {"AFT", "MCT", "VOT", "LDT"};
    for (const struct pk_json *g = pk_json_get(doc, "testGroups")->child; g; g = g->next) {
        const char *type = pk_json_str(g, "testType");
        int ty = !strcmp(type, "AFT") ? 0 : !strcmp(type, "MCT") ? 1 : !strcmp(type, "VOT") ? 2 : 3;
        assert_string_equal(types[ty], type);
        if ((ty == 3) != ldt)
            continue;
        for (const struct pk_json *t = pk_json_get(g, "tests")->child; t; t = t->next) {
            size_t mlen, mdlen;
            uint8_t *msg = hex(t, "msg", &mlen);
            uint8_t *md = hex(t, "md", &mdlen);
            long len = num(t, "len");
            int good = 0;
            n[ty]++;
            if (ty == 0 || ty == 2) {
                size_t outbits = digest_len(a) ? 8 * digest_len(a) : (size_t)num(t, "outLen");
                size_t outlen = (outbits + 7) / 8;
                uint8_t *out = malloc(outlen + 1);
                assert_true(mlen == (size_t)(len + 7) / 8);
                bitlen += len % 8 != 0;
                run(a, msg, len, (size_t)num(t, "tcId") % (mlen + 1), out, outlen);
                if (outbits % 8)
                    out[outlen - 1] &= (uint8_t)((1u << (outbits % 8)) - 1);
                good = mdlen == outlen && !memcmp(out, md, outlen);
                free(out);
            } else if (ty == 1 && digest_len(a)) {
                /* md = msg; 100 x { 1000 x md = H(md); check } */
                uint8_t cur[64];
                size_t dl = digest_len(a);
                const struct pk_json *res = pk_json_get(t, "resultsArray")->child;
                assert_int_equal(mlen, dl);
                memcpy(cur, msg, dl);
                good = 1;
                for (int j = 0; j < 100; j++, res = res->next) {
                    for (int i = 0; i < 1000; i++)
                        run(a, cur, (long)(8 * dl), 0, cur, dl);
                    size_t wl;
                    uint8_t *want = hex(res, "md", &wl);
                    good &= wl == dl && !memcmp(cur, want, dl);
                    free(want);
                }
                assert_null(res);
            } else if (ty == 1) {
                /* SHAKE MCT (README section 5) */
                size_t minb = (size_t)num(g, "minOutLen") / 8, maxb = (size_t)num(g, "maxOutLen") / 8;
                size_t range = maxb - minb + 1, outb = maxb, xl = mlen;
                uint8_t x[512], cur[512], m[16];
                const struct pk_json *res = pk_json_get(t, "resultsArray")->child;
                assert_true(mlen <= sizeof x && maxb <= sizeof cur);
                memcpy(x, msg, mlen);
                good = 1;
                for (int j = 0; j < 100; j++, res = res->next) {
                    size_t cl = xl;
                    memcpy(cur, x, xl);
                    for (int i = 0; i < 1000; i++) {
                        memset(m, 0, sizeof m);
                        memcpy(m, cur, cl < 16 ? cl : 16);
                        run(a, m, 128, 0, cur, outb);
                        cl = outb;
                        outb = minb + ((size_t)cur[cl - 2] << 8 | cur[cl - 1]) % range;
                    }
                    size_t wl;
                    uint8_t *want = hex(res, "md", &wl);
                    good &= wl == cl && !memcmp(cur, want, cl) && num(res, "outLen") == (long)(8 * cl);
                    free(want);
                    memcpy(x, cur, cl);
                    xl = cl;
                }
                assert_null(res);
            } else {
                /* LDT: content repeated to fullLength bits */
                const struct pk_json *lm = pk_json_get(t, "largeMsg");
                size_t cl;
                uint8_t *content = hex(lm, "content", &cl);
                uint64_t full = (uint64_t)pk_json_get(lm, "fullLength")->num / 8;
                assert_int_equal(num(lm, "contentLength"), 64);
                assert_string_equal(pk_json_str(lm, "expansionTechnique"), "repeating");
                {
                    enum { CHUNK = 1 << 20 };
                    uint8_t *buf = malloc(CHUNK), out[64];
                    for (size_t i = 0; i < CHUNK; i++)
                        buf[i] = content[i % cl];
                    struct keccak_ctx c;
                    alg_init(&c, a);
                    for (uint64_t done = 0; done < full; done += CHUNK)
                        keccak_absorb(&c, buf, full - done < CHUNK ? (size_t)(full - done) : CHUNK);
                    keccak_squeeze(&c, out, digest_len(a));
                    good = mdlen == digest_len(a) && !memcmp(out, md, mdlen);
                    free(buf);
                    ldt_run++;
                }
                free(content);
            }
            ok[ty] += good;
            if (!good)
                print_error("%s %s tcId %ld failed\n", alg_file[a], type, num(t, "tcId"));
            free(msg);
            free(md);
        }
    }
    print_message("%s: AFT %d/%d (%d with bit lengths), MCT %d/%d, VOT %d/%d, LDT %d/%d%s\n", alg_file[a], ok[0],
                  n[0], bitlen, ok[1], n[1], ok[2], n[2], ldt_run ? ok[3] : 0, n[3],
                  "");
    for (int i = 0; i < 4; i++)
        assert_int_equal(ok[i], n[i]);
    static const int want_aft[] = {1194, 682, 1392, 1148};
    assert_int_equal(n[0], ldt ? 0 : want_aft[a]);
    assert_int_equal(n[1], ldt ? 0 : 1);
    assert_int_equal(n[2], ldt || digest_len(a) ? 0 : 512);
    assert_int_equal(n[3], ldt ? 4 : 0);
    assert_int_equal(ldt_run, n[3]);
    pk_json_free(doc);
}

static void test_acvp_sha3_256(void **state) { (void)state; one_file(A_SHA3_256, false); }
static void test_acvp_sha3_512(void **state) { (void)state; one_file(A_SHA3_512, false); }
static void test_acvp_shake128(void **state) { (void)state; one_file(A_SHAKE128, false); }
static void test_acvp_shake256(void **state) { (void)state; one_file(A_SHAKE256, false); }

/* The large-message tests (1 to 8 GiB each), only with SHA3_LDT=1. */
static void ldt(enum alg a)
{
    const char *env = getenv("SHA3_LDT");
    if (!env || strcmp(env, "1")) {
        print_message("SKIPPED: %s LDT (1-8 GiB messages; make test-sha3-ldt runs them)\n",
                      alg_file[a]);
        skip();
    }
    one_file(a, true);
}
static void test_ldt_sha3_256(void **state) { (void)state; ldt(A_SHA3_256); }
static void test_ldt_sha3_512(void **state) { (void)state; ldt(A_SHA3_512); }

/* FIPS 202 / NIST examples for the empty message (byte API). */
static void test_empty(void **state)
{
    (void)state;
    uint8_t out[64], want[64];
    sha3_256("", 0, out);
    assert_int_equal(unit_hex("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", want, 32), 32);
    assert_memory_equal(out, want, 32);
    shake128("", 0, out, 16);
    assert_int_equal(unit_hex("7f9c2ba4e88f827d616045507605853e", want, 16), 16);
    assert_memory_equal(out, want, 16);
}

/* Squeezing in pieces of every size 1..200 gives the one-shot stream, for
   messages around the rate boundaries; absorbing byte by byte too. */
static void test_incremental(void **state)
{
    (void)state;
    static uint8_t msg[600], ref[1500], got[1500];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    static const size_t lens[] = {0, 1, 71, 72, 73, 135, 136, 137, 167, 168, 169, 336, 599};
    for (int a = A_SHAKE128; a <= A_SHAKE256; a++)
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            struct keccak_ctx c;
            alg_init(&c, (enum alg)a);
            keccak_absorb(&c, msg, lens[li]);
            keccak_squeeze(&c, ref, sizeof ref);
            for (size_t step = 1; step <= 200; step += (step < 10 ? 1 : 17)) {
                alg_init(&c, (enum alg)a);
                for (size_t i = 0; i < lens[li]; i++)
                    keccak_absorb(&c, msg + i, 1);
                for (size_t off = 0; off < sizeof got; off += step)
                    keccak_squeeze(&c, got + off, off + step <= sizeof got ? step : sizeof got - off);
                assert_memory_equal(got, ref, sizeof ref);
            }
            /* the one-shot helper agrees */
            if (a == A_SHAKE128)
                shake128(msg, lens[li], got, sizeof got);
            else
                shake256(msg, lens[li], got, sizeof got);
            assert_memory_equal(got, ref, sizeof ref);
        }
    /* sha3_*_final equals the one-shot helpers and wipes the context */
    struct keccak_ctx c, zero;
    uint8_t d1[64], d2[64];
    memset(&zero, 0, sizeof zero);
    sha3_512_init(&c);
    keccak_absorb(&c, msg, 100);
    keccak_absorb(&c, msg + 100, 500);
    sha3_512_final(&c, d1);
    sha3_512(msg, 600, d2);
    assert_memory_equal(d1, d2, 64);
    assert_memory_equal(&c, &zero, sizeof c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_acvp_sha3_256),
        cmocka_unit_test(test_acvp_sha3_512),
        cmocka_unit_test(test_acvp_shake128),
        cmocka_unit_test(test_acvp_shake256),
        cmocka_unit_test(test_ldt_sha3_256),
        cmocka_unit_test(test_ldt_sha3_512),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
