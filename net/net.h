/* The network stack's public face: one NIC, one global stack, polled.
   The caller (kernel glue or a host test) owns the device and passes time in:
   net_poll(now_ms) drives device RX, ARP/IPv4/ICMP/UDP input, and the timers
   of ARP, DHCP, DNS and TCP (tcp_timers). Shared code never reads a clock.
   All state is static inside net/; nothing is allocated. */
#ifndef NET_NET_H
#define NET_NET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"
#include "net/net_err.h"

#define NET_ETH_FRAME_MAX 1514   /* 14-byte header + 1500 MTU, no FCS */
#define NET_LINK_CHECK_MS 100    /* how often net_poll re-reads the link status */

/* A network device (virtio-net, a host fake, the fault injector wrapping
   another device). Drivers fill every field they have; tests may leave
   name and stats NULL. */
struct netdev {
    void *ctx;
    uint8_t mac[6];
    /* Sends one Ethernet frame (no FCS). NET_OK, or NET_ERR_NO_BUFFER when
       the device queue is full, NET_ERR_NO_LINK when down. */
    enum net_err (*tx)(void *ctx, const uint8_t *frame, size_t len);
    /* Copies one received frame into buf (cap >= NET_ETH_FRAME_MAX) and
       returns its length; 0 when nothing is pending. */
    size_t (*rx)(void *ctx, uint8_t *buf, size_t cap);
    /* Link status; NULL means always up. The stack reads it at net_init and
       then at most every NET_LINK_CHECK_MS from net_poll (on virtio-net it is
       a device register read, an exit to the device model under a hypervisor
       or emulator: too dear for every frame sent). */
    bool (*link_up)(void *ctx);
    /* Optional. A driver may hold back the doorbell (the notification that
       frames wait in its queue) after tx, to ring it once for several
       frames; flush rings it now for what is pending. The stack calls it at
       the end of every net_poll and from net_flush. NULL: tx sends at once. */
    void (*flush)(void *ctx);
    const char *name;            /* "virtio-net", "netfault", ... */
    /* Optional: formats the driver's own counters as one line without the
       newline ("virtio-net: rx=N tx=N ..."); returns its length. */
    size_t (*stats)(void *ctx, char *buf, size_t cap);
};

/* Randomness for DHCP xids, DNS ids, ephemeral ports and TCP ISNs. Returns 0
   on success, nonzero when no randomness is available. */
typedef int (*net_random_fn)(void *out, size_t len);
void net_set_random(net_random_fn fn);
/* Fills out from the random source; NET_ERR_NO_ENTROPY when unset/failing. */
enum net_err net_random(void *out, size_t len);

/* Configuration: ip=dhcp (default) | ip=A.B.C.D/NN gw=A.B.C.D, and the DNS
   server dns=A.B.C.D[:PORT] | dns=IPV6 | dns=[IPV6][:PORT]. */
struct net_config {
    bool     dhcp;
    ip4_addr addr, netmask, gw;
    struct ip_addr dns;      /* IP_FAMILY_NONE: DHCP's, else an RA's (net_dns_server) */
    uint16_t dns_port;       /* 53 unless dns=ADDR:PORT */
};
/* Parses the command-line values (any may be NULL = absent) into c.
   NET_ERR_INVALID_ARG for a value that is not one of the forms above (an
   IPv6 dns= with a zone, a port without brackets around an IPv6 address,
   port 0 or over 65535). */
enum net_err net_config_parse(struct net_config *c, const char *ip, const char *gw,
                              const char *dns);
/* The DNS server to ask: dns= or DHCP's (net_current_config()->dns), else,
   with IPv6 on, the first RDNSS server of a router advertisement (RFC 8106,
   port 53). false when there is none. */
bool net_dns_server(struct ip_addr *addr, uint16_t *port);

/* IPv6 (net/ipv6.h) runs beside IPv4 only when a configuration with
   enabled set was given here before net_init (the kernel passes the one
   app/options.c parsed from ipv6=, ip6= and gw6=: on unless ipv6=0). For
   the stack alone (host tests) it is off until then: EtherType 0x86DD
   frames are dropped and 33:33 multicast is not received. NULL turns it
   off again. net_init registers UDP (udp_input6) with the IPv6 layer. */
struct ip6_config;
void net_set_ipv6(const struct ip6_config *c);

/* Resets every layer and starts on dev (DHCP begins at the first poll). */
void net_init(struct netdev *dev, const struct net_config *cfg, uint64_t now_ms);
/* One round: drains up to a bounded number of RX frames, runs the timers. */
void net_poll(uint64_t now_ms);
/* Hands the frames sent since the last poll to the device now (a driver
   may batch them until then, see struct netdev.flush). net_poll ends with
   it; a caller that sends and then stops polling for a while calls it. */
void net_flush(void);
/* Time of the last net_poll/net_init (layers use it to stamp timers). */
uint64_t net_now(void);

/* Interface state after configuration (static, or DHCP lease). */
bool net_is_up(void);
/* NET_OK while up or still configuring; NET_ERR_DHCP_TIMEOUT when DHCP gave up. */
enum net_err net_config_status(void);
const struct net_config *net_current_config(void);  /* addresses in use */
const uint8_t *net_mac(void);
/* Low-level send through the device; counts. */
enum net_err net_dev_tx(const uint8_t *frame, size_t len);

/* Counters of the whole stack. TCP (net/tcp*.c) bumps the tcp_ fields. */
struct net_counters {
    uint64_t rx_frames, tx_frames, rx_bytes, tx_bytes;
    uint64_t rx_dropped;        /* not for us / unknown protocol / no socket */
    uint64_t rx_malformed;      /* failed a length/format check */
    uint64_t rx_checksum_err;   /* IPv4/ICMP/UDP checksum mismatch */
    uint64_t tx_errors;         /* device refused a frame */
    uint64_t arp_rx, arp_req_tx, arp_reply_tx, arp_timeouts, arp_queued, arp_queue_drops;
    uint64_t ip_rx, ip_tx, ip_frag_dropped, ip_ttl_expired;
    /* reassembly (net/ip4_reasm.h): fragments in, datagrams delivered,
       datagrams timed out; ip_frag_dropped above counts the fragments it
       refused (malformed, oversize, inconsistent) and the datagrams it
       evicted when its slots were full */
    uint64_t ip_frag_rx, ip_reasm_ok, ip_reasm_timeout;
    uint64_t icmp_echo_rx, icmp_echo_reply_tx;
    uint64_t udp_rx, udp_tx, udp_no_port;
    uint64_t dhcp_tx, dhcp_rx;
    uint64_t dns_queries, dns_retries, dns_tcp_fallbacks, dns_cache_hits;
    uint64_t tcp_rx, tcp_tx, tcp_retransmits, tcp_out_of_order;
    uint64_t fault_drop, fault_dup, fault_reorder, fault_corrupt;
    uint64_t udp6_rx, udp6_tx;   /* UDP over IPv6 (also in udp_rx/udp_tx) */
};
extern struct net_counters net_stats;
/* "net: counters rx_frames=N tx_frames=N ..." (no newline) into buf; with
   IPv6 on, the IPv6 counters follow (ip6_rx=N ip6_tx=N echo6_rx=N ...).
   Returns the full length (like snprintf). NET_COUNTERS_LINE_MAX holds the
   line even with 20-digit counters. */
#define NET_COUNTERS_LINE_MAX 1536
size_t net_counters_format(char *buf, size_t cap);

#endif
