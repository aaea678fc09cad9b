# llm/: LLM client logic above HTTP: the provider-neutral request builder and
# response driver, the providers, usage and Retry-After capture (llm_meta.c),
# the retry policy (retry.c) and the model lists (models.c). Pure code:
# built for the kernel and the host; includes only http/ and lib/; no
# allocation. Tool calling: tool_json.c (requests), tool_call.c (answers).
SHARED_C += llm/llm_req.c llm/llm_resp.c llm/openai_chat.c llm/openai_responses.c \
            llm/anthropic.c llm/gemini.c llm/ollama.c llm/llm_meta.c llm/retry.c \
            llm/models.c llm/tool_call.c llm/tool_json.c
UNIT_TESTS += llm llm_fixtures llm_providers llm_retry llm_models llm_tool_call llm_tools
# the chat's bounded conversation store (llm/history.h)
SHARED_C += llm/history.c
UNIT_TESTS += llm_history

# libFuzzer target: the response driver with each provider, piecewise against
# one-shot (own instrumented build of the http/ and llm/ sources; the recipe
# is tests/fuzz/fuzz.mk's). The seed is written at run time.
LLM_FUZZ_SRCS := $(sort $(wildcard http/*.c llm/*.c)) lib/fmt.c lib/ip_addr.c lib/ascii.c \
                 lib/text_filter.c
LLM_FUZZ_SEED := '\023: c\r\nevent: e\ndata: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
FUZZERS += llm
## fuzz-llm: libFuzzer: LLM response driver, in pieces against one-shot
FUZZ_llm_SRCS := $(LLM_FUZZ_SRCS)
FUZZ_llm_DEPS = $(wildcard http/*.h llm/*.h)
FUZZ_llm_MAX_LEN := 4096
FUZZ_llm_FLAGS := -rss_limit_mb=1024
LLM_FUZZ_SEED2 := '\020data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"clock","arguments":"{\\"a"}}]}}]}\n\ndata: {"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\":1}"}}]},"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n'
LLM_FUZZ_SEED3 := '\120event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"dns_lookup","input":{}}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'
FUZZ_llm_SEED = printf -- $(LLM_FUZZ_SEED) > $(BUILD)/fuzz/corpus-llm/seed1; \
    printf -- $(LLM_FUZZ_SEED2) > $(BUILD)/fuzz/corpus-llm/seed2; \
    printf -- $(LLM_FUZZ_SEED3) > $(BUILD)/fuzz/corpus-llm/seed3

# libFuzzer target: the model-list parser with each provider's shape,
# piecewise against one-shot.
LLM_MODELS_FUZZ_SEED := '\160{"models": [{"name": "models/g\\u00e9", "x": [1, {"a": null}]}, {"name": 3}], "n": "t"}'
FUZZERS += llm-models
## fuzz-llm-models: libFuzzer: LLM model-list parser, in pieces against one-shot
FUZZ_llm-models_SRCS := $(LLM_FUZZ_SRCS)
FUZZ_llm-models_DEPS = $(wildcard http/*.h llm/*.h)
FUZZ_llm-models_MAX_LEN := 4096
FUZZ_llm-models_FLAGS := -rss_limit_mb=1024
FUZZ_llm-models_SEED = printf -- $(LLM_MODELS_FUZZ_SEED) > $(BUILD)/fuzz/corpus-llm-models/seed1
