/* see net_err.h */
#include "net/net_err.h"

const char *net_err_str(enum net_err e)
{
    switch (e) {
    case NET_OK: return "ok";
    case NET_ERR_AGAIN: return "again";
    case NET_ERR_NO_LINK: return "no_link";
    case NET_ERR_NO_ROUTE: return "no_route";
    case NET_ERR_ARP_TIMEOUT: return "arp_timeout";
    case NET_ERR_NO_BUFFER: return "no_buffer";
    case NET_ERR_TOO_BIG: return "too_big";
    case NET_ERR_MALFORMED: return "malformed";
    case NET_ERR_TIMEOUT: return "timeout";
    case NET_ERR_REFUSED: return "refused";
    case NET_ERR_RESET: return "reset";
    case NET_ERR_CLOSED: return "closed";
    case NET_ERR_CONNECT_TIMEOUT: return "connect_timeout";
    case NET_ERR_DNS_NXDOMAIN: return "dns_nxdomain";
    case NET_ERR_DNS_SERVFAIL: return "dns_servfail";
    case NET_ERR_DNS_TIMEOUT: return "dns_timeout";
    case NET_ERR_DNS_MALFORMED: return "dns_malformed";
    case NET_ERR_DNS_NO_ANSWER: return "dns_no_answer";
    case NET_ERR_DNS_REFUSED: return "dns_refused";
    case NET_ERR_DHCP_TIMEOUT: return "dhcp_timeout";
    case NET_ERR_INVALID_ARG: return "invalid_arg";
    case NET_ERR_NO_SOCKETS: return "no_sockets";
    case NET_ERR_NO_ENTROPY: return "no_entropy";
    case NET_ERR_FAMILY: return "unsupported_family";
    case NET_ERR_BAD_BUF_SIZE: return "bad_buffer_size";
    }
    return "unknown";
}
