/* see list.h */
#include "lib/list.h"

bool list_next(struct list_iter *it, const char **item, size_t *len)
{
    const char *p = it->p;
    if (!p || !*p)
        return false;
    size_t n = 0;
    while (p[n] && p[n] != it->sep)
        n++;
    *item = p;
    *len = n;
    it->p = p[n] ? p + n + 1 : p + n;
    return true;
}
