/* Splitting a separator-delimited list such as a command-line value
   "aes128,chacha20" into its items, in place, without copying:

       struct list_iter it = list_split(v, ',');
       const char *item;
       size_t len;
       while (list_next(&it, &item, &len))
           ...item[0..len) ...

   Items are not trimmed and may be empty ("a,,b" gives "a", "", "b"); the
   walk ends when the rest of the string is empty, so a trailing separator
   adds no empty item ("a," gives just "a") and "" gives nothing. */
#ifndef LIB_LIST_H
#define LIB_LIST_H
#include <stdbool.h>
#include <stddef.h>

struct list_iter {
    const char *p;      /* the rest of the list; NULL or "" when done */
    char sep;
};

static inline struct list_iter list_split(const char *s, char sep)
{
    struct list_iter it = { s, sep };
    return it;
}

/* The next item in *item (not NUL-terminated) and *len; false at the end. */
bool list_next(struct list_iter *it, const char **item, size_t *len);

#endif
