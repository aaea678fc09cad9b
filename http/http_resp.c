/* Incremental HTTP/1.1 response parser (see http.h).
   RFC 9112 §4 status line, §5 field syntax, §6.3 message body length,
   §7.1 chunked transfer coding, §9.3 persistence. */
#include "http/http.h"
#include <string.h>
#include "lib/ascii.h"

void http_resp_init(struct http_resp *r, bool head_request, http_header_fn on_header,
                    http_body_fn on_body, void *ctx)
{
    memset(r, 0, offsetof(struct http_resp, line));
    r->line[0] = 0;
    r->head_request = head_request;
    r->on_header = on_header;
    r->on_body = on_body;
    r->ctx = ctx;
    r->state = HTTP_RS_STATUS;
}

bool http_resp_headers_done(const struct http_resp *r)
{
    return r->state != HTTP_RS_STATUS && r->state != HTTP_RS_HEADERS && r->state != HTTP_RS_ERROR;
}

bool http_resp_done(const struct http_resp *r) { return r->state == HTTP_RS_DONE; }

static enum http_err fail(struct http_resp *r, enum http_err e)
{
    r->state = HTTP_RS_ERROR;
    r->err = e;
    return e;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_tchar(char c)
{
    unsigned char u = (unsigned char)c;
    if (u <= 0x20 || u >= 0x7f)
        return false;
    return !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* status-line = HTTP-version SP status-code SP [ reason-phrase ] */
static enum http_err parse_status(struct http_resp *r, char *l, size_t n)
{
    if (n < 12 || memcmp(l, "HTTP/", 5) != 0)
        return HTTP_ERR_BAD_STATUS_LINE;
    if (!is_digit(l[5]) || l[6] != '.' || !is_digit(l[7]))
        return HTTP_ERR_BAD_VERSION;
    if (l[5] != '1')
        return HTTP_ERR_BAD_VERSION;
    if (l[8] != ' ')
        return HTTP_ERR_BAD_STATUS_LINE;
    if (!is_digit(l[9]) || !is_digit(l[10]) || !is_digit(l[11]))
        return HTTP_ERR_BAD_STATUS_CODE;
    int code = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
    if (code < 100 || code > 599)
        return HTTP_ERR_BAD_STATUS_CODE;
    if (n > 12 && l[12] != ' ')
        return HTTP_ERR_BAD_STATUS_CODE;
    for (size_t i = 13; i < n; i++) {
        unsigned char c = (unsigned char)l[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return HTTP_ERR_BAD_STATUS_LINE;
    }
    r->version_minor = l[7] - '0';
    r->status = code;
    copy_trunc(r->reason, sizeof r->reason, n > 13 ? l + 13 : "");
    return HTTP_OK;
}

/* Content-Length = 1*DIGIT; a list of identical values is accepted
   (RFC 9110 §8.6). */
static enum http_err parse_content_length(struct http_resp *r, const char *v)
{
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!is_digit(*p))
            return HTTP_ERR_BAD_CONTENT_LENGTH;
        uint64_t x = 0;
        while (is_digit(*p)) {
            if (x > (UINT64_MAX - 9) / 10 || x * 10 + (uint64_t)(*p - '0') > (UINT64_MAX >> 1))
                return HTTP_ERR_BAD_CONTENT_LENGTH;
            x = x * 10 + (uint64_t)(*p++ - '0');
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (r->has_content_length && r->content_length != x)
            return HTTP_ERR_CONFLICTING_CONTENT_LENGTH;
        r->has_content_length = true;
        r->content_length = x;
        if (*p == 0)
            return HTTP_OK;
        if (*p != ',')
            return HTTP_ERR_BAD_CONTENT_LENGTH;
        p++;
    }
}

/* Only "chunked", once, is supported (RFC 9112 §6.1). */
static enum http_err parse_transfer_encoding(struct http_resp *r, const char *v)
{
    const char *p = v;
    r->saw_te = true;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        bool is_chunked = (size_t)(e - s) == 7 && ascii_caseeq(s, "chunked", 7);
        if (!is_chunked || r->chunked)
            return HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING;
        r->chunked = true;
    }
    if (!r->chunked)
        return HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING;
    return HTTP_OK;
}

/* field-line = field-name ":" OWS field-value OWS */
static enum http_err parse_field(struct http_resp *r, char *l, size_t n, bool trailer)
{
    if (l[0] == ' ' || l[0] == '\t')
        return HTTP_ERR_OBS_FOLD;
    if (++r->header_count > HTTP_HEADER_COUNT)
        return HTTP_ERR_TOO_MANY_HEADERS;
    char *colon = memchr(l, ':', n);
    if (!colon || colon == l)
        return HTTP_ERR_BAD_HEADER;
    for (char *p = l; p < colon; p++)
        if (!is_tchar(*p))
            return HTTP_ERR_BAD_HEADER;
    *colon = 0;
    char *v = colon + 1, *end = l + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *end = 0;
    for (char *p = v; p < end; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return HTTP_ERR_BAD_HEADER;
    }
    if (!trailer) {
        enum http_err e = HTTP_OK;
        if (ascii_strcaseeq(l, "content-length"))
            e = parse_content_length(r, v);
        else if (ascii_strcaseeq(l, "transfer-encoding"))
            e = parse_transfer_encoding(r, v);
        else if (ascii_strcaseeq(l, "connection")) {
            if (http_list_has_token(v, "close"))
                r->conn_close = true;
            if (http_list_has_token(v, "keep-alive"))
                r->conn_keep_alive = true;
        } else if (ascii_strcaseeq(l, "content-type"))
            copy_trunc(r->content_type, sizeof r->content_type, v);
        if (e)
            return e;
    }
    if (r->on_header)
        r->on_header(r->ctx, l, v, trailer);
    return HTTP_OK;
}

/* End of the header section: RFC 9112 §6.3 decides how the body ends. */
static enum http_err headers_end(struct http_resp *r)
{
    if (r->status >= 100 && r->status < 200 && r->status != 101) {
        /* interim response (100 Continue, 103 Early Hints): skip it, but
           only a few, so a server cannot keep the client reading 1xx
           heads forever (each one resets the header limits) */
        unsigned interim = r->interim + 1;
        if (interim > HTTP_INTERIM_MAX)
            return HTTP_ERR_TOO_MANY_INTERIM;
        http_header_fn h = r->on_header;
        http_body_fn b = r->on_body;
        void *ctx = r->ctx;
        bool head = r->head_request;
        http_resp_init(r, head, h, b, ctx);
        r->interim = interim;
        return HTTP_OK;
    }
    if (r->saw_te && r->has_content_length)
        return HTTP_ERR_CL_AND_TE;
    r->keep_alive = r->version_minor >= 1 ? !r->conn_close
                                          : (r->conn_keep_alive && !r->conn_close);
    if (r->head_request || r->status == 204 || r->status == 304 || r->status == 101) {
        if (r->status == 101)
            r->keep_alive = false;
        r->state = HTTP_RS_DONE;
    } else if (r->chunked) {
        r->state = HTTP_RS_CHUNK_SIZE;
    } else if (r->has_content_length) {
        r->remaining = r->content_length;
        r->state = r->remaining ? HTTP_RS_BODY_LENGTH : HTTP_RS_DONE;
    } else {
        r->keep_alive = false;
        r->state = HTTP_RS_BODY_CLOSE;
    }
    return HTTP_OK;
}

/* chunk-size [ chunk-ext ] : hex digits, then optional BWS and ';'
   extensions, which are ignored (RFC 9112 §7.1.1). */
static enum http_err parse_chunk_size(struct http_resp *r, const char *l, size_t n)
{
    size_t i = 0;
    uint64_t v = 0;
    int digits = 0;
    while (i < n && ascii_hex_val(l[i]) >= 0) {
        if (v >> 59)
            return HTTP_ERR_CHUNK_SIZE_OVERFLOW;
        v = (v << 4) | (uint64_t)ascii_hex_val(l[i]);
        i++;
        digits++;
    }
    if (digits == 0)
        return HTTP_ERR_BAD_CHUNK_SIZE;
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i < n && l[i] != ';')
        return HTTP_ERR_BAD_CHUNK_SIZE;
    if (v == 0) {
        r->header_bytes = 0;
        r->header_count = 0;
        r->state = HTTP_RS_TRAILERS;
    } else {
        r->remaining = v;
        r->state = HTTP_RS_CHUNK_DATA;
    }
    return HTTP_OK;
}

static enum http_err line_done(struct http_resp *r)
{
    char *l = r->line;
    size_t n = r->line_len;
    l[n] = 0;
    r->line_len = 0;
    switch (r->state) {
    case HTTP_RS_STATUS:
        if (n == 0)
            return HTTP_OK; /* tolerate stray CRLF between responses */
    {
        enum http_err e = parse_status(r, l, n);
        if (e == HTTP_OK)
            r->state = HTTP_RS_HEADERS;
        return e;
    }
    case HTTP_RS_HEADERS:
        return n == 0 ? headers_end(r) : parse_field(r, l, n, false);
    case HTTP_RS_CHUNK_SIZE:
        return parse_chunk_size(r, l, n);
    case HTTP_RS_CHUNK_CRLF:
        if (n != 0)
            return HTTP_ERR_BAD_CHUNK_END;
        r->state = HTTP_RS_CHUNK_SIZE;
        return HTTP_OK;
    case HTTP_RS_TRAILERS:
        if (n == 0) {
            r->state = HTTP_RS_DONE;
            return HTTP_OK;
        }
        return parse_field(r, l, n, true);
    default:
        return HTTP_OK;
    }
}

static enum http_err deliver(struct http_resp *r, const uint8_t *p, size_t n)
{
    r->body_bytes += n;
    if (n && r->on_body && !r->on_body(r->ctx, p, n))
        return HTTP_ERR_ABORTED;
    return HTTP_OK;
}

enum http_err http_resp_feed(struct http_resp *r, const uint8_t *data, size_t len,
                             size_t *consumed)
{
    size_t i = 0;
    enum http_err e = HTTP_OK;
    if (r->state == HTTP_RS_ERROR) {
        e = r->err;
        goto out;
    }
    while (i < len && r->state != HTTP_RS_DONE) {
        switch (r->state) {
        case HTTP_RS_BODY_LENGTH:
        case HTTP_RS_CHUNK_DATA: {
            size_t n = len - i;
            if ((uint64_t)n > r->remaining)
                n = (size_t)r->remaining;
            r->remaining -= n;
            e = deliver(r, data + i, n);
            i += n;
            if (e)
                goto fail_out;
            if (r->remaining == 0)
                r->state = r->state == HTTP_RS_BODY_LENGTH ? HTTP_RS_DONE : HTTP_RS_CHUNK_CRLF;
            break;
        }
        case HTTP_RS_BODY_CLOSE:
            e = deliver(r, data + i, len - i);
            i = len;
            if (e)
                goto fail_out;
            break;
        default: {
            /* line-oriented states */
            char c = (char)data[i++];
            bool counted = r->state == HTTP_RS_STATUS || r->state == HTTP_RS_HEADERS ||
                           r->state == HTTP_RS_TRAILERS;
            if (counted && ++r->header_bytes > HTTP_HEADERS_MAX) {
                e = HTTP_ERR_HEADERS_TOO_LARGE;
                goto fail_out;
            }
            if (c == '\n') {
                r->saw_cr = false;
                e = line_done(r);
                if (e)
                    goto fail_out;
            } else if (r->saw_cr || (r->state == HTTP_RS_CHUNK_CRLF && c != '\r')) {
                e = r->saw_cr ? HTTP_ERR_BARE_CR : HTTP_ERR_BAD_CHUNK_END;
                goto fail_out;
            } else if (c == '\r') {
                r->saw_cr = true;
            } else {
                if (r->line_len >= HTTP_LINE_MAX - 1) {
                    e = HTTP_ERR_LINE_TOO_LONG;
                    goto fail_out;
                }
                r->line[r->line_len++] = c;
            }
        }
        }
    }
out:
    if (consumed)
        *consumed = i;
    return e;
fail_out:
    fail(r, e);
    goto out;
}

enum http_err http_resp_eof(struct http_resp *r)
{
    if (r->state == HTTP_RS_ERROR)
        return r->err;
    if (r->state == HTTP_RS_BODY_CLOSE)
        r->state = HTTP_RS_DONE;
    if (r->state == HTTP_RS_DONE)
        return HTTP_OK;
    return fail(r, HTTP_ERR_TRUNCATED);
}
