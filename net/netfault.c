/* see netfault.h */
#include "net/netfault.h"
#include "net/net.h"
#include "lib/list.h"
#include <string.h>

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}


static int parse_num(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (!n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 0x0FFFFFFFFFFFFFFFull)
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

enum net_err netfault_parse(const char *spec, struct netfault_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    struct list_iter it = list_split(spec, ',');
    const char *s;
    size_t n;
    while (list_next(&it, &s, &n)) {
        const char *colon = memchr(s, ':', n);
        if (!colon)
            return NET_ERR_INVALID_ARG;
        size_t kn = (size_t)(colon - s);
        uint64_t v;
        if (parse_num(colon + 1, n - kn - 1, &v) != 0)
            return NET_ERR_INVALID_ARG;
        if (kn == 4 && !memcmp(s, "seed", 4)) {
            c->seed = v ? v : 1;
        } else {
            if (v > 100)
                return NET_ERR_INVALID_ARG;
            if (kn == 4 && !memcmp(s, "drop", 4)) c->drop = (uint8_t)v;
            else if (kn == 3 && !memcmp(s, "dup", 3)) c->dup = (uint8_t)v;
            else if (kn == 7 && !memcmp(s, "reorder", 7)) c->reorder = (uint8_t)v;
            else if (kn == 7 && !memcmp(s, "corrupt", 7)) c->corrupt = (uint8_t)v;
            else return NET_ERR_INVALID_ARG;
        }
    }
    return NET_OK;
}

static bool roll(struct netfault_dir *d, uint8_t pct) { return pct && next(&d->rng) % 100 < pct; }

typedef void (*deliver_fn)(struct netfault *f, const uint8_t *frame, size_t len);

/* One frame through the faults of direction d: deliver is called zero, one
   or two times now (a held frame goes after the next one, or later). */
static void pass(struct netfault *f, struct netfault_dir *d, const uint8_t *frame, size_t len,
                 deliver_fn deliver)
{
    const struct netfault_cfg *cfg = &f->cfg;
    if (roll(d, cfg->drop)) {
        net_stats.fault_drop++;
        return;
    }
    uint8_t copy[NET_ETH_FRAME_MAX];
    if (len > sizeof copy)
        len = sizeof copy;
    memcpy(copy, frame, len);
    if (len > 14 && roll(d, cfg->corrupt)) {
        size_t bit = 14 * 8 + next(&d->rng) % ((len - 14) * 8);
        copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        net_stats.fault_corrupt++;
    }
    int copies = 1;
    if (roll(d, cfg->dup)) {
        copies = 2;
        net_stats.fault_dup++;
    }
    if (!d->held && roll(d, cfg->reorder)) {
        d->held = true;
        d->len = (uint16_t)len;
        d->since = net_now();
        memcpy(d->frame, copy, len);
        net_stats.fault_reorder++;
        if (copies == 2)
            deliver(f, copy, len);
        return;
    }
    for (int i = 0; i < copies; i++)
        deliver(f, copy, len);
    if (d->held) {                       /* the held one goes after this one */
        d->held = false;
        deliver(f, d->frame, d->len);
    }
}

static bool held_too_long(const struct netfault_dir *d)
{
    return d->held && net_now() - d->since >= NETFAULT_HOLD_MS;
}

static void to_inner(struct netfault *f, const uint8_t *frame, size_t len)
{
    (void)f->inner->tx(f->inner->ctx, frame, len);
}

static void to_stack(struct netfault *f, const uint8_t *frame, size_t len)
{
    if (f->nready < NETFAULT_READY) {    /* at most three per frame read: see pass */
        memcpy(f->ready[f->nready], frame, len);
        f->ready_len[f->nready++] = (uint16_t)len;
    }
}

static enum net_err nf_tx(void *ctx, const uint8_t *frame, size_t len)
{
    struct netfault *f = ctx;
    pass(f, &f->tx, frame, len, to_inner);
    return NET_OK;
}

static size_t take_ready(struct netfault *f, uint8_t *buf, size_t cap)
{
    size_t n = f->ready_len[0] < cap ? f->ready_len[0] : cap;
    memcpy(buf, f->ready[0], n);
    f->nready--;
    for (int i = 0; i < f->nready; i++) {
        memcpy(f->ready[i], f->ready[i + 1], f->ready_len[i + 1]);
        f->ready_len[i] = f->ready_len[i + 1];
    }
    return n;
}

static size_t nf_rx(void *ctx, uint8_t *buf, size_t cap)
{
    struct netfault *f = ctx;
    if (!f->nready && held_too_long(&f->rx)) {
        f->rx.held = false;
        to_stack(f, f->rx.frame, f->rx.len);
    }
    while (!f->nready) {
        uint8_t frame[NET_ETH_FRAME_MAX + 64];
        size_t n = f->inner->rx(f->inner->ctx, frame, sizeof frame);
        if (!n)
            return 0;
        pass(f, &f->rx, frame, n, to_stack);
    }
    return take_ready(f, buf, cap);
}

static bool nf_link_up(void *ctx)
{
    struct netfault *f = ctx;
    return !f->inner->link_up || f->inner->link_up(f->inner->ctx);
}

static void nf_flush(void *ctx)
{
    struct netfault *f = ctx;
    if (held_too_long(&f->tx)) {
        f->tx.held = false;
        to_inner(f, f->tx.frame, f->tx.len);
    }
    if (f->inner->flush)
        f->inner->flush(f->inner->ctx);
}

static size_t nf_stats(void *ctx, char *buf, size_t cap)
{
    struct netfault *f = ctx;
    return f->inner->stats ? f->inner->stats(f->inner->ctx, buf, cap) : 0;
}

struct netdev *netfault_wrap(struct netfault *f, struct netdev *inner,
                             const struct netfault_cfg *c)
{
    memset(f, 0, sizeof *f);
    f->inner = inner;
    f->cfg = *c;
    f->tx.rng = c->seed * 0x9E3779B97F4A7C15ull + 1;
    f->rx.rng = c->seed * 0xC2B2AE3D27D4EB4Full + 2;
    f->dev.ctx = f;
    memcpy(f->dev.mac, inner->mac, sizeof f->dev.mac);
    f->dev.name = "netfault";
    f->dev.tx = nf_tx;
    f->dev.rx = nf_rx;
    f->dev.link_up = nf_link_up;
    f->dev.flush = nf_flush;
    f->dev.stats = nf_stats;
    return &f->dev;
}
