/* Internal to crypto/: modular exponentiation with a public exponent (RSA
   verification, RSAVP1) on AVX-512 IFMA: 52-bit limbs, eight to a ZMM
   register, almost-Montgomery multiplication (Gueron and Krasnov's AMM:
   operands and results below 2m, one final subtraction) with
   VPMADD52LUQ/VPMADD52HUQ. Run only when crypto_use_ifma() says so (CPUID
   and XCR0; never in our kernel, which leaves ZMM state off); bn.c's CIOS
   code is the portable path and the reference the tests compare against.
   Variable time in nothing secret: all inputs are public. Caller-owned
   storage; the work arrays live on the stack. */
#ifndef CRYPTO_BN_IFMA_H
#define CRYPTO_BN_IFMA_H
#include <stddef.h>
#include <stdint.h>

/* Largest modulus handled, in 64-bit limbs (4096 bits). */
#define BN_IFMA_MAX_LIMBS 64

/* r = s^e mod m (n limbs each, little-endian 64-bit), for odd m with a
   nonzero top limb, s < m, e odd with ebits >= 2 significant bits (e limbs
   as many as ebits needs). Returns 0, or -1 when n is 0 or above
   BN_IFMA_MAX_LIMBS (r untouched). Needs crypto_use_ifma(). */
int bn_ifma_modexp_vartime(uint64_t *r, const uint64_t *s, const uint64_t *e, size_t ebits,
                           const uint64_t *m, size_t n);

#endif
