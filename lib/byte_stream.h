/* The one blocking byte-stream convention of the tree: a caller context and
   two transfer callbacks. tls/tls_io.h runs the TLS engine over one (the
   transport), http/http_client.h runs HTTP exchanges over one (TLS in the
   kernel, fakes in tests), and app/ binds them to TCP and TLS. Header only;
   ctx and whatever it points to belong to the caller. */
#ifndef LIB_BYTE_STREAM_H
#define LIB_BYTE_STREAM_H
#include <stddef.h>
#include <stdint.h>

/* Reads up to len bytes: > 0 bytes read, 0 end of stream, < 0 error.
   Blocks until at least one byte (or the end, or an error). */
typedef long (*byte_stream_read_fn)(void *ctx, uint8_t *buf, size_t len);
/* Writes up to len bytes: > 0 bytes written, <= 0 error. */
typedef long (*byte_stream_write_fn)(void *ctx, const uint8_t *buf, size_t len);

struct byte_stream {
    void *ctx;
    byte_stream_read_fn read;
    byte_stream_write_fn write;
};

#endif
