# net/: network stack. Protocol code is shared (host-testable); drivers and
# kernel glue are kernel-only.
SHARED_C += net/net_err.c net/checksum.c
