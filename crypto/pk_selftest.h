/* Known-answer self-test of the public-key primitives (X25519, P-256
   keygen/ECDH, ECDSA P-256/P-384 verify, RSA-2048 PKCS#1 v1.5 and PSS
   verify), for the kernel's boot self-test: it shows that the freestanding
   build computes the same answers as the host build. No allocation; about
   1-2 ms of work on the host (more under QEMU TCG). */
#ifndef CRYPTO_PK_SELFTEST_H
#define CRYPTO_PK_SELFTEST_H
#include "crypto/crypto.h"

/* CRYPTO_OK when every check passes; otherwise an error and, if failed is
   not NULL, *failed names the first failing check (a static string). */
int pk_selftest(const char **failed);

#endif
