# app/: kernel-only jobs get= (HTTPS download) and llm= (OpenAI-compatible
# chat), over net/ TCP and the tls/ engine. kmain reaches them through the
# weak hook app_jobs_run().
CLIENT_ID_C := $(BUILD)/gen/client_identity.c
APP_C := app/jobs.c app/https_get.c app/llm_job.c app/tls_connect.c app/tls_session_cache.c \
         app/tls_offload.c app/tls_opts.c app/tls_opts_cmdline.c app/app_err.c app/app_tcp.c
# Linked by default; `make APP_ENABLE=0 kernel` leaves the jobs out.
APP_ENABLE ?= 1
ifeq ($(APP_ENABLE),1)
KERNEL_C += $(APP_C) $(CLIENT_ID_C)
endif

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
LLM_DEMO_PORT ?= 8443
LLM_DEMO_KEY  ?= sk-demo
.PHONY: demo-llm
demo-llm:
	sh scripts/demo_ca.sh build/demo-pki
	$(MAKE) --no-print-directory BUILD=build/demo CA_EXTRA=build/demo-pki/ca.pem APP_ENABLE=1 kernel
	@$(PY) scripts/llm_server.py $(LLM_DEMO_PORT) --cert build/demo-pki/server.pem \
	    --key build/demo-pki/server.key --api-key $(LLM_DEMO_KEY) & pid=$$!; \
	  sleep 1; $(PY) scripts/qemu_run.py --kernel build/demo/kernel32.elf --interactive \
	    --cmdline "llm=https://10.0.2.2:$(LLM_DEMO_PORT)/v1/chat/completions model=demo key=$(LLM_DEMO_KEY) exit=1"; \
	  kill $$pid
