/* Ending a run. power_finish() prints the final line every run ends with,
       kernel: done status=ok|fail|exception
   then, when the command line says exit=1, powers the machine off with a
   status the host can read; otherwise it halts.
   QEMU's isa-debug-exit (iobase 0xf4) makes QEMU exit with (value << 1) | 1:
       ok -> value 0x10 -> QEMU exit 33
       fail -> 0x11 -> 35
       exception -> 0x12 -> 37
   Without that device it falls back to ACPI power-off (PIIX4/ICH9 PM ports)
   and then to a reset through the keyboard controller. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

enum power_status { POWER_OK = 0, POWER_FAIL = 1, POWER_EXCEPTION = 2 };

void power_set_exit_on_finish(int on);
__attribute__((noreturn)) void power_finish(enum power_status st);
const char *power_status_str(enum power_status st);

#endif
