/* see selftest.h */
#include "app/job_selftest.h"
#include "app/jobs.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/cpu.h"
#include "kernel/random.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "crypto/sha2.h"
#include "tls/x509_selftest.h"
#include "crypto/pk_selftest.h"
#include "crypto/sym_selftest.h"
#include "tls/tls_selftest.h"
#include "app/job_speed.h"
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
            e ? name : "sha2,hmac,hkdf,drbg,aes,gcm,chacha20-poly1305,bulk", (unsigned long)(time_us() - t0));
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
    if (!tls_selftest_available()) {
        kprintf("selftest: tls skipped (a DEBUG=0 kernel has no TLS test hook to replay "
                "RFC 8448 with)\n");
        return 0;
    }
    uint64_t t0 = time_us();
    int e = tls_selftest(m, sizeof m);
    kprintf("selftest: tls %s %s us=%lu\n", e ? "FAIL" : "ok", m, (unsigned long)(time_us() - t0));
    return e != 0;
}

/* selftest=smp: SHA-256 of SMP_TEST_JOBS distinct 64 KiB buffers on the AP,
   in bursts with the AP back asleep in HLT between them (so each burst has
   to wake it with an IPI), checked against the boot CPU's own digests. */
#define SMP_TEST_JOBS  200
#define SMP_TEST_BURST 8
#define SMP_TEST_BUF   (64u * 1024)

struct smp_test_job {
    const uint8_t *buf;
    uint8_t digest[SHA256_DIGEST_LEN];
    uint32_t done;
};

static void smp_test_hash(void *arg)
{
    struct smp_test_job *j = arg;
    sha256(j->buf, SMP_TEST_BUF, j->digest);
    __atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
}

/* Waits up to 100 ms for the AP to say it sleeps. */
static bool smp_test_wait_idle(void)
{
    struct smp_stats st;
    uint64_t t0 = time_us();
    for (smp_get_stats(&st); !st.ap_idle; smp_get_stats(&st))
        if (time_us() - t0 > 100000)
            return false;
    return true;
}

/* Runs one burst; NULL, or why it failed. */
static const char *smp_test_burst(struct smp_test_job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        jobs[i].done = 0;
        if (!smp_run(smp_test_hash, &jobs[i]))
            return "smp_run refused (ring full)";
    }
    for (int i = 0; i < n; i++) {
        uint8_t mine[SHA256_DIGEST_LEN];
        sha256(jobs[i].buf, SMP_TEST_BUF, mine);
        uint64_t t0 = time_us();
        while (!__atomic_load_n(&jobs[i].done, __ATOMIC_ACQUIRE))
            if (time_us() - t0 > 5000000)
                return "AP job timed out";
        if (memcmp(mine, jobs[i].digest, sizeof mine) != 0)
            return "AP digest differs";
    }
    return smp_test_wait_idle() ? NULL : "AP not idle 100 ms after a burst";
}

static bool smp_test_wait(struct smp_test_job *j, uint64_t us)
{
    uint64_t t0 = time_us();
    while (!__atomic_load_n(&j->done, __ATOMIC_ACQUIRE))
        if (time_us() - t0 > us)
            return false;
    return true;
}

/* smp_run_batched with the AP asleep: a lone job waits (not run 20 ms
   later), a second one wakes the AP with one IPI and both run; a third,
   alone again, runs after smp_kick. NULL, or why it failed. */
#define SMP_TEST_BATCHED 3
static const char *smp_test_batched(struct smp_test_job *jobs)
{
    if (!smp_test_wait_idle())
        return "AP not idle before the batched jobs";
    struct smp_stats st;
    smp_get_stats(&st);
    sleep_us(1000);                  /* past its last look at the ring, into HLT */
    uint64_t ipis = st.ipis;
    for (int i = 0; i < SMP_TEST_BATCHED; i++)
        jobs[i].done = 0;
    if (!smp_run_batched(smp_test_hash, &jobs[0]))
        return "smp_run_batched refused";
    if (smp_test_wait(&jobs[0], 20000))
        return "a lone batched job ran without a wake-up";
    if (!smp_run_batched(smp_test_hash, &jobs[1]))
        return "smp_run_batched refused";
    if (!smp_test_wait(&jobs[0], 5000000) || !smp_test_wait(&jobs[1], 5000000))
        return "the second batched job did not wake the AP";
    smp_get_stats(&st);
    if (st.ipis != ipis + 1)
        return "two batched jobs did not take exactly one IPI";
    if (!smp_test_wait_idle())
        return "AP not idle 100 ms after the batched pair";
    sleep_us(1000);
    if (!smp_run_batched(smp_test_hash, &jobs[2]))
        return "smp_run_batched refused";
    if (smp_test_wait(&jobs[2], 20000))
        return "a lone batched job ran without a wake-up";
    smp_kick();
    if (!smp_test_wait(&jobs[2], 5000000))
        return "smp_kick did not wake the AP";
    for (int i = 0; i < SMP_TEST_BATCHED; i++) {
        uint8_t mine[SHA256_DIGEST_LEN];
        sha256(jobs[i].buf, SMP_TEST_BUF, mine);
        if (memcmp(mine, jobs[i].digest, sizeof mine) != 0)
            return "AP digest differs (batched)";
    }
    return NULL;
}

static int test_smp(void)
{
    if (smp_cpus() < 2)
        return kprintf("selftest: smp skipped (1 cpu)\n"), 0;
    if (read_rflags() & RFLAGS_IF)
        return kprintf("selftest: smp FAIL interrupts enabled on the boot CPU\n"), 1;
    uint8_t *bufs = kmalloc((size_t)SMP_TEST_JOBS * SMP_TEST_BUF);
    struct smp_test_job *jobs = kmalloc(SMP_TEST_JOBS * sizeof *jobs);
    if (!bufs || !jobs) {
        kfree(bufs);
        kfree(jobs);
        return kprintf("selftest: smp FAIL out of memory\n"), 1;
    }
    uint32_t x = 0x9E3779B9u;
    for (size_t i = 0; i < (size_t)SMP_TEST_JOBS * SMP_TEST_BUF; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        bufs[i] = (uint8_t)x;
    }
    for (int i = 0; i < SMP_TEST_JOBS; i++)
        jobs[i].buf = bufs + (size_t)i * SMP_TEST_BUF;

    struct smp_stats s0, s1;
    smp_get_stats(&s0);
    uint64_t t0 = time_us();
    const char *why = NULL;
    for (int b = 0; b < SMP_TEST_JOBS && !why; b += SMP_TEST_BURST)
        why = smp_test_burst(jobs + b, SMP_TEST_JOBS - b < SMP_TEST_BURST ? SMP_TEST_JOBS - b
                                                                          : SMP_TEST_BURST);
    uint64_t us = time_us() - t0;
    smp_get_stats(&s1);
    unsigned long ran = (unsigned long)(s1.ap_jobs - s0.ap_jobs);
    unsigned long ipis = (unsigned long)(s1.ipis - s0.ipis);
    unsigned long halts = (unsigned long)(s1.halts - s0.halts);
    if (!why && ran != SMP_TEST_JOBS)
        why = "AP job count differs";
    if (!why && (ipis == 0 || halts == 0))
        why = "the AP never slept between bursts";
    if (why) {
        /* the AP may still read the buffers: leave them allocated */
        kprintf("selftest: smp FAIL %s jobs=%lu ipis=%lu halts=%lu\n", why, ran, ipis, halts);
        return 1;
    }
    kprintf("selftest: smp ok jobs=%lu ipis=%lu halts=%lu us=%lu\n", ran, ipis, halts,
            (unsigned long)us);
    why = smp_test_batched(jobs);
    if (why)
        return kprintf("selftest: smp FAIL %s\n", why), 1;   /* jobs stay allocated */
    kfree(jobs);
    kfree(bufs);
    kprintf("selftest: smp batched ok jobs=%d (a lone job waits, a second or smp_kick "
            "wakes the AP)\n", SMP_TEST_BATCHED);
    return 0;
}

static bool has(unsigned words, enum app_selftest_word w) { return words & (1u << w); }

int app_selftest_run(unsigned words)
{
    int failed = 0;
    if (has(words, APP_ST_HEAP))
        failed |= test_heap();
    if (has(words, APP_ST_SLEEP))
        failed |= test_sleep();
    if (has(words, APP_ST_RANDOM))
        failed |= test_random();
    if (has(words, APP_ST_SYM))
        failed |= test_sym();
    if (has(words, APP_ST_PK))
        failed |= test_pk();
    if (has(words, APP_ST_X509))
        failed |= test_x509();
    if (has(words, APP_ST_TLS))
        failed |= test_tls();
    if (has(words, APP_ST_SMP))
        failed |= test_smp();
    if (has(words, APP_ST_SPEED))
        failed |= app_speed_report();
    if (has(words, APP_ST_FAIL)) {
        kprintf("selftest: fail requested\n");
        failed = 1;
    }
    if (has(words, APP_ST_PAGEFAULT)) {
        volatile uint64_t *bad = (volatile uint64_t *)0x0000700000000000ull;
        kprintf("selftest: touching unmapped address %p\n", (void *)bad);
        (void)*bad;
        kprintf("selftest: pagefault FAIL (no fault)\n");
        failed = 1;
    }
    if (has(words, APP_ST_DOUBLEFREE)) {
        void *p = kmalloc(32);
        kfree(p);
        kprintf("selftest: freeing a block twice\n");
        kfree(p);
        failed = 1;
    }
    if (has(words, APP_ST_DIVZERO)) {
        kprintf("selftest: dividing by zero\n");
        uint32_t zero = 0, lo = 1, hi = 0;
        __asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(zero));
        failed = 1;
    }
    return failed;
}

int app_selftest_job(const struct app_options *o) { return app_selftest_run(o->selftest_words); }
