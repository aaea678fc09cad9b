/* Errors of the app jobs' connections (app/app_tcp.h, app/app_tls.h): one
   enum over the layers below, so a job reports one code plus a detail
   string. app_err_str() gives the stable names the jobs print after
   "error=" ("dns_nxdomain", "tcp_refused", "timeout", "cert_untrusted",
   "no_entropy", ...): users and tests read them. The network range mirrors
   enum net_err and the TLS range enum tls_err, so their names are the
   layers' own. No memory is owned here. */
#ifndef APP_APP_ERR_H
#define APP_APP_ERR_H
#include "net/net_err.h"
#include "tls/tls_err.h"

enum app_err {
    APP_OK = 0,
    APP_ERR_NO_ENTROPY,        /* no hardware entropy source: TLS refused */
    APP_ERR_NET_DOWN,          /* no link / the interface did not come up */
    APP_ERR_TCP_ERROR,         /* the TCP side failed without a cause */
    APP_ERR_BAD_ARGUMENT,      /* a bad option value (tls_suites=) */
    APP_ERR_TCP_REFUSED,       /* RST in answer to our SYN */
    APP_ERR_TCP_RESET,         /* connection reset by the peer */
    APP_ERR_TCP_CLOSED,
    APP_ERR_TIMEOUT,           /* connect, read or write timed out */
    APP_ERR_ARP_TIMEOUT,
    APP_ERR_NO_ROUTE,
    APP_ERR_ADDR_REFUSED,      /* the connection's address check refused it */
    /* APP_ERR_NET + e: any other enum net_err e, named by net_err_str */
    APP_ERR_NET = 64,
    /* APP_ERR_TLS + e: enum tls_err e (e != TLS_OK), named by tls_err_str */
    APP_ERR_TLS = 128,
};

/* Stable name; "unknown" for a value no layer defines. */
const char *app_err_str(enum app_err e);
/* The code for a network error (NET_OK -> APP_OK). */
enum app_err app_err_from_net(enum net_err e);
/* The code for a TLS error (TLS_OK -> APP_OK). */
enum app_err app_err_from_tls(enum tls_err e);

#endif
