# app/: kernel-only jobs get= (HTTPS download) and llm= (OpenAI-compatible
# chat), over net/ TCP and the tls/ engine. kmain reaches them through the
# weak hook app_jobs_run().
APP_C := app/jobs.c app/https_get.c app/llm_job.c app/tls_connect.c app/app_tcp.c
# Not linked by default until the TCP layer (net/tcp.h) and the TLS engine
# (tls/tls.mk) are in the build: `make APP_ENABLE=1 kernel` links it.
APP_ENABLE ?= 1
ifeq ($(APP_ENABLE),1)
KERNEL_C += $(APP_C)
endif

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
