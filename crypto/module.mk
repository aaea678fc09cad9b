# crypto/: primitives, freestanding, built for the kernel and the host.
SHARED_C += crypto/util.c
# Symmetric primitives (hashes, MACs, KDF, DRBG, AES, GCM, ChaCha20-Poly1305).
SHARED_C += crypto/cpu_dispatch.c crypto/sha256.c crypto/sha256_shani.c crypto/sha512.c \
            crypto/hash.c crypto/hmac.c crypto/hkdf.c crypto/drbg.c
UNIT_TESTS += sha2
UNIT_TESTS += hmac
UNIT_TESTS += hkdf drbg
SHARED_C += crypto/aes.c crypto/aes_ct.c crypto/aes_ni.c
UNIT_TESTS += aes
UNIT_aes_LIBS := -lcrypto
SHARED_C += crypto/ghash.c crypto/ghash_pclmul.c crypto/gcm.c crypto/gcm_ni.c crypto/gcm_vaes.c
UNIT_TESTS += gcm
UNIT_gcm_LIBS := -lcrypto
SHARED_C += crypto/chacha20.c crypto/chacha20_avx2.c crypto/chacha20_avx512.c crypto/poly1305.c crypto/chacha20poly1305.c crypto/aead.c
UNIT_TESTS += chacha
UNIT_chacha_LIBS := -lcrypto
UNIT_TESTS += chacha_paths
UNIT_chacha_paths_LIBS := -lcrypto
UNIT_TESTS += aead
UNIT_TESTS += crypto_diff
UNIT_crypto_diff_LIBS := -lcrypto
# Constant-time check (valgrind memcheck, ctgrind method) of the portable code,
# plus a negative control that must be caught.
CT_SYM_BIN := $(BUILD)/hostrel/tests/ct_sym
$(CT_SYM_BIN): tests/ct/ct_sym.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a
.PHONY: test-ct-sym
test-ct-sym: $(CT_SYM_BIN) ## valgrind constant-time check of the symmetric code
	valgrind -q --error-exitcode=1 $(CT_SYM_BIN)
	@if valgrind -q --error-exitcode=1 $(CT_SYM_BIN) negative > $(BUILD)/hostrel/ct_sym_negative.log 2>&1; then \
	  echo "ct_sym: negative control NOT detected by valgrind"; exit 1; fi; \
	grep -q "depends on uninitialised" $(BUILD)/hostrel/ct_sym_negative.log && \
	  echo "ct_sym: negative control detected by valgrind (expected)"
TEST_EXTRA += test-ct-sym
# Leftover secrets on the stack after each symmetric operation, every code
# path, plus a negative control (a raw SIMD call) that the scan must catch.
STACK_WIPE_BIN := $(BUILD)/hostrel/tests/stack_wipe
$(STACK_WIPE_BIN): tests/ct/stack_wipe.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a
.PHONY: test-stack-wipe
test-stack-wipe: $(STACK_WIPE_BIN) ## scan for secrets left on the stack, every code path
	$(STACK_WIPE_BIN)
	$(STACK_WIPE_BIN) negative
TEST_EXTRA += test-stack-wipe
# Throughput vs OpenSSL (make bench).
BENCH_CRYPTO_BIN := $(BUILD)/hostrel/bench/bench_crypto
$(BENCH_CRYPTO_BIN): tests/bench/bench_crypto.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a -lcrypto
.PHONY: bench-crypto
bench-crypto: $(BENCH_CRYPTO_BIN) ## symmetric primitives vs OpenSSL on the host
	$(BENCH_CRYPTO_BIN)
BENCH_TARGETS += bench-crypto
SHARED_C += crypto/sym_selftest.c
UNIT_TESTS += sym_selftest
# libFuzzer differential target (ours vs OpenSSL) over the symmetric code.
SYM_FUZZ_SRCS := crypto/util.c crypto/cpu_dispatch.c crypto/sha256.c crypto/sha256_shani.c crypto/sha512.c \
                 crypto/hash.c crypto/hmac.c crypto/aes.c crypto/aes_ct.c crypto/aes_ni.c crypto/ghash.c \
                 crypto/ghash_pclmul.c crypto/gcm.c crypto/gcm_ni.c crypto/gcm_vaes.c crypto/chacha20.c crypto/chacha20_avx2.c crypto/chacha20_avx512.c crypto/poly1305.c \
                 crypto/chacha20poly1305.c crypto/aead.c
SYM_FUZZ_TIME ?= $(FUZZ_TIME)
FUZZERS += sym
## fuzz-sym: libFuzzer: symmetric crypto against OpenSSL
FUZZ_sym_SRCS := $(SYM_FUZZ_SRCS)
FUZZ_sym_LIBS := -lcrypto
FUZZ_sym_DEPS = $(wildcard crypto/*.h)
FUZZ_sym_MAX_LEN := 4096
FUZZ_sym_TIME = $(SYM_FUZZ_TIME)
FUZZ_sym_FLAGS := -rss_limit_mb=1024

# crypto/asn1: DER reader (owned by the X.509 helper).
SHARED_C   += crypto/asn1.c
UNIT_TESTS += asn1

# crypto/ post-quantum: SHA-3/SHAKE (FIPS 202) and ML-KEM-768 (FIPS 203).
SHARED_C   += crypto/keccak.c
UNIT_TESTS += sha3 sha3_diff
# The SHA-3 large-message vectors (1-8 GiB): minutes, so not in make test.
.PHONY: test-sha3-ldt
test-sha3-ldt: $(BUILD)/host/tests/sha3 ## SHA-3 ACVP large-message tests (1-8 GiB, minutes)
	cd tests/unit && SHA3_LDT=1 ../../$(BUILD)/host/tests/sha3
UNIT_sha3_diff_LIBS := -lcrypto
SHARED_C   += crypto/mlkem.c crypto/mlkem_ntt.c crypto/mlkem_codec.c crypto/mlkem_sample.c
UNIT_TESTS += mlkem
# Constant-time check of SHA-3 and ML-KEM (valgrind, ctgrind method) with a
# negative control that must be caught; mlkem.c is compiled in again with
# CRYPTO_CT_VALGRIND so that its declassification of rho reaches memcheck.
# Memcheck does not see divisions, so the ML-KEM objects (host and kernel
# builds) are also checked for div instructions (KyberSlash).
CT_MLKEM_BIN := $(BUILD)/hostrel/tests/ct_mlkem
MLKEM_OBJS := $(foreach f,mlkem mlkem_ntt mlkem_codec mlkem_sample keccak,$(BUILD)/hostrel/obj/crypto/$(f).o \
              $(BUILD)/k/crypto/$(f).o)
$(CT_MLKEM_BIN): tests/ct/ct_mlkem.c crypto/mlkem.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -DCRYPTO_CT_VALGRIND -o $@ $< crypto/mlkem.c $(BUILD)/hostrel/libos.a
.PHONY: test-ct-mlkem
test-ct-mlkem: $(CT_MLKEM_BIN) $(MLKEM_OBJS) ## valgrind constant-time check of SHA-3 and ML-KEM
	valgrind -q --error-exitcode=1 $(CT_MLKEM_BIN)
	@if valgrind -q --error-exitcode=1 $(CT_MLKEM_BIN) negative > $(BUILD)/hostrel/ct_mlkem_negative.log 2>&1; then \
	  echo "ct_mlkem: negative control NOT detected by valgrind"; exit 1; fi; \
	grep -q "depends on uninitialised" $(BUILD)/hostrel/ct_mlkem_negative.log && \
	  echo "ct_mlkem: negative control detected by valgrind (expected)"
	@if objdump -d $(MLKEM_OBJS) | grep -E '\s(i?div[bwlq]?)\s'; then \
	  echo "ct_mlkem: division instruction in ML-KEM / Keccak code"; exit 1; fi; \
	echo "ct_mlkem: no division instruction in $(words $(MLKEM_OBJS)) ML-KEM / Keccak objects"
TEST_EXTRA += test-ct-mlkem
# SHA-3 / ML-KEM benchmark (make bench), SHA-3 beside OpenSSL's.
BENCH_PQ_BIN := $(BUILD)/hostrel/bench/bench_pq
$(BENCH_PQ_BIN): tests/bench/bench_pq.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a -lcrypto
.PHONY: bench-pq
bench-pq: $(BENCH_PQ_BIN) ## SHA-3 vs OpenSSL, ML-KEM-768 ops/s, on the host
	$(BENCH_PQ_BIN)
BENCH_TARGETS += bench-pq
