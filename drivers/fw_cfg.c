/* see fw_cfg.h: the port I/O (x86 legacy interface; no DMA: the files read
   here are a few KiB at most). Kernel-only; single CPU at boot. */
#include "drivers/fw_cfg.h"
#include "kernel/cpu.h"
#include <string.h>

#define FW_CFG_PORT_SEL  0x510
#define FW_CFG_PORT_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR  0x0019
/* Directory entries read at most: QEMU's default is 32 file slots. */
#define FW_CFG_DIR_MAX   128

static uint8_t dir[4 + FW_CFG_DIR_MAX * FW_CFG_DIR_ENTRY];

/* Selects item sel and reads its first n bytes (the data offset restarts
   at 0 on every select). */
static void read_item(uint16_t sel, uint8_t *p, size_t n)
{
    outw(FW_CFG_PORT_SEL, sel);
    for (size_t i = 0; i < n; i++)
        p[i] = inb(FW_CFG_PORT_DATA);
}

/* see fw_cfg.h */
enum fw_cfg_err fw_cfg_probe(void)
{
    uint8_t sig[4];
    read_item(FW_CFG_SIGNATURE, sig, sizeof sig);
    return memcmp(sig, "QEMU", 4) ? FW_CFG_ERR_ABSENT : FW_CFG_OK;
}

/* see fw_cfg.h */
enum fw_cfg_err fw_cfg_read_file(const char *name, void *buf, size_t cap, size_t *len)
{
    *len = 0;
    enum fw_cfg_err e = fw_cfg_probe();
    if (e)
        return e;
    /* the count, then as many entries as fit (the stream goes on from
       where the count ended) */
    read_item(FW_CFG_FILE_DIR, dir, 4);
    uint32_t count = (uint32_t)dir[0] << 24 | (uint32_t)dir[1] << 16 |
                     (uint32_t)dir[2] << 8 | dir[3];
    size_t n = count < FW_CFG_DIR_MAX ? count : FW_CFG_DIR_MAX;
    for (size_t i = 0; i < n * FW_CFG_DIR_ENTRY; i++)
        dir[4 + i] = inb(FW_CFG_PORT_DATA);
    struct fw_cfg_file f;
    e = fw_cfg_dir_find(dir, 4 + n * FW_CFG_DIR_ENTRY, name, &f);
    if (e)
        return e;
    *len = f.size;
    if (f.size > cap)
        return FW_CFG_ERR_TOO_LARGE;
    read_item(f.select, buf, f.size);
    return FW_CFG_OK;
}
