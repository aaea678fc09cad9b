/* End-to-end on the host over the project's own TLS 1.3 engine: http_client
   and the LLM client logic through tls_io (blocking layer) bound to a Linux
   TCP socket, tls_x509 verifying the demo server (scripts/llm_server.py,
   started here with a PKI from scripts/demo_ca.sh) against a run-time trust
   anchor made from the demo CA. This is the kernel's get=/llm= path minus
   the kernel's TCP. Also: each trust failure stops before any request byte. */
#include "unit.h"
#include "http/http_client.h"
#include "llm/llm.h"
#include "tls/tls.h"
#include "tls/tls_io.h"
#include "tls/tls_x509.h"
#include "tls/x509.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char pki[256];
static uint8_t ca_der[4096];
static size_t ca_der_len;
static struct x509_anchor anchor;
static struct x509_trust trust;

struct server {
    pid_t pid;
    int port;
    char log[300];
};

static bool server_start(struct server *s, const char *leaf)
{
    int p[2];
    if (pipe(p))
        return false;
    snprintf(s->log, sizeof s->log, "%s/%s.log", pki, leaf);
    s->pid = fork();
    if (s->pid == 0) {
        char cert[300], key[300];
        snprintf(cert, sizeof cert, "%s/%s.pem", pki, leaf);
        snprintf(key, sizeof key, "%s/%s.key", pki, leaf);
        dup2(p[1], 1);
        close(p[0]);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        execl("/usr/bin/python3", "python3", "../../scripts/llm_server.py", "0", "--cert", cert,
              "--key", key, "--api-key", "sk-own", "--log", s->log, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    FILE *f = fdopen(p[0], "r");
    char line[64];
    bool ok = f && fgets(line, sizeof line, f) && sscanf(line, "PORT %d", &s->port) == 1;
    if (f)
        fclose(f);
    return ok;
}

static void server_stop(struct server *s)
{
    kill(s->pid, SIGTERM);
    int st;
    waitpid(s->pid, &st, 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(pki, sizeof pki, "/tmp/test_http_tls.%d", (int)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh ../../scripts/demo_ca.sh %s >/dev/null && "
             "openssl x509 -in %s/ca.pem -outform DER -out %s/ca.der", pki, pki, pki);
    if (system(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/ca.der", pki);
    char *der = unit_read_file(cmd, &ca_der_len);
    if (!der || ca_der_len > sizeof ca_der)
        return -1;
    memcpy(ca_der, der, ca_der_len);
    free(der);
    if (x509_anchor_from_cert(&anchor, ca_der, ca_der_len) != X509_OK)
        return -1;
    trust.anchors = &anchor;
    trust.nanchors = 1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", pki);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- a TLS connection over a Linux socket, as app/tls_connect.c does over TCP ---- */
struct conn {
    int fd;
    struct tls_config cfg;
    struct tls_x509 x509;
    struct tls_io io;
    uint8_t hs[16384];
    struct tls_conn tls;
    struct tls_bufs bufs;
};

static int rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

static long sock_read(void *ctx, uint8_t *buf, size_t len)
{
    struct conn *c = ctx;
    ssize_t r = recv(c->fd, buf, len, 0);
    return r < 0 ? -1 : (long)r;
}

static long sock_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct conn *c = ctx;
    ssize_t r = send(c->fd, buf, len, MSG_NOSIGNAL);
    return r <= 0 ? -1 : (long)r;
}

static int conn_open(struct conn *c, int port, const char *host)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    c->cfg.rng = rng;
    tls_x509_bind(&c->cfg, &c->x509, &trust, (int64_t)time(NULL));
    tls_client_init(&c->tls, &c->cfg, host, c->hs, sizeof c->hs);
    tls_client_use_bufs(&c->tls, &c->bufs);
    tls_io_init(&c->io, &c->tls, sock_read, sock_write, c);
    return tls_io_handshake(&c->io);
}

static void conn_close(struct conn *c)
{
    tls_io_close(&c->io);
    close(c->fd);
    tls_conn_wipe(&c->tls);
}

static long s_read(void *ctx, uint8_t *buf, size_t len)
{
    struct conn *c = ctx;
    long r = tls_io_recv(&c->io, buf, len);
    return r == -(long)TLS_ERR_CLOSED ? 0 : r;
}

static long s_write(void *ctx, const uint8_t *buf, size_t len)
{
    struct conn *c = ctx;
    return tls_io_send(&c->io, buf, len) == TLS_OK ? (long)len : -1;
}

static uint8_t file_byte(size_t i) { return (uint8_t)((i * 131) + (i >> 8) + 7); }
static struct { size_t n; bool bad; } BODY;
static bool body_check(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++)
        if (p[i] != file_byte(BODY.n + i))
            BODY.bad = true;
    BODY.n += n;
    return true;
}

static struct http_resp R;
static enum http_client_err get(struct http_client *hc, int port, const char *path, bool ka)
{
    char req[512];
    size_t len;
    struct http_req q = {.method = "GET", .host = "127.0.0.1", .port = (uint16_t)port,
                         .default_port = 443, .path = path, .keep_alive = ka};
    assert_int_equal(http_req_write(&q, req, sizeof req, &len), HTTP_OK);
    memset(&BODY, 0, sizeof BODY);
    http_resp_init(&R, false, NULL, body_check, NULL);
    struct http_sink sink;
    http_sink_for_resp(&sink, &R);
    return http_client_exchange(hc, (const uint8_t *)req, len, &sink);
}

static struct conn C;
static struct http_client HC;
static uint8_t HCBUF[HTTP_CLIENT_BUF];

static void test_downloads_over_own_tls(void **state)
{
    (void)state;
    struct server s;
    assert_true(server_start(&s, "server"));
    assert_int_equal(conn_open(&C, s.port, "127.0.0.1"), TLS_OK);
    assert_int_equal(tls_sig_scheme(&C.tls), TLS_SIG_ECDSA_P256_SHA256);
    struct byte_stream st = {&C, s_read, s_write};
    assert_int_equal(http_client_init(&HC, &st, HCBUF, sizeof HCBUF), HTTPC_OK);
    assert_int_equal(get(&HC, s.port, "/file/100000", true), HTTPC_OK);
    assert_int_equal(BODY.n, 100000);
    assert_false(BODY.bad);
    assert_int_equal(get(&HC, s.port, "/chunked/33333", true), HTTPC_OK);
    assert_int_equal(BODY.n, 33333);
    assert_false(BODY.bad);
    assert_int_equal(get(&HC, s.port, "/close/4444", true), HTTPC_OK);
    assert_int_equal(BODY.n, 4444);
    assert_false(BODY.bad);
    assert_true(tls_peer_closed(&C.tls)); /* the body ended with close_notify */
    assert_int_equal(HC.exchanges, 3);
    conn_close(&C);
    server_stop(&s);
}

static char TEXT[2048];
static size_t TEXT_LEN;
static bool content(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    memcpy(TEXT + TEXT_LEN, p, n);
    TEXT_LEN += n;
    TEXT[TEXT_LEN] = 0;
    return true;
}

static void test_llm_over_own_tls(void **state)
{
    (void)state;
    static struct llm_resp L;
    static struct llm_resp_bufs L_bufs;
    static char req[4096];
    struct server s;
    assert_true(server_start(&s, "server"));
    assert_int_equal(conn_open(&C, s.port, "127.0.0.1"), TLS_OK);
    struct byte_stream st = {&C, s_read, s_write};
    /* mem=small's 1 KiB read buffer: records of up to 16 KiB reach the
       sink in 1 KiB reads */
    assert_int_equal(http_client_init(&HC, &st, HCBUF, 1024), HTTPC_OK);
    const char *models[] = {"demo", "demo-cl"};
    for (int stream = 0; stream < 2; stream++)
        for (int m = 0; m < 2; m++) {
            size_t len;
            struct llm_request q = {.host = "127.0.0.1", .port = (uint16_t)s.port,
                                    .path = "/v1/chat/completions", .model = models[m],
                                    .key = "sk-own", .prompt = "ping", .stream = stream,
                                    .keep_alive = true};
            assert_int_equal(llm_build_request(&llm_openai_chat, &q, req, sizeof req, &len), LLM_OK);
            TEXT_LEN = 0;
            llm_resp_use_bufs(&L, &L_bufs);
            llm_resp_init(&L, &llm_openai_chat, content, NULL);
            struct http_sink sink;
            llm_sink(&sink, &L);
            assert_int_equal(http_client_exchange(&HC, (const uint8_t *)req, len, &sink), HTTPC_OK);
            assert_int_equal(L.err, LLM_OK);
            assert_string_equal(TEXT, "Demo answer to \"ping\":\nThe answer is 42 \xe2\x80\x94 caf\xc3\xa9 "
                                      "\xf0\x9f\x98\x80. Streaming works in several pieces.");
            assert_int_equal(L.streaming, stream);
        }
    conn_close(&C);
    server_stop(&s);
}

static void test_trust_failures_send_nothing(void **state)
{
    (void)state;
    static const struct { const char *leaf; int err; } cases[] = {
        {"untrusted", TLS_ERR_CERT_UNTRUSTED},
        {"wronghost", TLS_ERR_HOSTNAME_MISMATCH},
        {"expired", TLS_ERR_CERT_EXPIRED},
    };
    for (size_t i = 0; i < 3; i++) {
        struct server s;
        assert_true(server_start(&s, cases[i].leaf));
        int e = conn_open(&C, s.port, "127.0.0.1");
        if (e != cases[i].err)
            fail_msg("%s: got %s (%s)", cases[i].leaf, tls_err_str(e), tls_error_str(&C.tls));
        /* the application cannot send after a failed handshake */
        assert_int_not_equal(tls_io_send(&C.io, (const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18), TLS_OK);
        close(C.fd);
        tls_conn_wipe(&C.tls);
        server_stop(&s);
        char *log = unit_read_file(s.log, NULL);
        if (log) {
            assert_null(strstr(log, " req ")); /* no request reached the server */
            free(log);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_downloads_over_own_tls),
        cmocka_unit_test(test_llm_over_own_tls),
        cmocka_unit_test(test_trust_failures_send_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
