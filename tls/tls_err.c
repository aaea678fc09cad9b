/* Names for tls_err and alert codes, and the error -> alert mapping.
   see tls_err.h */
#include "tls/tls_err.h"

static const char *const err_names[TLS_ERR_COUNT] = {
    [TLS_OK] = "ok",
    [TLS_ERR_DECODE] = "decode_error",
    [TLS_ERR_ILLEGAL_PARAMETER] = "illegal_parameter",
    [TLS_ERR_UNEXPECTED_MESSAGE] = "unexpected_message",
    [TLS_ERR_BAD_RECORD_MAC] = "bad_record_mac",
    [TLS_ERR_RECORD_OVERFLOW] = "record_overflow",
    [TLS_ERR_HANDSHAKE_FAILURE] = "handshake_failure",
    [TLS_ERR_PROTOCOL_VERSION] = "protocol_version",
    [TLS_ERR_DOWNGRADE] = "downgrade_detected",
    [TLS_ERR_MISSING_EXTENSION] = "missing_extension",
    [TLS_ERR_UNSUPPORTED_EXTENSION] = "unsupported_extension",
    [TLS_ERR_NO_APPLICATION_PROTOCOL] = "no_application_protocol",
    [TLS_ERR_DECRYPT_ERROR] = "decrypt_error",
    [TLS_ERR_BAD_KEY_SHARE] = "bad_key_share",
    [TLS_ERR_MSG_TOO_LARGE] = "message_too_large",
    [TLS_ERR_CERT_UNTRUSTED] = "cert_untrusted",
    [TLS_ERR_CERT_EXPIRED] = "cert_expired",
    [TLS_ERR_CERT_NOT_YET_VALID] = "cert_not_yet_valid",
    [TLS_ERR_HOSTNAME_MISMATCH] = "hostname_mismatch",
    [TLS_ERR_BAD_CERTIFICATE] = "bad_certificate",
    [TLS_ERR_UNSUPPORTED_CERTIFICATE] = "unsupported_certificate",
    [TLS_ERR_ALERT_RECEIVED] = "alert_received",
    [TLS_ERR_CLOSED] = "closed",
    [TLS_ERR_TRANSPORT] = "transport_error",
    [TLS_ERR_RNG] = "rng_failure",
    [TLS_ERR_CRYPTO] = "crypto_failure",
    [TLS_ERR_CONFIG] = "bad_config",
    [TLS_ERR_STATE] = "bad_state",
    [TLS_ERR_INTERNAL] = "internal_error",
};

const char *tls_err_str(enum tls_err err)
{
    if ((unsigned)err >= TLS_ERR_COUNT || !err_names[err])
        return "unknown_error";
    return err_names[err];
}

const char *tls_alert_str(int alert)
{
    switch (alert) {
    case TLS_ALERT_CLOSE_NOTIFY: return "close_notify";
    case TLS_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case TLS_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case TLS_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case TLS_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case TLS_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case TLS_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case TLS_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case TLS_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case TLS_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case TLS_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case TLS_ALERT_UNKNOWN_CA: return "unknown_ca";
    case TLS_ALERT_ACCESS_DENIED: return "access_denied";
    case TLS_ALERT_DECODE_ERROR: return "decode_error";
    case TLS_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case TLS_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case TLS_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case TLS_ALERT_INTERNAL_ERROR: return "internal_error";
    case TLS_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case TLS_ALERT_USER_CANCELED: return "user_canceled";
    case TLS_ALERT_MISSING_EXTENSION: return "missing_extension";
    case TLS_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case TLS_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case TLS_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: return "bad_certificate_status_response";
    case TLS_ALERT_UNKNOWN_PSK_IDENTITY: return "unknown_psk_identity";
    case TLS_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case TLS_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    case TLS_ALERT_NONE: return "none";
    default: return "unknown_alert";
    }
}

enum tls_alert tls_err_alert(enum tls_err err)
{
    switch (err) {
    case TLS_ERR_DECODE: return TLS_ALERT_DECODE_ERROR;
    case TLS_ERR_ILLEGAL_PARAMETER:
    case TLS_ERR_DOWNGRADE:
    case TLS_ERR_BAD_KEY_SHARE: return TLS_ALERT_ILLEGAL_PARAMETER;
    case TLS_ERR_UNEXPECTED_MESSAGE: return TLS_ALERT_UNEXPECTED_MESSAGE;
    case TLS_ERR_BAD_RECORD_MAC: return TLS_ALERT_BAD_RECORD_MAC;
    case TLS_ERR_RECORD_OVERFLOW: return TLS_ALERT_RECORD_OVERFLOW;
    case TLS_ERR_HANDSHAKE_FAILURE: return TLS_ALERT_HANDSHAKE_FAILURE;
    case TLS_ERR_PROTOCOL_VERSION: return TLS_ALERT_PROTOCOL_VERSION;
    case TLS_ERR_MISSING_EXTENSION: return TLS_ALERT_MISSING_EXTENSION;
    case TLS_ERR_UNSUPPORTED_EXTENSION: return TLS_ALERT_UNSUPPORTED_EXTENSION;
    case TLS_ERR_NO_APPLICATION_PROTOCOL: return TLS_ALERT_NO_APPLICATION_PROTOCOL;
    case TLS_ERR_DECRYPT_ERROR: return TLS_ALERT_DECRYPT_ERROR;
    case TLS_ERR_CERT_UNTRUSTED: return TLS_ALERT_UNKNOWN_CA;
    case TLS_ERR_CERT_EXPIRED:
    case TLS_ERR_CERT_NOT_YET_VALID: return TLS_ALERT_CERTIFICATE_EXPIRED;
    case TLS_ERR_HOSTNAME_MISMATCH:
    case TLS_ERR_BAD_CERTIFICATE: return TLS_ALERT_BAD_CERTIFICATE;
    case TLS_ERR_UNSUPPORTED_CERTIFICATE: return TLS_ALERT_UNSUPPORTED_CERTIFICATE;
    case TLS_ERR_ALERT_RECEIVED:
    case TLS_ERR_CLOSED:
    case TLS_ERR_TRANSPORT:
    case TLS_OK: return TLS_ALERT_NONE;
    default: return TLS_ALERT_INTERNAL_ERROR;
    }
}
