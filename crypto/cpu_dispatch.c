/* see impl.h — CPUID feature detection (Intel SDM vol. 2A, CPUID leaf 1 ECX
   and leaf 7 EBX) and the implementation policy. */
#include <cpuid.h>
#include "crypto/impl.h"

static enum crypto_impl g_impl = CRYPTO_IMPL_AUTO;
static int g_detected;
static int g_has_aesni, g_has_shani;

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
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
        g_has_shani = sse41 && ssse3 && (b & bit_SHA);
}

void crypto_set_impl(enum crypto_impl i) { g_impl = i; }
enum crypto_impl crypto_get_impl(void) { return g_impl; }

int crypto_use_aesni(void)
{
    detect();
    return g_impl == CRYPTO_IMPL_AUTO && g_has_aesni;
}

int crypto_use_shani(void)
{
    detect();
    return g_impl == CRYPTO_IMPL_AUTO && g_has_shani;
}

const char *crypto_impl_describe(void)
{
    int a = crypto_use_aesni(), s = crypto_use_shani();
    if (g_impl == CRYPTO_IMPL_PORTABLE)
        return "aes=bitsliced ghash=ct-mul sha256=portable chacha=portable";
    if (a && s)
        return "aes=aesni ghash=pclmul sha256=shani chacha=sse2";
    if (a)
        return "aes=aesni ghash=pclmul sha256=portable chacha=sse2";
    if (s)
        return "aes=bitsliced ghash=ct-mul sha256=shani chacha=sse2";
    return "aes=bitsliced ghash=ct-mul sha256=portable chacha=sse2";
}
