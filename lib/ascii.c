/* see ascii.h */
#include "lib/ascii.h"

bool ascii_caseeq(const void *a, const void *b, size_t n)
{
    const char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(x[i]) != ascii_lower(y[i]))
            return false;
    return true;
}

bool ascii_strcaseeq(const char *a, const char *b)
{
    while (*a && *b)
        if (ascii_lower(*a++) != ascii_lower(*b++))
            return false;
    return *a == *b;
}
