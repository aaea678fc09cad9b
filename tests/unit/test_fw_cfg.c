/* drivers/fw_cfg_dir.c: the fw_cfg file directory parser over good,
   truncated and hostile directories. */
#include "unit.h"
#include "drivers/fw_cfg.h"

static uint8_t D[4 + 8 * FW_CFG_DIR_ENTRY];

/* A directory claiming count entries; entries are added with put(). */
static size_t dir_init(uint32_t count)
{
    memset(D, 0, sizeof D);
    D[0] = (uint8_t)(count >> 24);
    D[1] = (uint8_t)(count >> 16);
    D[2] = (uint8_t)(count >> 8);
    D[3] = (uint8_t)count;
    return 4;
}

/* Entry i: size, selector and up to 56 name bytes (not NUL-terminated when
   the name fills the field). */
static size_t put(size_t i, uint32_t size, uint16_t sel, const char *name, size_t nlen)
{
    uint8_t *e = D + 4 + i * FW_CFG_DIR_ENTRY;
    e[0] = (uint8_t)(size >> 24);
    e[1] = (uint8_t)(size >> 16);
    e[2] = (uint8_t)(size >> 8);
    e[3] = (uint8_t)size;
    e[4] = (uint8_t)(sel >> 8);
    e[5] = (uint8_t)sel;
    memcpy(e + 8, name, nlen);
    return 4 + (i + 1) * FW_CFG_DIR_ENTRY;
}

static size_t good_dir(void)
{
    dir_init(3);
    put(0, 0x1234, 0x0020, "etc/boot-menu-wait", 18);
    put(1, 17, 0x0021, "opt/llm/config", 14);
    return put(2, 0x01020304, 0x0122, "opt/llm/key", 11);
}

static void test_finds_files(void **s)
{
    (void)s;
    size_t len = good_dir();
    struct fw_cfg_file f;
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_OK);
    assert_int_equal(f.size, 0x01020304);          /* big-endian fields */
    assert_int_equal(f.select, 0x0122);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/config", &f), FW_CFG_OK);
    assert_int_equal(f.size, 17);
    assert_int_equal(f.select, 0x0021);
    assert_int_equal(fw_cfg_dir_find(D, len, "etc/boot-menu-wait", &f), FW_CFG_OK);
    assert_int_equal(f.select, 0x0020);
}

static void test_not_found_and_prefixes(void **s)
{
    (void)s;
    size_t len = good_dir();
    struct fw_cfg_file f = {7, 7};
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/nothing", &f), FW_CFG_ERR_NOT_FOUND);
    /* a prefix of a name, or a name extending one, is another name */
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/ke", &f), FW_CFG_ERR_NOT_FOUND);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/keys", &f), FW_CFG_ERR_NOT_FOUND);
    assert_int_equal(f.size, 7);                   /* untouched on failure */
    /* an empty directory */
    assert_int_equal(fw_cfg_dir_find(D, dir_init(0), "opt/llm/key", &f), FW_CFG_ERR_NOT_FOUND);
}

static void test_bad_names(void **s)
{
    (void)s;
    size_t len = good_dir();
    struct fw_cfg_file f;
    char longname[FW_CFG_NAME_MAX + 1];
    memset(longname, 'a', FW_CFG_NAME_MAX);
    longname[FW_CFG_NAME_MAX] = 0;
    assert_int_equal(fw_cfg_dir_find(D, len, "", &f), FW_CFG_ERR_BAD_NAME);
    assert_int_equal(fw_cfg_dir_find(D, len, NULL, &f), FW_CFG_ERR_BAD_NAME);
    assert_int_equal(fw_cfg_dir_find(D, len, longname, &f), FW_CFG_ERR_BAD_NAME);
    longname[FW_CFG_NAME_MAX - 1] = 0;             /* 55 bytes: the longest name */
    put(1, 5, 0x0030, longname, FW_CFG_NAME_MAX - 1);
    assert_int_equal(fw_cfg_dir_find(D, len, longname, &f), FW_CFG_OK);
    assert_int_equal(f.select, 0x0030);
}

static void test_truncated(void **s)
{
    (void)s;
    size_t len = good_dir();
    struct fw_cfg_file f;
    assert_int_equal(fw_cfg_dir_find(D, 0, "opt/llm/key", &f), FW_CFG_ERR_TRUNCATED);
    assert_int_equal(fw_cfg_dir_find(D, 3, "opt/llm/key", &f), FW_CFG_ERR_TRUNCATED);
    /* the last entry cut by one byte: not read, the count says it exists */
    assert_int_equal(fw_cfg_dir_find(D, len - 1, "opt/llm/key", &f), FW_CFG_ERR_TRUNCATED);
    /* what is present is still found */
    assert_int_equal(fw_cfg_dir_find(D, len - 1, "opt/llm/config", &f), FW_CFG_OK);
    /* a count far beyond the bytes (a hostile or capped directory) */
    D[0] = 0xff;
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/nothing", &f), FW_CFG_ERR_TRUNCATED);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_OK);
}

static void test_count_limits_entries(void **s)
{
    (void)s;
    size_t len = good_dir();
    struct fw_cfg_file f;
    /* the count says 2: the third entry's bytes are not part of the directory */
    D[3] = 2;
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_ERR_NOT_FOUND);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/config", &f), FW_CFG_OK);
}

static void test_hostile(void **s)
{
    (void)s;
    struct fw_cfg_file f;
    char full[FW_CFG_NAME_MAX];
    memset(full, 'k', sizeof full);
    /* a name field without its NUL never matches, not even its 55-byte prefix */
    size_t len = dir_init(1);
    len = put(0, 4, 0x0020, full, sizeof full);
    full[FW_CFG_NAME_MAX - 1] = 0;
    assert_int_equal(fw_cfg_dir_find(D, len, full, &f), FW_CFG_ERR_NOT_FOUND);
    /* two entries with one name: ambiguous, refused */
    dir_init(2);
    put(0, 4, 0x0020, "opt/llm/key", 11);
    len = put(1, 9, 0x0021, "opt/llm/key", 11);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_ERR_DUPLICATE);
    /* selectors that are not files: the directory itself, the signature,
       the write channel, arch-local items */
    static const uint16_t bad[] = {0x0019, 0x0000, 0x001f, 0x4020, 0x8020, 0xffff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dir_init(1);
        len = put(0, 4, bad[i], "opt/llm/key", 11);
        assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_ERR_BAD_ENTRY);
    }
    dir_init(1);
    len = put(0, 4, 0x3fff, "opt/llm/key", 11);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_OK);
    /* a huge size is reported as is: the reader compares it with its buffer */
    dir_init(1);
    len = put(0, 0xffffffffu, 0x0020, "opt/llm/key", 11);
    assert_int_equal(fw_cfg_dir_find(D, len, "opt/llm/key", &f), FW_CFG_OK);
    assert_int_equal(f.size, 0xffffffffu);
}

static void test_err_names(void **s)
{
    (void)s;
    assert_string_equal(fw_cfg_err_str(FW_CFG_ERR_ABSENT), "absent");
    assert_string_equal(fw_cfg_err_str(FW_CFG_ERR_NOT_FOUND), "not_found");
    assert_string_equal(fw_cfg_err_str(FW_CFG_ERR_TOO_LARGE), "too_large");
    for (int e = FW_CFG_OK; e <= FW_CFG_ERR_BAD_NAME; e++)
        assert_string_not_equal(fw_cfg_err_str((enum fw_cfg_err)e), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_files),
        cmocka_unit_test(test_not_found_and_prefixes),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_count_limits_entries),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_err_names),
    };
    return cmocka_run_group_tests_name("fw_cfg", tests, NULL, NULL);
}
