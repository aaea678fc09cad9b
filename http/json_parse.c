/* JSON validator/tokenizer (see json.h). Grammar: RFC 8259 §2-§8. */
#include "http/json.h"
#include "lib/ascii.h"
#include <string.h>

const char *json_err_str(enum json_err e)
{
    switch (e) {
    case JSON_OK: return "ok";
    case JSON_ERR_EMPTY: return "json_empty";
    case JSON_ERR_UNEXPECTED_CHAR: return "json_unexpected_char";
    case JSON_ERR_UNEXPECTED_END: return "json_unexpected_end";
    case JSON_ERR_TRAILING_DATA: return "json_trailing_data";
    case JSON_ERR_BAD_LITERAL: return "json_bad_literal";
    case JSON_ERR_BAD_NUMBER: return "json_bad_number";
    case JSON_ERR_BAD_ESCAPE: return "json_bad_escape";
    case JSON_ERR_BAD_UNICODE_ESCAPE: return "json_bad_unicode_escape";
    case JSON_ERR_LONE_SURROGATE: return "json_lone_surrogate";
    case JSON_ERR_CONTROL_CHAR: return "json_control_char";
    case JSON_ERR_BAD_UTF8: return "json_bad_utf8";
    case JSON_ERR_TOO_DEEP: return "json_too_deep";
    case JSON_ERR_TOO_MANY_TOKENS: return "json_too_many_tokens";
    case JSON_ERR_BUFFER_TOO_SMALL: return "json_buffer_too_small";
    case JSON_ERR_NOT_FOUND: return "json_not_found";
    case JSON_ERR_WRONG_TYPE: return "json_wrong_type";
    case JSON_ERR_BAD_PATH: return "json_bad_path";
    case JSON_ERR_UNBALANCED: return "json_unbalanced";
    }
    return "json_unknown";
}

/* Length of the UTF-8 sequence at s (n bytes available), 0 when invalid
   (RFC 3629 §4 table: no overlongs, no surrogates, max U+10FFFF). */
static size_t utf8_seq(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

bool json_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t l = utf8_seq(s + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

struct parser {
    const char *s;
    size_t n, i;
    struct json_tok *t;
    size_t cap, nt;
    int depth;
};

static void ws(struct parser *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->i++;
    }
}

static int new_tok(struct parser *p, enum json_type type, size_t start)
{
    if (p->nt >= p->cap)
        return -1;
    struct json_tok *t = &p->t[p->nt];
    t->type = (uint8_t)type;
    t->start = (uint32_t)start;
    t->end = (uint32_t)start;
    t->count = 0;
    t->next = (uint32_t)p->nt + 1;
    return (int)p->nt++;
}

/* Reads the 4 hex digits of \uXXXX whose backslash is at s[i]:
   the code unit, or -1 when the text ends first, -2 on a non-hex digit. */
static int read_u(const struct parser *p, size_t i)
{
    int v = 0;
    for (size_t k = 2; k < 6; k++) {
        if (i + k >= p->n)
            return -1;
        int d = ascii_hex_val(p->s[i + k]);
        if (d < 0)
            return -2;
        v = v * 16 + d;
    }
    return v;
}

static enum json_err string(struct parser *p)
{
    p->i++; /* opening quote */
    int t = new_tok(p, JSON_STRING, p->i);
    if (t < 0)
        return JSON_ERR_TOO_MANY_TOKENS;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->t[t].end = (uint32_t)p->i;
            p->i++;
            return JSON_OK;
        }
        if (c == '\\') {
            if (p->i + 1 >= p->n)
                return JSON_ERR_UNEXPECTED_END;
            char e = p->s[p->i + 1];
            if (strchr("\"\\/bfnrt", e) && e) {
                p->i += 2;
                continue;
            }
            if (e != 'u')
                return JSON_ERR_BAD_ESCAPE;
            int u = read_u(p, p->i);
            if (u < 0)
                return u == -1 ? JSON_ERR_UNEXPECTED_END : JSON_ERR_BAD_UNICODE_ESCAPE;
            p->i += 6;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return JSON_ERR_LONE_SURROGATE;
            if (u >= 0xD800 && u <= 0xDBFF) {
                /* RFC 8259 §7: a high surrogate must be followed by \u low */
                if (p->i >= p->n || (p->s[p->i] == '\\' && p->i + 1 >= p->n))
                    return JSON_ERR_UNEXPECTED_END;
                if (p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
                    return JSON_ERR_LONE_SURROGATE;
                int lo = read_u(p, p->i);
                if (lo < 0)
                    return lo == -1 ? JSON_ERR_UNEXPECTED_END : JSON_ERR_BAD_UNICODE_ESCAPE;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return JSON_ERR_LONE_SURROGATE;
                p->i += 6;
            }
            continue;
        }
        if (c < 0x20)
            return JSON_ERR_CONTROL_CHAR;
        if (c >= 0x80) {
            size_t l = utf8_seq((const uint8_t *)p->s + p->i, p->n - p->i);
            if (!l)
                return JSON_ERR_BAD_UTF8;
            p->i += l;
            continue;
        }
        p->i++;
    }
    return JSON_ERR_UNEXPECTED_END;
}

static bool digit(const struct parser *p)
{
    return p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9';
}

static enum json_err number(struct parser *p)
{
    int t = new_tok(p, JSON_NUMBER, p->i);
    if (t < 0)
        return JSON_ERR_TOO_MANY_TOKENS;
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n)
        return JSON_ERR_UNEXPECTED_END;
    if (p->s[p->i] == '0') {
        p->i++;
        if (digit(p))
            return JSON_ERR_BAD_NUMBER; /* leading zero */
    } else if (digit(p)) {
        while (digit(p))
            p->i++;
    } else
        return JSON_ERR_BAD_NUMBER;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (p->i >= p->n)
            return JSON_ERR_UNEXPECTED_END;
        if (!digit(p))
            return JSON_ERR_BAD_NUMBER;
        while (digit(p))
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (p->i >= p->n)
            return JSON_ERR_UNEXPECTED_END;
        if (!digit(p))
            return JSON_ERR_BAD_NUMBER;
        while (digit(p))
            p->i++;
    }
    p->t[t].end = (uint32_t)p->i;
    return JSON_OK;
}

static enum json_err literal(struct parser *p, const char *word, enum json_type type)
{
    size_t wl = strlen(word);
    for (size_t k = 0; k < wl; k++) {
        if (p->i + k >= p->n)
            return JSON_ERR_UNEXPECTED_END;
        if (p->s[p->i + k] != word[k])
            return JSON_ERR_BAD_LITERAL;
    }
    int t = new_tok(p, type, p->i);
    if (t < 0)
        return JSON_ERR_TOO_MANY_TOKENS;
    p->i += wl;
    p->t[t].end = (uint32_t)p->i;
    return JSON_OK;
}

static enum json_err value(struct parser *p);

static enum json_err container(struct parser *p, bool obj)
{
    if (p->depth >= JSON_MAX_DEPTH)
        return JSON_ERR_TOO_DEEP;
    int t = new_tok(p, obj ? JSON_OBJECT : JSON_ARRAY, p->i);
    if (t < 0)
        return JSON_ERR_TOO_MANY_TOKENS;
    char close = obj ? '}' : ']';
    p->i++;
    p->depth++;
    ws(p);
    if (p->i >= p->n)
        return JSON_ERR_UNEXPECTED_END;
    if (p->s[p->i] == close) {
        p->i++;
    } else {
        for (;;) {
            enum json_err e;
            if (obj) {
                ws(p);
                if (p->i >= p->n)
                    return JSON_ERR_UNEXPECTED_END;
                if (p->s[p->i] != '"')
                    return JSON_ERR_UNEXPECTED_CHAR;
                if ((e = string(p)))
                    return e;
                ws(p);
                if (p->i >= p->n)
                    return JSON_ERR_UNEXPECTED_END;
                if (p->s[p->i] != ':')
                    return JSON_ERR_UNEXPECTED_CHAR;
                p->i++;
            }
            if ((e = value(p)))
                return e;
            p->t[t].count++;
            ws(p);
            if (p->i >= p->n)
                return JSON_ERR_UNEXPECTED_END;
            char c = p->s[p->i++];
            if (c == close)
                break;
            if (c != ',')
                return JSON_ERR_UNEXPECTED_CHAR;
        }
    }
    p->depth--;
    p->t[t].end = (uint32_t)p->i;
    p->t[t].next = (uint32_t)p->nt;
    return JSON_OK;
}

static enum json_err value(struct parser *p)
{
    ws(p);
    if (p->i >= p->n)
        return JSON_ERR_UNEXPECTED_END;
    char c = p->s[p->i];
    switch (c) {
    case '{': return container(p, true);
    case '[': return container(p, false);
    case '"': return string(p);
    case 't': return literal(p, "true", JSON_TRUE);
    case 'f': return literal(p, "false", JSON_FALSE);
    case 'n': return literal(p, "null", JSON_NULL);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(p);
        return JSON_ERR_UNEXPECTED_CHAR;
    }
}

enum json_err json_parse(struct json_doc *d, const char *text, size_t len,
                         struct json_tok *toks, size_t cap, size_t *err_offset)
{
    struct parser p = {text, len, 0, toks, cap, 0, 0};
    d->text = text;
    d->len = len;
    d->tok = toks;
    d->ntok = 0;
    enum json_err e = JSON_OK;
    if (len > 0xFFFFFFF0u)
        e = JSON_ERR_TOO_MANY_TOKENS;
    else {
        ws(&p);
        if (p.i >= len)
            e = JSON_ERR_EMPTY;
        else if ((e = value(&p)) == JSON_OK) {
            ws(&p);
            if (p.i < len)
                e = JSON_ERR_TRAILING_DATA;
        }
    }
    if (err_offset)
        *err_offset = e ? p.i : 0;
    if (e == JSON_OK)
        d->ntok = p.nt;
    return e;
}
