/* see cmdline.h */
#include "kernel/cmdline.h"
#include "crypto/crypto.h"
#include <string.h>

const char *cmdline_err_str(enum cmdline_err e)
{
    switch (e) {
    case CMDLINE_OK: return "ok";
    case CMDLINE_ERR_TOO_LONG: return "too_long";
    case CMDLINE_ERR_TOO_MANY: return "too_many_args";
    case CMDLINE_ERR_UNTERMINATED_QUOTE: return "unterminated_quote";
    case CMDLINE_ERR_EMPTY_KEY: return "empty_key";
    }
    return "unknown";
}

enum cmdline_err cmdline_parse(struct cmdline *c, const char *line)
{
    c->n = 0;
    size_t out = 0;
    const char *p = line ? line : "";
    const char *base = p;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        if (c->n >= CMDLINE_MAX_ARGS)
            return CMDLINE_ERR_TOO_MANY;
        size_t start = out;
        size_t eq = (size_t)-1;
        c->raw_off[c->n] = (size_t)(p - base);
        char quote = 0;
        while (*p && (quote || (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'))) {
            char ch = *p++;
            if (quote) {
                if (ch == quote) {
                    quote = 0;
                    continue;
                }
                if (quote == '"' && ch == '\\' && *p)
                    ch = *p++;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                continue;
            }
            if (ch == '=' && eq == (size_t)-1)
                eq = out;       /* quoted or not: "k=v w" is k with "v w" */
            if (out + 2 >= CMDLINE_MAX_LEN)
                return CMDLINE_ERR_TOO_LONG;
            c->buf[out++] = ch;
        }
        if (quote)
            return CMDLINE_ERR_UNTERMINATED_QUOTE;
        if (out + 2 >= CMDLINE_MAX_LEN)
            return CMDLINE_ERR_TOO_LONG;
        c->buf[out++] = 0;
        if (eq == start)
            return CMDLINE_ERR_EMPTY_KEY;
        c->raw_len[c->n] = (size_t)(p - base) - c->raw_off[c->n];
        c->key[c->n] = &c->buf[start];
        if (eq == (size_t)-1) {
            c->val[c->n] = &c->buf[out - 1];      /* the empty string */
        } else {
            c->buf[eq] = 0;
            c->val[c->n] = &c->buf[eq + 1];
        }
        c->n++;
    }
    return CMDLINE_OK;
}

int cmdline_redact_key(struct cmdline *c, char *line, const char *key)
{
    size_t kl = strlen(key);
    int n = 0;
    /* last word first: rewriting a word moves only the words after it */
    for (int i = c->n - 1; i >= 0; i--) {
        if (strcmp(c->key[i], key))
            continue;
        n++;
        if (c->raw_len[i] < kl + 2)
            continue;            /* `key=`: nothing to hide */
        char *w = line + c->raw_off[i];
        size_t cut = c->raw_len[i] - (kl + 2);
        size_t total = strlen(line);
        memcpy(w, key, kl);
        w[kl] = '=';
        w[kl + 1] = '*';
        memmove(w + kl + 2, w + c->raw_len[i], total - (c->raw_off[i] + c->raw_len[i]) + 1);
        crypto_zeroize(line + total - cut, cut);
        for (int j = i + 1; j < c->n; j++)
            c->raw_off[j] -= cut;
        c->raw_len[i] = kl + 2;
    }
    return n;
}

int cmdline_wipe_key(struct cmdline *c, const char *key)
{
    int n = 0;
    for (int i = 0; i < c->n; i++) {
        if (strcmp(c->key[i], key))
            continue;
        /* val points into c->buf, which c owns */
        crypto_zeroize(&c->buf[c->val[i] - c->buf], strlen(c->val[i]));
        n++;
    }
    return n;
}

const char *cmdline_get(const struct cmdline *c, const char *key)
{
    for (int i = c->n - 1; i >= 0; i--)
        if (strcmp(c->key[i], key) == 0)
            return c->val[i];
    return NULL;
}

bool cmdline_parse_long(const char *v, long *out)
{
    if (!v || !*v)
        return false;
    int neg = 0;
    if (*v == '-') {
        neg = 1;
        v++;
    }
    unsigned long base = 10, r = 0;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        v += 2;
        if (!*v)
            return false;
    }
    if (!*v)
        return false;
    for (; *v; v++) {
        unsigned d;
        if (*v >= '0' && *v <= '9') d = (unsigned)(*v - '0');
        else if (base == 16 && *v >= 'a' && *v <= 'f') d = (unsigned)(*v - 'a' + 10);
        else if (base == 16 && *v >= 'A' && *v <= 'F') d = (unsigned)(*v - 'A' + 10);
        else return false;
        if (r > (0x7fffffffffffffffUL - d) / base)
            return false;
        r = r * base + d;
    }
    *out = neg ? -(long)r : (long)r;
    return true;
}

long cmdline_get_int(const struct cmdline *c, const char *key, long def)
{
    long v;
    return cmdline_parse_long(cmdline_get(c, key), &v) ? v : def;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

bool cmdline_pct_decode(char *s)
{
    for (const char *p = s; *p; p++)
        if (*p == '%' && (hexval(p[1]) < 0 || hexval(p[2]) < 0))
            return false;
    char *w = s;
    for (const char *p = s; *p; p++) {
        if (*p == '%') {
            *w++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return true;
}
