# Where the unit tests read test data from outside the project
# (tests/vectors/README.md). The suites get the three directories from the
# environment (tests/unit/unit.h, unit_dir); when one is absent, the tests
# that need it are skipped and their suite prints
# "SKIPPED: test_NAME (DIR not found)".
#   VECTORS_DIR        Wycheproof JSON and RFC 8448 traces: ../shared/vectors
#                      beside the checkout (a relative value is taken from
#                      the checkout)
#   CAVP_DIR           NIST CAVP files, where Debian's
#                      python3-cryptography-vectors installs them
#   VECTORS_BUILD_DIR  the Wycheproof AEAD/MAC/HKDF files converted by
#                      tests/vectors/wycheproof2txt.py, made here from
#                      VECTORS_DIR
#   LLM_FIXTURES_DIR   recorded LLM API responses: ../shared/llm-fixtures
VECTORS_DIR ?= ../shared/vectors
LLM_FIXTURES_DIR ?= ../shared/llm-fixtures
override LLM_FIXTURES_DIR := $(abspath $(LLM_FIXTURES_DIR))
CAVP_DIR    ?= /usr/lib/python3/dist-packages/cryptography_vectors
override VECTORS_DIR := $(abspath $(VECTORS_DIR))
override CAVP_DIR := $(abspath $(CAVP_DIR))
VECTORS_BUILD_DIR := $(abspath $(BUILD)/vectors)
export VECTORS_DIR CAVP_DIR VECTORS_BUILD_DIR LLM_FIXTURES_DIR

VEC_WYCHEPROOF_TXT := aes_gcm_test chacha20_poly1305_test hkdf_sha256_test hkdf_sha384_test \
                      hmac_sha256_test hmac_sha384_test
ifneq ($(wildcard $(VECTORS_DIR)/.),)
VEC_GENERATED := $(VEC_WYCHEPROOF_TXT:%=$(BUILD)/vectors/%.txt)
endif

$(BUILD)/vectors/%.txt: $(VECTORS_DIR)/%.json tests/vectors/wycheproof2txt.py
	@mkdir -p $(dir $@)
	@echo "  VEC     $@"
	$(Q)$(PY) tests/vectors/wycheproof2txt.py $< $@

# The suites that read them (also when built and run one by one).
$(addprefix $(BUILD)/host/tests/,hmac hkdf gcm chacha aead): | $(VEC_GENERATED)
