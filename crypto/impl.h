/* Run-time choice between portable constant-time code and the x86-64
   instruction-set extensions (AES-NI, PCLMULQDQ, SHA-NI) found by CPUID.
   Global state (one word); the kernel sets it once at boot, tests flip it. */
#ifndef CRYPTO_IMPL_H
#define CRYPTO_IMPL_H

enum crypto_impl { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE };

/* AUTO uses AES-NI/PCLMULQDQ/SHA-NI when CPUID reports them; PORTABLE never does. */
void crypto_set_impl(enum crypto_impl i);
enum crypto_impl crypto_get_impl(void);
/* e.g. "aes=aesni ghash=pclmul sha256=shani"; static string, never freed. */
const char *crypto_impl_describe(void);

/* Feature tests after the policy above (1 = use the hardware path). */
int crypto_use_aesni(void);   /* AES-NI + SSE4.1 + PCLMULQDQ together */
int crypto_use_shani(void);   /* SHA-NI + SSE4.1 */

#endif
