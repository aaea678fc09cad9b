/* see power.h */
#include "kernel/power.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/trace.h"

static int exit_on_finish;

void power_set_exit_on_finish(int on) { exit_on_finish = on; }

const char *power_status_str(enum power_status st)
{
    switch (st) {
    case POWER_OK: return "ok";
    case POWER_FAIL: return "fail";
    case POWER_EXCEPTION: return "exception";
    }
    return "unknown";
}

void power_finish(enum power_status st)
{
    console_end_line();                   /* the line starts at column 0 */
    kprintf("kernel: done status=%s\n", power_status_str(st));
    if (!exit_on_finish) {
        kprintf("kernel: halted (boot with exit=1 to power off)\n");
        kernel_halt_forever();
    }
    outl(0xF4, 0x10u + (uint32_t)st);     /* isa-debug-exit */
    outw(0x604, 0x2000);                  /* QEMU q35/i440fx ACPI S5 */
    outw(0xB004, 0x2000);                 /* older QEMU/Bochs PIIX4 */
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
        cpu_relax();
    outb(0x64, 0xFE);                     /* keyboard controller reset */
    kernel_halt_forever();
}
