/* tlsget_key: the client's EC private key for tlsget --key (mTLS), read with
   the project's own DER reader (crypto/asn1.h) and used with its own signer
   (crypto/ecdsa.h), as the kernel does with its build-time identity
   (app/client_identity.h). Host-only (stdio, getrandom).

   Accepted: EC P-256 and P-384 keys, unencrypted, as PKCS#8 PrivateKeyInfo
   (RFC 5208 / RFC 5958, "BEGIN PRIVATE KEY") or SEC 1 ECPrivateKey
   (RFC 5915, "BEGIN EC PRIVATE KEY"), in PEM or raw DER. */
#ifndef TOOLS_TLSGET_KEY_H
#define TOOLS_TLSGET_KEY_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/ecdsa.h"
#include "tls/tls.h"

enum tlsget_key_err {
    TLSGET_KEY_OK = 0,
    TLSGET_KEY_ERR_IO,        /* cannot read the file */
    TLSGET_KEY_ERR_PEM,       /* no PEM private key block, or bad base64 */
    TLSGET_KEY_ERR_DER,       /* not a PKCS#8 or SEC 1 EC private key */
    TLSGET_KEY_ERR_CURVE,     /* not an EC key, or a curve other than P-256/P-384 */
    TLSGET_KEY_ERR_SCALAR,    /* private scalar too long, 0 or >= n */
    TLSGET_KEY_ERR_MISMATCH,  /* the certificate carries another public key */
};

const char *tlsget_key_err_str(int err);

struct tlsget_key {
    enum ec_curve curve;
    uint16_t scheme;   /* TLS SignatureScheme: 0x0403 (P-256) or 0x0503 (P-384) */
    size_t len;        /* 32 or 48 */
    uint8_t d[48];     /* private scalar, big-endian, len bytes */
};

/* Parses a DER PrivateKeyInfo or ECPrivateKey (tried in that order). */
int tlsget_key_parse_der(struct tlsget_key *k, const uint8_t *der, size_t len);
/* Reads a file holding one PEM key block ("PRIVATE KEY" or "EC PRIVATE KEY")
   or the DER itself. */
int tlsget_key_load(struct tlsget_key *k, const char *path);
/* TLSGET_KEY_OK when the DER certificate's public key is d * G on k's curve. */
int tlsget_key_match_cert(const struct tlsget_key *k, const uint8_t *cert, size_t len);
/* tls_sign_fn for struct tls_config.client_sign (ctx: struct tlsget_key *):
   ECDSA over SHA-256 / SHA-384 of content as DER (RFC 8446 4.2.3), the nonce
   from RFC 6979 hedged with 32 bytes of getrandom(). */
enum tls_err tlsget_key_sign(void *ctx, uint16_t scheme, const uint8_t *content, size_t len,
                             uint8_t *sig, size_t cap, size_t *siglen);
void tlsget_key_wipe(struct tlsget_key *k);

/* The value of one base64 character (RFC 4648 4), -1 for any other; the
   PEM readers of tlsget and of its key share it. */
int tlsget_b64val(int ch);

#endif
