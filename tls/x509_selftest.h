/* x509_selftest: a known-answer self-test of the X.509 layer that needs no
   files and no clock, for the kernel's `selftest=` command line: the RFC 8448
   section 3 server certificate and its CertificateVerify (RSA-PSS), a fixed
   P-384 root -> P-256 leaf chain (valid 2024..2045, checked at a fixed time)
   with host-name, expiry and trust failures, and the integrity of the
   built-in trust-anchor table. Writes one line of results into msg (caller's
   buffer). Returns X509_OK, or a non-zero enum x509_err (the first failing step's
   result when it is one) and msg names the step. */
#ifndef TLS_X509_SELFTEST_H
#define TLS_X509_SELFTEST_H
#include <stddef.h>

int x509_selftest(char *msg, size_t cap);

#endif
