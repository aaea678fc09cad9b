/* Physical memory: 4 KiB frames handed out from the usable RAM ranges of the
   boot memory map (identity mapped below 4 GiB), skipping the kernel image,
   the loader's info block, the command line and the modules. Contiguous runs
   serve DMA (virtqueues, packet buffers). Frames are returned zeroed and
   handed out for good: there is no free. */
#ifndef KERNEL_MEM_H
#define KERNEL_MEM_H
#include <stdint.h>
#include <stddef.h>

#define PAGE_SIZE 4096u

void     mem_init(void);
/* Returns the physical (= virtual) address of n contiguous zeroed frames, or 0. */
uint64_t frame_alloc(size_t n);
uint64_t mem_total_bytes(void);

#endif
