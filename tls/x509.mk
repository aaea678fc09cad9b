# tls/x509: X.509 parsing, chain verification, host names, trust anchors, pins.
#
# Trust anchors are generated at build time into build/gen/trust_anchors.c:
#   CA_BUNDLE=path.pem   replaces the default bundle
#   CA_EXTRA=path.pem    adds anchors to it (space-separated list allowed)
#   PINS='host=sha256/BASE64 ...'  per-host SPKI pins
# The stamp file records those values so changing them regenerates the table.
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
CA_EXTRA  ?=
PINS      ?=
X509_GEN  := $(BUILD)/gen
X509_ANCHORS_C := $(X509_GEN)/trust_anchors.c
X509_STAMP_TEXT := bundle=$(CA_BUNDLE) extra=$(CA_EXTRA) pins=$(PINS)

$(X509_GEN)/anchors.stamp: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(X509_STAMP_TEXT)' | cmp -s - $@ || printf '%s\n' '$(X509_STAMP_TEXT)' > $@

$(X509_ANCHORS_C): $(X509_GEN)/anchors.stamp scripts/gen_anchors.py $(CA_BUNDLE) $(CA_EXTRA)
	@mkdir -p $(dir $@)
	$(PY) scripts/gen_anchors.py $(addprefix --bundle ,$(CA_BUNDLE) $(CA_EXTRA)) --pins '$(PINS)' -o $@

SHARED_C += tls/x509_alg.c tls/x509_parse.c tls/x509_ext.c tls/x509_host.c tls/x509_trust.c \
            tls/x509_sig.c tls/x509_chain.c tls/x509_nc.c tls/x509_detail.c tls/x509_selftest.c \
            $(X509_ANCHORS_C)
UNIT_TESTS += x509 x509_gen
UNIT_x509_LIBS := -lcrypto

# x509_gen: gen_anchors.py end to end. Its own table (test roots, an expired
# one and two constrained ones, pins whose
# value is computed with openssl the usual way) replaces the default one: the
# linker takes x509_builtin_trust from this object before libos.a.
X509_CERTS := $(BUILD)/host/x509certs
X509_GEN_TEST_C := $(BUILD)/host/x509gen/trust_anchors_test.c
UNIT_x509_gen_SRCS := $(X509_GEN_TEST_C)
# both suites read the crafted certificates of this build directory
UNIT_x509_CFLAGS := -DCERT_DIR='"../../$(X509_CERTS)/"'
UNIT_x509_gen_CFLAGS := $(UNIT_x509_CFLAGS)
$(X509_GEN_TEST_C): tests/certs/mkcerts.py scripts/gen_anchors.py
	@mkdir -p $(dir $@)
	$(PY) tests/certs/mkcerts.py $(X509_CERTS)
	pin=$$(openssl x509 -in $(X509_CERTS)/inter_rsa.pem -pubkey -noout | openssl pkey -pubin -outform DER \
	       | openssl dgst -sha256 -binary | base64) && \
	$(PY) scripts/gen_anchors.py --bundle $(X509_CERTS)/root_rsa.pem --bundle $(X509_CERTS)/root_ec.pem \
	    --bundle $(X509_CERTS)/root_rsa.pem --bundle $(X509_CERTS)/root_old.pem \
	    --bundle $(X509_CERTS)/root_nc.pem --bundle $(X509_CERTS)/root_pl0.pem \
	    --pins "WWW.Example.TEST.=sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= a.wild.example.test=sha256/$$pin" \
	    -o $@

# ---- libFuzzer: X.509 parser (tests/fuzz/fuzz.mk's recipe) -------------------
# The ASN.1 and X.509 sources are built instrumented; the primitives they call
# (hashes, RSA, ECDSA) come uninstrumented from build/hostrel/libos.a (gcc
# -O2, no sanitizers), which also keeps GCC-only builtins out of clang's way.
# Seeds are the certificates tests/certs/mkcerts.py crafts.
X509_FUZZ_SRCS := crypto/asn1.c tls/x509_alg.c tls/x509_parse.c tls/x509_ext.c tls/x509_host.c \
                  tls/x509_trust.c tls/x509_sig.c tls/x509_chain.c tls/x509_nc.c tls/x509_detail.c
X509_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += x509
## fuzz-x509: libFuzzer: X.509 parser
FUZZ_x509_SRCS := $(X509_FUZZ_SRCS)
FUZZ_x509_LIBS := $(BUILD)/hostrel/libos.a
FUZZ_x509_DEPS = $(wildcard tls/x509*.h crypto/*.h)
FUZZ_x509_MAX_LEN := 8192
FUZZ_x509_TIME = $(X509_FUZZ_TIME)
FUZZ_x509_FLAGS := -rss_limit_mb=1024
FUZZ_x509_SEED = $(PY) tests/certs/mkcerts.py $(BUILD)/host/x509certs && \
    cp $(BUILD)/host/x509certs/*.der $(BUILD)/fuzz/corpus-x509/

# ---- benchmark (make bench) ---------------------------------------------
BENCH_TARGETS += bench-x509
$(BUILD)/hostrel/bench_x509: tests/bench/bench_x509.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a
bench-x509: $(BUILD)/hostrel/bench_x509 ## X.509 parsing and chain verification on the host
	@$(PY) tests/certs/mkcerts.py $(BUILD)/host/x509certs
	$(BUILD)/hostrel/bench_x509
.PHONY: bench-x509

# ---- valgrind memcheck of the x509 suite (make test) -------------------------
# The same suite built without sanitizers against build/hostrel/libos.a, so
# memcheck can report reads of uninitialised memory, which ASan does not.
TEST_EXTRA += test-x509-valgrind
$(BUILD)/hostrel/tests/x509: tests/unit/test_x509.c $(BUILD)/hostrel/libos.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/hostrel/libos.a -lcmocka -lcrypto
test-x509-valgrind: $(BUILD)/hostrel/tests/x509 ## X.509 suite under valgrind memcheck
	cd tests/unit && valgrind -q --error-exitcode=1 ../../$(BUILD)/hostrel/tests/x509 >/dev/null
	@echo "test-x509-valgrind: ok"
.PHONY: test-x509-valgrind

# ---- x509-limbo (make test-limbo) ----------------------------------------------
# The public path-validation suite in ../shared/limbo (never copied here) is
# decompressed and converted into build/limbo at test time, then every case
# that applies to a TLS client is run through the verifier (tests/limbo/).
# Fails on a disagreement that no documented policy (docs/tls.md) covers.
LIMBO_DIR ?= ../shared/limbo
LIMBO_OUT := $(BUILD)/limbo
$(BUILD)/host/limbo_run: tests/limbo/limbo_run.c $(BUILD)/host/libos.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $< $(BUILD)/host/libos.a
$(LIMBO_OUT)/cases.txt: tests/limbo/limbo_cases.py $(wildcard $(LIMBO_DIR)/limbo.json.xz)
	@mkdir -p $(dir $@)
	xz -dc $(LIMBO_DIR)/limbo.json.xz > $(LIMBO_OUT)/limbo.json
	$(PY) tests/limbo/limbo_cases.py $(LIMBO_OUT)/limbo.json $@.tmp && mv $@.tmp $@
	rm -f $(LIMBO_OUT)/limbo.json
ifneq ($(wildcard $(LIMBO_DIR)/limbo.json.xz),)
TEST_EXTRA += test-limbo
test-limbo: $(BUILD)/host/limbo_run $(LIMBO_OUT)/cases.txt ## x509-limbo: every applicable case, fails on a false accept
	$(BUILD)/host/limbo_run $(LIMBO_OUT)/cases.txt $(LIMBO_OUT)/disagreements.log
else
TEST_EXTRA += test-limbo
test-limbo:
	@echo "test-limbo: skipped: $(LIMBO_DIR)/limbo.json.xz is absent"
endif
.PHONY: test-limbo
