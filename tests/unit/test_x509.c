/* X.509: parsing (differential against OpenSSL's parser), extensions, host
   names, chain verification, pins, TLS signatures, built-in anchors.
   Certificates are crafted at test time by tests/certs/mkcerts.py into
   build/host/x509certs (see that script for what each one is). */
#include "unit.h"
#include "crypto/asn1.h"
#include "crypto/sha2.h"
#include "tls/anchors.h"
#include "tls/x509.h"
#include "tls/x509_selftest.h"
#include <dirent.h>
#include <time.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#ifndef CERT_DIR /* set by tls/x509.mk for the build directory */
#define CERT_DIR "../../build/host/x509certs/"
#endif

struct blob {
    uint8_t *p;
    size_t len;
};

static struct blob load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, CERT_DIR "%s", name);
    struct blob b = {0, 0};
    b.p = (uint8_t *)unit_read_file(path, &b.len);
    if (!b.p)
        fail_msg("cannot read %s", path);
    return b;
}

static struct blob cert(const char *name)
{
    char n[128];
    snprintf(n, sizeof n, "%s.der", name);
    return load(n);
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static int setup(void **st)
{
    (void)st;
    int rc = system("/usr/bin/python3 ../certs/mkcerts.py " CERT_DIR);
    return rc == 0 ? 0 : -1;
}

/* ---- parsing -------------------------------------------------------- */

static int64_t tm_unix(const ASN1_TIME *t)
{
    struct tm tm;
    assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
    return (int64_t)timegm(&tm);
}

/* Every crafted certificate: our fields equal OpenSSL's. */
static void test_parse_differential(void **st)
{
    (void)st;
    DIR *d = opendir(CERT_DIR);
    assert_non_null(d);
    struct dirent *de;
    int count = 0;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 4, ".der"))
            continue;
        struct blob b = load(de->d_name);
        const unsigned char *pp = b.p;
        X509 *x = d2i_X509(NULL, &pp, (long)b.len);
        assert_non_null(x);
        struct x509_cert c;
        int e = x509_parse(&c, b.p, b.len);
        if (strncmp(de->d_name, "bad_san_", 8) == 0) { /* malformed SAN: see test_hardening */
            assert_int_equal(e, X509_ERR_MALFORMED);
            X509_free(x);
            free(b.p);
            continue;
        }
        if (strcmp(de->d_name, "leaf_critext.der") == 0) {
            assert_int_equal(e, X509_ERR_UNKNOWN_CRITICAL);
            X509_free(x);
            free(b.p);
            continue;
        }
        if (e)
            fail_msg("%s: %s", de->d_name, x509_err_str(e));
        assert_int_equal(c.version, X509_get_version(x) + 1);
        unsigned char *der = NULL;
        int n = i2d_X509_NAME(X509_get_subject_name(x), &der);
        assert_int_equal((size_t)n, c.subject.len);
        assert_memory_equal(der, c.subject.p, c.subject.len);
        OPENSSL_free(der);
        der = NULL;
        n = i2d_X509_NAME(X509_get_issuer_name(x), &der);
        assert_int_equal((size_t)n, c.issuer.len);
        assert_memory_equal(der, c.issuer.p, c.issuer.len);
        OPENSSL_free(der);
        der = NULL;
        n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
        assert_int_equal((size_t)n, c.spki.len);
        assert_memory_equal(der, c.spki.p, c.spki.len);
        OPENSSL_free(der);
        der = NULL;
        n = i2d_re_X509_tbs(x, &der);
        assert_int_equal((size_t)n, c.tbs.len);
        assert_memory_equal(der, c.tbs.p, c.tbs.len);
        OPENSSL_free(der);
        assert_int_equal(c.not_before, tm_unix(X509_get0_notBefore(x)));
        assert_int_equal(c.not_after, tm_unix(X509_get0_notAfter(x)));
        const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
        BIGNUM *bn = ASN1_INTEGER_to_BN(sn, NULL);
        uint8_t snb[64];
        int snl = BN_bn2bin(bn, snb);
        assert_int_equal((size_t)snl, c.serial.len);
        assert_memory_equal(snb, c.serial.p, c.serial.len);
        BN_free(bn);
        const ASN1_BIT_STRING *sig;
        X509_get0_signature(&sig, NULL, x);
        assert_int_equal((size_t)sig->length, c.sig.len);
        assert_memory_equal(sig->data, c.sig.p, c.sig.len);
        /* basicConstraints / pathLen as OpenSSL sees them */
        uint32_t ex = X509_get_extension_flags(x);
        assert_int_equal(!!(ex & EXFLAG_CA), c.has_bc && c.is_ca);
        long pl = X509_get_pathlen(x);
        assert_int_equal(c.path_len, c.has_bc && c.is_ca ? (int)pl : c.path_len);
        if (ex & EXFLAG_KUSAGE) {
            assert_true(c.has_ku);
            uint32_t ku = X509_get_key_usage(x);
            /* OpenSSL: digitalSignature 0x80, keyEncipherment 0x20, keyCertSign 0x04 */
            assert_int_equal(!!(ku & 0x80), !!(c.key_usage & X509_KU_DIGITAL_SIGNATURE));
            assert_int_equal(!!(ku & 0x20), !!(c.key_usage & X509_KU_KEY_ENCIPHERMENT));
            assert_int_equal(!!(ku & 0x04), !!(c.key_usage & X509_KU_KEY_CERT_SIGN));
        } else {
            assert_false(c.has_ku);
        }
        X509_free(x);
        free(b.p);
        count++;
    }
    closedir(d);
    assert_true(count >= 40);
}

static void test_parse_fields(void **st)
{
    (void)st;
    struct blob b = cert("leaf_rsa"), i = cert("inter_rsa");
    struct x509_cert c, ic;
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_int_equal(x509_parse(&ic, i.p, i.len), X509_OK);
    assert_int_equal(c.version, 3);
    assert_int_equal(c.sig_alg, X509_SIG_RSA_PKCS1_SHA256);
    assert_int_equal(c.key.type, X509_KEY_RSA);
    assert_int_equal(x509_rsa_bits(&c.key), 2048);
    assert_int_equal(c.key.elen, 3);
    assert_memory_equal(c.key.e, "\x01\x00\x01", 3);
    assert_int_equal(c.not_before, 1704067200);
    assert_int_equal(c.not_after, 2366841600);
    assert_int_equal(c.cn.len, strlen("www.example.test"));
    assert_memory_equal(c.cn.p, "www.example.test", c.cn.len);
    assert_true(c.has_san && c.has_eku && c.eku_server_auth && !c.eku_any);
    assert_true(c.has_ku && (c.key_usage & X509_KU_DIGITAL_SIGNATURE));
    assert_false(c.has_bc);
    assert_int_equal(c.path_len, -1);
    assert_int_equal(c.issuer.len, ic.subject.len);
    assert_memory_equal(c.issuer.p, ic.subject.p, c.issuer.len);
    assert_true(ic.has_bc && ic.is_ca);
    assert_int_equal(ic.path_len, 0);
    assert_true(ic.key_usage & X509_KU_KEY_CERT_SIGN);
    free(b.p);
    free(i.p);

    struct { const char *name; int alg, key; size_t pointlen; } t[] = {
        {"leaf_ec256", X509_SIG_ECDSA_SHA256, X509_KEY_EC_P256, 65},
        {"leaf_ec384", X509_SIG_ECDSA_SHA512, X509_KEY_EC_P384, 97},
        {"inter_ec", X509_SIG_ECDSA_SHA384, X509_KEY_EC_P256, 65},
        {"root_ec", X509_SIG_ECDSA_SHA384, X509_KEY_EC_P384, 97},
        {"leaf_rsa4096", X509_SIG_RSA_PKCS1_SHA384, X509_KEY_RSA, 0},
        {"leaf_rsa_sha512", X509_SIG_RSA_PKCS1_SHA512, X509_KEY_RSA, 0},
        {"leaf_pss256", X509_SIG_RSA_PSS_SHA256, X509_KEY_RSA, 0},
        {"leaf_pss384", X509_SIG_RSA_PSS_SHA384, X509_KEY_RSA, 0},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        b = cert(t[k].name);
        assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
        assert_int_equal(c.sig_alg, t[k].alg);
        assert_int_equal(c.key.type, t[k].key);
        assert_int_equal(c.key.pointlen, t[k].pointlen);
        if (t[k].pointlen)
            assert_int_equal(c.key.point[0], 4);
        free(b.p);
    }
    b = cert("leaf_rsa4096");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_int_equal(x509_rsa_bits(&c.key), 4096);
    free(b.p);
    b = cert("leaf_rsa1024");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_int_equal(x509_rsa_bits(&c.key), 1024);
    free(b.p);
    b = cert("leaf_noncritext");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    free(b.p);
    b = cert("leaf_anyeku");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_true(c.eku_any && !c.eku_server_auth);
    free(b.p);
}

/* Finds the first occurrence of needle in hay. */
static uint8_t *find(uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

static void test_parse_bad(void **st)
{
    (void)st;
    struct blob b = cert("leaf_ec256");
    struct x509_cert c;
    /* every truncation fails */
    for (size_t n = 0; n < b.len; n++)
        assert_int_not_equal(x509_parse(&c, b.p, n), X509_OK);
    /* trailing byte */
    uint8_t *ext = malloc(b.len + 1);
    memcpy(ext, b.p, b.len);
    ext[b.len] = 0;
    assert_int_equal(x509_parse(&c, ext, b.len + 1), X509_ERR_MALFORMED);
    free(ext);
    /* every single-byte change either fails cleanly or still parses */
    uint8_t *m = malloc(b.len);
    for (size_t i = 0; i < b.len; i++) {
        static const uint8_t xs[] = {0x01, 0x80, 0xff};
        for (size_t k = 0; k < sizeof xs; k++) {
            memcpy(m, b.p, b.len);
            m[i] ^= xs[k];
            int e = x509_parse(&c, m, b.len);
            assert_true(e >= X509_OK && e < X509_ERR_COUNT);
        }
    }
    /* inner signature algorithm differs from the outer one: ecdsa-with-SHA256
       appears twice; change the second (outer) one to SHA-384 */
    static const uint8_t sha256ec[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
    memcpy(m, b.p, b.len);
    uint8_t *first = find(m, b.len, sha256ec, sizeof sha256ec);
    assert_non_null(first);
    uint8_t *second = find(first + 1, b.len - (size_t)(first + 1 - m), sha256ec, sizeof sha256ec);
    assert_non_null(second);
    second[9] = 0x03;
    assert_int_equal(x509_parse(&c, m, b.len), X509_ERR_MALFORMED);
    /* unknown signature algorithm in both places */
    memcpy(m, b.p, b.len);
    first = find(m, b.len, sha256ec, sizeof sha256ec);
    second = find(first + 1, b.len - (size_t)(first + 1 - m), sha256ec, sizeof sha256ec);
    first[9] = second[9] = 0x01; /* ecdsa-with-SHA224: parses, unusable */
    assert_int_equal(x509_parse(&c, m, b.len), X509_OK);
    assert_int_equal(c.sig_alg, X509_SIG_NONE);
    assert_int_equal(x509_check_cert_signature(&c, &c.key), X509_ERR_UNSUPPORTED_ALG);
    struct blob ie = cert("inter_ec"), re = cert("root_ec");
    struct x509_anchor an;
    assert_int_equal(x509_anchor_from_cert(&an, re.p, re.len), X509_OK);
    struct x509_trust tr = {&an, 1, NULL, 0};
    const uint8_t *cs[2] = {m, ie.p};
    size_t ls[2] = {b.len, ie.len};
    struct x509_pubkey lk;
    assert_int_equal(x509_verify_chain(cs, ls, 2, "ec.example.test", now_s(), &tr, &lk), X509_ERR_UNSUPPORTED_ALG);
    cs[0] = b.p;
    assert_int_equal(x509_verify_chain(cs, ls, 2, "ec.example.test", now_s(), &tr, &lk), X509_OK);
    /* unknown named curve: prime256v1 -> prime239v1 (1.2.840.10045.3.1.4) */
    static const uint8_t p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    memcpy(m, b.p, b.len);
    uint8_t *cv = find(m, b.len, p256, sizeof p256);
    assert_non_null(cv);
    cv[9] = 0x04;
    assert_int_equal(x509_parse(&c, m, b.len), X509_OK);
    assert_int_equal(c.key.type, X509_KEY_NONE);
    cs[0] = m;
    assert_int_equal(x509_verify_chain(cs, ls, 2, "ec.example.test", now_s(), &tr, &lk), X509_ERR_UNSUPPORTED_ALG);
    struct x509_pubkey none;
    memset(&none, 0, sizeof none);
    assert_int_equal(x509_verify_tls_signature(&none, X509_TLS_ECDSA_SECP256R1_SHA256, m, 10, m, 10),
                     X509_ERR_UNSUPPORTED_ALG);
    free(ie.p);
    free(re.p);
    /* version 3 -> 4 */
    static const uint8_t v3[] = {0xa0, 0x03, 0x02, 0x01, 0x02};
    memcpy(m, b.p, b.len);
    uint8_t *vp = find(m, b.len, v3, sizeof v3);
    assert_non_null(vp);
    vp[4] = 3;
    assert_int_equal(x509_parse(&c, m, b.len), X509_ERR_MALFORMED);
    free(m);
    free(b.p);
    /* NULL / garbage */
    assert_int_equal(x509_parse(&c, NULL, 0), X509_ERR_BAD_ARG);
    uint8_t junk[] = {0x30, 0x80, 0x00, 0x00};
    assert_int_equal(x509_parse(&c, junk, sizeof junk), X509_ERR_MALFORMED);
}

/* RSASSA-PSS AlgorithmIdentifier parameter forms (RFC 4055 3.1). */
static void test_pss_params(void **st)
{
    (void)st;
    struct x509_cert c;
    struct blob b = cert("leaf_pss256");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    /* saltLength [2] INTEGER 32 appears twice (inner and outer): change both
       to 20 -> not the hash length -> unsupported */
    static const uint8_t salt[] = {0xa2, 0x03, 0x02, 0x01, 0x20};
    uint8_t *m = malloc(b.len);
    memcpy(m, b.p, b.len);
    uint8_t *s1 = find(m, b.len, salt, sizeof salt);
    assert_non_null(s1);
    uint8_t *s2 = find(s1 + 1, b.len - (size_t)(s1 + 1 - m), salt, sizeof salt);
    assert_non_null(s2);
    s1[4] = s2[4] = 20;
    assert_int_equal(x509_parse(&c, m, b.len), X509_OK);
    assert_int_equal(c.sig_alg, X509_SIG_NONE);
    /* only one of the two changed: inner and outer algorithms differ */
    s2[4] = 32;
    assert_int_equal(x509_parse(&c, m, b.len), X509_ERR_MALFORMED);
    /* MGF1 hash differs from the message hash: sha256 OID inside MGF1 -> sha512 */
    static const uint8_t mgf1[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,
                                   0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
                                   0x02, 0x01};
    memcpy(m, b.p, b.len);
    uint8_t *g1 = find(m, b.len, mgf1, sizeof mgf1);
    assert_non_null(g1);
    uint8_t *g2 = find(g1 + 1, b.len - (size_t)(g1 + 1 - m), mgf1, sizeof mgf1);
    assert_non_null(g2);
    g1[23] = g2[23] = 0x03;
    assert_int_equal(x509_parse(&c, m, b.len), X509_OK);
    assert_int_equal(c.sig_alg, X509_SIG_NONE);
    assert_int_equal(x509_check_cert_signature(&c, &c.key), X509_ERR_UNSUPPORTED_ALG);
    free(m);
    free(b.p);
}

static void test_spki_direct(void **st)
{
    (void)st;
    struct x509_pubkey k;
    uint8_t buf[256];
    /* compressed P-256 point -> unsupported */
    long n = unit_hex("3039301306072a8648ce3d020106082a8648ce3d030107032200"
                      "026b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                      buf, sizeof buf);
    assert_true(n > 0);
    assert_int_equal(x509_parse_spki(&k, buf, (size_t)n), X509_ERR_UNSUPPORTED_ALG);
    /* Ed25519 (1.3.101.112) -> unsupported */
    n = unit_hex("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                 buf, sizeof buf);
    assert_int_equal(x509_parse_spki(&k, buf, (size_t)n), X509_ERR_UNSUPPORTED_ALG);
    /* RSA with an even modulus -> malformed */
    n = unit_hex("301c300d06092a864886f70d0101010500030b003008020300fffe020103", buf, sizeof buf);
    assert_int_equal(x509_parse_spki(&k, buf, (size_t)n), X509_ERR_MALFORMED);
    /* RSA n = 0xffff (odd), e = 3 -> parses, 16 bits */
    n = unit_hex("301c300d06092a864886f70d0101010500030b003008020300ffff020103", buf, sizeof buf);
    assert_int_equal(x509_parse_spki(&k, buf, (size_t)n), X509_OK);
    assert_int_equal(x509_rsa_bits(&k), 16);
    /* BIT STRING with unused bits -> malformed */
    n = unit_hex("301c300d06092a864886f70d0101010500030b013008020300ffff020103", buf, sizeof buf);
    assert_int_equal(x509_parse_spki(&k, buf, (size_t)n), X509_ERR_MALFORMED);
}

/* ---- host names ----------------------------------------------------- */

static int dm(const char *p, const char *h)
{
    return x509_dns_name_match(p, strlen(p), h, strlen(h));
}

static void test_dns_match_table(void **st)
{
    (void)st;
    static const struct { const char *pat, *host; int want; } t[] = {
        {"example.com", "example.com", 1},
        {"Example.COM", "eXample.com", 1},
        {"example.com", "www.example.com", 0},
        {"www.example.com", "example.com", 0},
        {"*.example.com", "a.example.com", 1},
        {"*.example.com", "A.EXAMPLE.com", 1},
        {"*.example.com", "example.com", 0},          /* wildcard needs a label */
        {"*.example.com", "a.b.example.com", 0},      /* one label only */
        {"*.example.com", ".example.com", 0},
        {"*.example.com", "aexample.com", 0},
        {"f*.example.com", "foo.example.com", 0},     /* no partial-label wildcards */
        {"*o.example.com", "foo.example.com", 0},
        {"w*w.example.com", "www.example.com", 0},
        {"a.*.example.com", "a.b.example.com", 0},    /* only left-most */
        {"*.*.example.com", "a.b.example.com", 0},
        {"*.com", "example.com", 0},                  /* single-label suffix */
        {"*", "example", 0},
        {"*.", "a.", 0},
        {"**.example.com", "a.example.com", 0},
        {"*.example.com", "*.example.com", 0},        /* host with '*' is invalid */
        {"example.com.", "example.com", 0},
        {"", "example.com", 0},
        {"example.com", "", 0},
        {"exa mple.com", "exa mple.com", 0},
        {"xn--bcher-kva.example", "XN--BCHER-KVA.example", 1},
        {"*.xn--bcher-kva.example", "a.xn--bcher-kva.example", 1},
        {"127.0.0.1", "127.0.0.1", 1},                 /* (x509_check_host never calls this for IPs) */
        {"a..example.com", "a..example.com", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (dm(t[i].pat, t[i].host) != t[i].want)
            fail_msg("pattern '%s' host '%s': want %d", t[i].pat, t[i].host, t[i].want);
}

static void test_ip_parse(void **st)
{
    (void)st;
    static const struct { const char *s; size_t n; const char *hex; } t[] = {
        {"127.0.0.1", 4, "7f000001"},
        {"255.255.255.255", 4, "ffffffff"},
        {"0.0.0.0", 4, "00000000"},
        {"256.0.0.1", 0, ""},
        {"1.2.3", 0, ""},
        {"1.2.3.4.5", 0, ""},
        {"01.2.3.4", 0, ""},
        {"1.2.3.4.", 0, ""},
        {"1..3.4", 0, ""},
        {"::1", 16, "00000000000000000000000000000001"},
        {"[::1]", 16, "00000000000000000000000000000001"},
        {"::", 16, "00000000000000000000000000000000"},
        {"2001:db8::8:800:200c:417a", 16, "20010db8000000000008080020 0c417a"},
        {"2001:DB8:0:0:8:800:200C:417A", 16, "20010db8000000000008080020 0c417a"},
        {"fe80::", 16, "fe800000000000000000000000000000"},
        {"::ffff:192.0.2.1", 16, "00000000000000000000ffffc0000201"},
        {"1:2:3:4:5:6:7:8", 16, "00010002000300040005000600070008"},
        {"1:2:3:4:5:6:7:8:9", 0, ""},
        {"1::2::3", 0, ""},
        {":1::", 0, ""},
        {"1:", 0, ""},
        {"12345::", 0, ""},
        {"1:2:3:4:5:6:7::8", 0, ""},
        {"g::1", 0, ""},
        {"example.com", 0, ""},
        {"", 0, ""},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t out[16], want[16];
        size_t n = x509_parse_ip(t[i].s, strlen(t[i].s), out);
        if (n != t[i].n)
            fail_msg("'%s': got %zu bytes, want %zu", t[i].s, n, t[i].n);
        if (n) {
            char hex[40];
            size_t k = 0;
            for (const char *p = t[i].hex; *p; p++)
                if (*p != ' ')
                    hex[k++] = *p;
            hex[k] = 0;
            assert_int_equal(unit_hex(hex, want, sizeof want), (long)n);
            assert_memory_equal(out, want, n);
        }
    }
}

static void test_check_host(void **st)
{
    (void)st;
    struct blob b = cert("leaf_rsa");
    struct x509_cert c;
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    static const struct { const char *host; int want; } t[] = {
        {"www.example.test", X509_OK},
        {"WWW.Example.TEST", X509_OK},
        {"www.example.test.", X509_OK},
        {"a.wild.example.test", X509_OK},
        {"wild.example.test", X509_ERR_HOSTNAME_MISMATCH},
        {"a.b.wild.example.test", X509_ERR_HOSTNAME_MISMATCH},
        {"example.test", X509_ERR_HOSTNAME_MISMATCH},
        {"127.0.0.1", X509_OK},
        {"::1", X509_OK},
        {"0:0:0:0:0:0:0:1", X509_OK},
        {"[::1]", X509_OK},
        {"127.0.0.2", X509_ERR_HOSTNAME_MISMATCH},
        {"::2", X509_ERR_HOSTNAME_MISMATCH},
        {"", X509_ERR_HOSTNAME_MISMATCH},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if ((int)x509_check_host(&c, t[i].host) != t[i].want)
            fail_msg("host '%s': want %s", t[i].host, x509_err_str(t[i].want));
    assert_int_equal(x509_check_host(&c, NULL), X509_ERR_HOSTNAME_MISMATCH);
    free(b.p);
    /* CN is never used: leaf_nosan has CN=www.example.test and no SAN */
    b = cert("leaf_nosan");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_false(c.has_san);
    assert_int_equal(x509_check_host(&c, "www.example.test"), X509_ERR_HOSTNAME_MISMATCH);
    free(b.p);
    /* a dNSName that spells an IP address does not match an IP host */
    b = cert("leaf_ec256");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_int_equal(x509_check_host(&c, "ec.example.test"), X509_OK);
    assert_int_equal(x509_check_host(&c, "127.0.0.1"), X509_ERR_HOSTNAME_MISMATCH);
    free(b.p);
}

/* ---- pins and anchors --------------------------------------------- */

static void test_pin_parse(void **st)
{
    (void)st;
    uint8_t out[32], want[32];
    const char *good = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    assert_int_equal(x509_pin_parse(good, strlen(good), out), X509_OK);
    sha256("", 0, want);
    assert_memory_equal(out, want, 32);
    const char *bad[] = {
        "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",    /* no pad */
        "sha1/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=",  /* stray low bits */
        "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSu!U=",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_not_equal(x509_pin_parse(bad[i], strlen(bad[i]), out), X509_OK);
}

/* Real-world DER: every root of the system bundle parses, and each self-
   signature verifies or uses an algorithm we refuse (SHA-1). */
static void test_system_roots(void **st)
{
    (void)st;
    size_t n;
    char *pem = unit_read_file("/etc/ssl/certs/ca-certificates.crt", &n);
    if (!pem) {
        print_message("no /etc/ssl/certs/ca-certificates.crt (package ca-certificates)\n");
        skip();
    }
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int count = 0, verified = 0, unsupported = 0;
    for (char *p = pem; (p = strstr(p, "-----BEGIN CERTIFICATE-----"));) {
        p += 27;
        char *end = strstr(p, "-----END CERTIFICATE-----");
        assert_non_null(end);
        static uint8_t der[16384];
        size_t dl = 0;
        unsigned acc = 0, bits = 0;
        for (char *q = p; q < end; q++) {
            const char *v = *q ? strchr(b64, *q) : NULL;
            if (!v)
                continue;
            acc = (acc << 6) | (unsigned)(v - b64);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                assert_true(dl < sizeof der);
                der[dl++] = (uint8_t)(acc >> bits);
            }
        }
        struct x509_cert c;
        int e = x509_parse(&c, der, dl);
        if (e)
            fail_msg("system root #%d: %s", count, x509_err_str(e));
        e = x509_check_cert_signature(&c, &c.key);
        assert_true(e == X509_OK || e == X509_ERR_UNSUPPORTED_ALG);
        verified += e == X509_OK;
        unsupported += e != X509_OK;
        count++;
        p = end;
    }
    free(pem);
    print_message("system roots: %d parsed, %d self-signatures verified, %d unsupported (SHA-1)\n", count,
                  verified, unsupported);
    assert_true(count > 0);
    assert_true(verified * 2 > count);
}

static void test_builtin_anchors(void **st)
{
    (void)st;
    const struct x509_trust *t = &x509_builtin_trust;
    /* The default build uses Debian's bundle (well over 100 roots); a
       CA_BUNDLE override may hold fewer but never none. */
    assert_true(t->nanchors >= 1);
    size_t usable = 0;
    for (size_t i = 0; i < t->nanchors; i++) {
        const struct x509_anchor *a = &t->anchors[i];
        uint8_t h[32];
        sha256(a->spki, a->spki_len, h);
        assert_memory_equal(h, a->spki_sha256, 32);
        struct asn1_reader r, name;
        asn1_init(&r, a->subject, a->subject_len);
        assert_int_equal(asn1_enter(&r, ASN1_TAG_SEQUENCE, &name), ASN1_OK);
        assert_int_equal(asn1_finish(&r), ASN1_OK);
        struct x509_pubkey k;
        int e = x509_parse_spki(&k, a->spki, a->spki_len);
        assert_true(e == X509_OK || e == X509_ERR_UNSUPPORTED_ALG);
        usable += e == X509_OK;
    }
    assert_true(usable * 10 >= t->nanchors * 9);
    print_message("built-in anchors: %zu, usable keys: %zu, pins: %zu\n", t->nanchors, usable, t->npins);
}

/* ---- chains ------------------------------------------------------- */

static struct x509_anchor g_anchors[4];
static struct blob g_anchor_blobs[4];
static struct x509_trust g_trust;

static void trust_roots(const char *a, const char *b)
{
    const char *names[2] = {a, b};
    g_trust.nanchors = 0;
    for (int i = 0; i < 2; i++) {
        if (!names[i])
            continue;
        free(g_anchor_blobs[i].p);
        g_anchor_blobs[i] = cert(names[i]);
        assert_int_equal(x509_anchor_from_cert(&g_anchors[i], g_anchor_blobs[i].p, g_anchor_blobs[i].len),
                         X509_OK);
        g_trust.nanchors++;
    }
    g_trust.anchors = g_anchors;
    g_trust.pins = NULL;
    g_trust.npins = 0;
}

/* Verifies the space-separated list of certificate names. */
static int verify_list(const char *list, const char *host, struct x509_pubkey *leaf)
{
    const uint8_t *certs[16];
    size_t lens[16], n = 0;
    struct blob blobs[16];
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", list);
    for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
        assert_true(n < 16);
        blobs[n] = cert(tok);
        certs[n] = blobs[n].p;
        lens[n] = blobs[n].len;
        n++;
    }
    struct x509_pubkey k;
    int e = x509_verify_chain(certs, lens, n, host, now_s(), &g_trust, leaf ? leaf : &k);
    for (size_t i = 0; i < n; i++)
        free(blobs[i].p);
    return e;
}

static void test_chains(void **st)
{
    (void)st;
    trust_roots("root_rsa", "root_ec");
    static const struct { const char *list, *host; int want; } t[] = {
        {"leaf_rsa inter_rsa", "www.example.test", X509_OK},
        {"leaf_rsa inter_rsa", "a.wild.example.test", X509_OK},
        {"leaf_rsa inter_rsa", "127.0.0.1", X509_OK},
        {"leaf_rsa inter_rsa root_rsa", "www.example.test", X509_OK},            /* root included */
        {"leaf_rsa root_ec inter_ec inter_rsa inter_rsa leaf_ec256", "www.example.test", X509_OK},
        {"leaf_ec256 inter_ec", "ec.example.test", X509_OK},
        {"leaf_ec384 inter_ec", "ec384.example.test", X509_OK},
        {"leaf_rsa4096 inter_rsa", "big.example.test", X509_OK},
        {"leaf_rsa_sha512", "sha512.example.test", X509_OK},                    /* straight from root */
        {"leaf_pss256 inter_rsa", "pss.example.test", X509_OK},
        {"leaf_pss384 inter_rsa", "pss.example.test", X509_OK},
        {"leaf_anyeku inter_rsa", "www.example.test", X509_OK},
        {"leaf_noeku inter_rsa", "www.example.test", X509_OK},
        {"leaf_noncritext inter_rsa", "www.example.test", X509_OK},
        {"leaf_under_pl1 sub_of_pathlen1 inter_pathlen1", "www.example.test", X509_OK},
        {"leaf_deep7 deep7 deep6 deep5 deep4 deep3 deep2 deep1", "www.example.test", X509_OK},
        {"leaf_deep7 deep1 deep3 deep5 deep7 deep2 deep4 deep6", "www.example.test", X509_OK},
        {"leaf_nc_ok inter_nc", "www.permitted.test", X509_OK},
        {"leaf_nc_ok inter_nc", "10.1.2.3", X509_OK},
        /* failures */
        {"leaf_nc_outside inter_nc", "www.permitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_nc_excluded inter_nc", "x.bad.permitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_nc_suffix inter_nc", "notpermitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_nc_ip_excluded inter_nc", "www.permitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_nc_ip_outside inter_nc", "www.permitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_nc_dn inter_nc", "www.permitted.test", X509_ERR_NAME_CONSTRAINTS},
        {"leaf_rsa inter_rsa", "www.example.org", X509_ERR_HOSTNAME_MISMATCH},
        {"leaf_rsa inter_rsa", "wild.example.test", X509_ERR_HOSTNAME_MISMATCH},
        {"leaf_rsa inter_rsa", "10.0.2.2", X509_ERR_HOSTNAME_MISMATCH},
        {"leaf_nosan inter_rsa", "www.example.test", X509_ERR_HOSTNAME_MISMATCH},
        {"leaf_rsa", "www.example.test", X509_ERR_UNTRUSTED},                   /* missing intermediate */
        {"leaf_other root_other", "www.example.test", X509_ERR_UNTRUSTED},
        {"leaf_expired inter_rsa", "www.example.test", X509_ERR_EXPIRED},
        {"leaf_notyet inter_rsa", "www.example.test", X509_ERR_NOT_YET_VALID},
        {"leaf_under_expired inter_expired", "www.example.test", X509_ERR_EXPIRED},
        {"leaf_clientauth inter_rsa", "www.example.test", X509_ERR_KEY_USAGE},
        {"leaf_ku_encipher inter_rsa", "www.example.test", X509_ERR_KEY_USAGE},
        {"leaf_under_noca inter_noca", "www.example.test", X509_ERR_BAD_CHAIN},
        {"leaf_under_nobc inter_nobc", "www.example.test", X509_ERR_BAD_CHAIN},
        {"leaf_under_nokcs inter_nokcs", "www.example.test", X509_ERR_KEY_USAGE},
        {"leaf_under_sub sub_of_pathlen0 inter_rsa", "www.example.test", X509_ERR_BAD_CHAIN},
        {"leaf_forged inter_rsa", "www.example.test", X509_ERR_BAD_SIGNATURE},
        {"leaf_rsa1024 inter_rsa", "small.example.test", X509_ERR_KEY_TOO_SMALL},
        {"leaf_critext inter_rsa", "www.example.test", X509_ERR_UNKNOWN_CRITICAL},
        {"leaf_deep8 deep8 deep7 deep6 deep5 deep4 deep3 deep2 deep1", "www.example.test",
         X509_ERR_CHAIN_TOO_LONG},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int e = verify_list(t[i].list, t[i].host, NULL);
        if (e != t[i].want)
            fail_msg("[%s] host %s: got %s, want %s", t[i].list, t[i].host, x509_err_str(e),
                     x509_err_str(t[i].want));
    }
    /* leaf key handed back on success, pointing into the leaf */
    struct x509_pubkey k;
    assert_int_equal(verify_list("leaf_ec256 inter_ec", "ec.example.test", &k), X509_OK);
    assert_int_equal(k.type, X509_KEY_EC_P256);
    assert_int_equal(k.pointlen, 65);
    /* and cleared on failure */
    assert_int_equal(verify_list("leaf_ec256", "ec.example.test", &k), X509_ERR_UNTRUSTED);
    assert_int_equal(k.type, X509_KEY_NONE);
    /* only one root trusted */
    trust_roots("root_rsa", NULL);
    assert_int_equal(verify_list("leaf_ec256 inter_ec root_ec", "ec.example.test", NULL), X509_ERR_UNTRUSTED);
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_OK);
    /* an intermediate as the anchor: the chain ends at it */
    trust_roots("inter_rsa", NULL);
    assert_int_equal(verify_list("leaf_rsa", "www.example.test", NULL), X509_OK);
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_OK);
    assert_int_equal(verify_list("leaf_ec256 inter_ec", "ec.example.test", NULL), X509_ERR_UNTRUSTED);
    /* a self-signed leaf trusted directly */
    trust_roots("selfsigned_leaf", NULL);
    assert_int_equal(verify_list("selfsigned_leaf", "self.example.test", NULL), X509_OK);
    assert_int_equal(verify_list("selfsigned_leaf", "www.example.test", NULL), X509_ERR_HOSTNAME_MISMATCH);
    {
        /* an anchor's name and key with a broken signature is not the anchor */
        struct blob ss = cert("selfsigned_leaf");
        ss.p[ss.len - 4] ^= 0x01;
        const uint8_t *c1[1] = {ss.p};
        size_t l1[1] = {ss.len};
        struct x509_pubkey kk;
        assert_int_equal(x509_verify_chain(c1, l1, 1, "self.example.test", now_s(), &g_trust, &kk),
                         X509_ERR_BAD_SIGNATURE);
        free(ss.p);
    }
    /* no anchors at all */
    g_trust.nanchors = 0;
    assert_int_equal(verify_list("leaf_rsa inter_rsa root_rsa", "www.example.test", NULL), X509_ERR_UNTRUSTED);
    /* NULL trust: nothing trusted */
    struct blob l = cert("leaf_rsa"), im = cert("inter_rsa");
    const uint8_t *cs[2] = {l.p, im.p};
    size_t ls[2] = {l.len, im.len};
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", now_s(), NULL, &k), X509_ERR_UNTRUSTED);
    trust_roots("root_rsa", NULL);
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", now_s(), &g_trust, &k), X509_OK);
    /* time boundaries of the leaf: 2024-01-01 .. 2045-01-01 inclusive */
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", 1704067200, &g_trust, &k), X509_OK);
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", 1704067199, &g_trust, &k),
                     X509_ERR_NOT_YET_VALID);
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", 2366841600, &g_trust, &k), X509_OK);
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", 2366841601, &g_trust, &k),
                     X509_ERR_EXPIRED);
    /* bad arguments */
    assert_int_equal(x509_verify_chain(cs, ls, 0, "www.example.test", now_s(), &g_trust, &k), X509_ERR_EMPTY_CHAIN);
    assert_int_equal(x509_verify_chain(cs, ls, 2, NULL, now_s(), &g_trust, &k), X509_ERR_HOSTNAME_MISMATCH);
    assert_int_equal(x509_verify_chain(NULL, ls, 2, "www.example.test", now_s(), &g_trust, &k), X509_ERR_BAD_ARG);
    /* a tampered signature byte in the intermediate */
    uint8_t *bad = malloc(im.len);
    memcpy(bad, im.p, im.len);
    bad[im.len - 5] ^= 0x01;
    cs[1] = bad;
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", now_s(), &g_trust, &k), X509_ERR_BAD_SIGNATURE);
    /* a tampered tbs byte (inside the leaf's subject CN) */
    cs[1] = im.p;
    uint8_t *badleaf = malloc(l.len);
    memcpy(badleaf, l.p, l.len);
    uint8_t *cn = find(badleaf, l.len, (const uint8_t *)"www.example.test", 16);
    assert_non_null(cn);
    cn[0] = 'x';
    cs[0] = badleaf;
    assert_int_equal(x509_verify_chain(cs, ls, 2, "www.example.test", now_s(), &g_trust, &k), X509_ERR_BAD_SIGNATURE);
    /* too many certificates */
    const uint8_t *many[X509_MAX_CERTS + 1];
    size_t manyl[X509_MAX_CERTS + 1];
    for (int i = 0; i <= X509_MAX_CERTS; i++) {
        many[i] = i ? im.p : l.p;
        manyl[i] = i ? im.len : l.len;
    }
    assert_int_equal(x509_verify_chain(many, manyl, X509_MAX_CERTS + 1, "www.example.test", now_s(), &g_trust, &k),
                     X509_ERR_CHAIN_TOO_LONG);
    /* the maximum number with duplicates still verifies */
    assert_int_equal(x509_verify_chain(many, manyl, X509_MAX_CERTS, "www.example.test", now_s(), &g_trust, &k),
                     X509_OK);
    free(bad);
    free(badleaf);
    free(l.p);
    free(im.p);
}

/* Verifies a list and formats the failure detail. */
static int verify_detail(const char *list, const char *host, char *out, size_t cap, struct x509_verify_detail *d)
{
    const uint8_t *certs[16];
    size_t lens[16], n = 0;
    struct blob blobs[16];
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", list);
    for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
        blobs[n] = cert(tok);
        certs[n] = blobs[n].p;
        lens[n] = blobs[n].len;
        n++;
    }
    struct x509_pubkey k;
    int e = x509_verify_chain_detail(certs, lens, n, host, now_s(), &g_trust, &k, d);
    assert_int_equal(d->err, e);
    size_t len = x509_detail_format(d, out, cap);
    assert_int_equal(len, strlen(out));
    for (size_t i = 0; i < n; i++)
        free(blobs[i].p);
    return e;
}

/* Trust hardening: EKU chaining, anchors keeping their constraints,
   wildcards and malformed names under nameConstraints, the leaf profile.
   Each refusal has a control that passes. */
static int verify_at(const char *list, const char *host, int64_t now, struct x509_verify_detail *d)
{
    const uint8_t *certs[4];
    size_t lens[4], n = 0;
    struct blob blobs[4];
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", list);
    for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
        assert_true(n < 4);
        blobs[n] = cert(tok);
        certs[n] = blobs[n].p;
        lens[n] = blobs[n].len;
        n++;
    }
    struct x509_pubkey k;
    int e = x509_verify_chain_detail(certs, lens, n, host, now, &g_trust, &k, d);
    for (size_t i = 0; i < n; i++)
        free(blobs[i].p);
    return e;
}

static void test_hardening(void **st)
{
    (void)st;
    static const struct { const char *roots[2], *list, *host; int want; } t[] = {
        /* 1. EKU chaining */
        {{"root_rsa", 0}, "leaf_under_smime inter_smime", "www.example.test", X509_ERR_KEY_USAGE},
        {{"root_rsa", 0}, "leaf_under_ekuserver inter_ekuserver", "www.example.test", X509_OK},
        /* 2. anchors keep nameConstraints, pathLen, EKU (notAfter below) */
        {{"root_nc", 0}, "leaf_rootnc_bad", "www.other.test", X509_ERR_NAME_CONSTRAINTS},
        {{"root_nc", 0}, "leaf_rootnc_ok", "www.permitted.test", X509_OK},
        {{"root_pl0", 0}, "leaf_under_ipl0 inter_under_pl0", "pl0.example.test", X509_ERR_BAD_CHAIN},
        {{"root_pl0", 0}, "leaf_under_pl0", "pl0.example.test", X509_OK},
        {{"root_smime", 0}, "leaf_under_rsmime", "www.example.test", X509_ERR_KEY_USAGE},
        /* 3. wildcards and malformed names under nameConstraints */
        {{"root_rsa", 0}, "leaf_ncw_star inter_ncw", "foo.example.test", X509_ERR_NAME_CONSTRAINTS},
        {{"root_rsa", 0}, "leaf_ncw_deep inter_ncw", "a.foo.example.test", X509_OK},
        {{"root_rsa", 0}, "leaf_ncp_star inter_ncp", "www.example.test", X509_ERR_NAME_CONSTRAINTS},
        {{"root_rsa", 0}, "leaf_ncp_ok inter_ncp", "www.example.test", X509_OK},
        {{"root_rsa", 0}, "bad_san_dot inter_ncw", "www.example.test", X509_ERR_MALFORMED},
        {{"root_rsa", 0}, "bad_san_empty inter_ncw", "www.example.test", X509_ERR_MALFORMED},
        {{"root_rsa", 0}, "bad_san_ip5 inter_ncw", "www.example.test", X509_ERR_MALFORMED},
        {{"root_rsa", 0}, "leaf_rawsan_ok inter_ncw", "10.0.0.1", X509_OK},
        {{"root_rsa", 0}, "leaf_under_ncmail inter_ncmail", "www.example.test", X509_ERR_NC_UNSUPPORTED},
        {{"root_rsa", 0}, "leaf_under_ncmail_nc inter_ncmail_nc", "www.example.test", X509_OK},
        /* 4. leaf profile */
        {{"root_rsa", 0}, "leaf_is_ca inter_ncw", "www.example.test", X509_ERR_LEAF_IS_CA},
        {{"root_rsa", 0}, "leaf_kcs inter_ncw", "www.example.test", X509_ERR_LEAF_IS_CA},
        {{"root_rsa", 0}, "leaf_with_nc inter_ncw", "www.example.test", X509_ERR_LEAF_IS_CA},
        {{"root_rsa", 0}, "leaf_rawsan_ok inter_ncw", "www.example.test", X509_OK},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        trust_roots(t[i].roots[0], t[i].roots[1]);
        int e = verify_at(t[i].list, t[i].host, now_s(), NULL);
        if (e != t[i].want)
            fail_msg("[%s] %s: got %s, want %s", t[i].list, t[i].host, x509_err_str(e), x509_err_str(t[i].want));
    }
    /* the malformed SANs fail at parse time, whatever the path */
    static const char *const bad[] = {"bad_san_dot", "bad_san_empty", "bad_san_ip5"};
    for (size_t i = 0; i < 3; i++) {
        struct blob b = cert(bad[i]);
        struct x509_cert c;
        assert_int_equal(x509_parse(&c, b.p, b.len), X509_ERR_MALFORMED);
        free(b.p);
    }
    /* 2. an anchor past its notAfter is not used, and the error names it;
       before that date (control) the same chain passes */
    trust_roots("root_old", NULL);
    struct x509_verify_detail d;
    char out[160];
    assert_int_equal(verify_at("leaf_under_old", "www.example.test", now_s(), &d), X509_ERR_ANCHOR_EXPIRED);
    assert_int_equal(d.anchor, 1);
    x509_detail_format(&d, out, sizeof out);
    assert_string_equal(out, "anchor_expired: depth 1 anchor CN=Test Root Old notAfter 2024-06-01");
    assert_int_equal(verify_at("leaf_under_old", "www.example.test", 1709251200 /* 2024-03-01 */, &d), X509_OK);
    assert_int_equal(d.anchor, 0);
    /* the anchor's fields come from its certificate */
    struct blob b = cert("root_nc");
    struct x509_anchor a;
    assert_int_equal(x509_anchor_from_cert(&a, b.p, b.len), X509_OK);
    assert_non_null(a.nc);
    assert_true(a.nc_critical);
    assert_true(a.not_after > 0);
    assert_false(a.has_path_len);
    free(b.p);
    b = cert("root_pl0");
    assert_int_equal(x509_anchor_from_cert(&a, b.p, b.len), X509_OK);
    assert_true(a.has_path_len);
    assert_int_equal(a.path_len, 0);
    assert_null(a.nc);
    free(b.p);
}

static void test_detail(void **st)
{
    (void)st;
    trust_roots("root_rsa", "root_ec");
    static const struct { const char *list, *host, *want; } t[] = {
        {"leaf_rsa inter_rsa", "www.example.test", "ok"},
        {"leaf_expired inter_rsa", "www.example.test",
         "cert_expired: depth 0 CN=www.example.test issuer CN=Test Inter RSA valid 2024-01-01..2024-06-01"},
        {"leaf_notyet inter_rsa", "www.example.test",
         "cert_not_yet_valid: depth 0 CN=www.example.test issuer CN=Test Inter RSA valid 2044-01-01..2045-01-01"},
        {"leaf_under_expired inter_expired", "www.example.test",
         "cert_expired: depth 1 CN=Test Inter Expired issuer CN=Test Root RSA valid 2024-01-01..2024-06-01"},
        {"leaf_rsa", "www.example.test",
         "cert_untrusted: depth 0 CN=www.example.test issuer CN=Test Inter RSA valid 2024-01-01..2045-01-01"},
        {"leaf_other root_other", "www.example.test",
         "cert_untrusted: depth 1 CN=Other Root issuer CN=Other Root valid 2024-01-01..2045-01-01"},
        {"leaf_forged inter_rsa", "www.example.test",
         "bad_signature: depth 0 CN=www.example.test issuer CN=Test Inter RSA valid 2024-01-01..2045-01-01"},
        {"leaf_under_noca inter_noca", "www.example.test",
         "bad_chain: depth 1 CN=Test Inter NoCA issuer CN=Test Root RSA valid 2024-01-01..2045-01-01"},
        {"leaf_under_sub sub_of_pathlen0 inter_rsa", "www.example.test",
         "bad_chain: depth 2 CN=Test Inter RSA issuer CN=Test Root RSA valid 2024-01-01..2045-01-01"},
        {"leaf_rsa inter_rsa", "www.example.org",
         "hostname_mismatch: depth 0 CN=www.example.test issuer CN=Test Inter RSA valid 2024-01-01..2045-01-01"},
        {"leaf_nc_outside inter_nc", "www.permitted.test",
         "name_constraints: depth 1 CN=Test Inter NC issuer CN=Test Root EC valid 2024-01-01..2045-01-01"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[256];
        struct x509_verify_detail d;
        verify_detail(t[i].list, t[i].host, out, sizeof out, &d);
        if (strcmp(out, t[i].want))
            fail_msg("[%s]: got '%s', want '%s'", t[i].list, out, t[i].want);
    }
    /* no certificate concerned */
    struct x509_verify_detail d;
    struct x509_pubkey k;
    const uint8_t *none[1] = {NULL};
    size_t nl[1] = {0};
    assert_int_equal(x509_verify_chain_detail(none, nl, 0, "h", 0, &g_trust, &k, &d), X509_ERR_EMPTY_CHAIN);
    assert_int_equal(d.depth, -1);
    char out[64];
    x509_detail_format(&d, out, sizeof out);
    assert_string_equal(out, "empty_chain");
    uint8_t junk[3] = {0x30, 0x01, 0x00};
    none[0] = junk;
    nl[0] = sizeof junk;
    assert_int_equal(x509_verify_chain_detail(none, nl, 1, "h", 0, &g_trust, &k, &d), X509_ERR_MALFORMED);
    assert_int_equal(d.depth, -1); /* the leaf did not parse: no fields to show */
    x509_detail_format(&d, out, sizeof out);
    assert_string_equal(out, "bad_certificate");
    /* dates far from 1970 and a CN with unprintable bytes, truncated output */
    memset(&d, 0, sizeof d);
    d.err = X509_ERR_EXPIRED;
    d.depth = 3;
    d.subject_cn.p = (const uint8_t *)"a\x01" "b";
    d.subject_cn.len = 3;
    d.not_before = -1;
    d.not_after = 253402300799LL;
    char big[128];
    x509_detail_format(&d, big, sizeof big);
    assert_string_equal(big, "cert_expired: depth 3 CN=a?b issuer CN= valid 1969-12-31..9999-12-31");
    d.not_before = 951782400; /* 2000-02-29 */
    d.not_after = -2203891200LL; /* 1900-03-01 */
    x509_detail_format(&d, big, sizeof big);
    assert_string_equal(big, "cert_expired: depth 3 CN=a?b issuer CN= valid 2000-02-29..1900-03-01");
    char tiny[10];
    size_t full = x509_detail_format(&d, tiny, sizeof tiny);
    assert_int_equal(full, strlen(big));
    assert_string_equal(tiny, "cert_expi");
}

static void spki_hash(const char *name, uint8_t out[32])
{
    struct blob b = cert(name);
    struct x509_cert c;
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    sha256(c.spki.p, c.spki.len, out);
    free(b.p);
}

static void test_pins(void **st)
{
    (void)st;
    trust_roots("root_rsa", "root_ec");
    struct x509_pin pins[3];
    pins[0].host = "www.example.test";
    spki_hash("inter_rsa", pins[0].spki_sha256);
    g_trust.pins = pins;
    g_trust.npins = 1;
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_OK);
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "WWW.example.test.", NULL), X509_OK);
    /* pin on another key: the chain is otherwise fine */
    spki_hash("inter_ec", pins[0].spki_sha256);
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_ERR_PIN_MISMATCH);
    /* unpinned hosts are unaffected */
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "a.wild.example.test", NULL), X509_OK);
    /* any matching pin of the host is enough: the leaf's, or the anchor's */
    pins[1].host = "www.example.test";
    spki_hash("leaf_rsa", pins[1].spki_sha256);
    g_trust.npins = 2;
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_OK);
    spki_hash("root_rsa", pins[1].spki_sha256);
    assert_int_equal(verify_list("leaf_rsa inter_rsa", "www.example.test", NULL), X509_OK);
    /* a pin does not replace trust */
    spki_hash("leaf_other", pins[1].spki_sha256);
    assert_int_equal(verify_list("leaf_other root_other", "www.example.test", NULL), X509_ERR_UNTRUSTED);
    g_trust.pins = NULL;
    g_trust.npins = 0;
}

/* ---- TLS CertificateVerify signatures ----------------------------- */

static void test_tls_signatures(void **st)
{
    (void)st;
    struct blob content = load("tls_content.bin");
    static const struct { const char *leaf, *sig; uint16_t scheme; } t[] = {
        {"leaf_ec256", "leaf_ec256.sig", X509_TLS_ECDSA_SECP256R1_SHA256},
        {"leaf_ec384", "leaf_ec384.sig", X509_TLS_ECDSA_SECP384R1_SHA384},
        {"leaf_rsa", "leaf_rsa.sig", X509_TLS_RSA_PSS_RSAE_SHA256},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct blob b = cert(t[i].leaf), s = load(t[i].sig);
        struct x509_cert c;
        assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
        assert_int_equal(x509_verify_tls_signature(&c.key, t[i].scheme, content.p, content.len, s.p, s.len),
                         X509_OK);
        /* a flipped content bit, a flipped signature bit */
        content.p[70] ^= 1;
        assert_int_equal(x509_verify_tls_signature(&c.key, t[i].scheme, content.p, content.len, s.p, s.len),
                         X509_ERR_BAD_SIGNATURE);
        content.p[70] ^= 1;
        s.p[s.len - 3] ^= 0x10;
        assert_int_equal(x509_verify_tls_signature(&c.key, t[i].scheme, content.p, content.len, s.p, s.len),
                         X509_ERR_BAD_SIGNATURE);
        s.p[s.len - 3] ^= 0x10;
        /* truncated signature */
        assert_int_not_equal(x509_verify_tls_signature(&c.key, t[i].scheme, content.p, content.len, s.p, s.len - 1),
                             X509_OK);
        /* the scheme must fit the key */
        uint16_t wrong = t[i].scheme == X509_TLS_RSA_PSS_RSAE_SHA256 ? X509_TLS_ECDSA_SECP256R1_SHA256
                         : t[i].scheme == X509_TLS_ECDSA_SECP256R1_SHA256 ? X509_TLS_ECDSA_SECP384R1_SHA384
                                                                          : X509_TLS_RSA_PSS_RSAE_SHA384;
        assert_int_equal(x509_verify_tls_signature(&c.key, wrong, content.p, content.len, s.p, s.len),
                         X509_ERR_UNSUPPORTED_ALG);
        /* legacy / unknown schemes refused: rsa_pkcs1_sha256, ed25519 */
        assert_int_equal(x509_verify_tls_signature(&c.key, 0x0401, content.p, content.len, s.p, s.len),
                         X509_ERR_UNSUPPORTED_ALG);
        assert_int_equal(x509_verify_tls_signature(&c.key, 0x0807, content.p, content.len, s.p, s.len),
                         X509_ERR_UNSUPPORTED_ALG);
        free(b.p);
        free(s.p);
    }
    /* RSA-PSS with SHA-384 over a 2048-bit key: a sha256 signature does not pass */
    struct blob b = cert("leaf_rsa"), s = load("leaf_rsa.sig");
    struct x509_cert c;
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    assert_int_equal(x509_verify_tls_signature(&c.key, X509_TLS_RSA_PSS_RSAE_SHA384, content.p, content.len, s.p,
                                               s.len),
                     X509_ERR_BAD_SIGNATURE);
    free(b.p);
    free(s.p);
    /* RSA-1024 key: refused, except through the 1024-bit test hook (then the bad
       signature is found) */
    b = cert("leaf_rsa1024");
    assert_int_equal(x509_parse(&c, b.p, b.len), X509_OK);
    uint8_t junk[128] = {1};
    assert_int_equal(x509_verify_tls_signature(&c.key, X509_TLS_RSA_PSS_RSAE_SHA256, content.p, content.len, junk,
                                               sizeof junk),
                     X509_ERR_KEY_TOO_SMALL);
    assert_int_equal(x509_test_verify_tls_signature_rsa1024(&c.key, X509_TLS_RSA_PSS_RSAE_SHA256, content.p, content.len, junk,
                                               sizeof junk),
                     X509_ERR_BAD_SIGNATURE);
    free(b.p);
    free(content.p);
}

/* ---- RFC 8448 section 3: the server's RSA-1024 certificate and its
   CertificateVerify (rsa_pss_rsae_sha256) over the real transcript ---- */

/* Reads the "Label (N octets):" hex block of the RFC text into out. */
static size_t rfc_block(const char *text, const char *label, uint8_t *out, size_t cap)
{
    const char *p = strstr(text, label);
    assert_non_null(p);
    unsigned long want = strtoul(p + strlen(label), NULL, 10);
    p = strstr(p, "octets):");
    assert_non_null(p);
    p += 8;
    size_t n = 0;
    while (*p && !(p[0] == '\n' && p[1] == '\n')) {
        unsigned v;
        int used;
        if (sscanf(p, " %2x%n", &v, &used) == 1) {
            assert_true(n < cap);
            out[n++] = (uint8_t)v;
            p += used;
        } else {
            p++;
        }
    }
    assert_int_equal(n, want);
    return n;
}

static void test_rfc8448(void **st)
{
    (void)st;
    char *text = unit_read_file(unit_vec(UNIT_SHARED, "rfc8448/section3_simple_1rtt_handshake.txt"), NULL);
    assert_non_null(text);
    static uint8_t ch[256], sh[128], ee[64], certmsg[512], cv[160];
    size_t chl = rfc_block(text, "ClientHello (", ch, sizeof ch);
    size_t shl = rfc_block(text, "ServerHello (", sh, sizeof sh);
    size_t eel = rfc_block(text, "EncryptedExtensions (", ee, sizeof ee);
    size_t cml = rfc_block(text, "Certificate (", certmsg, sizeof certmsg);
    size_t cvl = rfc_block(text, "CertificateVerify (", cv, sizeof cv);
    free(text);
    /* Certificate: type(1) len(3) context(1)=0 list_len(3) cert_len(3) DER ext_len(2) */
    size_t der_len = ((size_t)certmsg[8] << 16) | ((size_t)certmsg[9] << 8) | certmsg[10];
    assert_int_equal(der_len + 11 + 2, cml);
    const uint8_t *der = certmsg + 11;
    struct x509_cert c;
    assert_int_equal(x509_parse(&c, der, der_len), X509_OK);
    assert_int_equal(c.sig_alg, X509_SIG_RSA_PKCS1_SHA256);
    assert_int_equal(c.key.type, X509_KEY_RSA);
    assert_int_equal(x509_rsa_bits(&c.key), 1024);
    assert_int_equal(c.cn.len, 3);
    assert_memory_equal(c.cn.p, "rsa", 3);
    /* as a server certificate it is refused for its key size */
    struct x509_anchor a;
    assert_int_equal(x509_anchor_from_cert(&a, der, der_len), X509_OK);
    struct x509_trust t = {&a, 1, NULL, 0};
    const uint8_t *certs[1] = {der};
    size_t lens[1] = {der_len};
    struct x509_pubkey k;
    assert_int_equal(x509_verify_chain(certs, lens, 1, "rsa", c.not_before, &t, &k), X509_ERR_KEY_TOO_SMALL);
    /* CertificateVerify: type(1) len(3) scheme(2) siglen(2) sig */
    assert_int_equal(cv[4] << 8 | cv[5], X509_TLS_RSA_PSS_RSAE_SHA256);
    size_t siglen = (size_t)(cv[6] << 8 | cv[7]);
    assert_int_equal(siglen + 8, cvl);
    uint8_t content[64 + 34 + 32];
    memset(content, 0x20, 64);
    memcpy(content + 64, "TLS 1.3, server CertificateVerify", 34); /* with its NUL */
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, ch, chl);
    sha256_update(&h, sh, shl);
    sha256_update(&h, ee, eel);
    sha256_update(&h, certmsg, cml);
    sha256_final(&h, content + 98);
    assert_int_equal(x509_test_verify_tls_signature_rsa1024(&c.key, X509_TLS_RSA_PSS_RSAE_SHA256, content, sizeof content,
                                               cv + 8, siglen),
                     X509_OK);
    assert_int_equal(x509_verify_tls_signature(&c.key, X509_TLS_RSA_PSS_RSAE_SHA256, content, sizeof content,
                                               cv + 8, siglen),
                     X509_ERR_KEY_TOO_SMALL);
    content[100] ^= 1;
    assert_int_equal(x509_test_verify_tls_signature_rsa1024(&c.key, X509_TLS_RSA_PSS_RSAE_SHA256, content, sizeof content,
                                               cv + 8, siglen),
                     X509_ERR_BAD_SIGNATURE);
}

static void test_selftest(void **st)
{
    (void)st;
    char msg[160];
    int e = x509_selftest(msg, sizeof msg);
    if (e)
        fail_msg("x509_selftest: %s", msg);
    assert_int_equal(strncmp(msg, "rfc8448_cv ok chain ok anchors=", 31), 0);
    char small[8];
    assert_int_equal(x509_selftest(small, sizeof small), X509_OK); /* truncated message, no overflow */
    assert_int_equal(strlen(small), 7);
}

static void test_err_str(void **st)
{
    (void)st;
    assert_string_equal(x509_err_str(X509_ERR_UNTRUSTED), "cert_untrusted");
    assert_string_equal(x509_err_str(X509_ERR_EXPIRED), "cert_expired");
    assert_string_equal(x509_err_str(X509_ERR_NOT_YET_VALID), "cert_not_yet_valid");
    assert_string_equal(x509_err_str(X509_ERR_HOSTNAME_MISMATCH), "hostname_mismatch");
    assert_string_equal(x509_err_str(X509_ERR_BAD_SIGNATURE), "bad_signature");
    assert_string_equal(x509_err_str(X509_ERR_BAD_CHAIN), "bad_chain");
    assert_string_equal(x509_err_str(X509_ERR_UNSUPPORTED_ALG), "unsupported_algorithm");
    assert_string_equal(x509_err_str(X509_ERR_ANCHOR_EXPIRED), "anchor_expired");
    assert_string_equal(x509_err_str(X509_ERR_LEAF_IS_CA), "leaf_is_ca");
    assert_string_equal(x509_err_str(X509_ERR_NC_UNSUPPORTED), "name_constraints_unsupported");
    for (int e = X509_ERR_MALFORMED; e < X509_ERR_COUNT; e++)
        assert_string_not_equal(x509_err_str(e), "x509_unknown");
    assert_string_equal(x509_err_str(-1), "x509_unknown");
}

static int teardown(void **st)
{
    (void)st;
    for (int i = 0; i < 4; i++)
        free(g_anchor_blobs[i].p);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_differential),
        cmocka_unit_test(test_parse_fields),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_pss_params),
        cmocka_unit_test(test_spki_direct),
        cmocka_unit_test(test_dns_match_table),
        cmocka_unit_test(test_ip_parse),
        cmocka_unit_test(test_check_host),
        cmocka_unit_test(test_pin_parse),
        cmocka_unit_test(test_system_roots),
        cmocka_unit_test(test_builtin_anchors),
        cmocka_unit_test(test_chains),
        cmocka_unit_test(test_hardening),
        cmocka_unit_test(test_detail),
        cmocka_unit_test(test_pins),
        cmocka_unit_test(test_tls_signatures),
        cmocka_unit_test(test_rfc8448),
        cmocka_unit_test(test_selftest),
        cmocka_unit_test(test_err_str),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
