/* The kernel's TLS client identity for mTLS, fixed at build time:
   `make CLIENT_CERT=chain.pem CLIENT_KEY=key.pem` (an EC P-256 or P-384 key)
   generates build/gen/client_identity.c (scripts/gen_client_identity.py).
   Without them cert_count is 0 and a server's CertificateRequest gets the
   empty Certificate. The table is constant data in the image (the private
   key included); app/tls_connect.c signs CertificateVerify with it. */
#ifndef APP_CLIENT_IDENTITY_H
#define APP_CLIENT_IDENTITY_H
#include <stddef.h>
#include <stdint.h>

struct client_identity {
    const uint8_t *const *certs;   /* DER, the client's certificate first */
    const size_t *cert_lens;
    size_t cert_count;
    uint16_t scheme;               /* TLS SignatureScheme: 0x0403 or 0x0503 */
    const uint8_t *key;            /* private scalar, big-endian */
    size_t key_len;                /* 32 (P-256) or 48 (P-384) */
};

extern const struct client_identity client_identity;

#endif
