/* see paging.h */
#include "kernel/paging.h"
#include "kernel/cpu.h"
#include "kernel/mem.h"

#define PTE_P   0x001ull
#define PTE_W   0x002ull
#define PTE_PWT 0x008ull
#define PTE_PCD 0x010ull
#define PTE_PS  0x080ull
#define ADDR_MASK 0x000FFFFFFFFFF000ull

static uint64_t *next_table(uint64_t *entry)
{
    if (!(*entry & PTE_P)) {
        uint64_t t = frame_alloc(1);
        if (!t)
            return 0;
        *entry = t | PTE_P | PTE_W;
    }
    return (uint64_t *)(*entry & ADDR_MASK);
}

int vm_map_mmio(uint64_t phys, uint64_t len)
{
    uint64_t *pml4 = (uint64_t *)(read_cr3() & ADDR_MASK);
    uint64_t start = phys & ~0x1FFFFFull;
    uint64_t end = (phys + len + 0x1FFFFF) & ~0x1FFFFFull;
    for (uint64_t a = start; a < end; a += 0x200000) {
        uint64_t *pdpt = next_table(&pml4[(a >> 39) & 511]);
        if (!pdpt)
            return -1;
        uint64_t *pd = next_table(&pdpt[(a >> 30) & 511]);
        if (!pd)
            return -1;
        pd[(a >> 21) & 511] = a | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
        __asm__ volatile("invlpg (%0)" : : "r"(a) : "memory");
    }
    return 0;
}
