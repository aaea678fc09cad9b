/* JSON token navigation and string decoding (see json.h). */
#include "http/json.h"
#include "lib/ascii.h"
#include <string.h>

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++)
        v = v * 16 + (unsigned)ascii_hex_val(s[k]);
    return v;
}

/* The parser already validated the string, so decoding cannot meet a bad
   escape; only the output size is checked here. */
enum json_err json_str_decode(const struct json_doc *d, int t, char *out, size_t cap,
                              size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (t < 0 || (size_t)t >= d->ntok)
        return JSON_ERR_NOT_FOUND;
    const struct json_tok *k = &d->tok[t];
    if (k->type != JSON_STRING)
        return JSON_ERR_WRONG_TYPE;
    const char *s = d->text;
    size_t o = 0;
    for (size_t i = k->start; i < k->end;) {
        char tmp[4];
        size_t tl = 0;
        if (s[i] != '\\') {
            tmp[0] = s[i++];
            tl = 1;
        } else {
            char e = s[i + 1];
            i += 2;
            switch (e) {
            case 'b': tmp[0] = '\b'; tl = 1; break;
            case 'f': tmp[0] = '\f'; tl = 1; break;
            case 'n': tmp[0] = '\n'; tl = 1; break;
            case 'r': tmp[0] = '\r'; tl = 1; break;
            case 't': tmp[0] = '\t'; tl = 1; break;
            case 'u': {
                uint32_t cp = hex4(s + i);
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t lo = hex4(s + i + 2);
                    i += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                if (cp < 0x80) {
                    tmp[0] = (char)cp;
                    tl = 1;
                } else if (cp < 0x800) {
                    tmp[0] = (char)(0xC0 | (cp >> 6));
                    tmp[1] = (char)(0x80 | (cp & 0x3F));
                    tl = 2;
                } else if (cp < 0x10000) {
                    tmp[0] = (char)(0xE0 | (cp >> 12));
                    tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    tmp[2] = (char)(0x80 | (cp & 0x3F));
                    tl = 3;
                } else {
                    tmp[0] = (char)(0xF0 | (cp >> 18));
                    tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                    tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    tmp[3] = (char)(0x80 | (cp & 0x3F));
                    tl = 4;
                }
                break;
            }
            default: tmp[0] = e; tl = 1; break; /* " \ / */
            }
        }
        if (tl > cap - o || cap == 0) {
            if (out_len)
                *out_len = o;
            return JSON_ERR_BUFFER_TOO_SMALL;
        }
        memcpy(out + o, tmp, tl);
        o += tl;
    }
    if (o < cap)
        out[o] = 0;
    if (out_len)
        *out_len = o;
    return JSON_OK;
}

/* Compares the decoded key token with the NUL-free string key[0..kl). */
static bool key_eq(const struct json_doc *d, int t, const char *key, size_t kl)
{
    char buf[256];
    size_t n;
    if (kl >= sizeof buf || json_str_decode(d, t, buf, sizeof buf, &n) != JSON_OK)
        return false;
    return n == kl && memcmp(buf, key, kl) == 0;
}

static int obj_get(const struct json_doc *d, int obj, const char *key, size_t kl)
{
    if (obj < 0 || (size_t)obj >= d->ntok || d->tok[obj].type != JSON_OBJECT)
        return -1;
    int t = obj + 1;
    int found = -1;
    for (uint32_t m = 0; m < d->tok[obj].count; m++) {
        int v = t + 1;
        if (key_eq(d, t, key, kl))
            found = v; /* the last duplicate wins, like most parsers */
        t = (int)d->tok[v].next;
    }
    return found;
}

int json_obj_get(const struct json_doc *d, int obj, const char *key)
{
    return obj_get(d, obj, key, strlen(key));
}

int json_arr_get(const struct json_doc *d, int arr, size_t idx)
{
    if (arr < 0 || (size_t)arr >= d->ntok || d->tok[arr].type != JSON_ARRAY ||
        idx >= d->tok[arr].count)
        return -1;
    int t = arr + 1;
    for (size_t k = 0; k < idx; k++)
        t = (int)d->tok[t].next;
    return t;
}

int json_path(const struct json_doc *d, int from, const char *path, enum json_err *err)
{
    enum json_err dummy;
    if (!err)
        err = &dummy;
    *err = JSON_OK;
    int t = from;
    if (t < 0 || (size_t)t >= d->ntok) {
        *err = JSON_ERR_NOT_FOUND;
        return -1;
    }
    const char *p = path;
    bool first = true;
    while (*p) {
        if (*p == '[') {
            p++;
            if (*p < '0' || *p > '9') {
                *err = JSON_ERR_BAD_PATH;
                return -1;
            }
            size_t idx = 0;
            while (*p >= '0' && *p <= '9') {
                if (idx > 100000000) {
                    *err = JSON_ERR_BAD_PATH;
                    return -1;
                }
                idx = idx * 10 + (size_t)(*p++ - '0');
            }
            if (*p++ != ']') {
                *err = JSON_ERR_BAD_PATH;
                return -1;
            }
            if (d->tok[t].type != JSON_ARRAY) {
                *err = JSON_ERR_WRONG_TYPE;
                return -1;
            }
            t = json_arr_get(d, t, idx);
        } else {
            if (*p == '.') {
                if (first) {
                    *err = JSON_ERR_BAD_PATH;
                    return -1;
                }
                p++;
            }
            size_t kl = 0;
            while (p[kl] && p[kl] != '.' && p[kl] != '[')
                kl++;
            if (kl == 0) {
                *err = JSON_ERR_BAD_PATH;
                return -1;
            }
            if (d->tok[t].type != JSON_OBJECT) {
                *err = JSON_ERR_WRONG_TYPE;
                return -1;
            }
            t = obj_get(d, t, p, kl);
            p += kl;
        }
        first = false;
        if (t < 0) {
            *err = JSON_ERR_NOT_FOUND;
            return -1;
        }
    }
    return t;
}

enum json_err json_int(const struct json_doc *d, int t, int64_t *out)
{
    if (t < 0 || (size_t)t >= d->ntok)
        return JSON_ERR_NOT_FOUND;
    const struct json_tok *k = &d->tok[t];
    if (k->type != JSON_NUMBER)
        return JSON_ERR_WRONG_TYPE;
    const char *s = d->text + k->start;
    size_t n = k->end - k->start, i = 0;
    bool neg = false;
    if (s[0] == '-')
        neg = true, i = 1;
    uint64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return JSON_ERR_WRONG_TYPE; /* fraction or exponent */
        if (v > ((uint64_t)INT64_MAX + 1 - (uint64_t)(s[i] - '0')) / 10)
            return JSON_ERR_BAD_NUMBER;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (!neg && v > (uint64_t)INT64_MAX)
        return JSON_ERR_BAD_NUMBER;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return JSON_OK;
}
