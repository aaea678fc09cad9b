/* Internal: X.509 v3 extension decoding (RFC 5280 4.2) into struct x509_cert. */
#ifndef TLS_X509_EXT_H
#define TLS_X509_EXT_H
#include "crypto/asn1.h"
#include "tls/x509.h"

/* Reads the Extensions SEQUENCE from r (the value of the [3] wrapper) into c:
   basicConstraints, keyUsage, extKeyUsage, subjectAltName. Unknown critical
   extensions give X509_ERR_UNKNOWN_CRITICAL, duplicates X509_ERR_MALFORMED. */
int x509_parse_extensions(struct asn1_reader *r, struct x509_cert *c);

/* nameConstraints (RFC 5280 4.2.1.10), tls/x509_nc.c: checks the structure
   of the extension value in r and records it in c->nc. */
int x509_nc_parse(struct asn1_reader *r, struct x509_cert *c);
/* X509_OK when every dNSName / iPAddress SAN and the subject DN of sub lie
   within ca's permitted subtrees (per type, when that type has any) and
   outside its excluded ones; X509_ERR_NAME_CONSTRAINTS otherwise. */
int x509_nc_check(const struct x509_cert *ca, const struct x509_cert *sub);

#endif
