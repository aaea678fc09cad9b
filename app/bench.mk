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
