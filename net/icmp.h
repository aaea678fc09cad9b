/* ICMP (RFC 792): answers echo requests addressed to us; everything else is
   counted and dropped. */
#ifndef NET_ICMP_H
#define NET_ICMP_H
#include <stddef.h>
#include <stdint.h>
#include "net/ipv4.h"

void icmp_input(const struct ipv4_hdr *ip, const uint8_t *p, size_t len);

#endif
