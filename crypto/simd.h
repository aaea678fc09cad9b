/* Internal to crypto/: pulls GCC's x86 intrinsics in a freestanding build.
   GCC's <xmmintrin.h> includes <mm_malloc.h>, which needs <stdlib.h>; we never
   call _mm_malloc, so its include guard is pre-defined to skip it.
   Functions using intrinsics carry __attribute__((target(...))) so the rest
   of the tree stays baseline x86-64; they run only after a CPUID check. */
#ifndef CRYPTO_SIMD_H
#define CRYPTO_SIMD_H
#ifndef _MM_MALLOC_H_INCLUDED
#define _MM_MALLOC_H_INCLUDED
#endif
#include <immintrin.h>

#define CRYPTO_TARGET_AESNI __attribute__((target("aes,sse4.1,pclmul")))
#define CRYPTO_TARGET_SHANI __attribute__((target("sha,sse4.1")))
#define CRYPTO_TARGET_VAES __attribute__((target("aes,sse4.1,pclmul,avx2,vaes,vpclmulqdq")))
#endif
