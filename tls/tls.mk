# tls/: the TLS 1.3 client engine (pure state machine over byte buffers),
# its blocking I/O layer and the X.509 verification glue; plus the host CLI
# (build/tlsget), unit suites, interop tests, fuzzer and benchmarks.
TLS_ENGINE_C := tls/tls_err.c tls/tls_aead.c tls/keysched.c tls/record.c tls/tls_engine.c tls/rx_pipe.c tls/tls_info.c \
                tls/cli_hello.c tls/cli_server_hello.c tls/cli_server_auth.c tls/cli_post.c \
                tls/cli_flight.c
SHARED_C += $(TLS_ENGINE_C) tls/tls_io.c tls/tls_x509.c tls/tls_selftest.c
# Test hooks (tls.h: tls_test_set_client_hellos) exist only in builds with
# TLS_TEST_HOOKS. The flag changes struct tls_conn, so every object of one
# program is built with the same setting: all host objects (library, suites,
# tools, fuzzer) have it. The kernel has it only in debug builds (DEBUG=1,
# the default), whose boot self-test (tls/tls_selftest.c, selftest=tls)
# replays the RFC 8448 trace, a ClientHello the engine does not build
# itself; a DEBUG=0 kernel has no test hook and reports that test skipped.
TLS_TEST_FLAGS := -DTLS_TEST_HOOKS
HOSTCFLAGS += $(TLS_TEST_FLAGS)
HOSTREL_CFLAGS += $(TLS_TEST_FLAGS)
ifeq ($(DEBUG),1)
KCFLAGS += $(TLS_TEST_FLAGS)
endif
UNIT_TESTS += tls_rfc8448 tls_engine tls_pipe tls_ossl tls_pq
UNIT_tls_pipe_LIBS := -lpthread                # a worker thread opens records
UNIT_tls_ossl_LIBS := -lssl -lcrypto       # libssl as the in-process reference server
$(BUILD)/host/tests/tls_rfc8448 $(BUILD)/host/tests/tls_engine $(BUILD)/host/tests/tls_pipe: tests/unit/tls_trace.h tests/unit/tls_fake_srv.h

# ---- host CLI: build/tlsget (-O2) and build/host/tlsget (ASan/UBSan, used by
# tests/integration/test_tls_interop.py). Only the project's code: the mTLS
# key (--cert/--key) is read by tools/tlsget_key.c and signs with crypto/. ----
TLSGET_C := tools/tlsget.c tools/tlsget_key.c
## build/tlsget: host CLI: the TLS engine as an HTTPS client (tools/tlsget.c)
$(BUILD)/tlsget: $(TLSGET_C) tools/tlsget_key.h $(BUILD)/hostrel/libos.a $(wildcard tls/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $(TLSGET_C) $(BUILD)/hostrel/libos.a
$(BUILD)/host/tlsget: $(TLSGET_C) tools/tlsget_key.h $(BUILD)/host/libos.a $(wildcard tls/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -o $@ $(TLSGET_C) $(BUILD)/host/libos.a

# ---- libFuzzer: server flight (records + handshake messages) ----------------
# The engine sources are built instrumented by tests/fuzz/fuzz.mk's recipe;
# the primitives come uninstrumented from build/hostrel/libos.a.
TLS_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += tls
## fuzz-tls: libFuzzer: TLS server flight
FUZZ_tls_BIN := fuzz_tls_server_flight
FUZZ_tls_SRCS = $(TLS_ENGINE_C)
FUZZ_tls_LIBS := $(BUILD)/hostrel/libos.a
FUZZ_tls_DEPS = $(wildcard tls/*.h crypto/*.h)
FUZZ_tls_MAX_LEN := 20000
FUZZ_tls_TIME = $(TLS_FUZZ_TIME)
FUZZ_tls_FLAGS := -rss_limit_mb=1024
FUZZ_tls_CFLAGS = $(TLS_TEST_FLAGS)
FUZZ_tls_SEED = printf '\x00\x16\x03\x03\x00\x04\x02\x00\x00\x00' > $(BUILD)/fuzz/corpus-tls/seed-sh && \
    printf '\x01\x16\x00\x04\x08\x00\x00\x00' > $(BUILD)/fuzz/corpus-tls/seed-ee && \
    printf '\x02\x16\x00\x05\x18\x00\x00\x01\x01' > $(BUILD)/fuzz/corpus-tls/seed-ku && \
    printf '\x04\x17\x00\x02hi\x16\x00\x05\x18\x00\x00\x01\x00\x17\x00\x01x\xff\x00\x05\x17\x03\x03\x41\x01' \
        > $(BUILD)/fuzz/corpus-tls/seed-pipe

# ---- benchmark (make bench) ---------------------------------------------------
$(BUILD)/hostrel/bench_tls_record: tests/bench/bench_tls_record.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a -lcrypto
$(BUILD)/hostrel/bench_tls_osslclient: tests/bench/bench_tls_osslclient.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< -lssl -lcrypto
bench-tls: $(BUILD)/tlsget $(BUILD)/hostrel/bench_tls_record $(BUILD)/hostrel/bench_tls_osslclient ## TLS handshakes/s and record decryption vs OpenSSL
	$(PY) tests/bench/bench_tls_handshake.py
	$(BUILD)/hostrel/bench_tls_record
BENCH_TARGETS += bench-tls
.PHONY: bench-tls

# ---- memcheck of the engine suites on the unsanitized -O2 build (TEST_EXTRA) ----
TLS_VG_SUITES := tls_rfc8448 tls_engine
$(BUILD)/hostrel/tests/tls_%: tests/unit/test_tls_%.c tests/unit/tls_trace.h $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/hostrel/libos.a -lcmocka
test-tls-valgrind: $(addprefix $(BUILD)/hostrel/tests/,$(TLS_VG_SUITES)) ## TLS suites under valgrind memcheck
	@for t in $(TLS_VG_SUITES); do (cd tests/unit && valgrind -q --error-exitcode=1 \
	    --leak-check=full --errors-for-leak-kinds=definite ../../$(BUILD)/hostrel/tests/$$t) \
	    || exit 1; done
TEST_EXTRA += test-tls-valgrind
.PHONY: test-tls-valgrind
