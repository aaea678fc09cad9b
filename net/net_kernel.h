/* Kernel glue of the network stack: brings the interface up with the
   configuration app/ parsed (ip=, gw=, dns=, ipv6=, ip6=, gw6=, netfault=)
   on the virtio-net device, prints the boot line
       net: up ip=A.B.C.D/NN gw=A.B.C.D dns=SERVER via=dhcp|static
           [ip6=ADDR/LEN (slaac|static)|ip6=none ip6_ll=fe80::...|none]
   (one line; the IPv6 part only while IPv6 is on), and offers blocking
   helpers that loop on net_poll(time_ms()). Kernel-only. */
#ifndef NET_NET_KERNEL_H
#define NET_NET_KERNEL_H
#include <stdint.h>
#include "net/dns.h"
#include "net/ipv4.h"
#include "net/net.h"
#include "net/net_err.h"
#include "net/netfault.h"
#include "net/tcp.h"

/* The configuration net_kernel_up starts with (copied); fault NULL: no
   fault injection. Without a call: DHCP, no faults. */
void net_kernel_configure(const struct net_config *cfg, const struct netfault_cfg *fault);
/* The IPv6 configuration (ipv6=, ip6=, gw6=) net_kernel_up passes to
   net_set_ipv6 before net_init (copied). Without a call: on, SLAAC only. */
struct ip6_config;
void net_kernel_configure_ipv6(const struct ip6_config *cfg);
/* How long the first net_kernel_up waits for IPv6 before the boot line
   (after net_init): for a router advertisement when none came yet, and
   at most, for duplicate address detection to end. */
#define NET_KERNEL_RA_WAIT_MS   1200
#define NET_KERNEL_V6_SETTLE_MS 3000
/* Starts the stack if it is not running yet and waits (DHCP) until the
   interface has an address or timeout_ms passes; the first time, lets IPv6
   settle (see NET_KERNEL_RA_WAIT_MS) and prints the boot line. */
enum net_err net_kernel_up(uint32_t timeout_ms);
/* Resolves name (a dotted quad is returned as is) to its first address;
   retries over TCP when the UDP answer is truncated. */
enum net_err dns_resolve_blocking(const char *name, struct ip_addr *out, uint32_t timeout_ms);
/* Same, with every address of the answer. */
enum net_err dns_resolve_all(const char *name, struct dns_answer *ans, uint32_t timeout_ms);
/* Asks for name's qtype (DNS_QTYPE_A or _AAAA) over TCP: the answer over
   UDP was truncated (app/app_tcp.c's dual-stack lookup calls it too). */
enum net_err dns_resolve_tcp(const char *name, uint16_t qtype, struct dns_answer *ans,
                             uint32_t timeout_ms);
/* Prints the end-of-run report: the stack's counters ("net: counters ...")
   and the device's own line from its stats hook ("virtio-net: ..."). */
void net_kernel_report(void);

/* ---- blocking helpers (net/net_kernel.c) ----
   They loop on net_poll(time_ms()). Used by the TLS/HTTPS glue and tools. */
/* Connects; returns a handle >= 0, or -1 with *err = REFUSED, CONNECT_TIMEOUT,
   NO_SOCKETS, NO_ENTROPY, NO_ROUTE, ARP_TIMEOUT, FAMILY. */
int tcp_connect_blocking(const struct ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                         enum net_err *err);
/* The same with ring sizes (net/tcp.h tcp_connect_sized; NULL: defaults);
   also BAD_BUF_SIZE, NO_BUFFER. */
int tcp_connect_blocking_sized(const struct ip_addr *ip, uint16_t port, uint32_t timeout_ms,
                               const struct tcp_bufs *bufs, enum net_err *err);
/* Sends all len bytes (waits for ring space). Returns len, or -1 with *err
   (TIMEOUT when no progress for timeout_ms, RESET, CLOSED). */
long tcp_send_all(int s, const void *buf, size_t len, uint32_t timeout_ms, enum net_err *err);
/* Waits until bytes are readable: > 0 bytes copied, 0 orderly EOF, < 0 error
   in *err (TIMEOUT when nothing arrived within timeout_ms, RESET). */
long tcp_recv_blocking(int s, void *buf, size_t len, uint32_t timeout_ms, enum net_err *err);
/* tcp_close and waits up to timeout_ms for our FIN to be acknowledged. The
   handle is released either way. */
void tcp_close_blocking(int s, uint32_t timeout_ms);

#endif
