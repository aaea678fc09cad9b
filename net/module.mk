# net/: network stack. Protocol code is shared (host-testable); the one
# kernel-binding file (net_kernel.c: bring-up, blocking helpers) is
# kernel-only. Drivers are in drivers/, the network jobs in app/.
SHARED_C += net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/ip4_reasm.c \
            net/icmp.c net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c \
            net/tcp_wire.c net/tcp_sock.c net/tcp_in.c net/tcp_out.c net/tcp_rx.c \
            net/tcp_timer.c
KERNEL_C += net/net_kernel.c
UNIT_TESTS += net
UNIT_TESTS += tcp
