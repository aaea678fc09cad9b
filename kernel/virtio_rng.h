/* virtio-rng (virtio 1.x entropy device) as a source for kernel/random.h. */
#ifndef KERNEL_VIRTIO_RNG_H
#define KERNEL_VIRTIO_RNG_H

/* Finds the device on PCI and registers it with kernel/random.h; prints
   what it found. Nothing happens without the device. */
void virtio_rng_probe(void);

#endif
