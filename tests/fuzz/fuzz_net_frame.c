/* libFuzzer target: arbitrary bytes as received Ethernet frames through the
   whole input path (Ethernet, ARP, IPv4, ICMP, UDP, and the DHCP and DNS
   clients waiting for answers). The first byte picks how the input is cut
   into frames. Crashes, hangs and sanitizer reports are the findings. */
#include "net/net.h"
#include "net/dns.h"
#include "net/netfault.h"
#include <stdint.h>
#include <string.h>

static const uint8_t *in;
static size_t in_len, in_pos, chunk;

static enum net_err tx(void *ctx, const uint8_t *f, size_t len) { (void)ctx; (void)f; (void)len; return NET_OK; }

static size_t rx(void *ctx, uint8_t *buf, size_t cap)
{
    (void)ctx;
    if (in_pos >= in_len)
        return 0;
    size_t n = in_len - in_pos;
    if (n > chunk) n = chunk;
    if (n > cap) n = cap;
    memcpy(buf, in + in_pos, n);
    in_pos += n;
    return n;
}

static int rnd(void *out, size_t len) { memset(out, 0x5A, len); return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static struct netdev dev = { NULL, { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, tx, rx, NULL };
    struct net_config c;
    net_set_random(rnd);
    netfault_init(NULL);
    net_config_parse(&c, (data[0] & 1) ? "dhcp" : "10.0.2.15/24", "10.0.2.2", "10.0.2.2");
    net_init(&dev, &c, 0);
    dns_query_start("a.test");
    chunk = 14 + (size_t)(data[0] >> 1) * 12;
    in = data + 1;
    in_len = size - 1;
    in_pos = 0;
    for (uint64_t t = 1; in_pos < in_len && t < 10000; t++)
        net_poll(t);
    return 0;
}
