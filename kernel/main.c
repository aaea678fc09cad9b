/* kmain: brings the machine up in dependency order, prints the boot banner,
   runs the jobs the command line asks for and ends the run (kernel/power.h).
   The command line is parsed here, once: cmdline_parse splits it into
   words, app_options_parse_sources (app/options.h) checks every key and
   converts its value; every layer gets its options as parameters from
   there. QEMU's fw_cfg files opt/llm/key and opt/llm/config are read
   first (drivers/fw_cfg.h): they are sources below the command line. A
   bad key ends the run with status=fail before any device is touched.
   The API key is wiped from the command line (the loader's text and the
   parsed copy) and the fw_cfg buffers once parsed, and from the options
   when the jobs are over. */
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
#include "crypto/crypto.h"
#include "drivers/drivers.h"
#include "drivers/fw_cfg.h"
#include <string.h>

static struct cmdline kcmdline, kconfig;
static struct app_options kopts;
/* the fw_cfg files as read (wiped once parsed) */
static char fwcfg_config[CMDLINE_MAX_LEN];
static char fwcfg_key[APP_KEY_MAX + 64];

#define FWCFG_CONFIG "opt/llm/config"
#define FWCFG_KEY    "opt/llm/key"

/* Reads the fw_cfg files into s (an absent device or file adds nothing).
   False, after saying why, when a file is there but unusable. */
static bool fw_cfg_sources(struct app_option_sources *s)
{
    if (fw_cfg_probe() != FW_CFG_OK)
        return true;
    bool ok = true;
    size_t n;
    enum fw_cfg_err ec = fw_cfg_read_file(FWCFG_CONFIG, fwcfg_config, sizeof fwcfg_config - 1, &n);
    if (ec == FW_CFG_OK) {
        fwcfg_config[n] = 0;
        s->config = &kconfig;
        /* a NUL would end the text early: the keys after it would vanish */
        const char *why = memchr(fwcfg_config, 0, n) ? "nul_byte" : NULL;
        enum cmdline_err ce = why ? CMDLINE_OK : cmdline_parse(&kconfig, fwcfg_config);
        if (ce != CMDLINE_OK)
            why = cmdline_err_str(ce);
        if (why) {
            kprintf("fw_cfg: error file=%s detail=%s\n", FWCFG_CONFIG, why);
            ok = false;
        }
    } else if (ec != FW_CFG_ERR_NOT_FOUND) {
        kprintf("fw_cfg: error file=%s detail=%s\n", FWCFG_CONFIG, fw_cfg_err_str(ec));
        ok = false;
    }
    enum fw_cfg_err ek = fw_cfg_read_file(FWCFG_KEY, fwcfg_key, sizeof fwcfg_key, &n);
    if (ek == FW_CFG_OK) {
        s->key_file = fwcfg_key;
        s->key_file_len = n;
    } else if (ek == FW_CFG_ERR_TOO_LARGE) {
        kprintf("cmdline: error key=key detail=too_long source=fw_cfg\n");
        ok = false;
    } else if (ek != FW_CFG_ERR_NOT_FOUND) {
        kprintf("fw_cfg: error file=%s detail=%s\n", FWCFG_KEY, fw_cfg_err_str(ek));
        ok = false;
    }
    bool key = ek == FW_CFG_OK || ek == FW_CFG_ERR_TOO_LARGE;
    if (s->config || key)
        kprintf("fw_cfg: llm config keys=%d key=%s\n", s->config ? kconfig.n : 0,
                key ? "present" : "absent");
    return ok;
}

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
    /* the loader's copy of the line is RAM it gave us (kernel/mem.c keeps
       it reserved): writable, so the key can be wiped there */
    char *line = (char *)bootinfo.cmdline;
    const char *sp = strchr(line, ' ');
    size_t w0 = sp ? (size_t)(sp - line) : strlen(line);
    if (memchr(line, '/', w0) && !memchr(line, '=', w0))
        line += w0;
    enum cmdline_err ce = cmdline_parse(&kcmdline, line);
    /* the key never reaches the console: out of the line before the echo */
    cmdline_redact_key(&kcmdline, line, "key");
    kprintf("boot: multiboot%s loader=\"%s\" cmdline=\"%s\"\n",
            bootinfo.protocol == 2 ? "2" : "", bootinfo.loader ? bootinfo.loader : "?",
            bootinfo.cmdline);
    struct app_option_sources src = {.cmdline = &kcmdline};
    bool fw_ok = fw_cfg_sources(&src);
    /* the words before a syntax error still count, exit= included */
    int bad = app_options_parse_sources(&kopts, &src);
    cmdline_wipe_key(&kcmdline, "key");
    cmdline_wipe_key(&kconfig, "key");
    crypto_zeroize(fwcfg_config, sizeof fwcfg_config);
    crypto_zeroize(fwcfg_key, sizeof fwcfg_key);
    power_set_exit_on_finish(kopts.exit_on_finish);
    if (!fw_ok)
        power_finish(POWER_FAIL);
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
    app_options_wipe_key(&kopts);
    if (r < 0)
        kprintf("kernel: no job on the command line (help lists the keys; see docs/cmdline.md)\n");
    smp_report();
    kprintf("heap: in_use=%lu bytes allocations=%lu\n", (unsigned long)heap_bytes_in_use(),
            (unsigned long)heap_allocations());
    power_finish(r > 0 ? POWER_FAIL : POWER_OK);
}
