/* TLS client connections for the app jobs, kernel-only: DNS + TCP connect
   (app/app_tcp.h), then a TLS 1.3 handshake over tls/tls_io.h with the
   X.509 verifier (tls/tls_x509.h) against the built-in anchors
   (tls/anchors.h) at time_unix(), randomness from kernel/random.h (refused
   while !random_ready()). On failure err names the layer's error:
   dns_nxdomain, tcp_refused, timeout, cert_untrusted, hostname_mismatch,
   cert_expired, alert_received, no_entropy, ...
   struct app_tls is about 43 KiB: get one with app_tls_new() (kernel heap)
   and give it back with app_tls_free(), which closes and wipes it. */
#ifndef APP_APP_TLS_H
#define APP_APP_TLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app_tcp.h"
#include "http/http_client.h"
#include "tls/tls.h"
#include "tls/tls_io.h"
#include "tls/tls_x509.h"

#define APP_TLS_HS_BUF 16384

struct app_tls {
    struct app_tcp     tcp;
    struct tls_config  cfg;
    struct tls_x509    x509;
    struct tls_io      io;
    bool               connected;  /* handshake done, not yet closed */
    bool               tcp_open;
    const char        *err;        /* NULL until an error */
    char               detail[128];
    uint32_t           connect_ms, handshake_ms;
    uint8_t            hs[APP_TLS_HS_BUF];
    struct tls_conn    conn;
};

struct app_tls *app_tls_new(void);
void app_tls_free(struct app_tls *t);
/* DNS + TCP + handshake for host:port (SNI and certificate name = host). */
bool app_tls_connect(struct app_tls *t, const char *host, uint16_t port, uint32_t timeout_ms);
/* Sends all bytes: true on success. */
bool app_tls_send(struct app_tls *t, const uint8_t *p, size_t n);
/* > 0 bytes, 0 end of stream (close_notify or TCP end), < 0 error. */
long app_tls_recv(struct app_tls *t, uint8_t *buf, size_t n);
/* close_notify + TCP close (idempotent). */
void app_tls_close(struct app_tls *t);
/* An http_stream reading/writing through t. */
void app_tls_stream(struct app_tls *t, struct http_stream *s);
/* "TLS_AES_128_GCM_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256" parts. */
const char *app_tls_suite(const struct app_tls *t);
const char *app_tls_group(const struct app_tls *t);
const char *app_tls_sig(const struct app_tls *t);

#endif
