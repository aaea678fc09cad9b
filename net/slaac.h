/* IPv6 stateless address autoconfiguration (RFC 4862) for one interface:
   our addresses, their states and lifetimes, and the choice of a source
   address.
   - The link-local address fe80::IID with the modified EUI-64 interface
     identifier of the MAC (RFC 4291 2.5.1, appendix A). (RFC 7217 stable
     identifiers would need a keyed hash here; not done.)
   - Duplicate address detection (5.4) for every address before use: the
     address is tentative while SLAAC_DAD_TRANSMITS solicitations from ::
     go to its solicited-node group, SLAAC_DAD_RETRANS_MS apart; we listen
     to that group meanwhile (slaac_listens). A solicitation from :: or an
     advertisement for a tentative address (net/ndp.c calls
     slaac_dad_conflict) marks it duplicate: never used.
   - Addresses from router advertisement prefixes (slaac_prefix, the A flag)
     of length 64 only (5.5.3: prefix + interface identifier must make 128
     bits; others are ignored and counted), with the valid and preferred
     lifetimes, the preferred > valid check (5.5.3 c) and the two-hour rule
     for lowering the valid lifetime of an address we have (5.5.3 e).
     Preferred lifetime over: deprecated (still received on, used as a
     source only when nothing else will do); valid lifetime over: removed.
   - Optimistic DAD (RFC 4429) for the link-local address and the addresses
     from RA prefixes (their interface identifier makes them likely unique,
     4429 3.1): they start SLAAC_OPTIMISTIC, usable at once as a source
     (ranked with deprecated ones, below a preferred address: 4429 3.1 on
     RFC 3484 rule 3) and received on, while DAD runs in the background; a
     conflict then removes the address for good (SLAAC_DUPLICATE, counted
     in ip6_stats.dad_optimistic_lost, reported through the hook of
     slaac_set_conflict_hook). net/ndp.c keeps the neighbour rules of 4429
     3.3 (no SLLA option from an optimistic source, O flag clear in NAs for
     an optimistic target).
   - A static address (ip6=ADDR/LEN), never expiring, with ordinary DAD:
     tentative, unused until DAD passes.
   State is static here (SLAAC_ADDRS entries); nothing allocated. */
#ifndef NET_SLAAC_H
#define NET_SLAAC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAAC_ADDRS 6
#define SLAAC_DAD_TRANSMITS 1             /* DupAddrDetectTransmits (5.1) */
#define SLAAC_DAD_RETRANS_MS 1000         /* RetransTimer (RFC 4861 10) */
#define SLAAC_TWO_HOURS_MS (2ull * 3600 * 1000)

enum slaac_state {
    SLAAC_UNUSED = 0, SLAAC_TENTATIVE, SLAAC_PREFERRED, SLAAC_DEPRECATED, SLAAC_DUPLICATE,
    SLAAC_OPTIMISTIC,
};
const char *slaac_state_str(enum slaac_state s);

enum slaac_origin { SLAAC_LINK_LOCAL, SLAAC_AUTO, SLAAC_STATIC };

struct slaac_addr {
    uint8_t state;             /* enum slaac_state */
    uint8_t origin;            /* enum slaac_origin */
    uint8_t addr[16], plen;
    uint64_t valid_until_ms, preferred_until_ms;   /* UINT64_MAX: infinite */
    uint8_t dad_sent;
    uint64_t dad_next_ms;
};

void slaac_reset(void);
/* The modified EUI-64 interface identifier of mac (8 bytes). */
void slaac_eui64(const uint8_t mac[6], uint8_t iid[8]);
/* Starts with the link-local address of mac, optimistic, DAD at now_ms. */
void slaac_start(const uint8_t mac[6], uint64_t now_ms);
/* A static address (ip6=), tentative until DAD passes. */
void slaac_add_static(const uint8_t addr[16], uint8_t plen, uint64_t now_ms);
/* A prefix information option with the A flag (RFC 4862 5.5.3); lifetimes
   in seconds, 0xffffffff infinite. */
void slaac_prefix(const uint8_t prefix[16], uint8_t plen, uint32_t valid_s,
                  uint32_t preferred_s, uint64_t now_ms);
/* DAD transmissions and completions, lifetimes. */
void slaac_timers(uint64_t now_ms);
/* Duplicate address detected for addr while its DAD runs (tentative or
   optimistic): it becomes SLAAC_DUPLICATE, never used; for an optimistic
   one the hook (if set) is called and dad_optimistic_lost counted. */
void slaac_dad_conflict(const uint8_t addr[16], uint64_t now_ms);
/* Called with the address an optimistic DAD lost (NULL: none). */
typedef void (*slaac_conflict_hook)(const uint8_t addr[16]);
void slaac_set_conflict_hook(slaac_conflict_hook fn);

/* addr is ours and usable: preferred, deprecated or optimistic (not
   tentative). */
bool slaac_is_mine(const uint8_t addr[16]);
bool slaac_is_tentative(const uint8_t addr[16]);
bool slaac_is_optimistic(const uint8_t addr[16]);
/* We receive on the multicast group: all-nodes, or the solicited-node group
   of one of our addresses (tentative ones included, 5.4.2). */
bool slaac_listens(const uint8_t group[16]);
/* A source address for dst (a reduced RFC 6724: the same scope, preferred
   before deprecated and optimistic, the longest matching prefix): the link-local address
   for link-local and link-scope multicast destinations, a global one for
   the rest. false when there is none. */
bool slaac_source(const uint8_t dst[16], uint8_t out[16]);
/* Entries in use, copied to out (up to cap); returns the count. */
size_t slaac_addrs(struct slaac_addr *out, size_t cap);

#endif
