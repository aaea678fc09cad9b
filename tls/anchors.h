/* The trust anchors and SPKI pins compiled into the image. The table is
   generated at build time by scripts/gen_anchors.py into
   build/gen/trust_anchors.c from CA_BUNDLE (default: Debian's
   /etc/ssl/certs/ca-certificates.crt), CA_EXTRA and PINS (see tls/x509.mk).
   All data is static and read-only. */
#ifndef TLS_ANCHORS_H
#define TLS_ANCHORS_H
#include "tls/x509.h"

extern const struct x509_trust x509_builtin_trust;

#endif
