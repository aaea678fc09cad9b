/* see cpu.h */
#include "kernel/cpu.h"
#include <string.h>

struct cpu_features cpu;

static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" : : "r"(v)); }

void cpu_init(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    memcpy(cpu.vendor + 0, &r[1], 4);
    memcpy(cpu.vendor + 4, &r[3], 4);
    memcpy(cpu.vendor + 8, &r[2], 4);
    cpu.vendor[12] = 0;

    cpuid(1, 0, r);
    cpu.sse2 = r[3] & (1u << 26);
    cpu.sse3 = r[2] & (1u << 0);
    cpu.pclmul = r[2] & (1u << 1);
    cpu.ssse3 = r[2] & (1u << 9);
    cpu.sse41 = r[2] & (1u << 19);
    cpu.sse42 = r[2] & (1u << 20);
    cpu.aesni = r[2] & (1u << 25);
    cpu.xsave = r[2] & (1u << 26);
    cpu.avx = r[2] & (1u << 28);
    cpu.rdrand = r[2] & (1u << 30);
    cpu.hypervisor = r[2] & (1u << 31);

    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        cpu.avx2 = r[1] & (1u << 5);
        cpu.bmi2 = r[1] & (1u << 8);
        cpu.rdseed = r[1] & (1u << 18);
        cpu.adx = r[1] & (1u << 19);
        cpu.sha_ni = r[1] & (1u << 29);
    }

    cpuid(0x80000000, 0, r);
    uint32_t max_ext = r[0];
    if (max_ext >= 0x80000004) {
        for (uint32_t i = 0; i < 3; i++) {
            cpuid(0x80000002 + i, 0, r);
            memcpy(cpu.brand + 16 * i, r, 16);
        }
        cpu.brand[48] = 0;
    }
    if (max_ext >= 0x80000007) {
        cpuid(0x80000007, 0, r);
        cpu.invariant_tsc = r[3] & (1u << 8);
    }

    if (!cpu.xsave)
        cpu.avx = cpu.avx2 = false;
    cpu_enable_local_features();
}

void cpu_enable_local_features(void)
{
    /* AVX needs the OS to enable XSAVE and the YMM state in XCR0. */
    if (cpu.xsave) {
        write_cr4(read_cr4() | (1u << 18));          /* CR4.OSXSAVE */
        uint64_t xcr0 = 0x3;                           /* x87 | SSE */
        if (cpu.avx)
            xcr0 |= 0x4;                               /* AVX (YMM hi) */
        __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)xcr0), "d"((uint32_t)(xcr0 >> 32)));
    }
}

bool cpu_rdrand64(uint64_t *out)
{
    if (!cpu.rdrand)
        return false;
    for (int i = 0; i < 10; i++) {
        unsigned char ok;
        uint64_t v;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        if (ok) {
            *out = v;
            return true;
        }
    }
    return false;
}

bool cpu_rdseed64(uint64_t *out)
{
    if (!cpu.rdseed)
        return false;
    for (int i = 0; i < 100; i++) {
        unsigned char ok;
        uint64_t v;
        __asm__ volatile("rdseed %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
        if (ok) {
            *out = v;
            return true;
        }
        __asm__ volatile("pause");
    }
    return false;
}
