/* virtio-rng (virtio 1.x entropy device) as a source for kernel/random.h. */
#ifndef DRIVERS_VIRTIO_RNG_H
#define DRIVERS_VIRTIO_RNG_H
#include "kernel/pci.h"

/* Starts the device p (from the probe table, drivers/drivers.h) and
   registers it with kernel/random.h; says so when it is unusable. */
void virtio_rng_start(const struct pci_dev *p);

#endif
