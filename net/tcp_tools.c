/* The tcpget= / tcpput= tools of net/tcp.h: a download and an upload over
   one TCP connection, each reporting its byte count, SHA-256 and duration so
   a test can check the stream end to end, plus the connection's counters. */
#include "net/net.h"
#include "net/net_kernel.h"
#include "net/tcp.h"
#include "crypto/sha2.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/time.h"
#include "lib/fmt.h"
#include <string.h>

/* tcptimeout=MS: connect deadline and longest wait without progress. */
static uint32_t tool_timeout_ms(void)
{
    long ms = karg_int("tcptimeout", 20000);
    return ms > 0 && ms < 3600000 ? (uint32_t)ms : 20000;
}
#define TOOL_TIMEOUT_MS tool_timeout_ms()

/* HOST:PORT -> resolved address and port; prints the error itself. */
static bool parse_target(const char *hp, struct ip_addr *ip, uint16_t *port)
{
    const char *colon = hp ? strrchr(hp, ':') : NULL;
    char host[256];
    if (!colon || colon == hp || (size_t)(colon - hp) >= sizeof host || !colon[1]) {
        kprintf("tcp: error=bad_target detail=want HOST:PORT\n");
        return false;
    }
    unsigned long p = 0;
    for (const char *c = colon + 1; *c; c++) {
        if (*c < '0' || *c > '9' || (p = p * 10 + (unsigned long)(*c - '0')) > 65535) {
            kprintf("tcp: error=bad_target detail=port\n");
            return false;
        }
    }
    if (p == 0) {
        kprintf("tcp: error=bad_target detail=port\n");
        return false;
    }
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = 0;
    enum net_err e = dns_resolve_blocking(host, ip, 10000);
    if (e != NET_OK) {
        kprintf("tcp: error=%s detail=resolving %s\n", net_err_str(e), host);
        return false;
    }
    *port = (uint16_t)p;
    return true;
}

static void print_stats(int s)
{
    struct tcp_sock_stats st;
    tcp_get_stats(s, &st);
    kprintf("tcp: stats mss=%u srtt_ms=%u rto_ms=%u cwnd=%u retransmits=%lu fast_retransmits=%lu "
            "sack_retransmits=%lu rto_expiries=%lu out_of_order=%lu zero_window_probes=%lu "
            "challenge_acks=%lu\n",
            st.mss, st.srtt_ms, st.rto_ms, st.cwnd, (unsigned long)st.retransmits,
            (unsigned long)st.fast_retransmits, (unsigned long)st.sack_retransmits,
            (unsigned long)st.rto_expiries, (unsigned long)st.out_of_order,
            (unsigned long)st.zero_window_probes, (unsigned long)st.challenge_acks);
}

/* Reports a failed transfer (counters, then the error line with what moved)
   and drops the connection; returns the tool's failure status. */
static int tool_fail(int s, enum net_err e, const char *what, unsigned long n)
{
    print_stats(s);
    kprintf("tcp: error=%s %s=%lu\n", net_err_str(e), what, n);
    tcp_abort(s);
    return 1;
}

/* Resolves HOST:PORT and connects; prints the error itself, -1 on failure. */
static int tool_connect(const char *hostport)
{
    struct ip_addr ip;
    uint16_t port;
    if (!parse_target(hostport, &ip, &port))
        return -1;
    enum net_err e;
    int s = tcp_connect_blocking(&ip, port, TOOL_TIMEOUT_MS, &e);
    if (s < 0)
        kprintf("tcp: error=%s\n", net_err_str(e));
    return s;
}

/* Prints the counters, closes the connection and finishes the hash. */
static void tool_finish(int s, sha256_ctx *h, char hex[65])
{
    uint8_t d[32];
    print_stats(s);
    tcp_close_blocking(s, 2000);
    sha256_final(h, d);
    fmt_hex(d, 32, hex);
}

int tcpget_run(const char *hostport)
{
    uint64_t t0 = time_ms();
    int s = tool_connect(hostport);
    if (s < 0)
        return 1;
    enum net_err e;
    static uint8_t buf[16384];
    sha256_ctx h;
    sha256_init(&h);
    uint64_t total = 0;
    for (;;) {
        long r = tcp_recv_blocking(s, buf, sizeof buf, TOOL_TIMEOUT_MS, &e);
        if (r < 0)
            return tool_fail(s, e, "bytes", (unsigned long)total);
        if (r == 0)
            break;
        sha256_update(&h, buf, (size_t)r);
        total += (uint64_t)r;
    }
    uint64_t ms = time_ms() - t0;
    char hex[65];
    tool_finish(s, &h, hex);
    kprintf("tcp: bytes=%lu sha256=%s ms=%lu\n", (unsigned long)total, hex, (unsigned long)ms);
    return 0;
}

int tcpput_run(const char *hostport, const char *bytes)
{
    unsigned long n = 0;
    if (!bytes || !*bytes) {
        kprintf("tcp: error=bad_config detail=tcpput= needs bytes=N\n");
        return 1;
    }
    for (const char *c = bytes; *c; c++) {
        if (*c < '0' || *c > '9' || n > 1000000000ul) {
            kprintf("tcp: error=bad_config detail=bytes=%s\n", bytes);
            return 1;
        }
        n = n * 10 + (unsigned long)(*c - '0');
    }
    uint64_t t0 = time_ms();
    int s = tool_connect(hostport);
    if (s < 0)
        return 1;
    enum net_err e;
    static uint8_t buf[16384];
    sha256_ctx h;
    sha256_init(&h);
    unsigned long sent = 0;
    while (sent < n) {
        size_t k = n - sent < sizeof buf ? n - sent : sizeof buf;
        for (size_t i = 0; i < k; i++)
            buf[i] = (uint8_t)((sent + i) & 0xff);
        if (tcp_send_all(s, buf, k, TOOL_TIMEOUT_MS, &e) < 0)
            return tool_fail(s, e, "sent", sent);
        sha256_update(&h, buf, k);
        sent += k;
    }
    /* everything acknowledged before the FIN is counted as delivered */
    uint64_t start = time_ms();
    while (!tcp_send_idle(s) && tcp_state(s) != TCP_CLOSED && time_ms() - start < TOOL_TIMEOUT_MS)
        net_poll(time_ms());
    if (!tcp_send_idle(s))
        return tool_fail(s, tcp_error(s) != NET_OK ? tcp_error(s) : NET_ERR_TIMEOUT, "sent", sent);
    uint64_t ms = time_ms() - t0;
    char hex[65];
    tool_finish(s, &h, hex);
    kprintf("tcp: sent=%lu sha256=%s ms=%lu\n", sent, hex, (unsigned long)ms);
    return 0;
}
