/* sym_selftest() (the kernel boot KAT) passes on the host build with both
   implementation settings and restores the setting it found. */
#include "unit.h"
#include "crypto/sym_selftest.h"
#include "crypto/impl.h"

static void t_selftest(void **s)
{
    (void)s;
    const char *failed = "unset";
    crypto_set_impl(CRYPTO_IMPL_PORTABLE);
    assert_int_equal(sym_selftest(&failed), CRYPTO_OK);
    assert_null(failed);
    assert_int_equal(crypto_get_impl(), CRYPTO_IMPL_PORTABLE);
    crypto_set_impl(CRYPTO_IMPL_AUTO);
    assert_int_equal(sym_selftest(NULL), CRYPTO_OK);
    assert_int_equal(crypto_get_impl(), CRYPTO_IMPL_AUTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_selftest) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
