/* libFuzzer target: the X.509 parser, host matching, chain verification and
   the DER helpers on arbitrary bytes. Input = one certificate; it is parsed,
   matched against a few names, then verified as a one- and two-certificate
   chain with itself as the only trust anchor (exercising the anchor, issuer
   and signature paths on hostile keys and signatures). */
#include <stddef.h>
#include <stdint.h>
#include "crypto/asn1.h"
#include "tls/x509.h"
#include "tls/x509_ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct x509_cert c;
    uint8_t r[48], s[48];
    (void)ecdsa_sig_der_to_raw(data, size, r, s, 32);
    (void)ecdsa_sig_der_to_raw(data, size, r, s, 48);
    struct asn1_reader rd;
    int64_t t;
    asn1_init(&rd, data, size);
    (void)asn1_read_time(&rd, &t);

    int e = x509_parse(&c, data, size);
    if (e != X509_OK)
        return 0;
    static const char *hosts[] = {"www.example.test", "a.wild.example.test", "127.0.0.1", "::1",
                                  "example.com"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        (void)x509_check_host(&c, hosts[i]);
    if (c.cn.len)
        (void)x509_dns_name_match((const char *)c.cn.p, c.cn.len, "www.example.test", 16);

    struct x509_anchor a;
    struct x509_trust trust = {&a, 1, NULL, 0};
    if (x509_anchor_from_cert(&a, data, size) != X509_OK)
        return 0;
    const uint8_t *certs[2] = {data, data};
    size_t lens[2] = {size, size};
    struct x509_pubkey k;
    (void)x509_verify_chain(certs, lens, 1, "www.example.test", c.not_before, &trust, &k);
    trust.nanchors = 0;
    struct x509_verify_detail d;
    char line[256];
    (void)x509_verify_chain_detail(certs, lens, 2, "www.example.test", c.not_before, &trust, &k, &d);
    (void)x509_detail_format(&d, line, sizeof line);
    /* its own nameConstraints against its own names */
    (void)x509_nc_check(c.has_nc ? c.nc.p : NULL, c.nc.len, c.nc_critical, &c);
    /* self-signed check: the certificate's own key over its own tbs */
    (void)x509_check_cert_signature(&c, &c.key);
    return 0;
}
