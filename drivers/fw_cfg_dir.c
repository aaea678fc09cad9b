/* see fw_cfg.h: the directory parser (pure; the host tests build it). */
#include "drivers/fw_cfg.h"
#include <string.h>

const char *fw_cfg_err_str(enum fw_cfg_err e)
{
    switch (e) {
    case FW_CFG_OK:            return "ok";
    case FW_CFG_ERR_ABSENT:    return "absent";
    case FW_CFG_ERR_NOT_FOUND: return "not_found";
    case FW_CFG_ERR_TOO_LARGE: return "too_large";
    case FW_CFG_ERR_TRUNCATED: return "truncated";
    case FW_CFG_ERR_DUPLICATE: return "duplicate";
    case FW_CFG_ERR_BAD_ENTRY: return "bad_entry";
    case FW_CFG_ERR_BAD_NAME:  return "bad_name";
    }
    return "unknown";
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum fw_cfg_err fw_cfg_dir_find(const uint8_t *dir, size_t len, const char *name,
                                struct fw_cfg_file *out)
{
    size_t nl = name ? strlen(name) : 0;
    if (nl == 0 || nl >= FW_CFG_NAME_MAX)
        return FW_CFG_ERR_BAD_NAME;
    if (len < 4)
        return FW_CFG_ERR_TRUNCATED;
    uint32_t count = be32(dir);
    size_t present = (len - 4) / FW_CFG_DIR_ENTRY;
    size_t n = count < present ? count : present;
    const uint8_t *hit = NULL;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *e = dir + 4 + i * FW_CFG_DIR_ENTRY;
        /* name field at offset 8: the name, then its NUL, inside the 56 bytes */
        if (memcmp(e + 8, name, nl) || e[8 + nl] != 0)
            continue;
        if (hit)
            return FW_CFG_ERR_DUPLICATE;
        hit = e;
    }
    if (!hit)
        return count > present ? FW_CFG_ERR_TRUNCATED : FW_CFG_ERR_NOT_FOUND;
    uint16_t sel = (uint16_t)(hit[4] << 8 | hit[5]);
    if (sel < FW_CFG_FILE_FIRST || sel >= FW_CFG_FILE_END)
        return FW_CFG_ERR_BAD_ENTRY;
    out->size = be32(hit);
    out->select = sel;
    return FW_CFG_OK;
}
