/* Virtio 1.x over PCI (the "modern" transport, virtio spec v1.2 section
   4.1.4): finds the common/notify/ISR/device configuration structures
   through the vendor-specific PCI capabilities, negotiates features and sets
   up split virtqueues (section 2.7) in memory from the frame allocator.
   Polled: no interrupts are used. Drivers: virtio-net (drivers/virtio_net.c)
   and virtio-rng (drivers/virtio_rng.c). */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H
#include <stdbool.h>
#include <stdint.h>
#include "kernel/pci.h"

#define VIRTIO_F_VERSION_1 32

#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_USED_F_NO_NOTIFY 1   /* used ring flags: device asks not to be notified */

struct virtq_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct virtq_used_elem { uint32_t id, len; };

struct virtq {
    uint16_t size, index;
    volatile struct virtq_desc *desc;
    volatile uint16_t *avail;       /* flags, idx, ring[size], used_event */
    volatile uint16_t *used_hdr;    /* flags, idx */
    volatile struct virtq_used_elem *used;
    volatile uint16_t *notify;
    uint16_t avail_idx;             /* our next avail index (free running) */
    uint16_t last_used;             /* next used index to consume */
    uint64_t notifies;              /* notifications written to the device */
    uint64_t notifies_skipped;      /* spared: the device set NO_NOTIFY */
};

struct virtio_dev {
    const struct pci_dev *pci;
    volatile uint8_t *common, *isr, *device;
    volatile uint8_t *notify_base;
    uint32_t notify_mult;
    uint64_t features;              /* negotiated */
};

/* Resets the device, negotiates `wanted` (VERSION_1 is always required) and
   leaves it in FEATURES_OK state. Returns false with *why set on failure. */
bool virtio_init(struct virtio_dev *v, const struct pci_dev *pci, uint64_t wanted,
                 const char **why);
/* Sets up queue `index` with at most max_size entries. */
bool virtio_queue_setup(struct virtio_dev *v, struct virtq *q, uint16_t index,
                        uint16_t max_size);
/* Sets DRIVER_OK: the device may start using the queues. */
void virtio_driver_ok(struct virtio_dev *v);
/* Makes descriptor head available; virtq_notify then tells the device,
   unless the device has asked not to be told (VIRTQ_USED_F_NO_NOTIFY). */
void virtq_push(struct virtq *q, uint16_t head);
void virtq_notify(struct virtq *q);
/* Takes the next used element: true (with id and len set) when there is one. */
bool virtq_pop_used(struct virtq *q, uint32_t *id, uint32_t *len);

#endif
