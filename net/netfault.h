/* Fault injection for testing (smoltcp's FaultInjector idea): a struct
   netdev that wraps another one. netfault=drop:P,dup:P,reorder:P,corrupt:P,seed:S
   applies those percentages to every frame in both directions,
   deterministically from the seed (xorshift64*, separate streams per
   direction). Reordering holds one frame and releases it after the next
   one, or once it has been held NETFAULT_HOLD_MS (checked when the stack
   reads from the device and when it flushes). Corruption flips one bit
   past the Ethernet header, so the IPv4/TCP/UDP checksums must catch it.
   The wrapper counts its faults in net_stats.fault_*; the stack counts
   frames at the wrapper (what the protocols see). Caller-owned state, no
   allocation: any netdev can be wrapped, one wrapper per device. */
#ifndef NET_NETFAULT_H
#define NET_NETFAULT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "net/net.h"
#include "net/net_err.h"

#define NETFAULT_HOLD_MS 5

struct netfault_cfg {
    uint8_t drop, dup, reorder, corrupt;   /* percent, 0..100 */
    uint64_t seed;
};

/* Parses the netfault= value; NET_ERR_INVALID_ARG on a bad word or value. */
enum net_err netfault_parse(const char *spec, struct netfault_cfg *c);

struct netfault_dir {
    uint64_t rng;
    bool held;
    uint16_t len;
    uint64_t since;
    uint8_t frame[NET_ETH_FRAME_MAX];
};

struct netfault {
    struct netdev dev;                     /* what the stack is given */
    struct netdev *inner;
    struct netfault_cfg cfg;
    struct netfault_dir tx, rx;
    /* received frames ready for the stack: a frame, its duplicate and a
       held one released after them */
#define NETFAULT_READY 3
    uint8_t ready[NETFAULT_READY][NET_ETH_FRAME_MAX];
    uint16_t ready_len[NETFAULT_READY];
    int nready;
};

/* Sets f up around inner with c and returns &f->dev. */
struct netdev *netfault_wrap(struct netfault *f, struct netdev *inner,
                             const struct netfault_cfg *c);

#endif
