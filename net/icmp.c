/* see icmp.h */
#include "net/icmp.h"
#include "net/checksum.h"
#include "net/net.h"
#include <string.h>
#include "lib/bytes.h"

void icmp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len)
{
    if (len < 8 || inet_checksum(p, len) != 0) {
        net_stats.rx_checksum_err += len >= 8;
        net_stats.rx_malformed += len < 8;
        return;
    }
    if (p[0] != 8 || p[1] != 0 || ip->dst != ipv4_local_addr()) {
        net_stats.rx_dropped++;
        return;
    }
    net_stats.icmp_echo_rx++;
    uint8_t hdr[8];
    memcpy(hdr, p, 8);
    hdr[0] = 0;                                   /* echo reply */
    be16_put(hdr + 2, 0);
    uint32_t sum = inet_sum(0, hdr, 8);
    sum = inet_sum(sum, p + 8, len - 8);
    be16_put(hdr + 2, inet_fold(sum));
    if (ipv4_output(ip->src, IPV4_PROTO_ICMP, hdr, 8, p + 8, len - 8) == NET_OK)
        net_stats.icmp_echo_reply_tx++;
}
