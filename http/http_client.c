/* HTTP/1.1 exchanges over a byte stream (see http_client.h). */
#include "http/http_client.h"
#include "http/http.h"
#include <string.h>

const char *http_client_err_str(enum http_client_err e)
{
    switch (e) {
    case HTTPC_OK: return "ok";
    case HTTPC_ERR_WRITE: return "write_failed";
    case HTTPC_ERR_READ: return "read_failed";
    case HTTPC_ERR_CLOSED: return "connection_closed";
    case HTTPC_ERR_RESPONSE: return "bad_response";
    case HTTPC_ERR_NOT_REUSABLE: return "connection_not_reusable";
    case HTTPC_ERR_TRUNCATED: return "truncated";
    case HTTPC_ERR_BAD_BUFFER: return "bad_buffer";
    }
    return "unknown";
}

enum http_client_err http_client_init(struct http_client *c, const struct byte_stream *s,
                                      uint8_t *buf, size_t cap)
{
    memset(c, 0, sizeof *c);
    c->s = *s;
    if (!buf || cap < HTTP_CLIENT_BUF_MIN) {
        c->broken = true;
        return HTTPC_ERR_BAD_BUFFER;
    }
    c->buf = buf;
    c->cap = cap;
    return HTTPC_OK;
}

void http_client_mark_closed(struct http_client *c) { c->broken = true; }

enum http_client_err http_client_exchange(struct http_client *c, const uint8_t *req, size_t len,
                                          const struct http_sink *sink)
{
    if (c->broken || c->eof)
        return HTTPC_ERR_NOT_REUSABLE;
    for (size_t o = 0; o < len;) {
        long w = c->s.write(c->s.ctx, req + o, len - o);
        if (w <= 0 || (size_t)w > len - o) {
            c->broken = true;
            return HTTPC_ERR_WRITE;
        }
        o += (size_t)w;
        c->bytes_out += (uint64_t)w;
    }
    bool any = false;
    for (;;) {
        /* buffered bytes first (left over from a previous response) */
        while (c->len > 0 && !sink->done(sink->ctx)) {
            size_t used = 0;
            int e = sink->feed(sink->ctx, c->buf + c->off, c->len, &used);
            if (used > c->len)
                used = c->len;
            any = any || used > 0;
            c->off += used;
            c->len -= used;
            if (e) {
                c->broken = true;
                return HTTPC_ERR_RESPONSE;
            }
            if (used == 0 && !sink->done(sink->ctx)) {
                c->broken = true; /* a sink that takes nothing must be done */
                return HTTPC_ERR_RESPONSE;
            }
        }
        if (sink->done(sink->ctx)) {
            c->exchanges++;
            return HTTPC_OK;
        }
        c->off = 0;
        long r = c->s.read(c->s.ctx, c->buf, c->cap);
        if (r == HTTP_STREAM_END_UNAUTHENTICATED) {
            c->eof = true;
            c->broken = true;
            /* nothing arrived: the idle connection was dropped, no data lost */
            if (!any && c->len == 0)
                return HTTPC_ERR_CLOSED;
            return HTTPC_ERR_TRUNCATED;
        }
        if (r < 0 || (size_t)r > c->cap) {
            c->broken = true;
            return HTTPC_ERR_READ;
        }
        if (r == 0) {
            c->eof = true;
            if (!any && c->len == 0)
                return HTTPC_ERR_CLOSED;
            if (sink->eof(sink->ctx)) {
                c->broken = true;
                return HTTPC_ERR_RESPONSE;
            }
            c->exchanges++;
            return HTTPC_OK;
        }
        c->len = (size_t)r;
        c->bytes_in += (uint64_t)r;
    }
}

static int resp_feed(void *ctx, const uint8_t *p, size_t n, size_t *used)
{
    return (int)http_resp_feed(ctx, p, n, used);
}
static int resp_eof(void *ctx) { return (int)http_resp_eof(ctx); }
static bool resp_done(void *ctx) { return http_resp_done(ctx); }

void http_sink_for_resp(struct http_sink *sink, struct http_resp *r)
{
    sink->ctx = r;
    sink->feed = resp_feed;
    sink->eof = resp_eof;
    sink->done = resp_done;
}
