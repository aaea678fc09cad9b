/* Page tables. Boot identity-maps the first 4 GiB with 2 MiB pages;
   vm_map_mmio() identity-maps a device region anywhere in the 48-bit space
   as uncached (PCD|PWT), creating tables from frames as needed. */
#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H
#include <stdint.h>

/* Returns 0, or -1 when a page table could not be allocated. */
int vm_map_mmio(uint64_t phys, uint64_t len);

#endif
