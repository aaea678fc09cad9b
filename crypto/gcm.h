/* AES-GCM (NIST SP 800-38D). gcm_ctx is the per-key state (AES round keys
   and GHASH powers, ~1.4 KB, caller-owned, reusable across messages);
   gcm_op is the per-message state of the incremental API.
   Lengths: key 16/24/32; IV >= 1 byte (12 is the fast, recommended case);
   tag 4, 8 or 12..16 bytes (SP 800-38D 5.2.1.2); plaintext at most
   2^36 - 32 bytes. Violations return CRYPTO_ERR_BAD_LENGTH.
   Opening never leaves unauthenticated plaintext behind: on a tag mismatch
   the output buffer is zeroed and CRYPTO_ERR_AUTH returned. */
#ifndef CRYPTO_GCM_H
#define CRYPTO_GCM_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/aes.h"
#include "crypto/ghash.h"

#define GCM_TAG_LEN 16
#define GCM_IV_LEN 12

typedef struct { aes_key aes; ghash_key gk; } gcm_ctx;

int gcm_init(gcm_ctx *c, const uint8_t *key, size_t keylen);
void gcm_wipe(gcm_ctx *c);

/* One-shot. out may equal in. */
int gcm_seal(const gcm_ctx *c, const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
             const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag, size_t taglen);
int gcm_open(const gcm_ctx *c, const uint8_t *iv, size_t ivlen, const uint8_t *aad, size_t aadlen,
             const uint8_t *in, size_t len, const uint8_t *tag, size_t taglen, uint8_t *out);

/* Incremental: start, aad (any number of calls, all before data), then
   encrypt or decrypt (any number of calls, any sizes), then finish. */
typedef struct {
    const gcm_ctx *c;
    ghash_state gs;
    uint8_t ctr[16], ek0[16], ks[16];
    size_t ksused;            /* bytes of ks already used (16 = none left) */
    uint64_t aadlen, len;
    int phase;                /* 0 aad, 1 data, 2 finished */
} gcm_op;

int gcm_start(gcm_op *op, const gcm_ctx *c, const uint8_t *iv, size_t ivlen);
int gcm_aad(gcm_op *op, const uint8_t *aad, size_t n);
int gcm_encrypt(gcm_op *op, const uint8_t *in, uint8_t *out, size_t n);
/* The plaintext written here is NOT authenticated until gcm_finish_open
   returns CRYPTO_OK: keep it private until then. */
int gcm_decrypt(gcm_op *op, const uint8_t *in, uint8_t *out, size_t n);
int gcm_finish_seal(gcm_op *op, uint8_t *tag, size_t taglen);
/* Checks the tag in constant time; on mismatch zeroes out[0..outlen) (pass
   the whole plaintext buffer written by gcm_decrypt) and the op state. */
int gcm_finish_open(gcm_op *op, const uint8_t *tag, size_t taglen, uint8_t *out, size_t outlen);

#endif
