/* see bootinfo.h. Multiboot v1: "Multiboot Specification 0.6.96" section 3.3;
   Multiboot2: "Multiboot2 Specification" section 3.6 (boot information). */
#include "kernel/bootinfo.h"
#include <stddef.h>

struct bootinfo bootinfo;

#define MB1_MAGIC 0x2BADB002u
#define MB2_MAGIC 0x36D76289u

static void add_range(uint64_t base, uint64_t len)
{
    if (bootinfo.nranges < BOOTINFO_MAX_RANGES && len)
        bootinfo.ranges[bootinfo.nranges++] = (struct mem_range){ base, len };
}

static void add_module(uint64_t s, uint64_t e, const char *name)
{
    if (bootinfo.nmodules < BOOTINFO_MAX_MODULES)
        bootinfo.modules[bootinfo.nmodules++] = (struct boot_module){ s, e, name };
}

static void parse_mb1(const uint8_t *info)
{
    const uint32_t *w = (const uint32_t *)info;
    uint32_t flags = w[0];
    bootinfo.info_start = (uint64_t)info;
    bootinfo.info_end = (uint64_t)info + 120;
    if (flags & (1u << 2))
        bootinfo.cmdline = (const char *)(uintptr_t)w[4];
    if (flags & (1u << 9))
        bootinfo.loader = (const char *)(uintptr_t)w[16];
    if (flags & (1u << 3)) {
        const uint32_t *mod = (const uint32_t *)(uintptr_t)w[6];
        for (uint32_t i = 0; i < w[5]; i++, mod += 4)
            add_module(mod[0], mod[1], (const char *)(uintptr_t)mod[2]);
    }
    if (flags & (1u << 6)) {
        uintptr_t p = w[12], end = (uintptr_t)w[12] + w[11];
        while (p + 24 <= end) {
            uint32_t size = *(const uint32_t *)p;
            uint64_t base = *(const uint64_t *)(p + 4);
            uint64_t len = *(const uint64_t *)(p + 12);
            uint32_t type = *(const uint32_t *)(p + 20);
            if (type == 1)
                add_range(base, len);
            p += size + 4;
        }
    } else if (flags & 1u) {
        add_range(0x100000, (uint64_t)w[2] * 1024);
    }
}

static void parse_mb2(const uint8_t *info)
{
    uint32_t total = *(const uint32_t *)info;
    bootinfo.info_start = (uint64_t)info;
    bootinfo.info_end = (uint64_t)info + total;
    const uint8_t *p = info + 8, *end = info + total;
    while (p + 8 <= end) {
        uint32_t type = *(const uint32_t *)p;
        uint32_t size = *(const uint32_t *)(p + 4);
        if (type == 0 || size < 8)
            break;
        switch (type) {
        case 1:
            bootinfo.cmdline = (const char *)(p + 8);
            break;
        case 2:
            bootinfo.loader = (const char *)(p + 8);
            break;
        case 3:
            add_module(*(const uint32_t *)(p + 8), *(const uint32_t *)(p + 12),
                       (const char *)(p + 16));
            break;
        case 6: {
            uint32_t esize = *(const uint32_t *)(p + 8);
            for (const uint8_t *e = p + 16; esize && e + 24 <= p + size; e += esize) {
                uint64_t base = *(const uint64_t *)e;
                uint64_t len = *(const uint64_t *)(e + 8);
                uint32_t t = *(const uint32_t *)(e + 16);
                if (t == 1)
                    add_range(base, len);
            }
            break;
        }
        default:
            break;
        }
        p += (size + 7) & ~7u;
    }
}

int bootinfo_parse(uint32_t magic, uint64_t info)
{
    if (magic == MB1_MAGIC) {
        bootinfo.protocol = 1;
        parse_mb1((const uint8_t *)info);
    } else if (magic == MB2_MAGIC) {
        bootinfo.protocol = 2;
        parse_mb2((const uint8_t *)info);
    } else {
        return -1;
    }
    if (!bootinfo.cmdline)
        bootinfo.cmdline = "";
    return 0;
}
