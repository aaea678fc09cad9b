# app/: every job and every option (kernel-only, except the option parser,
# which the host tests build too). kmain (kernel/main.c) parses the command
# line through app/options.h and runs the job table of app/jobs.c.
CLIENT_ID_C := $(BUILD)/gen/client_identity.c
APP_OPTIONS_C := app/options.c app/keys.c app/tool_args.c app/mem_profile.c
APP_C := app/jobs.c app/job_selftest.c app/job_speed.c app/job_net.c app/job_tcp.c \
         app/https_get.c app/llm_job.c app/llm_chat.c app/llm_conn.c app/llm_tools.c app/line_edit.c \
         app/tls_connect.c app/tls_session_cache.c app/tls_offload.c app/app_err.c \
         app/app_tcp.c app/tools.c app/tool_clock.c app/tool_net_info.c app/tool_dns.c \
         app/tool_https_get.c app/job_tool.c $(APP_OPTIONS_C)
KERNEL_C += $(APP_C) $(CLIENT_ID_C)
UNIT_TESTS += options tool_args
UNIT_tool_args_SRCS := app/tool_args.c
UNIT_options_SRCS := $(APP_OPTIONS_C)
# the chat's line editor is kernel-free: the host tests build it too
UNIT_TESTS += line_edit
UNIT_line_edit_SRCS := app/line_edit.c

# mTLS client identity, fixed at build time (app/client_identity.h):
#   make CLIENT_CERT=chain.pem CLIENT_KEY=key.pem   (EC P-256 / P-384 key)
# The stamp records the paths so changing them regenerates the table.
CLIENT_CERT ?=
CLIENT_KEY  ?=
CLIENT_ID_STAMP_TEXT := cert=$(CLIENT_CERT) key=$(CLIENT_KEY)
$(BUILD)/gen/client_identity.stamp: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(CLIENT_ID_STAMP_TEXT)' | cmp -s - $@ || printf '%s\n' '$(CLIENT_ID_STAMP_TEXT)' > $@
$(CLIENT_ID_C): $(BUILD)/gen/client_identity.stamp scripts/gen_client_identity.py $(CLIENT_CERT) $(CLIENT_KEY)
	@mkdir -p $(dir $@)
	$(PY) scripts/gen_client_identity.py $(if $(CLIENT_CERT),--cert $(CLIENT_CERT)) \
	    $(if $(CLIENT_KEY),--key $(CLIENT_KEY)) -o $@

# ---- interactive LLM demo: local CA + demo server + kernel that trusts it ----
#   make demo-llm            (prompts typed on the serial console; Ctrl-A X quits)
# The demo key goes to the kernel as the fw_cfg file opt/llm/key.
LLM_DEMO_PORT ?= 8443
LLM_DEMO_KEY  ?= sk-demo
.PHONY: demo-llm
demo-llm: ## the LLM demo with prompts typed on the serial console
	sh scripts/demo_ca.sh build/demo-pki
	$(MAKE) --no-print-directory BUILD=build/demo CA_EXTRA=build/demo-pki/ca.pem kernel
	@$(PY) scripts/llm_server.py $(LLM_DEMO_PORT) --cert build/demo-pki/server.pem \
	    --key build/demo-pki/server.key --api-key $(LLM_DEMO_KEY) & pid=$$!; \
	  sleep 1; printf '%s\n' '$(LLM_DEMO_KEY)' > build/demo/llm.key; \
	  $(PY) scripts/qemu_run.py --kernel build/demo/kernel32.elf --interactive \
	    --fw-cfg opt/llm/key=build/demo/llm.key \
	    --cmdline "llm=https://10.0.2.2:$(LLM_DEMO_PORT)/v1/chat/completions model=demo exit=1"; \
	  kill $$pid

# bench-llm: the chat's time to first token and time per turn against the
# local endpoint, beside a host client on the same server in the same run.
BENCH_LLM_TURNS ?= 10
.PHONY: bench-llm
bench-llm: deps ## chat ttft and per-turn time vs a host client, local endpoint
	sh scripts/demo_ca.sh build/test-pki >/dev/null
	$(MAKE) --no-print-directory BUILD=build/test-https CA_EXTRA=build/test-pki/ca.pem \
	    CLIENT_CERT=build/test-pki/client.pem CLIENT_KEY=build/test-pki/client.key kernel
	$(PY) scripts/bench_llm.py --kernel build/test-https/kernel32.elf --pki build/test-pki \
	    --turns $(BENCH_LLM_TURNS)
BENCH_TARGETS += bench-llm

# bench-https: 256 MiB over HTTPS into the guest (get=) beside the guest's
# plain TCP and the host curl's HTTPS from the same loopback server, and the
# time from power-on to the first response byte. The guest kernel trusts a
# local demo CA (build/test-pki, as the HTTPS tests use).
BENCH_HTTPS_MB ?= 256
.PHONY: bench-https
bench-https: deps ## guest HTTPS vs plain TCP vs host curl, 256 MiB (BENCH_HTTPS_MB)
	sh scripts/demo_ca.sh build/test-pki >/dev/null
	$(MAKE) --no-print-directory BUILD=build/test-https CA_EXTRA=build/test-pki/ca.pem \
	    CLIENT_CERT=build/test-pki/client.pem CLIENT_KEY=build/test-pki/client.key kernel
	$(PY) scripts/bench_net.py https --mb $(BENCH_HTTPS_MB) --kernel build/test-https/kernel32.elf \
	    --pki build/test-pki
BENCH_TARGETS += bench-https
