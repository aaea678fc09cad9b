/* Run-time choice between portable constant-time code and the x86-64
   instruction-set extensions (AES-NI, PCLMULQDQ, SHA-NI) found by CPUID.
   Global state (one word); the kernel sets it once at boot, tests flip it. */
#ifndef CRYPTO_IMPL_H
#define CRYPTO_IMPL_H

enum crypto_impl { CRYPTO_IMPL_AUTO, CRYPTO_IMPL_PORTABLE, CRYPTO_IMPL_EMULATED };

/* AUTO uses AES-NI/PCLMULQDQ/SHA-NI when CPUID reports them and the
   widest SIMD ChaCha20 (below); PORTABLE never uses any of them. EMULATED
   is for a CPU emulated by a JIT such as QEMU TCG: AES-NI/PCLMULQDQ/SHA-NI
   as AUTO (their helpers still beat bitsliced AES), but scalar ChaCha20,
   which TCG runs faster than the SSE2 vector code (measured: 95 vs 58 MB/s
   in the guest), and no VAES: QEMU 7.2's TCG ran 256-bit VAESENC at half
   the speed of AES-NI's (AES-128-GCM open 13.6 vs 26 MB/s) and the RFC 8448
   replay failed to decrypt with it in the guest, while the same code
   matches AES-NI on real VAES CPUs. */
void crypto_set_impl(enum crypto_impl i);
enum crypto_impl crypto_get_impl(void);
/* e.g. "aes=aesni ghash=pclmul sha256=shani"; static string, never freed. */
const char *crypto_impl_describe(void);

/* Feature tests after the policy above (1 = use the hardware path). */
int crypto_use_aesni(void);   /* AES-NI + SSE4.1 + PCLMULQDQ together */
int crypto_use_vaes(void);    /* AES-NI as above + VAES + VPCLMULQDQ + AVX2, YMM state on (AUTO only) */
/* 0 keeps GCM on 128-bit AES-NI even where VAES is there (tests, speed
   comparisons); 1 (default) lets crypto_use_vaes() follow CPUID. */
void crypto_set_vaes(int on);
int crypto_use_shani(void);   /* SHA-NI + SSE4.1 */
/* AVX-512F + AVX512-IFMA with ZMM state on (XCR0 bits 5-7; AUTO only, so
   never in our kernel): RSA public-key exponentiation on 52-bit limbs
   (bn_ifma.c). crypto_set_ifma(0) keeps the portable 64-bit code (tests and
   speed comparisons); 1 (default) follows CPUID. */
int crypto_use_ifma(void);
void crypto_set_ifma(int on);
int crypto_use_sse2_chacha(void); /* a SIMD ChaCha20 path below (AUTO only) */

/* ChaCha20 bulk paths, in rising order of preference: 4 blocks with SSE2
   (baseline x86-64), 8 with AVX2 (YMM state on), 16 with AVX-512F (ZMM
   state on: XCR0 bits 5-7, which our kernel leaves off). AUTO takes the
   best the CPU and OS allow, PORTABLE and EMULATED the scalar code. */
enum crypto_chacha_path { CRYPTO_CHACHA_SCALAR, CRYPTO_CHACHA_SSE2, CRYPTO_CHACHA_AVX2, CRYPTO_CHACHA_AVX512 };
enum crypto_chacha_path crypto_chacha_path(void);
/* Caps the path (tests and benchmarks compare them); default AVX512, i.e.
   no cap. crypto_chacha_path() returns min(policy's path, cap). */
void crypto_set_chacha_max(enum crypto_chacha_path p);
const char *crypto_chacha_path_name(enum crypto_chacha_path p);  /* "avx2" */

#endif
