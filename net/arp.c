/* see arp.h */
#include "net/arp.h"
#include "net/eth.h"
#include "net/net.h"
#include <string.h>
#include "lib/reader.h"

struct arp_entry {
    ip4_addr ip;
    uint8_t mac[6];
    uint8_t state;          /* 0 free, 1 pending, 2 resolved */
    uint8_t tries;
    uint64_t stamp;         /* resolved: learn time; pending: last request */
};

struct arp_held {
    ip4_addr next_hop;
    uint16_t len;
    uint8_t used;
    uint8_t frame[NET_ETH_FRAME_MAX];
};

static struct arp_entry cache[ARP_CACHE_SIZE];
static struct arp_held held[ARP_PENDING_MAX];

void arp_reset(void)
{
    memset(cache, 0, sizeof cache);
    memset(held, 0, sizeof held);
}

enum net_err arp_parse(const uint8_t *p, size_t len, struct arp_pkt *a)
{
    struct reader r = rd_init(p, len);
    uint16_t htype = rd_u16(&r), ptype = rd_u16(&r);
    uint8_t hlen = rd_u8(&r), plen = rd_u8(&r);
    a->op = rd_u16(&r);
    const uint8_t *sha = rd_bytes(&r, 6);
    a->spa = rd_u32(&r);
    const uint8_t *tha = rd_bytes(&r, 6);
    a->tpa = rd_u32(&r);
    if (!rd_ok(&r) || htype != 1 || ptype != ETH_TYPE_IPV4 || hlen != 6 || plen != 4 ||
        (a->op != 1 && a->op != 2))
        return NET_ERR_MALFORMED;
    memcpy(a->sha, sha, 6);
    memcpy(a->tha, tha, 6);
    return NET_OK;
}

void arp_build(uint8_t out[28], const struct arp_pkt *a)
{
    be16_put(out, 1);
    be16_put(out + 2, ETH_TYPE_IPV4);
    out[4] = 6;
    out[5] = 4;
    be16_put(out + 6, a->op);
    memcpy(out + 8, a->sha, 6);
    be32_put(out + 14, a->spa);
    memcpy(out + 18, a->tha, 6);
    be32_put(out + 24, a->tpa);
}

static void send_arp(uint16_t op, const uint8_t dst_mac[6], const uint8_t tha[6], ip4_addr tpa)
{
    uint8_t f[60] = { 0 };           /* padded to the Ethernet minimum */
    eth_build(f, dst_mac, net_mac(), ETH_TYPE_ARP);
    struct arp_pkt a = { .op = op, .spa = ipv4_local_addr(), .tpa = tpa };
    memcpy(a.sha, net_mac(), 6);
    memcpy(a.tha, tha, 6);
    arp_build(f + ETH_HDR_LEN, &a);
    if (op == 1)
        net_stats.arp_req_tx++;
    else
        net_stats.arp_reply_tx++;
    net_dev_tx(f, sizeof f);
}

static struct arp_entry *find(ip4_addr ip)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (cache[i].state && cache[i].ip == ip)
            return &cache[i];
    return NULL;
}

/* A free slot, else the oldest resolved entry (never a pending one). */
static struct arp_entry *slot(void)
{
    struct arp_entry *best = NULL;
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        if (!cache[i].state)
            return &cache[i];
        if (cache[i].state == 2 && (!best || cache[i].stamp < best->stamp))
            best = &cache[i];
    }
    return best;
}

static void flush_held(ip4_addr ip, const uint8_t mac[6])
{
    for (int i = 0; i < ARP_PENDING_MAX; i++) {
        if (held[i].used && held[i].next_hop == ip) {
            memcpy(held[i].frame, mac, 6);
            net_dev_tx(held[i].frame, held[i].len);
            held[i].used = 0;
        }
    }
}

static void learn(ip4_addr ip, const uint8_t mac[6], int create)
{
    struct arp_entry *e = find(ip);
    if (!e && !create)
        return;
    if (!e && !(e = slot()))
        return;
    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = 2;
    e->tries = 0;
    e->stamp = net_now();
    flush_held(ip, mac);
}

void arp_input(const uint8_t *p, size_t len)
{
    struct arp_pkt a;
    net_stats.arp_rx++;
    if (arp_parse(p, len, &a) != NET_OK) {
        net_stats.rx_malformed++;
        return;
    }
    ip4_addr me = ipv4_local_addr();
    int for_me = me && a.tpa == me;
    /* RFC 826 merge: update an existing entry; create one only when the
       packet is addressed to us. Never learn broadcast or our own address. */
    if (a.spa && a.spa != me && !(a.sha[0] & 1))
        learn(a.spa, a.sha, for_me);
    if (a.op == 1 && for_me)
        send_arp(2, a.sha, a.sha, a.spa);
}

enum net_err arp_send(ip4_addr next_hop, uint8_t *frame, size_t len)
{
    struct arp_entry *e = find(next_hop);
    if (e && e->state == 2) {
        memcpy(frame, e->mac, 6);
        return net_dev_tx(frame, len);
    }
    int h = -1;
    for (int i = 0; i < ARP_PENDING_MAX; i++)
        if (!held[i].used) {
            h = i;
            break;
        }
    if (h < 0 || len > NET_ETH_FRAME_MAX) {
        net_stats.arp_queue_drops++;
        return NET_ERR_NO_BUFFER;
    }
    held[h].used = 1;
    held[h].next_hop = next_hop;
    held[h].len = (uint16_t)len;
    memcpy(held[h].frame, frame, len);
    net_stats.arp_queued++;
    if (!e) {
        e = slot();
        if (!e) {
            held[h].used = 0;
            net_stats.arp_queue_drops++;
            return NET_ERR_NO_BUFFER;
        }
        memset(e, 0, sizeof *e);
        e->ip = next_hop;
        e->state = 1;
        e->tries = 1;
        e->stamp = net_now();
        static const uint8_t zero[6];
        send_arp(1, eth_broadcast, zero, next_hop);
    }
    return NET_OK;
}

void arp_timers(uint64_t now)
{
    static const uint8_t zero[6];
    for (int i = 0; i < ARP_CACHE_SIZE; i++) {
        struct arp_entry *e = &cache[i];
        if (e->state == 2 && now - e->stamp >= ARP_TTL_MS) {
            e->state = 0;
        } else if (e->state == 1 && now - e->stamp >= ARP_RETRY_MS) {
            if (e->tries >= ARP_MAX_TRIES) {
                net_stats.arp_timeouts++;
                for (int h = 0; h < ARP_PENDING_MAX; h++)
                    if (held[h].used && held[h].next_hop == e->ip) {
                        held[h].used = 0;
                        net_stats.arp_queue_drops++;
                    }
                e->state = 0;
            } else {
                e->tries++;
                e->stamp = now;
                send_arp(1, eth_broadcast, zero, e->ip);
            }
        }
    }
}

int arp_lookup(ip4_addr ip, uint8_t mac[6])
{
    struct arp_entry *e = find(ip);
    if (!e || e->state != 2)
        return 0;
    memcpy(mac, e->mac, 6);
    return 1;
}
