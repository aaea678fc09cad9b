/* Internal to net/: hooks between the stack core (net/stack.c) and its
   layers. Not for users of the stack. */
#ifndef NET_NET_INT_H
#define NET_NET_INT_H
#include <stdint.h>
#include "net/ipv4.h"

/* DHCP installs a lease (or clears it with addr 0). */
void net_apply_lease(ip4_addr addr, ip4_addr mask, ip4_addr gw, ip4_addr dns);
void net_dhcp_failed(void);

void dhcp_start(uint64_t now);
void dhcp_stop(void);
void dhcp_timers(uint64_t now);
void dns_reset(void);
void dns_timers(uint64_t now);

#endif
