/* see slaac.h */
#include "net/slaac.h"
#include "net/ipv6.h"
#include "net/ndp.h"
#include <string.h>

#define FOREVER UINT64_MAX

static struct slaac_addr addrs[SLAAC_ADDRS];
static uint8_t iid[8];
static slaac_conflict_hook conflict_hook;

void slaac_set_conflict_hook(slaac_conflict_hook fn)
{
    conflict_hook = fn;
}

const char *slaac_state_str(enum slaac_state s)
{
    switch (s) {
    case SLAAC_UNUSED: return "unused";
    case SLAAC_TENTATIVE: return "tentative";
    case SLAAC_PREFERRED: return "preferred";
    case SLAAC_DEPRECATED: return "deprecated";
    case SLAAC_DUPLICATE: return "duplicate";
    case SLAAC_OPTIMISTIC: return "optimistic";
    }
    return "unknown";
}

void slaac_reset(void)
{
    memset(addrs, 0, sizeof addrs);
    memset(iid, 0, sizeof iid);
}

void slaac_eui64(const uint8_t mac[6], uint8_t out[8])
{
    out[0] = (uint8_t)(mac[0] ^ 0x02);   /* the universal/local bit inverted */
    out[1] = mac[1];
    out[2] = mac[2];
    out[3] = 0xff;
    out[4] = 0xfe;
    out[5] = mac[3];
    out[6] = mac[4];
    out[7] = mac[5];
}

static struct slaac_addr *find(const uint8_t a[16])
{
    for (int i = 0; i < SLAAC_ADDRS; i++)
        if (addrs[i].state != SLAAC_UNUSED && !memcmp(addrs[i].addr, a, 16))
            return &addrs[i];
    return NULL;
}

static struct slaac_addr *add(const uint8_t a[16], uint8_t plen, enum slaac_origin o,
                              uint64_t now_ms)
{
    struct slaac_addr *e = find(a);
    if (e)
        return e;
    for (int i = 0; i < SLAAC_ADDRS && !e; i++)
        if (addrs[i].state == SLAAC_UNUSED)
            e = &addrs[i];
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    /* RFC 4429 3.1: optimistic only where uniqueness is likely (an
       interface identifier of ours); a static address waits for DAD */
    e->state = o == SLAAC_STATIC ? SLAAC_TENTATIVE : SLAAC_OPTIMISTIC;
    e->origin = (uint8_t)o;
    memcpy(e->addr, a, 16);
    e->plen = plen;
    e->valid_until_ms = e->preferred_until_ms = FOREVER;
    e->dad_next_ms = now_ms;
    return e;
}

void slaac_start(const uint8_t mac[6], uint64_t now_ms)
{
    uint8_t ll[16] = {0xfe, 0x80};
    slaac_eui64(mac, iid);
    memcpy(ll + 8, iid, 8);
    add(ll, 64, SLAAC_LINK_LOCAL, now_ms);
}

void slaac_add_static(const uint8_t a[16], uint8_t plen, uint64_t now_ms)
{
    add(a, plen, SLAAC_STATIC, now_ms);
}

static uint64_t until(uint32_t s, uint64_t now_ms)
{
    return s == 0xFFFFFFFFu ? FOREVER : now_ms + (uint64_t)s * 1000;
}

void slaac_prefix(const uint8_t prefix[16], uint8_t plen, uint32_t valid_s,
                  uint32_t preferred_s, uint64_t now_ms)
{
    if (ip6_is_link_local(prefix) || preferred_s > valid_s)
        return;   /* 5.5.3 b, c */
    if (plen != 64) {
        ip6_stats.prefix_ignored++;   /* 5.5.3 d: 64 + 64 bits only */
        return;
    }
    uint8_t a[16];
    memcpy(a, prefix, 8);
    memcpy(a + 8, iid, 8);
    struct slaac_addr *e = find(a);
    if (!e) {
        if (valid_s == 0)
            return;
        e = add(a, 64, SLAAC_AUTO, now_ms);
        if (!e)
            return;
        e->valid_until_ms = until(valid_s, now_ms);
        e->preferred_until_ms = until(preferred_s, now_ms);
        return;
    }
    if (e->origin != SLAAC_AUTO || e->state == SLAAC_DUPLICATE)
        return;
    /* 5.5.3 e */
    e->preferred_until_ms = until(preferred_s, now_ms);
    if (e->state == SLAAC_DEPRECATED && e->preferred_until_ms > now_ms)
        e->state = SLAAC_PREFERRED;
    uint64_t got = until(valid_s, now_ms);
    uint64_t remaining = e->valid_until_ms == FOREVER ? FOREVER : e->valid_until_ms - now_ms;
    if ((uint64_t)valid_s * 1000 > SLAAC_TWO_HOURS_MS || got > e->valid_until_ms)
        e->valid_until_ms = got;                                   /* 1 */
    else if (remaining <= SLAAC_TWO_HOURS_MS)
        ;                                                          /* 2: ignored */
    else
        e->valid_until_ms = now_ms + SLAAC_TWO_HOURS_MS;           /* 3 */
}

void slaac_dad_conflict(const uint8_t a[16], uint64_t now_ms)
{
    (void)now_ms;
    struct slaac_addr *e = find(a);
    if (!e || (e->state != SLAAC_TENTATIVE && e->state != SLAAC_OPTIMISTIC))
        return;
    bool optimistic = e->state == SLAAC_OPTIMISTIC;
    e->state = SLAAC_DUPLICATE;
    ip6_stats.dad_conflicts++;
    if (optimistic) {
        ip6_stats.dad_optimistic_lost++;
        if (conflict_hook)
            conflict_hook(e->addr);
    }
}

void slaac_timers(uint64_t now_ms)
{
    for (int i = 0; i < SLAAC_ADDRS; i++) {
        struct slaac_addr *e = &addrs[i];
        if (e->state == SLAAC_UNUSED || e->state == SLAAC_DUPLICATE)
            continue;
        if (now_ms >= e->valid_until_ms) {
            e->state = SLAAC_UNUSED;
            continue;
        }
        if (e->state == SLAAC_TENTATIVE || e->state == SLAAC_OPTIMISTIC) {
            if (now_ms < e->dad_next_ms)
                continue;
            if (e->dad_sent < SLAAC_DAD_TRANSMITS) {
                if (ndp_send_ns(true, NULL, e->addr) == NET_OK)
                    ip6_stats.dad_ns_tx++;
                e->dad_sent++;
                e->dad_next_ms = now_ms + SLAAC_DAD_RETRANS_MS;
                continue;
            }
            e->state = SLAAC_PREFERRED;   /* no answer: unique (5.4) */
        }
        if (e->state == SLAAC_PREFERRED && now_ms >= e->preferred_until_ms)
            e->state = SLAAC_DEPRECATED;
    }
}

bool slaac_is_mine(const uint8_t a[16])
{
    struct slaac_addr *e = find(a);
    return e && (e->state == SLAAC_PREFERRED || e->state == SLAAC_DEPRECATED ||
                 e->state == SLAAC_OPTIMISTIC);
}

bool slaac_is_optimistic(const uint8_t a[16])
{
    struct slaac_addr *e = find(a);
    return e && e->state == SLAAC_OPTIMISTIC;
}

bool slaac_is_tentative(const uint8_t a[16])
{
    struct slaac_addr *e = find(a);
    return e && e->state == SLAAC_TENTATIVE;
}

bool slaac_listens(const uint8_t group[16])
{
    if (!memcmp(group, ip6_all_nodes, 16))
        return true;
    for (int i = 0; i < SLAAC_ADDRS; i++) {
        uint8_t sn[16];
        if (addrs[i].state == SLAAC_UNUSED || addrs[i].state == SLAAC_DUPLICATE)
            continue;
        ip6_solicited_node(addrs[i].addr, sn);
        if (!memcmp(sn, group, 16))
            return true;
    }
    return false;
}

static unsigned common_bits(const uint8_t a[16], const uint8_t b[16])
{
    unsigned n = 0;
    while (n < 128 && ip6_prefix_eq(a, b, n + 1))
        n++;
    return n;
}

bool slaac_source(const uint8_t dst[16], uint8_t out[16])
{
    bool want_ll = ip6_is_link_local(dst) || (ip6_is_multicast(dst) && (dst[1] & 0x0F) <= 2);
    const struct slaac_addr *best = NULL;
    unsigned best_rank = 0;
    for (int i = 0; i < SLAAC_ADDRS; i++) {
        const struct slaac_addr *e = &addrs[i];
        if (e->state != SLAAC_PREFERRED && e->state != SLAAC_DEPRECATED &&
            e->state != SLAAC_OPTIMISTIC)
            continue;
        if (ip6_is_link_local(e->addr) != want_ll)
            continue;
        /* preferred before deprecated and optimistic (RFC 4429 3.1: an
           optimistic address counts as deprecated in RFC 3484 rule 3),
           then the longest common prefix */
        unsigned rank = (e->state == SLAAC_PREFERRED ? 256u : 1u) + common_bits(e->addr, dst);
        if (rank > best_rank) {
            best = e;
            best_rank = rank;
        }
    }
    if (!best)
        return false;
    memcpy(out, best->addr, 16);
    return true;
}

size_t slaac_addrs(struct slaac_addr *out, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < SLAAC_ADDRS; i++)
        if (addrs[i].state != SLAAC_UNUSED && n < cap)
            out[n++] = addrs[i];
    return n;
}
