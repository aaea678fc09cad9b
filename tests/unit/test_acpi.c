/* kernel/acpi.c: RSDP search (EBDA, BIOS area), RSDT/XSDT walk, MADT
   processor entries; every checksum, length and bound, over a fake physical
   memory. Tables the parser walks sit at the end of a heap block (the RSDT
   at the end of the fake memory, MADTs copied into exact-size blocks), so a
   read past a table's length is an ASan error. */
#include "unit.h"
#include "kernel/acpi.h"
#include "lib/bytes.h"

#define MEM_SIZE 0x110000u          /* 1 MiB + 64 KiB of fake physical memory */

static uint8_t *mem;
static size_t mem_size;

static const uint8_t *fake_map(void *ctx, uint64_t phys, size_t len)
{
    (void)ctx;
    if (phys == 0 || phys > mem_size || len > mem_size - phys)
        return NULL;
    return mem + phys;
}

static int setup(void **s)
{
    (void)s;
    mem_size = MEM_SIZE;
    mem = calloc(1, mem_size);
    return mem ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    free(mem);
    return 0;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static void put_rsdp(uint64_t at, int rev, uint32_t rsdt, uint64_t xsdt)
{
    uint8_t *p = mem + at;
    memset(p, 0, 36);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "OEMID ", 6);
    p[15] = (uint8_t)rev;
    le32_put(p + 16, rsdt);
    p[8] = (uint8_t)-sum(p, 20);
    if (rev >= 2) {
        le32_put(p + 20, 36);
        le64_put(p + 24, xsdt);
        p[32] = (uint8_t)-sum(p, 36);
    }
}

/* A table at `at`: header with sig and length 36 + n, body, checksum. */
static void put_sdt(uint64_t at, const char *sig, const uint8_t *body, size_t n)
{
    uint8_t *p = mem + at;
    memset(p, 0, 36);
    memcpy(p, sig, 4);
    le32_put(p + 4, (uint32_t)(36 + n));
    p[8] = 1;
    memcpy(p + 10, "OEMID ", 6);
    memcpy(p + 36, body, n);
    p[9] = (uint8_t)-sum(p, 36 + n);
}

static void put_rsdt(uint64_t at, const uint32_t *e, int n)
{
    uint8_t b[64];
    for (int i = 0; i < n; i++)
        le32_put(b + 4 * i, e[i]);
    put_sdt(at, "RSDT", b, (size_t)n * 4);
}

static void put_xsdt(uint64_t at, const uint64_t *e, int n)
{
    uint8_t b[64];
    for (int i = 0; i < n; i++)
        le64_put(b + 8 * i, e[i]);
    put_sdt(at, "XSDT", b, (size_t)n * 8);
}

/* An MADT: local APIC address, flags, then the given entries. */
static void put_madt(uint64_t at, const uint8_t *entries, size_t n)
{
    uint8_t b[256];
    le32_put(b, 0xFEE00000u);
    le32_put(b + 4, 1);
    memcpy(b + 8, entries, n);
    put_sdt(at, "APIC", b, 8 + n);
}

static const uint8_t three_cpus[] = {
    0, 8, 0, 0, 1, 0, 0, 0,             /* uid 0 apic 0 enabled */
    1, 12, 0, 0, 0, 0, 0xC0, 0xFE, 0, 0, 0, 0,   /* an I/O APIC */
    0, 8, 1, 1, 2, 0, 0, 0,             /* uid 1 apic 1 online-capable only */
    0, 8, 2, 2, 1, 0, 0, 0,             /* uid 2 apic 2 enabled */
    4, 6, 0xFF, 0, 0, 1,                /* a local APIC NMI */
};

/* The ACPI 1.0 layout: RSDP in the BIOS area, RSDT, a FACP and the MADT. */
static void classic_layout(void)
{
    memset(mem, 0, mem_size);
    put_sdt(0x100000, "FACP", (const uint8_t *)"xxxx", 4);
    put_madt(0x100100, three_cpus, sizeof three_cpus);
    uint32_t e[] = { 0x100000, 0x100100 };
    put_rsdt(0x100400, e, 2);
    put_rsdp(0xF5A40, 0, 0x100400, 0);
}

static void test_classic_rsdt(void **s)
{
    (void)s;
    classic_layout();
    const uint8_t *t;
    uint32_t len;
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_OK);
    assert_ptr_equal(t, mem + 0x100100);
    assert_int_equal(len, 36 + 8 + sizeof three_cpus);
    struct acpi_cpu c[8];
    int n;
    assert_int_equal(acpi_madt_cpus(t, len, c, 8, &n), ACPI_OK);
    assert_int_equal(n, 3);
    assert_int_equal(c[0].apic_id, 0);
    assert_true(c[0].enabled);
    assert_int_equal(c[1].apic_id, 1);
    assert_false(c[1].enabled);
    assert_true(c[1].online_capable);
    assert_int_equal(c[2].uid, 2);
    assert_int_equal(c[2].apic_id, 2);
    assert_true(c[2].enabled);
    /* out[] smaller than the list: the first ones, in order */
    assert_int_equal(acpi_madt_cpus(t, len, c, 1, &n), ACPI_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].apic_id, 0);
    assert_int_equal(acpi_find_table(fake_map, NULL, "HPET", &t, &len), ACPI_ERR_NOT_FOUND);
}

static void test_ebda_and_xsdt(void **s)
{
    (void)s;
    memset(mem, 0, mem_size);
    put_madt(0x100100, three_cpus, sizeof three_cpus);
    uint64_t x[] = { 0x100100 };
    put_xsdt(0x100800, x, 1);
    uint32_t r[] = { 0x100000 };        /* points at nothing: the XSDT must win */
    put_rsdt(0x100400, r, 1);
    mem[0x40E] = 0xC0, mem[0x40F] = 0x9F;         /* EBDA segment 0x9FC0 */
    put_rsdp(0x9FC00 + 0x30, 2, 0x100400, 0x100800);
    const uint8_t *t;
    uint32_t len;
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_OK);
    assert_ptr_equal(t, mem + 0x100100);
    /* a broken XSDT: back to the RSDT, which lists no MADT */
    mem[0x100800 + 36] ^= 1;
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_NOT_FOUND);
    /* a broken extended checksum: the RSDP is not taken at all */
    mem[0x9FC30 + 33] ^= 1;
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_NO_RSDP);
}

static void test_bad_rsdp(void **s)
{
    (void)s;
    const uint8_t *t;
    uint32_t len;
    classic_layout();
    mem[0xF5A40 + 16] ^= 1;             /* RSDT address changed, checksum not */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_NO_RSDP);
    classic_layout();
    memmove(mem + 0xF5A48, mem + 0xF5A40, 20);    /* not on a 16-byte boundary */
    memset(mem + 0xF5A40, 0, 8);
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_NO_RSDP);
    classic_layout();
    put_rsdp(0xF5A40, 0, 0x200000, 0);  /* RSDT outside memory */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_ROOT);
    classic_layout();
    mem[0x100400 + 40] ^= 1;            /* RSDT checksum */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_ROOT);
}

static void test_bad_tables(void **s)
{
    (void)s;
    const uint8_t *t;
    uint32_t len;
    classic_layout();
    mem[0x100100 + 50] ^= 1;            /* MADT checksum */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_TABLE);
    classic_layout();
    le32_put(mem + 0x100100 + 4, 0xFFFFFFF0u);        /* absurd length */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_TABLE);
    classic_layout();
    le32_put(mem + 0x100100 + 4, 20);       /* shorter than its header */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_TABLE);
    classic_layout();
    le32_put(mem + 0x100100 + 4, 0x20000);  /* runs past the end of memory */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_BAD_TABLE);
    /* a bad MADT and then a good one: the good one is found */
    classic_layout();
    put_madt(0x100200, three_cpus, sizeof three_cpus);
    mem[0x100100 + 50] ^= 1;
    uint32_t e[] = { 0x100100, 0x100200 };
    put_rsdt(0x100400, e, 2);
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_OK);
    assert_ptr_equal(t, mem + 0x100200);
}

/* The RSDT at the very end of the fake memory: a read past its stated
   length (36 + one entry + two stray bytes) faults under ASan. */
static void test_rsdt_at_end_of_memory(void **s)
{
    (void)s;
    memset(mem, 0, mem_size);
    put_sdt(0x100000, "FACP", (const uint8_t *)"xxxx", 4);
    uint8_t body[6] = { 0 };
    le32_put(body, 0x100000);
    uint64_t rsdt = mem_size - (36 + sizeof body);
    put_sdt(rsdt, "RSDT", body, sizeof body);
    put_rsdp(0xE0000, 0, (uint32_t)rsdt, 0);
    const uint8_t *t;
    uint32_t len;
    assert_int_equal(acpi_find_table(fake_map, NULL, "FACP", &t, &len), ACPI_OK);
    assert_int_equal(len, 40);
    /* walks every entry: the stray bytes must not be read as one */
    assert_int_equal(acpi_find_table(fake_map, NULL, "APIC", &t, &len), ACPI_ERR_NOT_FOUND);
}

static enum acpi_err madt_of(const uint8_t *entries, size_t n, int *count)
{
    memset(mem, 0, mem_size);
    put_madt(0x100000, entries, n);
    struct acpi_cpu c[4];
    uint32_t len = (uint32_t)(36 + 8 + n);
    /* the parser gets exactly len bytes, from the end of a heap block */
    uint8_t *copy = malloc(len);
    memcpy(copy, mem + 0x100000, len);
    enum acpi_err e = acpi_madt_cpus(copy, len, c, 4, count);
    free(copy);
    return e;
}

static void test_madt_malformed(void **s)
{
    (void)s;
    int n;
    static const uint8_t zero_len[] = { 0, 8, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0 };
    assert_int_equal(madt_of(zero_len, sizeof zero_len, &n), ACPI_ERR_MALFORMED);
    static const uint8_t one_len[] = { 5, 1, 0, 0 };
    assert_int_equal(madt_of(one_len, sizeof one_len, &n), ACPI_ERR_MALFORMED);
    static const uint8_t past_end[] = { 0, 8, 0, 0, 1, 0, 0, 0, 1, 12, 0, 0 };
    assert_int_equal(madt_of(past_end, sizeof past_end, &n), ACPI_ERR_MALFORMED);
    static const uint8_t short_lapic[] = { 0, 6, 0, 0, 1, 0 };
    assert_int_equal(madt_of(short_lapic, sizeof short_lapic, &n), ACPI_ERR_MALFORMED);
    static const uint8_t stray_byte[] = { 0, 8, 0, 0, 1, 0, 0, 0, 9 };
    assert_int_equal(madt_of(stray_byte, sizeof stray_byte, &n), ACPI_ERR_MALFORMED);
    static const uint8_t truncated_lapic[] = { 0, 8, 0, 0 };
    assert_int_equal(madt_of(truncated_lapic, sizeof truncated_lapic, &n), ACPI_ERR_MALFORMED);
    static const uint8_t none[1];
    assert_int_equal(madt_of(none, 0, &n), ACPI_OK);
    assert_int_equal(n, 0);
    /* longer entries than the spec's are stepped over by their length */
    static const uint8_t long_lapic[] = { 0, 10, 3, 7, 1, 0, 0, 0, 0xAA, 0xBB, 0, 8, 4, 8, 1, 0, 0, 0 };
    assert_int_equal(madt_of(long_lapic, sizeof long_lapic, &n), ACPI_OK);
    assert_int_equal(n, 2);
}

static void test_madt_header(void **s)
{
    (void)s;
    struct acpi_cpu c[4];
    int n;
    classic_layout();
    const uint8_t *m = mem + 0x100100;
    uint32_t len = 36 + 8 + sizeof three_cpus;
    assert_int_equal(acpi_madt_cpus(m, 40, c, 4, &n), ACPI_ERR_BAD_TABLE);   /* < 44 */
    assert_int_equal(acpi_madt_cpus(m, len - 1, c, 4, &n), ACPI_ERR_BAD_TABLE); /* != header */
    assert_int_equal(acpi_madt_cpus(mem + 0x100000, 40, c, 4, &n), ACPI_ERR_BAD_TABLE); /* FACP */
    assert_string_equal(acpi_err_str(ACPI_ERR_NO_RSDP), "no RSDP");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classic_rsdt),
        cmocka_unit_test(test_ebda_and_xsdt),
        cmocka_unit_test(test_bad_rsdp),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_rsdt_at_end_of_memory),
        cmocka_unit_test(test_madt_malformed),
        cmocka_unit_test(test_madt_header),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
