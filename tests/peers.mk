# Peers Debian 12 lacks, from a Debian 13 root (OpenSSL 3.5 with ML-KEM and
# X25519MLKEM768, its nginx), and what uses them outside the TLS engine:
#   build/trixie          made once by scripts/trixie_root.sh (debootstrap
#                         from apt's own mirror; reused while its stamp
#                         matches; TRIXIE_ROOT= puts it elsewhere)
# The pytest side (fixture `trixie`, OpenSSL 3.5 s_server helper) is
# tests/integration/trixie.py.
TRIXIE_ROOT ?= $(BUILD)/trixie

.PHONY: trixie-root
trixie-root: ## Debian 13 root with OpenSSL 3.5 and nginx in build/trixie (made once)
	@sh scripts/trixie_root.sh $(TRIXIE_ROOT)
