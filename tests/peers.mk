# Peers Debian 12 lacks, from a Debian 13 root (OpenSSL 3.5 with ML-KEM and
# X25519MLKEM768, its nginx), and what uses them outside the TLS engine:
#   build/trixie          made once by scripts/trixie_root.sh (debootstrap
#                         from apt's own mirror; reused while its stamp
#                         matches; TRIXIE_ROOT= puts it elsewhere)
#   build/host/mlkem_tool ML-KEM-768 on the command line (sanitized), for
#                         tests/integration/test_mlkem_ossl.py
#   bench-mlkem           our ML-KEM-768 ops/s beside OpenSSL 3.5's
# The pytest side (fixture `trixie`, OpenSSL 3.5 s_server helper) is
# tests/integration/trixie.py.
TRIXIE_ROOT ?= $(BUILD)/trixie

.PHONY: trixie-root bench-mlkem
trixie-root: ## Debian 13 root with OpenSSL 3.5 and nginx in build/trixie (made once)
	@sh scripts/trixie_root.sh $(TRIXIE_ROOT)

## build/host/mlkem_tool: ML-KEM-768 keygen/encaps/decaps on the command line (hex)
$(BUILD)/host/mlkem_tool: tests/peers/mlkem_tool.c $(BUILD)/host/libos.a crypto/mlkem.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOSTCFLAGS) -Wmissing-prototypes -Wshadow -o $@ $< $(BUILD)/host/libos.a

bench-mlkem: $(BENCH_PQ_BIN) ## ML-KEM-768 keygen/encaps/decaps ops/s vs OpenSSL 3.5 (Debian 13 root)
	$(PY) tests/bench/bench_mlkem.py $(BENCH_PQ_BIN) $(TRIXIE_ROOT)
BENCH_TARGETS += bench-mlkem

# Full handshakes/s of tlsget offering X25519MLKEM768 against offering only
# x25519, against the same OpenSSL 3.5 s_server, alternating, in one run.
.PHONY: bench-pq-handshake
bench-pq-handshake: $(BUILD)/tlsget ## tlsget handshakes/s, X25519MLKEM768 vs x25519, same OpenSSL 3.5 server
	$(PY) tests/bench/bench_pq_handshake.py $(BUILD)/tlsget $(TRIXIE_ROOT)
BENCH_TARGETS += bench-pq-handshake
