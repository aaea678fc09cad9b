/* QEMU's firmware configuration device (fw_cfg, QEMU docs/specs/fw_cfg.rst):
   named files the host hands the guest (`qemu -fw_cfg name=opt/...,file=P`;
   names under opt/ are the user's). On x86 it is two I/O ports: a 16-bit
   selector (0x510, little-endian) and an 8-bit data port (0x511) that
   streams the selected item from offset 0. Item 0x0000 is the signature
   "QEMU"; item 0x0019 is the file directory: a big-endian u32 count, then
   per file 64 bytes {u32 size BE, u16 select BE, u16 reserved, name[56]
   NUL-terminated}.
   Two parts: fw_cfg_dir_find (drivers/fw_cfg_dir.c) is pure code over a
   byte buffer, built for the host tests too; fw_cfg_probe and
   fw_cfg_read_file (drivers/fw_cfg.c) do the port I/O, kernel-only. The
   caller owns every buffer; nothing is allocated. */
#ifndef DRIVERS_FW_CFG_H
#define DRIVERS_FW_CFG_H
#include <stddef.h>
#include <stdint.h>

#define FW_CFG_NAME_MAX   56        /* name field, NUL included */
#define FW_CFG_DIR_ENTRY  64        /* bytes per directory entry */
#define FW_CFG_FILE_FIRST 0x0020    /* the first file selector */
#define FW_CFG_FILE_END   0x4000    /* selectors from here on are not files */

enum fw_cfg_err {
    FW_CFG_OK = 0,
    FW_CFG_ERR_ABSENT,       /* no fw_cfg device (no "QEMU" signature) */
    FW_CFG_ERR_NOT_FOUND,    /* no file of that name in the directory */
    FW_CFG_ERR_TOO_LARGE,    /* the file does not fit the caller's buffer */
    FW_CFG_ERR_TRUNCATED,    /* the directory is shorter than its count */
    FW_CFG_ERR_DUPLICATE,    /* two entries carry the name */
    FW_CFG_ERR_BAD_ENTRY,    /* the entry's selector is not a file selector */
    FW_CFG_ERR_BAD_NAME,     /* the name asked for is empty or too long */
};
const char *fw_cfg_err_str(enum fw_cfg_err e);

struct fw_cfg_file {
    uint32_t size;
    uint16_t select;
};

/* Looks name up in the directory dir[0..len) (the bytes of item 0x0019,
   possibly cut short). Entries past len or past the count are not read;
   an entry whose name field has no NUL never matches. Not found with
   fewer entries present than the count says is FW_CFG_ERR_TRUNCATED. */
enum fw_cfg_err fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name,
                                struct fw_cfg_file *out);

/* ---- kernel-only (port I/O) ---- */

/* FW_CFG_OK when the device answers with its signature. */
enum fw_cfg_err fw_cfg_probe(void);
/* Reads file name into buf (cap bytes); *len gets the file's size (also on
   FW_CFG_ERR_TOO_LARGE, when nothing is read). */
enum fw_cfg_err fw_cfg_read_file(const char *name, void *buf, size_t cap, size_t *len);

#endif
