/* HTTP/1.1 exchanges over an abstract byte stream (TLS in the kernel, a fake
   in host tests): writes a request, then feeds the response bytes to a sink
   (struct http_resp, struct llm_resp, ...) until the sink says the response
   is complete or the stream ends. Bytes read past the end of one response
   stay buffered for the next exchange, so a keep-alive connection can carry
   several requests. struct http_client (about 64 bytes) and its read
   buffer are caller-owned, the buffer given at init and sized by the
   caller (HTTP_CLIENT_BUF by default; mem=small gives 1 KiB); the stream
   and the sink belong to the caller. No allocation.
   The read buffer only carries bytes from the stream to the sink: it is
   never a line store. The sinks (struct http_resp and those built on it)
   assemble status and header lines in their own line buffer across reads,
   so a header line longer than the read buffer is parsed like any other,
   and one longer than HTTP_LINE_MAX ends as HTTPC_ERR_RESPONSE with the
   parser's HTTP_ERR_LINE_TOO_LONG. Any buffer of HTTP_CLIENT_BUF_MIN (one
   byte) or more is therefore correct; a smaller one only costs more reads
   and sink calls per record. */
#ifndef HTTP_HTTP_CLIENT_H
#define HTTP_HTTP_CLIENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "http/http.h"
#include "lib/byte_stream.h"

#define HTTP_CLIENT_BUF     4096   /* the default read buffer */
#define HTTP_CLIENT_BUF_MIN 1      /* a read needs room for one byte */

/* What a stream's read returns when the transport ended without proving
   that the peer ended it: TLS saw the TCP end without a close_notify alert
   (RFC 8446 6.1), which an attacker on the path can forge. A read of 0 is
   an authenticated end (close_notify, or a transport with no such proof).
   After an unauthenticated end nothing is complete that was not complete
   before: a response in progress, close-delimited bodies included
   (RFC 9112 9.8), ends as HTTPC_ERR_TRUNCATED without the sink's eof being
   called, so the sink never takes the cut as the end of the body. */
#define HTTP_STREAM_END_UNAUTHENTICATED (-2L)

/* What consumes the response. feed returns 0 or a sink-specific nonzero
   error (which the client reports as HTTPC_ERR_RESPONSE); *used gets the
   bytes taken. eof is called when the stream ends first with an
   authenticated end (read 0); done says the response is complete. */
struct http_sink {
    void *ctx;
    int  (*feed)(void *ctx, const uint8_t *p, size_t n, size_t *used);
    int  (*eof)(void *ctx);
    bool (*done)(void *ctx);
};

enum http_client_err {
    HTTPC_OK = 0,
    HTTPC_ERR_WRITE,         /* the stream refused request bytes */
    HTTPC_ERR_READ,          /* the stream failed while reading */
    HTTPC_ERR_CLOSED,        /* the stream ended before any response byte */
    HTTPC_ERR_RESPONSE,      /* the sink reported an error: ask the sink */
    HTTPC_ERR_NOT_REUSABLE,  /* a previous exchange left the connection unusable */
    HTTPC_ERR_TRUNCATED,     /* the stream's end was not authenticated mid-response */
    HTTPC_ERR_BAD_BUFFER,    /* init: no read buffer, or under HTTP_CLIENT_BUF_MIN */
};
const char *http_client_err_str(enum http_client_err e);

struct http_client {
    struct byte_stream s;
    bool     broken;          /* an error or a close-delimited body ended reuse */
    bool     eof;
    unsigned exchanges;       /* completed on this connection */
    uint64_t bytes_in, bytes_out;
    size_t   off, len;        /* buffered, unconsumed bytes in buf */
    uint8_t *buf;             /* the caller's read buffer */
    size_t   cap;             /* its size */
};

/* Prepares c for a connection over s with the read buffer buf[0..cap)
   (caller-owned, kept until the last exchange). HTTPC_ERR_BAD_BUFFER when
   buf is NULL or cap < HTTP_CLIENT_BUF_MIN: c is then unusable (every
   exchange returns HTTPC_ERR_NOT_REUSABLE). */
enum http_client_err http_client_init(struct http_client *c, const struct byte_stream *s,
                                      uint8_t *buf, size_t cap);
/* Sends req[0..len) (head and body together), then runs the sink to the end
   of the response. */
enum http_client_err http_client_exchange(struct http_client *c, const uint8_t *req, size_t len,
                                          const struct http_sink *sink);
/* Marks the connection unusable (e.g. the response said Connection: close). */
void http_client_mark_closed(struct http_client *c);

/* Sink adapter for a bare struct http_resp (feed returns enum http_err). */
void http_sink_for_resp(struct http_sink *sink, struct http_resp *r);

#endif
