/* A fake network device for host tests: captures transmitted frames, feeds
   queued frames to the stack, and helpers to build frames addressed to it. */
#ifndef TESTS_NET_FAKE_H
#define TESTS_NET_FAKE_H
#include "net/net.h"
#include "net/eth.h"
#include "net/checksum.h"
#include "lib/bytes.h"
#include <string.h>

/* The socket API's address (lib/ip_addr.h) of a host-order ip4_addr, as a
   pointer valid in the enclosing block: udp_sendto(s, ADDR(GW), ...). */
#define ADDR(a) ((const struct ip_addr[1]){ip_addr_v4(a)})

#define FAKE_MAX 64
struct fake_frame { uint8_t b[1600]; size_t len; };
static struct fake_frame fake_tx[FAKE_MAX], fake_rx[FAKE_MAX];
static int fake_ntx, fake_nrx, fake_rx_pos;
static const uint8_t fake_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t gw_mac[6] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };

static enum net_err fake_tx_fn(void *ctx, const uint8_t *f, size_t len)
{
    (void)ctx;
    if (fake_ntx < FAKE_MAX) {
        memcpy(fake_tx[fake_ntx].b, f, len);
        fake_tx[fake_ntx].len = len;
        fake_ntx++;
    }
    return NET_OK;
}

static size_t fake_rx_fn(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (fake_rx_pos >= fake_nrx)
        return 0;
    struct fake_frame *f = &fake_rx[fake_rx_pos++];
    size_t n = f->len < cap ? f->len : cap;
    memcpy(buf, f->b, n);
    return n;
}

static struct netdev fake_dev = { .mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, .tx = fake_tx_fn,
                                  .rx = fake_rx_fn, .name = "fake" };

static uint64_t fake_rng_state = 42;
static int fake_random(void *out, size_t len)
{
    uint8_t *p = out;
    for (size_t i = 0; i < len; i++) {
        fake_rng_state = fake_rng_state * 6364136223846793005ull + 1442695040888963407ull;
        p[i] = (uint8_t)(fake_rng_state >> 56);
    }
    return 0;
}

static void fake_reset(void)
{
    fake_ntx = fake_nrx = fake_rx_pos = 0;
}

static void fake_queue(const uint8_t *f, size_t len)
{
    memcpy(fake_rx[fake_nrx].b, f, len);
    fake_rx[fake_nrx].len = len;
    fake_nrx++;
}

/* Builds Ethernet+IPv4 around a transport payload (proto, src -> dst). */
static size_t fake_ip_frame(uint8_t *out, ip4_addr src, ip4_addr dst, uint8_t proto,
                            const uint8_t *payload, size_t plen)
{
    eth_build(out, fake_mac, gw_mac, ETH_TYPE_IPV4);
    ipv4_build(out + 14, src, dst, proto, 7, (uint16_t)plen, 64);
    memcpy(out + 34, payload, plen);
    return 34 + plen;
}

/* A UDP datagram from (src, sport) to our (dst, dport), checksummed. */
static size_t fake_udp_frame(uint8_t *out, ip4_addr src, uint16_t sport, ip4_addr dst,
                             uint16_t dport, const uint8_t *p, size_t n)
{
    uint8_t u[1600];
    be16_put(u, sport);
    be16_put(u + 2, dport);
    be16_put(u + 4, (uint16_t)(8 + n));
    be16_put(u + 6, 0);
    memcpy(u + 8, p, n);
    uint32_t s = inet_pseudo_sum(src, dst, 17, (uint16_t)(8 + n));
    uint16_t c = inet_fold(inet_sum(s, u, 8 + n));
    be16_put(u + 6, c ? c : 0xFFFF);
    return fake_ip_frame(out, src, dst, 17, u, 8 + n);
}

#endif
