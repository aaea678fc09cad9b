/* see crypto.h */
#include <string.h>
#include "crypto/crypto.h"

const char *crypto_err_str(int err)
{
    switch (err) {
    case CRYPTO_OK: return "ok";
    case CRYPTO_ERR_BAD_LENGTH: return "bad_length";
    case CRYPTO_ERR_AUTH: return "auth_failed";
    case CRYPTO_ERR_BAD_POINT: return "bad_point";
    case CRYPTO_ERR_ZERO_SECRET: return "zero_secret";
    case CRYPTO_ERR_BAD_SIGNATURE: return "bad_signature";
    case CRYPTO_ERR_BAD_KEY: return "bad_key";
    case CRYPTO_ERR_BAD_ENCODING: return "bad_encoding";
    case CRYPTO_ERR_UNSUPPORTED: return "unsupported";
    case CRYPTO_ERR_RESEED_REQUIRED: return "reseed_required";
    case CRYPTO_ERR_KEY_TOO_SMALL: return "key_too_small";
    }
    return "unknown";
}

void crypto_zeroize(void *p, size_t n)
{
    /* A plain memset (fast: the kernel's is rep stosq), then an empty asm
       that takes p and clobbers memory: the compiler must assume the zeros
       are read, so it can neither drop nor shorten the memset. */
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

__attribute__((noinline)) void crypto_wipe_stack(size_t n)
{
    /* This frame lies where the frame of the function the caller has just
       called lay (same stack pointer on entry); buf is its bulk, so its top
       n bytes are the n bytes below the caller's frame. noinline keeps it a
       frame of its own; crypto_zeroize's asm keeps the memset. */
    uint8_t buf[CRYPTO_STACK_WIPE_MAX];
    if (n > sizeof buf)
        n = sizeof buf;
    crypto_zeroize(buf + sizeof buf - n, n);
}

int crypto_ct_memeq(const void *a, const void *b, size_t n)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= x[i] ^ y[i];
    return (int)(1 & ((uint32_t)(d - 1) >> 8));
}

void crypto_ct_mask(void *p, size_t n, uint8_t mask)
{
    unsigned char *b = p;
    uint64_t m = 0x0101010101010101ULL * mask;
    __asm__("" : "+r"(m));    /* opaque: the compiler cannot special-case 0 / 0xff */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        w &= m;
        memcpy(b + i, &w, 8);
    }
    for (; i < n; i++)
        b[i] &= (unsigned char)m;
}
