/* Interrupt descriptor table: every CPU exception (vectors 0-31) prints its
   vector, name, error code, RIP, CR2, registers and a stack trace, then the
   kernel stops (powering off with a failure status when exit=1). The kernel
   is polled: no device interrupts are enabled. */
#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H
#include <stdint.h>

struct isr_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

void idt_init(void);

#endif
