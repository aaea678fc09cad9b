/* see fmt.h */
#include "lib/fmt.h"
#include <stdint.h>
#include <stdbool.h>

struct spec {
    bool left, zero, plus;
    int width;
    int prec;          /* -1: none */
};

static size_t emit_pad(fmt_sink_fn sink, void *ctx, char c, int n)
{
    size_t k = 0;
    for (; n > 0; n--, k++)
        sink(c, ctx);
    return k;
}

/* Emits digits (already reversed in tmp) with sign/prefix, width and precision. */
static size_t emit_number(fmt_sink_fn sink, void *ctx, const struct spec *sp,
                          uint64_t v, unsigned base, bool upper, bool neg,
                          const char *prefix)
{
    char tmp[24];
    int nd = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (v == 0 && sp->prec != 0)
        tmp[nd++] = '0';
    while (v) {
        tmp[nd++] = digits[v % base];
        v /= base;
    }
    int zeros = sp->prec > nd ? sp->prec - nd : 0;
    char sign = neg ? '-' : (sp->plus ? '+' : 0);
    int plen = (int)(prefix ? __builtin_strlen(prefix) : 0) + (sign ? 1 : 0);
    int body = nd + zeros + plen;
    int pad = sp->width > body ? sp->width - body : 0;
    size_t n = 0;
    bool zero_pad = sp->zero && !sp->left && sp->prec < 0;
    if (!sp->left && !zero_pad)
        n += emit_pad(sink, ctx, ' ', pad);
    if (sign) {
        sink(sign, ctx);
        n++;
    }
    for (const char *p = prefix; p && *p; p++, n++)
        sink(*p, ctx);
    if (zero_pad)
        n += emit_pad(sink, ctx, '0', pad);
    n += emit_pad(sink, ctx, '0', zeros);
    while (nd)
        sink(tmp[--nd], ctx), n++;
    if (sp->left)
        n += emit_pad(sink, ctx, ' ', pad);
    return n;
}

size_t fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
    size_t n = 0;
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            sink(*f, ctx);
            n++;
            continue;
        }
        f++;
        struct spec sp = { false, false, false, 0, -1 };
        for (;; f++) {
            if (*f == '-') sp.left = true;
            else if (*f == '0') sp.zero = true;
            else if (*f == '+') sp.plus = true;
            else break;
        }
        if (*f == '*') {
            sp.width = va_arg(args, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                sp.width = sp.width * 10 + (*f++ - '0');
        }
        if (*f == '.') {
            f++;
            sp.prec = 0;
            if (*f == '*') {
                sp.prec = va_arg(args, int);
                if (sp.prec < 0)
                    sp.prec = -1;
                f++;
            } else {
                while (*f >= '0' && *f <= '9')
                    sp.prec = sp.prec * 10 + (*f++ - '0');
            }
        }
        int lng = 0;   /* 0 int, 1 long, 2 long long, 3 size_t */
        if (*f == 'l') {
            lng = 1;
            f++;
            if (*f == 'l') {
                lng = 2;
                f++;
            }
        } else if (*f == 'z') {
            lng = 3;
            f++;
        } else if (*f == 'h') {
            f++;
            if (*f == 'h')
                f++;
        }
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v;
            if (lng == 0) v = va_arg(args, int);
            else if (lng == 1) v = va_arg(args, long);
            else if (lng == 2) v = va_arg(args, long long);
            else v = (int64_t)va_arg(args, size_t);
            bool neg = v < 0;
            uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            n += emit_number(sink, ctx, &sp, u, 10, false, neg, NULL);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            if (lng == 0) v = va_arg(args, unsigned);
            else if (lng == 1) v = va_arg(args, unsigned long);
            else if (lng == 2) v = va_arg(args, unsigned long long);
            else v = va_arg(args, size_t);
            unsigned base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
            sp.plus = false;
            n += emit_number(sink, ctx, &sp, v, base, *f == 'X', false, NULL);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(args, void *);
            sp.plus = false;
            n += emit_number(sink, ctx, &sp, v, 16, false, false, "0x");
            break;
        }
        case 'c': {
            char c = (char)va_arg(args, int);
            int pad = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left)
                n += emit_pad(sink, ctx, ' ', pad);
            sink(c, ctx);
            n++;
            if (sp.left)
                n += emit_pad(sink, ctx, ' ', pad);
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len] && (sp.prec < 0 || len < sp.prec))
                len++;
            int pad = sp.width > len ? sp.width - len : 0;
            if (!sp.left)
                n += emit_pad(sink, ctx, ' ', pad);
            for (int i = 0; i < len; i++)
                sink(s[i], ctx);
            n += (size_t)len;
            if (sp.left)
                n += emit_pad(sink, ctx, ' ', pad);
            break;
        }
        case '%':
            sink('%', ctx);
            n++;
            break;
        case '\0':
            f--;   /* lone '%' at the end: stop */
            break;
        default:   /* unknown conversion: print it verbatim */
            sink('%', ctx);
            sink(*f, ctx);
            n += 2;
            break;
        }
    }
    va_end(args);
    return n;
}

struct buf_sink {
    char *buf;
    size_t cap, len;
};

static void buf_put(char c, void *ctx)
{
    struct buf_sink *b = ctx;
    if (b->len + 1 < b->cap)
        b->buf[b->len] = c;
    b->len++;
}

size_t fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, n, 0 };
    size_t len = fmt_format(buf_put, &b, fmt, ap);
    if (n > 0)
        buf[len < n ? len : n - 1] = '\0';
    return len;
}

size_t fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t r = fmt_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

void fmt_hex(const void *d, size_t n, char *out)
{
    static const char x[] = "0123456789abcdef";
    const unsigned char *b = d;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = x[b[i] >> 4];
        out[2 * i + 1] = x[b[i] & 15];
    }
    out[2 * n] = 0;
}
