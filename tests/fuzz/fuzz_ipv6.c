/* libFuzzer target: arbitrary bytes as IPv6 packets through the IPv6 input
   path (net/ipv6.c: header checks, the extension-header walk, reassembly,
   ICMPv6, neighbour discovery, SLAAC, UDP with a socket on port 53), with
   the clock moving between
   packets. The first byte picks the configuration (bit 0: a static
   2001:db8::5/64 and router fe80::1, else SLAAC only), whether the harness
   makes each packet plausible so the fuzzer gets past the first checks
   (bit 1: version 6, the payload length of the chunk, the destination our
   link-local address or, by the low bit of byte 24, all-nodes, an ICMPv6
   or UDP checksum made right when the next header is 58 or 17), and how
   the input is
   cut into packets (bits 2-7: 40 + 24 * n bytes). Crashes, hangs and
   sanitizer reports are the findings; invariants checked after every
   packet: the path MTU never under 1280, the link MTU within bounds. */
#include "net/icmpv6.h"
#include "net/ipv6.h"
#include "net/ndp.h"
#include "net/slaac.h"
#include "net/checksum.h"
#include "net/udp.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static const uint8_t ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56};

static enum net_err tx(void *ctx, const uint8_t *f, size_t len)
{
    (void)ctx;
    (void)f;
    if (len > 14 + IP6_LINK_MTU)
        abort();   /* never a frame over the MTU */
    return NET_OK;
}

static void make_plausible(uint8_t *p, size_t n)
{
    if (n < IP6_HDR_LEN)
        return;
    p[0] = (uint8_t)(0x60 | (p[0] & 0x0F));
    p[4] = (uint8_t)((n - IP6_HDR_LEN) >> 8);
    p[5] = (uint8_t)(n - IP6_HDR_LEN);
    if (p[24] & 1)
        memcpy(p + 24, ip6_all_nodes, 16);
    else
        memcpy(p + 24, ll, 16);
    if (p[6] == IP6_NH_ICMPV6 && n >= IP6_HDR_LEN + 4)
        icmp6_set_checksum(p + 8, p + 24, p + IP6_HDR_LEN, n - IP6_HDR_LEN);
    if (p[6] == IP6_NH_UDP && n >= IP6_HDR_LEN + 8) {
        uint8_t *u = p + IP6_HDR_LEN;
        size_t ul = u[4] << 8 | u[5];
        if (ul >= 8 && ul <= n - IP6_HDR_LEN) {
            u[6] = u[7] = 0;
            uint16_t c = inet_fold(inet_sum(inet6_pseudo_sum(p + 8, p + 24, IP6_NH_UDP,
                                                             (uint32_t)ul), u, ul));
            c = c ? c : 0xFFFF;
            u[6] = (uint8_t)(c >> 8);
            u[7] = (uint8_t)c;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct ip6_config c;
    if (data[0] & 1)
        ip6_config_parse(&c, NULL, "2001:db8::5/64", "fe80::1");
    else
        ip6_config_parse(&c, NULL, NULL, NULL);
    struct ip6_link l = {.tx = tx};
    memcpy(l.mac, mac, 6);
    uint64_t now = 0;
    ip6_init(&l, &c, now);
    udp_reset();
    ip6_set_upper(IP6_NH_UDP, udp_input6);
    int sock = udp_open(53);
    for (now = 100; now <= 2000; now += 100)   /* the link-local address passes DAD */
        ip6_timers(now);
    int fix = data[0] & 2;
    size_t chunk = 40 + 24 * (size_t)(data[0] >> 2);
    static uint8_t pkt[40 + 24 * 63];
    for (size_t pos = 1; pos < size;) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        memcpy(pkt, data + pos, n);
        pos += n;
        if (fix)
            make_plausible(pkt, n);
        ip6_input(pkt, n, now);
        static uint8_t dgram[UDP_RX_MAX_PAYLOAD];
        while (udp_recvfrom(sock, dgram, sizeof dgram, NULL, NULL) > 0)
            ;
        now += 1 + pkt[n - 1] * 250u;   /* up to about a minute per packet */
        ip6_timers(now);
        if (ip6_path_mtu(pkt + 8) < IP6_MIN_MTU || ip6_link_mtu() < IP6_MIN_MTU ||
            ip6_link_mtu() > IP6_LINK_MTU)
            abort();
    }
    return 0;
}
