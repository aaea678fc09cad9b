/* virtio-net driver (virtio 1.2 section 5.1) on the modern PCI transport:
   negotiates VERSION_1, MAC and STATUS; one receive and one transmit split
   virtqueue with fixed DMA buffers (RX refilled as frames are taken, TX
   slots reclaimed from the used ring). Polled. Exposes a struct netdev;
   frames sent wait for its flush (the end of each net_poll) or for
   TX_BATCH of them before the device is notified. */
#ifndef NET_VIRTIO_NET_H
#define NET_VIRTIO_NET_H
#include "net/net.h"

/* Finds and starts the first virtio-net device; NULL (with *why) if none. */
struct netdev *virtio_net_probe(const char **why);

/* Driver counters: frames, full TX ring, bad RX lengths, device
   notifications written and spared (per queue), link status reads.
   tx_kicks counts the TX doorbells due (each covers every frame queued
   since the one before: the driver rings once per net_poll, not per frame);
   each is then written (tx_notify) or spared (tx_notify_skipped). */
struct virtio_net_stats {
    uint64_t rx, tx, tx_full, rx_bad, tx_kicks;
    uint64_t rx_notify, rx_notify_skipped, tx_notify, tx_notify_skipped, link_reads;
};
const struct virtio_net_stats *virtio_net_stats(void);

#endif
