/* see selftest.h */
#include "kernel/selftest.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/random.h"
#include "kernel/time.h"
#include "tls/x509_selftest.h"
#include "crypto/pk_selftest.h"
#include "crypto/sym_selftest.h"
#include "tls/tls_selftest.h"
#include "kernel/speed.h"
#include <stdint.h>
#include <string.h>

static int test_heap(void)
{
    size_t before = heap_bytes_in_use();
    void *p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = kmalloc((size_t)(i * 37 + 1) * 16);
        if (!p[i])
            return kprintf("selftest: heap FAIL kmalloc returned NULL\n"), 1;
        memset(p[i], i, (size_t)(i * 37 + 1) * 16);
    }
    size_t mid = heap_bytes_in_use();
    for (int i = 0; i < 64; i += 2)
        kfree(p[i]);
    for (int i = 1; i < 64; i += 2) {
        uint8_t *b = p[i];
        if (b[0] != (uint8_t)i || b[(i * 37 + 1) * 16 - 1] != (uint8_t)i)
            return kprintf("selftest: heap FAIL block %d corrupted\n", i), 1;
        kfree(p[i]);
    }
#ifdef HEAP_POISON
    /* debug builds poison fresh blocks with 0xA5 and freed ones with 0xDD */
    uint8_t *q = kmalloc(256);
    int fresh = q && q[0] == 0xA5 && q[255] == 0xA5;
    void *guard = kmalloc(16);          /* keeps q from merging into the free tail */
    kfree(q);
    int freed = q[64] == 0xDD && q[255] == 0xDD;
    kfree(guard);
    if (!fresh || !freed)
        return kprintf("selftest: heap FAIL poisoning fresh=%d freed=%d\n", fresh, freed), 1;
    kprintf("selftest: heap poison ok\n");
#endif
    void *big = kmalloc(8u << 20);          /* coalescing gave the space back */
    int big_ok = big != NULL;
    kfree(big);
    size_t after = heap_bytes_in_use();
    int ok = after == before && mid > before && big_ok;
    kprintf("selftest: heap %s before=%lu peak=%lu after=%lu\n", ok ? "ok" : "FAIL",
            (unsigned long)before, (unsigned long)mid, (unsigned long)after);
    return !ok;
}

static int test_sleep(void)
{
    uint64_t t0 = time_us();
    sleep_ms(100);
    uint64_t d = time_us() - t0;
    int ok = d >= 90000 && d <= 110000;
    kprintf("selftest: sleep %s requested_ms=100 measured_us=%lu\n", ok ? "ok" : "FAIL",
            (unsigned long)d);
    /* the host measures the time between these two lines with its own clock */
    kprintf("selftest: mark1 t_us=%lu\n", (unsigned long)time_us());
    sleep_ms(1000);
    kprintf("selftest: mark2 t_us=%lu\n", (unsigned long)time_us());
    return !ok;
}

static int test_random(void)
{
    if (!random_ready())
        return kprintf("selftest: random FAIL not ready\n"), 1;
    uint8_t a[32], b[32];
    if (random_bytes(a, sizeof a) != RANDOM_OK || random_bytes(b, sizeof b) != RANDOM_OK)
        return kprintf("selftest: random FAIL random_bytes\n"), 1;
    int same = memcmp(a, b, sizeof a) == 0;
    int zero = 1;
    for (unsigned i = 0; i < sizeof a; i++)
        zero &= a[i] == 0;
    int ok = !same && !zero;
    kprintf("selftest: random %s sources=%s sample=%02x%02x%02x%02x\n", ok ? "ok" : "FAIL",
            random_sources(), a[0], a[1], a[2], a[3]);
    return !ok;
}

static int test_x509(void)
{
    char m[160];
    uint64_t t0 = time_us();
    int e = x509_selftest(m, sizeof m);
    kprintf("selftest: x509 %s %s us=%lu\n", e ? "FAIL" : "ok", m,
            (unsigned long)(time_us() - t0));
    return e != 0;
}

static int test_sym(void)
{
    const char *name = "";
    uint64_t t0 = time_us();
    int e = sym_selftest(&name);
    kprintf("selftest: sym %s %s us=%lu\n", e ? "FAIL" : "ok",
            e ? name : "sha2,hmac,hkdf,drbg,aes,gcm,chacha20-poly1305", (unsigned long)(time_us() - t0));
    return e != 0;
}

static int test_pk(void)
{
    const char *name = "";
    uint64_t t0 = time_us();
    int e = pk_selftest(&name);
    kprintf("selftest: pk %s %s us=%lu\n", e ? "FAIL" : "ok", e ? name : "x25519,p256,p384,ecdsa,rsa",
            (unsigned long)(time_us() - t0));
    return e != 0;
}

static int test_tls(void)
{
    char m[160];
    uint64_t t0 = time_us();
    int e = tls_selftest(m, sizeof m);
    kprintf("selftest: tls %s %s us=%lu\n", e ? "FAIL" : "ok", m, (unsigned long)(time_us() - t0));
    return e != 0;
}

static int has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, w, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

int selftest_run(void)
{
    const char *sel = karg("selftest");
    if (!sel)
        return -1;
    int all = has_word(sel, "all"), failed = 0;
    if (all || has_word(sel, "heap"))
        failed |= test_heap();
    if (all || has_word(sel, "sleep"))
        failed |= test_sleep();
    if (all || has_word(sel, "random"))
        failed |= test_random();
    if (all || has_word(sel, "sym"))
        failed |= test_sym();
    if (all || has_word(sel, "pk"))
        failed |= test_pk();
    if (all || has_word(sel, "x509"))
        failed |= test_x509();
    if (all || has_word(sel, "tls"))
        failed |= test_tls();
    if (has_word(sel, "speed"))
        failed |= speed_report();
    if (has_word(sel, "fail")) {
        kprintf("selftest: fail requested\n");
        failed = 1;
    }
    if (has_word(sel, "pagefault")) {
        volatile uint64_t *bad = (volatile uint64_t *)0x0000700000000000ull;
        kprintf("selftest: touching unmapped address %p\n", (void *)bad);
        (void)*bad;
        kprintf("selftest: pagefault FAIL (no fault)\n");
        failed = 1;
    }
    if (has_word(sel, "doublefree")) {
        void *p = kmalloc(32);
        kfree(p);
        kprintf("selftest: freeing a block twice\n");
        kfree(p);
        failed = 1;
    }
    if (has_word(sel, "divzero")) {
        kprintf("selftest: dividing by zero\n");
        uint32_t zero = 0, lo = 1, hi = 0;
        __asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(zero));
        failed = 1;
    }
    return failed;
}
