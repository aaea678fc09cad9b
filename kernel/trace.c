/* see trace.h */
#include "kernel/trace.h"
#include "kernel/console.h"

extern char boot_stack_bottom[], boot_stack_top[];
extern char __kernel_start[], __kernel_end[];

void trace_print_stack(uint64_t rbp)
{
    kprintf("stack trace:\n");
    for (int depth = 0; depth < 32 && rbp; depth++) {
        /* only follow frames inside the boot stack, so a corrupt rbp
           cannot fault us again */
        if (rbp < (uint64_t)boot_stack_bottom || rbp + 16 > (uint64_t)boot_stack_top || (rbp & 7))
            break;
        uint64_t *frame = (uint64_t *)rbp;
        uint64_t ret = frame[1];
        if (ret == 0)
            break;
        kprintf("  #%d %016lx\n", depth, (unsigned long)ret);
        rbp = frame[0];
    }
}

void kernel_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}
