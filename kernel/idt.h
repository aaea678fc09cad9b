/* Interrupt descriptor table: every CPU exception (vectors 0-31) prints its
   vector, name, error code, RIP, CR2, registers and a stack trace, then the
   kernel stops (powering off with a failure status when exit=1). The kernel
   is polled: no device interrupts are enabled. The one table is shared by
   every CPU (kernel/smp.c adds the AP's wake-up vector). */
#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H
#include <stdint.h>

struct isr_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Fills the exception gates and loads the table on the boot CPU. */
void idt_init(void);
/* Loads the (shared) table on the calling CPU: the AP calls it. */
void idt_load(void);
/* Points vector at an assembly stub as a DPL0 interrupt gate (IF cleared on
   entry). The stub must preserve every register and end with iretq. */
void idt_set_gate(uint8_t vector, void (*stub)(void));

#endif
