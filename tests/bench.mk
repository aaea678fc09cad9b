# The one table `make bench` prints at the end (issue 26): every primitive the
# host benchmarks measured, ours against OpenSSL in the same run, the ratio
# and the target (tests/bench/targets.tsv) with met / not met.
# Each host benchmark writes its rows to $(BENCH_ROWS_DIR)/NAME.tsv
# (tests/bench/bench_rows.h, tests/bench/bench_rows.py) when the variable is
# in its environment; `make bench` empties the directory first, so the table
# holds only figures of that run. scripts/bench_table.py reads both.
BENCH_ROWS_DIR ?= $(BUILD)/bench
export BENCH_ROWS_DIR
BENCH_TABLE_TARGETS := tests/bench/targets.tsv

.PHONY: bench-table test-bench-table
bench-table: ## the table of the rows the benchmarks last wrote (build/bench), with the targets
	@$(PY) scripts/bench_table.py $(BENCH_TABLE_TARGETS) $(BENCH_ROWS_DIR)

# The table script's host unit test (pytest): rows in, table out.
test-bench-table: ## unit test of scripts/bench_table.py (pytest, host only)
	$(PY) -m pytest -q tests/bench/test_bench_table.py
TEST_EXTRA += test-bench-table

# The guest benchmarks (they boot QEMU under TCG, most of `make bench`'s
# time); bench-host runs the others, every one that writes table rows.
BENCH_GUEST_TARGETS := bench-net bench-https bench-llm
.PHONY: bench-host bench-run
bench-host: deps ## the host benchmarks only (no QEMU), then the same table
	@$(MAKE) --no-print-directory bench-run \
	    BENCH_RUN="$(filter-out $(BENCH_GUEST_TARGETS),$(BENCH_TARGETS))"

# bench-run: the benchmarks in BENCH_RUN in turn, then the table (see the
# Makefile's bench rule).
bench-run:
	@mkdir -p $(BENCH_ROWS_DIR) && rm -f $(BENCH_ROWS_DIR)/*.tsv
	@failed=""; took=""; start=$$(date +%s); \
	for t in $(BENCH_RUN); do t0=$$(date +%s); \
	  $(MAKE) --no-print-directory $$t || failed="$$failed $$t"; \
	  took="$$took $$t $$(( $$(date +%s) - t0 )) s,"; done; \
	$(MAKE) --no-print-directory bench-table || failed="$$failed bench-table"; \
	echo "bench: $(words $(BENCH_RUN)) benchmarks in $$(( $$(date +%s) - start )) s:$${took%,}"; \
	if [ -n "$$failed" ]; then echo "bench: failed:$$failed (rows they did not write: not measured)"; exit 1; fi
