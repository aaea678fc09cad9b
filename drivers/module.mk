# drivers/: device drivers (kernel-only): the virtio 1.x PCI transport,
# virtio-net and virtio-rng, found through the probe table of probe.c.
KERNEL_C += drivers/probe.c drivers/virtio.c drivers/virtio_net.c drivers/virtio_rng.c
