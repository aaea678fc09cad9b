/* Server-sent events parser (see sse.h). */
#include "http/sse.h"
#include <string.h>

const char *sse_err_str(enum sse_err e)
{
    switch (e) {
    case SSE_OK: return "ok";
    case SSE_ERR_LINE_TOO_LONG: return "sse_line_too_long";
    case SSE_ERR_DATA_TOO_LARGE: return "sse_data_too_large";
    case SSE_ERR_ABORTED: return "sse_aborted";
    }
    return "sse_unknown";
}

void sse_init(struct sse *s, sse_event_fn on_event, void *ctx)
{
    memset(s, 0, offsetof(struct sse, line));
    s->on_event = on_event;
    s->ctx = ctx;
    s->retry_ms = -1;
    if (s->line)
        s->line[0] = 0;
    if (s->data)
        s->data[0] = 0;
}

void sse_set_bufs(struct sse *s, char *line, size_t line_cap, char *data, size_t data_cap)
{
    s->line = line;
    s->line_cap = line ? line_cap : 0;
    s->data = data;
    s->data_cap = data ? data_cap : 0;
}

void sse_use_bufs(struct sse *s, struct sse_bufs *b)
{
    sse_set_bufs(s, b->line, sizeof b->line, b->data, sizeof b->data);
}

static void copy_field(char *dst, size_t cap, const char *v, size_t n)
{
    if (n > cap - 1)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = 0;
}

static enum sse_err dispatch(struct sse *s)
{
    enum sse_err e = SSE_OK;
    if (s->has_data) {
        size_t n = s->data_len;
        if (n > 0 && s->data[n - 1] == '\n')
            n--; /* spec: remove the last LF */
        s->data[n] = 0;
        s->events++;
        if (s->on_event &&
            !s->on_event(s->ctx, s->event[0] ? s->event : "message", s->data, n, s->id))
            e = SSE_ERR_ABORTED;
    }
    s->has_data = false;
    s->data_len = 0;
    s->event[0] = 0;
    return e;
}

static enum sse_err line_done(struct sse *s)
{
    char *l = s->line;
    size_t n = s->line_len;
    s->line_len = 0;
    if (n == 0)
        return dispatch(s);
    if (l[0] == ':')
        return SSE_OK; /* comment */
    char *colon = memchr(l, ':', n);
    size_t fl = colon ? (size_t)(colon - l) : n;
    const char *v = colon ? colon + 1 : l + n;
    size_t vl = colon ? n - fl - 1 : 0;
    if (vl > 0 && *v == ' ')
        v++, vl--;
    if (fl == 4 && memcmp(l, "data", 4) == 0) {
        if (vl + 1 > s->data_cap - 1 - s->data_len)
            return SSE_ERR_DATA_TOO_LARGE;
        memcpy(s->data + s->data_len, v, vl);
        s->data_len += vl;
        s->data[s->data_len++] = '\n';
        s->has_data = true;
    } else if (fl == 5 && memcmp(l, "event", 5) == 0) {
        copy_field(s->event, sizeof s->event, v, vl);
    } else if (fl == 2 && memcmp(l, "id", 2) == 0) {
        if (!memchr(v, 0, vl))
            copy_field(s->id, sizeof s->id, v, vl);
    } else if (fl == 5 && memcmp(l, "retry", 5) == 0) {
        long r = 0;
        size_t i = 0;
        for (; i < vl && v[i] >= '0' && v[i] <= '9' && r < 100000000; i++)
            r = r * 10 + (v[i] - '0');
        if (vl > 0 && i == vl)
            s->retry_ms = r;
    }
    /* other fields are ignored */
    return SSE_OK;
}

enum sse_err sse_feed(struct sse *s, const uint8_t *p, size_t n)
{
    static const uint8_t bom[3] = {0xEF, 0xBB, 0xBF};
    size_t i = 0;
    if (s->err)
        return s->err;
    if (s->line_cap < 3 || s->data_cap < 2)    /* no buffers: nothing fits */
        return s->err = SSE_ERR_LINE_TOO_LONG;
    while (i < n && !s->bom_checked) {
        if (p[i] == bom[s->bom_seen]) {
            i++;
            if (++s->bom_seen == 3)
                s->bom_checked = true;
        } else {
            /* not a BOM: replay the matched prefix as line bytes */
            s->bom_checked = true;
            memcpy(s->line, bom, s->bom_seen);
            s->line_len = s->bom_seen;
        }
    }
    for (; i < n; i++) {
        char c = (char)p[i];
        if (s->saw_cr) {
            s->saw_cr = false;
            if (c == '\n')
                continue; /* CRLF */
        }
        enum sse_err e = SSE_OK;
        if (c == '\r' || c == '\n') {
            s->saw_cr = c == '\r';
            e = line_done(s);
        } else if (s->line_len >= s->line_cap) {
            e = SSE_ERR_LINE_TOO_LONG;
        } else {
            s->line[s->line_len++] = c;
        }
        if (e) {
            s->err = e;
            return e;
        }
    }
    return SSE_OK;
}

enum sse_err sse_finish(struct sse *s)
{
    if (s->err)
        return s->err;
    s->has_data = false;
    s->data_len = 0;
    s->line_len = 0;
    return SSE_OK;
}
