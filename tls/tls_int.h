/* Internal to tls/: handshake and extension constants (parsers read with
   lib/reader.h), and the functions the engine files share. Not for callers. */
#ifndef TLS_TLS_INT_H
#define TLS_TLS_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/bytes.h"
#include "lib/reader.h"
#include "tls/tls.h"

/* Handshake message types (4). */
enum {
    HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_NEW_SESSION_TICKET = 4,
    HS_END_OF_EARLY_DATA = 5, HS_ENCRYPTED_EXTENSIONS = 8, HS_CERTIFICATE = 11,
    HS_CERTIFICATE_REQUEST = 13, HS_CERTIFICATE_VERIFY = 15, HS_FINISHED = 20,
    HS_KEY_UPDATE = 24, HS_MESSAGE_HASH = 254
};

/* Extension types (4.2, RFC 8449). */
enum {
    EXT_SERVER_NAME = 0, EXT_MAX_FRAGMENT_LENGTH = 1, EXT_STATUS_REQUEST = 5,
    EXT_SUPPORTED_GROUPS = 10, EXT_SIGNATURE_ALGORITHMS = 13, EXT_USE_SRTP = 14,
    EXT_HEARTBEAT = 15, EXT_ALPN = 16, EXT_SCT = 18, EXT_CLIENT_CERT_TYPE = 19,
    EXT_SERVER_CERT_TYPE = 20, EXT_PADDING = 21, EXT_RECORD_SIZE_LIMIT = 28,
    EXT_PRE_SHARED_KEY = 41, EXT_EARLY_DATA = 42, EXT_SUPPORTED_VERSIONS = 43,
    EXT_COOKIE = 44, EXT_PSK_KEY_EXCHANGE_MODES = 45, EXT_CERT_AUTHORITIES = 47,
    EXT_OID_FILTERS = 48, EXT_POST_HANDSHAKE_AUTH = 49, EXT_SIG_ALGS_CERT = 50,
    EXT_KEY_SHARE = 51
};

/* Classifies an extension not acceptable in the current message: one the
   RFC defines for other messages is illegal_parameter (4.2), anything we
   never asked for is unsupported_extension. */
static inline int hs_ext_unexpected(uint32_t type)
{
    switch (type) {
    case EXT_SERVER_NAME: case EXT_MAX_FRAGMENT_LENGTH: case EXT_STATUS_REQUEST:
    case EXT_SUPPORTED_GROUPS: case EXT_SIGNATURE_ALGORITHMS: case EXT_USE_SRTP:
    case EXT_HEARTBEAT: case EXT_ALPN: case EXT_SCT: case EXT_CLIENT_CERT_TYPE:
    case EXT_SERVER_CERT_TYPE: case EXT_PADDING: case EXT_RECORD_SIZE_LIMIT:
    case EXT_PRE_SHARED_KEY: case EXT_EARLY_DATA: case EXT_SUPPORTED_VERSIONS:
    case EXT_COOKIE: case EXT_PSK_KEY_EXCHANGE_MODES: case EXT_CERT_AUTHORITIES:
    case EXT_OID_FILTERS: case EXT_POST_HANDSHAKE_AUTH: case EXT_SIG_ALGS_CERT:
    case EXT_KEY_SHARE:
        return TLS_ERR_ILLEGAL_PARAMETER;
    default:
        return TLS_ERR_UNSUPPORTED_EXTENSION;
    }
}

/* Duplicate detection in one extension block (4.2: at most one extension
   of each type), for every type value: the types seen so far are listed.
   A block of more than HS_EXT_MAX extensions is refused as decode_error (no
   server sends that many; the bound keeps the check linear and the list on
   the stack small). hs_ext_seen returns TLS_OK, TLS_ERR_ILLEGAL_PARAMETER
   for a repeated type, or TLS_ERR_DECODE past the bound. */
#define HS_EXT_MAX 64
struct hs_ext_seen {
    uint16_t type[HS_EXT_MAX];
    size_t n;
};

static inline int hs_ext_seen(struct hs_ext_seen *s, uint32_t type)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->type[i] == type)
            return TLS_ERR_ILLEGAL_PARAMETER;
    if (s->n == HS_EXT_MAX)
        return TLS_ERR_DECODE;
    s->type[s->n++] = (uint16_t)type;
    return TLS_OK;
}

/* The next extension of the block in ex: its type and its data (a
   sub-reader); TLS_ERR_DECODE when the block is cut short, else what
   hs_ext_seen says of the type. */
static inline enum tls_err hs_ext_next(struct reader *ex, struct hs_ext_seen *seen,
                                       uint32_t *type, struct reader *data)
{
    *type = rd_u16(ex);
    *data = rd_vec(ex, 2);
    if (!rd_ok(ex))
        return TLS_ERR_DECODE;
    return (enum tls_err)hs_ext_seen(seen, *type);
}

/* tls_engine.c */
enum tls_err tls_fail(struct tls_conn *c, enum tls_err err);   /* returns err */
enum tls_err tls_fail_alert_rcvd(struct tls_conn *c, int alert);
void tls_transcript(struct tls_conn *c, const uint8_t *msg, size_t len);
void tls_transcript_hash(const struct tls_conn *c, uint8_t *out);
/* Queues data of the given content type as one or more records (split at
   the peer's record size limit; sealed when write keys are on, except CCS).
   legacy_0301 sets the record version of an initial ClientHello. Fails with
   TLS_ERR_MSG_TOO_LARGE when the send buffer cannot hold it all. */
enum tls_err tls_tx_record(struct tls_conn *c, uint8_t type, const uint8_t *data, size_t len,
                           int legacy_0301);
/* Scratch space for building an outgoing handshake message: the free tail
   of the handshake buffer. */
uint8_t *tls_scratch(struct tls_conn *c, size_t *cap);
/* Record receive steps shared by the one-record path (tls_engine.c) and the
   pipeline (rx_pipe.c): header checks (TLS_OK or the error, not yet
   failed), the error of a failed rec_open result, and what follows a
   successful open (size limits, then the inner content type). */
enum tls_err tls_rx_header_check(const struct tls_conn *c, const uint8_t hdr[TLS_REC_HDR]);
enum tls_err tls_rx_open_error(struct tls_conn *c, enum rec_status r);
enum tls_err tls_rx_dispatch(struct tls_conn *c, size_t n, uint8_t inner, const uint8_t *body,
                             size_t ptlen, bool partial_hs);
/* The receive pipeline (rx_pipe.c, see tls_set_rx_pipeline). engage switches
   input to the slots once the handshake is done and returns c->piped. */
bool rx_pipe_engage(struct tls_conn *c);
uint8_t *rx_pipe_in_buf(struct tls_conn *c, size_t *room);
enum tls_err rx_pipe_in_commit(struct tls_conn *c, size_t n);
/* Decrypts (or waits for) the head record and dispatches it, until some
   application data is pending, an error, or the head is incomplete. */
void rx_pipe_advance(struct tls_conn *c);
/* The application took all of the head record: wipe and free its slot. */
void rx_pipe_release_head(struct tls_conn *c);
/* Waits for every job in flight, then zeroizes every slot's plaintext. */
void rx_pipe_wipe(struct tls_conn *c);

enum tls_err tls_install_keys(struct tls_conn *c, struct tls_rec_keys *k, const uint8_t *secret);
void tls_keylog(struct tls_conn *c, const char *label, const uint8_t *secret);
const struct tls_suite_info *tls_suite_info(uint16_t suite);

struct tls_suite_info {
    uint16_t id;
    const struct hash_alg *hash;
    int aead;            /* enum tls_aead_id */
    size_t keylen;
};

/* cli_hello.c */
enum tls_err hs_send_client_hello(struct tls_conn *c, const uint8_t *cookie, size_t cookielen,
                                  int keep_priv);
/* Fresh key pair for group from the rng (or, keep_priv, the public key of
   the private key we already hold: a cookie-only HelloRetryRequest); pub
   needs hs_share_len(group) bytes. */
enum tls_err hs_gen_share(struct tls_conn *c, uint16_t group, int keep_priv, uint8_t *pub,
                          size_t *publen);
/* Bytes of our key share for group; 0 for a group we do not implement. */
size_t hs_share_len(uint16_t group);
/* The groups we offer (tls_config.groups or the default list). */
const uint16_t *hs_groups(const struct tls_conn *c, size_t *n);
bool hs_group_offered(const struct tls_conn *c, uint16_t group);
/* Checks the configured groups and picks the first ClientHello's shares
   (share_group, share_group2). TLS_OK or TLS_ERR_CONFIG. */
enum tls_err hs_groups_init(struct tls_conn *c);
/* Zeroizes every key-share secret (X25519, P-256, P-384, ML-KEM). */
void hs_wipe_shares(struct tls_conn *c);
bool hs_suite_offered(const struct tls_conn *c, uint16_t suite);
bool hs_sig_offered(uint16_t scheme);

/* cli_post.c: routes one complete handshake message (header included) by
   state; NewSessionTicket and KeyUpdate. */
enum tls_err hs_handle(struct tls_conn *c, const uint8_t *msg, size_t len);
/* cli_server_hello.c: ServerHello or HelloRetryRequest. */
enum tls_err hs_handle_server_hello(struct tls_conn *c, const uint8_t *msg, size_t len);
/* cli_server_auth.c: the rest of the server's flight. */
enum tls_err hs_handle_ee(struct tls_conn *c, const uint8_t *msg, size_t len);
enum tls_err hs_handle_cr(struct tls_conn *c, const uint8_t *msg, size_t len);
enum tls_err hs_handle_cert(struct tls_conn *c, const uint8_t *msg, size_t len);
enum tls_err hs_handle_cv(struct tls_conn *c, const uint8_t *msg, size_t len);
enum tls_err hs_handle_fin(struct tls_conn *c, const uint8_t *msg, size_t len);
/* CertificateVerify signed content (4.4.3) over the current transcript;
   out needs 64 + 34 + TLS_HASH_MAX bytes. Returns its length. */
size_t hs_cv_content(const struct tls_conn *c, int server, uint8_t *out);

/* cli_flight.c: our Certificate/CertificateVerify/Finished. */
enum tls_err hs_send_client_flight(struct tls_conn *c);
enum tls_err hs_send_key_update(struct tls_conn *c, bool request);

#endif
