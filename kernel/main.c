/* kmain: brings the machine up in dependency order, prints the boot banner,
   runs the jobs the command line asks for and ends the run (kernel/power.h).
   The command line is parsed here, once: cmdline_parse splits it into
   words, app_options_parse (app/options.h) checks every key and converts
   its value; every layer gets its options as parameters from there. A bad
   key ends the run with status=fail before any device is touched. */
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/heap.h"
#include "kernel/idt.h"
#include "kernel/mem.h"
#include "kernel/pci.h"
#include "kernel/power.h"
#include "kernel/random.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "crypto/impl.h"
#include "app/jobs.h"
#include "app/options.h"
#include "drivers/drivers.h"
#include <string.h>

static struct cmdline kcmdline;
static struct app_options kopts;

static void banner(void)
{
    kprintf("cpu: %s %s\n", cpu.vendor, cpu.brand[0] ? cpu.brand : "");
    kprintf("cpu: features sse2=%d sse4.1=%d avx=%d avx2=%d aesni=%d pclmul=%d sha=%d "
            "rdrand=%d rdseed=%d hypervisor=%d\n",
            cpu.sse2, cpu.sse41, cpu.avx, cpu.avx2, cpu.aesni, cpu.pclmul, cpu.sha_ni,
            cpu.rdrand, cpu.rdseed, cpu.hypervisor);
    kprintf("crypto: %s\n", crypto_impl_describe());
    kprintf("mem: %lu MiB usable, heap %lu KiB\n",
            (unsigned long)(mem_total_bytes() >> 20), (unsigned long)(heap_bytes_total() >> 10));
    char iso[32];
    time_format_iso(time_unix(), iso, sizeof iso);
    kprintf("time: tsc %lu kHz, rtc %s unix=%ld\n", (unsigned long)(time_tsc_hz() / 1000),
            iso, (long)time_unix());
    for (int i = 0; i < bootinfo.nmodules; i++) {
        const struct boot_module *m = &bootinfo.modules[i];
        const uint8_t *b = (const uint8_t *)m->start;
        uint64_t n = m->end - m->start;
        kprintf("boot: module %d at 0x%lx bytes=%lu head=", i, (unsigned long)m->start,
                (unsigned long)n);
        for (uint64_t k = 0; k < n && k < 8; k++)
            kprintf("%02x", b[k]);
        kprintf("\n");
    }
    pci_print();
}

void kmain(uint32_t magic, uint64_t info);
void kmain(uint32_t magic, uint64_t info)
{
    console_init();
    idt_init();
    cpu_init();
    /* Under QEMU's TCG the AES-NI/PCLMULQDQ instructions are emulated slowly
       while plain SSE2 code is translated well: pick the crypto paths for that. */
    if (strstr(cpu.brand, "TCG"))
        crypto_set_impl(CRYPTO_IMPL_EMULATED);
    kprintf("\nkernel: booting (x86-64, polled)\n");
    if (bootinfo_parse(magic, info) != 0)
        panic("boot: unknown boot loader magic 0x%x", magic);
    /* Multiboot loaders put the kernel's path first (QEMU: "build/kernel32.elf
       key=value ..."): skip a leading word that is a path, not a key. */
    const char *line = bootinfo.cmdline;
    const char *sp = strchr(line, ' ');
    size_t w0 = sp ? (size_t)(sp - line) : strlen(line);
    if (memchr(line, '/', w0) && !memchr(line, '=', w0))
        line += w0;
    enum cmdline_err ce = cmdline_parse(&kcmdline, line);
    kprintf("boot: multiboot%s loader=\"%s\" cmdline=\"%s\"\n",
            bootinfo.protocol == 2 ? "2" : "", bootinfo.loader ? bootinfo.loader : "?",
            bootinfo.cmdline);
    /* the words before a syntax error still count, exit= included */
    int bad = app_options_parse(&kopts, &kcmdline);
    power_set_exit_on_finish(kopts.exit_on_finish);
    if (ce != CMDLINE_OK) {
        kprintf("boot: bad command line: %s\n", cmdline_err_str(ce));
        power_finish(POWER_FAIL);
    }
    if (bad)
        power_finish(POWER_FAIL);
    if (kopts.help) {
        app_options_help();
        power_finish(POWER_OK);
    }

    mem_init();
    heap_init(64u << 20);
    time_init();
    pci_init();
    banner();
    smp_init(kopts.smp);                  /* INIT to the AP: it waits 10 ms for its SIPI */

    drivers_start_entropy();
    enum random_err re = random_init();
    if (re != RANDOM_OK)
        kprintf("random: !!! %s: no hardware entropy source; TLS is disabled !!!\n",
                random_err_str(re));
    smp_start();

    int r = app_jobs_run(&kopts);
    if (r < 0)
        kprintf("kernel: no job on the command line (help lists the keys; see docs/cmdline.md)\n");
    smp_report();
    kprintf("heap: in_use=%lu bytes allocations=%lu\n", (unsigned long)heap_bytes_in_use(),
            (unsigned long)heap_allocations());
    power_finish(r > 0 ? POWER_FAIL : POWER_OK);
}
