# drivers/: device drivers (kernel-only): the virtio 1.x PCI transport,
# virtio-net and virtio-rng, found through the probe table of probe.c, and
# QEMU's fw_cfg (I/O ports, no PCI: kmain reads its files at boot). The
# fw_cfg directory parser is pure and built for the host tests too.
KERNEL_C += drivers/probe.c drivers/virtio.c drivers/virtio_net.c drivers/virtio_rng.c \
            drivers/fw_cfg.c
SHARED_C += drivers/fw_cfg_dir.c
UNIT_TESTS += fw_cfg
FUZZERS += fw-cfg
## fuzz-fw-cfg: libFuzzer: the fw_cfg directory parser against a reference scan
FUZZ_fw-cfg_SRCS := drivers/fw_cfg_dir.c
FUZZ_fw-cfg_DEPS := drivers/fw_cfg.h
FUZZ_fw-cfg_MAX_LEN := 1024
FUZZ_fw-cfg_TIME := 30
FUZZ_fw-cfg_SEED = printf '\000\000\000\001\000\000\000\004\000\040\000\000opt/llm/key' > $(BUILD)/fuzz/corpus-fw-cfg/seed1
