/* Internal: X.509 v3 extension decoding (RFC 5280 4.2) into struct x509_cert. */
#ifndef TLS_X509_EXT_H
#define TLS_X509_EXT_H
#include "crypto/asn1.h"
#include "tls/x509.h"

/* Reads the Extensions SEQUENCE from r (the value of the [3] wrapper) into c:
   basicConstraints, keyUsage, extKeyUsage, subjectAltName. Unknown critical
   extensions give X509_ERR_UNKNOWN_CRITICAL, duplicates X509_ERR_MALFORMED. */
enum x509_err x509_parse_extensions(struct asn1_reader *r, struct x509_cert *c);

/* nameConstraints (RFC 5280 4.2.1.10), tls/x509_nc.c: checks the structure
   of the extension value in r and records it in c->nc. */
enum x509_err x509_nc_parse(struct asn1_reader *r, struct x509_cert *c);
/* X509_OK when every dNSName / iPAddress SAN and the subject DN of sub lie
   within the permitted subtrees of the nameConstraints content nc (per
   type, when that type has any) and outside its excluded ones, wildcards
   counted for every name they can match; X509_ERR_NAME_CONSTRAINTS
   otherwise. X509_ERR_NC_UNSUPPORTED when critical and a subtree has a
   name type other than dNSName, iPAddress and directoryName;
   X509_ERR_MALFORMED when nc does not parse (fail closed: anchors' bytes
   come from the build). */
enum x509_err x509_nc_check(const uint8_t *nc, size_t nc_len, int critical, const struct x509_cert *sub);

/* The last commonName of a Name (whole DER), for messages. */
enum x509_err x509_name_cn(const uint8_t *name, size_t len, struct x509_span *cn);

/* A dNSName SAN in preferred name syntax as used by the Web PKI: LDH labels
   (and '_'), no empty label, no leading or trailing dot, at most 253
   characters, and "*." only as the whole first label. */
int x509_san_dns_valid(const uint8_t *s, size_t n);

#endif
