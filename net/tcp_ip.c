/* TCP's view of the IP layer below, for both families: the IPv6 entry point
   (tcp_input6, registered with ip6_set_upper), the pseudo-header of the
   checksum (RFC 9293 3.1 for IPv4, RFC 8200 8.1 for IPv6), segment output
   through ipv4_output or ip6_output (or the test hook of tcp_set_output),
   and the MSS each family allows: advertised link MTU - 40 / - 60, sent
   no larger than the path MTU of IPv6 (net/icmpv6.h ip6_path_mtu, lowered
   by Packet Too Big, RFC 8201), which tcp_mss_check follows.
   State: the output hook only; sockets are in tcp_sock.c. Nothing is
   allocated. */
#include "net/checksum.h"
#include "net/icmpv6.h"
#include "net/net.h"
#include "net/tcp_int.h"

static tcp_output_fn out_fn;

void tcp_set_output(tcp_output_fn fn) { out_fn = fn; }

uint32_t tcp_pseudo_sum(const struct ip_addr *src, const struct ip_addr *dst, size_t len)
{
    if (ip_addr_is_v6(src))
        return inet6_pseudo_sum(src->bytes, dst->bytes, IP6_NH_TCP, (uint32_t)len);
    return inet_pseudo_sum(ip_addr_v4_value(src), ip_addr_v4_value(dst), IPV4_PROTO_TCP,
                           (uint16_t)len);
}

enum net_err tcp_ip_output(const struct ip_addr *src, const struct ip_addr *dst,
                           const void *hdr, size_t hlen, const void *payload, size_t plen)
{
    net_stats.tcp_tx++;
    if (out_fn)
        return out_fn(src, dst, IPV4_PROTO_TCP, hdr, hlen, payload, plen);
    if (ip_addr_is_v6(dst))
        return ip6_output(src->bytes, dst->bytes, IP6_NH_TCP, 0, hdr, hlen, payload, plen);
    if (ip_addr_is_v4(dst))
        return ipv4_output(ip_addr_v4_value(dst), IPV4_PROTO_TCP, hdr, hlen, payload, plen);
    return NET_ERR_FAMILY;
}

/* The largest data + options of one segment the path to peer carries. */
static uint16_t path_mss(const struct ip_addr *peer)
{
    if (!ip_addr_is_v6(peer))
        return (uint16_t)(ipv4_mtu() - TCP_V4_OVERHEAD);
    size_t m = ip6_path_mtu(peer->bytes);
    m = m > TCP_V6_OVERHEAD ? m - TCP_V6_OVERHEAD : 0;
    if (m < TCP_V6_MSS_MIN)
        m = TCP_V6_MSS_MIN;
    return (uint16_t)(m > 0xFFFF ? 0xFFFF : m);
}

uint16_t tcp_adv_mss(const struct ip_addr *peer)
{
    if (!ip_addr_is_v6(peer))
        return (uint16_t)(ipv4_mtu() - TCP_V4_OVERHEAD);
    size_t m = ip6_link_mtu() - TCP_V6_OVERHEAD;
    return (uint16_t)(m > 0xFFFF ? 0xFFFF : m);
}

uint16_t tcp_mss_calc(const struct tcp_sock *t)
{
    uint16_t ours = path_mss(&t->rip);
    uint16_t peer = t->peer_mss ? t->peer_mss : TCP_DEFAULT_MSS;
    uint16_t m = peer < ours ? peer : ours;
    if (m < 64)
        m = 64;
    if (t->ts_ok && m > 64 + TCP_TS_LEN)
        m -= TCP_TS_LEN;           /* the option rides in every segment */
    return m;
}

void tcp_mss_check(struct tcp_sock *t)
{
    if (!ip_addr_is_v6(&t->rip) || !t->peer_mss)
        return;
    uint16_t m = tcp_mss_calc(t);
    if (m == t->mss)
        return;
    bool lower = m < t->mss;
    t->mss = m;            /* up again when a path MTU entry aged out */
    if (!lower || t->tx_len == 0 || !SEQ_LT(t->snd_una, t->snd_nxt))
        return;
    switch (t->state) {
    case TCP_ESTABLISHED: case TCP_CLOSE_WAIT: case TCP_FIN_WAIT_1: case TCP_CLOSING:
    case TCP_LAST_ACK:
        break;
    default:
        return;
    }
    /* RFC 8201 5.4 (as RFC 1191 6.4): the router dropped the segments that
       no longer fit; send them again at once in the new size, from the
       oldest, without taking it for congestion (cwnd stays) */
    t->timing = false;     /* Karn: no RTT sample from what goes again */
    t->snd_nxt = t->snd_una;
    tcp_output(t);
    tcp_rto_arm(t);
}

static bool v4_mapped(const uint8_t a[16])
{
    static const uint8_t pre[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return !memcmp(a, pre, 12);
}

void tcp_input6(const struct ip6_hdr *h, const uint8_t *seg, size_t len)
{
    /* RFC 9293 3.10.7.2: nothing for a multicast destination; no answer to
       :: or to an IPv4-mapped address, which is no IPv6 peer (RFC 4291
       2.5.5.2): it would match no IPv4 socket either (family differs) */
    if (ip6_is_multicast(h->dst) || ip6_is_unspecified(h->src) || ip6_is_multicast(h->src) ||
        v4_mapped(h->src) || v4_mapped(h->dst)) {
        net_stats.tcp_rx++;
        net_stats.rx_dropped++;
        return;
    }
    struct ip_addr src = ip_addr_v6(h->src), dst = ip_addr_v6(h->dst);
    tcp_input_ip(&src, &dst, seg, len);
}

void tcp_input(ip4_addr src, ip4_addr dst, const uint8_t *seg, size_t len)
{
    struct ip_addr a = ip_addr_v4(src), b = ip_addr_v4(dst);
    tcp_input_ip(&a, &b, seg, len);
}
