/* see ip6_reasm.h */
#include "net/ip6_reasm.h"
#include <stdbool.h>
#include <string.h>
#include "lib/bytes.h"

#define BLOCK 8
#define BLOCKS (IP6_REASM_MAX / BLOCK)

struct slot {
    bool used, have_last, have_first;
    uint32_t id;
    uint8_t src[16], dst[16];
    uint64_t born_ms;
    uint32_t total, max_end, blocks;
    uint8_t map[BLOCKS / 8];
    uint8_t pkt[IP6_HDR_LEN + IP6_REASM_MAX];   /* header of offset 0, then data */
};

static struct slot slots[IP6_REASM_SLOTS];

void ip6_reasm_reset(void)
{
    for (int i = 0; i < IP6_REASM_SLOTS; i++)
        slots[i].used = false;
}

unsigned ip6_reasm_pending(void)
{
    unsigned n = 0;
    for (int i = 0; i < IP6_REASM_SLOTS; i++)
        n += slots[i].used;
    return n;
}

void ip6_reasm_timers(uint64_t now_ms)
{
    for (int i = 0; i < IP6_REASM_SLOTS; i++) {
        if (slots[i].used && now_ms - slots[i].born_ms >= IP6_REASM_TIMEOUT_MS) {
            slots[i].used = false;
            ip6_stats.reasm_timeout++;
        }
    }
}

static struct slot *find_or_open(const uint8_t hdr[IP6_HDR_LEN], uint32_t id, uint64_t now_ms)
{
    struct slot *oldest = NULL, *free_slot = NULL;
    for (int i = 0; i < IP6_REASM_SLOTS; i++) {
        struct slot *s = &slots[i];
        if (!s->used) {
            if (!free_slot)
                free_slot = s;
            continue;
        }
        if (s->id == id && !memcmp(s->src, hdr + 8, 16) && !memcmp(s->dst, hdr + 24, 16))
            return s;
        if (!oldest || s->born_ms < oldest->born_ms)
            oldest = s;
    }
    struct slot *s = free_slot;
    if (!s) {
        s = oldest;
        ip6_stats.frag_dropped++;   /* the evicted datagram */
    }
    memset(s, 0, offsetof(struct slot, pkt));
    s->used = true;
    s->id = id;
    memcpy(s->src, hdr + 8, 16);
    memcpy(s->dst, hdr + 24, 16);
    s->born_ms = now_ms;
    return s;
}

static void discard(struct slot *s)
{
    s->used = false;
    ip6_stats.frag_dropped++;
}

void ip6_reasm_input(const uint8_t hdr[IP6_HDR_LEN], const struct ip6_ext_result *r,
                     const uint8_t *data, size_t dlen, uint64_t now_ms,
                     ip6_reasm_deliver_fn deliver)
{
    ip6_reasm_timers(now_ms);
    ip6_stats.frag_rx++;
    struct slot *s = find_or_open(hdr, r->frag_id, now_ms);
    uint32_t off = r->frag_offset, end = off + (uint32_t)dlen;
    if (end > IP6_REASM_MAX || (s->have_last && end > s->total) ||
        (!r->frag_more && s->have_last && end != s->total) ||
        (!r->frag_more && end < s->max_end)) {
        discard(s);
        return;
    }
    /* RFC 5722: any overlap, with any data held, discards everything */
    uint32_t b0 = off / BLOCK, b1 = (end + BLOCK - 1) / BLOCK;
    for (uint32_t b = b0; b < b1; b++) {
        if (s->map[b / 8] & (1u << (b % 8))) {
            discard(s);
            return;
        }
    }
    for (uint32_t b = b0; b < b1; b++)
        s->map[b / 8] |= (uint8_t)(1u << (b % 8));
    s->blocks += b1 - b0;
    memcpy(s->pkt + IP6_HDR_LEN + off, data, dlen);
    if (end > s->max_end)
        s->max_end = end;
    if (!r->frag_more) {
        s->have_last = true;
        s->total = end;
    }
    if (off == 0) {
        s->have_first = true;
        memcpy(s->pkt, hdr, IP6_HDR_LEN);
        s->pkt[6] = r->frag_nh;
    }
    if (!s->have_last || !s->have_first || s->blocks != (s->total + BLOCK - 1) / BLOCK)
        return;
    s->used = false;
    be16_put(s->pkt + 4, (uint16_t)s->total);
    ip6_stats.reasm_ok++;
    deliver(s->pkt, IP6_HDR_LEN + s->total);
}
