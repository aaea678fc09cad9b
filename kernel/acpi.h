/* ACPI table lookup (ACPI 6.5 chapter 5.2): finds the RSDP (section 5.2.5.1:
   the first KiB of the EBDA, then 0xE0000-0xFFFFF, on 16-byte boundaries),
   follows the XSDT (or the RSDT) to a table by signature, and lists the
   processor local APIC entries of the MADT (section 5.2.12.2).
   Every length and checksum is validated and every read is bounds-checked;
   tables are read in place and nothing is allocated. Physical memory is
   reached through a caller's map function, so this is pure code: the kernel
   passes its identity map, the host tests a fake memory image. */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_SDT_HEADER_LEN 36
#define ACPI_MAX_TABLE_LEN  (1u << 20)   /* larger lengths are taken as corrupt */

enum acpi_err {
    ACPI_OK = 0,
    ACPI_ERR_NO_RSDP,       /* no "RSD PTR " with valid checksums */
    ACPI_ERR_BAD_ROOT,      /* the RSDT/XSDT is unreadable or fails its length or checksum */
    ACPI_ERR_NOT_FOUND,     /* the root lists no table with that signature */
    ACPI_ERR_BAD_TABLE,     /* the table is there but fails its length or checksum */
    ACPI_ERR_MALFORMED,     /* an MADT entry's length runs past the table or is too short */
};

const char *acpi_err_str(enum acpi_err e);

/* Returns a pointer to len readable bytes at physical address phys, or NULL
   when any of them is not readable. */
typedef const uint8_t *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

/* Finds the table with signature sig (4 characters, e.g. "APIC"); on
   ACPI_OK *tbl points at its header and *len is its validated length. */
enum acpi_err acpi_find_table(acpi_map_fn map, void *ctx, const char *sig,
                              const uint8_t **tbl, uint32_t *len);

struct acpi_cpu {
    uint8_t uid;             /* ACPI processor UID */
    uint8_t apic_id;
    bool enabled;            /* flags bit 0: usable now */
    bool online_capable;     /* flags bit 1: may be enabled later (hot plug) */
};

/* Lists the processor local APIC entries (type 0) of the MADT madt[0..len),
   in table order, into out[0..max); *n gets how many were stored (entries
   past max are skipped but still validated). Returns ACPI_ERR_BAD_TABLE
   when madt is not an "APIC" table of at least 44 bytes, ACPI_ERR_MALFORMED
   when an entry is. */
enum acpi_err acpi_madt_cpus(const uint8_t *madt, uint32_t len, struct acpi_cpu *out,
                             int max, int *n);

#endif
