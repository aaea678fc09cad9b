/* libFuzzer target: the fw_cfg directory parser (drivers/fw_cfg_dir.c).
   The input is the directory; each lookup is checked against a plain
   reference scan written differently (strnlen/strcmp over a copied name). */
#include "drivers/fw_cfg.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Entries named name among the first min(count, present); *last gets the
   last one's offset. */
static size_t ref_count(const uint8_t *d, size_t len, const char *name, size_t *last)
{
    uint32_t count = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    size_t hits = 0;
    for (size_t i = 0; i < count && 4 + (i + 1) * FW_CFG_DIR_ENTRY <= len; i++) {
        char nm[FW_CFG_NAME_MAX + 1];
        memcpy(nm, d + 4 + i * FW_CFG_DIR_ENTRY + 8, FW_CFG_NAME_MAX);
        nm[FW_CFG_NAME_MAX] = 0;
        if (strnlen(nm, FW_CFG_NAME_MAX) < FW_CFG_NAME_MAX && !strcmp(nm, name)) {
            hits++;
            *last = 4 + i * FW_CFG_DIR_ENTRY;
        }
    }
    return hits;
}

static void check(const uint8_t *d, size_t len, const char *name)
{
    struct fw_cfg_file f = {0, 0};
    enum fw_cfg_err e = fw_cfg_dir_find(d, len, name, &f);
    size_t nl = strlen(name);
    if (nl == 0 || nl >= FW_CFG_NAME_MAX) {
        if (e != FW_CFG_ERR_BAD_NAME)
            abort();
        return;
    }
    if (len < 4) {
        if (e != FW_CFG_ERR_TRUNCATED)
            abort();
        return;
    }
    size_t at = 0, hits = ref_count(d, len, name, &at);
    uint32_t count = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    bool short_dir = count > (len - 4) / FW_CFG_DIR_ENTRY;
    switch (e) {
    case FW_CFG_OK: {
        uint16_t sel = (uint16_t)(d[at + 4] << 8 | d[at + 5]);
        uint32_t size = (uint32_t)d[at] << 24 | (uint32_t)d[at + 1] << 16 |
                        (uint32_t)d[at + 2] << 8 | d[at + 3];
        if (hits != 1 || f.select != sel || f.size != size || sel < FW_CFG_FILE_FIRST ||
            sel >= FW_CFG_FILE_END)
            abort();
        break;
    }
    case FW_CFG_ERR_NOT_FOUND: if (hits || short_dir) abort(); break;
    case FW_CFG_ERR_TRUNCATED: if (hits || !short_dir) abort(); break;
    case FW_CFG_ERR_DUPLICATE: if (hits < 2) abort(); break;
    case FW_CFG_ERR_BAD_ENTRY: if (hits != 1) abort(); break;
    default: abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, "opt/llm/key");
    check(data, size, "opt/llm/config");
    /* the first entry's own name, when it has one */
    if (size >= 4 + FW_CFG_DIR_ENTRY) {
        char nm[FW_CFG_NAME_MAX + 1];
        memcpy(nm, data + 4 + 8, FW_CFG_NAME_MAX);
        nm[FW_CFG_NAME_MAX] = 0;
        check(data, size, nm);
    }
    return 0;
}
