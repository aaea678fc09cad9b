/* tlsget: host CLI over the TLS 1.3 engine (tls/) on a Linux socket.
     tlsget https://host:port/path --ca ca.pem [options]
   Sends an HTTP/1.0 GET, prints the response body on stdout and a summary
   (suite, group, signature scheme, ALPN, tickets, key updates) on stderr.
   Exit status 0 on success, 1 on a TLS/verification error, 2 on usage or
   local errors. The engine, X.509 and crypto code are the project's own,
   the client-certificate signer (--cert/--key, mTLS) included: the key is
   read by tools/tlsget_key.c and signs with crypto/ecdsa_sign.c.
   Options:
     --ca FILE        trust anchors (PEM; repeatable)
     --servername N   SNI / verified host name (default: URL host)
     --connect H:P    connect here instead of the URL's host:port
     --now SECONDS    validation time (default: the current time)
     --suite NAME     offer only this suite (TLS_AES_128_GCM_SHA256, ...)
     --groups LIST    groups offered, in order (comma list of x25519mlkem768,
                      x25519, secp256r1, secp384r1; default all four in
                      this order: shares for X25519MLKEM768 and x25519)
     --alpn P         offer ALPN P instead of http/1.1 (--no-alpn: none)
     --cert F --key F client certificate chain (PEM) and its EC P-256 or
                      P-384 key (PEM or DER; PKCS#8 or SEC 1, unencrypted)
     --keylog FILE    NSS key log
     --repeat N       N full handshakes + GETs (benchmark); prints handshakes/s
     --hs-only        handshake then close_notify, no HTTP request
     --keyupdate      send a KeyUpdate(update_requested) before the request
     --wait-ku N      after the response starts, keep reading until N
                      KeyUpdates were received (with --hold)
     --hold MS        keep the connection open MS milliseconds after the
                      request before reading (lets a test poke the server)
     --hs-buf BYTES   handshake buffer size (default 65536)
     --raw            print everything received (no HTTP header parsing)
     --rsl N          advertise record_size_limit N (RFC 8449; default 16385)
     --resume         with --repeat: offer each connection the ticket the
                      previous one received (PSK resumption, psk_dhe_ke)
     -q               no body on stdout */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "tls/tls.h"
#include "tls/tls_io.h"
#include "tls/tls_x509.h"
#include "tls/x509.h"
#include "tools/tlsget_key.h"

#define MAX_CA 64
#define MAX_CLIENT_CERTS 4

static struct {
    const char *url, *servername, *connect_to, *suite, *groups, *alpn, *cert, *key, *keylog;
    const char *ca_files[8];
    int nca, repeat, hs_only, keyupdate, quiet, no_alpn, wait_ku, raw, resume;
    long hold_ms, hs_buf, rsl;
    int64_t now;
    int has_now;
} opt = { .repeat = 1, .hs_buf = 65536 };

static void die(const char *msg)
{
    fprintf(stderr, "tlsget: %s\n", msg);
    exit(2);
}

/* ---- PEM ------------------------------------------------------------------- */

/* Decodes every "-----BEGIN CERTIFICATE-----" block of a file. */
static size_t pem_certs(const char *path, uint8_t **ders, size_t *lens, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tlsget: cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    static char line[4096];
    size_t n = 0;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    uint32_t acc = 0;
    int bits = 0, in = 0;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "-----BEGIN CERTIFICATE-----", 27)) {
            in = 1;
            len = 0;
            cap = 8192;
            buf = malloc(cap);
            acc = 0;
            bits = 0;
            continue;
        }
        if (!strncmp(line, "-----END CERTIFICATE-----", 25) && in) {
            in = 0;
            if (n < max) {
                ders[n] = buf;
                lens[n++] = len;
            } else {
                free(buf);
            }
            continue;
        }
        if (!in)
            continue;
        for (char *p = line; *p; p++) {
            int v = tlsget_b64val((unsigned char)*p);
            if (v < 0)
                continue;
            acc = acc << 6 | (uint32_t)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                if (len == cap)
                    buf = realloc(buf, cap *= 2);
                buf[len++] = (uint8_t)(acc >> bits);
            }
        }
    }
    fclose(f);
    return n;
}

/* ---- transport --------------------------------------------------------------- */

static long sock_read(void *ctx, uint8_t *buf, size_t len)
{
    int fd = *(int *)ctx;
    for (;;) {
        ssize_t r = recv(fd, buf, len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        return r < 0 ? -1 : (long)r;
    }
}

static long sock_write(void *ctx, const uint8_t *buf, size_t len)
{
    int fd = *(int *)ctx;
    for (;;) {
        ssize_t r = send(fd, buf, len, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        return r <= 0 ? -1 : (long)r;
    }
}

static int tcp_connect(const char *host, const char *port)
{
    struct addrinfo hints = { 0 }, *res, *ai;
    hints.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo(host, port, &hints, &res);
    if (e) {
        fprintf(stderr, "tlsget: resolve %s: %s\n", host, gai_strerror(e));
        exit(2);
    }
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "tlsget: connect %s:%s failed\n", host, port);
        exit(2);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* ---- callbacks ---------------------------------------------------------------- */

static int rng_fn(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    while (len) {
        ssize_t r = getrandom(out, len, 0);
        if (r <= 0)
            return -1;
        out += r;
        len -= (size_t)r;
    }
    return 0;
}

static FILE *keylog_file;

static void keylog_fn(void *ctx, const char *label, const uint8_t cr[32], const uint8_t *secret,
                      size_t len)
{
    (void)ctx;
    if (!keylog_file || !strncmp(label, "X_", 2))
        return;
    fprintf(keylog_file, "%s ", label);
    for (int i = 0; i < 32; i++)
        fprintf(keylog_file, "%02x", cr[i]);
    fputc(' ', keylog_file);
    for (size_t i = 0; i < len; i++)
        fprintf(keylog_file, "%02x", secret[i]);
    fputc('\n', keylog_file);
    fflush(keylog_file);
}

/* ---- main ----------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (die("missing option value"), ""))
        if (!strcmp(a, "--ca")) {
            if (opt.nca == 8)
                die("too many --ca");
            opt.ca_files[opt.nca++] = ARG();
        } else if (!strcmp(a, "--servername")) opt.servername = ARG();
        else if (!strcmp(a, "--connect")) opt.connect_to = ARG();
        else if (!strcmp(a, "--now")) { opt.now = strtoll(ARG(), NULL, 10); opt.has_now = 1; }
        else if (!strcmp(a, "--suite")) opt.suite = ARG();
        else if (!strcmp(a, "--groups")) opt.groups = ARG();
        else if (!strcmp(a, "--alpn")) opt.alpn = ARG();
        else if (!strcmp(a, "--no-alpn")) opt.no_alpn = 1;
        else if (!strcmp(a, "--cert")) opt.cert = ARG();
        else if (!strcmp(a, "--key")) opt.key = ARG();
        else if (!strcmp(a, "--keylog")) opt.keylog = ARG();
        else if (!strcmp(a, "--repeat")) opt.repeat = atoi(ARG());
        else if (!strcmp(a, "--hs-only")) opt.hs_only = 1;
        else if (!strcmp(a, "--keyupdate")) opt.keyupdate = 1;
        else if (!strcmp(a, "--wait-ku")) opt.wait_ku = atoi(ARG());
        else if (!strcmp(a, "--hold")) opt.hold_ms = atol(ARG());
        else if (!strcmp(a, "--hs-buf")) opt.hs_buf = atol(ARG());
        else if (!strcmp(a, "-q")) opt.quiet = 1;
        else if (!strcmp(a, "--raw")) opt.raw = 1;
        else if (!strcmp(a, "--resume")) opt.resume = 1;
        else if (!strcmp(a, "--rsl")) opt.rsl = atol(ARG());
        else if (a[0] == '-') die("unknown option");
        else opt.url = a;
    }
    if (!opt.url || strncmp(opt.url, "https://", 8))
        die("usage: tlsget https://host[:port]/path --ca file.pem [options]");
    if (opt.repeat < 1)
        opt.repeat = 1;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    /* URL: https://host[:port][/path] */
    static char host[256], port[16] = "443", path[1024] = "/";
    const char *h = opt.url + 8, *slash = strchr(h, '/');
    size_t hl = slash ? (size_t)(slash - h) : strlen(h);
    if (hl == 0 || hl >= sizeof host)
        die("bad URL host");
    memcpy(host, h, hl);
    char *colon = strrchr(host, ':');
    if (colon && !strchr(host, ']')) {
        *colon = 0;
        snprintf(port, sizeof port, "%s", colon + 1);
    }
    if (slash)
        snprintf(path, sizeof path, "%s", slash);

    /* trust store */
    static uint8_t *ders[MAX_CA];
    static size_t dlens[MAX_CA];
    static struct x509_anchor anchors[MAX_CA];
    size_t nder = 0;
    for (int i = 0; i < opt.nca; i++)
        nder += pem_certs(opt.ca_files[i], ders + nder, dlens + nder, MAX_CA - nder);
    size_t na = 0;
    for (size_t i = 0; i < nder; i++)
        if (x509_anchor_from_cert(&anchors[na], ders[i], dlens[i]) == X509_OK)
            na++;
    struct x509_trust trust = { anchors, na, NULL, 0 };

    struct tls_config cfg = { 0 };
    struct tls_x509 xv;
    cfg.rng = rng_fn;
    int64_t now = opt.has_now ? opt.now : (int64_t)time(NULL);
    tls_x509_bind(&cfg, &xv, &trust, now);
    uint16_t suite = 0;
    if (opt.suite) {
        static const uint16_t all[] = { TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
                                        TLS_CHACHA20_POLY1305_SHA256 };
        for (size_t i = 0; i < 3; i++)
            if (!strcmp(opt.suite, tls_suite_str(all[i])))
                suite = all[i];
        if (!suite)
            die("unknown suite");
        if (!tls_suite_info_supported(suite)) {
            fprintf(stderr, "tlsget: %s is not supported in this build\n", opt.suite);
            exit(3);
        }
        cfg.suites = &suite;
        cfg.suite_count = 1;
    }
    uint16_t groups[TLS_MAX_GROUPS];
    if (opt.groups) {
        size_t ng = 0;
        for (const char *g = opt.groups; *g;) {
            const char *comma = strchr(g, ',');
            size_t len = comma ? (size_t)(comma - g) : strlen(g);
            uint16_t id = tls_group_from_name(g, len);
            if (!id || ng == TLS_MAX_GROUPS)
                die("unknown group, or more than four");
            groups[ng++] = id;
            g += len + (comma ? 1 : 0);
        }
        cfg.groups = groups;
        cfg.group_count = ng;
    }
    const char *alpn_list[1];
    if (opt.alpn) {
        alpn_list[0] = opt.alpn;
        cfg.alpn = alpn_list;
        cfg.alpn_count = 1;
    }
    cfg.no_alpn = opt.no_alpn;
    if (opt.rsl) {
        if (opt.rsl < 64 || opt.rsl > 16385)
            die("--rsl must be 64..16385");
        cfg.record_size_limit = (uint16_t)opt.rsl;
    }
    static uint8_t *cders[MAX_CLIENT_CERTS];
    static size_t clens[MAX_CLIENT_CERTS];
    static struct tlsget_key ckey;
    if (opt.cert || opt.key) {
        if (!opt.cert || !opt.key)
            die("--cert needs --key");
        size_t nc = pem_certs(opt.cert, cders, clens, MAX_CLIENT_CERTS);
        if (!nc)
            die("no certificate in --cert file");
        int ke = tlsget_key_load(&ckey, opt.key);
        if (!ke)
            ke = tlsget_key_match_cert(&ckey, cders[0], clens[0]);
        if (ke) {
            fprintf(stderr, "tlsget: --key %s: %s\n", opt.key, tlsget_key_err_str(ke));
            exit(2);
        }
        cfg.client_certs = (const uint8_t *const *)cders;
        cfg.client_cert_lens = clens;
        cfg.client_cert_count = nc;
        cfg.client_sig_schemes = &ckey.scheme;      /* P-256 or P-384: one each */
        cfg.client_sig_scheme_count = 1;
        cfg.client_sign = tlsget_key_sign;
        cfg.client_sign_ctx = &ckey;
    }
    if (opt.keylog) {
        keylog_file = fopen(opt.keylog, "a");
        cfg.keylog = keylog_fn;
    }
    const char *sni = opt.servername ? opt.servername : host;
    static char chost[256], cport[16];
    snprintf(chost, sizeof chost, "%s", host);
    snprintf(cport, sizeof cport, "%s", port);
    if (opt.connect_to) {
        snprintf(chost, sizeof chost, "%s", opt.connect_to);
        char *cc = strrchr(chost, ':');
        if (!cc)
            die("--connect needs host:port");
        *cc = 0;
        snprintf(cport, sizeof cport, "%s", cc + 1);
    }

    struct tls_conn *c = malloc(sizeof *c);
    uint8_t *hsbuf = malloc((size_t)opt.hs_buf);
    static uint8_t body[1 << 16];
    int rc = 0;
    double t0 = now_s();
    size_t total_body = 0;
    static struct tls_ticket saved;
    static struct tls_bufs tls_bufs;
    double saved_at = 0;
    int have_saved = 0, resumed_count = 0;
    for (int iter = 0; iter < opt.repeat; iter++) {
        int fd = tcp_connect(chost, cport);
        struct tls_io io;
        tls_client_init(c, &cfg, sni, hsbuf, (size_t)opt.hs_buf);
        tls_client_use_bufs(c, &tls_bufs);
        if (opt.resume && have_saved &&
            tls_client_set_resumption(c, &saved, (uint32_t)((now_s() - saved_at) * 1000)) != TLS_OK)
            die("cannot offer the saved ticket");
        tls_io_init(&io, c, sock_read, sock_write, &fd);
        int e = tls_io_handshake(&io);
        if (e) {
            fprintf(stderr, "tlsget: handshake failed: %s (alert sent: %s, received: %s)\n",
                    tls_error_str(c), tls_alert_str(tls_alert_sent(c)),
                    tls_alert_str(tls_alert_received(c)));
            close(fd);
            rc = 1;
            break;
        }
        resumed_count += tls_resumed(c);
        if (iter == 0 || opt.repeat == 1 || opt.resume)
            fprintf(stderr, "tlsget: connected TLSv1.3 suite=%s group=%s sig=%s alpn=%s resumed=%s\n",
                    tls_suite_str(tls_suite(c)), tls_group_str(tls_group(c)),
                    tls_resumed(c) ? "-" : tls_sig_str(tls_sig_scheme(c)),
                    tls_alpn(c)[0] ? tls_alpn(c) : "-", tls_resumed(c) ? "yes" : "no");
        if (opt.keyupdate && tls_key_update(c, true) != TLS_OK)
            rc = 1;
        if (opt.hs_only) {
            tls_io_close(&io);
            close(fd);
            tls_conn_wipe(c);
            continue;
        }
        char req[1400];
        int rl = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: tlsget\r\n\r\n",
                          path, sni);
        e = tls_io_send(&io, (const uint8_t *)req, (size_t)rl);
        if (e) {
            fprintf(stderr, "tlsget: send failed: %s\n", tls_error_str(c));
            rc = 1;
            close(fd);
            break;
        }
        if (opt.hold_ms)
            usleep((useconds_t)(opt.hold_ms * 1000));
        /* Read to close_notify (or EOF); split headers from body. */
        size_t hdr_done = 0, have = 0;
        int status = 0;
        long r;
        static char head[16384];
        size_t headlen = 0;
        while ((r = tls_io_recv(&io, body, sizeof body)) > 0) {
            if (opt.raw) {
                fwrite(body, 1, (size_t)r, stdout);
                fflush(stdout);
                have += (size_t)r;
                continue;
            }
            if (!hdr_done) {
                size_t take = (size_t)r;
                if (headlen + take > sizeof head - 1)
                    take = sizeof head - 1 - headlen;
                memcpy(head + headlen, body, take);
                headlen += take;
                head[headlen] = 0;
                char *end = strstr(head, "\r\n\r\n");
                if (!end)
                    continue;
                hdr_done = 1;
                sscanf(head, "HTTP/%*s %d", &status);
                size_t hdr_len = (size_t)(end - head) + 4;
                if (!opt.quiet)
                    fwrite(head + hdr_len, 1, headlen - hdr_len, stdout);
                have += headlen - hdr_len;
                if (take < (size_t)r && !opt.quiet)
                    fwrite(body + take, 1, (size_t)r - take, stdout);
                have += (size_t)r - take;
                continue;
            }
            if (!opt.quiet)
                fwrite(body, 1, (size_t)r, stdout);
            have += (size_t)r;
            if (opt.wait_ku && c->key_updates_rcvd >= (uint32_t)opt.wait_ku)
                break;
        }
        fflush(stdout);
        total_body += have;
        if (r < 0) {
            /* EOF without close_notify after a complete HTTP/1.0 body is
               common (-www servers); report it but do not fail on it. */
            if (-r == TLS_ERR_CLOSED && (hdr_done || opt.raw)) {
                fprintf(stderr, "tlsget: note: connection closed without close_notify\n");
            } else {
                fprintf(stderr, "tlsget: receive failed: %s (alert sent: %s, received: %s)\n",
                        tls_error_str(c), tls_alert_str(tls_alert_sent(c)),
                        tls_alert_str(tls_alert_received(c)));
                rc = 1;
            }
        }
        if (iter == 0 || opt.repeat == 1)
            fprintf(stderr, "tlsget: http_status=%d body_bytes=%zu tickets=%u key_updates_received=%u key_updates_sent=%u peer_record_size_limit=%u\n",
                    status, have, c->tickets_seen, c->key_updates_rcvd, c->key_updates_sent,
                    (unsigned)c->peer_rsl);
        tls_io_close(&io);              /* our close_notify (after theirs, if any) */
        close(fd);
        if (tls_ticket(c)) {
            saved = *tls_ticket(c);
            saved_at = now_s();
            have_saved = 1;
        }
        tls_conn_wipe(c);
        if (rc)
            break;
    }
    double dt = now_s() - t0;
    if (opt.resume)
        fprintf(stderr, "tlsget: resumed %d of %d connections\n", resumed_count, opt.repeat);
    if (opt.repeat > 1 && !rc)
        fprintf(stderr, "tlsget: %d handshakes in %.3f s = %.1f handshakes/s (%zu body bytes)\n",
                opt.repeat, dt, opt.repeat / dt, total_body);
    free(c);
    free(hsbuf);
    tlsget_key_wipe(&ckey);
    for (size_t i = 0; i < MAX_CLIENT_CERTS; i++)
        free(cders[i]);
    if (keylog_file)
        fclose(keylog_file);
    for (size_t i = 0; i < nder; i++)
        free(ders[i]);
    return rc;
}
