/* see ip4_reasm.h */
#include "net/ip4_reasm.h"
#include "net/net.h"
#include <stdbool.h>
#include <string.h>

#define IP4_REASM_BLOCK   8
#define IP4_REASM_BLOCKS  (IP4_REASM_MAX / IP4_REASM_BLOCK)

_Static_assert(IP4_REASM_MAX % IP4_REASM_BLOCK == 0, "whole blocks");
_Static_assert(IP4_REASM_MAX + IPV4_HDR_LEN <= 65535, "total_len is 16 bits");

struct ip4_reasm_slot {
    bool used;
    bool have_last;             /* the MF=0 fragment came: total is known */
    uint8_t proto, tos, ttl;    /* tos, ttl: of the fragment at offset 0 */
    uint16_t id;
    ip4_addr src, dst;
    uint64_t born_ms;           /* first fragment: the timeout runs from here */
    uint32_t total;             /* payload length, once have_last */
    uint32_t max_end;           /* highest end of a fragment held */
    uint32_t blocks;            /* bits set in map */
    uint8_t map[IP4_REASM_BLOCKS / 8];   /* bit b: bytes [8b, 8b+8) held */
    uint8_t data[IP4_REASM_MAX];
};

/* One fragment's place in its datagram, in bytes: [off, end). */
struct ip4_frag {
    uint32_t off, end;
    bool mf;
};

static struct ip4_reasm_slot slots[IP4_REASM_SLOTS];

void ip4_reasm_reset(void)
{
    for (int i = 0; i < IP4_REASM_SLOTS; i++)
        slots[i].used = false;
}

unsigned ip4_reasm_pending(void)
{
    unsigned n = 0;
    for (int i = 0; i < IP4_REASM_SLOTS; i++)
        n += slots[i].used;
    return n;
}

void ip4_reasm_timers(uint64_t now_ms)
{
    for (int i = 0; i < IP4_REASM_SLOTS; i++) {
        struct ip4_reasm_slot *s = &slots[i];
        if (s->used && now_ms - s->born_ms >= IP4_REASM_TIMEOUT_MS) {
            s->used = false;
            net_stats.ip_reasm_timeout++;
        }
    }
}

/* Checks a fragment on its own. 0 when it may belong to a datagram we keep. */
static int ip4_reasm_parse(const struct ipv4_hdr *h, size_t len, struct ip4_frag *f)
{
    if (len > IP4_REASM_MAX)
        return -1;
    f->off = (uint32_t)(h->frag & IPV4_FRAG_OFF) * IP4_REASM_BLOCK;
    f->end = f->off + (uint32_t)len;           /* at most 65528 + 16384 */
    f->mf = (h->frag & IPV4_FRAG_MF) != 0;
    if (f->mf && (len == 0 || len % IP4_REASM_BLOCK != 0))
        return -1;
    return f->end > IP4_REASM_MAX ? -1 : 0;
}

static struct ip4_reasm_slot *ip4_reasm_find(const struct ipv4_hdr *h)
{
    for (int i = 0; i < IP4_REASM_SLOTS; i++) {
        struct ip4_reasm_slot *s = &slots[i];
        if (s->used && s->id == h->id && s->proto == h->proto && s->src == h->src &&
            s->dst == h->dst)
            return s;
    }
    return NULL;
}

/* A free slot, else the oldest one, evicted and counted. */
static struct ip4_reasm_slot *ip4_reasm_claim(void)
{
    struct ip4_reasm_slot *old = &slots[0];
    for (int i = 0; i < IP4_REASM_SLOTS; i++) {
        if (!slots[i].used)
            return &slots[i];
        if (slots[i].born_ms < old->born_ms)
            old = &slots[i];
    }
    net_stats.ip_frag_dropped++;
    return old;
}

static struct ip4_reasm_slot *ip4_reasm_open(const struct ipv4_hdr *h, uint64_t now_ms)
{
    struct ip4_reasm_slot *s = ip4_reasm_claim();
    s->used = true;
    s->have_last = false;
    s->proto = h->proto;
    s->tos = s->ttl = 0;
    s->id = h->id;
    s->src = h->src;
    s->dst = h->dst;
    s->born_ms = now_ms;
    s->total = s->max_end = s->blocks = 0;
    memset(s->map, 0, sizeof s->map);
    return s;
}

static bool ip4_reasm_held(const struct ip4_reasm_slot *s, uint32_t block)
{
    return (s->map[block / 8] >> (block % 8)) & 1;
}

/* Where the fragment covers blocks already held, are the bytes the same?
   A held block is whole, or ends at total when the last fragment set it;
   f ends at or before total once that is known (ip4_reasm_fits). */
static bool ip4_reasm_same(const struct ip4_reasm_slot *s, const struct ip4_frag *f,
                           const uint8_t *p)
{
    for (uint32_t at = f->off; at < f->end; at += IP4_REASM_BLOCK) {
        if (!ip4_reasm_held(s, at / IP4_REASM_BLOCK))
            continue;
        uint32_t n = f->end - at < IP4_REASM_BLOCK ? f->end - at : IP4_REASM_BLOCK;
        if (memcmp(s->data + at, p + (at - f->off), n) != 0)
            return false;
    }
    return true;
}

/* Is the fragment consistent with what the slot holds? */
static bool ip4_reasm_fits(const struct ip4_reasm_slot *s, const struct ip4_frag *f,
                           const uint8_t *p)
{
    if (!f->mf) {
        if (s->have_last ? f->end != s->total : f->end < s->max_end)
            return false;
    } else if (s->have_last && f->end > s->total) {
        return false;
    }
    return ip4_reasm_same(s, f, p);
}

static void ip4_reasm_store(struct ip4_reasm_slot *s, const struct ipv4_hdr *h,
                            const struct ip4_frag *f, const uint8_t *p)
{
    if (f->end > f->off)
        memcpy(s->data + f->off, p, f->end - f->off);
    for (uint32_t b = f->off / IP4_REASM_BLOCK; b * IP4_REASM_BLOCK < f->end; b++) {
        if (!ip4_reasm_held(s, b)) {
            s->map[b / 8] |= (uint8_t)(1u << (b % 8));
            s->blocks++;
        }
    }
    if (f->end > s->max_end)
        s->max_end = f->end;
    if (!f->mf) {
        s->have_last = true;
        s->total = f->end;
    }
    if (f->off == 0) {
        s->tos = h->tos;
        s->ttl = h->ttl;
    }
}

static bool ip4_reasm_complete(const struct ip4_reasm_slot *s)
{
    return s->have_last && s->blocks == (s->total + IP4_REASM_BLOCK - 1) / IP4_REASM_BLOCK;
}

/* Hands the datagram up, then frees the slot (it holds the bytes until
   deliver returns). */
static void ip4_reasm_deliver(struct ip4_reasm_slot *s, ip4_reasm_deliver_fn deliver)
{
    struct ipv4_hdr h = {
        .ihl_bytes = IPV4_HDR_LEN, .tos = s->tos, .ttl = s->ttl, .proto = s->proto,
        .total_len = (uint16_t)(IPV4_HDR_LEN + s->total), .id = s->id, .frag = 0,
        .src = s->src, .dst = s->dst,
    };
    net_stats.ip_reasm_ok++;
    deliver(&h, s->data, s->total);
    s->used = false;
}

/* Refuses a fragment; its datagram, if any, goes with it. */
static void ip4_reasm_drop(struct ip4_reasm_slot *s)
{
    if (s)
        s->used = false;
    net_stats.ip_frag_dropped++;
}

void ip4_reasm_input(const struct ipv4_hdr *h, const uint8_t *p, size_t len, uint64_t now_ms,
                     ip4_reasm_deliver_fn deliver)
{
    struct ip4_frag f;
    net_stats.ip_frag_rx++;
    ip4_reasm_timers(now_ms);
    struct ip4_reasm_slot *s = ip4_reasm_find(h);
    if (ip4_reasm_parse(h, len, &f) != 0) {
        ip4_reasm_drop(s);
        return;
    }
    if (!s)
        s = ip4_reasm_open(h, now_ms);
    if (!ip4_reasm_fits(s, &f, p)) {
        ip4_reasm_drop(s);
        return;
    }
    ip4_reasm_store(s, h, &f, p);
    if (ip4_reasm_complete(s))
        ip4_reasm_deliver(s, deliver);
}
