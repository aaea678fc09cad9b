/* Binds the engine's certificate callbacks to the X.509 verifier (tls/x509.h):
   chain validation against a trust store at a caller-supplied time, host-name
   check, then CertificateVerify with the leaf key. The caller owns struct
   tls_x509 (it must live as long as the connection's handshake); it holds
   pointers into the server's certificate, valid until CertificateVerify. */
#ifndef TLS_TLS_X509_H
#define TLS_TLS_X509_H
#include <stdint.h>
#include "tls/tls.h"
#include "tls/x509.h"

struct tls_x509 {
    const struct x509_trust *trust;
    int64_t now;                 /* Unix seconds, for validity periods */
    int x509_err;                /* last enum x509_err from the chain check */
    struct x509_pubkey leaf;
};

/* Points cfg's verify callbacks at x (trust and now are stored in x). */
void tls_x509_bind(struct tls_config *cfg, struct tls_x509 *x,
                   const struct x509_trust *trust, int64_t now);
/* enum x509_err -> enum tls_err. */
enum tls_err tls_x509_map_err(int x509_err);

enum tls_err tls_x509_verify_chain(void *ctx, const uint8_t *const *certs, const size_t *lens,
                                   size_t n, const char *host);
enum tls_err tls_x509_verify_sig(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                                 const uint8_t *sig, size_t siglen);
const char *tls_x509_detail(void *ctx);

#endif
