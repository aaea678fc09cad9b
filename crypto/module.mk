# crypto/: primitives, freestanding, built for the kernel and the host.
SHARED_C += crypto/util.c
