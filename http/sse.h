/* Server-sent events parser (WHATWG HTML "Server-sent events", §9.2.6
   "Interpreting an event stream"), incremental: bytes may arrive in pieces
   of any size. Lines end in CRLF, LF or CR; `:` starts a comment; fields
   data (joined with LF when repeated), event, id, retry (parsed, id/retry
   kept); an empty line dispatches the event when its data is non-empty.
   A leading UTF-8 BOM is skipped. The caller owns struct sse and its line
   and data buffers (sse_set_bufs; struct sse_bufs holds the default sizes,
   128 KiB: a smaller pair bounds lines and events to what it holds). */
#ifndef HTTP_SSE_H
#define HTTP_SSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Anthropic's web-search results arrive as one 35 KB data line, Gemini's
   grounding chunks past 8 KB. */
#define SSE_LINE_MAX  65536
#define SSE_DATA_MAX  65536
#define SSE_EVENT_MAX 64
#define SSE_ID_MAX    128

enum sse_err {
    SSE_OK = 0,
    SSE_ERR_LINE_TOO_LONG,
    SSE_ERR_DATA_TOO_LARGE,
    SSE_ERR_ABORTED,       /* the event callback returned false */
};
const char *sse_err_str(enum sse_err e);

/* One dispatched event: type ("message" unless an event: field said
   otherwise), data without the final LF (NUL-terminated), id (last seen).
   Return false to stop parsing (SSE_ERR_ABORTED). */
typedef bool (*sse_event_fn)(void *ctx, const char *type, const char *data, size_t len,
                             const char *id);

struct sse {
    sse_event_fn on_event;
    void    *ctx;
    enum sse_err err;          /* sticky */
    bool     bom_checked;
    uint8_t  bom_seen;         /* BOM bytes matched so far */
    bool     saw_cr;
    bool     has_data;
    long     retry_ms;         /* -1 until a retry: field arrives */
    unsigned events;           /* events dispatched */
    size_t   line_len;
    size_t   data_len;
    char     event[SSE_EVENT_MAX];
    char     id[SSE_ID_MAX];
    /* the caller's buffers (sse_set_bufs), kept by sse_init */
    char    *line, *data;
    size_t   line_cap, data_cap;
};

/* Buffers of the default sizes. */
struct sse_bufs {
    char line[SSE_LINE_MAX];
    char data[SSE_DATA_MAX];
};

/* The line buffer (a longer line: SSE_ERR_LINE_TOO_LONG) and the event
   data buffer (SSE_ERR_DATA_TOO_LARGE past data_cap - 1 bytes); both at
   least 2 bytes. Set before the first sse_feed; sse_init keeps them. */
void sse_set_bufs(struct sse *s, char *line, size_t line_cap, char *data, size_t data_cap);
void sse_use_bufs(struct sse *s, struct sse_bufs *b);
/* Resets the parser for a new stream (the buffers stay). */
void sse_init(struct sse *s, sse_event_fn on_event, void *ctx);
enum sse_err sse_feed(struct sse *s, const uint8_t *p, size_t n);
/* End of stream: an incomplete event is discarded (as the spec says). */
enum sse_err sse_finish(struct sse *s);

#endif
