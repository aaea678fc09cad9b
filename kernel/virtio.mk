# kernel/: virtio 1.x PCI transport and the virtio-rng entropy driver.
KERNEL_C += kernel/virtio.c kernel/virtio_rng.c
