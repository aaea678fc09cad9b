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
            tls/x509_sig.c tls/x509_chain.c \
            $(X509_ANCHORS_C)
UNIT_TESTS += x509
UNIT_x509_LIBS := -lcrypto
