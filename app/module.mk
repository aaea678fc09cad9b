# app/: kernel-only jobs get= (HTTPS download) and llm= (OpenAI-compatible
# chat), over net/ TCP and the tls/ engine. kmain reaches them through the
# weak hook app_jobs_run().
APP_C := app/jobs.c app/https_get.c app/llm_job.c app/tls_connect.c app/app_tcp.c
# Not linked by default until the TCP layer (net/tcp.h) and the TLS engine
# (tls/tls.mk) are in the build: `make APP_ENABLE=1 kernel` links it.
APP_ENABLE ?= 0
ifeq ($(APP_ENABLE),1)
KERNEL_C += $(APP_C)
endif
