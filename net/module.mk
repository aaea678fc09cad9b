# net/: network stack. Protocol code is shared (host-testable); drivers and
# kernel glue are kernel-only.
SHARED_C += net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/icmp.c \
            net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c
KERNEL_C += net/net_kernel.c
UNIT_TESTS += net
