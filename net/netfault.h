/* Fault injection for testing (smoltcp's FaultInjector idea):
   netfault=drop:P,dup:P,reorder:P,corrupt:P,seed:S applies those
   percentages to every frame in both directions, deterministically from the
   seed (xorshift64*, separate streams per direction). Reordering holds one
   frame and releases it after the next one (or after a short delay).
   Corruption flips one bit past the Ethernet header, so the IPv4/TCP/UDP
   checksums must catch it. */
#ifndef NET_NETFAULT_H
#define NET_NETFAULT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/net_err.h"

struct netfault_cfg {
    uint8_t drop, dup, reorder, corrupt;   /* percent, 0..100 */
    uint64_t seed;
};

/* Parses the netfault= value; NET_ERR_INVALID_ARG on a bad word or value. */
enum net_err netfault_parse(const char *s, struct netfault_cfg *c);
bool netfault_active(void);

/* A frame passing in one direction; deliver(frame, len) is called zero, one
   or two times (now or later through netfault_flush). */
typedef void (*netfault_deliver_fn)(const uint8_t *frame, size_t len);
void netfault_init(const struct netfault_cfg *c);
void netfault_tx(const uint8_t *frame, size_t len, netfault_deliver_fn deliver);
void netfault_rx(const uint8_t *frame, size_t len, netfault_deliver_fn deliver);
/* Releases a frame held for reordering for longer than hold_ms. */
void netfault_flush(uint64_t now_ms, netfault_deliver_fn tx_deliver, netfault_deliver_fn rx_deliver);

#endif
