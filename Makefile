# Top-level build. One Makefile builds the same sources twice:
#   - freestanding for the kernel (build/kernel.elf, build/kernel32.elf, build/os.iso)
#   - for the host, with sanitizers, for unit tests (build/host/...)
#
# Each module directory contributes fragments `<dir>/*.mk` that append to:
#   KERNEL_C    C sources linked into the kernel only (drivers, boot glue)
#   KERNEL_ASM  nasm sources linked into the kernel
#   SHARED_C    pure C sources built for both the kernel and the host library
#               (crypto/, tls/, net/ parsers, lib/): they use only <stdint.h>,
#               <stddef.h>, <stdbool.h>, <string.h> and project headers.
#   UNIT_TESTS  names of cmocka suites; suite NAME is built from
#               tests/unit/test_NAME.c plus $(UNIT_NAME_SRCS), linked with the
#               sanitized host library and $(UNIT_NAME_LIBS).
#   TEST_EXTRA  extra make targets `make test` runs after the unit tests
#               (constant-time checks, differential tests)
#   BENCH_TARGETS make targets `make bench` runs
#   FUZZ_RUNS   make targets `make fuzz` runs (each a bounded libFuzzer run)
#   FUZZERS     names of libFuzzer targets, built and run by the one recipe of
#               tests/fuzz/fuzz.mk (see there for FUZZ_NAME_* settings); each
#               adds fuzz-NAME to FUZZ_RUNS.
# Keep fragments independent so modules can land in parallel.

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   ?= build
V       ?= 0
ifeq ($(V),0)
Q := @
else
Q :=
endif
CMDLINE ?= selftest=all exit=1
PY      := /usr/bin/python3

CC      := gcc
NASM    := nasm
HOSTCC  := gcc
GCC_INC := $(shell $(CC) -print-file-name=include)

# -Wmissing-prototypes: a function used in one file is static, one used across
# files is declared in its module's header. -Wshadow: no local hides another
# name. Both for the kernel and the host builds.
WARN    := -Wall -Wextra -Wmissing-prototypes -Wshadow -Werror
KCFLAGS := -std=c11 $(WARN) -O2 -g -ffreestanding -mno-red-zone -nostdlib -nostdinc \
           -isystem $(GCC_INC) -Ilib/include -I. -fno-pic -fno-pie -fno-stack-protector \
           -fno-omit-frame-pointer -mcmodel=small -fno-builtin-malloc -DKERNEL=1 \
           $(KCFLAGS_EXTRA)
KLDFLAGS := -nostdlib -static -no-pie -Wl,-T,linker.ld -Wl,-z,max-page-size=0x1000 \
           -Wl,--build-id=none

DEBUG ?= 1
ifeq ($(DEBUG),1)
KCFLAGS += -DHEAP_POISON
endif

HOSTCFLAGS := -std=c11 $(WARN) -O1 -g -I. -fno-omit-frame-pointer \
              -fsanitize=address,undefined -fno-sanitize-recover=all -D_DEFAULT_SOURCE
HOSTREL_CFLAGS := -std=c11 $(WARN) -O2 -g -I. -D_DEFAULT_SOURCE

KERNEL_C   :=
KERNEL_ASM :=
SHARED_C   :=
UNIT_TESTS :=
TEST_EXTRA :=
BENCH_TARGETS :=
FUZZ_RUNS :=
FUZZERS :=

include $(sort $(wildcard */*.mk))
include tests/fuzz/fuzz.mk

# $(sort) also drops a source two fragments both list.
KOBJS := $(patsubst %.asm,$(BUILD)/k/%.o,$(KERNEL_ASM)) \
         $(patsubst %.c,$(BUILD)/k/%.o,$(sort $(KERNEL_C) $(SHARED_C)))
HOBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(sort $(SHARED_C)))
ROBJS := $(patsubst %.c,$(BUILD)/hostrel/obj/%.o,$(sort $(SHARED_C)))

.PHONY: all kernel iso run deps test test-unit test-integration bench fuzz clean demo chat help FORCE

all: $(BUILD)/kernel.elf $(BUILD)/kernel32.elf $(BUILD)/os.iso ## kernel.elf, kernel32.elf and os.iso (the default)

kernel: $(BUILD)/kernel.elf $(BUILD)/kernel32.elf ## kernel.elf and kernel32.elf only, no ISO

$(BUILD)/k/%.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(NASM) -f elf64 -g -F dwarf -o $@ $<

$(BUILD)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/kernel.elf: $(KOBJS) linker.ld
	$(CC) $(KLDFLAGS) -o $@ $(KOBJS) -lgcc

# QEMU's multiboot (v1) loader only takes 32-bit ELF files: same image, ELF32 wrapper.
$(BUILD)/kernel32.elf: $(BUILD)/kernel.elf
	objcopy -O elf32-i386 $< $@

# The ISO's grub.cfg carries CMDLINE; rebuild when it changes.
$(BUILD)/cmdline.txt: FORCE
	@mkdir -p $(BUILD)
	@printf '%s' "$(CMDLINE)" | cmp -s - $@ || printf '%s' "$(CMDLINE)" > $@

# $(call mkiso,DIR): DIR/os.iso from $(BUILD)/kernel.elf and DIR/cmdline.txt.
define mkiso
	@rm -rf $(1)/isodir && mkdir -p $(1)/isodir/boot/grub
	cp $(BUILD)/kernel.elf $(1)/isodir/boot/kernel.elf
	$(PY) scripts/mkgrubcfg.py iso/grub.cfg.in $(1)/cmdline.txt > $(1)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $(1)/os.iso $(1)/isodir 2>$(1)/grub-mkrescue.log || (cat $(1)/grub-mkrescue.log; exit 1)
endef

$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/cmdline.txt iso/grub.cfg.in
	$(call mkiso,$(BUILD))

iso: $(BUILD)/os.iso ## os.iso whose grub.cfg carries CMDLINE='...' (default selftest=all exit=1)

FORCE:

# ---- run --------------------------------------------------------------
deps: ## install the Debian packages that are missing (scripts/deps.sh)
	@sh scripts/deps.sh

run: deps $(BUILD)/os.iso ## boot os.iso in QEMU, two CPUs, serial on the terminal (Ctrl-A X quits)
	$(PY) scripts/qemu_run.py --iso $(BUILD)/os.iso --interactive --smp 2

demo: deps all ## the main job: a three-turn chat with a local LLM endpoint over HTTPS
	$(PY) scripts/demo.py

# make chat LLM_URL=https://... LLM_MODEL=NAME [LLM_KEY_FILE=PATH]
#           [LLM_PROVIDER=openai|...] [LLM_SYSTEM=TEXT] [CHAT_ARGS=--dry-run]
# The ISO's command line is only exit=1: the endpoint's keys go in a
# generated fw_cfg opt/llm/config (build/chat/llm.config) and the key file
# is handed over as fw_cfg opt/llm/key, so the key is in neither the image
# nor the command line (scripts/chat.py, docs/llm.md "Keys").
shq = '$(subst ','\'',$(1))'
chat: deps $(BUILD)/kernel.elf $(BUILD)/kernel32.elf ## chat with an LLM: LLM_URL= LLM_MODEL= [LLM_KEY_FILE=] (key via fw_cfg)
	@mkdir -p $(BUILD)/chat && printf '%s' 'exit=1' > $(BUILD)/chat/cmdline.txt
	$(call mkiso,$(BUILD)/chat)
	$(PY) scripts/chat.py --build $(BUILD)/chat --kernel32 $(BUILD)/kernel32.elf \
	    --url $(call shq,$(LLM_URL)) --model $(call shq,$(LLM_MODEL)) \
	    --key-file $(call shq,$(LLM_KEY_FILE)) --provider $(call shq,$(LLM_PROVIDER)) \
	    --system $(call shq,$(LLM_SYSTEM)) $(CHAT_ARGS)

# ---- host library and unit tests ---------------------------------------
$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/hostrel/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $< (release)"
	$(Q)$(HOSTCC) $(HOSTREL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/host/libos.a: $(HOBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/hostrel/libos.a: $(ROBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

define UNIT_template
$(BUILD)/host/tests/$(1): tests/unit/test_$(1).c $$(UNIT_$(1)_SRCS) $(BUILD)/host/libos.a tests/unit/unit.h
	@mkdir -p $$(dir $$@)
	@echo "  TEST    $$@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) $$(UNIT_$(1)_CFLAGS) -Itests/unit -o $$@ tests/unit/test_$(1).c $$(UNIT_$(1)_SRCS) \
	    $(BUILD)/host/libos.a -lcmocka $$(UNIT_$(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_template,$(t))))

UNIT_BINS := $(addprefix $(BUILD)/host/tests/,$(UNIT_TESTS))

test-unit: deps $(UNIT_BINS) ## host unit suites (cmocka, ASan+UBSan)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; \
	  (cd tests/unit && ../../$$t) || fail=1; done; exit $$fail

test-integration: deps all ## QEMU integration tests (pytest; PYTEST_ARGS=... passes options)
	OS_TEST_BUILD=$(BUILD) $(PY) -m pytest -q tests/integration $(PYTEST_ARGS)

# test-unit, then extra checks modules register (TEST_EXTRA: constant-time,
# differential), then the QEMU integration tests.
test: deps ## every test: unit suites, extra checks (TEST_EXTRA), integration
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-unit
	@for t in $(TEST_EXTRA); do $(MAKE) --no-print-directory $$t || exit 1; done
	@$(MAKE) --no-print-directory test-integration

# Every benchmark in turn, one after the other (a benchmark that fails does
# not stop the others), then the one table of ours against OpenSSL with the
# targets (tests/bench.mk) from the rows written in this run, and the time
# each benchmark took. The ratios never change the exit status; a benchmark
# that failed does, after the table. bench-host (tests/bench.mk): the same
# without the guest benchmarks.
bench: deps ## every benchmark (BENCH_TARGETS), then one table: ours, OpenSSL, ratio, target
	@$(MAKE) --no-print-directory bench-run BENCH_RUN="$(BENCH_TARGETS)"

# Bounded libFuzzer runs registered by modules (FUZZ_RUNS: target names).
fuzz: deps ## every libFuzzer target for a bounded time (FUZZ_RUNS)
	@for t in $(FUZZ_RUNS); do $(MAKE) --no-print-directory $$t || exit 1; done

clean: ## remove the build directory
	rm -rf $(BUILD)

# One line per target a user may run, from the `## ` comments: on the rule
# line (`name: prerequisites ## what it does`), or on a line of its own
# (`## name: what it does`) for targets a template or a variable defines.
help: ## list every target with one line each
	@grep -h -E '^[a-zA-Z0-9_.-]+:.*## |^## [a-zA-Z0-9_./-]+: ' Makefile $(sort $(wildcard */*.mk)) \
	  | sed -E -e 's/^## ([^:]+): (.*)/\1\t\2/' -e t -e 's/^([^:]+):.*## (.*)/\1\t\2/' \
	  | sort -u | awk -F '\t' '{ printf "  %-20s %s\n", $$1, $$2 }'

-include $(KOBJS:.o=.d) $(HOBJS:.o=.d) $(ROBJS:.o=.d)
