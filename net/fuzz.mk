# libFuzzer target for the frame input path (clang, instrumented sources).
NET_FUZZ_SRCS := net/net_err.c net/checksum.c net/eth.c net/arp.c net/ipv4.c net/icmp.c \
                 net/udp.c net/netfault.c net/stack.c net/dhcp.c net/dns.c lib/fmt.c
NET_FUZZ_TIME ?= 60

$(BUILD)/fuzz/fuzz_net_frame: tests/fuzz/fuzz_net_frame.c $(NET_FUZZ_SRCS) $(wildcard net/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -I. -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< $(NET_FUZZ_SRCS)

.PHONY: fuzz-net-frame
fuzz-net-frame: $(BUILD)/fuzz/fuzz_net_frame
	@mkdir -p $(BUILD)/fuzz/corpus-net-frame
	$< -max_total_time=$(NET_FUZZ_TIME) -max_len=4096 $(BUILD)/fuzz/corpus-net-frame

FUZZ_RUNS += fuzz-net-frame
