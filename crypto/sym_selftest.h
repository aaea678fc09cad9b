/* Known-answer self-test of the symmetric primitives (SHA-256/384/512,
   HMAC, HKDF, HMAC_DRBG, AES-128/256-GCM, ChaCha20-Poly1305), run once with
   the hardware paths (AES-NI/PCLMULQDQ/SHA-NI when present) and once with
   the portable code, for the kernel's boot self-test. No allocation; leaves
   crypto_set_impl() as it found it. */
#ifndef CRYPTO_SYM_SELFTEST_H
#define CRYPTO_SYM_SELFTEST_H
#include "crypto/crypto.h"

/* CRYPTO_OK when every check passes; otherwise CRYPTO_ERR_AUTH and, if
   failed is not NULL, *failed names the first failing check (static). */
int sym_selftest(const char **failed);

#endif
