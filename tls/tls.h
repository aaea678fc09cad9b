/* TLS 1.3 client engine (RFC 8446, RFC 9846): a pure state machine over
   caller-provided byte buffers. It never touches a network, a clock or an
   allocator: the caller moves bytes between the engine and a transport.

   Memory: struct tls_conn is owned by the caller (static storage in the
   kernel, stack/heap on the host), and so are the record buffers it points
   to, given with tls_client_set_bufs (or tls_client_use_bufs with a struct
   tls_bufs of the default sizes): the receive buffer holds one protected
   record (TLS_RX_BUF = 16645 bytes for any record), the send buffer our
   flights and application records (TLS_TX_BUF = 4096 by default). A
   smaller receive buffer needs a smaller record limit the server agrees to:
   record_size_limit (RFC 8449) or max_fragment_length (RFC 6066 4, which
   OpenSSL 3.0 servers honour and RFC 8449 does not replace for them); a
   record larger than the buffer fails with TLS_ERR_RECORD_OVERFLOW.
   Handshake messages are reassembled in a separate
   caller buffer (hs_buf) passed to tls_client_init: it bounds the largest
   server handshake message, in practice the Certificate chain, which is
   kept there until its CertificateVerify is checked; a bigger message fails
   with TLS_ERR_MSG_TOO_LARGE (alert internal_error). Our own second flight
   (client Certificate chain, CertificateVerify, Finished) must fit the send
   buffer: about 4 KiB of client certificates at most with the default.
   Measured footprint (x86-64, host build): sizeof(struct tls_conn) = 8080
   bytes (28792 when the record buffers were inside it; 2400 bytes are the
   ML-KEM-768 decapsulation key, kept from the ClientHello to the
   ServerHello). Our ClientHello is built in the free part of hs_buf:
   with the default groups it is about 1.5 KiB (the hybrid share alone is
   1216 bytes).

   The config (and everything it points to) must outlive the connection.
   The engine zeroizes keys, secrets and key shares on close, on error and
   in tls_conn_wipe().

   Flow:
     tls_client_init(c, cfg, "host", hsbuf, sizeof hsbuf);
     tls_client_start(c);                       // queues the ClientHello
     loop:
       while ((p = tls_out_peek(c, &n))) { send n bytes; tls_out_ack(c, sent); }
       if (tls_handshake_done(c) || tls_error(c)) break;
       buf = tls_in_buf(c, &room); read up to room bytes; tls_in_commit(c, got);
   Application data: tls_app_write() / tls_app_peek() + tls_app_ack();
   tls_close() queues close_notify. */
#ifndef TLS_TLS_H
#define TLS_TLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/hash.h"
#include "crypto/mlkem.h"
#include "tls/keysched.h"
#include "tls/record.h"
#include "tls/tls_err.h"

#ifndef TLS_RX_BUF
#define TLS_RX_BUF (TLS_REC_HDR + TLS_MAX_CIPHERTEXT)
#endif
#ifndef TLS_TX_BUF
#define TLS_TX_BUF 4096
#endif
#define TLS_MAX_CHAIN 10          /* certificates passed to the verifier */
#define TLS_MAX_ALPN 4
#define TLS_TICKET_MAX 1024       /* longer tickets are counted, not kept */
#define TLS_REKEY_RECORDS (1ull << 24)  /* records under one write key */
/* At most this many of each: unencrypted change_cipher_spec records in the
   handshake, consecutive empty records, user_canceled alerts and KeyUpdates
   received without application data between them. One more is
   unexpected_message. */
#define TLS_MAX_RUN 32

/* Cipher suites (RFC 8446 B.4). */
#define TLS_AES_128_GCM_SHA256 0x1301
#define TLS_AES_256_GCM_SHA384 0x1302
#define TLS_CHACHA20_POLY1305_SHA256 0x1303
/* Named groups (4.2.7). */
#define TLS_GROUP_SECP256R1 0x0017
#define TLS_GROUP_SECP384R1 0x0018
#define TLS_GROUP_X25519 0x001d
/* Hybrid ML-KEM-768 + X25519 (draft-ietf-tls-ecdhe-mlkem): our share is the
   ML-KEM encapsulation key (1184 bytes) then an X25519 share (32), the
   server's the ML-KEM ciphertext (1088) then its X25519 share (32), and the
   (EC)DHE input of the key schedule the ML-KEM secret then the X25519 one. */
#define TLS_GROUP_X25519MLKEM768 0x11ec
#define TLS_MAX_GROUPS 4          /* entries of tls_config.groups */
/* Signature schemes (4.2.3). */
#define TLS_SIG_RSA_PKCS1_SHA256 0x0401
#define TLS_SIG_RSA_PKCS1_SHA384 0x0501
#define TLS_SIG_ECDSA_P256_SHA256 0x0403
#define TLS_SIG_ECDSA_P384_SHA384 0x0503
#define TLS_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define TLS_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define TLS_SIG_RSA_PSS_RSAE_SHA512 0x0806

/* Certificate chain check: certs[0] is the leaf as sent by the server. The
   callback validates the chain for host (time is the verifier's business:
   it is carried in ctx) and remembers the leaf key for verify_signature.
   The certificate bytes stay valid until verify_signature has returned.
   Returns TLS_OK or a TLS_ERR_CERT_* / TLS_ERR_HOSTNAME_MISMATCH /
   TLS_ERR_BAD_CERTIFICATE / TLS_ERR_UNSUPPORTED_CERTIFICATE code. */
typedef enum tls_err (*tls_verify_chain_fn)(void *ctx, const uint8_t *const *certs,
                                            const size_t *lens, size_t n, const char *host);
/* CertificateVerify check with the leaf key: TLS_OK or TLS_ERR_DECRYPT_ERROR
   (bad signature) / TLS_ERR_ILLEGAL_PARAMETER (scheme does not fit the key). */
typedef enum tls_err (*tls_verify_sig_fn)(void *ctx, uint16_t scheme, const uint8_t *content,
                                          size_t len, const uint8_t *sig, size_t siglen);
/* Client-auth signer: writes a signature over content with scheme into
   sig[0..cap), sets *siglen. Returns TLS_OK or an error. */
typedef enum tls_err (*tls_sign_fn)(void *ctx, uint16_t scheme, const uint8_t *content,
                                    size_t len, uint8_t *sig, size_t cap, size_t *siglen);
/* Random bytes; returns 0 on success. */
typedef int (*tls_rng_fn)(void *ctx, uint8_t *out, size_t len);
/* NSS key log line material (label e.g. "CLIENT_HANDSHAKE_TRAFFIC_SECRET"). */
typedef void (*tls_keylog_fn)(void *ctx, const char *label, const uint8_t client_random[32],
                              const uint8_t *secret, size_t len);

struct tls_config {
    tls_rng_fn rng;
    void *rng_ctx;
    tls_verify_chain_fn verify_chain;     /* required */
    tls_verify_sig_fn verify_sig;         /* required */
    void *verify_ctx;
    /* Optional: a detail string for a failed chain check ("bad_signature"),
       appended to tls_error_str ("bad_certificate:bad_signature"). */
    const char *(*verify_detail)(void *ctx);
    /* ALPN protocols offered (NULL: "http/1.1"); no_alpn offers none. */
    const char *const *alpn;
    size_t alpn_count;
    bool no_alpn;                         /* offer no ALPN at all */
    /* Cipher suites offered, in preference order (NULL/0: all three). */
    const uint16_t *suites;
    size_t suite_count;
    /* Groups offered (supported_groups), in preference order, each at most
       once, at most TLS_MAX_GROUPS (NULL/0: X25519MLKEM768, x25519,
       secp256r1, secp384r1). The first ClientHello carries a key share for
       the first group, and also for the second when they are X25519MLKEM768
       then x25519 (one X25519 key serves both, as the hybrid design
       allows): a server without ML-KEM then still needs no
       HelloRetryRequest. A server may ask for any other listed group with a
       HelloRetryRequest. A group we do not implement: TLS_ERR_CONFIG. */
    const uint16_t *groups;
    size_t group_count;
    /* Our record_size_limit (RFC 8449): 0 = 16385 (2^14 + 1 for TLS 1.3). */
    uint16_t record_size_limit;
    /* max_fragment_length to offer (RFC 6066 4): 0 none, 1..4 for 2^9..2^12
       bytes of plaintext per record. RFC 8449 5 lets a client send both; a
       server that knows record_size_limit ignores this one. */
    uint8_t max_fragment_length;
    /* Client authentication (CertificateRequest). client_sig_schemes lists
       the schemes client_sign can make with the key (a P-256 key:
       TLS_SIG_ECDSA_P256_SHA256; an RSA key: the rsa_pss_rsae ones); the
       first scheme of the CertificateRequest's signature_algorithms found
       there signs our CertificateVerify (4.3.2, 4.4.3). With no chain, no
       signer or no scheme in common the client answers with an empty
       Certificate (4.4.2.4). */
    const uint8_t *const *client_certs;
    const size_t *client_cert_lens;
    size_t client_cert_count;
    const uint16_t *client_sig_schemes;
    size_t client_sig_scheme_count;
    tls_sign_fn client_sign;
    void *client_sign_ctx;
    /* Optional key log (debugging, tests). */
    tls_keylog_fn keylog;
    void *keylog_ctx;
};

/* Where a record read ahead is decrypted (tls_set_rx_pipeline). start runs
   fn(arg) on another processor and returns true, or returns false when it
   cannot take the job now (the engine then opens that record itself when the
   application reaches it). fn must return on that processor; the engine
   learns that it did from a flag fn sets (release) and it reads (acquire).
   relax (may be NULL) is called while the engine waits for such a job and
   has nothing of its own to open. */
struct tls_offload {
    bool (*start)(void *ctx, void (*fn)(void *arg), void *arg);
    void (*relax)(void *ctx);
    void *ctx;
    /* At most this many records handed to start and not yet opened (0: no
       limit). The records beyond it are opened by the engine itself, from
       the newest while it waits for the head: both processors then share
       the work when the other one alone is slower than the stream. */
    unsigned max_jobs;
    /* May be NULL. start may leave a job queued without starting it, to
       wake a sleeping processor once for two jobs; before the engine waits
       for a job it calls kick, which must get every queued job started. */
    void (*kick)(void *ctx);
};

/* One record of the receive pipeline: caller memory, engine-private fields. */
struct tls_rx_slot {
    uint8_t ct[TLS_RX_BUF];                             /* header + protected record */
    uint8_t pt[TLS_RX_BUF - TLS_REC_HDR - TLS_REC_TAG];  /* its plaintext */
    const struct tls_rec_keys *keys;                    /* job inputs */
    uint64_t seq;
    uint32_t epoch;
    size_t len;                                         /* bytes of ct received */
    size_t ptlen;                                       /* job outputs */
    enum rec_status result;                             /* of rec_open_seq */
    uint8_t inner;
    uint8_t state;
    uint32_t done;                                      /* set by the job (release) */
    int err;                                            /* header error, reported in order */
};

enum tls_hs_state {
    TLS_ST_INIT, TLS_ST_WAIT_SH, TLS_ST_WAIT_EE, TLS_ST_WAIT_CERT_CR, TLS_ST_WAIT_CERT,
    TLS_ST_WAIT_CV, TLS_ST_WAIT_FIN, TLS_ST_CONNECTED, TLS_ST_CLOSED, TLS_ST_FAILED
};

struct tls_ticket {
    uint32_t lifetime, age_add;
    uint16_t len;                          /* 0: none kept */
    uint8_t ticket[TLS_TICKET_MAX];
    uint8_t psk[TLS_HASH_MAX];             /* resumption PSK (4.6.1) */
    uint16_t suite;
    uint32_t max_early_data;
};

/* All fields are private to the engine; use the accessors below. */
struct tls_conn {
    const struct tls_config *cfg;
    uint8_t state;
    uint8_t hrr_done, cert_requested, ku_owed, close_sent, close_rcvd, sent_sni;
    uint8_t ku_requested;                  /* our update_requested is outstanding */
    uint8_t ccs_sent;                      /* our compatibility-mode CCS is out */
    /* Denial-of-service bounds (TLS_MAX_RUN each): CCS records dropped in
       the handshake; consecutive empty records; user_canceled alerts and
       KeyUpdates since the last application data. */
    uint8_t ccs_rcvd, empty_run, warn_run, ku_run;
#ifdef TLS_TEST_HOOKS
    uint8_t test_ch_n, test_ch_used;       /* RFC 8448 replay hook */
    const uint8_t *test_ch[2];
    size_t test_ch_len[2];
#endif
    char host[256];
    uint16_t suite, group, sig_scheme, share_group, peer_rsl;
    uint8_t peer_mfl;                      /* max_fragment_length acknowledged */
    uint16_t share_group2;                 /* x25519 next to the hybrid, or 0 */
    const struct hash_alg *hash;           /* NULL until ServerHello */
    hash_ctx th256, th384;                 /* transcript, both until suite known */
    uint8_t client_random[32], session_id[32];
    uint8_t session_id_len;
    /* Key-share secrets, wiped once the ServerHello is processed. */
    uint8_t x25519_priv[32], p256_priv[32], p384_priv[48];
    uint8_t mlkem_dk[MLKEM768_DK_BYTES];   /* ML-KEM-768 decapsulation key */
    uint8_t secret[TLS_HASH_MAX];          /* handshake, then master secret */
    uint8_t c_secret[TLS_HASH_MAX], s_secret[TLS_HASH_MAX];  /* current traffic */
    uint8_t res_master[TLS_HASH_MAX];
    struct tls_rec_keys rd, wr;
    uint8_t cr_ctx[255];
    uint8_t cr_ctx_len;
    uint16_t cr_scheme;                    /* scheme picked from the CR's list, or 0 */
    char alpn[32];
    /* handshake reassembly (caller buffer) */
    uint8_t *hs;
    size_t hs_cap, hs_len, hs_keep;
    size_t cert_off[TLS_MAX_CHAIN], cert_len[TLS_MAX_CHAIN];
    size_t cert_n;
    /* receive: one record at a time, then decrypted application data */
    size_t rx_len, app_off, app_len;
    /* send */
    size_t tx_off, tx_len;
    /* counters */
    uint32_t tickets_seen, key_updates_rcvd, key_updates_sent;
    struct tls_ticket ticket;
    /* resumption (4.2.11, psk_dhe_ke only) */
    const struct tls_ticket *resume;
    uint32_t resume_age_ms;
    uint8_t psk_offered, resumed;
    /* receive pipeline (tls_set_rx_pipeline): a ring of caller slots */
    struct tls_rx_slot *pipe;
    const struct tls_offload *off;
    size_t pipe_n, pipe_head, pipe_count;
    uint8_t piped;                         /* input goes to the slots */
    uint32_t rd_epoch;                     /* bumped when the read key changes */
    uint32_t pipe_offloaded, pipe_inline;  /* records opened by fn elsewhere / here */
    const uint8_t *app_base;               /* decrypted record being delivered */
    /* errors */
    int err;
    int alert_sent, alert_rcvd;
    char errstr[64];
    /* record buffers (tls_client_set_bufs) */
    uint8_t *rx, *tx;
    size_t rx_cap, tx_cap;
};

/* Record buffers of the default sizes (tls_client_use_bufs). */
struct tls_bufs {
    uint8_t rx[TLS_RX_BUF];
    uint8_t tx[TLS_TX_BUF];
};

void tls_client_init(struct tls_conn *c, const struct tls_config *cfg, const char *host,
                     uint8_t *hs_buf, size_t hs_cap);
/* The record buffers (caller memory that outlives the connection), after
   tls_client_init and before tls_client_start: rx_cap >= TLS_REC_HDR + 64 +
   1 + TLS_REC_TAG and tx_cap >= 1024, else tls_client_start fails with
   TLS_ERR_CONFIG (so does a start without buffers). See Memory above for a
   receive buffer smaller than TLS_RX_BUF. */
void tls_client_set_bufs(struct tls_conn *c, uint8_t *rx, size_t rx_cap, uint8_t *tx,
                         size_t tx_cap);
/* tls_client_set_bufs with b's default-sized buffers. */
void tls_client_use_bufs(struct tls_conn *c, struct tls_bufs *b);
/* The receive and send buffer sizes given (0 before). */
size_t tls_rx_cap(const struct tls_conn *c);
size_t tls_tx_cap(const struct tls_conn *c);
/* The record limit the server acknowledged: max_fragment_length in bytes
   (2^9..2^12) or 0. */
size_t tls_peer_max_fragment(const struct tls_conn *c);
/* Builds the ClientHello into the send buffer. */
enum tls_err tls_client_start(struct tls_conn *c);

/* Bytes to send (NULL when none); acknowledge what the transport took. */
const uint8_t *tls_out_peek(struct tls_conn *c, size_t *len);
void tls_out_ack(struct tls_conn *c, size_t n);

/* Where to put received bytes: returns a pointer and *room (0 when the
   engine cannot take input now: pending application data without a receive
   pipeline, every pipeline slot full, failed, closed). Never asks for bytes
   beyond the current record. */
uint8_t *tls_in_buf(struct tls_conn *c, size_t *room);
/* Processes n bytes written at tls_in_buf(). Returns tls_error(c). */
enum tls_err tls_in_commit(struct tls_conn *c, size_t n);
/* Copying convenience: consumes up to len bytes of in, returns how many. */
size_t tls_feed(struct tls_conn *c, const uint8_t *in, size_t len);

/* Decrypted application data available (pointer valid until tls_app_ack). */
const uint8_t *tls_app_peek(struct tls_conn *c, size_t *len);
void tls_app_ack(struct tls_conn *c, size_t n);
/* Encrypts up to len bytes into the send buffer; returns bytes taken (may be
   0 when the send buffer is full: flush and retry) or sets the error. */
size_t tls_app_write(struct tls_conn *c, const uint8_t *data, size_t len);
/* Queues close_notify (and zeroizes the write keys afterwards). */
enum tls_err tls_close(struct tls_conn *c);
/* Sends a KeyUpdate and rotates our write key. request asks the peer to
   update too; it is downgraded to update_not_requested while an earlier
   request is unanswered (RFC 9846 4.6.3). */
enum tls_err tls_key_update(struct tls_conn *c, bool request);

/* Receive pipeline (optional; call before tls_client_start). Once the
   handshake is done, received records go into the n >= 2 caller-owned slots
   (about 33 KiB each; they must outlive the connection): tls_in_buf keeps
   taking input while decrypted data is still pending, and every complete
   record is handed to off->start to be decrypted on another processor while
   the application consumes the ones before it (the nonce depends only on the
   record's sequence number). tls_app_peek delivers records in order; every
   check and error is the one the engine gives without the pipeline, and the
   error of a record read ahead is reported when the application reaches it.
   A KeyUpdate makes the records read ahead of it be opened again with the
   new key (they are kept as received). tls_conn_wipe (also called on every
   failure) waits for the jobs in flight: call it before the slots are freed
   or the connection is initialised again. TLS_OK or TLS_ERR_CONFIG. */
enum tls_err tls_set_rx_pipeline(struct tls_conn *c, struct tls_rx_slot *slots, size_t n,
                                 const struct tls_offload *off);
/* Records the pipeline had decrypted by off->start / by the engine itself. */
void tls_rx_pipeline_stats(const struct tls_conn *c, uint32_t *offloaded, uint32_t *inline_);

bool tls_handshake_done(const struct tls_conn *c);
bool tls_peer_closed(const struct tls_conn *c);
enum tls_err tls_error(const struct tls_conn *c);
/* "alert_received:handshake_failure", "cert_untrusted", ... */
const char *tls_error_str(const struct tls_conn *c);
enum tls_alert tls_alert_sent(const struct tls_conn *c);       /* TLS_ALERT_NONE if none */
enum tls_alert tls_alert_received(const struct tls_conn *c);
uint16_t tls_suite(const struct tls_conn *c);
uint16_t tls_group(const struct tls_conn *c);
uint16_t tls_sig_scheme(const struct tls_conn *c);
const char *tls_alpn(const struct tls_conn *c);     /* "" if none */
const char *tls_host(const struct tls_conn *c);     /* the host of tls_client_init */
const struct tls_ticket *tls_ticket(const struct tls_conn *c); /* NULL if none */
const char *tls_suite_str(uint16_t suite);
/* 1 when this build implements the cipher suite. */
int tls_suite_info_supported(uint16_t suite);
const char *tls_group_str(uint16_t group);
/* The group of a name (len bytes, no NUL needed; case ignored):
   x25519mlkem768, x25519, secp256r1, secp384r1. 0 for any other. */
uint16_t tls_group_from_name(const char *name, size_t len);
const char *tls_sig_str(uint16_t scheme);

/* Offers a ticket from an earlier connection (tls_ticket(), copied by the
   caller, who keeps it alive through the handshake) for resumption with
   psk_dhe_ke (RFC 8446 2.2, 4.2.11): a fresh (EC)DHE exchange still runs,
   but the server's Certificate/CertificateVerify are skipped when it
   accepts. age_ms is the time since the ticket was received (the engine
   reads no clock). Call between tls_client_init and tls_client_start.
   TLS_OK, or TLS_ERR_CONFIG for an empty or expired ticket (age past its
   lifetime) or an unsupported suite. */
enum tls_err tls_client_set_resumption(struct tls_conn *c, const struct tls_ticket *t, uint32_t age_ms);
/* True when the server accepted the offered ticket. */
bool tls_resumed(const struct tls_conn *c);

/* Zeroizes every secret and buffer of the connection. */
void tls_conn_wipe(struct tls_conn *c);

#ifdef TLS_TEST_HOOKS
/* Test hook (RFC 8448 replay), only in builds with -DTLS_TEST_HOOKS (host
   unit tests, tools and fuzzers; never the kernel): use these exact
   ClientHello messages (handshake header included) instead of the ones the
   engine builds: [0] initial, [1] after HelloRetryRequest. The random and
   legacy_session_id are taken from them; key shares still come from the rng
   callback. The flag changes struct tls_conn: every object of one program
   must be built with the same setting. */
void tls_test_set_client_hellos(struct tls_conn *c, const uint8_t *ch1, size_t len1,
                                const uint8_t *ch2, size_t len2);
#endif

#endif
