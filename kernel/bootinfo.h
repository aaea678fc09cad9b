/* What the boot loader told us, in one loader-independent form: the command
   line, the usable RAM ranges and the loaded modules (the -initrd file or a
   GRUB module). Filled from Multiboot v1 (QEMU -kernel) or Multiboot2 (GRUB)
   information by bootinfo_parse(); the strings point into loader memory. */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H
#include <stdint.h>

#define BOOTINFO_MAX_RANGES 32
#define BOOTINFO_MAX_MODULES 8

struct mem_range { uint64_t base, len; };
struct boot_module { uint64_t start, end; const char *name; };

struct bootinfo {
    int protocol;                      /* 1 or 2 */
    const char *cmdline;
    const char *loader;
    int nranges;
    struct mem_range ranges[BOOTINFO_MAX_RANGES];   /* usable RAM only */
    int nmodules;
    struct boot_module modules[BOOTINFO_MAX_MODULES];
    uint64_t info_start, info_end;     /* the loader's info block itself */
};

extern struct bootinfo bootinfo;

/* Returns 0, or -1 when magic names no protocol we know. */
int bootinfo_parse(uint32_t magic, uint64_t info);

#endif
