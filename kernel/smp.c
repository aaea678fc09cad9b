/* see smp.h. Intel SDM vol. 3A, chapter "Advanced Programmable Interrupt
   Controller (APIC)": local APIC registers, "Issuing Interprocessor
   Interrupts" (the ICR), "Spurious Interrupt"; chapter "Processor Management
   and Initialization": "Multiple-Processor (MP) Initialization" (the
   INIT-SIPI-SIPI sequence and its delays). xAPIC (MMIO) mode only. */
#include "kernel/smp.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/idt.h"
#include "kernel/mem.h"
#include "kernel/paging.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include <string.h>

#define MSR_APIC_BASE    0x1B
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR   0x000FFFFFFFFFF000ull

#define LAPIC_ID     0x020           /* bits 31:24 */
#define LAPIC_TPR    0x080
#define LAPIC_EOI    0x0B0
#define LAPIC_SVR    0x0F0
#define LAPIC_ESR    0x280
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310           /* destination APIC ID in bits 31:24 */

#define SVR_ENABLE   (1u << 8)       /* APIC software enable */
#define ICR_FIXED    (0u << 8)
#define ICR_INIT     (5u << 8)
#define ICR_STARTUP  (6u << 8)
#define ICR_PENDING  (1u << 12)      /* delivery status: send pending */
#define ICR_ASSERT   (1u << 14)      /* level: 1 for every mode but INIT de-assert */

#define LIMIT_4G     0x100000000ull
#define AP_STACK_SIZE (64u * 1024)
#define MADT_MAX_CPUS 64
#define AP_START_TIMEOUT_US 100000

/* Shared with kernel/ap_boot.asm. */
extern const uint8_t ap_trampoline_start[], ap_trampoline_end[], ap_trampoline_cr3[];
void smp_wake_isr(void);
void smp_spurious_isr(void);
void ap_main(void);
uint64_t ap_boot_stack_top;          /* ap_long_entry loads RSP from here */
uint64_t smp_lapic_eoi;              /* address of the EOI register, for smp_wake_isr */

enum ap_state { AP_OFF, AP_STARTING, AP_RUNNING, AP_ABANDONED };

struct job {
    void (*fn)(void *);
    void *arg;
};

/* The ring. Entries head-tail..head-1 (mod 2^32) are queued; only the boot
   CPU writes head and the free slots, only the AP writes tail. Each side's
   variables sit on their own cache line; idle is the only one both write. */
static struct {
    struct job slot[SMP_RING_SLOTS];
    _Alignas(64) uint32_t head;      /* boot CPU: next slot to fill */
    uint64_t ipis;                   /* boot CPU: wake-up IPIs sent */
    _Alignas(64) uint32_t tail;      /* AP: next slot to run */
    uint64_t ap_jobs, halts;         /* AP: jobs finished, HLTs entered */
    _Alignas(64) uint32_t idle;      /* AP sets: 1 from "ring empty" until it wakes;
                                        the boot CPU clears it when it sends the IPI */
} q;

static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));
static volatile uint32_t *lapic;
static uint32_t ap_state = AP_OFF;
static uint32_t ap_reported_id;      /* the AP's own LAPIC ID, written before it reports in */
static uint8_t ap_apic_id, bsp_apic_id;
static int ncpus = 1;

static uint32_t lapic_rd(uint32_t reg) { return lapic[reg / 4]; }
static void lapic_wr(uint32_t reg, uint32_t v) { lapic[reg / 4] = v; }

/* Software-enables the calling CPU's local APIC with the spurious vector;
   TPR 0 lets every vector through. */
static void lapic_enable_local(void)
{
    lapic_wr(LAPIC_TPR, 0);
    lapic_wr(LAPIC_SVR, SVR_ENABLE | SMP_SPURIOUS_VECTOR);
}

/* Boot CPU: sends an IPI to one APIC ID (physical destination, no
   shorthand, so never to itself) and waits for the send to leave. */
static bool lapic_ipi(uint8_t dest, uint32_t icr_lo)
{
    lapic_wr(LAPIC_ICR_HI, (uint32_t)dest << 24);
    lapic_wr(LAPIC_ICR_LO, icr_lo);
    uint64_t t0 = time_us();
    while (lapic_rd(LAPIC_ICR_LO) & ICR_PENDING) {
        if (time_us() - t0 > 1000)
            return false;
        cpu_relax();
    }
    return true;
}

/* acpi.h's view of physical memory: the boot page tables identity-map the
   first 4 GiB. */
static const uint8_t *phys_map(void *ctx, uint64_t phys, size_t len)
{
    (void)ctx;
    if (phys == 0 || len > LIMIT_4G || phys > LIMIT_4G - len)
        return NULL;
    return (const uint8_t *)(uintptr_t)phys;
}

static bool overlaps(uint64_t a, uint64_t b, uint64_t lo, uint64_t hi) { return a < hi && lo < b; }

static bool str_overlaps(const char *s, uint64_t lo, uint64_t hi)
{
    return s && overlaps((uint64_t)s, (uint64_t)s + strlen(s) + 1, lo, hi);
}

/* [lo, hi) is usable RAM the loader left nothing in that is still read. */
static bool area_free(uint64_t lo, uint64_t hi)
{
    bool ram = false;
    for (int i = 0; i < bootinfo.nranges; i++)
        ram |= bootinfo.ranges[i].base <= lo && hi <= bootinfo.ranges[i].base + bootinfo.ranges[i].len;
    if (!ram || overlaps(bootinfo.info_start, bootinfo.info_end, lo, hi) ||
        str_overlaps(bootinfo.cmdline, lo, hi) || str_overlaps(bootinfo.loader, lo, hi))
        return false;
    for (int i = 0; i < bootinfo.nmodules; i++)
        if (overlaps(bootinfo.modules[i].start, bootinfo.modules[i].end, lo, hi) ||
            str_overlaps(bootinfo.modules[i].name, lo, hi))
            return false;
    return true;
}

/* The first enabled MADT processor that is not the boot CPU, or NULL after
   printing why there is none. */
static const struct acpi_cpu *find_ap(struct acpi_cpu *cpus, uint8_t bsp_id)
{
    const uint8_t *madt;
    uint32_t len;
    int n = 0;
    enum acpi_err e = acpi_find_table(phys_map, NULL, "APIC", &madt, &len);
    if (e == ACPI_OK)
        e = acpi_madt_cpus(madt, len, cpus, MADT_MAX_CPUS, &n);
    if (e != ACPI_OK) {
        kprintf("smp: 1 cpu (no usable MADT: %s)\n", acpi_err_str(e));
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (cpus[i].enabled && cpus[i].apic_id != bsp_id)
            return &cpus[i];
    kprintf("smp: 1 cpu (no AP in the MADT)\n");
    return NULL;
}

/* Checks the boot CPU's local APIC and maps it; prints why not on failure. */
static bool lapic_setup(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    uint64_t base = rdmsr(MSR_APIC_BASE);
    const char *why = NULL;
    if (!(r[3] & (1u << 9)))
        why = "no local APIC";
    else if (!(base & APIC_BASE_ENABLE))
        why = "local APIC disabled";
    else if (base & APIC_BASE_X2APIC)
        why = "local APIC in x2APIC mode";
    else if (vm_map_mmio(base & APIC_BASE_ADDR, 4096) != 0)
        why = "cannot map the local APIC";
    if (why) {
        kprintf("smp: 1 cpu (%s)\n", why);
        return false;
    }
    lapic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR);
    smp_lapic_eoi = (base & APIC_BASE_ADDR) + LAPIC_EOI;
    return true;
}

static uint64_t init_sent_us;        /* when the INIT IPI left; 0: no AP to start */

/* Copies the trampoline and sends INIT; smp_start sends the SIPIs 10 ms
   later (the SDM's delay), so the boot does other work meanwhile. */
static bool send_init(uint8_t id)
{
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);
    uint8_t *tramp = (uint8_t *)(uintptr_t)SMP_TRAMPOLINE;
    uint32_t cr3 = (uint32_t)read_cr3();
    memcpy(tramp, ap_trampoline_start, size);
    memcpy(tramp + (ap_trampoline_cr3 - ap_trampoline_start), &cr3, sizeof cr3);
    ap_boot_stack_top = (uint64_t)(uintptr_t)(ap_stack + sizeof ap_stack);
    __atomic_store_n(&ap_state, AP_STARTING, __ATOMIC_SEQ_CST);
    lapic_wr(LAPIC_ESR, 0);
    if (!lapic_ipi(id, ICR_INIT | ICR_ASSERT))
        return false;
    init_sent_us = time_us();
    return true;
}

/* SIPI, 200 us, SIPI; then waits for the AP to report in. */
static bool start_ap(uint8_t id)
{
    uint64_t since = time_us() - init_sent_us;
    if (since < 10000)
        sleep_us(10000 - since);
    uint32_t sipi = ICR_STARTUP | ICR_ASSERT | (SMP_TRAMPOLINE >> 12);
    bool sent = lapic_ipi(id, sipi);
    sleep_us(200);
    sent = sent && lapic_ipi(id, sipi);      /* ignored by an AP the first one started */

    uint64_t t0 = time_us();
    while (sent && __atomic_load_n(&ap_state, __ATOMIC_ACQUIRE) != AP_RUNNING &&
           time_us() - t0 < AP_START_TIMEOUT_US)
        cpu_relax();
    /* Give up unless the AP got in first: a late AP then halts in ap_main. */
    uint32_t expect = AP_STARTING;
    return !__atomic_compare_exchange_n(&ap_state, &expect, AP_ABANDONED, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
           expect == AP_RUNNING;
}

int smp_init(bool enabled)
{
    if (read_rflags() & RFLAGS_IF)
        panic("smp: interrupts are enabled on the boot CPU");
    if (!enabled) {
        kprintf("smp: 1 cpu (disabled by smp=0)\n");
        return ncpus;
    }
    uint32_t r[4];
    cpuid(1, 0, r);
    bsp_apic_id = (uint8_t)(r[1] >> 24);         /* initial APIC ID */
    struct acpi_cpu cpus[MADT_MAX_CPUS];
    const struct acpi_cpu *ap = find_ap(cpus, bsp_apic_id);
    if (!ap)
        return ncpus;
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);
    if (size > PAGE_SIZE || !area_free(SMP_TRAMPOLINE, SMP_TRAMPOLINE + PAGE_SIZE) ||
        read_cr3() >= LIMIT_4G) {
        kprintf("smp: 1 cpu (trampoline page 0x%x not free)\n", SMP_TRAMPOLINE);
        return ncpus;
    }
    if (!lapic_setup())
        return ncpus;
    idt_set_gate(SMP_WAKE_VECTOR, smp_wake_isr);
    idt_set_gate(SMP_SPURIOUS_VECTOR, smp_spurious_isr);
    lapic_enable_local();
    ap_apic_id = ap->apic_id;
    if (!send_init(ap_apic_id))
        kprintf("smp: 1 cpu (AP apic %u did not start)\n", ap_apic_id);
    return ncpus;
}

int smp_start(void)
{
    if (!init_sent_us)
        return ncpus;
    if (!start_ap(ap_apic_id)) {
        kprintf("smp: 1 cpu (AP apic %u did not start)\n", ap_apic_id);
        return ncpus;
    }
    ncpus = 2;
    uint32_t seen = __atomic_load_n(&ap_reported_id, __ATOMIC_RELAXED);
    kprintf("smp: 2 cpus (bsp apic %u, ap apic %u)\n", bsp_apic_id, ap_apic_id);
    if (seen != ap_apic_id)
        kprintf("smp: note: the AP reads its local APIC ID as %u\n", seen);
    return ncpus;
}

int smp_cpus(void) { return ncpus; }

/* After a job was published: wakes the AP if it said it sleeps. */
static void wake_if_idle(void)
{
    /* Dekker with ap_loop: publish, full fence, then read idle. Either the
       AP's re-check sees the entry or this read sees its idle flag. Taking
       the flag (exchange to 0) sends one IPI per sleep, not one per entry:
       that IPI, once sent, ends the AP's current or next HLT, after which
       it looks at the ring again. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_exchange_n(&q.idle, 0, __ATOMIC_RELAXED)) {
        lapic_ipi(ap_apic_id, ICR_FIXED | ICR_ASSERT | SMP_WAKE_VECTOR);
        q.ipis++;
    }
}

/* Queues fn(arg); wakes a sleeping AP once wake_at jobs wait for it. */
static bool queue_job(void (*fn)(void *arg), void *arg, uint32_t wake_at)
{
    if (ncpus < 2)
        return false;
    uint32_t head = q.head;
    uint32_t waiting = head - __atomic_load_n(&q.tail, __ATOMIC_ACQUIRE);
    if (waiting >= SMP_RING_SLOTS)
        return false;
    q.slot[head % SMP_RING_SLOTS] = (struct job){ fn, arg };
    __atomic_store_n(&q.head, head + 1, __ATOMIC_RELEASE);
    if (waiting + 1 >= wake_at)
        wake_if_idle();
    return true;
}

bool smp_run(void (*fn)(void *arg), void *arg) { return queue_job(fn, arg, 1); }

bool smp_run_batched(void (*fn)(void *arg), void *arg) { return queue_job(fn, arg, 2); }

void smp_kick(void)
{
    if (ncpus >= 2 && q.head != __atomic_load_n(&q.tail, __ATOMIC_ACQUIRE))
        wake_if_idle();
}

void smp_get_stats(struct smp_stats *s)
{
    s->ap_idle = __atomic_load_n(&q.idle, __ATOMIC_ACQUIRE);
    s->ap_jobs = __atomic_load_n(&q.ap_jobs, __ATOMIC_RELAXED);
    s->halts = __atomic_load_n(&q.halts, __ATOMIC_RELAXED);
    s->ipis = q.ipis;
}

void smp_report(void)
{
    if (ncpus < 2)
        return;
    struct smp_stats s;
    smp_get_stats(&s);
    kprintf("smp: ap_jobs=%lu ipis=%lu halts=%lu\n", (unsigned long)s.ap_jobs,
            (unsigned long)s.ipis, (unsigned long)s.halts);
}

/* ---- on the AP ---------------------------------------------------------- */

static __attribute__((noreturn)) void ap_loop(void)
{
    uint32_t tail = q.tail;
    for (;;) {
        if (tail != __atomic_load_n(&q.head, __ATOMIC_ACQUIRE)) {
            struct job j = q.slot[tail % SMP_RING_SLOTS];
            __atomic_store_n(&q.tail, ++tail, __ATOMIC_RELEASE);   /* slot free again */
            j.fn(j.arg);
            __atomic_store_n(&q.ap_jobs, q.ap_jobs + 1, __ATOMIC_RELAXED);
            continue;
        }
        __atomic_store_n(&q.idle, 1, __ATOMIC_RELEASE);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (tail == __atomic_load_n(&q.head, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&q.halts, q.halts + 1, __ATOMIC_RELAXED);
            /* STI delays interrupts by one instruction, so a wake-up IPI
               that arrived since the re-check is taken inside HLT, ending it,
               never between STI and HLT (which would sleep through it). */
            __asm__ volatile("sti; hlt; cli" ::: "memory");
        }
        __atomic_store_n(&q.idle, 0, __ATOMIC_RELAXED);
    }
}

void ap_main(void)
{
    idt_load();
    cpu_enable_local_features();
    lapic_enable_local();
    __atomic_store_n(&ap_reported_id, lapic_rd(LAPIC_ID) >> 24, __ATOMIC_RELAXED);
    uint32_t expect = AP_STARTING;
    if (!__atomic_compare_exchange_n(&ap_state, &expect, AP_RUNNING, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        kernel_halt_forever();       /* the boot CPU gave up waiting for us */
    ap_loop();
}
