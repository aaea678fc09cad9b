/* see line_edit.h */
#include "app/line_edit.h"
#include <string.h>

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

void line_edit_init(struct line_edit *e, line_edit_echo_fn echo, void *ctx)
{
    memset(e, 0, sizeof *e);
    e->echo = echo;
    e->ctx = ctx;
}

static void echo(struct line_edit *e, const char *s, size_t n)
{
    if (e->echo)
        e->echo(e->ctx, s, n);
}

/* Removes the last character of the line; false when it is empty. */
static bool rub_out(struct line_edit *e)
{
    if (e->len == 0)
        return false;
    do
        e->len--;
    while (e->len > 0 && ((uint8_t)e->buf[e->len] & 0xc0) == 0x80);
    echo(e, "\b \b", 3);
    return true;
}

/* Bytes of the character a lead byte starts (0: not a lead byte). */
static size_t lead_len(uint8_t c)
{
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef)
        return 3;
    if (c >= 0xf0 && c <= 0xf4)
        return 4;
    return 0;
}

/* The second byte's range, which rules out overlong forms, surrogates and
   code points above U+10FFFF (RFC 3629). */
static bool second_ok(uint8_t lead, uint8_t c)
{
    uint8_t lo = 0x80, hi = 0xbf;
    if (lead == 0xe0)
        lo = 0xa0;
    else if (lead == 0xed)
        hi = 0x9f;
    else if (lead == 0xf0)
        lo = 0x90;
    else if (lead == 0xf4)
        hi = 0x8f;
    return c >= lo && c <= hi;
}

static void append(struct line_edit *e, const uint8_t *p, size_t n)
{
    if (e->len + n > LINE_EDIT_MAX)
        return;                         /* full: the character is dropped whole */
    memcpy(e->buf + e->len, p, n);
    e->len += n;
    echo(e, (const char *)p, n);
}

/* A byte inside an escape sequence; true when it was one. */
static bool escape_byte(struct line_edit *e, uint8_t c)
{
    switch (e->esc) {
    case ESC_START:
        e->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
        return true;
    case ESC_CSI:                       /* parameters, then a final byte */
        if (c >= 0x40 && c <= 0x7e)
            e->esc = ESC_NONE;
        else if (c < 0x20 || c > 0x3f)
            e->esc = ESC_NONE;          /* malformed: dropped all the same */
        return true;
    case ESC_SS3:
        e->esc = ESC_NONE;
        return true;
    }
    return false;
}

enum line_edit_event line_edit_feed(struct line_edit *e, uint8_t c)
{
    if (e->ended) {
        e->ended = false;
        e->len = 0;
    }
    bool after_cr = e->after_cr;
    e->after_cr = false;
    if (e->esc != ESC_NONE && escape_byte(e, c))
        return LINE_EDIT_MORE;
    if (e->part_need) {                 /* inside a character */
        bool ok = (c & 0xc0) == 0x80 && (e->part_len > 1 || second_ok(e->part[0], c));
        if (ok) {
            e->part[e->part_len++] = c;
            if (e->part_len == e->part_need) {
                e->part_need = 0;
                append(e, e->part, e->part_len);
            }
            return LINE_EDIT_MORE;
        }
        e->part_need = 0;               /* invalid: the partial character is dropped */
    }
    if (c >= 0x80) {
        size_t k = lead_len(c);
        if (k) {
            e->part[0] = c;
            e->part_len = 1;
            e->part_need = k;
        }
        return LINE_EDIT_MORE;
    }
    switch (c) {
    case '\r':
    case '\n':
        if (c == '\n' && after_cr)
            return LINE_EDIT_MORE;      /* CR LF: one end */
        e->after_cr = c == '\r';
        e->buf[e->len] = 0;
        e->ended = true;
        echo(e, "\n", 1);
        return LINE_EDIT_LINE;
    case 0x04:                          /* Ctrl-D */
        return e->len == 0 ? LINE_EDIT_EOF : LINE_EDIT_MORE;
    case 0x08:
    case 0x7f:
        rub_out(e);
        return LINE_EDIT_MORE;
    case 0x15:                          /* Ctrl-U */
        while (rub_out(e))
            ;
        return LINE_EDIT_MORE;
    case 0x1b:
        e->esc = ESC_START;
        return LINE_EDIT_MORE;
    default:
        if (c >= 0x20)
            append(e, &c, 1);
        return LINE_EDIT_MORE;
    }
}

const char *line_edit_text(const struct line_edit *e, size_t *len)
{
    if (len)
        *len = e->len;
    return e->buf;
}
