/* tls_selftest: a known-answer self-test of the TLS 1.3 client engine that
   needs no network, files or clock, for the kernel's `selftest=` command line
   and the host tests: the RFC 8448 section 3 handshake replayed in memory
   (fixed ClientHello and x25519 key through the test hook; the server's
   certificate pinned by SHA-256, its RSA-PSS CertificateVerify checked by
   the X.509 module with the RSA-1024 exception), then the exact client
   Finished, NewSessionTicket, application data both ways and close_notify
   both ways. Uses ~31 KiB of static storage (one struct tls_conn and a
   4 KiB handshake buffer): not reentrant. Writes one line into msg (caller's
   buffer). Returns TLS_OK or the first failing step's tls_err (TLS_ERR_INTERNAL
   for a byte mismatch) and msg names the step. A build without
   TLS_TEST_HOOKS (the kernel with DEBUG=0, see tls/tls.mk) cannot replay
   the trace: tls_selftest_available() then says false. */
#ifndef TLS_TLS_SELFTEST_H
#define TLS_TLS_SELFTEST_H
#include <stdbool.h>
#include <stddef.h>

bool tls_selftest_available(void);
int tls_selftest(char *msg, size_t cap);

#endif
