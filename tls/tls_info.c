/* Read-only accessors and display names for a connection's negotiated
   parameters and errors. see tls.h */
#include "tls/tls_int.h"

/* ---- accessors ---------------------------------------------------------- */

bool tls_handshake_done(const struct tls_conn *c)
{
    return c->state == TLS_ST_CONNECTED || (c->state == TLS_ST_CLOSED && c->hash);
}
bool tls_peer_closed(const struct tls_conn *c) { return c->close_rcvd; }
enum tls_err tls_error(const struct tls_conn *c) { return c->err; }
const char *tls_error_str(const struct tls_conn *c) { return c->err ? c->errstr : "ok"; }
enum tls_alert tls_alert_sent(const struct tls_conn *c) { return c->alert_sent; }
enum tls_alert tls_alert_received(const struct tls_conn *c) { return c->alert_rcvd; }
uint16_t tls_suite(const struct tls_conn *c) { return c->suite; }
uint16_t tls_group(const struct tls_conn *c) { return c->group; }
uint16_t tls_sig_scheme(const struct tls_conn *c) { return c->sig_scheme; }
const char *tls_alpn(const struct tls_conn *c) { return c->alpn; }
const struct tls_ticket *tls_ticket(const struct tls_conn *c)
{
    return c->tickets_seen ? &c->ticket : NULL;
}

const char *tls_suite_str(uint16_t s)
{
    switch (s) {
    case TLS_AES_128_GCM_SHA256: return "TLS_AES_128_GCM_SHA256";
    case TLS_AES_256_GCM_SHA384: return "TLS_AES_256_GCM_SHA384";
    case TLS_CHACHA20_POLY1305_SHA256: return "TLS_CHACHA20_POLY1305_SHA256";
    default: return "unknown";
    }
}

const char *tls_group_str(uint16_t g)
{
    switch (g) {
    case TLS_GROUP_X25519: return "x25519";
    case TLS_GROUP_SECP256R1: return "secp256r1";
    default: return "unknown";
    }
}

const char *tls_sig_str(uint16_t s)
{
    switch (s) {
    case TLS_SIG_ECDSA_P256_SHA256: return "ecdsa_secp256r1_sha256";
    case TLS_SIG_ECDSA_P384_SHA384: return "ecdsa_secp384r1_sha384";
    case TLS_SIG_RSA_PSS_RSAE_SHA256: return "rsa_pss_rsae_sha256";
    case TLS_SIG_RSA_PSS_RSAE_SHA384: return "rsa_pss_rsae_sha384";
    case TLS_SIG_RSA_PSS_RSAE_SHA512: return "rsa_pss_rsae_sha512";
    case TLS_SIG_RSA_PKCS1_SHA256: return "rsa_pkcs1_sha256";
    case TLS_SIG_RSA_PKCS1_SHA384: return "rsa_pkcs1_sha384";
    default: return "unknown";
    }
}
