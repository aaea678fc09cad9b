/* The record-level engine: input record assembly and checks (RFC 8446 5),
   handshake message reassembly, alerts, output records, application data,
   sticky errors and zeroization. Handshake messages are interpreted by the
   client-role files cli_*.c (hs_handle in cli_post.c routes them). see tls.h */
#include <string.h>
#include "crypto/crypto.h"
#include "tls/tls_int.h"

static const struct tls_suite_info suites[] = {
    { TLS_AES_128_GCM_SHA256, &hash_sha256, TLS_AEAD_AES128_GCM, 16 },
    { TLS_AES_256_GCM_SHA384, &hash_sha384, TLS_AEAD_AES256_GCM, 32 },
    { TLS_CHACHA20_POLY1305_SHA256, &hash_sha256, TLS_AEAD_CHACHA20_POLY1305, 32 },
};

const struct tls_suite_info *tls_suite_info(uint16_t suite)
{
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
        if (suites[i].id == suite)
            return tls_aead_supported(suites[i].aead) ? &suites[i] : NULL;
    return NULL;
}

int tls_suite_info_supported(uint16_t suite)
{
    return tls_suite_info(suite) != NULL;
}

/* ---- lifecycle ---------------------------------------------------------- */

void tls_client_init(struct tls_conn *c, const struct tls_config *cfg, const char *host,
                     uint8_t *hs_buf, size_t hs_cap)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->hs = hs_buf;
    c->hs_cap = hs_cap;
    c->alert_sent = c->alert_rcvd = TLS_ALERT_NONE;
    c->state = TLS_ST_INIT;
    size_t n = host ? strlen(host) : 0;
    if (n >= sizeof c->host) {
        c->err = TLS_ERR_CONFIG;
        c->state = TLS_ST_FAILED;
        return;
    }
    if (n)
        memcpy(c->host, host, n);
}

#ifdef TLS_TEST_HOOKS
void tls_test_set_client_hellos(struct tls_conn *c, const uint8_t *ch1, size_t len1,
                                const uint8_t *ch2, size_t len2)
{
    c->test_ch[0] = ch1;
    c->test_ch_len[0] = len1;
    c->test_ch[1] = ch2;
    c->test_ch_len[1] = len2;
    c->test_ch_n = ch2 ? 2 : 1;
}
#endif

enum tls_err tls_client_set_resumption(struct tls_conn *c, const struct tls_ticket *t, uint32_t age_ms)
{
    if (c->err)
        return c->err;
    if (c->state != TLS_ST_INIT)
        return TLS_ERR_STATE;
    if (!t || !t->len || !tls_suite_info(t->suite))
        return TLS_ERR_CONFIG;
    if (age_ms / 1000 >= t->lifetime)
        return TLS_ERR_CONFIG;              /* 4.6.1: past ticket_lifetime */
    c->resume = t;
    c->resume_age_ms = age_ms;
    return TLS_OK;
}

bool tls_resumed(const struct tls_conn *c) { return c->resumed; }

enum tls_err tls_client_start(struct tls_conn *c)
{
    if (c->err)
        return c->err;
    const struct tls_config *cfg = c->cfg;
    if (c->state != TLS_ST_INIT)
        return TLS_ERR_STATE;
    if (!cfg || !cfg->rng || !cfg->verify_chain || !cfg->verify_sig || !c->hs ||
        c->hs_cap < 1024)
        return tls_fail(c, TLS_ERR_CONFIG);
    if (cfg->record_size_limit && cfg->record_size_limit < 64)
        return tls_fail(c, TLS_ERR_CONFIG);
    if (cfg->max_fragment_length > 4)
        return tls_fail(c, TLS_ERR_CONFIG);
    if (!c->rx || !c->tx || c->rx_cap < TLS_REC_HDR + 64 + 1 + TLS_REC_TAG ||
        c->tx_cap < 1024)
        return tls_fail(c, TLS_ERR_CONFIG);
    if (hs_groups_init(c))
        return tls_fail(c, TLS_ERR_CONFIG);
    hash_sha256.init(&c->th256);
    hash_sha384.init(&c->th384);
    c->state = TLS_ST_WAIT_SH;
    return hs_send_client_hello(c, NULL, 0, 0);
}

static void wipe_secrets(struct tls_conn *c)
{
    hs_wipe_shares(c);
    crypto_zeroize(c->secret, sizeof c->secret);
    crypto_zeroize(c->c_secret, sizeof c->c_secret);
    crypto_zeroize(c->s_secret, sizeof c->s_secret);
    crypto_zeroize(c->res_master, sizeof c->res_master);
    crypto_zeroize(&c->th256, sizeof c->th256);
    crypto_zeroize(&c->th384, sizeof c->th384);
    rx_pipe_wipe(c);            /* jobs still reading c->rd finish first */
    rec_wipe(&c->rd);
    c->resume = NULL;
}

void tls_conn_wipe(struct tls_conn *c)
{
    wipe_secrets(c);
    rec_wipe(&c->wr);
    if (c->hs)
        crypto_zeroize(c->hs, c->hs_cap);
    if (c->rx)
        crypto_zeroize(c->rx, c->rx_cap);
    if (c->tx)
        crypto_zeroize(c->tx, c->tx_cap);
    crypto_zeroize(c, sizeof *c);
}

/* ---- errors ------------------------------------------------------------- */

static void set_errstr(struct tls_conn *c, const char *a, const char *b)
{
    size_t n = 0;
    for (; *a && n + 1 < sizeof c->errstr; a++)
        c->errstr[n++] = *a;
    if (b) {
        if (n + 1 < sizeof c->errstr)
            c->errstr[n++] = ':';
        for (; *b && n + 1 < sizeof c->errstr; b++)
            c->errstr[n++] = *b;
    }
    c->errstr[n] = 0;
}

static void send_alert(struct tls_conn *c, int alert)
{
    /* 6: in TLS 1.3 the level is ignored; close_notify/user_canceled are
       warnings, everything else fatal. */
    uint8_t a[2] = { alert == TLS_ALERT_CLOSE_NOTIFY ? 1 : 2, (uint8_t)alert };
    if (tls_tx_record(c, TLS_CT_ALERT, a, 2, 0) == TLS_OK && alert != TLS_ALERT_CLOSE_NOTIFY)
        c->alert_sent = alert;
}

enum tls_err tls_fail(struct tls_conn *c, enum tls_err err)
{
    if (c->err)
        return c->err;
    int alert = tls_err_alert(err);
    if (alert != TLS_ALERT_NONE && !c->close_sent && c->state != TLS_ST_INIT) {
        send_alert(c, alert);
        c->close_sent = 1;
    }
    c->err = err;
    c->state = TLS_ST_FAILED;
    set_errstr(c, tls_err_str(err), NULL);
    wipe_secrets(c);
    rec_wipe(&c->wr);           /* the alert above is already sealed */
    c->app_len = 0;
    c->hs_len = c->hs_keep = 0;
    return err;
}

enum tls_err tls_fail_alert_rcvd(struct tls_conn *c, int alert)
{
    if (c->err)
        return c->err;
    c->alert_rcvd = alert;
    c->err = TLS_ERR_ALERT_RECEIVED;
    c->state = TLS_ST_FAILED;
    set_errstr(c, "alert_received", tls_alert_str(alert));
    wipe_secrets(c);
    rec_wipe(&c->wr);
    c->app_len = 0;
    c->hs_len = c->hs_keep = 0;
    return c->err;
}

/* ---- transcript and keys ------------------------------------------------ */

void tls_transcript(struct tls_conn *c, const uint8_t *msg, size_t len)
{
    if (!c->hash || c->hash == &hash_sha256)
        hash_sha256.update(&c->th256, msg, len);
    if (!c->hash || c->hash == &hash_sha384)
        hash_sha384.update(&c->th384, msg, len);
}

void tls_transcript_hash(const struct tls_conn *c, uint8_t *out)
{
    hash_ctx tmp = c->hash == &hash_sha384 ? c->th384 : c->th256;
    c->hash->final(&tmp, out);
}

enum tls_err tls_install_keys(struct tls_conn *c, struct tls_rec_keys *k, const uint8_t *secret)
{
    const struct tls_suite_info *si = tls_suite_info(c->suite);
    uint8_t key[32], iv[12];
    int r = ks_traffic_keys(si->hash, secret, key, si->keylen, iv);
    if (r == CRYPTO_OK)
        r = rec_set_keys(k, si->aead, key, si->keylen, iv);
    crypto_zeroize(key, sizeof key);
    crypto_zeroize(iv, sizeof iv);
    return r == CRYPTO_OK ? TLS_OK : TLS_ERR_CRYPTO;
}

void tls_keylog(struct tls_conn *c, const char *label, const uint8_t *secret)
{
    if (c->cfg->keylog)
        c->cfg->keylog(c->cfg->keylog_ctx, label, c->client_random, secret,
                       c->hash->digest_len);
}

/* ---- output ------------------------------------------------------------- */

uint8_t *tls_scratch(struct tls_conn *c, size_t *cap)
{
    *cap = c->hs_cap - c->hs_len;
    return c->hs + c->hs_len;
}

/* Largest plaintext fragment we may put in one record (RFC 8449 4: the
   peer's limit counts the inner content type byte in TLS 1.3). */
static size_t max_fragment(const struct tls_conn *c)
{
    size_t m = TLS_MAX_PLAINTEXT;
    if (c->peer_rsl && (size_t)c->peer_rsl - 1 < m)
        m = (size_t)c->peer_rsl - 1;
    if (c->peer_mfl && tls_peer_max_fragment(c) < m)
        m = tls_peer_max_fragment(c);
    return m;
}

void tls_client_set_bufs(struct tls_conn *c, uint8_t *rx, size_t rx_cap, uint8_t *tx,
                         size_t tx_cap)
{
    c->rx = rx;
    c->rx_cap = rx ? rx_cap : 0;
    c->tx = tx;
    c->tx_cap = tx ? tx_cap : 0;
}

void tls_client_use_bufs(struct tls_conn *c, struct tls_bufs *b)
{
    tls_client_set_bufs(c, b->rx, sizeof b->rx, b->tx, sizeof b->tx);
}

size_t tls_rx_cap(const struct tls_conn *c) { return c->rx_cap; }
const char *tls_host(const struct tls_conn *c) { return c->host; }
size_t tls_tx_cap(const struct tls_conn *c) { return c->tx_cap; }

size_t tls_peer_max_fragment(const struct tls_conn *c)
{
    return c->peer_mfl ? (size_t)1 << (8 + c->peer_mfl) : 0;
}

static void tx_compact(struct tls_conn *c)
{
    if (c->tx_off == c->tx_len) {
        c->tx_off = c->tx_len = 0;
    } else if (c->tx_off) {
        memmove(c->tx, c->tx + c->tx_off, c->tx_len - c->tx_off);
        c->tx_len -= c->tx_off;
        c->tx_off = 0;
    }
}

enum tls_err tls_tx_record(struct tls_conn *c, uint8_t type, const uint8_t *data, size_t len,
                           int legacy_0301)
{
    int seal = c->wr.on && type != TLS_CT_CCS;
    /* D.4: in middlebox-compatibility mode (a non-empty legacy_session_id)
       the dummy change_cipher_spec goes out just before our first
       encrypted record, whatever that record is (our Finished flight, or an
       alert refusing the server's flight). */
    int ccs_first = seal && c->session_id_len && !c->ccs_sent;
    size_t frag = max_fragment(c);
    if (!seal && frag > TLS_MAX_PLAINTEXT)
        frag = TLS_MAX_PLAINTEXT;
    size_t nrec = len ? (len + frag - 1) / frag : 1;
    size_t over = TLS_REC_HDR + (seal ? 1 + TLS_REC_TAG : 0);
    tx_compact(c);
    if (len + nrec * over + (ccs_first ? TLS_REC_HDR + 1 : 0) > c->tx_cap - c->tx_len)
        return TLS_ERR_MSG_TOO_LARGE;
    if (ccs_first || type == TLS_CT_CCS)
        c->ccs_sent = 1;
    if (ccs_first) {
        uint8_t *rec = c->tx + c->tx_len;
        rec_header(rec, TLS_CT_CCS, 1);
        rec[TLS_REC_HDR] = 1;
        c->tx_len += TLS_REC_HDR + 1;
    }
    size_t done = 0;
    do {
        size_t n = len - done < frag ? len - done : frag;
        uint8_t *rec = c->tx + c->tx_len;
        if (n)
            memmove(rec + TLS_REC_HDR, data + done, n);
        size_t rl;
        if (seal) {
            rl = rec_seal(&c->wr, type, rec, n, 0);
            if (!rl)
                return TLS_ERR_CRYPTO;
        } else {
            rec_header(rec, type, n);
            if (legacy_0301)
                rec[2] = 1;
            rl = TLS_REC_HDR + n;
        }
        c->tx_len += rl;
        done += n;
    } while (done < len);
    return TLS_OK;
}

const uint8_t *tls_out_peek(struct tls_conn *c, size_t *len)
{
    *len = c->tx_len - c->tx_off;
    return *len ? c->tx + c->tx_off : NULL;
}

static void flush_owed(struct tls_conn *c)
{
    /* 4.6.3: update_requested is answered before our next application data
       record; requests received meanwhile are covered by that single answer,
       so a peer cannot make us send KeyUpdates faster than we send data
       (RFC 9846 4.6.3). */
    if (c->ku_owed && c->state == TLS_ST_CONNECTED && !c->close_sent) {
        if (hs_send_key_update(c, false) == TLS_OK)
            c->ku_owed = 0;
    }
}

void tls_out_ack(struct tls_conn *c, size_t n)
{
    size_t have = c->tx_len - c->tx_off;
    c->tx_off += n < have ? n : have;
    if (c->tx_off == c->tx_len)
        c->tx_off = c->tx_len = 0;
}

/* ---- input -------------------------------------------------------------- */

static size_t rec_total(const struct tls_conn *c)
{
    return TLS_REC_HDR + (size_t)be16_get(c->rx + 3);
}

uint8_t *tls_in_buf(struct tls_conn *c, size_t *room)
{
    *room = 0;
    if (c->err || c->state == TLS_ST_INIT || c->state == TLS_ST_CLOSED)
        return NULL;
    if (rx_pipe_engage(c))
        return rx_pipe_in_buf(c, room);
    if (c->app_len)
        return NULL;
    if (c->rx_len < TLS_REC_HDR)
        *room = TLS_REC_HDR - c->rx_len;
    else
        *room = rec_total(c) - c->rx_len;
    return c->rx + c->rx_len;
}

static int handle_alert(struct tls_conn *c, const uint8_t *p, size_t n)
{
    if (n == 0)
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);   /* 5.4 (RFC 9846) */
    if (n != 2)
        return tls_fail(c, TLS_ERR_DECODE);
    int desc = p[1];
    if (desc == TLS_ALERT_CLOSE_NOTIFY) {
        c->close_rcvd = 1;
        if (c->state != TLS_ST_CONNECTED)
            return tls_fail_alert_rcvd(c, desc);
        c->state = TLS_ST_CLOSED;
        rx_pipe_wipe(c);
        rec_wipe(&c->rd);
        return TLS_OK;
    }
    if (desc == TLS_ALERT_USER_CANCELED) {
        /* 6.1: followed by close_notify; a stream of them is refused. */
        if (c->warn_run >= TLS_MAX_RUN)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        c->warn_run++;
        return TLS_OK;
    }
    return tls_fail_alert_rcvd(c, desc);
}

/* Appends a handshake fragment and runs every complete message. */
static int handle_hs_fragment(struct tls_conn *c, const uint8_t *p, size_t n)
{
    if (n == 0)
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);   /* 5.1 */
    if (n > c->hs_cap - c->hs_len)
        return tls_fail(c, TLS_ERR_MSG_TOO_LARGE);
    memmove(c->hs + c->hs_len, p, n);
    c->hs_len += n;
    size_t pos = c->hs_keep;
    while (c->hs_len - pos >= 4) {
        const uint8_t *m = c->hs + pos;
        size_t mlen = 4 + (size_t)be24_get(m + 1);
        if (mlen > c->hs_cap - c->hs_keep)
            return tls_fail(c, TLS_ERR_MSG_TOO_LARGE);
        if (c->hs_len - pos < mlen)
            break;
        size_t keep_before = c->hs_keep;
        uint8_t type = m[0];
        int e = hs_handle(c, m, mlen);
        if (e)
            return e;
        pos += mlen;
        /* 5.1: ServerHello, HelloRetryRequest, Finished and KeyUpdate must end
           their record: nothing may follow them across a key change. */
        if ((type == HS_SERVER_HELLO || type == HS_FINISHED || type == HS_KEY_UPDATE) &&
            pos != c->hs_len)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        if (keep_before && !c->hs_keep) {      /* certificate chain released */
            memmove(c->hs, c->hs + pos, c->hs_len - pos);
            c->hs_len -= pos;
            pos = 0;
        }
        if (c->err)
            return c->err;
    }
    if (pos > c->hs_keep) {
        memmove(c->hs + c->hs_keep, c->hs + pos, c->hs_len - pos);
        c->hs_len = c->hs_keep + (c->hs_len - pos);
    }
    return TLS_OK;
}

static bool in_handshake(const struct tls_conn *c)
{
    return c->state >= TLS_ST_WAIT_SH && c->state <= TLS_ST_WAIT_FIN;
}

enum tls_err tls_rx_open_error(struct tls_conn *c, enum rec_status r)
{
    return tls_fail(c, r == REC_ERR_NO_TYPE ? TLS_ERR_UNEXPECTED_MESSAGE : TLS_ERR_BAD_RECORD_MAC);
}

enum tls_err tls_rx_dispatch(struct tls_conn *c, size_t n, uint8_t inner, const uint8_t *body,
                             size_t ptlen, bool partial_hs)
{
    /* 5.4: inner plaintext (content + type + padding) is at most
       2^14 + 1. RFC 8449 4: the limit we advertised binds a server that
       acknowledged the extension in EncryptedExtensions, so it is
       enforced on every record after that; a server that ignores the
       extension (GnuTLS below 512 bytes, OpenSSL 3.0) is held only to
       the protocol maximum. */
    size_t limit = c->cfg->record_size_limit && c->peer_rsl
                       ? c->cfg->record_size_limit : TLS_MAX_PLAINTEXT + 1;
    /* RFC 6066 4 (TLS 1.3): the fragment bounds the content, the inner
       type byte comes on top (padding would too; OpenSSL sends none) */
    if (c->peer_mfl && tls_peer_max_fragment(c) + 1 < limit)
        limit = tls_peer_max_fragment(c) + 1;
    if (n - TLS_REC_TAG > TLS_MAX_PLAINTEXT + 1 || n - TLS_REC_TAG > limit)
        return tls_fail(c, TLS_ERR_RECORD_OVERFLOW);
    if (partial_hs && inner != TLS_CT_HANDSHAKE)
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
    /* Empty records cost the peer nothing and us a decryption each: at
       most TLS_MAX_RUN in a row (empty handshake and alert records are
       refused below). */
    if (ptlen == 0) {
        if (c->empty_run >= TLS_MAX_RUN)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        c->empty_run++;
    } else {
        c->empty_run = 0;
    }
    if (inner == TLS_CT_APPDATA && ptlen)
        c->warn_run = c->ku_run = 0;           /* progress: the runs restart */
    switch (inner) {
    case TLS_CT_HANDSHAKE:
        return handle_hs_fragment(c, body, ptlen);
    case TLS_CT_ALERT:
        return handle_alert(c, body, ptlen);
    case TLS_CT_APPDATA:
        if (c->state != TLS_ST_CONNECTED)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        c->app_base = body;
        c->app_off = 0;
        c->app_len = ptlen;
        return TLS_OK;
    default:
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
    }
}

static int process_record(struct tls_conn *c)
{
    uint8_t type = c->rx[0];
    size_t n = rec_total(c) - TLS_REC_HDR;
    uint8_t *body = c->rx + TLS_REC_HDR;
    bool partial_hs = c->hs_len > c->hs_keep;

    if (type == TLS_CT_CCS) {
        /* 5: a 0x01 CCS between our ClientHello and the server Finished is
           dropped, each time, up to TLS_MAX_RUN of them; anything else is
           unexpected_message. */
        if (!in_handshake(c) || n != 1 || body[0] != 1 || partial_hs ||
            c->ccs_rcvd >= TLS_MAX_RUN)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        c->ccs_rcvd++;
        return TLS_OK;
    }
    if (c->rd.on) {
        if (type != TLS_CT_APPDATA)
            return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
        uint8_t inner;
        size_t ptlen;
        enum rec_status r = rec_open(&c->rd, c->rx, n, &inner, &ptlen);
        if (r != REC_OK)
            return tls_rx_open_error(c, r);
        return tls_rx_dispatch(c, n, inner, body, ptlen, partial_hs);
    }
    if (partial_hs && type != TLS_CT_HANDSHAKE)
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
    switch (type) {
    case TLS_CT_HANDSHAKE:
        return handle_hs_fragment(c, body, n);
    case TLS_CT_ALERT:
        return handle_alert(c, body, n);
    default:
        return tls_fail(c, TLS_ERR_UNEXPECTED_MESSAGE);
    }
}

enum tls_err tls_rx_header_check(const struct tls_conn *c, const uint8_t hdr[TLS_REC_HDR])
{
    /* 5.1/5.2: header checks before reading the body. */
    uint8_t type = hdr[0];
    size_t len = be16_get(hdr + 3);
    if (type < TLS_CT_CCS || type > TLS_CT_APPDATA)
        return TLS_ERR_UNEXPECTED_MESSAGE;
    if (len > (c->rd.on ? TLS_MAX_CIPHERTEXT : TLS_MAX_PLAINTEXT))
        return TLS_ERR_RECORD_OVERFLOW;
    if (len > c->rx_cap - TLS_REC_HDR)
        return TLS_ERR_RECORD_OVERFLOW;
    if (len == 0 && !c->rd.on)
        return TLS_ERR_UNEXPECTED_MESSAGE;   /* 5.1, 5.4 */
    return TLS_OK;
}

enum tls_err tls_in_commit(struct tls_conn *c, size_t n)
{
    if (c->err)
        return c->err;
    size_t room;
    if (!tls_in_buf(c, &room) || n > room)
        return tls_fail(c, TLS_ERR_STATE);
    if (c->piped)
        return rx_pipe_in_commit(c, n);
    c->rx_len += n;
    if (c->rx_len < TLS_REC_HDR)
        return TLS_OK;
    if (c->rx_len == TLS_REC_HDR && n) {
        int e = tls_rx_header_check(c, c->rx);
        if (e)
            return tls_fail(c, e);
    }
    if (c->rx_len < rec_total(c))
        return TLS_OK;
    int e = process_record(c);
    c->rx_len = 0;
    return e;
}

size_t tls_feed(struct tls_conn *c, const uint8_t *in, size_t len)
{
    size_t used = 0;
    while (used < len) {
        size_t room;
        uint8_t *p = tls_in_buf(c, &room);
        if (!p || !room)
            break;
        size_t n = len - used < room ? len - used : room;
        memcpy(p, in + used, n);
        used += n;
        if (tls_in_commit(c, n))
            break;
    }
    return used;
}

/* ---- application data --------------------------------------------------- */

const uint8_t *tls_app_peek(struct tls_conn *c, size_t *len)
{
    if (c->piped && !c->app_len)
        rx_pipe_advance(c);
    *len = c->app_len;
    return c->app_len ? c->app_base + c->app_off : NULL;
}

void tls_app_ack(struct tls_conn *c, size_t n)
{
    if (n > c->app_len)
        n = c->app_len;
    c->app_off += n;
    c->app_len -= n;
    if (c->app_len)
        return;
    if (c->piped)
        rx_pipe_release_head(c);
    else
        crypto_zeroize(c->rx, TLS_REC_HDR + c->app_off);
}

size_t tls_app_write(struct tls_conn *c, const uint8_t *data, size_t len)
{
    if (c->err || c->close_sent || (c->state != TLS_ST_CONNECTED && c->state != TLS_ST_CLOSED))
        return 0;
    flush_owed(c);
    if (c->ku_owed)
        return 0;
    /* RFC 9846 5.5: rotate our key well before the AEAD usage limits
       (2^24.5 full records for AES-GCM). */
    if (c->wr.seq >= TLS_REKEY_RECORDS && hs_send_key_update(c, false) != TLS_OK)
        return 0;
    size_t frag = max_fragment(c), taken = 0;
    tx_compact(c);
    while (taken < len) {
        size_t space = c->tx_cap - c->tx_len;
        if (space <= TLS_REC_HDR + 1 + TLS_REC_TAG)
            break;
        size_t n = space - (TLS_REC_HDR + 1 + TLS_REC_TAG);
        if (n > frag)
            n = frag;
        if (n > len - taken)
            n = len - taken;
        uint8_t *rec = c->tx + c->tx_len;
        memcpy(rec + TLS_REC_HDR, data + taken, n);
        size_t rl = rec_seal(&c->wr, TLS_CT_APPDATA, rec, n, 0);
        if (!rl) {
            tls_fail(c, TLS_ERR_CRYPTO);
            return taken;
        }
        c->tx_len += rl;
        taken += n;
    }
    return taken;
}

enum tls_err tls_close(struct tls_conn *c)
{
    if (c->err)
        return c->err;
    if (c->close_sent)
        return TLS_OK;
    if (c->state == TLS_ST_INIT)
        return TLS_ERR_STATE;
    send_alert(c, TLS_ALERT_CLOSE_NOTIFY);
    c->close_sent = 1;
    rec_wipe(&c->wr);
    if (c->state != TLS_ST_CONNECTED && c->state != TLS_ST_CLOSED)
        wipe_secrets(c);
    return TLS_OK;
}

enum tls_err tls_key_update(struct tls_conn *c, bool request)
{
    if (c->err)
        return c->err;
    if (c->state != TLS_ST_CONNECTED || c->close_sent)
        return TLS_ERR_STATE;
    return hs_send_key_update(c, request);
}
