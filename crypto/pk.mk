# crypto/ public-key primitives: X25519, P-256/P-384 (ECDH, ECDSA verify),
# RSA verify (PKCS#1 v1.5, PSS) and their tests, constant-time checks, benchmarks.
SHARED_C += crypto/x25519.c
UNIT_TESTS += x25519
SHARED_C += crypto/bn.c crypto/ec_curves.c crypto/ec_field.c crypto/ec_point.c crypto/ec_dh.c \
            crypto/ec_base.c crypto/ec_p256_comb.c \
            crypto/p256.c crypto/p256_field.c crypto/p256_point.c crypto/p256_scalar.c \
            crypto/p384.c
UNIT_TESTS += p256 p256_impl p256_portable
# The P-256 field, point and scalar code and X25519 are compiled with clang
# for the kernel and the release host library: clang keeps the add-with-carry
# chains of the P-256 field multiplication in the flags register where GCC
# 12 spills them, and schedules X25519's 128-bit column sums better
# (measured: P-256 ECDH and key generation 20 % faster, X25519 10 %;
# docs/perf.md). The sanitizer build (host/) keeps GCC, whose ASan/UBSan
# runtime it links.
# DWARF 4: valgrind 3.19 (test-ct-pk) cannot read clang 14's DWARF 5.
PK_CLANG := clang
PK_CLANG_C := crypto/p256_field.c crypto/p256_point.c crypto/p256_scalar.c crypto/x25519.c
PK_CLANG_INC = $(shell $(PK_CLANG) -print-resource-dir)/include
PK_CLANG_KFLAGS = $(subst -isystem $(GCC_INC),-isystem $(PK_CLANG_INC),$(KCFLAGS))
$(patsubst %.c,$(BUILD)/k/%.o,$(PK_CLANG_C)): $(BUILD)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	$(Q)$(PK_CLANG) $(PK_CLANG_KFLAGS) -gdwarf-4 -MMD -MP -c -o $@ $<
$(patsubst %.c,$(BUILD)/hostrel/obj/%.o,$(PK_CLANG_C)): $(BUILD)/hostrel/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $< (release)"
	$(Q)$(PK_CLANG) $(HOSTREL_CFLAGS) -gdwarf-4 -MMD -MP -c -o $@ $<
# test_p256_portable.c includes test_p256_impl.c (with the portable carry path)
$(BUILD)/host/tests/p256_portable: tests/unit/test_p256_impl.c
SHARED_C += crypto/ecdsa.c crypto/ecdsa_sign.c crypto/ec_jacobian.c crypto/pk_selftest.c
UNIT_TESTS += ecdsa pk_selftest
SHARED_C += crypto/rsa.c crypto/bn_ifma.c
UNIT_TESTS += rsa bn_ifma
UNIT_bn_ifma_LIBS := -lcrypto
UNIT_TESTS += pk_diff
UNIT_pk_diff_LIBS := -lcrypto
UNIT_TESTS += ecdsa_sign
UNIT_ecdsa_sign_LIBS := -lcrypto

# Constant-time check (ctgrind): secret scalars marked undefined under
# valgrind memcheck; the --selfcheck run must be caught, proving the harness.
TEST_EXTRA += test-ct-pk
.PHONY: test-ct-pk bench-pk
# The signer is compiled in again with CRYPTO_CT_VALGRIND so that its
# crypto_declassify() points (key validity, nonce rejection) reach memcheck;
# its object then takes precedence over the archive's copy.
$(BUILD)/hostrel/tests/ct_pk: tests/ct/ct_pk.c crypto/ecdsa_sign.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -DCRYPTO_CT_VALGRIND -o $@ $< crypto/ecdsa_sign.c \
	    $(BUILD)/hostrel/libos.a
test-ct-pk: $(BUILD)/hostrel/tests/ct_pk ## valgrind constant-time check of the public-key code
	valgrind -q --error-exitcode=1 $(BUILD)/hostrel/tests/ct_pk
	@if valgrind -q --error-exitcode=1 $(BUILD)/hostrel/tests/ct_pk --selfcheck >/dev/null 2>&1; then \
	    echo "test-ct-pk: valgrind missed the deliberate secret branch"; exit 1; \
	else echo "test-ct-pk: selfcheck caught the deliberate secret branch (harness works)"; fi

# Benchmark vs OpenSSL (make bench).
BENCH_TARGETS += bench-pk
$(BUILD)/hostrel/bench_pk: tests/bench/bench_pk.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a -lcrypto
bench-pk: $(BUILD)/hostrel/bench_pk ## public-key operations vs OpenSSL on the host
	$(BUILD)/hostrel/bench_pk

# libFuzzer over the public-key inputs (clang, instrumented build of the
# public-key sources; hashes from the uninstrumented hostrel library).
PK_FUZZ_SRCS := crypto/bn.c crypto/ec_curves.c crypto/ec_field.c crypto/ec_point.c crypto/ec_dh.c \
                crypto/ec_jacobian.c crypto/p256.c crypto/p384.c crypto/ecdsa.c crypto/x25519.c \
                crypto/rsa.c crypto/bn_ifma.c crypto/ec_base.c crypto/ec_p256_comb.c \
                crypto/p256_field.c crypto/p256_point.c crypto/p256_scalar.c
PK_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += pk
## fuzz-pk: libFuzzer: public-key inputs
FUZZ_pk_SRCS := $(PK_FUZZ_SRCS)
FUZZ_pk_LIBS := $(BUILD)/hostrel/libos.a
FUZZ_pk_DEPS = $(wildcard crypto/*.h)
FUZZ_pk_MAX_LEN := 1200
FUZZ_pk_TIME = $(PK_FUZZ_TIME)
FUZZ_pk_FLAGS := -rss_limit_mb=1024
FUZZ_pk_SEED := printf '\000\000\004\153\027\321\362\341\054\102\107\370\274\346\345\143\244\100\362\167\003\175\201\055\353\063\240\364\241\071\105\330\230\302\226\117\343\102\342\376\032\177\233\216\347\353\112\174\017\236\026\053\316\063\127\153\061\136\316\313\266\100\150\067\277\121\365' > $(BUILD)/fuzz/corpus-pk/seed-p256-g

# The P-256, ECDSA and X25519 suites again against the release library,
# whose P-256 and X25519 objects clang built (each test compiled with clang too, so test_p256_impl's
# inline field code takes the same __builtin_addcll path).
PK_REL_TESTS := p256 p256_impl ecdsa ecdsa_sign pk_selftest x25519
$(BUILD)/hostrel/tests/rel_%: tests/unit/test_%.c $(BUILD)/hostrel/libos.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(PK_CLANG) $(HOSTREL_CFLAGS) -gdwarf-4 -Itests/unit -o $@ $< $(BUILD)/hostrel/libos.a -lcmocka $(UNIT_$*_LIBS)
.PHONY: test-pk-rel
test-pk-rel: $(addprefix $(BUILD)/hostrel/tests/rel_,$(PK_REL_TESTS)) ## P-256/ECDSA suites on the clang-built release objects
	@for t in $^; do echo "== $$t"; (cd tests/unit && ../../$$t) || exit 1; done
TEST_EXTRA += test-pk-rel
