# kernel/: boot, CPU, console, memory, time, entropy, PCI, power, ACPI tables, the AP.
KERNEL_ASM += kernel/boot.asm kernel/isr.asm kernel/ap_boot.asm
KERNEL_C   += kernel/main.c kernel/cpu.c kernel/console.c kernel/trace.c kernel/idt.c \
              kernel/power.c kernel/bootinfo.c kernel/mem.c kernel/heap.c kernel/time.c \
              kernel/pci.c kernel/paging.c kernel/random.c \
              kernel/smp.c kernel/console_untrusted.c
SHARED_C   += kernel/cmdline.c kernel/acpi.c
UNIT_TESTS += cmdline acpi
