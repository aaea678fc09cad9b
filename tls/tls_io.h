/* Blocking convenience layer over the TLS engine (BearSSL sslio-style): two
   transport callbacks on an opaque context carry the bytes; this file loops
   the engine until the handshake, a send or a receive completes.
   The kernel binds the callbacks to a TCP socket, the host CLI to a Linux
   socket. struct tls_io is caller-owned and only points at the tls_conn. */
#ifndef TLS_TLS_IO_H
#define TLS_TLS_IO_H
#include <stddef.h>
#include <stdint.h>
#include "tls/tls.h"

/* Read up to len bytes: > 0 bytes read, 0 end of stream, < 0 error. Blocks
   until at least one byte (or EOF/error). */
typedef long (*tls_io_read_fn)(void *ctx, uint8_t *buf, size_t len);
/* Write up to len bytes: > 0 bytes written, <= 0 error. */
typedef long (*tls_io_write_fn)(void *ctx, const uint8_t *buf, size_t len);

struct tls_io {
    struct tls_conn *conn;
    tls_io_read_fn read;
    tls_io_write_fn write;
    void *ctx;
    tls_io_read_fn read_now;     /* optional, see tls_io_set_read_ahead */
};

void tls_io_init(struct tls_io *io, struct tls_conn *c, tls_io_read_fn rd,
                 tls_io_write_fn wr, void *ctx);
/* With a receive pipeline (tls_set_rx_pipeline): read_now reads what the
   transport already holds without waiting (0 when nothing), and each
   tls_io_recv first feeds that into the pipeline, so records are decrypted
   ahead while the application works on earlier ones. */
void tls_io_set_read_ahead(struct tls_io *io, tls_io_read_fn read_now);
/* Starts the engine if needed and runs the handshake to completion.
   TLS_OK or the connection's error (see tls_error_str for detail). */
int tls_io_handshake(struct tls_io *io);
/* Sends all len bytes: TLS_OK or an error. */
int tls_io_send(struct tls_io *io, const uint8_t *data, size_t len);
/* Receives up to len bytes: > 0 bytes, 0 after the peer's close_notify,
   < 0 the negated tls_err (TLS_ERR_CLOSED: EOF without close_notify). */
long tls_io_recv(struct tls_io *io, uint8_t *buf, size_t len);
/* Sends close_notify and flushes it. */
int tls_io_close(struct tls_io *io);

#endif
