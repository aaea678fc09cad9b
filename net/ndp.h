/* Neighbor Discovery for IPv6 (RFC 4861) on one Ethernet link, as a host:
   - the neighbour cache (NDP_NEIGH_SLOTS entries) and its states of 7.3.2,
     INCOMPLETE, REACHABLE, STALE, DELAY and PROBE, driven by ndp_timers on
     the caller's clock; one packet waits per INCOMPLETE entry (7.2.2, a
     newer one replaces it);
   - neighbour solicitations and advertisements in both directions (7.2),
     with the validity checks of 7.1.1 and 7.1.2;
   - router solicitations at start (6.3.7: up to NDP_RS_COUNT, every
     NDP_RS_INTERVAL_MS), router advertisements (6.1.2 checks: hop limit
     255, a link-local source, code 0, at least 16 bytes, every option of
     nonzero length, else the packet is dropped whole), the default router
     list (NDP_ROUTER_SLOTS, router lifetime, 6.3.4), on-link prefixes
     (NDP_PREFIX_SLOTS, L flag and valid lifetime), the MTU option, Cur Hop
     Limit, Reachable Time, Retrans Timer, RDNSS (RFC 8106: up to
     NDP_DNS_SLOTS servers with lifetimes); prefixes with the A flag go to
     net/slaac.h (slaac_prefix);
   - redirects (8) are ignored and counted: a host may, and a redirect can
     only send traffic somewhere we did not choose.
   NS and NA for our tentative and optimistic addresses feed duplicate
   address detection (net/slaac.h); for an optimistic address (RFC 4429
   3.3) the NS we send carry no SLLA option, RS go from ::, and our NA
   leave the O flag clear. State is static in net/ndp.c; nothing allocated. */
#ifndef NET_NDP_H
#define NET_NDP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/ipv6.h"

#define NDP_NEIGH_SLOTS  16
#define NDP_ROUTER_SLOTS 4
#define NDP_PREFIX_SLOTS 8
#define NDP_DNS_SLOTS    3
/* RFC 4861 10 constants */
#define NDP_RS_COUNT         3
#define NDP_RS_INTERVAL_MS   4000
#define NDP_MAX_MULTICAST_SOLICIT 3
#define NDP_MAX_UNICAST_SOLICIT   3
#define NDP_REACHABLE_MS     30000
#define NDP_RETRANS_MS       1000
#define NDP_DELAY_MS         5000

enum ndp_state {
    NDP_NONE = 0, NDP_INCOMPLETE, NDP_REACHABLE, NDP_STALE, NDP_DELAY, NDP_PROBE,
};
const char *ndp_state_str(enum ndp_state s);

struct ndp_router {
    uint8_t addr[16];
    uint64_t expires_ms;       /* UINT64_MAX: static (gw6=) */
};
struct ndp_prefix {
    uint8_t prefix[16], len;
    uint64_t expires_ms;       /* UINT64_MAX: infinite */
};
struct ndp_dns {
    uint8_t addr[16];
    uint64_t expires_ms;
};

void ndp_reset(uint64_t now_ms);
/* Starts router solicitation (ip6_init). */
void ndp_start(uint64_t now_ms);
/* Neighbour discovery messages (ICMPv6 types 133..137), checksum checked. */
void ndp_input(const struct ip6_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms);
void ndp_timers(uint64_t now_ms);

/* The link address of ip into mac: NET_OK when known (REACHABLE, STALE,
   DELAY, PROBE; sending to a STALE entry starts DELAY). Otherwise the
   packet pkt[0..len) waits in an INCOMPLETE entry while solicitations go
   out, and the result is NET_ERR_AGAIN (NET_ERR_NO_BUFFER when no entry
   could be had). */
enum net_err ndp_resolve(const uint8_t ip[16], uint8_t mac[6], const uint8_t *pkt, size_t len,
                         uint64_t now_ms);
/* Forward progress from an upper layer (a TCP ACK for new data, 7.3.1):
   the entry becomes REACHABLE. */
void ndp_confirm(const uint8_t ip[16], uint64_t now_ms);
/* State of ip's entry (NDP_NONE: none); mac filled when not NULL and known. */
enum ndp_state ndp_lookup(const uint8_t ip[16], uint8_t mac[6]);

/* Where a packet to dst goes (5.2): dst itself when on-link (link-local,
   multicast, or inside an on-link prefix or a static ip6= prefix), else a
   default router (the first reachable one, else any). false: no route. */
bool ndp_next_hop(const uint8_t dst[16], uint8_t next[16]);
/* Adds a router that never expires (gw6=), and an on-link prefix that never
   expires (ip6=ADDR/LEN). */
void ndp_add_static_router(const uint8_t addr[16]);
void ndp_add_static_prefix(const uint8_t prefix[16], uint8_t len);

/* Lists, for the boot line and tests: entries in use are copied to out (up
   to cap); the count is returned. */
size_t ndp_routers(struct ndp_router *out, size_t cap);
size_t ndp_prefixes(struct ndp_prefix *out, size_t cap);
size_t ndp_dns_servers(struct ndp_dns *out, size_t cap);

/* Sends a neighbour solicitation for target: dad true for duplicate
   address detection (from ::, no source link-layer option, RFC 4862
   5.4.2), else from the address slaac_source picks, with our MAC (none
   when that address is optimistic, RFC 4429 3.3); dst NULL
   for the solicited-node group of target. */
enum net_err ndp_send_ns(bool dad, const uint8_t *dst, const uint8_t target[16]);

#endif
