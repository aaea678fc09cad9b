/* Kernel heap: first-fit, address-ordered free list with coalescing, over one
   contiguous region taken from the frame allocator at boot. 16-byte aligned.
   heap_bytes_in_use() counts the bytes callers hold (payload sizes), so a
   test can check that a workload gives back everything it took. With
   HEAP_POISON (debug builds, the default) fresh blocks are filled with 0xA5
   and freed ones with 0xDD, and kfree of a bad or freed pointer panics. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H
#include <stddef.h>
#include <stdint.h>

void   heap_init(size_t bytes);
void  *kmalloc(size_t n);
void  *kcalloc(size_t count, size_t size);
void   kfree(void *p);
size_t heap_bytes_in_use(void);
size_t heap_bytes_total(void);
size_t heap_allocations(void);

#endif
