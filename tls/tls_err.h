/* TLS 1.3 error codes and alert descriptions (RFC 8446 6, RFC 9846 6).
   enum tls_err names what went wrong on a connection; the first error is
   sticky. tls_err_str() gives a stable short name ("cert_untrusted",
   "handshake_failure", "alert_received", ...); tls_alert_str() names an alert
   description ("bad_record_mac"). No memory is owned here. */
#ifndef TLS_TLS_ERR_H
#define TLS_TLS_ERR_H
#include <stdint.h>

enum tls_err {
    TLS_OK = 0,
    /* peer sent something malformed or not allowed */
    TLS_ERR_DECODE,                 /* decode_error */
    TLS_ERR_ILLEGAL_PARAMETER,      /* illegal_parameter */
    TLS_ERR_UNEXPECTED_MESSAGE,     /* unexpected_message */
    TLS_ERR_BAD_RECORD_MAC,         /* bad_record_mac (AEAD open failed) */
    TLS_ERR_RECORD_OVERFLOW,        /* record_overflow */
    TLS_ERR_HANDSHAKE_FAILURE,      /* handshake_failure */
    TLS_ERR_PROTOCOL_VERSION,       /* protocol_version (not TLS 1.3) */
    TLS_ERR_DOWNGRADE,              /* downgrade sentinel in ServerHello.random */
    TLS_ERR_MISSING_EXTENSION,      /* missing_extension */
    TLS_ERR_UNSUPPORTED_EXTENSION,  /* unsupported_extension */
    TLS_ERR_NO_APPLICATION_PROTOCOL,/* ALPN answer we did not offer */
    TLS_ERR_DECRYPT_ERROR,          /* Finished or CertificateVerify failed */
    TLS_ERR_BAD_KEY_SHARE,          /* peer key share invalid / zero secret */
    TLS_ERR_MSG_TOO_LARGE,          /* handshake message exceeds our buffer */
    /* certificate verification (names match x509_err_str where they overlap) */
    TLS_ERR_CERT_UNTRUSTED,         /* unknown_ca */
    TLS_ERR_CERT_EXPIRED,           /* certificate_expired */
    TLS_ERR_CERT_NOT_YET_VALID,     /* certificate_expired */
    TLS_ERR_HOSTNAME_MISMATCH,      /* bad_certificate */
    TLS_ERR_BAD_CERTIFICATE,        /* bad_certificate (malformed, bad sig) */
    TLS_ERR_UNSUPPORTED_CERTIFICATE,/* unsupported_certificate */
    /* the peer */
    TLS_ERR_ALERT_RECEIVED,         /* peer sent a fatal alert */
    TLS_ERR_CLOSED,                 /* close_notify received / EOF */
    /* local */
    TLS_ERR_TRANSPORT,              /* transport read/write failed */
    TLS_ERR_RNG,                    /* random callback failed */
    TLS_ERR_CRYPTO,                 /* crypto primitive failed unexpectedly */
    TLS_ERR_CONFIG,                 /* bad configuration or API misuse */
    TLS_ERR_STATE,                  /* call not valid in this state */
    TLS_ERR_INTERNAL,
    TLS_ERR_COUNT
};

/* RFC 8446 6 AlertDescription values. */
enum tls_alert {
    TLS_ALERT_CLOSE_NOTIFY = 0,
    TLS_ALERT_UNEXPECTED_MESSAGE = 10,
    TLS_ALERT_BAD_RECORD_MAC = 20,
    TLS_ALERT_RECORD_OVERFLOW = 22,
    TLS_ALERT_HANDSHAKE_FAILURE = 40,
    TLS_ALERT_BAD_CERTIFICATE = 42,
    TLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    TLS_ALERT_CERTIFICATE_REVOKED = 44,
    TLS_ALERT_CERTIFICATE_EXPIRED = 45,
    TLS_ALERT_CERTIFICATE_UNKNOWN = 46,
    TLS_ALERT_ILLEGAL_PARAMETER = 47,
    TLS_ALERT_UNKNOWN_CA = 48,
    TLS_ALERT_ACCESS_DENIED = 49,
    TLS_ALERT_DECODE_ERROR = 50,
    TLS_ALERT_DECRYPT_ERROR = 51,
    TLS_ALERT_PROTOCOL_VERSION = 70,
    TLS_ALERT_INSUFFICIENT_SECURITY = 71,
    TLS_ALERT_INTERNAL_ERROR = 80,
    TLS_ALERT_INAPPROPRIATE_FALLBACK = 86,
    TLS_ALERT_USER_CANCELED = 90,
    TLS_ALERT_MISSING_EXTENSION = 109,
    TLS_ALERT_UNSUPPORTED_EXTENSION = 110,
    TLS_ALERT_UNRECOGNIZED_NAME = 112,
    TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    TLS_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    TLS_ALERT_CERTIFICATE_REQUIRED = 116,
    TLS_ALERT_NO_APPLICATION_PROTOCOL = 120,
    TLS_ALERT_NONE = 255            /* no alert (internal marker) */
};

const char *tls_err_str(enum tls_err err);
const char *tls_alert_str(int alert);
/* The alert we send to the peer for a local error (TLS_ALERT_NONE if none). */
enum tls_alert tls_err_alert(enum tls_err err);

#endif
