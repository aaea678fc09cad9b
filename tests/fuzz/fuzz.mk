# tests/fuzz/fuzz.mk: the one libFuzzer recipe (clang, ASan + UBSan). The
# top-level Makefile includes it after the module fragments, which register
# their fuzzers by name:
#   FUZZERS += NAME          make target fuzz-NAME, corpus build/fuzz/corpus-NAME
#   FUZZ_NAME_BIN      binary build/fuzz/BIN from the harness tests/fuzz/BIN.c
#                      (default fuzz_NAME, '-' turned into '_')
#   FUZZ_NAME_SRCS     sources compiled instrumented with the harness
#   FUZZ_NAME_LIBS     linked after them: build/hostrel/libos.a (uninstrumented
#                      gcc -O2 primitives) and/or -l flags
#   FUZZ_NAME_DEPS     further prerequisites of the binary (headers)
#   FUZZ_NAME_SEED     shell command that writes seeds into the corpus (optional)
#   FUZZ_NAME_MAX_LEN  -max_len of the run
#   FUZZ_NAME_TIME     -max_total_time of the run (default $(FUZZ_TIME) seconds)
#   FUZZ_NAME_FLAGS    further libFuzzer flags (e.g. -rss_limit_mb=1024)
#   FUZZ_NAME_CFLAGS   further compiler flags (e.g. a module's test-hook flag)
# `make fuzz` runs every fuzz-NAME (FUZZ_RUNS) in registration order.
FUZZ_CC     := clang
FUZZ_CFLAGS := -std=c11 -g -O1 -I. -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all
FUZZ_TIME   ?= 60

define FUZZ_template
FUZZ_$(1)_BIN ?= fuzz_$(subst -,_,$(1))
FUZZ_$(1)_TIME ?= $$(FUZZ_TIME)
$(BUILD)/fuzz/$$(FUZZ_$(1)_BIN): tests/fuzz/$$(FUZZ_$(1)_BIN).c $$(FUZZ_$(1)_SRCS) \
		$$(filter %.a,$$(FUZZ_$(1)_LIBS)) $$(FUZZ_$(1)_DEPS)
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $$(FUZZ_$(1)_CFLAGS) -o $$@ $$< $$(FUZZ_$(1)_SRCS) $$(FUZZ_$(1)_LIBS)
fuzz-$(1): $(BUILD)/fuzz/$$(FUZZ_$(1)_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus-$(1)
	$$(if $$(FUZZ_$(1)_SEED),@$$(FUZZ_$(1)_SEED))
	$$< -max_total_time=$$(FUZZ_$(1)_TIME) -max_len=$$(FUZZ_$(1)_MAX_LEN) $$(FUZZ_$(1)_FLAGS) \
	    $(BUILD)/fuzz/corpus-$(1)
.PHONY: fuzz-$(1)
endef
$(foreach f,$(FUZZERS),$(eval $(call FUZZ_template,$(f))))
FUZZ_RUNS += $(addprefix fuzz-,$(FUZZERS))
