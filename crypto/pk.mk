# crypto/ public-key primitives: X25519, P-256/P-384 (ECDH, ECDSA verify),
# RSA verify (PKCS#1 v1.5, PSS) and their tests, constant-time checks, benchmarks.
SHARED_C += crypto/x25519.c
UNIT_TESTS += x25519
SHARED_C += crypto/bn.c crypto/ec_curves.c crypto/ec_field.c crypto/ec_point.c crypto/ec_dh.c \
            crypto/p256.c crypto/p384.c
UNIT_TESTS += p256
SHARED_C += crypto/ecdsa.c crypto/ec_jacobian.c
UNIT_TESTS += ecdsa
SHARED_C += crypto/rsa.c
UNIT_TESTS += rsa
UNIT_TESTS += pk_diff
UNIT_pk_diff_LIBS := -lcrypto

# Constant-time check (ctgrind): secret scalars marked undefined under
# valgrind memcheck; the --selfcheck run must be caught, proving the harness.
TEST_EXTRA += test-ct-pk
.PHONY: test-ct-pk bench-pk
$(BUILD)/hostrel/tests/ct_pk: tests/ct/ct_pk.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a
test-ct-pk: $(BUILD)/hostrel/tests/ct_pk
	valgrind -q --error-exitcode=1 $(BUILD)/hostrel/tests/ct_pk
	@if valgrind -q --error-exitcode=1 $(BUILD)/hostrel/tests/ct_pk --selfcheck >/dev/null 2>&1; then \
	    echo "test-ct-pk: valgrind missed the deliberate secret branch"; exit 1; \
	else echo "test-ct-pk: selfcheck caught the deliberate secret branch (harness works)"; fi

# Benchmark vs OpenSSL (make bench).
BENCH_TARGETS += bench-pk
$(BUILD)/hostrel/bench_pk: tests/bench/bench_pk.c $(BUILD)/hostrel/libos.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTREL_CFLAGS) -o $@ $< $(BUILD)/hostrel/libos.a -lcrypto
bench-pk: $(BUILD)/hostrel/bench_pk
	$(BUILD)/hostrel/bench_pk
