/* GHASH (NIST SP 800-38D section 6.4), the universal hash inside GCM.
   Elements are 128-bit values loaded big-endian (hi = bytes 0..7); the
   reflected bit order of GCM is handled inside the multiply.
   ghash_key holds H^1..H^8 (for 8-block aggregated PCLMULQDQ); ghash_state
   is the running value, so one key serves many messages. Caller-owned. */
#ifndef CRYPTO_GHASH_H
#define CRYPTO_GHASH_H
#include <stddef.h>
#include <stdint.h>

#define GHASH_POWERS 8

typedef struct { uint64_t lo, hi; } ghash_elem;  /* lo first: loads as an xmm */
typedef struct { ghash_elem h[GHASH_POWERS]; } ghash_key; /* h[i] = H^(i+1) */
typedef struct { ghash_elem y; uint8_t buf[16]; size_t n; } ghash_state;

void ghash_key_init(ghash_key *k, const uint8_t h[16]);
void ghash_start(ghash_state *s);
/* Absorbs bytes; partial blocks are buffered until ghash_pad or more data. */
void ghash_update(const ghash_key *k, ghash_state *s, const uint8_t *p, size_t n);
/* Zero-pads a pending partial block (between AAD and ciphertext, before lengths). */
void ghash_pad(const ghash_key *k, ghash_state *s);
/* Writes Y (after ghash_pad), big-endian. */
void ghash_out(const ghash_state *s, uint8_t out[16]);

/* Internal to crypto/: the two block functions (n whole blocks). */
void ghash_blocks_portable(const ghash_key *k, ghash_elem *y, const uint8_t *p, size_t nblocks);
void ghash_blocks_pclmul(const ghash_key *k, ghash_elem *y, const uint8_t *p, size_t nblocks);
/* x = x * y in GF(2^128), portable constant time. */
void ghash_mul_portable(ghash_elem *x, const ghash_elem *y);

#endif
