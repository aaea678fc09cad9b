/* The TCP side of the app jobs, kernel-only: resolves a host (DNS name or
   address literal), connects (a name by Happy Eyeballs v2, RFC 8305: A and
   AAAA asked at once, IPv6 first, the next address 250 ms later or when
   one fails), and moves bytes with timeouts, over net/ (see
   app/app_tcp.c). Failures carry an enum app_err (app/app_err.h; named
   "dns_nxdomain", "dns_timeout", "tcp_refused", "tcp_reset", "timeout",
   "net_down", ...) and a detail string. struct app_tcp is small and caller-owned. */
#ifndef APP_APP_TCP_H
#define APP_APP_TCP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app/app_err.h"
#include "lib/ip_addr.h"
#include "net/net_err.h"

struct app_tcp {
    int         sock;          /* handle of the net/ TCP socket, -1 when closed */
    uint32_t    timeout_ms;    /* per read/write/connect */
    struct ip_addr peer;       /* the address connected to (family 0 before):
                                  its family is the summary lines' family= */
    enum app_err err;          /* APP_OK until an error */
    enum net_err net_err;      /* the net/ error behind err (NET_OK: none,
                                  or a refusal by the address check) */
    char        detail[96];
    /* Optional cancel hook, set by the owner after connecting: while a read
       waits for data it is asked every APP_TCP_CANCEL_POLL_MS; true makes
       the read fail (err APP_ERR_TCP_ERROR, detail "recv: cancelled").
       The chat uses it for Ctrl-C while it waits for an answer. */
    bool      (*cancel)(void *ctx);
    void       *cancel_ctx;
    /* Ring sizes of the connection (net/tcp.h), set by the owner before
       connecting; NULL: the stack's defaults. */
    const struct tcp_bufs *bufs;
};
struct tcp_bufs;
#define APP_TCP_CANCEL_POLL_MS 10

/* Brings the interface up (ip=/gw=/dns= from the command line, else DHCP)
   if nothing did yet; false with *err set on failure. */
bool app_net_up(enum app_err *err);
/* Prints the network's end-of-run report (stack and driver counters) when
   the interface was brought up. */
void app_net_report(void);
/* Connects to host: an address literal (IPv4 or IPv6, no brackets)
   directly; a DNS name by Happy Eyeballs (net/happy_eyeballs.h) over its A
   and AAAA answers, the first connection to complete winning and the
   others aborted. False on failure (t->err, t->detail): the lookup's error
   when there was no address, else the first attempted address's
   ("2001:db8::1: tcp_refused"). A zone id or other ':' text that is not a
   literal is refused (invalid_argument) without a lookup. */
bool app_tcp_connect(struct app_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms);

/* A check of the address a connection is about to be made to, after DNS
   (the tools' policy, app/tool_args.h): ok() returns false to refuse it,
   with a detail ("10.0.0.1 scope=private") for the error line. */
struct app_addr_check {
    bool (*ok)(void *ctx, const struct ip_addr *a, char *detail, size_t cap);
    void *ctx;
};
/* app_tcp_connect with check (NULL: none), asked for every address before
   a packet goes to it: a refused address is skipped like a failed attempt
   (the race goes on with the next); when the first address attempted was
   refused and nothing connected, the error is APP_ERR_ADDR_REFUSED
   ("address_refused") with the check's detail. */
bool app_tcp_connect_checked(struct app_tcp *t, const char *host, uint16_t port,
                             uint32_t timeout_ms, const struct app_addr_check *check);
/* > 0 bytes, 0 orderly end of stream, < 0 error (t->err). */
long app_tcp_read(struct app_tcp *t, uint8_t *buf, size_t len);
/* Copies what the socket already holds, without waiting, polling the stack
   once first if it holds nothing: > 0 bytes, 0 nothing now (or end of
   stream, or an error: the blocking read reports those). */
long app_tcp_read_now(struct app_tcp *t, uint8_t *buf, size_t len);
/* One poll of the network stack (for busy waits elsewhere). */
void app_net_poll(void);
/* > 0 bytes written, < 0 error (t->err). */
long app_tcp_write(struct app_tcp *t, const uint8_t *buf, size_t len);
void app_tcp_close(struct app_tcp *t);

#endif
