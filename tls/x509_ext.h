/* Internal: X.509 v3 extension decoding (RFC 5280 4.2) into struct x509_cert. */
#ifndef TLS_X509_EXT_H
#define TLS_X509_EXT_H
#include "crypto/asn1.h"
#include "tls/x509.h"

/* Reads the Extensions SEQUENCE from r (the value of the [3] wrapper) into c:
   basicConstraints, keyUsage, extKeyUsage, subjectAltName. Unknown critical
   extensions give X509_ERR_UNKNOWN_CRITICAL, duplicates X509_ERR_MALFORMED. */
int x509_parse_extensions(struct asn1_reader *r, struct x509_cert *c);

#endif
