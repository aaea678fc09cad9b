/* The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header sum
   (RFC 9293 section 3.1, RFC 768; RFC 8200 section 8.1 for IPv6). IPv4
   addresses are in host byte order, IPv6 addresses 16 bytes as on the wire. */
#ifndef NET_CHECKSUM_H
#define NET_CHECKSUM_H
#include <stddef.h>
#include <stdint.h>

/* One's-complement sum of data folded into 32 bits, continuing from `sum`. */
uint32_t inet_sum(uint32_t sum, const void *data, size_t len);
/* Folds and complements a running sum into the final 16-bit checksum. */
uint16_t inet_fold(uint32_t sum);
/* Checksum of a buffer (IPv4 header, ICMP). Verifying a buffer that contains
   its checksum gives 0. Result in host order: store with a big-endian write. */
uint16_t inet_checksum(const void *data, size_t len);
/* Pseudo-header sum for TCP/UDP over IPv4: feed to inet_sum over the segment. */
uint32_t inet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);
/* Pseudo-header sum for an upper-layer protocol over IPv6 (RFC 8200 8.1:
   source, final destination, 32-bit upper-layer length, next header, used
   by ICMPv6, UDP and TCP alike): feed to inet_sum over the message. */
uint32_t inet6_pseudo_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
                          uint32_t len);

#endif
