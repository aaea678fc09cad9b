/* Names of the app jobs' errors. see app_err.h */
#include "app/app_err.h"

const char *app_err_str(enum app_err e)
{
    switch (e) {
    case APP_OK: return "ok";
    case APP_ERR_NO_ENTROPY: return "no_entropy";
    case APP_ERR_NET_DOWN: return "net_down";
    case APP_ERR_TCP_ERROR: return "tcp_error";
    case APP_ERR_BAD_ARGUMENT: return "bad_argument";
    case APP_ERR_TCP_REFUSED: return "tcp_refused";
    case APP_ERR_TCP_RESET: return "tcp_reset";
    case APP_ERR_TCP_CLOSED: return "tcp_closed";
    case APP_ERR_TIMEOUT: return "timeout";
    case APP_ERR_ARP_TIMEOUT: return "arp_timeout";
    case APP_ERR_NO_ROUTE: return "no_route";
    case APP_ERR_ADDR_REFUSED: return "address_refused";
    default: break;
    }
    if (e >= APP_ERR_TLS)
        return tls_err_str((enum tls_err)(e - APP_ERR_TLS));
    if (e >= APP_ERR_NET)
        return net_err_str((enum net_err)(e - APP_ERR_NET));
    return "unknown";
}

/* The TCP-level names users see differ from net_err_str for these. */
enum app_err app_err_from_net(enum net_err e)
{
    switch (e) {
    case NET_OK: return APP_OK;
    case NET_ERR_REFUSED: return APP_ERR_TCP_REFUSED;
    case NET_ERR_RESET: return APP_ERR_TCP_RESET;
    case NET_ERR_CLOSED: return APP_ERR_TCP_CLOSED;
    case NET_ERR_TIMEOUT:
    case NET_ERR_CONNECT_TIMEOUT: return APP_ERR_TIMEOUT;
    case NET_ERR_ARP_TIMEOUT: return APP_ERR_ARP_TIMEOUT;
    case NET_ERR_NO_ROUTE: return APP_ERR_NO_ROUTE;
    case NET_ERR_NO_LINK: return APP_ERR_NET_DOWN;
    default: return (enum app_err)(APP_ERR_NET + (int)e); /* dns_nxdomain, no_sockets, ... */
    }
}

enum app_err app_err_from_tls(enum tls_err e)
{
    return e == TLS_OK ? APP_OK : (enum app_err)(APP_ERR_TLS + (int)e);
}
