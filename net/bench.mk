# bench-net: 256 MiB plain-TCP download into the guest vs the host's curl of
# the same file from the same loopback server (BENCH_NET_MB to change).
BENCH_NET_MB ?= 256
.PHONY: bench-net
bench-net: all ## guest plain-TCP download vs host curl, 256 MiB (BENCH_NET_MB)
	$(PY) scripts/bench_net.py tcp --mb $(BENCH_NET_MB) --kernel $(BUILD)/kernel32.elf
BENCH_TARGETS += bench-net
