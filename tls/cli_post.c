/* Post-handshake messages (RFC 8446 4.6: NewSessionTicket kept with its
   resumption PSK, KeyUpdate with RFC 9846 4.6.3 coalescing) and the
   dispatcher that routes each complete handshake message by state.
   see tls_int.h */
#include <string.h>
#include "crypto/crypto.h"
#include "tls/tls_int.h"

#define FAIL(e) return tls_fail(c, (e))

/* ---- post-handshake (4.6) ------------------------------------------------ */

static int handle_nst(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    struct reader r = rd_init(msg + 4, len - 4);
    uint32_t lifetime = rd_u32(&r), age_add = rd_u32(&r), max_early = 0;
    struct reader nonce = rd_vec(&r, 1), ticket = rd_vec(&r, 2), ex = rd_vec(&r, 2);
    if (!rd_ok(&r) || !rd_left(&ticket) || rd_left(&r))
        FAIL(TLS_ERR_DECODE);
    if (lifetime > 604800)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.6.1: at most 7 days */
    struct hs_ext_seen seen = { .n = 0 };
    while (rd_left(&ex)) {
        uint32_t t;
        struct reader d;
        enum tls_err de = hs_ext_next(&ex, &seen, &t, &d);
        if (de)
            FAIL(de);
        if (t == EXT_EARLY_DATA) {
            max_early = rd_u32(&d);
            if (!rd_ok(&d) || rd_left(&d))
                FAIL(TLS_ERR_DECODE);
        }
        /* unknown extensions are ignored (4.6.1) */
    }
    c->tickets_seen++;
    struct tls_ticket *tk = &c->ticket;
    if (rd_left(&ticket) <= TLS_TICKET_MAX) {
        tk->lifetime = lifetime;
        tk->age_add = age_add;
        tk->len = (uint16_t)rd_left(&ticket);
        memcpy(tk->ticket, ticket.p, tk->len);
        tk->suite = c->suite;
        tk->max_early_data = max_early;
        if (ks_resumption_psk(c->hash, c->res_master, nonce.p, rd_left(&nonce), tk->psk))
            FAIL(TLS_ERR_CRYPTO);
    }
    return TLS_OK;
}

static int handle_key_update(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    if (len != 5)
        FAIL(TLS_ERR_DECODE);
    if (msg[4] > 1)
        FAIL(TLS_ERR_ILLEGAL_PARAMETER);           /* 4.6.3 */
    if (c->ku_run >= TLS_MAX_RUN)
        FAIL(TLS_ERR_UNEXPECTED_MESSAGE);          /* a stream of KeyUpdates */
    c->ku_run++;
    if (ks_update_secret(c->hash, c->s_secret) || tls_install_keys(c, &c->rd, c->s_secret))
        FAIL(TLS_ERR_CRYPTO);
    c->key_updates_rcvd++;
    c->ku_requested = 0;                           /* our request is answered */
    if (msg[4] == 1 && !c->close_sent)
        c->ku_owed = 1;                            /* answered by flush_owed */
    return TLS_OK;
}

enum tls_err hs_handle(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[0];
    switch (c->state) {
    case TLS_ST_WAIT_SH:
        if (type == HS_SERVER_HELLO)
            return hs_handle_server_hello(c, msg, len);
        break;
    case TLS_ST_WAIT_EE:
        if (type == HS_ENCRYPTED_EXTENSIONS)
            return hs_handle_ee(c, msg, len);
        break;
    case TLS_ST_WAIT_CERT_CR:
        if (type == HS_CERTIFICATE_REQUEST)
            return hs_handle_cr(c, msg, len);
        if (type == HS_CERTIFICATE)
            return hs_handle_cert(c, msg, len);
        break;
    case TLS_ST_WAIT_CERT:
        if (type == HS_CERTIFICATE)
            return hs_handle_cert(c, msg, len);
        break;
    case TLS_ST_WAIT_CV:
        if (type == HS_CERTIFICATE_VERIFY)
            return hs_handle_cv(c, msg, len);
        break;
    case TLS_ST_WAIT_FIN:
        if (type == HS_FINISHED)
            return hs_handle_fin(c, msg, len);
        break;
    case TLS_ST_CONNECTED:
        if (type == HS_NEW_SESSION_TICKET)
            return handle_nst(c, msg, len);
        if (type == HS_KEY_UPDATE)
            return handle_key_update(c, msg, len);
        break;
    default:
        break;
    }
    FAIL(TLS_ERR_UNEXPECTED_MESSAGE);
}
