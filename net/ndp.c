/* see ndp.h */
#include "net/ndp.h"
#include "net/icmpv6.h"
#include "net/slaac.h"
#include <string.h>
#include "lib/bytes.h"

#define OPT_SLLA   1
#define OPT_TLLA   2
#define OPT_PREFIX 3
#define OPT_MTU    5
#define OPT_RDNSS  25
#define NA_R 0x80
#define NA_S 0x40
#define NA_O 0x20
#define FOREVER UINT64_MAX

struct neigh {
    uint8_t state;             /* enum ndp_state */
    bool router;
    uint8_t ip[16], mac[6];
    uint8_t probes;            /* solicitations sent in this state */
    uint64_t timer_ms;         /* next event of INCOMPLETE/REACHABLE/DELAY/PROBE */
    uint64_t used_ms;          /* last change: the oldest STALE entry is reused */
    size_t qlen;               /* the packet waiting for resolution */
    uint8_t q[IP6_LINK_MTU];
};

static struct neigh cache[NDP_NEIGH_SLOTS];
static struct ndp_router routers[NDP_ROUTER_SLOTS];
static bool router_used[NDP_ROUTER_SLOTS];
static struct ndp_prefix prefixes[NDP_PREFIX_SLOTS];
static bool prefix_used[NDP_PREFIX_SLOTS];
static struct ndp_dns dns[NDP_DNS_SLOTS];
static bool dns_used[NDP_DNS_SLOTS];
static uint32_t reachable_ms, retrans_ms;
static unsigned rs_left;
static uint64_t rs_next_ms;
static uint8_t msg[IP6_MIN_MTU];

const char *ndp_state_str(enum ndp_state s)
{
    switch (s) {
    case NDP_NONE: return "none";
    case NDP_INCOMPLETE: return "incomplete";
    case NDP_REACHABLE: return "reachable";
    case NDP_STALE: return "stale";
    case NDP_DELAY: return "delay";
    case NDP_PROBE: return "probe";
    }
    return "unknown";
}

void ndp_reset(uint64_t now_ms)
{
    memset(cache, 0, sizeof cache);
    memset(router_used, 0, sizeof router_used);
    memset(prefix_used, 0, sizeof prefix_used);
    memset(dns_used, 0, sizeof dns_used);
    reachable_ms = NDP_REACHABLE_MS;
    retrans_ms = NDP_RETRANS_MS;
    rs_left = 0;
    rs_next_ms = now_ms;
}

void ndp_start(uint64_t now_ms)
{
    rs_left = NDP_RS_COUNT;
    rs_next_ms = now_ms;
}

static uint64_t lifetime_ms(uint32_t s, uint64_t now_ms)
{
    return s == 0xFFFFFFFFu ? FOREVER : now_ms + (uint64_t)s * 1000;
}

static struct neigh *find(const uint8_t ip[16])
{
    for (int i = 0; i < NDP_NEIGH_SLOTS; i++)
        if (cache[i].state != NDP_NONE && !memcmp(cache[i].ip, ip, 16))
            return &cache[i];
    return NULL;
}

/* A free entry, else the least recently changed STALE one; NULL when every
   entry is busy resolving or in use. */
static struct neigh *alloc(const uint8_t ip[16], uint64_t now_ms)
{
    struct neigh *e = NULL;
    for (int i = 0; i < NDP_NEIGH_SLOTS && !e; i++)
        if (cache[i].state == NDP_NONE)
            e = &cache[i];
    for (int i = 0; i < NDP_NEIGH_SLOTS && !e; i++) {
        struct neigh *c = &cache[i];
        if (c->state == NDP_STALE && (!e || c->used_ms < e->used_ms))
            e = c;
    }
    if (!e)
        return NULL;
    memset(e, 0, offsetof(struct neigh, q));
    memcpy(e->ip, ip, 16);
    e->used_ms = now_ms;
    return e;
}

static void set_state(struct neigh *e, enum ndp_state s, uint64_t now_ms)
{
    e->state = (uint8_t)s;
    e->probes = 0;
    e->used_ms = now_ms;
    if (s == NDP_REACHABLE)
        e->timer_ms = now_ms + reachable_ms;
    else if (s == NDP_DELAY)
        e->timer_ms = now_ms + NDP_DELAY_MS;
    else if (s == NDP_PROBE || s == NDP_INCOMPLETE)
        e->timer_ms = now_ms + retrans_ms;
}

/* The link address is known now: the waiting packet goes out. */
static void flush_queue(struct neigh *e)
{
    if (e->qlen) {
        size_t n = e->qlen;
        e->qlen = 0;
        ip6_send_to_mac(e->mac, e->q, n);
    }
}

enum net_err ndp_send_ns(bool dad, const uint8_t *dst, const uint8_t target[16])
{
    static const uint8_t unspecified[16];
    uint8_t group[16], chosen[16];
    const uint8_t *src = unspecified;
    if (!dst) {
        ip6_solicited_node(target, group);
        dst = group;
    }
    if (!dad) {
        /* one of our addresses of the target's scope, else the link-local
           one (a new prefix's address may still be tentative) */
        if (!slaac_source(target, chosen) && !slaac_source(ip6_all_nodes, chosen))
            return NET_ERR_NO_ROUTE;
        src = chosen;
    }
    memset(msg, 0, 24);
    msg[0] = ICMP6_NEIGHBOR_SOLICIT;
    memcpy(msg + 8, target, 16);
    size_t n = 24;
    /* 4.3: no SLLA from ::; RFC 4429 3.3: none from an optimistic address
       either (it must not override the caches of others before DAD ends;
       the neighbour answers after resolving us in turn) */
    if (!ip6_is_unspecified(src) && !slaac_is_optimistic(src)) {
        msg[n] = OPT_SLLA;
        msg[n + 1] = 1;
        memcpy(msg + n + 2, ip6_mac(), 6);
        n += 8;
    }
    enum net_err e = icmp6_send(src, dst, 255, msg, n);
    if (e == NET_OK)
        ip6_stats.ns_tx++;
    return e;
}

static enum net_err send_na(const uint8_t target[16], const uint8_t dst[16], uint8_t flags)
{
    memset(msg, 0, 24);
    msg[0] = ICMP6_NEIGHBOR_ADVERT;
    msg[4] = flags;
    memcpy(msg + 8, target, 16);
    msg[24] = OPT_TLLA;
    msg[25] = 1;
    memcpy(msg + 26, ip6_mac(), 6);
    enum net_err e = icmp6_send(target, dst, 255, msg, 32);
    if (e == NET_OK)
        ip6_stats.na_tx++;
    return e;
}

static void send_rs(void)
{
    static const uint8_t unspecified[16];
    uint8_t src[16];
    /* RFC 4429 3.3: never an SLLA option from an optimistic address; the
       RS goes from :: then (a SHOULD of 3.3) */
    bool have = slaac_source(ip6_all_routers, src) && ip6_is_link_local(src) &&
                !slaac_is_optimistic(src);
    memset(msg, 0, 8);
    msg[0] = ICMP6_ROUTER_SOLICIT;
    size_t n = 8;
    if (have) {
        msg[8] = OPT_SLLA;
        msg[9] = 1;
        memcpy(msg + 10, ip6_mac(), 6);
        n = 16;
    }
    if (icmp6_send(have ? src : unspecified, ip6_all_routers, 255, msg, n) == NET_OK)
        ip6_stats.rs_tx++;
}

enum net_err ndp_resolve(const uint8_t ip[16], uint8_t mac[6], const uint8_t *pkt, size_t len,
                         uint64_t now_ms)
{
    struct neigh *e = find(ip);
    if (e && e->state != NDP_INCOMPLETE) {
        memcpy(mac, e->mac, 6);
        if (e->state == NDP_STALE)
            set_state(e, NDP_DELAY, now_ms);   /* 7.3.3 */
        return NET_OK;
    }
    if (len > sizeof e->q)
        return NET_ERR_TOO_BIG;
    bool fresh = !e;
    if (fresh) {
        e = alloc(ip, now_ms);
        if (!e) {
            ip6_stats.nd_queue_drops++;
            return NET_ERR_NO_BUFFER;
        }
        set_state(e, NDP_INCOMPLETE, now_ms);
        e->probes = 1;
    } else if (e->qlen) {
        ip6_stats.nd_queue_drops++;   /* the newer packet replaces it */
    }
    /* queued before the solicitation goes out: pkt may be the buffer that
       sending reuses */
    memcpy(e->q, pkt, len);
    e->qlen = len;
    if (fresh)
        ndp_send_ns(false, NULL, ip);
    return NET_ERR_AGAIN;
}

void ndp_confirm(const uint8_t ip[16], uint64_t now_ms)
{
    struct neigh *e = find(ip);
    if (e && e->state != NDP_INCOMPLETE)
        set_state(e, NDP_REACHABLE, now_ms);
}

enum ndp_state ndp_lookup(const uint8_t ip[16], uint8_t mac[6])
{
    struct neigh *e = find(ip);
    if (!e)
        return NDP_NONE;
    if (mac && e->state != NDP_INCOMPLETE)
        memcpy(mac, e->mac, 6);
    return (enum ndp_state)e->state;
}

static void forget(struct neigh *e)
{
    if (e->qlen)
        ip6_stats.nd_queue_drops++;
    e->state = NDP_NONE;
    e->qlen = 0;
}

void ndp_timers(uint64_t now_ms)
{
    for (int i = 0; i < NDP_NEIGH_SLOTS; i++) {
        struct neigh *e = &cache[i];
        if (e->state == NDP_NONE || e->state == NDP_STALE || now_ms < e->timer_ms)
            continue;
        switch (e->state) {
        case NDP_INCOMPLETE:
            if (e->probes >= NDP_MAX_MULTICAST_SOLICIT) {
                ip6_stats.nd_failed++;
                forget(e);
                break;
            }
            e->probes++;
            e->timer_ms = now_ms + retrans_ms;
            ndp_send_ns(false, NULL, e->ip);
            break;
        case NDP_REACHABLE:
            set_state(e, NDP_STALE, now_ms);
            break;
        case NDP_DELAY:
            set_state(e, NDP_PROBE, now_ms);
            e->probes = 1;
            ndp_send_ns(false, e->ip, e->ip);   /* unicast probe */
            break;
        case NDP_PROBE:
            if (e->probes >= NDP_MAX_UNICAST_SOLICIT) {
                ip6_stats.nd_failed++;
                forget(e);
                break;
            }
            e->probes++;
            e->timer_ms = now_ms + retrans_ms;
            ndp_send_ns(false, e->ip, e->ip);
            break;
        default:
            break;
        }
    }
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++)
        if (router_used[i] && now_ms >= routers[i].expires_ms)
            router_used[i] = false;
    for (int i = 0; i < NDP_PREFIX_SLOTS; i++)
        if (prefix_used[i] && now_ms >= prefixes[i].expires_ms)
            prefix_used[i] = false;
    for (int i = 0; i < NDP_DNS_SLOTS; i++)
        if (dns_used[i] && now_ms >= dns[i].expires_ms)
            dns_used[i] = false;
    if (rs_left && now_ms >= rs_next_ms) {
        rs_left--;
        rs_next_ms = now_ms + NDP_RS_INTERVAL_MS;
        send_rs();
    }
}

/* Every option in p[0..len) has a nonzero length and fits (4.6: a zero
   length invalidates the whole message). */
static bool options_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (len - i < 2 || p[i + 1] == 0 || (size_t)p[i + 1] * 8 > len - i)
            return false;
        i += (size_t)p[i + 1] * 8;
    }
    return true;
}

/* The link-layer address option of type t (len 1: Ethernet), or NULL. */
static const uint8_t *find_lla(const uint8_t *p, size_t len, uint8_t t)
{
    for (size_t i = 0; i < len; i += (size_t)p[i + 1] * 8)
        if (p[i] == t && p[i + 1] == 1)
            return p + i + 2;
    return NULL;
}

/* A link address learnt from an NS or RA (7.2.3, 6.3.4): a new entry or a
   changed address gives STALE; an INCOMPLETE entry sends its packet. */
static struct neigh *learn(const uint8_t ip[16], const uint8_t mac[6], uint64_t now_ms)
{
    struct neigh *e = find(ip);
    if (!e) {
        e = alloc(ip, now_ms);
        if (!e)
            return NULL;
    } else if (e->state != NDP_INCOMPLETE && !memcmp(e->mac, mac, 6)) {
        return e;
    }
    memcpy(e->mac, mac, 6);
    set_state(e, NDP_STALE, now_ms);
    flush_queue(e);
    return e;
}

static bool is_solicited_node(const uint8_t a[16])
{
    static const uint8_t pre[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
    return !memcmp(a, pre, 13);
}

static void neighbor_solicit(const struct ip6_hdr *h, const uint8_t *p, size_t len,
                             uint64_t now_ms)
{
    const uint8_t *target = p + 8, *opt = p + 24;
    size_t olen = len - 24;
    const uint8_t *slla = find_lla(opt, olen, OPT_SLLA);
    bool from_dad = ip6_is_unspecified(h->src);
    if (ip6_is_multicast(target) || (from_dad && (!is_solicited_node(h->dst) || slla))) {
        ip6_stats.nd_invalid++;
        return;
    }
    if (slaac_is_tentative(target)) {
        /* RFC 4862 5.4.3: another node's DAD for our tentative address is
           a duplicate; a resolution for it is not answered */
        if (from_dad)
            slaac_dad_conflict(target, now_ms);
        return;
    }
    if (from_dad && slaac_is_optimistic(target)) {
        slaac_dad_conflict(target, now_ms);   /* 5.4.3 holds for optimistic too */
        return;
    }
    /* RFC 4429 3.3: an NA for an optimistic address leaves O clear, so it
       cannot override a cache entry of the address's rightful owner */
    uint8_t override = slaac_is_optimistic(target) ? 0 : NA_O;
    if (!slaac_is_mine(target)) {
        ip6_stats.rx_not_for_us++;
        return;
    }
    if (from_dad) {   /* 7.2.4: to all nodes, not solicited */
        send_na(target, ip6_all_nodes, override);
        return;
    }
    if (slla)
        learn(h->src, slla, now_ms);
    send_na(target, h->src, (uint8_t)(NA_S | override));
}

static void remove_router(const uint8_t addr[16])
{
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++)
        if (router_used[i] && !memcmp(routers[i].addr, addr, 16))
            router_used[i] = false;
}

static void neighbor_advert(const struct ip6_hdr *h, const uint8_t *p, size_t len,
                            uint64_t now_ms)
{
    const uint8_t *target = p + 8;
    uint8_t flags = p[4];
    if (ip6_is_multicast(target) || (ip6_is_multicast(h->dst) && (flags & NA_S))) {
        ip6_stats.nd_invalid++;
        return;
    }
    if (slaac_is_tentative(target) || slaac_is_optimistic(target)) {   /* RFC 4862 5.4.4 */
        slaac_dad_conflict(target, now_ms);
        return;
    }
    if (slaac_is_mine(target)) {
        ip6_stats.dad_conflicts++;      /* someone else claims our address */
        return;
    }
    struct neigh *e = find(target);
    if (!e)
        return;   /* 7.2.5: no entry, nothing to update */
    const uint8_t *tlla = find_lla(p + 24, len - 24, OPT_TLLA);
    if (e->state == NDP_INCOMPLETE) {
        if (!tlla)
            return;
        memcpy(e->mac, tlla, 6);
        set_state(e, (flags & NA_S) ? NDP_REACHABLE : NDP_STALE, now_ms);
        e->router = flags & NA_R;
        flush_queue(e);
        return;
    }
    bool differs = tlla && memcmp(tlla, e->mac, 6) != 0;
    if (!(flags & NA_O) && differs) {
        if (e->state == NDP_REACHABLE)
            set_state(e, NDP_STALE, now_ms);
        return;
    }
    if (tlla)
        memcpy(e->mac, tlla, 6);
    if (flags & NA_S)
        set_state(e, NDP_REACHABLE, now_ms);
    else if (differs)
        set_state(e, NDP_STALE, now_ms);
    if (e->router && !(flags & NA_R))
        remove_router(target);
    e->router = flags & NA_R;
}

static void update_router(const uint8_t addr[16], uint16_t lifetime_s, uint64_t now_ms)
{
    int slot = -1;
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++)
        if (router_used[i] && !memcmp(routers[i].addr, addr, 16))
            slot = i;
    if (lifetime_s == 0) {   /* 6.3.4: zero removes it */
        if (slot >= 0)
            router_used[slot] = false;
        return;
    }
    for (int i = 0; i < NDP_ROUTER_SLOTS && slot < 0; i++)
        if (!router_used[i])
            slot = i;
    if (slot < 0)
        return;   /* the list is full: keep the routers we have */
    if (router_used[slot] && routers[slot].expires_ms == FOREVER)
        return;   /* static gw6= */
    router_used[slot] = true;
    memcpy(routers[slot].addr, addr, 16);
    routers[slot].expires_ms = now_ms + (uint64_t)lifetime_s * 1000;
}

static void update_prefix(const uint8_t prefix[16], uint8_t plen, uint32_t valid,
                          uint64_t now_ms)
{
    int slot = -1;
    for (int i = 0; i < NDP_PREFIX_SLOTS; i++)
        if (prefix_used[i] && prefixes[i].len == plen && ip6_prefix_eq(prefixes[i].prefix, prefix, plen))
            slot = i;
    if (valid == 0) {   /* 6.3.4: times out at once */
        if (slot >= 0 && prefixes[slot].expires_ms != FOREVER)
            prefix_used[slot] = false;
        return;
    }
    for (int i = 0; i < NDP_PREFIX_SLOTS && slot < 0; i++)
        if (!prefix_used[i])
            slot = i;
    if (slot < 0 || (prefix_used[slot] && prefixes[slot].expires_ms == FOREVER))
        return;
    prefix_used[slot] = true;
    memset(prefixes[slot].prefix, 0, 16);
    for (unsigned b = 0; b < plen; b++)
        prefixes[slot].prefix[b / 8] |= (uint8_t)(prefix[b / 8] & (0x80u >> (b % 8)));
    prefixes[slot].len = plen;
    prefixes[slot].expires_ms = lifetime_ms(valid, now_ms);
}

/* RFC 4861 4.6.2 */
static void prefix_option(const uint8_t *o, uint64_t now_ms)
{
    uint8_t plen = o[2], flags = o[3];
    uint32_t valid = be32_get(o + 4), preferred = be32_get(o + 8);
    const uint8_t *prefix = o + 16;
    if (plen > 128 || ip6_is_link_local(prefix) || ip6_is_multicast(prefix))
        return;   /* 6.3.4: the link-local prefix is ignored */
    if (flags & 0x80)
        update_prefix(prefix, plen, valid, now_ms);
    if (flags & 0x40)
        slaac_prefix(prefix, plen, valid, preferred, now_ms);
}

/* RFC 8106 5.1: lifetime, then one or more addresses; length 3, 5, 7... */
static void rdnss_option(const uint8_t *o, uint64_t now_ms)
{
    unsigned olen = o[1];
    if (olen < 3 || olen % 2 == 0)
        return;
    uint32_t life = be32_get(o + 4);
    for (unsigned k = 0; k < (olen - 1) / 2; k++) {
        const uint8_t *a = o + 8 + 16 * k;
        if (ip6_is_multicast(a) || ip6_is_unspecified(a))
            continue;
        int slot = -1;
        for (int i = 0; i < NDP_DNS_SLOTS; i++)
            if (dns_used[i] && !memcmp(dns[i].addr, a, 16))
                slot = i;
        if (life == 0) {
            if (slot >= 0)
                dns_used[slot] = false;
            continue;
        }
        for (int i = 0; i < NDP_DNS_SLOTS && slot < 0; i++)
            if (!dns_used[i])
                slot = i;
        if (slot < 0) {   /* full: the one that expires first makes room (5.3.1) */
            slot = 0;
            for (int i = 1; i < NDP_DNS_SLOTS; i++)
                if (dns[i].expires_ms < dns[slot].expires_ms)
                    slot = i;
        }
        dns_used[slot] = true;
        memcpy(dns[slot].addr, a, 16);
        dns[slot].expires_ms = lifetime_ms(life, now_ms);
    }
}

static void router_advert(const struct ip6_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms)
{
    if (!ip6_is_link_local(h->src)) {   /* 6.1.2 */
        ip6_stats.nd_invalid++;
        return;
    }
    ip6_stats.ra_rx++;
    rs_left = 0;   /* a router answered */
    if (p[4])
        ip6_set_hop_limit(p[4]);
    uint32_t reach = be32_get(p + 8), retrans = be32_get(p + 12);
    if (reach && reach <= 3600000)   /* MAX_REACHABLE_TIME, 6.2.1 */
        reachable_ms = reach;
    if (retrans)
        retrans_ms = retrans;
    const uint8_t *opt = p + 16;
    size_t olen = len - 16;
    const uint8_t *slla = find_lla(opt, olen, OPT_SLLA);
    if (slla) {
        struct neigh *e = learn(h->src, slla, now_ms);
        if (e)
            e->router = true;
    }
    update_router(h->src, be16_get(p + 6), now_ms);
    for (size_t i = 0; i < olen; i += (size_t)opt[i + 1] * 8) {
        const uint8_t *o = opt + i;
        if (o[0] == OPT_MTU && o[1] == 1) {
            uint32_t mtu = be32_get(o + 4);
            if (mtu >= IP6_MIN_MTU && mtu <= IP6_LINK_MTU)
                ip6_set_link_mtu(mtu);
        } else if (o[0] == OPT_PREFIX && o[1] == 4) {
            prefix_option(o, now_ms);
        } else if (o[0] == OPT_RDNSS) {
            rdnss_option(o, now_ms);
        }
    }
}

void ndp_input(const struct ip6_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms)
{
    ip6_stats.nd_rx++;
    uint8_t type = p[0];
    if (type == ICMP6_REDIRECT) {
        ip6_stats.redirects_ignored++;
        return;
    }
    /* minimum lengths: RS 8, RA 16, NS and NA 24 */
    size_t min = type == ICMP6_ROUTER_SOLICIT ? 8 : type == ICMP6_ROUTER_ADVERT ? 16 : 24;
    if (h->hlim != 255 || p[1] != 0 || len < min || !options_valid(p + min, len - min)) {
        ip6_stats.nd_invalid++;
        return;
    }
    switch (type) {
    case ICMP6_ROUTER_SOLICIT: break;   /* for routers (6.2.6) */
    case ICMP6_ROUTER_ADVERT: router_advert(h, p, len, now_ms); break;
    case ICMP6_NEIGHBOR_SOLICIT: neighbor_solicit(h, p, len, now_ms); break;
    case ICMP6_NEIGHBOR_ADVERT: neighbor_advert(h, p, len, now_ms); break;
    default: break;
    }
}

bool ndp_next_hop(const uint8_t dst[16], uint8_t next[16])
{
    bool onlink = ip6_is_multicast(dst) || ip6_is_link_local(dst);
    for (int i = 0; i < NDP_PREFIX_SLOTS && !onlink; i++)
        if (prefix_used[i] && ip6_prefix_eq(prefixes[i].prefix, dst, prefixes[i].len))
            onlink = true;
    if (onlink) {
        memcpy(next, dst, 16);
        return true;
    }
    int pick = -1;   /* 6.3.6: a router known to be reachable first */
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++) {
        if (!router_used[i])
            continue;
        enum ndp_state s = ndp_lookup(routers[i].addr, NULL);
        if (pick < 0 || (s != NDP_NONE && s != NDP_INCOMPLETE))
            pick = i;
        if (s == NDP_REACHABLE)
            break;
    }
    if (pick < 0)
        return false;
    memcpy(next, routers[pick].addr, 16);
    return true;
}

void ndp_add_static_router(const uint8_t addr[16])
{
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++) {
        if (!router_used[i]) {
            router_used[i] = true;
            memcpy(routers[i].addr, addr, 16);
            routers[i].expires_ms = FOREVER;
            return;
        }
    }
}

void ndp_add_static_prefix(const uint8_t prefix[16], uint8_t len)
{
    update_prefix(prefix, len, 0xFFFFFFFFu, 0);
}

size_t ndp_routers(struct ndp_router *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < NDP_ROUTER_SLOTS; i++)
        if (router_used[i] && n < cap)
            out[n++] = routers[i];
    return n;
}

size_t ndp_prefixes(struct ndp_prefix *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < NDP_PREFIX_SLOTS; i++)
        if (prefix_used[i] && n < cap)
            out[n++] = prefixes[i];
    return n;
}

size_t ndp_dns_servers(struct ndp_dns *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < NDP_DNS_SLOTS; i++)
        if (dns_used[i] && n < cap)
            out[n++] = dns[i];
    return n;
}
