/* Error codes of the network stack (all layers), with names that tools print
   (`tcp: error=refused`, `dns: NAME error=nxdomain`). Append new codes at the
   end; net_err_str() in net/net_err.c must name every one. */
#ifndef NET_NET_ERR_H
#define NET_NET_ERR_H

enum net_err {
    NET_OK = 0,
    NET_ERR_AGAIN,            /* would block: poll and retry */
    NET_ERR_NO_LINK,          /* no NIC or link down */
    NET_ERR_NO_ROUTE,         /* no address / gateway configured */
    NET_ERR_ARP_TIMEOUT,      /* next hop did not answer ARP */
    NET_ERR_NO_BUFFER,        /* queue or buffer full */
    NET_ERR_TOO_BIG,          /* payload larger than the path allows */
    NET_ERR_MALFORMED,        /* a frame/packet/message failed a check */
    NET_ERR_TIMEOUT,          /* generic timeout */
    NET_ERR_REFUSED,          /* TCP RST in answer to our SYN */
    NET_ERR_RESET,            /* TCP connection reset by the peer */
    NET_ERR_CLOSED,           /* operation on a closed connection */
    NET_ERR_CONNECT_TIMEOUT,  /* SYN retransmissions exhausted */
    NET_ERR_DNS_NXDOMAIN,
    NET_ERR_DNS_SERVFAIL,
    NET_ERR_DNS_TIMEOUT,
    NET_ERR_DNS_MALFORMED,
    NET_ERR_DNS_NO_ANSWER,    /* NOERROR but no A record */
    NET_ERR_DNS_REFUSED,
    NET_ERR_DHCP_TIMEOUT,
    NET_ERR_INVALID_ARG,
    NET_ERR_NO_SOCKETS,       /* socket table full */
    NET_ERR_NO_ENTROPY,       /* CSPRNG not ready: no ISN / DNS id */
    NET_ERR_FAMILY,           /* an address family the stack cannot use (IPv6) */
    NET_ERR_BAD_BUF_SIZE,     /* a TCP ring size out of bounds (net/tcp.h) */
};

const char *net_err_str(enum net_err e);

#endif
