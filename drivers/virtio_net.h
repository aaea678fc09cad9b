/* virtio-net driver (virtio 1.2 section 5.1) on the modern PCI transport:
   negotiates VERSION_1, MAC and STATUS; one receive and one transmit split
   virtqueue with fixed DMA buffers (RX refilled as frames are taken, TX
   slots reclaimed from the used ring). Polled. Exposes a struct netdev;
   frames sent wait for its flush (the end of each net_poll) or for
   TX_BATCH of them before the device is notified. */
#ifndef DRIVERS_VIRTIO_NET_H
#define DRIVERS_VIRTIO_NET_H
#include "kernel/pci.h"
#include "net/net.h"

/* Starts the virtio-net device p (from the probe table, drivers/drivers.h);
   NULL (with *why) when it cannot. One device: a second call is refused. */
struct netdev *virtio_net_start(const struct pci_dev *p, const char **why);

/* Driver counters (printed by the netdev's stats hook): frames, full TX ring, bad RX lengths, device
   notifications written and spared (per queue), link status reads.
   tx_kicks counts the TX doorbells due (each covers every frame queued
   since the one before: the driver rings once per net_poll, not per frame);
   each is then written (tx_notify) or spared (tx_notify_skipped). */
struct virtio_net_stats {
    uint64_t rx, tx, tx_full, rx_bad, tx_kicks;
    uint64_t rx_notify, rx_notify_skipped, tx_notify, tx_notify_skipped, link_reads;
};

#endif
