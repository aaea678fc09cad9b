/* lib/bytes.h and lib/reader.h: byte orders, and a reader that fails
   closed and stays failed. */
#include "unit.h"
#include "lib/bytes.h"
#include "lib/reader.h"

static void test_byte_order(void **st)
{
    (void)st;
    static const uint8_t p[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
    assert_int_equal(be16_get(p), 0x0123);
    assert_int_equal(be24_get(p), 0x012345);
    assert_int_equal(be32_get(p), 0x01234567);
    assert_true(be64_get(p) == 0x0123456789abcdefull);
    assert_int_equal(le16_get(p), 0x2301);
    assert_int_equal(le32_get(p), 0x67452301);
    assert_true(le64_get(p) == 0xefcdab8967452301ull);
    uint8_t q[8];
    memset(q, 0, sizeof q);
    be16_put(q, 0x0123); assert_memory_equal(q, p, 2);
    be24_put(q, 0x012345); assert_memory_equal(q, p, 3);
    be32_put(q, 0x01234567); assert_memory_equal(q, p, 4);
    be64_put(q, 0x0123456789abcdefull); assert_memory_equal(q, p, 8);
    le16_put(q, 0x2301); assert_memory_equal(q, p, 2);
    le32_put(q, 0x67452301); assert_memory_equal(q, p, 4);
    le64_put(q, 0xefcdab8967452301ull); assert_memory_equal(q, p, 8);
    assert_int_equal(be32_get(p + 1), 0x23456789);     /* unaligned */
}

static void test_reader(void **st)
{
    (void)st;
    static const uint8_t m[] = { 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                 0x00, 0x02, 0xaa, 0xbb, 0xcc };
    struct reader r = rd_init(m, sizeof m);
    assert_int_equal(rd_u8(&r), 0x7f);
    assert_int_equal(rd_u16(&r), 0x0102);
    assert_int_equal(rd_u24(&r), 0x030405);
    assert_int_equal(rd_u32(&r), 0x06070809);
    struct reader v = rd_vec(&r, 2);
    assert_true(rd_ok(&r));
    assert_int_equal(rd_left(&v), 2);
    assert_ptr_equal(rd_bytes(&v, 2), m + 12);
    assert_int_equal(rd_left(&v), 0);
    assert_int_equal(rd_left(&r), 1);
    /* a read past the end: 0, and the reader stays failed with nothing left */
    assert_int_equal(rd_u16(&r), 0);
    assert_false(rd_ok(&r));
    assert_int_equal(rd_left(&r), 0);
    assert_int_equal(rd_u8(&r), 0);
    assert_null(rd_bytes(&r, 0));
    struct reader sub = rd_vec(&r, 1);
    assert_false(rd_ok(&sub));
    assert_int_equal(rd_left(&sub), 0);
}

static void test_reader_vec_overrun(void **st)
{
    (void)st;
    static const uint8_t m[] = { 0x00, 0x00, 0x03, 0x01, 0x02 };  /* claims 3, has 2 */
    struct reader r = rd_init(m, sizeof m);
    struct reader v = rd_vec(&r, 3);
    assert_false(rd_ok(&r));
    assert_false(rd_ok(&v));
    r = rd_init(m, sizeof m);
    assert_null(rd_bytes(&r, 6));
    assert_false(rd_ok(&r));
    r = rd_init(m, sizeof m);
    assert_ptr_equal(rd_bytes(&r, 0), m);      /* zero bytes are fine */
    struct reader e = rd_sub(&r, 5);
    assert_true(rd_ok(&r) && rd_ok(&e));
    assert_int_equal(rd_left(&r), 0);
    assert_int_equal(rd_left(&e), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_order),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_reader_vec_overrun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
