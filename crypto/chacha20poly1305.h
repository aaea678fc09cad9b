/* ChaCha20-Poly1305 AEAD (RFC 8439 section 2.8): 32-byte key, 12-byte nonce,
   16-byte tag. The context only holds the key (caller-owned; wipe it with
   chacha20poly1305_wipe). Open decrypts while it MACs (one pass) and
   releases plaintext only under a good tag: on mismatch out is zeroed
   (in == out included) and CRYPTO_ERR_AUTH returned. */
#ifndef CRYPTO_CHACHA20POLY1305_H
#define CRYPTO_CHACHA20POLY1305_H
#include <stddef.h>
#include <stdint.h>

#define CHACHA20POLY1305_KEY_LEN 32
#define CHACHA20POLY1305_NONCE_LEN 12
#define CHACHA20POLY1305_TAG_LEN 16

typedef struct { uint8_t key[32]; } chacha20poly1305_ctx;

int chacha20poly1305_init(chacha20poly1305_ctx *c, const uint8_t *key, size_t keylen);
void chacha20poly1305_wipe(chacha20poly1305_ctx *c);
/* out may equal in; tag gets 16 bytes. len <= 64 * (2^32 - 1). */
int chacha20poly1305_seal(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          uint8_t *out, uint8_t tag[16]);
int chacha20poly1305_open(const chacha20poly1305_ctx *c, const uint8_t *nonce, size_t noncelen,
                          const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
                          const uint8_t *tag, size_t taglen, uint8_t *out);

#endif
