/* see acpi.h */
#include "kernel/acpi.h"
#include <string.h>
#include "lib/bytes.h"

#define RSDP_V1_LEN     20        /* ACPI 1.0 part, covered by the first checksum */
#define RSDP_V2_LEN     36
#define MADT_ENTRIES    44        /* header, local APIC address, flags */
#define MADT_LAPIC      0         /* entry type: processor local APIC */
#define MADT_LAPIC_LEN  8

const char *acpi_err_str(enum acpi_err e)
{
    switch (e) {
    case ACPI_OK: return "ok";
    case ACPI_ERR_NO_RSDP: return "no RSDP";
    case ACPI_ERR_BAD_ROOT: return "bad RSDT/XSDT";
    case ACPI_ERR_NOT_FOUND: return "table not found";
    case ACPI_ERR_BAD_TABLE: return "bad table length or checksum";
    case ACPI_ERR_MALFORMED: return "malformed entry";
    }
    return "unknown";
}

/* ACPI checksums: all bytes, the checksum byte included, sum to 0 mod 256. */
static bool sum_ok(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s == 0;
}

/* An RSDP at phys (section 5.2.5.3): signature, the ACPI 1.0 checksum, and
   for revision 2+ the length and the extended checksum. */
static bool rsdp_at(acpi_map_fn map, void *ctx, uint64_t phys, uint64_t *rsdt, uint64_t *xsdt)
{
    const uint8_t *p = map(ctx, phys, RSDP_V1_LEN);
    if (!p || memcmp(p, "RSD PTR ", 8) != 0 || !sum_ok(p, RSDP_V1_LEN))
        return false;
    *rsdt = le32_get(p + 16);
    *xsdt = 0;
    if (p[15] < 2)
        return true;
    const uint8_t *h = map(ctx, phys, RSDP_V2_LEN);
    if (!h)
        return false;
    uint32_t len = le32_get(h + 20);
    if (len < RSDP_V2_LEN || len > 4096)
        return false;
    const uint8_t *full = map(ctx, phys, len);
    if (!full || !sum_ok(full, len))
        return false;
    *xsdt = le64_get(full + 24);
    return true;
}

static bool scan(acpi_map_fn map, void *ctx, uint64_t start, uint64_t end, uint64_t *rsdt,
                 uint64_t *xsdt)
{
    for (uint64_t a = start; a + RSDP_V1_LEN <= end; a += 16)
        if (rsdp_at(map, ctx, a, rsdt, xsdt))
            return true;
    return false;
}

static bool find_rsdp(acpi_map_fn map, void *ctx, uint64_t *rsdt, uint64_t *xsdt)
{
    /* the BIOS data area's word at 0x40E holds the EBDA's real-mode segment */
    const uint8_t *bda = map(ctx, 0x40E, 2);
    if (bda) {
        uint64_t ebda = (uint64_t)(bda[0] | bda[1] << 8) << 4;
        if (ebda >= 0x500 && ebda + 1024 <= 0xA0000 && scan(map, ctx, ebda, ebda + 1024, rsdt, xsdt))
            return true;
    }
    return scan(map, ctx, 0xE0000, 0x100000, rsdt, xsdt);
}

/* The system description table at phys when its signature is sig: NULL with
   *e untouched when the signature differs (or the header is unreadable),
   NULL with *e = bad when its length or checksum is wrong. */
static const uint8_t *sdt_at(acpi_map_fn map, void *ctx, uint64_t phys, const char *sig,
                             uint32_t *len, enum acpi_err *e, enum acpi_err bad)
{
    const uint8_t *h = map(ctx, phys, ACPI_SDT_HEADER_LEN);
    if (!h || memcmp(h, sig, 4) != 0)
        return NULL;
    uint32_t n = le32_get(h + 4);
    const uint8_t *t = NULL;
    if (n >= ACPI_SDT_HEADER_LEN && n <= ACPI_MAX_TABLE_LEN)
        t = map(ctx, phys, n);
    if (!t || !sum_ok(t, n)) {
        *e = bad;
        return NULL;
    }
    *len = n;
    return t;
}

enum acpi_err acpi_find_table(acpi_map_fn map, void *ctx, const char *sig,
                              const uint8_t **tbl, uint32_t *len)
{
    uint64_t rsdt_phys, xsdt_phys;
    if (!find_rsdp(map, ctx, &rsdt_phys, &xsdt_phys))
        return ACPI_ERR_NO_RSDP;
    /* ACPI 2.0+ firmware must use the XSDT; fall back to the RSDT when the
       XSDT is absent or broken. */
    enum acpi_err e = ACPI_ERR_BAD_ROOT;
    uint32_t rlen = 0;
    size_t esz = 8;
    const uint8_t *root = xsdt_phys ? sdt_at(map, ctx, xsdt_phys, "XSDT", &rlen, &e, e) : NULL;
    if (!root && rsdt_phys) {
        esz = 4;
        root = sdt_at(map, ctx, rsdt_phys, "RSDT", &rlen, &e, e);
    }
    if (!root)
        return ACPI_ERR_BAD_ROOT;
    e = ACPI_ERR_NOT_FOUND;
    for (uint32_t off = ACPI_SDT_HEADER_LEN; off + esz <= rlen; off += (uint32_t)esz) {
        uint64_t a = esz == 8 ? le64_get(root + off) : le32_get(root + off);
        const uint8_t *t = sdt_at(map, ctx, a, sig, len, &e, ACPI_ERR_BAD_TABLE);
        if (t) {
            *tbl = t;
            return ACPI_OK;
        }
    }
    return e;
}

enum acpi_err acpi_madt_cpus(const uint8_t *madt, uint32_t len, struct acpi_cpu *out,
                             int max, int *n)
{
    *n = 0;
    if (len < MADT_ENTRIES || memcmp(madt, "APIC", 4) != 0 || le32_get(madt + 4) != len)
        return ACPI_ERR_BAD_TABLE;
    for (uint32_t off = MADT_ENTRIES; off < len;) {
        if (len - off < 2)
            return ACPI_ERR_MALFORMED;
        uint8_t type = madt[off], elen = madt[off + 1];
        if (elen < 2 || elen > len - off)
            return ACPI_ERR_MALFORMED;
        if (type == MADT_LAPIC) {
            if (elen < MADT_LAPIC_LEN)
                return ACPI_ERR_MALFORMED;
            uint32_t flags = le32_get(madt + off + 4);
            if (*n < max)
                out[(*n)++] = (struct acpi_cpu){
                    .uid = madt[off + 2],
                    .apic_id = madt[off + 3],
                    .enabled = flags & 1,
                    .online_capable = (flags >> 1) & 1,
                };
        }
        off += elen;
    }
    return ACPI_OK;
}
