/* see random.h */
#include "kernel/random.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "crypto/crypto.h"
#include "crypto/drbg.h"
#include "lib/fmt.h"
#include <string.h>

#define MAX_SOURCES 4
#define RESEED_BYTES (1u << 20)     /* reseed after this much output */

struct source {
    const char *name;
    random_source_fn fn;
    void *ctx;
};

static struct source sources[MAX_SOURCES];
static int nsources;
static drbg_ctx drbg;
static bool ready;
static uint64_t since_reseed;
static char source_names[96];

void random_register_source(const char *name, random_source_fn fn, void *ctx)
{
    if (nsources < MAX_SOURCES)
        sources[nsources++] = (struct source){ name, fn, ctx };
}

static size_t src_rdseed(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    size_t n = 0;
    while (n < len) {
        uint64_t v;
        if (!cpu_rdseed64(&v))
            break;
        size_t k = len - n < 8 ? len - n : 8;
        memcpy(out + n, &v, k);
        n += k;
    }
    return n;
}

static size_t src_rdrand(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    size_t n = 0;
    while (n < len) {
        uint64_t v;
        if (!cpu_rdrand64(&v))
            break;
        size_t k = len - n < 8 ? len - n : 8;
        memcpy(out + n, &v, k);
        n += k;
    }
    return n;
}

/* TSC jitter: timing of a small memory-touching loop. Weak on its own (and
   never counted as a hardware source), mixed in as extra input. */
static size_t src_jitter(uint8_t *out, size_t len)
{
    static volatile uint8_t scratch[4096];
    for (size_t i = 0; i < len; i++) {
        uint8_t acc = 0;
        for (int bit = 0; bit < 8; bit++) {
            uint64_t t0 = rdtsc();
            for (int k = 0; k < 64; k++)
                scratch[(k * 67 + (int)(t0 & 63)) & 4095] += (uint8_t)k;
            uint64_t d = rdtsc() - t0;
            acc = (uint8_t)((acc << 1) ^ (uint8_t)d ^ (uint8_t)(d >> 8));
        }
        out[i] = acc;
    }
    return len;
}

/* Collects entropy input from every source; returns how many hardware
   sources delivered their full share. */
static int gather(uint8_t *buf, size_t *len, size_t cap)
{
    size_t n = 0;
    int hw = 0;
    const size_t share = 48;
    if (cpu.rdseed && n + share <= cap && src_rdseed(NULL, buf + n, share) == share) {
        n += share;
        hw++;
    }
    if (cpu.rdrand && n + share <= cap && src_rdrand(NULL, buf + n, share) == share) {
        n += share;
        hw++;
    }
    for (int i = 0; i < nsources; i++) {
        if (n + share <= cap && sources[i].fn(sources[i].ctx, buf + n, share) == share) {
            n += share;
            hw++;
        }
    }
    if (n + 64 <= cap)
        n += src_jitter(buf + n, 64);
    uint64_t t = rdtsc();
    if (n + 8 <= cap) {
        memcpy(buf + n, &t, 8);
        n += 8;
    }
    *len = n;
    return hw;
}

enum random_err random_init(void)
{
    size_t off = 0;
    source_names[0] = 0;
    if (cpu.rdseed)
        off += fmt_snprintf(source_names + off, sizeof source_names - off, "rdseed,");
    if (cpu.rdrand)
        off += fmt_snprintf(source_names + off, sizeof source_names - off, "rdrand,");
    for (int i = 0; i < nsources && off < sizeof source_names; i++)
        off += fmt_snprintf(source_names + off, sizeof source_names - off, "%s,", sources[i].name);
    if (off < sizeof source_names)
        fmt_snprintf(source_names + off, sizeof source_names - off, "jitter");

    uint8_t seed[320];
    size_t len;
    int hw = gather(seed, &len, sizeof seed);
    kprintf("random: sources=%s hardware=%d\n", source_names, hw);
    if (hw == 0) {
        crypto_zeroize(seed, sizeof seed);
        ready = false;
        return RANDOM_ERR_NO_HW_SOURCE;
    }
    uint64_t nonce = rdtsc();
    static const char pers[] = "kernel random v1";
    int r = drbg_instantiate(&drbg, seed, len, (const uint8_t *)&nonce, sizeof nonce,
                             (const uint8_t *)pers, sizeof pers - 1);
    crypto_zeroize(seed, sizeof seed);
    if (r != CRYPTO_OK)
        return RANDOM_ERR_DRBG;
    ready = true;
    since_reseed = 0;
    return RANDOM_OK;
}

bool random_ready(void) { return ready; }
const char *random_sources(void) { return source_names; }

static enum random_err reseed(void)
{
    uint8_t seed[320];
    size_t len;
    int hw = gather(seed, &len, sizeof seed);
    int r = hw ? drbg_reseed(&drbg, seed, len, NULL, 0) : -1;
    crypto_zeroize(seed, sizeof seed);
    if (hw == 0) {
        ready = false;
        drbg_wipe(&drbg);
        return RANDOM_ERR_SOURCE_FAILED;
    }
    if (r != CRYPTO_OK)
        return RANDOM_ERR_DRBG;
    since_reseed = 0;
    return RANDOM_OK;
}

enum random_err random_bytes(void *out, size_t len)
{
    if (!ready)
        return RANDOM_ERR_NO_HW_SOURCE;
    uint8_t *p = out;
    while (len) {
        if (since_reseed >= RESEED_BYTES) {
            enum random_err e = reseed();
            if (e != RANDOM_OK)
                return e;
        }
        size_t k = len > 4096 ? 4096 : len;
        int r = drbg_generate(&drbg, p, k, NULL, 0);
        if (r == CRYPTO_ERR_RESEED_REQUIRED) {
            since_reseed = RESEED_BYTES;
            continue;
        }
        if (r != CRYPTO_OK)
            return RANDOM_ERR_DRBG;
        p += k;
        len -= k;
        since_reseed += k;
    }
    return RANDOM_OK;
}

uint32_t random_u32(void)
{
    uint32_t v;
    if (random_bytes(&v, sizeof v) != RANDOM_OK)
        panic("random_u32: CSPRNG not ready");
    return v;
}

const char *random_err_str(enum random_err e)
{
    switch (e) {
    case RANDOM_OK: return "ok";
    case RANDOM_ERR_NO_HW_SOURCE: return "no_hardware_entropy";
    case RANDOM_ERR_SOURCE_FAILED: return "entropy_source_failed";
    case RANDOM_ERR_DRBG: return "drbg_error";
    }
    return "unknown";
}
