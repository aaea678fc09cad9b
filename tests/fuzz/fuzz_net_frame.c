/* libFuzzer target: arbitrary bytes as received Ethernet frames through the
   whole input path (Ethernet, ARP, IPv4, ICMP, UDP, and the DHCP and DNS
   clients waiting for answers, IPv4 reassembly). The first byte picks the
   configuration (bit 0: DHCP, else static 10.0.2.15/24), whether the
   harness rewrites each IPv4 header checksum so the fuzzer gets past it
   (bit 1), and how the input is cut into frames (bits 2-7: 34 + 24 * n
   bytes, so n = 1 gives a 20-byte IPv4 header with 24 bytes after it).
   The input also goes, whole, to the DNS parser as an answer of each
   query type (A, AAAA). Crashes, hangs and sanitizer reports are the
   findings. */
#include "net/net.h"
#include "net/checksum.h"
#include "net/dns.h"
#include "net/netfault.h"
#include <stdint.h>
#include <string.h>

static const uint8_t *in;
static size_t in_len, in_pos, chunk;
static int fix_checksum;

static enum net_err tx(void *ctx, const uint8_t *f, size_t len) { (void)ctx; (void)f; (void)len; return NET_OK; }

/* An Ethernet frame carrying an IPv4 header that fits: its checksum made right. */
static void fix_ipv4_checksum(uint8_t *f, size_t n)
{
    if (n < 34 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4)
        return;
    size_t ihl = (size_t)(f[14] & 0x0F) * 4;
    if (ihl < 20 || 14 + ihl > n)
        return;
    f[24] = f[25] = 0;
    uint16_t c = inet_checksum(f + 14, ihl);
    f[24] = (uint8_t)(c >> 8);
    f[25] = (uint8_t)c;
}

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
    if (fix_checksum)
        fix_ipv4_checksum(buf, n);
    return n;
}

static int rnd(void *out, size_t len) { memset(out, 0x5A, len); return 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static struct netdev dev = { .mac = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, .tx = tx, .rx = rx,
                                 .name = "fuzz" };
    struct net_config c;
    net_set_random(rnd);
    net_config_parse(&c, (data[0] & 1) ? "dhcp" : "10.0.2.15/24", "10.0.2.2", "10.0.2.2");
    net_init(&dev, &c, 0);
    dns_query_start("a.test");
    fix_checksum = (data[0] >> 1) & 1;
    chunk = 34 + (size_t)(data[0] >> 2) * 24;
    in = data + 1;
    in_len = size - 1;
    in_pos = 0;
    uint64_t t = 1;
    for (; in_pos < in_len && t < 10000; t++)
        net_poll(t);
    net_poll(t + 20000);        /* every timer fires on what the frames left */
    /* the input as a DNS message, to the parser of both query types (the
       resolver above reads answers to its A query; AAAA answers go
       through the same function) */
    struct dns_answer a;
    dns_parse_response_type(data + 1, size - 1, 0x5A5A, "a.test", DNS_QTYPE_AAAA, &a);
    dns_parse_response_type(data + 1, size - 1, 0x5A5A, "a.test", DNS_QTYPE_A, &a);
    return 0;
}
