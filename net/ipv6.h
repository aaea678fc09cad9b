/* IPv6 (RFC 8200) for one Ethernet interface: the fixed header (parse and
   build), input (header checks, the extension-header walk of net/ip6_ext.h,
   reassembly through net/ip6_reasm.h, dispatch to ICMPv6 and to the
   transports a caller registered) and output (source address choice from
   net/slaac.h, next hop from net/ndp.h, link address by a resolver, the
   path MTU of net/icmpv6.h; we never fragment what we send).

   Layering: this module knows nothing of the IPv4 stack. Its caller (the
   stack core, or a host test) gives it a link at ip6_init: the MAC and a
   function that sends one Ethernet frame; then feeds it the payloads of
   EtherType 0x86DD frames (ip6_input) and the clock (ip6_timers). Shared
   code never reads a clock. All state is static in net/ip6*.c, net/icmpv6.c,
   net/ndp.c and net/slaac.c: one interface, nothing allocated. */
#ifndef NET_IPV6_H
#define NET_IPV6_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/net_err.h"

#define ETH_TYPE_IPV6   0x86DD
#define IP6_HDR_LEN     40
#define IP6_MIN_MTU     1280     /* RFC 8200 5: every link carries this */
#define IP6_LINK_MTU    1500     /* Ethernet; an RA MTU option may lower it */
#define IP6_HOP_LIMIT   64       /* default until an RA sets Cur Hop Limit */

/* Next header values (IANA "Assigned Internet Protocol Numbers"). */
#define IP6_NH_HOPOPTS  0
#define IP6_NH_TCP      6
#define IP6_NH_UDP      17
#define IP6_NH_ROUTING  43
#define IP6_NH_FRAGMENT 44
#define IP6_NH_ICMPV6   58
#define IP6_NH_NONE     59
#define IP6_NH_DSTOPTS  60

/* Parsed fixed header (RFC 8200 section 3). Addresses as on the wire. */
struct ip6_hdr {
    uint8_t  tclass;
    uint32_t flow;          /* 20 bits */
    uint16_t plen;          /* payload length: bytes after the 40 */
    uint8_t  nh, hlim;
    uint8_t  src[16], dst[16];
};
/* Checks version 6, the 40 bytes and plen against len (a frame may carry
   padding after the payload: Ethernet's 60-byte minimum). The packet is then
   pkt[0 .. 40 + h->plen). NET_ERR_MALFORMED otherwise. A payload length of
   0 with a hop-by-hop header (a jumbogram, RFC 2675) is not supported: the
   walk refuses its option. */
enum net_err ip6_parse(const uint8_t *pkt, size_t len, struct ip6_hdr *h);
/* Writes the 40-byte header of h. */
void ip6_build(uint8_t out[IP6_HDR_LEN], const struct ip6_hdr *h);

/* Address classes (RFC 4291 2.4). */
bool ip6_is_unspecified(const uint8_t a[16]);
bool ip6_is_loopback(const uint8_t a[16]);
bool ip6_is_multicast(const uint8_t a[16]);
bool ip6_is_link_local(const uint8_t a[16]);   /* fe80::/10 */
/* The solicited-node multicast address of a: ff02::1:ffXX:XXXX (RFC 4291
   2.7.1), which a neighbour solicitation for a is sent to. */
void ip6_solicited_node(const uint8_t a[16], uint8_t out[16]);
/* The Ethernet address of an IPv6 multicast group: 33:33 and its last four
   bytes (RFC 2464 7). */
void ip6_multicast_mac(const uint8_t group[16], uint8_t mac[6]);
/* First plen bits of a and b equal. */
bool ip6_prefix_eq(const uint8_t a[16], const uint8_t b[16], unsigned plen);
extern const uint8_t ip6_all_nodes[16];     /* ff02::1 */
extern const uint8_t ip6_all_routers[16];   /* ff02::2 */

/* Configuration: ipv6=0 turns the layer off (ip6_input drops, nothing is
   sent); ip6=ADDR/LEN gw6=ADDR adds a static address and default router
   beside what SLAAC configures. */
struct ip6_config {
    bool enabled;
    bool has_static;
    uint8_t addr[16], plen;
    bool has_gw;
    uint8_t gw[16];
};
/* Parses the values of ipv6=, ip6= and gw6= (any may be NULL = absent;
   ipv6 is "0" or "1", absent means on) into c. ip6 is an address literal
   (ip_addr_parse_v6) with a prefix length 1..128, unicast; gw6 a unicast
   address (neither :: nor multicast). NET_ERR_INVALID_ARG for a bad value,
   and for ip6=/gw6= together with ipv6=0 (settings that would be ignored). */
enum net_err ip6_config_parse(struct ip6_config *c, const char *ipv6, const char *ip6,
                              const char *gw6);

/* The link below IPv6: one Ethernet device. */
struct ip6_link {
    void *ctx;
    uint8_t mac[6];
    enum net_err (*tx)(void *ctx, const uint8_t *frame, size_t len);
};

/* Handler of an upper-layer protocol (UDP: registered by net_init, TCP:
   by tcp_reset_all). h: the fixed header (plen is the upper-layer length,
   after extension headers and reassembly); p[0..len) the upper-layer
   message. The handler checks its own checksum (inet6_pseudo_sum). */
typedef void (*ip6_upper_fn)(const struct ip6_hdr *h, const uint8_t *p, size_t len);
/* Registers fn for next header proto (IP6_NH_UDP, IP6_NH_TCP); NULL
   removes it. Packets for UDP or TCP without a handler are counted as
   rx_no_proto and dropped (the transports answer for their own ports);
   other unknown next headers get a parameter problem
   from the walk. ICMPv6 is built in. */
void ip6_set_upper(uint8_t proto, ip6_upper_fn fn);

/* Resets every IPv6 module and starts on link: the link-local address
   from the MAC with DAD, router solicitations, the static address of cfg.
   A disabled cfg leaves the layer off. */
void ip6_init(const struct ip6_link *link, const struct ip6_config *cfg, uint64_t now_ms);
bool ip6_enabled(void);
/* The payload of an EtherType 0x86DD frame. */
void ip6_input(const uint8_t *pkt, size_t len, uint64_t now_ms);
/* Timers of reassembly, neighbour discovery and SLAAC. */
void ip6_timers(uint64_t now_ms);
uint64_t ip6_now(void);
/* Link MTU in use (IP6_LINK_MTU, or less from an RA MTU option). */
size_t ip6_link_mtu(void);
void ip6_set_link_mtu(size_t mtu);
/* Hop limit of the packets we originate (an RA may change it). */
uint8_t ip6_hop_limit(void);
void ip6_set_hop_limit(uint8_t h);
/* Our MAC. */
const uint8_t *ip6_mac(void);

/* Sends one packet: next header nh, upper-layer header and payload given
   separately (no copy by the caller). src NULL: chosen by slaac_source
   (link-local for link-local and multicast destinations); hlim 0: the
   default hop limit. Multicast goes to its 33:33 MAC; unicast to the next
   hop (ndp_next_hop: the destination when on-link, else a default router)
   through the neighbour cache, which may queue the packet behind a
   solicitation (NET_OK then too). NET_ERR_TOO_BIG when the packet exceeds
   the path MTU (ip6_path_mtu); NET_ERR_NO_ROUTE without a source address or
   a next hop. */
enum net_err ip6_output(const uint8_t *src, const uint8_t dst[16], uint8_t nh, uint8_t hlim,
                        const void *hdr, size_t hlen, const void *payload, size_t plen);
/* Sends a whole IPv6 packet (header included) to the link address mac. */
enum net_err ip6_send_to_mac(const uint8_t mac[6], const uint8_t *pkt, size_t len);

/* Counters of the IPv6 layers. */
struct ip6_counters {
    uint64_t rx, tx, rx_malformed, rx_not_for_us, rx_no_proto;
    uint64_t rx_ext_refused;      /* routing type 0, unknown options to drop */
    uint64_t param_problem_tx;
    uint64_t frag_rx, reasm_ok, reasm_timeout, frag_dropped;
    uint64_t icmp_rx, icmp_checksum_err, icmp_errors_tx, icmp_rate_limited;
    uint64_t echo_rx, echo_reply_tx, ptb_rx;
    uint64_t nd_rx, nd_invalid, ns_tx, na_tx, rs_tx, ra_rx, redirects_ignored;
    uint64_t nd_queue_drops, nd_failed;
    uint64_t dad_ns_tx, dad_conflicts, dad_optimistic_lost, prefix_ignored;
};
extern struct ip6_counters ip6_stats;

#endif
