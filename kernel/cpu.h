/* x86-64 CPU access: port I/O, MSRs, CPUID, TSC, and the feature flags the
   rest of the kernel (and crypto's run-time dispatch) consults. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H
#include <stdint.h>
#include <stdbool.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory"); }
#define RFLAGS_IF (1ull << 9)
static inline uint64_t read_rflags(void) { uint64_t v; __asm__ volatile("pushfq; popq %0" : "=r"(v)); return v; }
static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline void io_wait(void) { outb(0x80, 0); }

struct cpu_features {
    char vendor[13];
    char brand[49];
    bool sse2, sse3, ssse3, sse41, sse42, avx, avx2, xsave;
    bool aesni, pclmul, sha_ni, rdrand, rdseed, bmi2, adx;
    bool invariant_tsc, hypervisor;
};

extern struct cpu_features cpu;

/* Reads CPUID into `cpu` and enables what the kernel uses (XSAVE/AVX state)
   on the boot CPU. */
void cpu_init(void);
/* Enables, on the calling CPU, the state cpu_init found (CR4.OSXSAVE, XCR0
   x87|SSE|AVX): cpu_init does it for the boot CPU, ap_main for the AP. */
void cpu_enable_local_features(void);

/* Hardware random number instructions; return false when the CPU reports
   failure (CF=0) after the SDM's recommended retries, or lacks the feature. */
bool cpu_rdrand64(uint64_t *out);
bool cpu_rdseed64(uint64_t *out);

#endif
