/* Run-time choice between portable constant-time code and the x86-64
   instruction-set extensions (AES-NI, PCLMULQDQ, SHA-NI) found by CPUID.
   Global state (one word); the kernel sets it once at boot, tests flip it. */
#ifndef CRYPTO_IMPL_H
#define CRYPTO_IMPL_H

enum crypto_impl { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE, CRYPTO_IMPL_EMULATED };

/* AUTO uses AES-NI/PCLMULQDQ/SHA-NI when CPUID reports them and SSE2
   ChaCha20; PORTABLE never uses any of them. EMULATED is for a CPU emulated
   by a JIT such as QEMU TCG: AES-NI/PCLMULQDQ/SHA-NI as AUTO (their helpers
   still beat bitsliced AES), but scalar ChaCha20, which TCG runs faster than
   the SSE2 vector code (measured: 95 vs 58 MB/s in the guest). */
void crypto_set_impl(enum crypto_impl i);
enum crypto_impl crypto_get_impl(void);
/* e.g. "aes=aesni ghash=pclmul sha256=shani"; static string, never freed. */
const char *crypto_impl_describe(void);

/* Feature tests after the policy above (1 = use the hardware path). */
int crypto_use_aesni(void);   /* AES-NI + SSE4.1 + PCLMULQDQ together */
int crypto_use_shani(void);   /* SHA-NI + SSE4.1 */
int crypto_use_sse2_chacha(void); /* 4-block SSE2 ChaCha20 (AUTO only) */

#endif
