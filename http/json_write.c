/* JSON writer (see json.h). RFC 8259 §7 string escaping. */
#include "http/json.h"
#include "lib/fmt.h"
#include <string.h>

void json_w_init(struct json_w *w, char *buf, size_t cap)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->cap = cap;
    if (cap)
        buf[0] = 0;
}

static void raw(struct json_w *w, const char *s, size_t n)
{
    if (w->err)
        return;
    /* keep one byte for the terminating NUL */
    if (w->cap == 0 || n > w->cap - 1 - w->len) {
        w->err = JSON_ERR_BUFFER_TOO_SMALL;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

/* Separator before a value or key at the current level. */
static void sep(struct json_w *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth - 1])
            raw(w, ",", 1);
        w->first[w->depth - 1] = false;
    }
}

static void open(struct json_w *w, char c)
{
    sep(w);
    if (w->depth >= JSON_MAX_DEPTH) {
        if (!w->err)
            w->err = JSON_ERR_TOO_DEEP;
        return;
    }
    raw(w, &c, 1);
    w->first[w->depth++] = true;
}

static void close_(struct json_w *w, char c)
{
    if (w->depth == 0 || w->after_key) {
        if (!w->err)
            w->err = JSON_ERR_UNBALANCED;
        return;
    }
    w->depth--;
    raw(w, &c, 1);
}

void json_w_obj_begin(struct json_w *w) { open(w, '{'); }
void json_w_obj_end(struct json_w *w) { close_(w, '}'); }
void json_w_arr_begin(struct json_w *w) { open(w, '['); }
void json_w_arr_end(struct json_w *w) { close_(w, ']'); }

static void string(struct json_w *w, const char *s, size_t n)
{
    if (!json_utf8_valid((const uint8_t *)s, n)) {
        if (!w->err)
            w->err = JSON_ERR_BAD_UTF8;
        return;
    }
    raw(w, "\"", 1);
    size_t run = 0; /* bytes copied verbatim in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fmt_snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            } else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f) {
                /* a C1 control U+0080..U+009F (valid UTF-8: the next byte is
                   a continuation byte): escaped too, so the text carries no
                   terminal control in any form */
                fmt_snprintf(u, sizeof u, "\\u%04x", (unsigned char)s[i + 1]);
                esc = u;
            }
        }
        if (esc) {
            raw(w, s + i - run, run);
            run = 0;
            raw(w, esc, strlen(esc));
            if (c == 0xc2)
                i++;                            /* the C1 control's second byte */
        } else {
            run++;
        }
    }
    raw(w, s + n - run, run);
    raw(w, "\"", 1);
}

void json_w_key(struct json_w *w, const char *key)
{
    if (w->depth == 0 || w->after_key) {
        if (!w->err)
            w->err = JSON_ERR_UNBALANCED;
        return;
    }
    sep(w);
    string(w, key, strlen(key));
    raw(w, ":", 1);
    w->after_key = true;
}

void json_w_strn(struct json_w *w, const char *s, size_t n)
{
    sep(w);
    string(w, s, n);
}

void json_w_str(struct json_w *w, const char *s) { json_w_strn(w, s, strlen(s)); }

void json_w_int(struct json_w *w, int64_t v)
{
    char b[24];
    sep(w);
    fmt_snprintf(b, sizeof b, "%lld", (long long)v);
    raw(w, b, strlen(b));
}

void json_w_bool(struct json_w *w, bool v)
{
    sep(w);
    raw(w, v ? "true" : "false", v ? 4 : 5);
}

void json_w_null(struct json_w *w)
{
    sep(w);
    raw(w, "null", 4);
}

void json_w_raw(struct json_w *w, const char *text, size_t n)
{
    sep(w);
    raw(w, text, n);
}

enum json_err json_w_finish(struct json_w *w, size_t *len)
{
    if (!w->err && (w->depth != 0 || w->after_key))
        w->err = JSON_ERR_UNBALANCED;
    if (len)
        *len = w->err ? 0 : w->len;
    return w->err;
}
