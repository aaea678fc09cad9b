/* see impl.h — CPUID feature detection (Intel SDM vol. 2A, CPUID leaf 1 ECX
   and leaf 7 EBX) and the implementation policy. */
#include <stddef.h>
#include <cpuid.h>
#include "crypto/impl.h"

static enum crypto_impl g_impl = CRYPTO_IMPL_AUTO;
static int g_detected;
static int g_has_aesni, g_has_shani, g_has_vaes, g_vaes_off;
static int g_has_avx2, g_has_avx512, g_has_ifma, g_ifma_off;
static enum crypto_chacha_path g_chacha_max = CRYPTO_CHACHA_AVX512;

static void detect(void)
{
    unsigned a, b, c, d;
    if (g_detected)
        return;
    g_detected = 1;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return;
    int sse41 = (c & bit_SSE4_1) != 0, ssse3 = (c & bit_SSSE3) != 0;
    g_has_aesni = sse41 && ssse3 && (c & bit_AES) && (c & bit_PCLMUL);
    /* VAES and VPCLMULQDQ on YMM: also AVX2, and the OS must save YMM
       state (OSXSAVE, XCR0 bits 1 and 2: SDM vol. 1 14.3). */
    int ymm_os = 0, zmm_os = 0;
    if (c & bit_OSXSAVE) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        ymm_os = (lo & 6) == 6;
        /* ZMM state: opmask, ZMM0-15 upper halves, ZMM16-31 (XCR0 bits
           5-7). Our kernel enables only x87/SSE/AVX (kernel/cpu.c), so it
           never takes the AVX-512 path. */
        zmm_os = ymm_os && (lo & 0xe0) == 0xe0;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        g_has_shani = sse41 && ssse3 && (b & bit_SHA);
        g_has_vaes = g_has_aesni && ymm_os && (b & bit_AVX2) && (c & bit_VAES) &&
                     (c & bit_VPCLMULQDQ);
        g_has_avx2 = ymm_os && (b & bit_AVX2);
        g_has_avx512 = g_has_avx2 && zmm_os && (b & bit_AVX512F);
        g_has_ifma = g_has_avx512 && (b & bit_AVX512IFMA);
    }
}

void crypto_set_impl(enum crypto_impl i) { g_impl = i; }
enum crypto_impl crypto_get_impl(void) { return g_impl; }

int crypto_use_aesni(void)
{
    detect();
    return g_impl != CRYPTO_IMPL_PORTABLE && g_has_aesni;
}

int crypto_use_vaes(void)
{
    detect();
    return g_impl == CRYPTO_IMPL_AUTO && crypto_use_aesni() && g_has_vaes && !g_vaes_off;
}

void crypto_set_vaes(int on) { g_vaes_off = !on; }

int crypto_use_ifma(void)
{
    detect();
    return g_impl == CRYPTO_IMPL_AUTO && g_has_ifma && !g_ifma_off;
}

void crypto_set_ifma(int on) { g_ifma_off = !on; }

int crypto_use_shani(void)
{
    detect();
    return g_impl != CRYPTO_IMPL_PORTABLE && g_has_shani;
}

enum crypto_chacha_path crypto_chacha_path(void)
{
    detect();
    enum crypto_chacha_path p = CRYPTO_CHACHA_SCALAR;
    if (g_impl == CRYPTO_IMPL_AUTO)
        p = g_has_avx512 ? CRYPTO_CHACHA_AVX512 : g_has_avx2 ? CRYPTO_CHACHA_AVX2 : CRYPTO_CHACHA_SSE2;
    return p < g_chacha_max ? p : g_chacha_max;
}

void crypto_set_chacha_max(enum crypto_chacha_path p) { g_chacha_max = p; }

const char *crypto_chacha_path_name(enum crypto_chacha_path p)
{
    switch (p) {
    case CRYPTO_CHACHA_SCALAR: return "portable";
    case CRYPTO_CHACHA_SSE2: return "sse2";
    case CRYPTO_CHACHA_AVX2: return "avx2";
    case CRYPTO_CHACHA_AVX512: return "avx512";
    }
    return "unknown";
}

int crypto_use_sse2_chacha(void)
{
    return crypto_chacha_path() != CRYPTO_CHACHA_SCALAR;
}

const char *crypto_impl_describe(void)
{
    static char buf[96];
    const char *parts[5] = {
        crypto_use_vaes() ? "aes=vaes ghash=vpclmul "
        : crypto_use_aesni() ? "aes=aesni ghash=pclmul " : "aes=bitsliced ghash=ct-mul ",
        crypto_use_shani() ? "sha256=shani " : "sha256=portable ",
        "chacha=",
        crypto_chacha_path_name(crypto_chacha_path()),
        g_impl == CRYPTO_IMPL_EMULATED ? " (emulated-cpu policy)" : "",
    };
    size_t n = 0;
    for (int i = 0; i < 5; i++)
        for (const char *p = parts[i]; *p && n + 1 < sizeof buf; p++)
            buf[n++] = *p;
    buf[n] = 0;
    return buf;
}
