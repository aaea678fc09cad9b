/* Stack traces (frame-pointer walk; the kernel is built with
   -fno-omit-frame-pointer) and the final halt. */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H
#include <stdint.h>

void trace_print_stack(uint64_t rbp);
__attribute__((noreturn)) void kernel_halt_forever(void);

#endif
