KERNEL_C += net/virtio_net.c
