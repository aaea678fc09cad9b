/* Blocking loop over the engine. see tls_io.h */
#include "tls/tls_io.h"
#include <string.h>
#include "tls/tls_int.h"

void tls_io_init(struct tls_io *io, struct tls_conn *c, byte_stream_read_fn rd,
                 byte_stream_write_fn wr, void *ctx)
{
    io->conn = c;
    io->transport = (struct byte_stream){ .ctx = ctx, .read = rd, .write = wr };
    io->read_now = NULL;
}

void tls_io_set_read_ahead(struct tls_io *io, byte_stream_read_fn read_now)
{
    io->read_now = read_now;
}

/* Feeds the pipeline what the transport holds now (no waiting; a transport
   error or end of stream is left for the blocking read to report). */
static void read_ahead(struct tls_io *io)
{
    for (;;) {
        size_t room;
        uint8_t *buf = tls_in_buf(io->conn, &room);
        if (!buf || !room)
            return;
        long r = io->read_now(io->transport.ctx, buf, room);
        if (r <= 0 || tls_in_commit(io->conn, (size_t)r))
            return;
    }
}

/* Writes every pending output byte (alerts included, even after an error). */
static int flush(struct tls_io *io)
{
    size_t n;
    const uint8_t *p;
    while ((p = tls_out_peek(io->conn, &n))) {
        long w = io->transport.write(io->transport.ctx, p, n);
        if (w <= 0) {
            tls_out_ack(io->conn, n);    /* drop it: the transport is gone */
            return tls_fail(io->conn, TLS_ERR_TRANSPORT);
        }
        tls_out_ack(io->conn, (size_t)w);
    }
    return tls_error(io->conn);
}

/* Reads once into the engine. */
static int pump_in(struct tls_io *io)
{
    size_t room;
    uint8_t *buf = tls_in_buf(io->conn, &room);
    if (!buf || !room)
        return tls_error(io->conn) ? tls_error(io->conn) : TLS_ERR_STATE;
    long r = io->transport.read(io->transport.ctx, buf, room);
    if (r < 0)
        return tls_fail(io->conn, TLS_ERR_TRANSPORT);
    if (r == 0)
        return tls_fail(io->conn, TLS_ERR_CLOSED);
    return tls_in_commit(io->conn, (size_t)r);
}

enum tls_err tls_io_handshake(struct tls_io *io)
{
    struct tls_conn *c = io->conn;
    if (c->state == TLS_ST_INIT && tls_client_start(c))
        return tls_error(c);
    for (;;) {
        int e = flush(io);
        if (e)
            return e;
        if (tls_handshake_done(c))
            return TLS_OK;
        e = pump_in(io);
        if (e) {
            flush(io);                   /* deliver our alert */
            return e;
        }
    }
}

enum tls_err tls_io_send(struct tls_io *io, const uint8_t *data, size_t len)
{
    struct tls_conn *c = io->conn;
    size_t done = 0;
    while (done < len) {
        size_t n = tls_app_write(c, data + done, len - done);
        if (tls_error(c))
            return tls_error(c);
        if (!n && c->state != TLS_ST_CONNECTED && c->state != TLS_ST_CLOSED)
            return TLS_ERR_STATE;
        if (!n && c->close_sent)
            return TLS_ERR_STATE;
        done += n;
        int e = flush(io);
        if (e)
            return e;
    }
    return TLS_OK;
}

long tls_io_recv(struct tls_io *io, uint8_t *buf, size_t len)
{
    struct tls_conn *c = io->conn;
    for (;;) {
        if (io->read_now && c->piped)
            read_ahead(io);
        size_t n;
        const uint8_t *p = tls_app_peek(c, &n);
        if (p) {
            if (n > len)
                n = len;
            memcpy(buf, p, n);
            tls_app_ack(c, n);
            return (long)n;
        }
        if (tls_error(c))
            return -tls_error(c);
        if (tls_peer_closed(c))
            return 0;
        int e = flush(io);             /* e.g. a KeyUpdate answer */
        if (!e)
            e = pump_in(io);
        if (e) {
            flush(io);
            return -e;
        }
    }
}

enum tls_err tls_io_close(struct tls_io *io)
{
    int e = tls_close(io->conn);
    int f = flush(io);
    return e ? e : f;
}
