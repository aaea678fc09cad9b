/* Kernel randomness. Entropy sources (RDSEED, RDRAND, virtio-rng, TSC jitter)
   are polled at boot and on reseed, mixed and fed to the CSPRNG (HMAC-DRBG,
   crypto/drbg.h). random_bytes() fails instead of handing out weak output:
   without at least one hardware source (RDSEED, RDRAND or virtio-rng)
   random_ready() stays false and TLS refuses to start. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum random_err {
    RANDOM_OK = 0,
    RANDOM_ERR_NO_HW_SOURCE,     /* no hardware entropy: refuse */
    RANDOM_ERR_SOURCE_FAILED,    /* a source stopped answering */
    RANDOM_ERR_DRBG,             /* the DRBG refused (reseed failed) */
};

/* A device driver (virtio-rng) registers itself here. The callback fills up
   to len bytes and returns how many it wrote. */
typedef size_t (*random_source_fn)(void *ctx, uint8_t *out, size_t len);
void random_register_source(const char *name, random_source_fn fn, void *ctx);

/* Gathers entropy and seeds the DRBG; prints the sources found. */
enum random_err random_init(void);
bool random_ready(void);
/* Fills out with CSPRNG output (reseeding from the sources as needed). */
enum random_err random_bytes(void *out, size_t len);
uint32_t random_u32(void);       /* panics if not ready: use after random_ready() */
const char *random_err_str(enum random_err e);
/* Comma-separated names of the sources in use, e.g. "rdrand,virtio-rng,jitter". */
const char *random_sources(void);

#endif
