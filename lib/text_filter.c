/* see text_filter.h. UTF-8 well-formedness per Unicode 15, table 3-7. */
#include "lib/text_filter.h"
#include <string.h>

void text_filter_init(struct text_filter *f, enum text_filter_mode mode, const char *prefix,
                      bool at_line_start, text_filter_out_fn out, void *ctx)
{
    memset(f, 0, sizeof *f);
    f->out = out;
    f->ctx = ctx;
    f->prefix = prefix ? prefix : "";
    f->mode = mode;
    f->bol = at_line_start;
}

/* One unit of output; the prefix first when it starts a line. */
static void emit(struct text_filter *f, const char *p, size_t n)
{
    if (f->bol && f->mode == TEXT_FILTER_LINES && f->prefix[0])
        f->out(f->ctx, f->prefix, strlen(f->prefix));
    f->bol = false;
    f->out(f->ctx, p, n);
}

static void emit_escaped(struct text_filter *f, uint8_t b)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = {'\\', 'x', hex[b >> 4], hex[b & 15]};
    emit(f, e, 4);
}

/* The bytes of an unfinished sequence, each escaped. */
static void flush_bad(struct text_filter *f)
{
    for (uint8_t i = 0; i < f->have; i++)
        emit_escaped(f, f->seq[i]);
    f->have = f->need = 0;
}

/* Bytes a sequence with this lead byte takes (0: not a lead byte). */
static uint8_t seq_len(uint8_t b)
{
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef)
        return 3;
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    return 0;
}

/* Whether b may follow the bytes of f->seq so far. */
static bool continues(const struct text_filter *f, uint8_t b)
{
    uint8_t lo = 0x80, hi = 0xbf;
    if (f->have == 1) {          /* the second byte rules out overlongs,
                                    surrogates and code points > U+10FFFF */
        switch (f->seq[0]) {
        case 0xe0: lo = 0xa0; break;
        case 0xed: hi = 0x9f; break;
        case 0xf0: lo = 0x90; break;
        case 0xf4: hi = 0x8f; break;
        default: break;
        }
    }
    return b >= lo && b <= hi;
}

static void put_byte(struct text_filter *f, uint8_t b)
{
    if (f->need) {
        if (continues(f, b)) {
            f->seq[f->have++] = b;
            if (f->have == f->need) {
                /* U+0080..U+009F are the C1 controls (0x9b: CSI) */
                if (f->seq[0] == 0xc2 && f->seq[1] <= 0x9f)
                    flush_bad(f);
                else
                    emit(f, (const char *)f->seq, f->have);
                f->have = f->need = 0;
            }
            return;
        }
        flush_bad(f);            /* then b starts afresh */
    }
    if (b == '\n' && f->mode == TEXT_FILTER_LINES) {
        f->out(f->ctx, "\n", 1);
        f->bol = true;
    } else if (b == '\t' || (b >= 0x20 && b < 0x7f)) {
        char c = (char)b;
        emit(f, &c, 1);
    } else if (b < 0x80 || !seq_len(b)) {
        emit_escaped(f, b);      /* controls, DEL, invalid lead bytes */
    } else {
        f->seq[0] = b;
        f->have = 1;
        f->need = seq_len(b);
    }
}

void text_filter_write(struct text_filter *f, const void *p, size_t n)
{
    const uint8_t *s = p;
    for (size_t i = 0; i < n; i++)
        put_byte(f, s[i]);
}

bool text_filter_end(struct text_filter *f)
{
    flush_bad(f);
    return f->bol;
}

struct field_buf {
    char  *dst;
    size_t cap, len;
    bool   full;
};

static void field_out(void *ctx, const char *p, size_t n)
{
    struct field_buf *b = ctx;
    if (b->full || n > b->cap - 1 - b->len) {
        b->full = true;
        return;
    }
    memcpy(b->dst + b->len, p, n);
    b->len += n;
}

size_t text_filter_field(char *dst, size_t cap, const void *src, size_t n)
{
    if (cap == 0)
        return 0;
    struct field_buf b = {dst, cap, 0, false};
    struct text_filter f;
    text_filter_init(&f, TEXT_FILTER_FIELD, NULL, false, field_out, &b);
    text_filter_write(&f, src, n);
    text_filter_end(&f);
    dst[b.len] = 0;
    return b.len;
}
