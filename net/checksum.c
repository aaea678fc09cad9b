/* see checksum.h */
#include "net/checksum.h"
#include "lib/bytes.h"

uint32_t inet_sum(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t s = sum;
    while (len >= 2) {
        s += be16_get(p);
        p += 2;
        len -= 2;
    }
    if (len)
        s += (uint32_t)p[0] << 8;
    while (s >> 32)
        s = (s & 0xFFFFFFFFu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t inet_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t inet_checksum(const void *data, size_t len)
{
    return inet_fold(inet_sum(0, data, len));
}

uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    uint32_t s = 0;
    s += src >> 16;
    s += src & 0xFFFF;
    s += dst >> 16;
    s += dst & 0xFFFF;
    s += proto;
    s += len;
    return s;
}

uint32_t inet6_pseudo_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
                          uint32_t len)
{
    uint32_t s = inet_sum(0, src, 16);
    s = inet_sum(s, dst, 16);
    uint8_t tail[8] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                       (uint8_t)len, 0, 0, 0, proto};
    return inet_sum(s, tail, 8);
}
