/* HTTP/1.1 client messages (RFC 9110 semantics, RFC 9112 syntax).
   - http_req_write: formats a GET/POST request head into the caller's buffer.
   - struct http_resp: an incremental response parser. Bytes may arrive in
     pieces of any size (down to one byte). It parses the status line and
     headers, then delimits the body by Content-Length, chunked transfer coding
     (extensions and trailers accepted) or the connection close, and hands body
     bytes to a callback without copying them. Interim (1xx) responses are
     skipped, at most HTTP_INTERIM_MAX of them. It stops consuming at the end of
     the message so the rest of the input belongs to the next response on a
     keep-alive connection.
   The caller owns the struct (about 5 KiB) and every buffer; nothing is
   allocated. Every malformed input yields a named enum http_err. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX     4096   /* longest status/header/chunk-size line */
#define HTTP_HEADERS_MAX  8192   /* total bytes of the header section */
#define HTTP_HEADER_COUNT 100    /* header fields per section */
#define HTTP_INTERIM_MAX  10     /* interim (1xx) responses before the final one */

enum http_err {
    HTTP_OK = 0,
    HTTP_ERR_BAD_STATUS_LINE,
    HTTP_ERR_BAD_VERSION,
    HTTP_ERR_BAD_STATUS_CODE,
    HTTP_ERR_BAD_HEADER,             /* no colon, bad name, space before colon */
    HTTP_ERR_OBS_FOLD,               /* obsolete line folding (RFC 9112 §5.2) */
    HTTP_ERR_BARE_CR,                /* CR not followed by LF inside a line */
    HTTP_ERR_LINE_TOO_LONG,
    HTTP_ERR_HEADERS_TOO_LARGE,
    HTTP_ERR_TOO_MANY_HEADERS,
    HTTP_ERR_BAD_CONTENT_LENGTH,     /* not digits, or overflows */
    HTTP_ERR_CONFLICTING_CONTENT_LENGTH,
    HTTP_ERR_CL_AND_TE,              /* both Content-Length and Transfer-Encoding */
    HTTP_ERR_UNSUPPORTED_TRANSFER_ENCODING,
    HTTP_ERR_BAD_CHUNK_SIZE,
    HTTP_ERR_CHUNK_SIZE_OVERFLOW,
    HTTP_ERR_BAD_CHUNK_END,          /* chunk data not followed by CRLF */
    HTTP_ERR_TRUNCATED,              /* connection closed before the message ended */
    HTTP_ERR_ABORTED,                /* the body callback asked to stop */
    HTTP_ERR_BUFFER_TOO_SMALL,       /* request writer */
    HTTP_ERR_BAD_ARGUMENT,           /* request writer: CR/LF/NUL or bad path */
    HTTP_ERR_TOO_MANY_INTERIM,       /* more than HTTP_INTERIM_MAX 1xx responses */
    HTTP_ERR_BAD_DATE,               /* not an HTTP-date (http_date.h) */
};
const char *http_err_str(enum http_err e);

/* ---- request writer ---- */
#define HTTP_REQ_EXTRA_MAX 4
/* A further request header field (name a token, value a safe field value). */
struct http_field {
    const char *name;
    const char *value;
};

struct http_req {
    const char *method;          /* "GET" or "POST" (any token accepted) */
    const char *host;            /* Host header value without port */
    uint16_t    port;            /* appended to Host when != default_port */
    uint16_t    default_port;    /* 443 for https, 80 for http */
    const char *path;            /* origin-form, starts with '/' */
    const char *user_agent;      /* NULL: none */
    const char *bearer;          /* NULL: no Authorization header */
    const char *content_type;    /* NULL: none */
    const char *accept;          /* NULL: none */
    /* further fields (x-api-key, anthropic-version, ...), written after
       Authorization in this order; the first with a NULL name ends them */
    struct http_field extra[HTTP_REQ_EXTRA_MAX];
    bool        has_body;        /* emits Content-Length: content_length */
    size_t      content_length;
    bool        keep_alive;      /* Connection: keep-alive, else close */
};
/* Writes the request line and headers ending in the empty line (no body) to
   buf; *out_len receives the length. The request is refused
   (HTTP_ERR_BAD_ARGUMENT) when any field holds CR, LF or another control
   byte, so callers cannot be tricked into header injection. */
enum http_err http_req_write(const struct http_req *q, char *buf, size_t cap, size_t *out_len);

/* ---- response parser ---- */
/* Body bytes as they arrive; return false to abort (HTTP_ERR_ABORTED). */
typedef bool (*http_body_fn)(void *ctx, const uint8_t *data, size_t len);
/* Each header (and trailer) field; name and value are NUL-terminated, the
   value trimmed of surrounding whitespace. Valid only during the call. */
typedef void (*http_header_fn)(void *ctx, const char *name, const char *value, bool trailer);

enum http_resp_state {
    HTTP_RS_STATUS, HTTP_RS_HEADERS, HTTP_RS_BODY_LENGTH, HTTP_RS_BODY_CLOSE,
    HTTP_RS_CHUNK_SIZE, HTTP_RS_CHUNK_DATA, HTTP_RS_CHUNK_CRLF, HTTP_RS_TRAILERS,
    HTTP_RS_DONE, HTTP_RS_ERROR,
};

struct http_resp {
    /* results, valid once http_resp_headers_done() */
    int      status;             /* 100..999 */
    int      version_minor;      /* HTTP/1.x */
    char     reason[64];         /* truncated reason phrase */
    char     content_type[96];   /* truncated, "" when absent */
    bool     has_content_length;
    uint64_t content_length;
    bool     chunked;
    bool     keep_alive;         /* the connection may carry another request */
    uint64_t body_bytes;         /* body bytes delivered so far */

    /* callbacks (may be NULL) */
    http_body_fn   on_body;
    http_header_fn on_header;
    void          *ctx;

    /* internal */
    enum http_resp_state state;
    enum http_err err;
    bool     head_request;
    bool     saw_cr;
    bool     saw_te;
    bool     conn_close;
    bool     conn_keep_alive;
    uint64_t remaining;
    size_t   line_len;
    size_t   header_bytes;
    unsigned header_count;
    unsigned interim;            /* 1xx responses skipped so far */
    char     line[HTTP_LINE_MAX];
};

/* Prepares r for one response. head_request: the request was HEAD (no body).
   The callbacks are copied in. */
void http_resp_init(struct http_resp *r, bool head_request, http_header_fn on_header,
                    http_body_fn on_body, void *ctx);
/* Consumes bytes from data; *consumed (may be NULL) says how many were used:
   all of them unless the message ended (then the rest belongs to the next
   response) or an error occurred. Errors are sticky. */
enum http_err http_resp_feed(struct http_resp *r, const uint8_t *data, size_t len,
                             size_t *consumed);
/* The peer closed the connection: completes a close-delimited body, otherwise
   returns HTTP_ERR_TRUNCATED unless the message was already complete. */
enum http_err http_resp_eof(struct http_resp *r);
bool http_resp_headers_done(const struct http_resp *r);
bool http_resp_done(const struct http_resp *r);

/* true when the comma-separated token list contains tok (case-insensitive). */
bool http_list_has_token(const char *list, const char *tok);

#endif
