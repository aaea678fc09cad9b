/* see idt.h */
#include "kernel/idt.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/power.h"
#include "kernel/trace.h"

struct idt_entry {
    uint16_t off_lo, sel;
    uint8_t ist, type;
    uint16_t off_mid;
    uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_entry idt[256] __attribute__((aligned(16)));
extern uint64_t isr_stub_table[32];

static const char *const exc_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 FP error", "alignment check", "machine check",
    "SIMD FP error", "virtualization", "control protection", "reserved", "reserved",
    "reserved", "reserved", "reserved", "reserved", "hypervisor injection",
    "VMM communication", "security", "reserved",
};

void idt_set_gate(uint8_t vector, void (*stub)(void))
{
    uint64_t a = (uint64_t)stub;
    idt[vector].off_lo = (uint16_t)a;
    idt[vector].sel = 0x08;
    idt[vector].ist = 0;
    idt[vector].type = 0x8E;             /* present, DPL0, 64-bit interrupt gate */
    idt[vector].off_mid = (uint16_t)(a >> 16);
    idt[vector].off_hi = (uint32_t)(a >> 32);
    idt[vector].zero = 0;
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void idt_init(void)
{
    for (int v = 0; v < 32; v++)
        idt_set_gate((uint8_t)v, (void (*)(void))isr_stub_table[v]);
    idt_load();
}

static int in_exception;

void isr_dispatch(struct isr_frame *f);
void isr_dispatch(struct isr_frame *f)
{
    if (in_exception++) {
        kprintf("\nnested exception %lu at rip=%016lx: halting\n",
                (unsigned long)f->vector, (unsigned long)f->rip);
        kernel_halt_forever();
    }
    uint64_t cr2 = read_cr2();
    kprintf("\n*** CPU EXCEPTION vector=%lu (%s) error=0x%lx\n",
            (unsigned long)f->vector, exc_names[f->vector & 31], (unsigned long)f->error);
    kprintf("rip=%016lx cs=%04lx rflags=%016lx cr2=%016lx\n",
            (unsigned long)f->rip, (unsigned long)f->cs, (unsigned long)f->rflags,
            (unsigned long)cr2);
    kprintf("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n",
            (unsigned long)f->rax, (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
    kprintf("rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n",
            (unsigned long)f->rsi, (unsigned long)f->rdi, (unsigned long)f->rbp, (unsigned long)f->rsp);
    kprintf("r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n",
            (unsigned long)f->r8, (unsigned long)f->r9, (unsigned long)f->r10, (unsigned long)f->r11);
    kprintf("r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n",
            (unsigned long)f->r12, (unsigned long)f->r13, (unsigned long)f->r14, (unsigned long)f->r15);
    kprintf("  #-1 %016lx (faulting instruction)\n", (unsigned long)f->rip);
    trace_print_stack(f->rbp);
    power_finish(POWER_EXCEPTION);
}
