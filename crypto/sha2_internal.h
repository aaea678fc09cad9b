/* Internal to crypto/: SHA-2 block functions, so the dispatcher can pick a
   hardware implementation (SHA-NI) at run time. Not for use outside crypto/. */
#ifndef CRYPTO_SHA2_INTERNAL_H
#define CRYPTO_SHA2_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/* Process nblocks 64-byte blocks into state h[8]. */
void sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks);
void sha256_blocks_shani(uint32_t h[8], const uint8_t *p, size_t nblocks);
/* Dispatcher: the implementation crypto_set_impl() selected. */
void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t nblocks);

#endif
