# net/: network stack. Protocol code is shared (host-testable); the one
# kernel-binding file (net_kernel.c: bring-up, blocking helpers) is
# kernel-only. Drivers are in drivers/, the network jobs in app/.
SHARED_C += net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/ip4_reasm.c \
            net/icmp.c net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c \
            net/tcp_wire.c net/tcp_sock.c net/tcp_in.c net/tcp_out.c net/tcp_rx.c \
            net/tcp_timer.c net/tcp_sack.c net/tcp_ip.c
KERNEL_C += net/net_kernel.c
UNIT_TESTS += net
UNIT_TESTS += tcp
UNIT_TESTS += tcp6         # TCP over IPv6: the IPv6 layer's fake link and TCP's
$(BUILD)/host/tests/tcp6: tests/unit/ip6_fake.h tests/unit/tcp_link.h
UNIT_TESTS += addr_paths   # one IPv4-literal rule through URL, DNS, X.509, settings

# bench-net: 256 MiB plain-TCP download into the guest vs the host's curl of
# the same file from the same loopback server (BENCH_NET_MB to change); then,
# as root, the guest against Linux in network namespaces (clean and lossy).
BENCH_NET_MB ?= 256
.PHONY: bench-net
bench-net: all ## guest plain-TCP download vs host curl, 256 MiB (BENCH_NET_MB); vs Linux (root)
	$(PY) scripts/bench_net.py tcp --mb $(BENCH_NET_MB) --kernel $(BUILD)/kernel32.elf
BENCH_TARGETS += bench-net

# libFuzzer target for the frame input path (instrumented sources; the recipe
# is tests/fuzz/fuzz.mk's). The stack dispatches to TCP, so TCP is linked in.
NET_FUZZ_SRCS := net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/ip4_reasm.c \
                 net/icmp.c net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c \
                 net/tcp_wire.c net/tcp_sock.c net/tcp_in.c net/tcp_out.c net/tcp_rx.c \
                 net/tcp_timer.c net/tcp_sack.c net/tcp_ip.c lib/fmt.c lib/ip_addr.c lib/ascii.c lib/list.c \
                 net/ipv6.c net/ip6_ext.c net/ip6_reasm.c net/icmpv6.c net/ndp.c net/slaac.c
NET_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += net-frame
## fuzz-net-frame: libFuzzer: the frame input path
FUZZ_net-frame_SRCS := $(NET_FUZZ_SRCS)
FUZZ_net-frame_DEPS = $(wildcard net/*.h)
FUZZ_net-frame_MAX_LEN := 4096
FUZZ_net-frame_TIME = $(NET_FUZZ_TIME)
FUZZ_net-frame_SEED = $(PY) tests/fuzz/net_frame_seeds.py $(BUILD)/fuzz/corpus-net-frame

# libFuzzer target for TCP: segments (raw or built relative to the socket's
# state), clock advances and application calls against one socket, with
# invariants checked after every step (tests/fuzz/fuzz_tcp.c).
TCP_FUZZ_SRCS := $(NET_FUZZ_SRCS)
TCP_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += tcp
## fuzz-tcp: libFuzzer: TCP segments, clock steps and calls on one socket
FUZZ_tcp_SRCS := $(TCP_FUZZ_SRCS)
FUZZ_tcp_DEPS = $(wildcard net/*.h)
FUZZ_tcp_MAX_LEN := 4096
FUZZ_tcp_TIME = $(TCP_FUZZ_TIME)

# IPv6 (issue #25): the portable layer; stack.c runs it when net_set_ipv6()
# enabled it (the kernel does unless ipv6=0), with UDP on top (udp6 suite).
SHARED_C += net/ipv6.c net/ip6_ext.c net/ip6_reasm.c net/icmpv6.c net/ndp.c net/slaac.c
UNIT_TESTS += ipv6 ndp slaac udp6
# the IPv6 suites share a fake link (tests/unit/ip6_fake.h)
$(BUILD)/host/tests/ipv6 $(BUILD)/host/tests/ndp $(BUILD)/host/tests/slaac \
$(BUILD)/host/tests/udp6: tests/unit/ip6_fake.h

# libFuzzer target for the IPv6 input path (tests/fuzz/fuzz_ipv6.c): packets
# into ip6_input with the clock moving (NET_FUZZ_SRCS holds the IPv6 files).
IPV6_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += ipv6
## fuzz-ipv6: libFuzzer: IPv6 packets, extension headers, ND, SLAAC
FUZZ_ipv6_SRCS := $(NET_FUZZ_SRCS)
FUZZ_ipv6_DEPS = $(wildcard net/*.h)
FUZZ_ipv6_MAX_LEN := 4096
FUZZ_ipv6_TIME = $(IPV6_FUZZ_TIME)
