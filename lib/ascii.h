/* ASCII case folding for names that compare without regard to case (DNS
   names, URL schemes and hosts, HTTP field names and tokens, X.509 names),
   and hex digits (chunk sizes, JSON \u escapes, IPv6 literals).
   Only 'A'..'Z' fold; every other byte, including >= 0x80, stays as it is.
   Not constant time: for public names only, never for secrets. */
#ifndef LIB_ASCII_H
#define LIB_ASCII_H
#include <stdbool.h>
#include <stddef.h>

/* c with 'A'..'Z' mapped to 'a'..'z'. */
static inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
static inline int ascii_hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The n bytes at a and b are equal but for ASCII case. */
bool ascii_caseeq(const void *a, const void *b, size_t n);

/* The NUL-terminated strings a and b are equal but for ASCII case. */
bool ascii_strcaseeq(const char *a, const char *b);

#endif
