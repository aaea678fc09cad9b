/* printf-style formatting without libc, shared by the kernel console and host
   tests. Supports %d %i %u %x %X %o %s %c %p %% with the l, ll, z length
   modifiers, the '-', '0' and '+' flags, a width and a precision (also '*').
   No floating point. The caller owns every buffer. */
#ifndef LIB_FMT_H
#define LIB_FMT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink_fn)(char c, void *ctx);

/* Streams the formatted text to sink; returns the number of characters. */
size_t fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/* Writes at most n-1 characters and a NUL (when n > 0); returns the length the
   whole output would have had, like C99 vsnprintf. */
size_t fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Lower-case hex of d[0..n) into out (2n characters and a NUL). */
void fmt_hex(const void *d, size_t n, char *out);

#endif
