# llm/: LLM client logic above HTTP: the provider-neutral request builder and
# response driver, and the providers (OpenAI chat completions). Pure code:
# built for the kernel and the host; includes only http/ and lib/; no
# allocation.
SHARED_C += llm/llm_req.c llm/llm_resp.c llm/openai_chat.c
UNIT_TESTS += llm

# libFuzzer target: the response driver with each provider, piecewise against
# one-shot (clang, own instrumented build of the http/ and llm/ sources).
LLM_FUZZ_SRCS := $(sort $(wildcard http/*.c llm/*.c)) lib/fmt.c
LLM_FUZZ_TIME ?= 60
$(BUILD)/fuzz/fuzz_llm: tests/fuzz/fuzz_llm.c $(LLM_FUZZ_SRCS) $(wildcard http/*.h llm/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -I. -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ $< $(LLM_FUZZ_SRCS)
# The seed is written at run time into build/fuzz/corpus-llm.
LLM_FUZZ_SEED := '\023: c\r\nevent: e\ndata: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
.PHONY: fuzz-llm
fuzz-llm: $(BUILD)/fuzz/fuzz_llm
	@mkdir -p $(BUILD)/fuzz/corpus-llm
	@printf -- $(LLM_FUZZ_SEED) > $(BUILD)/fuzz/corpus-llm/seed1
	$(BUILD)/fuzz/fuzz_llm -max_total_time=$(LLM_FUZZ_TIME) -max_len=4096 -rss_limit_mb=1024 \
	    $(BUILD)/fuzz/corpus-llm
FUZZ_RUNS += fuzz-llm
