/* Boot command-line parser: words separated by spaces, each `key=value` or a
   bare `flag`. Quotes (single or double) may appear anywhere in a word and
   group spaces: `prompt="hello world"` and `"prompt=hello world"` are the
   same. Inside double quotes a backslash escapes the next character. Values
   may also be %-encoded (%20); cmdline_get returns them raw and
   cmdline_pct_decode decodes in place. Pure code: built for the host tests. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H
#include <stddef.h>
#include <stdbool.h>

#define CMDLINE_MAX_LEN  4096
#define CMDLINE_MAX_ARGS 64

enum cmdline_err {
    CMDLINE_OK = 0,
    CMDLINE_ERR_TOO_LONG,
    CMDLINE_ERR_TOO_MANY,
    CMDLINE_ERR_UNTERMINATED_QUOTE,
    CMDLINE_ERR_EMPTY_KEY,
};

struct cmdline {
    char buf[CMDLINE_MAX_LEN];
    int n;
    const char *key[CMDLINE_MAX_ARGS];
    const char *val[CMDLINE_MAX_ARGS];   /* "" for a bare flag */
    size_t raw_off[CMDLINE_MAX_ARGS];    /* word i's bytes in the parsed line */
    size_t raw_len[CMDLINE_MAX_ARGS];
};

enum cmdline_err cmdline_parse(struct cmdline *c, const char *line);
const char *cmdline_err_str(enum cmdline_err e);
/* Secrets (the API key) on the command line. cmdline_redact_key rewrites
   every word of key in line, the text c was parsed from, as `key=*` (the
   rest of line moves up, the freed tail is zeroed) and keeps c's spans in
   step; c's decoded values stay. cmdline_wipe_key zeroes the decoded
   values in c (they read "" afterwards). Both wipe with crypto_zeroize,
   which the compiler cannot drop, and return the number of words. */
int cmdline_redact_key(struct cmdline *c, char *line, const char *key);
int cmdline_wipe_key(struct cmdline *c, const char *key);
/* Value of the last occurrence of key, or NULL when absent. */
const char *cmdline_get(const struct cmdline *c, const char *key);
/* Integer value (decimal or 0x hex) or def when absent or malformed. */
long cmdline_get_int(const struct cmdline *c, const char *key, long def);
/* Strict integer: optional '-', decimal or 0x hex digits, no overflow;
   false on anything else (an empty or NULL string included). */
bool cmdline_parse_long(const char *v, long *out);
/* Decodes %XX sequences (and '+' is kept as is) in place; returns false on a
   malformed escape (the string is then left unchanged). */
bool cmdline_pct_decode(char *s);

#endif
