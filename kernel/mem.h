/* Physical memory: 4 KiB frames handed out from the usable RAM ranges of the
   boot memory map (identity mapped below 4 GiB), skipping the kernel image,
   the loader's info block, the command line and the modules. Contiguous runs
   serve DMA (virtqueues, packet buffers). Frames are returned zeroed. */
#ifndef KERNEL_MEM_H
#define KERNEL_MEM_H
#include <stdint.h>
#include <stddef.h>

#define PAGE_SIZE 4096u

void     mem_init(void);
/* Returns the physical (= virtual) address of n contiguous zeroed frames, or 0. */
uint64_t frame_alloc(size_t n);
/* Returns frames taken with frame_alloc(1) (single frames only). */
void     frame_free(uint64_t addr);
uint64_t mem_total_bytes(void);
uint64_t mem_free_bytes(void);

#endif
