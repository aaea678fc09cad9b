/* Kernel glue of the network stack: brings the interface up from the
   command line (ip=, gw=, dns=, netfault=) on the virtio-net device, and
   offers blocking helpers that loop on net_poll(time_ms()). Kernel-only. */
#ifndef NET_NET_KERNEL_H
#define NET_NET_KERNEL_H
#include <stdint.h>
#include "net/dns.h"
#include "net/ipv4.h"
#include "net/net_err.h"

/* Starts the stack if it is not running yet and waits (DHCP) until the
   interface has an address or timeout_ms passes. */
enum net_err net_kernel_up(uint32_t timeout_ms);
/* Resolves name (a dotted quad is returned as is) to its first address;
   retries over TCP when the UDP answer is truncated. */
enum net_err dns_resolve_blocking(const char *name, struct ip_addr *out, uint32_t timeout_ms);
/* Same, with every address of the answer. */
enum net_err dns_resolve_all(const char *name, struct dns_answer *ans, uint32_t timeout_ms);
/* Polls the stack for ms milliseconds. */
void net_kernel_idle(uint32_t ms);
/* Prints the end-of-run report: the stack's counters ("net: counters ...")
   and the driver's ("virtio-net: ..."). */
void net_kernel_report(void);

#endif
