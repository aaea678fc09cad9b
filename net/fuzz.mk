# libFuzzer target for the frame input path (clang, instrumented sources).
NET_FUZZ_SRCS := net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/ip4_reasm.c \
                 net/icmp.c net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c lib/fmt.c \
                 lib/ip_addr.c
NET_FUZZ_TIME ?= 60

$(BUILD)/fuzz/fuzz_net_frame: tests/fuzz/fuzz_net_frame.c $(NET_FUZZ_SRCS) $(wildcard net/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -I. -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< $(NET_FUZZ_SRCS)

.PHONY: fuzz-net-frame
fuzz-net-frame: $(BUILD)/fuzz/fuzz_net_frame
	@$(PY) tests/fuzz/net_frame_seeds.py $(BUILD)/fuzz/corpus-net-frame
	$< -max_total_time=$(NET_FUZZ_TIME) -max_len=4096 $(BUILD)/fuzz/corpus-net-frame

FUZZ_RUNS += fuzz-net-frame

# libFuzzer target for TCP: segments (raw or built relative to the socket's
# state), clock advances and application calls against one socket, with
# invariants checked after every step (tests/fuzz/fuzz_tcp.c).
TCP_FUZZ_SRCS := $(NET_FUZZ_SRCS) net/tcp_wire.c net/tcp_sock.c net/tcp_in.c net/tcp_out.c \
                 net/tcp_rx.c net/tcp_timer.c
TCP_FUZZ_TIME ?= 60

$(BUILD)/fuzz/fuzz_tcp: tests/fuzz/fuzz_tcp.c $(TCP_FUZZ_SRCS) $(wildcard net/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -I. -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< $(TCP_FUZZ_SRCS)

.PHONY: fuzz-tcp
fuzz-tcp: $(BUILD)/fuzz/fuzz_tcp
	@mkdir -p $(BUILD)/fuzz/corpus-tcp
	$< -max_total_time=$(TCP_FUZZ_TIME) -max_len=4096 $(BUILD)/fuzz/corpus-tcp

FUZZ_RUNS += fuzz-tcp
