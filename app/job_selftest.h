/* The selftest= job: boot self-tests selected by `selftest=` (a comma list):
     heap      allocation patterns; bytes-in-use returns to its start value
     sleep     a 100 ms sleep measured on the monotonic clock, and two marks
               1000 ms apart that the host times against its own clock
     random    CSPRNG output is produced and not constant
     x509      X.509 known answers: a fixed chain, the RFC 8448 CertificateVerify,
               the built-in trust anchor table
     sym       symmetric known answers (SHA-2, HMAC, HKDF, DRBG, AES, GCM,
               ChaCha20-Poly1305), each fast path and the portable one
     pk        public-key known answers (X25519, P-256/P-384, ECDSA, RSA)
     tls       the RFC 8448 handshake replayed in memory through the TLS engine
     smp       200 SHA-256 jobs on the AP (kernel/smp.h) in bursts, each burst
               waking the sleeping AP with an IPI, checked against the boot
               CPU's digests; with one CPU it prints `selftest: smp skipped
               (1 cpu)` and passes
     all       heap,sleep,random,sym,pk,x509,tls,smp
     fail      reports failure (tests the exit-status path)
     pagefault touches an unmapped address (tests the exception report)
     divzero   divides by zero (tests the exception report)
     doublefree frees a block twice (tests the heap's panic)
   Each prints `selftest: NAME ok|FAIL ...`. */
#ifndef APP_JOB_SELFTEST_H
#define APP_JOB_SELFTEST_H

#include "app/options.h"

/* Runs the tests whose bits are set in words (1 << enum app_selftest_word,
   from the selftest= key); 0 when all passed, 1 if any failed. */
int app_selftest_run(unsigned words);

#endif
