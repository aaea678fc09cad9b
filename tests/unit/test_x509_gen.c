/* scripts/gen_anchors.py end to end: this suite links a trust table generated
   from the crafted test roots (root_rsa twice, root_ec, and root_old past
   notAfter, root_nc with nameConstraints, root_pl0 with pathLen 0, whose
   constraints the table must carry) with two pins (see
   tls/x509.mk), in place of the default build/gen/trust_anchors.c, and checks
   the table and chain verification through it. */
#include "unit.h"
#include "crypto/sha2.h"
#include "tls/anchors.h"
#include "tls/x509.h"
#include <time.h>

#ifndef CERT_DIR /* set by tls/x509.mk for the build directory */
#define CERT_DIR "../../build/host/x509certs/"
#endif

static uint8_t *load(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, CERT_DIR "%s.der", name);
    uint8_t *p = (uint8_t *)unit_read_file(path, len);
    if (!p)
        fail_msg("cannot read %s", path);
    return p;
}

static void test_table(void **st)
{
    (void)st;
    const struct x509_trust *t = &x509_builtin_trust;
    assert_int_equal(t->nanchors, 5); /* the duplicate root_rsa was dropped */
    assert_int_equal(t->npins, 2);
    const char *roots[2] = {"root_rsa", "root_ec"};
    for (int i = 0; i < 2; i++) {
        size_t len;
        uint8_t *der = load(roots[i], &len);
        struct x509_cert c;
        assert_int_equal(x509_parse(&c, der, len), X509_OK);
        const struct x509_anchor *a = &t->anchors[i];
        assert_int_equal(a->subject_len, c.subject.len);
        assert_memory_equal(a->subject, c.subject.p, c.subject.len);
        assert_int_equal(a->spki_len, c.spki.len);
        assert_memory_equal(a->spki, c.spki.p, c.spki.len);
        uint8_t h[32];
        sha256(c.spki.p, c.spki.len, h);
        assert_memory_equal(a->spki_sha256, h, 32);
        free(der);
    }
    /* host normalised to lower case without the trailing dot */
    assert_string_equal(t->pins[0].host, "www.example.test");
    uint8_t empty[32];
    sha256("", 0, empty);
    assert_memory_equal(t->pins[0].spki_sha256, empty, 32);
    assert_string_equal(t->pins[1].host, "a.wild.example.test");
    size_t len;
    uint8_t *der = load("inter_rsa", &len);
    struct x509_cert c;
    assert_int_equal(x509_parse(&c, der, len), X509_OK);
    uint8_t h[32];
    sha256(c.spki.p, c.spki.len, h);
    assert_memory_equal(t->pins[1].spki_sha256, h, 32); /* pin computed with openssl */
    free(der);
}

/* The constraints of each anchor's certificate are in the table. */
static void test_table_constraints(void **st)
{
    (void)st;
    const struct x509_anchor *a = x509_builtin_trust.anchors;
    const char *roots[5] = {"root_rsa", "root_ec", "root_old", "root_nc", "root_pl0"};
    for (int i = 0; i < 5; i++) {
        size_t len;
        uint8_t *der = load(roots[i], &len);
        struct x509_anchor want;
        assert_int_equal(x509_anchor_from_cert(&want, der, len), X509_OK);
        assert_memory_equal(a[i].subject, want.subject, want.subject_len);
        assert_int_equal(a[i].not_after, want.not_after);
        assert_int_equal(a[i].nc_len, want.nc_len);
        if (want.nc)
            assert_memory_equal(a[i].nc, want.nc, want.nc_len);
        assert_int_equal(a[i].nc_critical, want.nc_critical);
        assert_int_equal(a[i].has_path_len, want.has_path_len);
        assert_int_equal(a[i].path_len, want.path_len);
        assert_int_equal(a[i].has_eku, want.has_eku);
        assert_int_equal(a[i].eku_server_auth, want.eku_server_auth);
        free(der);
    }
    assert_int_equal(a[2].not_after, 1717200000); /* 2024-06-01 */
    assert_non_null(a[3].nc);
    assert_true(a[4].has_path_len);
}

static int verify(const char *leaf, const char *inter, const char *host)
{
    size_t l1, l2 = 0;
    uint8_t *a = load(leaf, &l1), *b = inter ? load(inter, &l2) : NULL;
    const uint8_t *certs[2] = {a, b};
    size_t lens[2] = {l1, l2};
    struct x509_pubkey k;
    int e = x509_verify_chain(certs, lens, inter ? 2 : 1, host, (int64_t)time(NULL), &x509_builtin_trust, &k);
    free(a);
    free(b);
    return e;
}

static void test_verify_with_generated_table(void **st)
{
    (void)st;
    assert_int_equal(verify("leaf_rsa", "inter_rsa", "a.wild.example.test"), X509_OK);   /* pin matches */
    assert_int_equal(verify("leaf_rsa", "inter_rsa", "www.example.test"), X509_ERR_PIN_MISMATCH);
    assert_int_equal(verify("leaf_rsa", "inter_rsa", "127.0.0.1"), X509_OK);             /* unpinned */
    assert_int_equal(verify("leaf_ec256", "inter_ec", "ec.example.test"), X509_OK);
    assert_int_equal(verify("leaf_other", "root_other", "www.example.test"), X509_ERR_UNTRUSTED);
    /* the anchors' constraints apply through the generated table */
    assert_int_equal(verify("leaf_under_old", NULL, "www.example.test"), X509_ERR_ANCHOR_EXPIRED);
    assert_int_equal(verify("leaf_rootnc_ok", NULL, "www.permitted.test"), X509_OK);
    assert_int_equal(verify("leaf_rootnc_bad", NULL, "www.other.test"), X509_ERR_NAME_CONSTRAINTS);
    assert_int_equal(verify("leaf_under_pl0", NULL, "pl0.example.test"), X509_OK);
    assert_int_equal(verify("leaf_under_ipl0", "inter_under_pl0", "pl0.example.test"), X509_ERR_BAD_CHAIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_constraints),
        cmocka_unit_test(test_verify_with_generated_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
