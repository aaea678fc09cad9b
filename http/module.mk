# http/: HTTP/1.1 client messages, URL, JSON and server-sent events. Pure
# code: built for the kernel and the host; no allocation.
SHARED_C += http/url.c http/http_util.c http/http_req.c http/http_resp.c \
            http/json_write.c http/json_parse.c http/json_query.c http/sse.c \
            http/http_client.c http/http_date.c
UNIT_TESTS += url http json sse http_client http_live http_date
# http_live runs the client against scripts/llm_server.py with OpenSSL as TLS
UNIT_http_live_LIBS := -lssl -lcrypto
# http_tls runs it over the project's own TLS engine (tls/), when tls/ is built
ifneq ($(wildcard tls/tls.mk),)
UNIT_TESTS += http_tls
# http_app: the kernel's app/ jobs on the host (kernel services and TCP are
# test doubles in the test file; everything above TCP is the real code)
UNIT_TESTS += http_app
UNIT_http_app_SRCS := app/https_get.c app/llm_job.c app/llm_chat.c app/llm_conn.c app/llm_tools.c app/tools.c \
                      app/tool_clock.c app/tool_net_info.c app/tool_dns.c app/tool_https_get.c \
                      app/line_edit.c app/tls_connect.c kernel/console_untrusted.c \
                      app/tls_session_cache.c app/tls_offload.c app/app_err.c \
                      $(APP_OPTIONS_C) $(CLIENT_ID_C)
UNIT_http_app_LIBS := -lpthread   # the second-CPU double runs jobs on threads
endif

# libFuzzer targets (clang, own instrumented build of the http/ sources).
HTTP_FUZZ_SRCS := http/url.c http/http_util.c http/http_req.c http/http_resp.c \
                  http/json_write.c http/json_parse.c http/json_query.c http/sse.c \
                  http/http_client.c http/http_date.c lib/fmt.c lib/ip_addr.c lib/ascii.c
HTTP_FUZZ_TIME ?= $(FUZZ_TIME)

# Seeds are written at run time into build/fuzz/corpus-NAME.
HTTP_FUZZ_SEED_http := '\001HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: v\r\n\r\n'
HTTP_FUZZ_SEED_json := '{"choices":[{"delta":{"content":"a\\u00e9\\ud83d\\ude00"}}],"n":-1.5e3,"t":[true,false,null]}'
HTTP_FUZZ_SEED_sse := '\003: c\r\nevent: e\ndata: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: [DONE]\n\n'
define HTTP_FUZZ_REGISTER
FUZZERS += $(1)
FUZZ_$(1)_SRCS = $$(HTTP_FUZZ_SRCS)
FUZZ_$(1)_DEPS = $$(wildcard http/*.h)
FUZZ_$(1)_MAX_LEN := 4096
FUZZ_$(1)_TIME = $$(HTTP_FUZZ_TIME)
FUZZ_$(1)_FLAGS := -rss_limit_mb=1024
FUZZ_$(1)_SEED = printf -- $$(HTTP_FUZZ_SEED_$(1)) > $(BUILD)/fuzz/corpus-$(1)/seed1
endef
HTTP_FUZZ_SEED_http-date := 'Sun, 06 Nov 1994 08:49:37 GMT'
$(foreach f,http json sse http-date,$(eval $(call HTTP_FUZZ_REGISTER,$(f))))
## fuzz-http: libFuzzer: HTTP response parser
## fuzz-json: libFuzzer: JSON parser
## fuzz-sse: libFuzzer: server-sent events parser
## fuzz-http-date: libFuzzer: HTTP-date parser against the C library's formatting

# ---- benchmark: parser throughput on the host (-O2, no sanitizers) ----------
$(BUILD)/hostrel/bench_http: tests/unit/test_http_bench.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a
bench-http: $(BUILD)/hostrel/bench_http ## HTTP/JSON/SSE parser throughput on the host
	$(BUILD)/hostrel/bench_http
BENCH_TARGETS += bench-http
.PHONY: bench-http
