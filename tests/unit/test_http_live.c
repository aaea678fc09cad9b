/* End-to-end on the host: the http/ client code against the demo server
   (scripts/llm_server.py, started here on 127.0.0.1 with a PKI from
   scripts/demo_ca.sh), TLS 1.3 by OpenSSL standing in for the kernel's
   engine. Checks downloads (Content-Length, chunked, close-delimited) byte
   for byte, keep-alive reuse, and every LLM mode and error path, so the
   server and the client are known to agree before QEMU runs them. */
#include "unit.h"
#include "http/http_client.h"
#include "llm/llm.h"
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t server_pid = -1;
static int server_port;
static char pki[256];
static SSL_CTX *ssl_ctx;

struct conn {
    int fd;
    SSL *ssl;
};

static long c_read(void *p, uint8_t *buf, size_t len)
{
    struct conn *c = p;
    int r = SSL_read(c->ssl, buf, (int)(len > 65536 ? 65536 : len));
    if (r > 0)
        return r;
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL)
        return 0; /* close_notify or TCP end */
    return -1;
}

static long c_write(void *p, const uint8_t *buf, size_t len)
{
    struct conn *c = p;
    int r = SSL_write(c->ssl, buf, (int)len);
    return r > 0 ? r : -1;
}

static void conn_open(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port)};
    a.sin_addr.s_addr = htonl(0x7f000001);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&a, sizeof a), 0);
    c->ssl = SSL_new(ssl_ctx);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), "127.0.0.1");
    SSL_set_fd(c->ssl, c->fd);
    assert_int_equal(SSL_connect(c->ssl), 1);
    assert_int_equal(SSL_version(c->ssl), TLS1_3_VERSION);
}

static void conn_close(struct conn *c)
{
    SSL_shutdown(c->ssl);
    SSL_free(c->ssl);
    close(c->fd);
}

static int start_server(void **state)
{
    (void)state;
    snprintf(pki, sizeof pki, "/tmp/test_http_live.%d", (int)getpid());
    char cmd[600];
    snprintf(cmd, sizeof cmd, "sh ../../scripts/demo_ca.sh %s >/dev/null", pki);
    if (system(cmd) != 0)
        return -1;
    int p[2];
    if (pipe(p))
        return -1;
    server_pid = fork();
    if (server_pid == 0) {
        char cert[300], key[300];
        snprintf(cert, sizeof cert, "%s/server.pem", pki);
        snprintf(key, sizeof key, "%s/server.key", pki);
        dup2(p[1], 1);
        close(p[0]);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        execl("/usr/bin/python3", "python3", "../../scripts/llm_server.py", "0", "--cert", cert,
              "--key", key, "--api-key", "sk-live", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    FILE *f = fdopen(p[0], "r");
    char line[64];
    if (!f || !fgets(line, sizeof line, f) || sscanf(line, "PORT %d", &server_port) != 1)
        return -1;
    ssl_ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ssl_ctx, TLS1_3_VERSION);
    snprintf(cmd, sizeof cmd, "%s/ca.pem", pki);
    if (SSL_CTX_load_verify_locations(ssl_ctx, cmd, NULL) != 1)
        return -1;
    SSL_CTX_set_verify(ssl_ctx, SSL_VERIFY_PEER, NULL);
    return 0;
}

static int stop_server(void **state)
{
    (void)state;
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        int st;
        waitpid(server_pid, &st, 0);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* clean SIGTERM stop */
    }
    SSL_CTX_free(ssl_ctx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", pki);
    return system(cmd) == 0 ? 0 : -1;
}

/* scripts/llm_server.py file_bytes(): ((i * 131) + (i >> 8) + 7) & 0xFF */
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

static uint8_t HCBUF[HTTP_CLIENT_BUF];   /* the client's read buffer */

static enum http_client_err get(struct http_client *hc, const char *path, bool keep_alive)
{
    char req[512];
    size_t len;
    struct http_req q = {.method = "GET", .host = "127.0.0.1", .port = (uint16_t)server_port,
                         .default_port = 443, .path = path, .keep_alive = keep_alive};
    assert_int_equal(http_req_write(&q, req, sizeof req, &len), HTTP_OK);
    memset(&BODY, 0, sizeof BODY);
    http_resp_init(&R, false, NULL, body_check, NULL);
    struct http_sink sink;
    http_sink_for_resp(&sink, &R);
    return http_client_exchange(hc, (const uint8_t *)req, len, &sink);
}

static void test_downloads(void **state)
{
    (void)state;
    static struct http_client hc;
    struct conn c;
    conn_open(&c);
    struct byte_stream s = {&c, c_read, c_write};
    assert_int_equal(http_client_init(&hc, &s, HCBUF, sizeof HCBUF), HTTPC_OK);
    assert_int_equal(get(&hc, "/file/200000", true), HTTPC_OK);
    assert_int_equal(R.status, 200);
    assert_true(R.has_content_length);
    assert_int_equal(BODY.n, 200000);
    assert_false(BODY.bad);
    assert_int_equal(get(&hc, "/chunked/70001", true), HTTPC_OK);
    assert_true(R.chunked);
    assert_int_equal(BODY.n, 70001);
    assert_false(BODY.bad);
    assert_int_equal(get(&hc, "/file/0", true), HTTPC_OK);
    assert_int_equal(BODY.n, 0);
    assert_int_equal(get(&hc, "/file/1", false), HTTPC_OK);
    assert_int_equal(BODY.n, 1);
    assert_false(R.keep_alive);
    assert_int_equal(hc.exchanges, 4); /* four requests, one connection */
    conn_close(&c);

    conn_open(&c);
    assert_int_equal(http_client_init(&hc, &s, HCBUF, sizeof HCBUF), HTTPC_OK);
    assert_int_equal(get(&hc, "/close/5000", true), HTTPC_OK);
    assert_false(R.has_content_length);
    assert_false(R.chunked);
    assert_int_equal(BODY.n, 5000);
    assert_false(BODY.bad);
    assert_int_equal(get(&hc, "/file/1", true), HTTPC_ERR_NOT_REUSABLE);
    conn_close(&c);
}

static struct llm_resp L;

static struct llm_resp_bufs L_bufs;
static char TEXT[4096];
static size_t TEXT_LEN;

static bool content(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    assert_true(TEXT_LEN + n < sizeof TEXT);
    memcpy(TEXT + TEXT_LEN, p, n);
    TEXT_LEN += n;
    TEXT[TEXT_LEN] = 0;
    return true;
}

static enum http_client_err chat(struct http_client *hc, const char *model, const char *key,
                                 const char *prompt, bool stream)
{
    static char req[8192];
    size_t len;
    struct llm_request q = {.host = "127.0.0.1", .port = (uint16_t)server_port,
                            .path = "/v1/chat/completions", .model = model, .key = key,
                            .prompt = prompt, .stream = stream, .keep_alive = true};
    assert_int_equal(llm_build_request(&llm_openai_chat, &q, req, sizeof req, &len), LLM_OK);
    TEXT_LEN = 0;
    TEXT[0] = 0;
    llm_resp_use_bufs(&L, &L_bufs);
    llm_resp_init(&L, &llm_openai_chat, content, NULL);
    struct http_sink sink;
    llm_sink(&sink, &L);
    return http_client_exchange(hc, (const uint8_t *)req, len, &sink);
}

/* scripts/llm_server.py answer_for() */
static void expected_answer(const char *prompt, char *out, size_t cap)
{
    snprintf(out, cap, "Demo answer to \"%s\":\nThe answer is 42 \xe2\x80\x94 caf\xc3\xa9 "
             "\xf0\x9f\x98\x80. Streaming works in several pieces.", prompt);
}

static void test_llm_modes(void **state)
{
    (void)state;
    static struct http_client hc;
    struct conn c;
    conn_open(&c);
    struct byte_stream s = {&c, c_read, c_write};
    assert_int_equal(http_client_init(&hc, &s, HCBUF, sizeof HCBUF), HTTPC_OK);
    char want[512];
    const char *prompt = "Why is the sky \"blue\"?\n\tTell me \xc3\xa9\\";
    expected_answer(prompt, want, sizeof want);
    static const struct { const char *model; bool stream; bool streaming; } ok[] = {
        {"demo", true, true}, {"demo-cl", true, true}, {"demo", false, false},
        {"demo-chunked", false, false},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(chat(&hc, ok[i].model, "sk-live", prompt, ok[i].stream), HTTPC_OK);
        assert_int_equal(L.err, LLM_OK);
        assert_string_equal(TEXT, want);
        assert_int_equal(L.streaming, ok[i].streaming);
        if (ok[i].streaming) {
            assert_true(L.pieces > 5); /* really split into deltas */
            assert_true(L.done_marker);
        }
        assert_string_equal(L.finish_reason, "stop");
        assert_true(llm_resp_keep_alive(&L));
    }
    assert_int_equal(hc.exchanges, 4);
    /* API errors keep the connection usable (Content-Length bodies) */
    char m[300];
    assert_int_equal(chat(&hc, "demo", "sk-wrong", "x", true), HTTPC_ERR_RESPONSE);
    llm_resp_describe(&L, m, sizeof m);
    assert_string_equal(m, "llm: error status=401 message=Incorrect API key provided.");
    conn_close(&c);

    static const struct { const char *model; const char *msg; } errs[] = {
        {"fail-500", "llm: error status=500 message=The server had an error while processing your request."},
        {"fail-429", "llm: error status=429 message=Rate limit reached for requests."},
        {"fail-500-text", "llm: error status=500 message=upstream exploded\\x0a"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        conn_open(&c);
        assert_int_equal(http_client_init(&hc, &s, HCBUF, sizeof HCBUF), HTTPC_OK);
        assert_int_equal(chat(&hc, errs[i].model, "sk-live", "x", true), HTTPC_ERR_RESPONSE);
        assert_int_equal(L.err, LLM_ERR_API);
        llm_resp_describe(&L, m, sizeof m);
        assert_string_equal(m, errs[i].msg);   /* control bytes shown escaped */
        assert_int_equal(TEXT_LEN, 0);
        conn_close(&c);
    }
    /* close-delimited stream */
    conn_open(&c);
    assert_int_equal(http_client_init(&hc, &s, HCBUF, sizeof HCBUF), HTTPC_OK);
    assert_int_equal(chat(&hc, "demo-close", "sk-live", "bye", true), HTTPC_OK);
    expected_answer("bye", want, sizeof want);
    assert_string_equal(TEXT, want);
    assert_false(llm_resp_keep_alive(&L));
    conn_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_downloads),
        cmocka_unit_test(test_llm_modes),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
