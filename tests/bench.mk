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
