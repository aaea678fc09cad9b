/* DHCP client (RFC 2131, options RFC 2132): DISCOVER -> OFFER -> REQUEST ->
   ACK, then renewal at T1 (half the lease). Retransmits every 2 s, gives up
   after DHCP_MAX_TRIES and reports NET_ERR_DHCP_TIMEOUT through
   net_config_status(). The lease installs address, mask, router and DNS
   server (dns= on the command line wins). */
#ifndef NET_DHCP_H
#define NET_DHCP_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"

#define DHCP_RETRY_MS  2000
#define DHCP_MAX_TRIES 5

enum dhcp_msg_type { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_DECLINE = 4,
                     DHCP_ACK = 5, DHCP_NAK = 6, DHCP_RELEASE = 7 };

struct dhcp_msg {
    uint8_t op;
    uint32_t xid;
    ip4_addr yiaddr;
    uint8_t chaddr[6];
    uint8_t type;                 /* option 53; 0 when absent */
    ip4_addr server_id, mask, router, dns;
    uint32_t lease_s;             /* 0 when absent */
};

/* Parses a BOOTP/DHCP message with the magic cookie; NET_ERR_MALFORMED on any
   bad length, missing cookie or overrunning option. */
enum net_err dhcp_parse(const uint8_t *p, size_t len, struct dhcp_msg *m);
/* Builds a client message (DISCOVER or REQUEST); returns its length, 0 if
   cap is too small. */
size_t dhcp_build(uint8_t *out, size_t cap, uint8_t type, uint32_t xid, const uint8_t mac[6],
                  ip4_addr requested, ip4_addr server_id);

#endif
