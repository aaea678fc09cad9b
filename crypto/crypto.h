/* Shared definitions for crypto/: the error codes every primitive returns,
   constant-time helpers and a zeroize the compiler cannot remove.
   Convention: functions that can fail return enum crypto_err, CRYPTO_OK (0)
   on success; functions that cannot fail return void. crypto/ is freestanding:
   no libc beyond <string.h>, no malloc, no kernel headers. */
#ifndef CRYPTO_CRYPTO_H
#define CRYPTO_CRYPTO_H
#include <stddef.h>
#include <stdint.h>

enum crypto_err {
    CRYPTO_OK = 0,
    CRYPTO_ERR_BAD_LENGTH,        /* key, nonce, tag, input or output length */
    CRYPTO_ERR_AUTH,              /* AEAD tag or MAC mismatch */
    CRYPTO_ERR_BAD_POINT,         /* off-curve, infinity, non-canonical point */
    CRYPTO_ERR_ZERO_SECRET,       /* all-zero (EC)DH result */
    CRYPTO_ERR_BAD_SIGNATURE,     /* signature does not verify */
    CRYPTO_ERR_BAD_KEY,           /* malformed or out-of-range key */
    CRYPTO_ERR_BAD_ENCODING,      /* malformed DER / padding / encoding */
    CRYPTO_ERR_UNSUPPORTED,       /* algorithm or size not supported */
    CRYPTO_ERR_RESEED_REQUIRED,   /* DRBG needs a reseed */
    CRYPTO_ERR_KEY_TOO_SMALL,     /* below the configured minimum size */
};

const char *crypto_err_str(int err);

/* Overwrites n bytes with zeros; never optimized away. */
void crypto_zeroize(void *p, size_t n);

/* Zeroes up to n bytes of stack just below the caller's frame: what the
   function the caller has just called left there (round keys, H powers,
   keystream, register spills of the SIMD code). Called by the dispatchers
   right after a SIMD path returns, with n covering that path's frames
   (tests/ct/stack_wipe.c checks it). n <= CRYPTO_STACK_WIPE_MAX. */
#define CRYPTO_STACK_WIPE_MAX 4096
void crypto_wipe_stack(size_t n);

/* 1 when the n bytes at a and b are equal, else 0; time depends on n only. */
int crypto_ct_memeq(const void *a, const void *b, size_t n);

/* p[i] &= mask for i < n (mask 0xff keeps, 0x00 zeroes); no branch on mask.
   p may be NULL when n is 0. */
void crypto_ct_mask(void *p, size_t n, uint8_t mask);

/* Constant-time word helpers: masks are all-ones or all-zero. */
static inline uint32_t ct_is_zero32(uint32_t x) { return (uint32_t)0 - (uint32_t)(((uint64_t)x - 1) >> 63); }
static inline uint32_t ct_eq32(uint32_t a, uint32_t b) { return ct_is_zero32(a ^ b); }
static inline uint32_t ct_select32(uint32_t mask, uint32_t a, uint32_t b) { return (a & mask) | (b & ~mask); }
static inline uint64_t ct_is_zero64(uint64_t x) { return (uint64_t)0 - ((~x & (x - 1)) >> 63); }
static inline uint64_t ct_select64(uint64_t mask, uint64_t a, uint64_t b) { return (a & mask) | (b & ~mask); }

/* Declares bytes computed from secrets public from here on (a key's
   validity, a rejection-sampling event, a finished output), so code may
   branch on them. A no-op, except when a constant-time check compiles the
   code with -DCRYPTO_CT_VALGRIND: memcheck then stops tracking the bytes
   as secret, and any other secret-dependent branch is still reported. */
#ifdef CRYPTO_CT_VALGRIND
#include <valgrind/memcheck.h>
#define crypto_declassify(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define crypto_declassify(p, n) ((void)(p), (void)(n))
#endif

#endif
