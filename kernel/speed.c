/* see speed.h — in-guest throughput of the primitives the HTTPS path uses. */
#include "kernel/speed.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/time.h"
#include "crypto/aead.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"
#include "crypto/hash.h"
#include "crypto/impl.h"
#include <string.h>

#define SPEED_BUF (1u << 20)   /* 1 MiB per pass, in 16 KiB records */
#define SPEED_REC 16384u

enum speed_op { OP_COPY, OP_SHA256, OP_CHACHA20, OP_POLY1305, OP_OPEN_CCP, OP_OPEN_GCM128,
                OP_OPEN_GCM256 };
static const char *const speed_names[] = { "memcpy", "sha256", "chacha20", "poly1305",
    "chacha20-poly1305-open", "aes-128-gcm-open", "aes-256-gcm-open" };

/* One pass over buf; returns nonzero on an unexpected failure. */
static int speed_pass(enum speed_op op, uint8_t *buf, uint8_t *dst, aead_ctx *ccp, aead_ctx *g128,
                      aead_ctx *g256)
{
    static const uint8_t key[32] = { 1, 2, 3 }, nonce[12] = { 4 };
    uint8_t tag[32];
    for (uint32_t off = 0; off < SPEED_BUF; off += SPEED_REC) {
        uint8_t *p = buf + off;
        switch (op) {
        case OP_COPY: memcpy(dst + off, p, SPEED_REC); break;
        case OP_SHA256: hash_digest(&hash_sha256, p, SPEED_REC, tag); break;
        case OP_CHACHA20: chacha20_xor(key, 1, nonce, p, dst + off, SPEED_REC); break;
        case OP_POLY1305: poly1305(key, p, SPEED_REC, tag); break;
        /* dst holds one sealed record, opened (tag checked) into each slot */
        case OP_OPEN_CCP: case OP_OPEN_GCM128: case OP_OPEN_GCM256: {
            aead_ctx *c = op == OP_OPEN_CCP ? ccp : op == OP_OPEN_GCM128 ? g128 : g256;
            if (aead_open(c, nonce, NULL, 0, dst, SPEED_REC + AEAD_TAG_LEN, p) != 0)
                return 1;
            break;
        }
        }
    }
    return 0;
}

int speed_report(void)
{
    uint8_t *buf = kmalloc(SPEED_BUF), *dst = kmalloc(SPEED_BUF + AEAD_TAG_LEN);
    aead_ctx *c = kmalloc(3 * sizeof *c);
    static const uint8_t key[32] = { 9, 8, 7 }, nonce[12] = { 4 };
    int failed = 0;
    if (!buf || !dst || !c) {
        kprintf("speed: FAIL out of memory\n");
        failed = 1;
        goto out;
    }
    for (uint32_t i = 0; i < SPEED_BUF; i++)
        buf[i] = (uint8_t)(i * 131u + 7u);
    aead_init(&c[0], AEAD_CHACHA20_POLY1305, key, 32);
    aead_init(&c[1], AEAD_AES128_GCM, key, 16);
    aead_init(&c[2], AEAD_AES256_GCM, key, 32);
    enum crypto_impl policy = crypto_get_impl();
    kprintf("speed: impl %s\n", crypto_impl_describe());
    for (int op = OP_COPY; op <= OP_OPEN_GCM256; op++) {
        aead_ctx *a = op == OP_OPEN_CCP ? &c[0] : op == OP_OPEN_GCM128 ? &c[1] : &c[2];
        uint64_t spent = 0, bytes = 0;
        for (int pass = 0; pass < 64 && spent < 300000; pass++) {
            if (op >= OP_OPEN_CCP && pass == 0)
                aead_seal(a, nonce, NULL, 0, buf, SPEED_REC, dst);
            uint64_t t0 = time_us();
            if (speed_pass((enum speed_op)op, buf, dst, &c[0], &c[1], &c[2])) {
                kprintf("speed: FAIL %s\n", speed_names[op]);
                failed = 1;
                break;
            }
            spent += time_us() - t0;
            bytes += SPEED_BUF;
        }
        if (spent)
            kprintf("speed: %s%s MB/s=%lu.%lu\n", speed_names[op],
                    crypto_get_impl() == policy ? "" : " (portable)", (unsigned long)(bytes / spent),
                    (unsigned long)(bytes * 10 / spent % 10));
        /* then the portable constant-time code for the same rows */
        if (op == OP_OPEN_GCM256 && crypto_get_impl() != CRYPTO_IMPL_PORTABLE && !failed) {
            crypto_set_impl(CRYPTO_IMPL_PORTABLE);
            kprintf("speed: impl %s\n", crypto_impl_describe());
            op = OP_SHA256 - 1;
        }
    }
    crypto_set_impl(policy);
out:
    if (c) {
        for (int i = 0; i < 3; i++)
            aead_wipe(&c[i]);
        kfree(c);
    }
    kfree(dst);
    kfree(buf);
    return failed;
}
