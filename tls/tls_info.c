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
    case TLS_GROUP_SECP384R1: return "secp384r1";
    case TLS_GROUP_X25519MLKEM768: return "X25519MLKEM768";    /* as OpenSSL names it */
    default: return "unknown";
    }
}

uint16_t tls_group_from_name(const char *name, size_t len)
{
    static const struct { const char *name; uint16_t id; } groups[] = {
        { "x25519mlkem768", TLS_GROUP_X25519MLKEM768 }, { "x25519", TLS_GROUP_X25519 },
        { "secp256r1", TLS_GROUP_SECP256R1 }, { "secp384r1", TLS_GROUP_SECP384R1 },
    };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const char *g = groups[i].name;
        size_t k = 0;
        for (; k < len && g[k]; k++) {
            char ch = name[k];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            if (ch != g[k])
                break;
        }
        if (k == len && !g[k])
            return groups[i].id;
    }
    return 0;
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
