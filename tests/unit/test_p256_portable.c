/* test_p256_impl's field tests again with the portable unsigned __int128
   carry helpers of crypto/p256_field.h instead of the compiler's
   add-with-carry builtins (the path compilers other than GCC and clang
   take). The field code is inline, so this translation unit carries its own
   copy; the point tests still run the library's (builtin) build. */
#define P256_FIELD_PORTABLE 1
#include "test_p256_impl.c"
