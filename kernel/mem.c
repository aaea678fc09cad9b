/* see mem.h */
#include "kernel/mem.h"
#include "kernel/bootinfo.h"
#include <string.h>

extern char __kernel_start[], __kernel_end[];

#define MAX_RESERVED 16
#define LIMIT_4G 0x100000000ull

static struct mem_range reserved[MAX_RESERVED];
static int nreserved;
static int cur_range;
static uint64_t cur_addr;
static uint64_t total_bytes;

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static void reserve(uint64_t start, uint64_t end)
{
    if (nreserved < MAX_RESERVED && end > start)
        reserved[nreserved++] = (struct mem_range){ start & ~(uint64_t)(PAGE_SIZE - 1), align_up(end, PAGE_SIZE) };
}

void mem_init(void)
{
    reserve((uint64_t)__kernel_start, (uint64_t)__kernel_end);
    reserve(bootinfo.info_start, bootinfo.info_end);
    if (bootinfo.cmdline)
        reserve((uint64_t)bootinfo.cmdline, (uint64_t)bootinfo.cmdline + strlen(bootinfo.cmdline) + 1);
    for (int i = 0; i < bootinfo.nmodules; i++) {
        reserve(bootinfo.modules[i].start, bootinfo.modules[i].end);
        if (bootinfo.modules[i].name)
            reserve((uint64_t)bootinfo.modules[i].name,
                    (uint64_t)bootinfo.modules[i].name + strlen(bootinfo.modules[i].name) + 1);
    }
    for (int i = 0; i < bootinfo.nranges; i++)
        total_bytes += bootinfo.ranges[i].len;
    cur_range = 0;
    cur_addr = 0;
}

/* Next free run of n frames at or after *addr inside range r, skipping the
   reserved regions; returns 0 when the range has no room. */
static uint64_t fit_in_range(const struct mem_range *r, uint64_t addr, uint64_t bytes)
{
    uint64_t lo = r->base < 0x100000 ? 0x100000 : r->base;
    uint64_t hi = r->base + r->len;
    if (hi > LIMIT_4G)
        hi = LIMIT_4G;
    uint64_t a = align_up(addr > lo ? addr : lo, PAGE_SIZE);
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; i < nreserved; i++) {
            if (a < reserved[i].len && a + bytes > reserved[i].base) {
                a = reserved[i].len;            /* .len holds the end here */
                again = 1;
            }
        }
    }
    if (a + bytes > hi || a + bytes < a)
        return 0;
    return a;
}

uint64_t frame_alloc(size_t n)
{
    if (n == 0)
        return 0;
    uint64_t bytes = (uint64_t)n * PAGE_SIZE;
    while (cur_range < bootinfo.nranges) {
        uint64_t a = fit_in_range(&bootinfo.ranges[cur_range], cur_addr, bytes);
        if (a) {
            cur_addr = a + bytes;
            memset((void *)a, 0, bytes);
            return a;
        }
        cur_range++;
        cur_addr = 0;
    }
    return 0;
}

uint64_t mem_total_bytes(void) { return total_bytes; }
