/* see speed.h — in-guest throughput of the primitives the HTTPS path uses. */
#include "app/job_speed.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/time.h"
#include "crypto/aead.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"
#include "crypto/hash.h"
#include "crypto/ghash.h"
#include "crypto/impl.h"
#include <string.h>

#define SPEED_BUF (1u << 20)      /* 1 MiB per pass, in 16 KiB records */
#define SPEED_REC 16384u
#define SPEED_MIN_US 300000u      /* each row runs at least this long (or 64 passes) */

enum speed_op { OP_COPY, OP_SHA256, OP_CHACHA20, OP_POLY1305, OP_GHASH, OP_OPEN, OP_END };

static const uint8_t speed_key[32] = { 9, 8, 7 }, speed_nonce[12] = { 4 };

struct speed_bufs {
    uint8_t *buf;   /* SPEED_BUF bytes of input / opened plaintext */
    uint8_t *dst;   /* SPEED_BUF output; for an open, one sealed record */
};

/* One pass over the buffer; for OP_OPEN, dst holds one sealed record that
   is opened (tag checked) into each 16 KiB slot. 0, or 1 on a failure. */
static int speed_pass(enum speed_op op, const struct speed_bufs *b, aead_ctx *a)
{
    static ghash_key gk;
    ghash_state gs;
    uint8_t tag[32];
    if (op == OP_GHASH)
        ghash_key_init(&gk, speed_key);
    for (uint32_t off = 0; off < SPEED_BUF; off += SPEED_REC) {
        uint8_t *p = b->buf + off;
        switch (op) {
        case OP_COPY: memcpy(b->dst + off, p, SPEED_REC); break;
        case OP_SHA256: hash_digest(&hash_sha256, p, SPEED_REC, tag); break;
        case OP_CHACHA20: chacha20_xor(speed_key, 1, speed_nonce, p, b->dst + off, SPEED_REC); break;
        case OP_POLY1305: poly1305(speed_key, p, SPEED_REC, tag); break;
        case OP_GHASH:
            ghash_start(&gs);
            ghash_update(&gk, &gs, p, SPEED_REC);
            ghash_out(&gs, tag);
            break;
        case OP_OPEN:
            if (aead_open(a, speed_nonce, NULL, 0, b->dst, SPEED_REC + AEAD_TAG_LEN, p) != 0)
                return 1;
            break;
        case OP_END: break;
        }
    }
    return 0;
}

/* Times one row and prints "speed: NAME[ (portable)] MB/s=X.Y". */
static int speed_row(enum speed_op op, const struct speed_bufs *b, aead_ctx *a, const char *name,
                     const char *suffix)
{
    static const char *const names[] = { "memcpy", "sha256", "chacha20", "poly1305", "ghash" };
    uint64_t spent = 0, bytes = 0;
    if (op == OP_OPEN)
        aead_seal(a, speed_nonce, NULL, 0, b->buf, SPEED_REC, b->dst);
    for (int pass = 0; pass < 64 && spent < SPEED_MIN_US; pass++) {
        uint64_t t0 = time_us();
        if (speed_pass(op, b, a)) {
            kprintf("speed: FAIL %s%s\n", name ? name : names[op], suffix);
            return 1;
        }
        spent += time_us() - t0;
        bytes += SPEED_BUF;
    }
    if (spent)
        kprintf("speed: %s%s MB/s=%lu.%lu\n", name ? name : names[op], suffix,
                (unsigned long)(bytes / spent), (unsigned long)(bytes * 10 / spent % 10));
    return 0;
}

/* Every row after memcpy, under the current crypto policy. */
static int speed_rows(const struct speed_bufs *b, aead_ctx c[3], const char *suffix)
{
    static const char *const open_names[3] = { "chacha20-poly1305-open", "aes-128-gcm-open",
                                               "aes-256-gcm-open" };
    int failed = 0;
    kprintf("speed: impl %s\n", crypto_impl_describe());
    for (enum speed_op op = OP_SHA256; op < OP_OPEN; op++)
        failed |= speed_row(op, b, NULL, NULL, suffix);
    for (int i = 0; i < 3; i++)
        failed |= speed_row(OP_OPEN, b, &c[i], open_names[i], suffix);
    return failed;
}

int app_speed_report(void)
{
    struct speed_bufs b = { kmalloc(SPEED_BUF), kmalloc(SPEED_BUF + AEAD_TAG_LEN) };
    aead_ctx *c = kmalloc(3 * sizeof *c);
    int failed = 0;
    if (!b.buf || !b.dst || !c) {
        kprintf("speed: FAIL out of memory\n");
        failed = 1;
        goto out;
    }
    for (uint32_t i = 0; i < SPEED_BUF; i++)
        b.buf[i] = (uint8_t)(i * 131u + 7u);
    aead_init(&c[0], AEAD_CHACHA20_POLY1305, speed_key, 32);
    aead_init(&c[1], AEAD_AES128_GCM, speed_key, 16);
    aead_init(&c[2], AEAD_AES256_GCM, speed_key, 32);
    failed |= speed_row(OP_COPY, &b, NULL, NULL, "");
    failed |= speed_rows(&b, c, "");
    enum crypto_impl policy = crypto_get_impl();
    if (policy != CRYPTO_IMPL_PORTABLE) {   /* then the portable constant-time code */
        crypto_set_impl(CRYPTO_IMPL_PORTABLE);
        failed |= speed_rows(&b, c, " (portable)");
        crypto_set_impl(policy);
    }
    for (int i = 0; i < 3; i++)
        aead_wipe(&c[i]);
out:
    kfree(c);
    kfree(b.dst);
    kfree(b.buf);
    return failed;
}
