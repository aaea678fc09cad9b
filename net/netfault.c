/* see netfault.h */
#include "net/netfault.h"
#include "net/net.h"
#include <string.h>

#define HOLD_MS 5

struct dir {
    uint64_t rng;
    bool held;
    uint16_t len;
    uint64_t since;
    uint8_t frame[NET_ETH_FRAME_MAX];
};

static struct netfault_cfg cfg;
static bool active;
static struct dir tx_dir, rx_dir;

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static bool roll(struct dir *d, uint8_t pct) { return pct && next(&d->rng) % 100 < pct; }

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

enum net_err netfault_parse(const char *s, struct netfault_cfg *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    while (s && *s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
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
        s = end ? end + 1 : NULL;
    }
    return NET_OK;
}

bool netfault_active(void) { return active; }

void netfault_init(const struct netfault_cfg *c)
{
    memset(&tx_dir, 0, sizeof tx_dir);
    memset(&rx_dir, 0, sizeof rx_dir);
    if (!c) {
        active = false;
        return;
    }
    cfg = *c;
    active = cfg.drop || cfg.dup || cfg.reorder || cfg.corrupt;
    tx_dir.rng = cfg.seed * 0x9E3779B97F4A7C15ull + 1;
    rx_dir.rng = cfg.seed * 0xC2B2AE3D27D4EB4Full + 2;
}

static void pass(struct dir *d, const uint8_t *frame, size_t len, netfault_deliver_fn deliver)
{
    if (roll(d, cfg.drop)) {
        net_stats.fault_drop++;
        return;
    }
    uint8_t copy[NET_ETH_FRAME_MAX];
    if (len > sizeof copy)
        len = sizeof copy;
    memcpy(copy, frame, len);
    if (len > 14 && roll(d, cfg.corrupt)) {
        size_t bit = 14 * 8 + next(&d->rng) % ((len - 14) * 8);
        copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        net_stats.fault_corrupt++;
    }
    int copies = 1;
    if (roll(d, cfg.dup)) {
        copies = 2;
        net_stats.fault_dup++;
    }
    if (!d->held && roll(d, cfg.reorder)) {
        d->held = true;
        d->len = (uint16_t)len;
        d->since = net_now();
        memcpy(d->frame, copy, len);
        net_stats.fault_reorder++;
        if (copies == 2)
            deliver(copy, len);
        return;
    }
    for (int i = 0; i < copies; i++)
        deliver(copy, len);
    if (d->held) {                       /* the held one goes after this one */
        d->held = false;
        deliver(d->frame, d->len);
    }
}

void netfault_tx(const uint8_t *frame, size_t len, netfault_deliver_fn deliver)
{
    pass(&tx_dir, frame, len, deliver);
}

void netfault_rx(const uint8_t *frame, size_t len, netfault_deliver_fn deliver)
{
    pass(&rx_dir, frame, len, deliver);
}

void netfault_flush(uint64_t now, netfault_deliver_fn tx_deliver, netfault_deliver_fn rx_deliver)
{
    if (tx_dir.held && now - tx_dir.since >= HOLD_MS) {
        tx_dir.held = false;
        tx_deliver(tx_dir.frame, tx_dir.len);
    }
    if (rx_dir.held && now - rx_dir.since >= HOLD_MS) {
        rx_dir.held = false;
        rx_deliver(rx_dir.frame, rx_dir.len);
    }
}
