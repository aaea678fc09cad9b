/* The kernel's get= and llm= jobs (app/ sources) run on the host: the kernel
   services they call (console, command line, heap, time, randomness) are
   test doubles here, and the TCP side (app/app_tcp.h) is a Linux-socket
   double. Everything above TCP is the real kernel code: app_tls over the
   project's TLS engine and X.509 verifier, http_client, the LLM client and
   the job logic with its output lines, against scripts/llm_server.py
   (started here, with a PKI from scripts/demo_ca.sh trusted as the
   "built-in" anchors). */
#define _GNU_SOURCE /* memmem */
#include "unit.h"
#include "app/jobs.h"
#include "app/options.h"
#include "app/app_tcp.h"
#include "crypto/sha2.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/heap.h"
#include "kernel/random.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include "net/dns.h"
#include "net/net_kernel.h"
#include "tls/anchors.h"
#include "tls/x509.h"
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <poll.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- kernel service doubles ---- */
static char OUT[1 << 20];
static size_t OUT_LEN;
static void out_add(const char *s, size_t n)
{
    if (n > sizeof OUT - 1 - OUT_LEN)
        n = sizeof OUT - 1 - OUT_LEN;
    memcpy(OUT + OUT_LEN, s, n);
    OUT_LEN += n;
    OUT[OUT_LEN] = 0;
}
void console_write(const char *s, size_t n) { out_add(s, n); }
void console_putc(char c) { out_add(&c, 1); }
int kprintf(const char *fmt, ...)
{
    char b[4096];
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    out_add(b, n < sizeof b ? n : sizeof b - 1);
    return (int)n;
}
static const char *INPUT;   /* serial console input */
int console_getc_nonblock(void) { return INPUT && *INPUT ? (unsigned char)*INPUT++ : -1; }

static struct cmdline CMD;
static struct app_options OPTS;

static size_t HEAP_IN_USE;
void *kmalloc(size_t n)
{
    size_t *p = malloc(n + 16);
    if (!p)
        return NULL;
    p[0] = n;
    HEAP_IN_USE += n;
    return (char *)p + 16;
}
void *kcalloc(size_t c, size_t s)
{
    void *p = kmalloc(c * s);
    if (p)
        memset(p, 0, c * s);
    return p;
}
void kfree(void *p)
{
    if (!p)
        return;
    size_t *h = (size_t *)((char *)p - 16);
    HEAP_IN_USE -= h[0];
    free(h);
}
size_t heap_bytes_in_use(void) { return HEAP_IN_USE; }

uint64_t time_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
void sleep_ms(uint64_t ms) { usleep((useconds_t)(ms * 1000)); }
int64_t time_unix(void) { return (int64_t)time(NULL); }
void time_format_iso(int64_t unix_secs, char *buf, unsigned n)
{
    time_t t = (time_t)unix_secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
/* The tools' resolver (app/tool_dns.c): dotted quads as they are, any
   name is NXDOMAIN (no DNS on the host double). */
enum net_err dns_resolve_all(const char *name, struct dns_answer *ans, uint32_t timeout_ms)
{
    (void)timeout_ms;
    memset(ans, 0, sizeof *ans);
    if (ip_addr_parse(name, strlen(name), &ans->addr[0]) != IP_ADDR_OK)
        return NET_ERR_DNS_NXDOMAIN;
    ans->naddr = 1;
    snprintf(ans->canonical, sizeof ans->canonical, "%s", name);
    return NET_OK;
}
static bool RANDOM_READY = true;
bool random_ready(void) { return RANDOM_READY; }
enum random_err random_bytes(void *out, size_t len)
{
    return getrandom(out, len, 0) == (ssize_t)len ? RANDOM_OK : RANDOM_ERR_SOURCE_FAILED;
}
uint32_t random_u32(void)
{
    uint32_t v = 0;
    assert_int_equal(random_bytes(&v, sizeof v), RANDOM_OK);
    return v;
}

/* A second CPU: with SMP_CPUS = 2 app/ reads TLS records ahead and has
   them opened by smp_run, here each job on a thread of its own. */
static int SMP_CPUS = 1;
static unsigned SMP_JOBS;
int smp_cpus(void) { return SMP_CPUS; }
struct smp_job { void (*fn)(void *); void *arg; };
static void *smp_thread(void *p)
{
    struct smp_job j = *(struct smp_job *)p;
    free(p);
    j.fn(j.arg);
    return NULL;
}
bool smp_run(void (*fn)(void *arg), void *arg)
{
    struct smp_job *j = malloc(sizeof *j);
    pthread_t t;
    if (!j)
        return false;
    *j = (struct smp_job){ fn, arg };
    if (pthread_create(&t, NULL, smp_thread, j)) {
        free(j);
        return false;
    }
    pthread_detach(t);
    __atomic_fetch_add(&SMP_JOBS, 1, __ATOMIC_RELAXED);
    return true;
}
/* Every job starts at once here, which the batched contract allows. */
bool smp_run_batched(void (*fn)(void *arg), void *arg) { return smp_run(fn, arg); }
void smp_kick(void) {}

/* ---- the "built-in" trust store: the demo CA ---- */
static uint8_t CA_DER[4096];
static struct x509_anchor ANCHOR;
const struct x509_trust x509_builtin_trust = {&ANCHOR, 1, NULL, 0};

/* ---- TCP double over Linux sockets (127.0.0.1 only) ---- */
bool app_net_up(enum app_err *err)
{
    (void)err;
    return true;
}

void app_net_report(void) { out_add("net: report\n", 12); }

bool app_tcp_connect(struct app_tcp *t, const char *host, uint16_t port, uint32_t timeout_ms)
{
    return app_tcp_connect_checked(t, host, port, timeout_ms, NULL);
}

bool app_tcp_connect_checked(struct app_tcp *t, const char *host, uint16_t port,
                             uint32_t timeout_ms, const struct app_addr_check *check)
{
    t->sock = -1;
    t->err = APP_OK;
    t->timeout_ms = timeout_ms;
    memset(&t->peer, 0, sizeof t->peer);
    struct ip_addr ip;
    enum ip_addr_err ae = ip_addr_parse(host, strlen(host), &ip);
    if (ae == IP_ADDR_ERR_FAMILY) {               /* as app/app_tcp.c: no IPv6 yet */
        t->err = app_err_from_net(NET_ERR_FAMILY);
        fmt_snprintf(t->detail, sizeof t->detail, "%s: unsupported_family", host);
        return false;
    }
    if (ae != IP_ADDR_OK) {
        t->err = app_err_from_net(NET_ERR_DNS_NXDOMAIN);
        fmt_snprintf(t->detail, sizeof t->detail, "%s: no DNS in the host double", host);
        return false;
    }
    if (check && !check->ok(check->ctx, &ip, t->detail, sizeof t->detail)) {
        t->err = APP_ERR_ADDR_REFUSED;     /* as app/app_tcp.c */
        return false;
    }
    t->peer = ip;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(ip_addr_v4_value(&ip));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        t->err = errno == ECONNREFUSED ? APP_ERR_TCP_REFUSED : APP_ERR_TIMEOUT;
        fmt_snprintf(t->detail, sizeof t->detail, "%s:%u", host, (unsigned)port);
        close(fd);
        return false;
    }
    t->sock = fd;
    return true;
}
long app_tcp_read(struct app_tcp *t, uint8_t *buf, size_t len)
{
    ssize_t r = recv(t->sock, buf, len, 0);
    if (r < 0)
        t->err = APP_ERR_TCP_RESET;
    return (long)r;
}
long app_tcp_read_now(struct app_tcp *t, uint8_t *buf, size_t len)
{
    ssize_t r = recv(t->sock, buf, len, MSG_DONTWAIT);
    return r > 0 ? (long)r : 0;
}
void app_net_poll(void) {}
long app_tcp_write(struct app_tcp *t, const uint8_t *buf, size_t len)
{
    ssize_t r = send(t->sock, buf, len, MSG_NOSIGNAL);
    if (r <= 0)
        t->err = APP_ERR_TCP_RESET;
    return r <= 0 ? -1 : (long)r;
}
void app_tcp_close(struct app_tcp *t)
{
    if (t->sock >= 0)
        close(t->sock);
    t->sock = -1;
}

/* ---- the demo server ---- */
static char pki[256];
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
              "--key", key, "--api-key", "sk-app", "--log", s->log, (char *)NULL);
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

static struct server SRV;

static int setup(void **state)
{
    (void)state;
    snprintf(pki, sizeof pki, "/tmp/test_http_app.%d", (int)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh ../../scripts/demo_ca.sh %s >/dev/null && "
             "openssl x509 -in %s/ca.pem -outform DER -out %s/ca.der", pki, pki, pki);
    if (system(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "%s/ca.der", pki);
    size_t n;
    char *der = unit_read_file(cmd, &n);
    if (!der || n > sizeof CA_DER)
        return -1;
    memcpy(CA_DER, der, n);
    free(der);
    if (x509_anchor_from_cert(&ANCHOR, CA_DER, n) != X509_OK)
        return -1;
    return server_start(&SRV, "server") ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    server_stop(&SRV);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", pki);
    return system(cmd) == 0 ? 0 : -1;
}

/* Runs the kernel hook with this command line; returns its status. */
static int run(const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    assert_int_equal(cmdline_parse(&CMD, line), CMDLINE_OK);
    OUT_LEN = 0;
    OUT[0] = 0;
    /* kmain's parse, then app/jobs.c's order for the two jobs of app/ that
       run here (the others need the kernel) */
    if (app_options_parse(&OPTS, &CMD))
        return 1;
    bool get = app_options_given(&OPTS, "get"), llm = app_options_given(&OPTS, "llm");
    if (!get && !llm)
        return -1;
    int rc = 0;
    if (get)
        rc |= app_get_run(&OPTS);
    if (llm)
        rc |= app_llm_run(&OPTS);
    app_net_report();
    return rc;
}

/* Occurrences in the captured console (which may hold binary bodies). */
static int count(const char *needle)
{
    int n = 0;
    size_t nl = strlen(needle);
    for (const char *p = OUT; (p = memmem(p, OUT_LEN - (size_t)(p - OUT), needle, nl)); p++)
        n++;
    return n;
}

static void file_sha(size_t n, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)((i * 131) + (i >> 8) + 7);
        sha256_update(&c, &b, 1);
    }
    uint8_t d[32];
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++)
        sprintf(hex + 2 * i, "%02x", d[i]);
}

/* get= of /file/SIZE with extra arguments on cpus CPUs: the job succeeds and
   prints n summaries carrying the file's hash. */
static void get_file(size_t size, const char *extra, int cpus, int n)
{
    char sha[65], want[200];
    file_sha(size, sha);
    SMP_CPUS = cpus;
    int r = run("get=https://127.0.0.1:%d/file/%zu %s", SRV.port, size, extra);
    SMP_CPUS = 1;
    assert_int_equal(r, 0);
    snprintf(want, sizeof want, "https: status=200 bytes=%zu sha256=%s suite=TLS_", size, sha);
    assert_int_equal(count(want), n);
}

static void test_no_job(void **state)
{
    (void)state;
    assert_int_equal(run("exit=1"), -1);
}

static void test_get_keep_alive_summary(void **state)
{
    (void)state;
    get_file(3000, "repeat=2", 1, 2);
    assert_int_equal(count(" group=x25519 sig=ecdsa_secp256r1_sha256 handshake_ms="), 2);
    assert_int_equal(count("request=2 reused=1"), 1);
    /* both on one connection, in the server's log */
    char *log = unit_read_file(SRV.log, NULL);
    assert_non_null(log);
    char *r2 = strstr(log, " req 2 GET /file/3000 200");
    assert_non_null(r2);
    free(log);
}

static void test_get_two_cpus(void **state)
{
    (void)state;
    SMP_JOBS = 0;
    get_file(600000, "repeat=2", 2, 2);
    /* both responses came through the pipeline (one line each, counts so far) */
    assert_int_equal(count("tls: rx_pipeline records_offloaded="), 2);
    unsigned offloaded = 0, in_line = 0;
    const char *l = strstr(OUT, "tls: rx_pipeline");
    l = strstr(l + 1, "tls: rx_pipeline");
    assert_int_equal(sscanf(l, "tls: rx_pipeline records_offloaded=%u records_inline=%u",
                            &offloaded, &in_line), 2);
    assert_true(offloaded + in_line >= 2 * 600000 / 16384);
    assert_true(offloaded > 0 && offloaded <= SMP_JOBS);
    /* tls_pipeline=0: records opened in line, no pipeline line */
    get_file(600000, "tls_pipeline=0", 2, 1);
    assert_int_equal(count("tls: rx_pipeline"), 0);
}

static void test_get_chunked_close_and_print(void **state)
{
    (void)state;
    char sha[65], want[200];
    file_sha(40000, sha);
    assert_int_equal(run("get=https://127.0.0.1:%d/chunked/40000", SRV.port), 0);
    snprintf(want, sizeof want, "https: status=200 bytes=40000 sha256=%s ", sha);
    assert_int_equal(count(want), 1);
    assert_int_equal(count("https: body not printed (40000 bytes > 4096"), 1);
    file_sha(5000, sha);
    assert_int_equal(run("get=https://127.0.0.1:%d/close/5000 print=1", SRV.port), 0);
    snprintf(want, sizeof want, "https: status=200 bytes=5000 sha256=%s ", sha);
    assert_int_equal(count(want), 1);
    assert_int_equal(count("body not printed"), 0);
    assert_true(OUT_LEN > 5000); /* print=1 streamed the body */
}

/* A close-delimited body whose connection ends in a bare TCP FIN (no TLS
   close_notify, after the last whole record) is not a response: the job
   fails with error=truncated and prints no summary; the same body with
   close_notify (/close/) is fine (above). */
static void test_get_cut_without_close_notify(void **state)
{
    (void)state;
    assert_int_equal(run("get=https://127.0.0.1:%d/cut/5000", SRV.port), 1);
    if (count("https: error=truncated detail=no_close_notify request=1\n") != 1)
        fail_msg("%s", OUT);
    assert_int_equal(count("https: status="), 0);
    assert_int_equal(run("get=https://127.0.0.1:%d/cut/70000 print=1", SRV.port), 1);
    assert_int_equal(count("https: error=truncated "), 1);
    assert_int_equal(count("https: status="), 0);
}

static void test_get_errors(void **state)
{
    (void)state;
    static const struct { const char *leaf, *line; } cases[] = {
        {"untrusted", "https: error=cert_untrusted detail="},
        {"wronghost", "https: error=hostname_mismatch detail="},
        {"expired", "https: error=cert_expired detail="},
    };
    for (size_t i = 0; i < 3; i++) {
        struct server s;
        assert_true(server_start(&s, cases[i].leaf));
        assert_int_equal(run("get=https://127.0.0.1:%d/file/10", s.port), 1);
        server_stop(&s);
        if (count(cases[i].line) != 1)
            fail_msg("%s: %s", cases[i].leaf, OUT);
        char *log = unit_read_file(s.log, NULL);
        if (log) {
            assert_null(strstr(log, " req "));
            free(log);
        }
    }
    /* a port nobody listens on: bind one, close it, use it */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(0x7f000001);
    socklen_t al = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd);
    assert_int_equal(run("get=https://127.0.0.1:%d/", ntohs(a.sin_port)), 1);
    assert_int_equal(count("https: error=tcp_refused detail="), 1);
    assert_int_equal(run("get=https://127.0.0.1:99999/"), 1);
    assert_int_equal(count("https: error=url_bad_port"), 1);
    assert_int_equal(run("get=http://127.0.0.1/"), 1);
    assert_int_equal(count("https: error=url_bad_scheme"), 1);
    assert_int_equal(run("get=https://127.0.0.1:%d/nope", SRV.port), 0);
    assert_int_equal(count("https: status=404 "), 1);
    RANDOM_READY = false;
    assert_int_equal(run("get=https://127.0.0.1:%d/", SRV.port), 1);
    RANDOM_READY = true;
    assert_int_equal(count("https: error=no_entropy"), 1);
}

static void test_get_heap_returns(void **state)
{
    (void)state;
    size_t before = HEAP_IN_USE;
    assert_int_equal(run("get=https://127.0.0.1:%d/file/1500 loops=4 repeat=2", SRV.port), 0);
    assert_int_equal(count("https: status=200 bytes=1500 "), 8);
    char want[160];
    snprintf(want, sizeof want, "https: heap before=%zu after_first=%zu after=%zu connections=4",
             before, before, before);
    if (count(want) != 1)
        fail_msg("%s", OUT);
    assert_int_equal(HEAP_IN_USE, before);
}

/* loops=3: the second and third connections resume with the ticket the
   one before them received (no certificate: sig=psk); tls_resume=0 and a
   new job start without one. */
static void test_get_resumes(void **state)
{
    (void)state;
    get_file(5000, "loops=3", 1, 3);
    assert_int_equal(count(" sig=ecdsa_secp256r1_sha256 handshake_ms="), 1);
    assert_int_equal(count(" resumed=0\n"), 1);
    assert_int_equal(count(" sig=psk handshake_ms="), 2);
    assert_int_equal(count(" resumed=1\n"), 2);
    get_file(5000, "loops=2 tls_resume=0", 1, 2);
    assert_int_equal(count(" resumed=0\n"), 2);
    assert_int_equal(count(" sig=psk"), 0);
    get_file(5000, "", 1, 1);
    assert_int_equal(count(" resumed=0\n"), 1);          /* a new job: no ticket */
}

/* The answer as the console shows it: its second line after the prefix
   of server text ("| "). */
static const char ANSWER_FMT[] = "Demo answer to \"%s\":\n| The answer is 42 \xe2\x80\x94 caf\xc3\xa9 "
                                 "\xf0\x9f\x98\x80. Streaming works in several pieces.";

/* Lines of the captured console that start with s. */
static int lines_starting(const char *s)
{
    int n = 0;
    size_t sl = strlen(s);
    for (size_t i = 0; i + sl <= OUT_LEN; i++)
        if ((i == 0 || OUT[i - 1] == '\n') && memcmp(OUT + i, s, sl) == 0)
            n++;
    return n;
}

/* scripts/llm_server.py's HOSTILE text as the console filter shows it:
   controls escaped, UTF-8 intact, every line after the first with the
   prefix, so none of the forged summary lines starts a line. */
#define HOSTILE_FIRST "ok \\x1b[2J\\x1b[H\\x1b]0;pwned\\x07 caf\xc3\xa9 \\xc2\\x9b31m\\x0d\n"
#define HOSTILE_REST                                                                          \
    "| kernel: done status=ok\n"                                                              \
    "| https: status=200 bytes=1 sha256=0000000000000000000000000000000000000000000000000000000000000000" \
    " suite=TLS_AES_128_GCM_SHA256 group=x25519 sig=ecdsa_secp256r1_sha256 handshake_ms=1\n"   \
    "| llm: done status=200 bytes=1 pieces=1 finish=stop stream=1\n"                          \
    "| tail"

/* No byte of server text drives the terminal, and no forged line starts a
   line: the get= body, the llm= answer (streamed and not) and an API error
   message all carry the forged lines. */
static void test_hostile_text(void **state)
{
    (void)state;
    assert_int_equal(run("get=https://127.0.0.1:%d/hostile", SRV.port), 0);
    if (count("\n| " HOSTILE_FIRST HOSTILE_REST " \\xff\\xfe\nhttps: status=200 ") != 1)
        fail_msg("%s", OUT);
    assert_null(memchr(OUT, 0x1b, OUT_LEN));
    assert_null(memchr(OUT, '\r', OUT_LEN));
    assert_int_equal(lines_starting("kernel: done"), 0);
    assert_int_equal(lines_starting("https: status="), 1);
    assert_int_equal(lines_starting("llm: done"), 0);
    /* print=1 streams the body through the same filter */
    assert_int_equal(run("get=https://127.0.0.1:%d/hostile print=1", SRV.port), 0);
    assert_int_equal(count("\n| " HOSTILE_FIRST HOSTILE_REST " \\xff\\xfe\nhttps: status=200 "), 1);
    assert_int_equal(lines_starting("https: status="), 1);

    char u[128];
    snprintf(u, sizeof u, "https://127.0.0.1:%d/v1/chat/completions", SRV.port);
    for (int stream = 0; stream < 2; stream++) {
        assert_int_equal(run("llm=%s model=hostile key=sk-app prompt=x stream=%d", u, stream), 0);
        if (count("llm: answer: " HOSTILE_FIRST HOSTILE_REST "\nllm: done status=200 provider=openai model=hostile bytes=") != 1)
            fail_msg("%s", OUT);
        assert_null(memchr(OUT, 0x1b, OUT_LEN));
        assert_int_equal(lines_starting("kernel: done"), 0);
        assert_int_equal(lines_starting("https: status="), 0);
        assert_int_equal(lines_starting("llm: done"), 1);
    }
    /* an API error message stays on its line, controls and newlines escaped */
    assert_int_equal(run("llm=%s model=fail-hostile key=sk-app prompt=x", u), 1);
    if (count("\nllm: error status=400 message=ok \\x1b[2J\\x1b[H\\x1b]0;pwned\\x07 caf\xc3\xa9 "
              "\\xc2\\x9b31m\\x0d\\x0akernel: done status=ok\\x0ahttps: status=200 ") != 1)
        fail_msg("%s", OUT);
    assert_null(memchr(OUT, 0x1b, OUT_LEN));
    assert_int_equal(lines_starting("kernel: done"), 0);
    assert_int_equal(lines_starting("https: status="), 0);
}

static void test_llm_jobs(void **state)
{
    (void)state;
    char want[400];
    const char *url = "https://127.0.0.1:%d/v1/chat/completions";
    char u[128];
    snprintf(u, sizeof u, url, SRV.port);
    /* streamed, quoted prompt */
    assert_int_equal(run("llm=%s model=demo key=sk-app \"prompt=Why is the sky blue?\"", u), 0);
    snprintf(want, sizeof want, ANSWER_FMT, "Why is the sky blue?");
    if (count(want) != 1)
        fail_msg("%s", OUT);
    assert_int_equal(count("llm: done status=200 provider=openai model=demo bytes=106 pieces=15 "
                           "finish=stop stream=1 in_tokens=30 out_tokens=15 ttft_ms="), 1);
    assert_int_equal(count(" turn=1 tool_calls=0\n"), 1);
    /* not streamed, %-encoded prompt */
    assert_int_equal(run("llm=%s model=demo key=sk-app prompt=Hi%%2C%%20there stream=0", u), 0);
    snprintf(want, sizeof want, ANSWER_FMT, "Hi, there");
    assert_int_equal(count(want), 1);
    assert_int_equal(count("pieces=1 finish=stop stream=0"), 1);
    /* API errors */
    assert_int_equal(run("llm=%s model=demo key=bad prompt=x", u), 1);
    assert_int_equal(count("llm: error status=401 message=Incorrect API key provided.\n"), 1);
    assert_int_equal(run("llm=%s model=fail-500 key=sk-app prompt=x retries=2", u), 1);
    assert_int_equal(count("llm: error status=500 message=The server had an error"), 1);
    assert_int_equal(count("llm: retry attempt=2 wait_ms="), 1);
    assert_int_equal(count(" reason=status_500\n"), 1);
    assert_int_equal(count("llm: retry attempt=3"), 0);
    assert_int_equal(run("llm=%s model=fail-429 key=sk-app prompt=x", u), 1);
    assert_int_equal(count("llm: error status=429 message=Rate limit reached"), 1);
    /* the whole answer, close-delimited, then a TCP FIN without
       close_notify: truncated; not streamed, the answer is not shown */
    assert_int_equal(run("llm=%s model=demo-cut key=sk-app prompt=cut stream=0", u), 1);
    assert_int_equal(count("llm: error=truncated detail=no_close_notify\n"), 1);
    assert_int_equal(count("Demo answer"), 0);
    assert_int_equal(count("llm: done"), 0);
    assert_int_equal(run("llm=%s model=demo-cut key=sk-app prompt=cut", u), 1);
    assert_int_equal(count("llm: error=truncated detail=no_close_notify\n"), 1);
    assert_int_equal(count("llm: done"), 0);
    assert_int_equal(run("llm=%s key=sk-app prompt=x", u), 1);
    assert_int_equal(count("llm: error=bad_argument detail=model= is required"), 1);
    /* prompts from the serial console, one keep-alive connection */
    size_t before = HEAP_IN_USE;
    INPUT = "first\rsec\x7f" "cond\r\rquit\r";
    assert_int_equal(run("llm=%s model=demo key=sk-app heapcheck=1", u), 0);
    INPUT = NULL;
    snprintf(want, sizeof want, ANSWER_FMT, "first");
    assert_int_equal(count(want), 1);
    snprintf(want, sizeof want, ANSWER_FMT, "second");
    assert_int_equal(count(want), 1);
    assert_int_equal(count("llm: done status=200"), 2);
    assert_int_equal(count("llm: connected "), 1);
    assert_int_equal(HEAP_IN_USE, before);
    /* Ctrl-D ends at once */
    INPUT = "\x04";
    assert_int_equal(run("llm=%s model=demo key=sk-app", u), 0);
    assert_int_equal(count("llm: done"), 0);
    INPUT = NULL;
}

/* The chat's commands and history (llm_chat.c): typed ahead, the input is
   kept for the line editor while answers stream. */
static void test_llm_chat(void **state)
{
    (void)state;
    char u[128];
    snprintf(u, sizeof u, "https://127.0.0.1:%d/v1/chat/completions", SRV.port);
    INPUT = "/help\r/bogus\rone\r/usage\r/clear\r/usage\r/model other\r/system be brief\r"
            "two\r/models\r/quit\r";
    assert_int_equal(run("llm=%s model=demo key=sk-app llm_history=4096 llm_idle=30", u), 0);
    INPUT = NULL;
    assert_int_equal(count("llm: interactive: provider=openai model=demo history_max=4096 "
                           "(/help for commands)\n"), 1);
    assert_int_equal(count("llm: commands: /help /clear /model NAME /models /system TEXT "
                           "/usage /quit\n"), 1);
    assert_int_equal(count("llm: error=unknown_command detail=/bogus\n"), 1);
    assert_int_equal(count("llm: idle"), 0);
    /* one exchange: user "one" (25+4+3) and the 89-byte answer, which JSON
       escapes to 92 bytes (two quotes, one newline): 32 + 126 */
    /* usage as the fake reports it: 10 per turn + the prompt's bytes in,
       its pieces out */
    assert_int_equal(count("llm: usage turns=1 in_tokens=13 out_tokens=12 history_bytes=158 "
                           "history_turns=2\n"), 1);
    assert_int_equal(count("llm: history cleared\n"), 1);
    assert_int_equal(count("llm: usage turns=1 in_tokens=13 out_tokens=12 history_bytes=0 "
                           "history_turns=0\n"), 1);
    assert_int_equal(count("llm: model=other\n"), 1);
    assert_int_equal(count("llm: system bytes=8\n"), 1);
    assert_int_equal(count("model=other bytes=89 "), 1);
    assert_int_equal(count(" turn=2 tool_calls=0\n"), 1);
    /* system prompt + "two": 2 turns, 3 bytes */
    assert_int_equal(count("in_tokens=23 out_tokens=12 "), 1);
    assert_int_equal(count("llm: model id=demo\n"), 1);
    assert_int_equal(count("llm: models count=3\n"), 1);
    assert_int_equal(count("llm: done status=200"), 2);

    /* Ctrl-C while the answer streams: interrupted, the chat goes on */
    INPUT = "one\r\x03/usage\rquit\r";
    assert_int_equal(run("llm=%s model=demo-slow key=sk-app llm_idle=30", u), 0);
    INPUT = NULL;
    assert_int_equal(count("llm: interrupted bytes="), 1);
    assert_int_equal(count("llm: done"), 0);
    assert_int_equal(count("history_turns=2\n"), 1);      /* the partial answer stays */

    /* a turn larger than the history: named, nothing sent, the chat goes on */
    static char big[2200];
    memset(big, 'x', 1500);
    strcpy(big + 1500, "\rquit\r");
    INPUT = big;
    assert_int_equal(run("llm=%s model=demo key=sk-app llm_history=1024 llm_idle=30", u), 1);
    INPUT = NULL;
    assert_int_equal(count("llm: error=turn_too_large detail=history_max=1024\n"), 1);
    assert_int_equal(count("llm: connected"), 0);
}

/* ---- the tool loop (app/llm_tools.c) against a scripted server ----
   A plain-HTTP OpenAI chat server on a thread: one request per
   connection (Connection: close), answered by the model named in the
   request: tools-clock calls clock, tools-loop calls clock every time,
   tools-badjson calls dns_lookup with the arguments `{"name":` cut short,
   tools-unknown calls no_such_tool; a request whose last message is a
   tool result (and any other model) gets the text answer "Tools done.".
   Every request body is kept for the asserts. */
#define TS_BODIES 8
static struct {
    int fd, port;
    int nbodies;
    char body[TS_BODIES][65536];
    pthread_t th;
} TS;

static const char *ts_answer(const char *body, char *out, size_t cap)
{
    const char *last = NULL, *p = body;
    while ((p = strstr(p, "\"role\":\"")) != NULL)
        last = p++;
    bool after_tool = last && !strncmp(last + 8, "tool\"", 5);
    const char *name = NULL, *args = "{}";
    if (!after_tool || strstr(body, "\"model\":\"tools-loop\"")) {
        if (strstr(body, "\"model\":\"tools-clock\"") || strstr(body, "\"model\":\"tools-loop\""))
            name = "clock";
        else if (strstr(body, "\"model\":\"tools-badjson\""))
            name = "dns_lookup", args = "{\\\"name\\\":";
        else if (strstr(body, "\"model\":\"tools-unknown\""))
            name = "no_such_tool";
    }
    if (name)
        snprintf(out, cap, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                 "\"content\":null,\"tool_calls\":[{\"id\":\"call_%d\",\"type\":\"function\","
                 "\"function\":{\"name\":\"%s\",\"arguments\":\"%s\"}}]},"
                 "\"finish_reason\":\"tool_calls\"}]}", TS.nbodies, name, args);
    else
        snprintf(out, cap, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                 "\"content\":\"Tools done.\"},\"finish_reason\":\"stop\"}]}");
    return out;
}

static void *ts_thread(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd pf = {.fd = TS.fd, .events = POLLIN};
        if (poll(&pf, 1, 3000) <= 0)
            return NULL;                  /* idle: the test is over */
        int c = accept(TS.fd, NULL, NULL);
        if (c < 0)
            return NULL;
        static char req[70000];
        size_t n = 0;
        char *hdr_end = NULL;
        long clen = -1;
        while (n < sizeof req - 1) {
            ssize_t r = recv(c, req + n, sizeof req - 1 - n, 0);
            if (r <= 0)
                break;
            n += (size_t)r;
            req[n] = 0;
            if (!hdr_end && (hdr_end = strstr(req, "\r\n\r\n")) != NULL) {
                const char *cl = strcasestr(req, "Content-Length:");
                clen = cl ? strtol(cl + 15, NULL, 10) : 0;
            }
            if (hdr_end && (long)(n - (size_t)(hdr_end + 4 - req)) >= clen)
                break;
        }
        const char *body = hdr_end ? hdr_end + 4 : "";
        if (TS.nbodies < TS_BODIES)
            snprintf(TS.body[TS.nbodies], sizeof TS.body[0], "%s", body);
        static char json[2048], resp[2400];
        ts_answer(body, json, sizeof json);
        TS.nbodies++;
        int len = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Type: application/json"
                           "\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                           strlen(json), json);
        assert_true(send(c, resp, (size_t)len, MSG_NOSIGNAL) == len);
        close(c);
    }
}

static void ts_start(void)
{
    TS.nbodies = 0;
    TS.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(TS.fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(TS.fd, 4), 0);
    assert_int_equal(getsockname(TS.fd, (struct sockaddr *)&a, &al), 0);
    TS.port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&TS.th, NULL, ts_thread, NULL), 0);
}

static void ts_stop(void)
{
    shutdown(TS.fd, SHUT_RDWR);
    pthread_join(TS.th, NULL);
    close(TS.fd);
}

/* Occurrences of needle in hay. */
static int occurs(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* One call, its result back to the model, the final answer's done line. */
static void test_llm_tool_loop(void **state)
{
    (void)state;
    ts_start();
    const char *u = "http://127.0.0.1:%d/v1/chat/completions";
    char url[128];
    snprintf(url, sizeof url, u, TS.port);
    assert_int_equal(run("llm=%s model=tools-clock prompt=time? stream=0", url), 0);
    assert_int_equal(TS.nbodies, 2);
    assert_int_equal(lines_starting("llm: tool call=clock args={}"), 1);
    assert_int_equal(lines_starting("llm: tool result=clock status=ok bytes="), 1);
    assert_int_equal(lines_starting("llm: answer: "), 1);    /* the calls-only round: none */
    assert_int_equal(count("llm: answer: Tools done.\n"), 1);
    assert_int_equal(lines_starting("llm: done "), 1);
    assert_int_equal(count(" turn=1 tool_calls=1\n"), 1);
    /* every tool declared; the follow-up carries the call and its result */
    for (int i = 0; i < 4; i++) {
        static const char *const names[] = {"clock", "net_info", "dns_lookup", "https_get"};
        char want[64];
        snprintf(want, sizeof want, "\"name\":\"%s\"", names[i]);
        if (!strstr(TS.body[0], want))
            fail_msg("%s not declared: %s", names[i], TS.body[0]);
    }
    assert_non_null(strstr(TS.body[0], "\"tools\":["));
    assert_non_null(strstr(TS.body[0], "\"content\":\"time?\""));
    assert_non_null(strstr(TS.body[1], "\"tool_calls\":[{\"id\":\"call_0\""));
    assert_non_null(strstr(TS.body[1], "\"role\":\"tool\""));
    assert_non_null(strstr(TS.body[1], "\"tool_call_id\":\"call_0\""));
    assert_non_null(strstr(TS.body[1], "\\\"utc\\\":\\\""));       /* clock's result */
    assert_non_null(strstr(TS.body[1], "\"content\":\"time?\""));   /* the user turn stays */
    assert_int_equal(occurs(TS.body[1], "\"content\":\"time?\""), 1);
    ts_stop();

    /* tools= names what is declared; tools=0 declares nothing */
    ts_start();
    snprintf(url, sizeof url, u, TS.port);
    assert_int_equal(run("llm=%s model=plain prompt=hi stream=0 tools=dns_lookup", url), 0);
    assert_int_equal(run("llm=%s model=plain prompt=hi stream=0 tools=0", url), 0);
    assert_int_equal(TS.nbodies, 2);
    assert_non_null(strstr(TS.body[0], "\"name\":\"dns_lookup\""));
    assert_null(strstr(TS.body[0], "\"name\":\"clock\""));
    assert_null(strstr(TS.body[1], "\"tools\""));
    assert_null(strstr(TS.body[1], "dns_lookup"));
    assert_int_equal(count(" turn=1 tool_calls=0\n"), 1);
    ts_stop();
}

/* Errors the model gets as results, and the round bound. */
static void test_llm_tool_errors(void **state)
{
    (void)state;
    ts_start();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/chat/completions", TS.port);
    /* arguments that are no JSON object: not run, bad_arguments back */
    assert_int_equal(run("llm=%s model=tools-badjson prompt=x stream=0", url), 0);
    assert_int_equal(count("llm: tool call=dns_lookup args={\"name\":\n"), 1);
    assert_int_equal(count("llm: tool result=dns_lookup status=error bytes=57 ms=0 "
                           "error=bad_arguments\n"), 1);
    assert_non_null(strstr(TS.body[1], "{\\\"error\\\":\\\"bad_arguments\\\",\\\"detail\\\":"
                                       "\\\"arguments_not_object\\\"}"));
    assert_int_equal(count(" turn=1 tool_calls=1\n"), 1);
    /* an unknown tool: its error object is the answer */
    assert_int_equal(run("llm=%s model=tools-unknown prompt=x stream=0", url), 0);
    assert_int_equal(count("llm: tool call=no_such_tool args={}\n"), 1);
    assert_int_equal(count("llm: tool result=no_such_tool status=error "), 1);
    assert_int_equal(count(" error=unknown_tool\n"), 1);
    assert_non_null(strstr(TS.body[3], "unknown_tool"));
    /* a model that never stops calling: tool_rounds= rounds, then the error */
    TS.nbodies = 0;
    assert_int_equal(run("llm=%s model=tools-loop prompt=x stream=0 tool_rounds=2", url), 1);
    assert_int_equal(TS.nbodies, 3);
    assert_int_equal(lines_starting("llm: tool call=clock"), 2);
    assert_int_equal(count("llm: error=tool_rounds_exceeded rounds=2\n"), 1);
    assert_int_equal(lines_starting("llm: done"), 0);
    ts_stop();
}

/* The chat keeps each exchange's calls and results in its history. */
static void test_llm_tool_chat_history(void **state)
{
    (void)state;
    ts_start();
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/chat/completions", TS.port);
    INPUT = "one\rtwo\r/usage\rquit\r";
    assert_int_equal(run("llm=%s model=tools-clock stream=0 llm_idle=30", url), 0);
    INPUT = NULL;
    assert_int_equal(TS.nbodies, 4);
    assert_int_equal(count(" turn=1 tool_calls=1\n"), 1);
    assert_int_equal(count(" turn=2 tool_calls=1\n"), 1);
    /* user, assistant with calls, tool result, answer: 4 turns each */
    assert_int_equal(count("history_turns=8\n"), 1);
    /* the second turn's first request carries the first exchange whole */
    assert_int_equal(occurs(TS.body[2], "\"role\":\"tool\""), 1);
    assert_non_null(strstr(TS.body[2], "\"tool_call_id\":\"call_0\""));
    assert_non_null(strstr(TS.body[2], "\"content\":\"Tools done.\""));
    assert_int_equal(occurs(TS.body[3], "\"role\":\"tool\""), 2);
    ts_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_job),
        cmocka_unit_test(test_get_keep_alive_summary),
        cmocka_unit_test(test_get_two_cpus),
        cmocka_unit_test(test_get_chunked_close_and_print),
        cmocka_unit_test(test_get_cut_without_close_notify),
        cmocka_unit_test(test_get_errors),
        cmocka_unit_test(test_get_heap_returns),
        cmocka_unit_test(test_get_resumes),
        cmocka_unit_test(test_llm_jobs),
        cmocka_unit_test(test_llm_chat),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_llm_tool_loop),
        cmocka_unit_test(test_llm_tool_errors),
        cmocka_unit_test(test_llm_tool_chat_history),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
