/* Blocking convenience layer over the TLS engine (BearSSL sslio-style): two
   transport callbacks on an opaque context carry the bytes; this file loops
   the engine until the handshake, a send or a receive completes.
   The kernel binds the callbacks to a TCP socket, the host CLI to a Linux
   socket. struct tls_io is caller-owned and only points at the tls_conn. */
#ifndef TLS_TLS_IO_H
#define TLS_TLS_IO_H
#include <stddef.h>
#include <stdint.h>
#include "lib/byte_stream.h"
#include "tls/tls.h"

struct tls_io {
    struct tls_conn *conn;
    struct byte_stream transport;
    byte_stream_read_fn read_now;   /* optional, see tls_io_set_read_ahead */
};

/* The transport is rd/wr on ctx (lib/byte_stream.h). */
void tls_io_init(struct tls_io *io, struct tls_conn *c, byte_stream_read_fn rd,
                 byte_stream_write_fn wr, void *ctx);
/* With a receive pipeline (tls_set_rx_pipeline): read_now reads what the
   transport already holds without waiting (0 when nothing), and each
   tls_io_recv first feeds that into the pipeline, so records are decrypted
   ahead while the application works on earlier ones. */
void tls_io_set_read_ahead(struct tls_io *io, byte_stream_read_fn read_now);
/* Starts the engine if needed and runs the handshake to completion.
   TLS_OK or the connection's error (see tls_error_str for detail). */
enum tls_err tls_io_handshake(struct tls_io *io);
/* Sends all len bytes: TLS_OK or an error. */
enum tls_err tls_io_send(struct tls_io *io, const uint8_t *data, size_t len);
/* Receives up to len bytes: > 0 bytes, 0 after the peer's close_notify,
   < 0 the negated tls_err (TLS_ERR_CLOSED: EOF without close_notify). */
long tls_io_recv(struct tls_io *io, uint8_t *buf, size_t len);
/* Sends close_notify and flushes it. */
enum tls_err tls_io_close(struct tls_io *io);

#endif
